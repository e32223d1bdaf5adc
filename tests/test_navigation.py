"""navigation.xml: pages and reports in search and the departments, and the
pages page extensions change (ids resolved through the dependencies)."""

import re

import pytest

from alc.emit.xliff import name_hash
from alc.package.reader import read_package

from apps import compile_samples


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    return compile_samples(str(tmp_path_factory.mktemp("cache")))


def _actions(text):
    return [dict(re.findall(r'(\w+(?::\w+)?)="([^"]*)"', a))
            for a in re.findall(r'<Actions xsi:type="ActionDefinition"[^>]*/>', text)]


def test_a_list_page_in_the_departments(packages):
    pkg = read_package(packages["base"])
    text = pkg.read("navigation.xml").decode("utf-8-sig")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\r\n<NavigationDefinition '
                           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"')
    group = re.search(r'<Actions xsi:type="ActionGroupDefinition" Caption="([^"]*)" ControlGUID="\{([^}]*)\}">',
                      text)
    assert group.group(1) == "Demo Base"
    (action,) = _actions(text)          # the card page has UsageCategory = None
    assert action == {
        "xsi:type": "ActionDefinition", "PushAction": "RunObject", "RunObjectType": "Page", "TargetID": "50001",
        "DepartmentCategory": "Lists", "RunObjectSrcTable": "50000", "ControlGUID": action["ControlGUID"],
        "Name": "Demo Customer List", "CaptionML": "ENU=Customers", "ApplicationArea": "#All",
        "AdditionalSearchTermsML": "ENU=Demo Customer List",
        "CaptionTranslationKey": f"Page {name_hash('Demo Customer List')} - Property 2879900210",
        "AdditionalSearchTermsTranslationKey": f"Page {name_hash('Demo Customer List')} - Property 3863440606"}
    assert "NavigationChanges" not in text
    names = list(pkg.entries)
    assert names.index("MediaIdListing.xml") < names.index("navigation.xml") < names.index("[Content_Types].xml")


def test_a_page_extension_changes_its_target_page(packages):
    text = read_package(packages["loyalty"]).read("navigation.xml").decode("utf-8-sig")
    assert "ActionContainers" not in text
    assert re.findall(r'<ActionChange TargetID="(\d+)" TargetType="Page" />', text) == ["50000"]


def test_the_guids_are_the_same_in_every_build(packages, tmp_path):
    again = compile_samples(str(tmp_path))
    for name in ("base", "loyalty"):
        with open(packages[name], "rb") as a, open(again[name], "rb") as b:
            assert a.read() == b.read()
