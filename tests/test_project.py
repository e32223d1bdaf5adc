"""app.json: every field read into AppManifest; every bad field one diagnostic naming it."""

import json

import pytest

from alc.diagnostics import CODES, render_concise
from alc.appmodel import AppManifest, Dependency, IdRange, Module, ResourceExposurePolicy, Version, normalize_guid
from alc.build.project import load_app_json, parse_app_json

APP_ID = "0f3b2c1a-0000-4000-8000-000000000001"
DEP_ID = "63ca2fa4-4f03-4f2b-a480-172fef340d3f"

FULL = {
    "id": APP_ID.upper(),
    "name": "Loyalty",
    "publisher": "Fabrikam",
    "version": "2.1.0.7",
    "brief": "Points",
    "description": "Loyalty points for customers",
    "privacyStatement": "https://example.com/privacy",
    "EULA": "https://example.com/eula",
    "help": "https://example.com/help",
    "url": "https://example.com",
    "logo": "./logo/Logo.png",
    "contextSensitiveHelpUrl": "https://example.com/csh",
    "dependencies": [
        {"id": DEP_ID, "name": "System Application", "publisher": "Microsoft", "version": "24.0.0.0"},
        {"appId": "437dbf0e-84ff-417a-965d-ed2bb9650972", "name": "Base Application", "publisher": "Microsoft",
         "version": "24.1.0.0"},
    ],
    "internalsVisibleTo": [{"id": "3556cc45-0000-4000-8000-000000000009", "name": "Loyalty Tests",
                            "publisher": "Fabrikam"}],
    "platform": "24.0.0.0",
    "application": "24.0.0.0",
    "runtime": "13.0",
    "idRanges": [{"from": 50100, "to": 50149}, {"from": 50200, "to": 50200}],
    "features": ["NoImplicitWith", "translationfile"],
    "preprocessorSymbols": ["CLEAN24", "ONPREM"],
    "suppressWarnings": ["AL0432"],
    "resourceExposurePolicy": {"allowDebugging": True, "allowDownloadingSource": False,
                               "includeSourceInSymbolFile": True},
    "target": "onprem",
    "propagateDependencies": True,
    "source": {"repositoryUrl": "https://example.com/repo", "commit": "abc123"},
    "build": {"by": "ci", "url": "https://example.com/build/1"},
}


def parse(data, **kw):
    text = data if isinstance(data, str) else json.dumps(data, indent=2)
    return parse_app_json(text, path="app.json", **kw)


def concise(diags):
    return render_concise(diags, cwd=".")


def test_full_app_json_is_read_into_the_model():
    m, diags = parse(FULL)
    assert diags == []
    assert m.id == APP_ID and m.name == "Loyalty" and m.publisher == "Fabrikam"
    assert m.version == Version(2, 1, 0, 7)
    assert (m.brief, m.description, m.privacy_statement, m.eula, m.help, m.url, m.logo) == (
        "Points", "Loyalty points for customers", "https://example.com/privacy", "https://example.com/eula",
        "https://example.com/help", "https://example.com", "./logo/Logo.png")
    assert m.context_sensitive_help_url == "https://example.com/csh"
    assert m.dependencies == (
        Dependency(DEP_ID, "System Application", "Microsoft", Version(24, 0, 0, 0)),
        Dependency("437dbf0e-84ff-417a-965d-ed2bb9650972", "Base Application", "Microsoft", Version(24, 1, 0, 0)))
    assert m.internals_visible_to == (Module("3556cc45-0000-4000-8000-000000000009", "Loyalty Tests", "Fabrikam"),)
    assert m.platform == Version(24, 0, 0, 0) and m.application == Version(24, 0, 0, 0)
    assert m.runtime == "13.0" and m.target == "OnPrem"
    assert m.id_ranges == (IdRange(50100, 50149), IdRange(50200, 50200))
    assert m.features == ("NoImplicitWith", "TranslationFile")
    assert m.preprocessor_symbols == ("CLEAN24", "ONPREM")
    assert m.suppress_warnings == ("AL0432",)
    assert m.resource_exposure_policy == ResourceExposurePolicy(True, False, True, False)
    assert m.show_my_code is False
    assert m.propagate_dependencies is True
    assert m.source.repository_url == "https://example.com/repo" and m.source.commit == "abc123"
    assert m.build.by == "ci"
    assert m.default_package_name == "Fabrikam_Loyalty_2.1.0.7.app"


