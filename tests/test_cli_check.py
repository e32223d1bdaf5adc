"""alc check and alc merged on the sample packages."""

import json
import os

import pytest

from alc.cli import main

from apps import compile_samples


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("cache"))
    return folder, compile_samples(folder)


def test_unrelated_apps_setting_one_property_conflict(packages, capsys):
    cache, p = packages
    assert main(["check", p["base"], p["loyalty"], p["shipping"]]) == 1
    out = capsys.readouterr().out
    assert "error ALC0301" in out and "`Demo Loyalty`" in out and "`Demo Shipping`" in out


def _shown(path: str) -> str:
    """A path as diagnostics show it: relative to the current folder unless that climbs two levels."""
    rel = os.path.relpath(path)
    return path if rel.startswith(os.path.join("..", "..")) else rel


def _line_of(project_file: str, text: str) -> int:
    from apps import SAMPLES
    lines = open(os.path.join(SAMPLES, project_file), encoding="utf-8").read().splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_each_side_of_a_conflict_is_located_in_its_package_source(packages, capsys):
    """Text: one `path(line,col): error` line per side; JSON: `locations`; SARIF: locations and
    relatedLocations (and no made-up informationUri)."""
    cache, p = packages
    loyalty_line = _line_of("loyalty/src/LoyaltyCustomerCard.PageExt.al", "Visible = false;")
    shipping_line = _line_of("shipping/src/ShippingCustomerCard.PageExt.al", "Visible = true;")
    assert main(["check", p["base"], p["loyalty"], p["shipping"]]) == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if "error ALC0301" in line]
    assert lines == [
        f"{_shown(p['loyalty'])}/src/src/LoyaltyCustomerCard.PageExt.al({loyalty_line},13): "
        "error ALC0301: `Visible` of "
        "control `Balance` of page 50000 `Demo Customer Card` is set differently by apps that do not depend on each "
        "other: `false` by `Demo Loyalty`, `true` by `Demo Shipping` [`Demo Loyalty` 1.2.0.0]",
        f"{_shown(p['shipping'])}/src/src/ShippingCustomerCard.PageExt.al({shipping_line},13): "
        "error ALC0301: `Visible` of "
        "control `Balance` of page 50000 `Demo Customer Card` is set differently by apps that do not depend on each "
        "other: `false` by `Demo Loyalty`, `true` by `Demo Shipping` [`Demo Shipping` 2.0.0.0]"]
    main(["check", p["base"], p["loyalty"], p["shipping"], "--format", "json"])
    (conflict,) = json.loads(capsys.readouterr().out)["conflicts"]
    assert [(loc["file"].rsplit("/", 1)[1], loc["line"], loc["column"]) for loc in conflict["locations"]] == [
        ("LoyaltyCustomerCard.PageExt.al", loyalty_line, 13), ("ShippingCustomerCard.PageExt.al", shipping_line, 13)]
    main(["check", p["base"], p["loyalty"], p["shipping"], "--format", "sarif"])
    run = json.loads(capsys.readouterr().out)["runs"][0]
    assert "informationUri" not in run["tool"]["driver"]
    (result,) = run["results"]
    first = result["locations"][0]["physicalLocation"]
    related = result["relatedLocations"][0]["physicalLocation"]
    assert first["artifactLocation"]["uri"].endswith("LoyaltyCustomerCard.PageExt.al")
    assert first["region"]["startLine"] == loyalty_line
    assert related["artifactLocation"]["uri"].endswith("ShippingCustomerCard.PageExt.al")
    assert related["region"]["startLine"] == shipping_line


def test_layering_resolves_the_same_conflict(packages, capsys):
    cache, p = packages
    # loyalty-rewards depends on loyalty and sets Visible = true over it, as shipping does.
    assert main(["check", p["base"], p["loyalty"], p["loyalty-rewards"], p["shipping"]]) == 0


