"""`alc parse`: output formats, exit codes, preprocessor symbols, workers."""

import json
import os
from pathlib import Path

import pytest

from alc.cli import main

GOOD_TABLE = """\
table 50100 "Fleet Vehicle"
{
    fields
    {
        field(1; "No."; Code[20]) { }
    }
}
"""

GOOD_CODEUNIT = """\
codeunit 50101 "Fleet Mgt."
{
    procedure P()
    begin
        Message('ok');
    end;
}
"""

BROKEN = """\
codeunit 50102 Broken
{
    procedure P()
    begin
        X := ;
    end;
}

enum 50103 "Fleet Kind"
{
    value(0; Car) { }
}
"""

NEEDS_SYMBOLS = """\
#if FOO and BAR
codeunit 50104 Configured { }
#elif FOO
codeunit 50104 OnlyFoo { this is not AL }
#else
codeunit 50104 Unconfigured { neither is this }
#endif
"""


def write(folder: Path, files: dict) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with a good and a broken file; the current folder is its parent."""
    write(tmp_path / "app", {
        "src/Vehicle.Table.al": GOOD_TABLE,
        "src/Mgt.Codeunit.al": GOOD_CODEUNIT,
        "src/broken/Broken.Codeunit.al": BROKEN,
        "src/notes.txt": "not AL, not parsed",
    })
    monkeypatch.chdir(tmp_path)
    return tmp_path / "app"


def run(capsys, *args):
    code = main(["parse", *args])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *args):
    code, out, err = run(capsys, *args, "--format", "json")
    return code, json.loads(out), err


# ------------------------------------------------------------- text output --

def test_text_diagnostics_are_relative_to_the_current_folder(project, capsys):
    code, out, err = run(capsys, "app")
    expected = os.path.join("app", "src", "broken", "Broken.Codeunit.al")
    assert out == f"{expected}(5,14): error ALC0101: unexpected `;`\n"
    assert code == 1 and err == ""


def test_absolute_paths_are_printed_relative_too(project, capsys):
    code, out, _ = run(capsys, str(project / "src" / "broken" / "Broken.Codeunit.al"))
    assert out.startswith(os.path.join("app", "src", "broken", "Broken.Codeunit.al") + "(5,14): ")


def test_path_relative_from_inside_the_project(project, capsys, monkeypatch):
    monkeypatch.chdir(project / "src")
    code, out, _ = run(capsys, ".")
    assert out == os.path.join("broken", "Broken.Codeunit.al") + "(5,14): error ALC0101: unexpected `;`\n"


def test_clean_file_prints_nothing_and_exits_0(project, capsys):
    assert run(capsys, "app/src/Vehicle.Table.al") == (0, "", "")


def test_stats(project, capsys):
    code, out, _ = run(capsys, "app", "--stats")
    assert code == 1
    assert "files: 3 (1 with errors)" in out
    assert "objects: 3 (codeunit 1, enum 1, table 1)" in out


def test_text_output_matches_the_diagnostics_goldens(capsys, monkeypatch):
    """`alc parse` prints what tests/data/diagnostics/*.stderr hold."""
    root = Path(__file__).parent.parent
    monkeypatch.chdir(root)
    code, out, _ = run(capsys, "tests/data/diagnostics", "-j", "1")
    folder = root / "tests" / "data" / "diagnostics"
    expected = "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.stderr")))
    assert code == 1
    assert sorted(out.splitlines()) == sorted(expected.splitlines())


# ------------------------------------------------------------- json output --

def test_json_is_one_object_with_the_documented_keys(project, capsys):
    code, data, err = run_json(capsys, "app")
    assert code == 1 and err == ""
    assert set(data) == {"files", "files_with_errors", "objects", "lines", "bytes", "seconds", "diagnostics"}
    assert data["files"] == 3
    assert data["files_with_errors"] == 1
    assert data["objects"] == {"table": 1, "codeunit": 1, "enum": 1}
    sources = [GOOD_TABLE, GOOD_CODEUNIT, BROKEN]
    assert data["bytes"] == sum(len(s.encode()) for s in sources)
    assert data["lines"] == sum(s.count("\n") + 1 for s in sources)
    assert isinstance(data["seconds"], float) and data["seconds"] >= 0
    assert data["diagnostics"] == [{
        "code": "ALC0101", "severity": "error", "message": "unexpected `;`",
        "file": os.path.join("app", "src", "broken", "Broken.Codeunit.al"), "line": 5, "column": 14,
    }]


def test_json_object_kinds_are_lowercase_as_in_al(tmp_path, monkeypatch, capsys):
    write(tmp_path, {"all.al": """\
        TABLE 50100 T { }
        PageExtension 50101 P extends "Customer Card" { }
        ControlAddIn C { }
        XmlPort 50102 X { }
        permissionsetextension 50103 PSE extends "D365 BASIC" { }
    """})
    monkeypatch.chdir(tmp_path)
    code, data, _ = run_json(capsys, "all.al")
    assert code == 0
    assert data["objects"] == {"table": 1, "pageextension": 1, "controladdin": 1, "xmlport": 1,
                               "permissionsetextension": 1}


def test_json_on_a_clean_file(project, capsys):
    code, data, _ = run_json(capsys, "app/src/Mgt.Codeunit.al")
    assert code == 0
    assert (data["files"], data["files_with_errors"], data["objects"], data["diagnostics"]) == (1, 0, {"codeunit": 1}, [])


# -------------------------------------------------------------- exit codes --

def test_missing_path_exits_2(project, capsys):
    code, out, err = run(capsys, "app", "no/such/folder")
    assert code == 2
    assert out == ""
    assert "no/such/folder" in err and err.startswith("alc: error:")


def test_missing_path_exits_2_in_json_mode_too(project, capsys):
    code, out, err = run(capsys, "nothing.al", "--format", "json")
    assert code == 2 and out == ""


def test_syntax_error_exits_1(project, capsys):
    assert run(capsys, "app/src/broken")[0] == 1


def test_bad_jobs_exits_2(project, capsys):
    assert run(capsys, "app", "-j", "0")[0] == 2


def test_no_command_exits_2(capsys):
    assert main([]) == 2


def test_unknown_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["parse", "--no-such-option", "x"])
    assert exc.value.code == 2


def test_a_folder_without_al_files_is_unusable_input(tmp_path, monkeypatch, capsys):
    """A new user pointing `alc parse` at the wrong folder is told so, not given an empty success."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("x")
    assert main(["parse", "."]) == 2
    assert capsys.readouterr().err.strip() == "alc: error: no .al files in ."


# ------------------------------------------------------ preprocessor symbols --

def test_define_takes_effect(tmp_path, monkeypatch, capsys):
    write(tmp_path, {"Cfg.Codeunit.al": NEEDS_SYMBOLS})
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "Cfg.Codeunit.al")[0] == 1
    assert run(capsys, "Cfg.Codeunit.al", "--define", "FOO")[0] == 1
    assert run(capsys, "Cfg.Codeunit.al", "--define", "FOO", "-D", "BAR") == (0, "", "")


def test_app_json_preprocessor_symbols_take_effect(tmp_path, monkeypatch, capsys):
    write(tmp_path / "app", {
        "app.json": json.dumps({"name": "Fleet", "preprocessorSymbols": ["FOO", "BAR"]}),
        "src/Cfg.Codeunit.al": NEEDS_SYMBOLS,
    })
    write(tmp_path / "other", {"src/Cfg.Codeunit.al": NEEDS_SYMBOLS})
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "app")[0] == 0
    assert run(capsys, "other")[0] == 1


def test_app_json_symbols_and_define_add_up(tmp_path, monkeypatch, capsys):
    write(tmp_path, {
        "app.json": "\ufeff" + json.dumps({"preprocessorSymbols": ["FOO"]}),  # a BOM, as VS Code may write
        "src/Cfg.Codeunit.al": NEEDS_SYMBOLS,
    })
    monkeypatch.chdir(tmp_path)
    assert run(capsys, ".")[0] == 1
    assert run(capsys, ".", "--define", "BAR")[0] == 0


def test_broken_app_json_is_ignored(tmp_path, monkeypatch, capsys):
    write(tmp_path, {"app.json": "{ not json", "a.al": GOOD_CODEUNIT})
    monkeypatch.chdir(tmp_path)
    assert run(capsys, ".") == (0, "", "")


# ------------------------------------------------------------------ workers --

def test_two_jobs_give_the_same_result_as_one(tmp_path, monkeypatch, capsys):
    files = {}
    for i in range(12):  # enough files for the process pool to be used
        files[f"src/T{i:02}.Table.al"] = GOOD_TABLE.replace("50100", str(50100 + i))
        files[f"src/B{i:02}.Codeunit.al"] = BROKEN if i % 3 == 0 else GOOD_CODEUNIT
    write(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    code1, one, _ = run_json(capsys, "src", "-j", "1")
    code2, two, _ = run_json(capsys, "src", "-j", "2")
    code3, text1, _ = run(capsys, "src", "-j", "1")
    code4, text2, _ = run(capsys, "src", "-j", "2")
    del one["seconds"], two["seconds"]
    assert (code1, one) == (code2, two)
    assert one["files"] == 24 and one["files_with_errors"] == 4
    assert (code3, text1) == (code4, text2) and code3 == 1