def test_minimal_app_json_and_defaults():
    m, diags = parse({"id": APP_ID, "name": "A", "publisher": "P", "version": "1.0.0.0"})
    assert diags == []
    assert m == AppManifest(APP_ID, "A", "P", Version(1, 0, 0, 0))
    assert m.target is None and m.platform is None and m.id_ranges == ()


def test_legacy_idrange_and_showmycode():
    m, diags = parse({"id": APP_ID, "name": "A", "publisher": "P", "version": "1.0.0.0",
                      "idRange": {"from": 50000, "to": 50099}, "showMyCode": True})
    assert diags == []
    assert m.id_ranges == (IdRange(50000, 50099),)
    assert m.show_my_code is True
    assert m.resource_exposure_policy == ResourceExposurePolicy(True, True, True, False)


def test_byte_order_mark_and_file_reading(tmp_path):
    p = tmp_path / "app.json"
    p.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": APP_ID, "name": "A", "publisher": "P",
                                                  "version": "1.0.0.0"}).encode())
    m, diags = load_app_json(str(p))
    assert diags == [] and m.name == "A"


def test_missing_file_is_alc0400(tmp_path):
    m, diags = load_app_json(str(tmp_path / "app.json"))
    assert m is None and [d.code for d in diags] == ["ALC0400"]


def test_invalid_json_points_at_the_error():
    m, diags = parse('{\n  "id": "x",\n  "name": "A"\n  "publisher": "P"\n}')
    assert m is None
    assert concise(diags) == "app.json(4,3): error ALC0401: app.json is not valid JSON: Expecting ',' delimiter"


def test_top_level_must_be_an_object():
    m, diags = parse("[1, 2]")
    assert m is None and [d.code for d in diags] == ["ALC0403"]


@pytest.mark.parametrize("change, expected", [
    # malformed version, pointing at the field
    ({"version": "1.0"}, "app.json(5,3): error ALC0405: `version` must be Major.Minor.Build.Revision, got `1.0`"),
    ({"version": "1.0.0.x"}, "app.json(5,3): error ALC0405: `version` must be Major.Minor.Build.Revision, "
                             "got `1.0.0.x`"),
    ({"platform": "24"}, "app.json(6,3): error ALC0405: `platform` must be Major.Minor.Build.Revision, got `24`"),
    ({"runtime": "13"}, "app.json(6,3): error ALC0405: `runtime` must be Major.Minor, got `13`"),
    # malformed GUID
    ({"id": "not-a-guid"}, "app.json(2,3): error ALC0404: `id` must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), "
                           "got `not-a-guid`"),
    # wrong types
    ({"name": 5}, "app.json(3,3): error ALC0403: `name` must be a string, got a number"),
    ({"idRanges": {"from": 1, "to": 2}}, "app.json(6,3): error ALC0403: `idRanges` must be an array of objects, "
                                         "got an object"),
    ({"features": ["NoImplicitWith", 3]}, "app.json(8,5): error ALC0403: `features[1]` must be a string, got a number"),
    ({"showMyCode": "yes"}, "app.json(6,3): error ALC0403: `showMyCode` must be true or false, got a string"),
    ({"target": "Mars"}, "app.json(6,3): error ALC0410: `target` must be `Cloud` or `OnPrem`, got `Mars`"),
    ({"name": "  "}, "app.json(3,3): error ALC0410: `name` must not be empty"),
    ({"preprocessorSymbols": ["OK", "not ok"]},
     "app.json(8,5): error ALC0410: `preprocessorSymbols[1]` must be an identifier, got `not ok`"),
])
def test_bad_field_gives_one_diagnostic_naming_it(change, expected):
    data = {"id": APP_ID, "name": "A", "publisher": "P", "version": "1.0.0.0", **change}
    m, diags = parse(data)
    assert m is None
    assert concise(diags) == expected


def test_missing_required_fields():
    m, diags = parse({"name": "A", "version": "1.0.0.0"})
    assert m is None
    assert concise(diags).splitlines() == [
        "app.json(1,1): error ALC0402: app.json has no `id`",
        "app.json(1,1): error ALC0402: app.json has no `publisher`",
    ]
    assert diags[0].help == 'add `"id"` to app.json'


