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


ACCESS = {
    "Setup.Table.al": 'table 50960 "Nav Setup" { fields { field(1; "Key"; Code[10]) { } } }',
    "Setup.Page.al": """page 50960 "Nav Setup List"
{
    PageType = List;
    SourceTable = "Nav Setup";
    UsageCategory = Administration;
    ApplicationArea = All;
    Caption = 'Setups';
    AccessByPermission = tabledata "Nav Setup" = IM;
}
""",
    "Tools.Page.al": """page 50961 "Nav Tools"
{
    UsageCategory = Tasks;
    ApplicationArea = All;
    AdditionalSearchTerms = 'tools, more';
    AccessByPermission = System "Tools, Restore" = X;
}
""",
    "Run.Report.al": 'report 50962 "Nav Run" { UsageCategory = ReportsAndAnalysis; '
                     'AccessByPermission = page 50960 = X; }',
}


def _navigation(tmp_path, features):
    import json
    from alc.build.compiler import CompileOptions, compile_project
    root = tmp_path / "p"
    root.mkdir()
    app = {"id": "5a1b2c3d-0000-4000-8000-00000000ab01", "name": "Nav Demo", "publisher": "alc tests",
           "version": "1.0.0.0", "idRanges": [{"from": 50960, "to": 50969}], "runtime": "10.0", "features": features}
    (root / "app.json").write_text(json.dumps(app))
    for rel, text in ACCESS.items():
        (root / rel).write_text(text)
    out = tmp_path / "p.app"
    assert compile_project(CompileOptions(project=str(root), package_cache=(), out=str(out), jobs=1)).ok
    return read_package(str(out)).read("navigation.xml").decode("utf-8-sig")


def test_access_by_permission_and_search_terms_with_generated_captions(tmp_path):
    # As the System Application 21 package shows: AccessByObjectType after the name, AccessByObjectID and
    # AccessByPermissionMask after the caption; no search terms without AdditionalSearchTerms under GenerateCaptions.
    text = _navigation(tmp_path, ["GenerateCaptions"])
    found = [re.sub(r' ControlGUID="[^"]*"', "", a) for a in re.findall(r'<Actions xsi:type="ActionDefinition"[^>]*/>',
                                                                           text)]
    lines = [next(a for a in found if f'Name="{n}"' in a) for n in ("Nav Setup List", "Nav Tools", "Nav Run")]
    key = {n: f"{k} {name_hash(n)}" for k, n in (("Page", "Nav Setup List"), ("Page", "Nav Tools"),
                                                  ("Report", "Nav Run"))}
    assert lines[0] == (
        '<Actions xsi:type="ActionDefinition" PushAction="RunObject" RunObjectType="Page" TargetID="50960" '
        'DepartmentCategory="Administration" RunObjectSrcTable="50960" Name="Nav Setup List" '
        'AccessByObjectType="TableData" CaptionML="ENU=Setups" AccessByObjectID="50960" AccessByPermissionMask="6" '
        'ApplicationArea="#All" AdditionalSearchTermsML="ENU=" '
        f'CaptionTranslationKey="{key["Nav Setup List"]} - Property 2879900210" '
        f'AdditionalSearchTermsTranslationKey="{key["Nav Setup List"]} - Property 3863440606" />')
    # A System permission named by its name has no known id here: no AccessBy attributes (INFERRED).
    assert "AccessBy" not in lines[1] and 'AdditionalSearchTermsML="ENU=tools, more"' in lines[1]
    assert ('Name="Nav Run" AccessByObjectType="Page" CaptionML="ENU=Nav Run" AccessByObjectID="50960" '
            'AccessByPermissionMask="16" ') in lines[2]


def test_search_terms_default_to_the_name_without_generated_captions(tmp_path):
    text = _navigation(tmp_path, [])
    assert 'Name="Nav Setup List" AccessByObjectType="TableData"' in text
    assert 'AdditionalSearchTermsML="ENU=Nav Setup List"' in text
