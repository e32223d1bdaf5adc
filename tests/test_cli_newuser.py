"""What a new user tripped on, each pinned by a test (issue 13, item 6)."""

import json
import os
import re
import shutil

import pytest

from alc.cli import _parser, main

from apps import ROOT, SAMPLES, compile_samples


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("cache"))
    compile_samples(folder)
    return folder


def _one_line_error(capsys) -> str:
    captured = capsys.readouterr()
    lines = [line for line in (captured.out + captured.err).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    return lines[0]


def test_compile_takes_the_project_folder_as_a_positional_argument(cache, tmp_path, capsys):
    out = tmp_path / "base.app"
    assert main(["compile", os.path.join(SAMPLES, "base"), "--packagecachepath", cache, "--out", str(out)]) == 0
    assert out.is_file()
    capsys.readouterr()
    assert main(["compile", os.path.join(SAMPLES, "base"), "--project", os.path.join(SAMPLES, "loyalty")]) == 2
    assert "two project folders given" in _one_line_error(capsys)


def test_check_and_merged_take_a_folder_of_packages(cache, tmp_path, capsys):
    folder = tmp_path / "tenant"
    folder.mkdir()
    for name in ("base", "loyalty", "loyalty-rewards", "shipping"):
        shutil.copy(os.path.join(cache, f"{name}.app"), folder)
    assert main(["check", str(folder), "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["apps"]) == 4
    assert main(["merged", "table:50000", str(folder), "--format", "json"]) == 0
    capsys.readouterr()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["check", str(empty)]) == 2
    assert _one_line_error(capsys) == f"alc: error: no .app packages in folder: {empty}"


def test_out_into_a_missing_folder_fails_before_compiling(tmp_path, capsys):
    target = tmp_path / "no" / "such" / "x.app"
    assert main(["compile", os.path.join(SAMPLES, "base"), "--out", str(target)]) == 2
    assert _one_line_error(capsys) == f"alc: error: the folder of --out does not exist: {target.parent}"


def test_a_missing_default_package_cache_is_named(tmp_path, capsys):
    project = tmp_path / "loyalty"
    shutil.copytree(os.path.join(SAMPLES, "loyalty"), project)
    assert main(["compile", str(project), "--out", str(tmp_path / "l.app"), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    missing = [d for d in report["diagnostics"] if d["code"] == "ALC0240"]
    assert missing and f"the default package cache `{project / '.alpackages'}` does not exist" in missing[0]["help"]


def test_every_option_has_help_text():
    parser = _parser()
    missing = []
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for name, sub in commands.items():
        for action in sub._actions:
            if action.dest != "help" and not action.help:
                missing.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
    assert missing == []


def test_exit_codes_are_in_the_help(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "exit codes: 0 success" in text and "1 diagnostics" in text and "2 unusable input" in text


def test_explain_lists_every_code(capsys):
    from alc.diagnostics import CODES
    assert main(["explain", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == sorted(CODES)
    assert "ALC0101  syntax error" in lines
    assert main(["explain"]) == 2


def test_the_license_format_is_in_compile_help(capsys):
    with pytest.raises(SystemExit):
        main(["compile", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert 'license file (--license): JSON, {"ranges": [{"from": 50000, "to": 50199}' in text


@pytest.mark.parametrize("content, message", [
    ("{bad", "is not valid JSON"),
    ('{"ranges": [{"from": "a", "to": 5}]}', 'must look like {"ranges": [{"from": 50000'),
    ('[1, 2]', 'must look like'),
])
def test_a_bad_license_file_is_one_message_and_exit_2(tmp_path, capsys, content, message):
    lic = tmp_path / "license.json"
    lic.write_text(content)
    code = main(["compile", os.path.join(SAMPLES, "base"), "--out", str(tmp_path / "b.app"), "--runtime",
                 "--license", str(lic)])
    assert code == 2 and not (tmp_path / "b.app").exists()
    line = _one_line_error(capsys)
    assert "error ALC0450: license file" in line and message in line


ENTITLEMENT_APP = """permissionset 60800 "Ent Demo Read"
{
    Assignable = true;
    Permissions = codeunit "Ent Demo" = X;
}

codeunit 60800 "Ent Demo" { }

entitlement "Ent Demo Delegated"
{
    Type = Role;
    RoleType = Delegated;
    ObjectEntitlements = "Ent Demo Read";
}
"""


def test_inspect_lists_entitlements(tmp_path, capsys):
    project = tmp_path / "ent"
    project.mkdir()
    (project / "app.json").write_text(json.dumps({
        "id": "11111111-0000-4000-8000-0000000000e1", "name": "Ent Demo", "publisher": "alc tests",
        "version": "1.0.0.0", "idRanges": [{"from": 60800, "to": 60899}]}))
    (project / "Ent.al").write_text(ENTITLEMENT_APP)
    out = tmp_path / "ent.app"
    assert main(["compile", str(project), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["inspect", str(out)]) == 0
    text = capsys.readouterr().out
    assert 'entitlements (1):\n  "Ent Demo Delegated" (type Role, role Delegated): "Ent Demo Read"' in text
    assert main(["inspect", str(out), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["entitlements"][0]["name"] == "Ent Demo Delegated"


def test_merged_says_the_kind_is_unknown(cache, capsys):
    assert main(["merged", "pag:X", os.path.join(cache, "base.app")]) == 2
    line = _one_line_error(capsys)
    assert line.startswith("alc: error: unknown object kind `pag`; did you mean `page`? (kinds: ")


def test_readme_gives_powershell_set_up_and_the_python_version():
    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    pyproject = open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8").read()
    version = re.search(r'requires-python = ">=(\d+\.\d+)"', pyproject).group(1)
    assert f"Python {version} or newer" in readme
    assert readme.count("```powershell") >= 2 and "Activate.ps1" in readme