def test_dependency_problems():
    deps = [
        {"id": DEP_ID, "name": "S", "publisher": "M", "version": "1.0"},
        {"name": "NoId", "publisher": "M", "version": "1.0.0.0"},
        {"id": "zz", "name": "BadId", "publisher": "M", "version": "1.0.0.0"},
        {"id": DEP_ID, "appId": "437dbf0e-84ff-417a-965d-ed2bb9650972", "version": "1.0.0.0"},
        {"id": APP_ID, "name": "Self", "version": "1.0.0.0"},
        {"id": "437dbf0e-84ff-417a-965d-ed2bb9650972", "version": "1.0.0.0"},
        {"id": "437DBF0E-84FF-417A-965D-ED2BB9650972", "name": "Again", "version": "2.0.0.0"},
        {"id": "11111111-84ff-417a-965d-ed2bb9650972"},
        "text",
    ]
    m, diags = parse({"id": APP_ID, "name": "A", "publisher": "P", "version": "1.0.0.0", "dependencies": deps})
    assert m is None
    messages = [(d.code, d.message) for d in diags]
    assert messages == [
        ("ALC0405", "`dependencies[0].version` must be Major.Minor.Build.Revision, got `1.0`"),
        ("ALC0402", "`dependencies[1]` has no `id`"),
        ("ALC0404", "`dependencies[2].id` must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), got `zz`"),
        ("ALC0410", "`dependencies[3]` has `id` and `appId` with different GUIDs"),
        ("ALC0413", "`dependencies[4]` names this app itself"),
        ("ALC0412", "`dependencies[6]` repeats the dependency on `Again` (437dbf0e-84ff-417a-965d-ed2bb9650972) "
                    "already given in `dependencies[5]`"),
        ("ALC0402", "`dependencies[7]` has no `version`"),
        ("ALC0403", "`dependencies[8]` must be an object, got a string"),
    ]


def test_dependency_name_and_publisher_may_be_omitted():
    # Real Microsoft apps omit `name` of some dependencies; the id identifies the app.
    m, diags = parse({"id": APP_ID, "name": "A", "publisher": "P", "version": "1.0.0.0",
                      "dependencies": [{"id": DEP_ID, "publisher": "Microsoft", "version": "24.0.0.0"}]})
    assert diags == [] and m.dependencies[0].name == ""


def test_id_range_problems():
    m, diags = parse({"id": APP_ID, "name": "A", "publisher": "P", "version": "1.0.0.0",
                      "idRange": {"from": 50000, "to": 50010},
                      "idRanges": [{"from": 50100, "to": 50149}, {"from": 50140, "to": 50160},
                                   {"from": 60000, "to": 59999}, {"from": 1}, {"from": 0, "to": 5},
                                   {"from": "1", "to": 5}, {"from": 50005, "to": 50005}]})
    assert m is None
    assert [(d.code, d.message) for d in diags] == [
        ("ALC0408", "app.json has both `idRange` and `idRanges`"),
        ("ALC0406", "`idRanges[2]` is not a valid range: from 60000 to 59999"),
        ("ALC0402", "`idRanges[3]` has no `to`"),
        ("ALC0406", "`idRanges[4]` is not a valid range: from 0 to 5"),
        ("ALC0403", "`idRanges[5].from` must be an integer, got a string"),
        ("ALC0407", "`idRanges[1]` (50140..50160) overlaps `idRanges[0]` (50100..50149)"),
        ("ALC0407", "`idRanges[6]` (50005..50005) overlaps `idRange` (50000..50010)"),
    ]


def test_warnings_keep_the_model():
    m, diags = parse({"id": APP_ID, "name": "A", "publisher": "P", "version": "1.0.0.0",
                      "features": ["NoImplicitWith", "MakeItFast"], "showMyCode": True,
                      "resourceExposurePolicy": {"allowDebugging": False}})
    assert m is not None
    assert [(d.code, d.severity.value) for d in diags] == [("ALC0411", "warning"), ("ALC0409", "warning")]
    assert m.features == ("NoImplicitWith", "MakeItFast")
    assert m.resource_exposure_policy.allow_debugging is False


def test_nested_field_position():
    text = '{\n  "id": "%s",\n  "name": "A",\n  "publisher": "P",\n  "version": "1.0.0.0",\n' \
           '  "resourceExposurePolicy": {\n    "allowDebugging": "true"\n  }\n}' % APP_ID
    _, diags = parse(text)
    assert concise(diags) == ("app.json(7,5): error ALC0403: `resourceExposurePolicy.allowDebugging` must be true "
                              "or false, got a string")