def test_json_output_and_dependencies_from_the_cache(packages, capsys):
    cache, p = packages
    code = main(["check", p["loyalty"], p["shipping"], "--packagecachepath", cache, "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    assert set(doc) == {"apps", "order", "conflicts", "warnings"}
    assert [a["name"] for a in doc["apps"]][0] == "Demo Base"  # taken from the cache
    (conflict,) = doc["conflicts"]
    assert conflict["kind"] == "property" and conflict["property"] == "Visible"
    assert conflict["object"] == {"type": "page", "id": 50000, "name": "Demo Customer Card"}
    assert sorted(conflict["values"]) == ["false", "true"]


def test_last_wins_turns_conflicts_into_warnings(packages, capsys):
    cache, p = packages
    assert main(["check", p["base"], p["loyalty"], p["shipping"], "--policy", "last-wins"]) == 0
    assert "warning ALC0301" in capsys.readouterr().out


def test_sarif(packages, capsys):
    cache, p = packages
    main(["check", p["base"], p["loyalty"], p["shipping"], "--format", "sarif"])
    assert json.loads(capsys.readouterr().out)["runs"][0]["results"][0]["ruleId"] == "ALC0301"


def test_merged_shows_provenance(packages, capsys):
    cache, p = packages
    assert main(["merged", 'page:"Demo Customer Card"', p["loyalty-rewards"], "--packagecachepath", cache]) == 0
    out = capsys.readouterr().out
    assert 'field("Reward Voucher Code"; Rec."Reward Voucher Code") // from Demo Loyalty Rewards' in out
    assert "group(Loyalty) // from Demo Loyalty" in out
    assert main(["merged", "page:50000", p["base"], "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("argv", [
    ["check", "nope.app"],
    ["merged", "page", "x.app"],
])
def test_bad_input_exits_2(argv, capsys):
    assert main(argv) == 2


def test_unknown_object_exits_2(packages, capsys):
    cache, p = packages
    assert main(["merged", "table:99999", p["base"]]) == 2
    assert "no table `99999`" in capsys.readouterr().err


def test_a_package_that_is_not_an_app_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.app"
    bad.write_bytes(b"NAVX" + b"\0" * 60)
    assert main(["check", str(bad)]) == 2
    assert "error" in capsys.readouterr().err



def test_two_versions_of_one_app(packages, tmp_path, capsys):
    """From a folder: the highest, with a warning; both named on the command line: exit 2."""
    import shutil
    from alc.build.compiler import CompileOptions, compile_project
    from apps import SAMPLES
    cache, p = packages
    folder = tmp_path / "loyalty-next"
    shutil.copytree(os.path.join(SAMPLES, "loyalty"), folder)
    text = (folder / "app.json").read_text()
    (folder / "app.json").write_text(text.replace('"version": "1.2.0.0"', '"version": "1.3.0.0"'))
    newer = tmp_path / "loyalty-1.3.app"
    assert compile_project(CompileOptions(project=str(folder), package_cache=(cache,), out=str(newer), jobs=1)).ok
    tenant = tmp_path / "tenant"
    tenant.mkdir()
    for name in ("base", "loyalty"):
        shutil.copy(p[name], tenant)
    shutil.copy(newer, tenant)
    assert main(["check", str(tenant), "--format", "json"]) == 0
    captured = capsys.readouterr()
    versions = {a["name"]: a["version"] for a in json.loads(captured.out)["apps"]}
    assert versions["Demo Loyalty"] == "1.3.0.0"
    assert "alc: warning: `Demo Loyalty` is given twice (1.2.0.0 in" in captured.err and "using 1.3.0.0" in captured.err
    assert main(["check", p["base"], p["loyalty"], str(newer)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("alc: error: `Demo Loyalty` is given twice: 1.2.0.0 (") and "give one of them" in err


def test_merged_marks_conflicts_and_exits_1(packages, capsys):
    cache, p = packages
    assert main(["merged", "page:50000", p["base"], p["loyalty"], p["shipping"]]) == 1
    out = capsys.readouterr().out
    assert ("Visible = true; // from Demo Shipping // CONFLICT ALC0301: false by Demo Loyalty, true by Demo Shipping"
            in out)
    assert out.rstrip().endswith("// 1 conflict in this object (alc check lists where each side is written)")
    assert main(["merged", "page:50000", p["base"], p["loyalty"], p["shipping"], "--format", "json"]) == 1
    assert [c["property"] for c in json.loads(capsys.readouterr().out)["conflicts"]] == ["Visible"]
    assert main(["merged", "page:50000", p["base"], p["loyalty"], p["loyalty-rewards"], p["shipping"]]) == 0


def test_merged_shows_extension_procedures_and_indents_trigger_code(packages, capsys):
    cache, p = packages
    assert main(["merged", "table:50000", p["base"], p["loyalty"]]) == 0
    out = capsys.readouterr().out
    assert ("    // added by Demo Loyalty (its tableextension)\n    procedure AddPoints(Points: Integer)\n    begin\n"
            '        "Loyalty Points" += Points;\n') in out
    assert main(["merged", "page:50000", p["base"], p["loyalty"]]) == 0
    lines = capsys.readouterr().out.splitlines()
    action = lines.index("            action(ResetPoints) // from Demo Loyalty")
    at = lines.index("                trigger OnAction()", action)
    assert lines[at + 1:at + 5] == ["                begin", '                    Rec."Loyalty Points" := 0;',
                                    "                    Rec.Modify();", "                end;"]
