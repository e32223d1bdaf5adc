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


def _xlf(language, units):
    body = "".join(f'<trans-unit id="{i}"><source>x</source><target>{t}</target></trans-unit>' for i, t in units)
    return ('<?xml version="1.0" encoding="utf-8"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
            f'<file datatype="xml" source-language="en-US" target-language="{language}" original="Nav Demo">'
            f'<body><group id="body">{body}</group></body></file></xliff>')


def test_translated_captions_and_own_pages_changed(tmp_path):
    # Business Foundation 25.2: CaptionML and AdditionalSearchTermsML carry the translations of the project's
    # .xlf files by Windows language code, sorted; a page extension of the app's own page gives its ActionChange
    # the page's CaptionML and AdditionalSearchTermsML.
    import json
    from alc.build.compiler import CompileOptions, compile_project
    root = tmp_path / "p"
    (root / "Translations").mkdir(parents=True)
    app = {"id": "5a1b2c3d-0000-4000-8000-00000000ab02", "name": "Nav Demo", "publisher": "alc tests",
           "version": "1.0.0.0", "idRanges": [{"from": 50970, "to": 50979}], "runtime": "14.0"}
    (root / "app.json").write_text(json.dumps(app))
    (root / "Series.Page.al").write_text("""page 50970 "Nav Series"
{
    Caption = 'Series';
    UsageCategory = Administration;
    AdditionalSearchTerms = 'numbering';
}
""")
    (root / "SeriesExt.PageExt.al").write_text('pageextension 50971 "Nav Series Ext" extends "Nav Series" { }')
    key = f"Page {name_hash('Nav Series')}"
    caption, terms = f"{key} - Property 2879900210", f"{key} - Property 3863440606"
    (root / "Translations" / "Nav Demo.da-DK.xlf").write_text(
        _xlf("da-DK", [(caption, "Serier"), (terms, "nummerering")]), encoding="utf-8")
    (root / "Translations" / "Nav Demo.cs-CZ.xlf").write_text(_xlf("cs-CZ", [(caption, "Řady")]), encoding="utf-8")
    (root / "Translations" / "Nav Demo.xx-XX.xlf").write_text(_xlf("xx-XX", [(caption, "?")]), encoding="utf-8")
    out = tmp_path / "p.app"
    assert compile_project(CompileOptions(project=str(root), package_cache=(), out=str(out), jobs=1)).ok
    text = read_package(str(out)).read("navigation.xml").decode("utf-8-sig")
    (action,) = _actions(text)
    assert action["CaptionML"] == "CSY=Řady;DAN=Serier;ENU=Series"          # an unknown culture is left out
    assert action["AdditionalSearchTermsML"] == "DAN=nummerering;ENU=numbering"
    assert ('<ActionChange TargetID="50970" TargetType="Page" CaptionML="CSY=Řady;DAN=Serier;ENU=Series" '
            'AdditionalSearchTermsML="DAN=nummerering;ENU=numbering" />') in text