def test_version_ordering_and_guids():
    assert Version.parse("10.0.0.0") > Version.parse("9.9.9.9")
    assert sorted([Version(1, 2, 0, 0), Version(1, 10, 0, 0), Version(1, 2, 0, 1)])[-1] == Version(1, 10, 0, 0)
    assert str(Version.parse("24.0.12345.0")) == "24.0.12345.0"
    with pytest.raises(ValueError):
        Version.parse("1.0.0.99999999999")
    assert normalize_guid("63CA2FA4-4F03-4F2B-A480-172FEF340D3F") == DEP_ID
    for bad in ("63ca2fa4-4f03-4f2b-a480-172fef340d3", "{63ca2fa4-4f03-4f2b-a480-172fef340d3f", "",
                "63ca2fa44f034f2ba480172fef340d3f"):
        with pytest.raises(ValueError):
            normalize_guid(bad)


def test_every_project_code_is_registered():
    for code in ["ALC04%02d" % n for n in range(14)]:
        assert code in CODES and CODES[code].explanation


def test_unknown_keys_warn_with_the_nearest_known_key():
    m, diags = parse({"id": APP_ID, "name": "A", "publisher": "P", "version": "1.0.0.0",
                      "dependecies": [], "IdRanges": [], "flavour": "mint", "supressWarnings": ["AL0432"],
                      "dependencies": [{"id": DEP_ID, "version": "1.0.0.0", "pubisher": "M"}],
                      "idRanges": [{"from": 1, "to": 5, "upto": 9}],
                      "resourceExposurePolicy": {"allowDebuging": True}})
    assert m is not None  # warnings only: the model is kept
    assert [(d.code, d.severity.value, d.message, d.help) for d in diags] == [
        ("ALC0415", "warning", "unknown key `dependecies` in app.json", "did you mean `dependencies`?"),
        ("ALC0415", "warning", "unknown key `IdRanges` in app.json", "did you mean `idRanges`?"),
        ("ALC0415", "warning", "unknown key `flavour` in app.json", None),
        ("ALC0415", "warning", "unknown key `supressWarnings` in app.json", "did you mean `suppressWarnings`?"),
        ("ALC0415", "warning", "unknown key `pubisher` in `dependencies[0]`", "did you mean `publisher`?"),
        ("ALC0415", "warning", "unknown key `upto` in `idRanges[0]`", "did you mean `to`?"),
        ("ALC0415", "warning", "unknown key `allowDebuging` in `resourceExposurePolicy`",
         "did you mean `allowDebugging`?"),
    ]


def test_every_documented_key_is_known():
    _, diags = parse(FULL)
    assert [d for d in diags if d.code == "ALC0415"] == []


def test_empty_id_ranges_is_a_warning_naming_the_field():
    """Not an error: Microsoft's compiler builds apps with `"idRanges": []` (two in BCApps)."""
    m, diags = parse({"id": APP_ID, "name": "A", "publisher": "P", "version": "1.0.0.0", "idRanges": []})
    assert m is not None and m.id_ranges == ()
    assert concise(diags) == ("app.json(6,3): warning ALC0416: `idRanges` is empty: no object id is checked "
                              "against a range")


@pytest.mark.parametrize("change, expected", [
    ({"application": "latest"}, "app.json(6,3): error ALC0405: `application` must be Major.Minor.Build.Revision, "
                                "got `latest`"),
    ({"platform": 25}, "app.json(6,3): error ALC0403: `platform` must be a version string, got a number"),
])
def test_strict_values_are_errors_naming_the_field(change, expected):
    m, diags = parse({"id": APP_ID, "name": "A", "publisher": "P", "version": "1.0.0.0", **change})
    assert m is None and concise(diags) == expected


def test_unknown_key_help_is_printed_by_compile(tmp_path, capsys):
    from alc.cli import main
    (tmp_path / "app.json").write_text(json.dumps({"id": APP_ID, "name": "A", "publisher": "P",
                                                   "version": "1.0.0.0", "dependecies": []}))
    assert main(["compile", "--project", str(tmp_path), "--out", str(tmp_path / "a.app")]) == 0
    out = capsys.readouterr().out
    assert "warning ALC0415: unknown key `dependecies` in app.json\n    help: did you mean `dependencies`?" in out
