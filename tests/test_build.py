"""`alc build`: every project under some folders, in dependency order, in parallel, with progress."""

import json
import os
import pty
import re
import shutil
import subprocess
import sys

import pytest

from alc.cli import main
from alc.build.workspace import Project, discover_projects, plan

from apps import ROOT, SAMPLES


def _build_json(capsys, *argv):
    code = main(["build", *argv, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def _app(folder, name, app_id, deps=(), source=None, **extra):
    folder.mkdir(parents=True)
    manifest = {"id": app_id, "name": name, "publisher": "alc tests", "version": "1.0.0.0",
                "idRanges": [{"from": 70000, "to": 70999}],
                "dependencies": [{"id": d_id, "name": d_name, "publisher": "alc tests", "version": "1.0.0.0"}
                                 for d_name, d_id in deps], **extra}
    (folder / "app.json").write_text(json.dumps(manifest))
    number = 70000 + sum(map(ord, name)) % 900
    (folder / "Main.Codeunit.al").write_text(source or f'codeunit {number} "{name} Main" {{ }}\n')


A_ID, B_ID, C_ID = (f"22222222-0000-4000-8000-00000000000{i}" for i in (1, 2, 3))


def test_samples_build_in_dependency_order(tmp_path, capsys):
    out = tmp_path / "out"
    code, report = _build_json(capsys, SAMPLES, "--out", str(out), "-j", "2")
    assert code == 0 and report["ok"]
    names = [p["name"] for p in report["projects"]]
    assert sorted(names) == ["Demo Base", "Demo Loyalty", "Demo Loyalty Rewards", "Demo Shipping", "Hello alc"]
    assert names.index("Demo Base") < names.index("Demo Loyalty") < names.index("Demo Loyalty Rewards")
    for p in report["projects"]:
        assert p["status"] == "ok" and os.path.isfile(p["output"]) and os.path.dirname(p["output"]) == str(out)
        assert p["objects"] > 0 and p["errors"] == 0 and p["seconds"] >= 0


def test_a_failed_project_stops_only_what_depends_on_it(tmp_path, capsys):
    samples = tmp_path / "samples"
    shutil.copytree(SAMPLES, samples)
    broken = samples / "loyalty" / "src" / "Broken.Codeunit.al"
    broken.write_text("codeunit 50149 Broken { procedure X() begin if then; end; }\n")
    code, report = _build_json(capsys, str(samples), "--out", str(tmp_path / "out"))
    assert code == 1 and not report["ok"]
    status = {p["name"]: p for p in report["projects"]}
    assert status["Demo Loyalty"]["status"] == "failed" and status["Demo Loyalty"]["errors"] == 1
    assert status["Demo Loyalty"]["diagnostics"][0]["code"] == "ALC0101"
    assert status["Demo Loyalty Rewards"]["status"] == "skipped"
    assert status["Demo Loyalty Rewards"]["message"] == "not built: dependency `Demo Loyalty` failed"
    assert {status[n]["status"] for n in ("Demo Base", "Demo Shipping", "Hello alc")} == {"ok"}


def test_a_cycle_is_one_error_naming_its_path(tmp_path, capsys):
    _app(tmp_path / "a", "Alpha", A_ID, deps=[("Beta", B_ID)])
    _app(tmp_path / "b", "Beta", B_ID, deps=[("Alpha", A_ID)])
    _app(tmp_path / "c", "Gamma", C_ID)
    code, report = _build_json(capsys, str(tmp_path), "--out", str(tmp_path / "out"))
    assert code == 1
    status = {p["name"]: p for p in report["projects"]}
    assert status["Gamma"]["status"] == "ok"
    for name in ("Alpha", "Beta"):
        assert status[name]["status"] == "failed"
        assert status[name]["message"] in ("dependency cycle: Alpha --> Beta --> Alpha",
                                           "dependency cycle: Beta --> Alpha --> Beta")


def test_two_projects_with_one_app_id_fail(tmp_path, capsys):
    _app(tmp_path / "a", "Alpha", A_ID)
    _app(tmp_path / "a2", "Alpha Copy", A_ID)
    code, report = _build_json(capsys, str(tmp_path), "--out", str(tmp_path / "out"))
    assert code == 1 and [p["status"] for p in report["projects"]] == ["failed", "failed"]
    assert "is used by two projects" in report["projects"][0]["message"]


def test_the_application_dependency_orders_after_the_base_application(tmp_path):
    base_id = "437dbf0e-84ff-417a-965d-ed2bb9650972"
    _app(tmp_path / "z-base", "Zeta Base", base_id)
    _app(tmp_path / "a-ext", "Alpha Ext", A_ID, application="1.0.0.0")
    p = plan(discover_projects([str(tmp_path)]))
    assert [x.name for x in p.projects] == ["Zeta Base", "Alpha Ext"]
    assert p.weight[str(tmp_path / "z-base")] == 1


def test_unusable_app_json_is_exit_2_and_the_rest_builds(tmp_path, capsys):
    _app(tmp_path / "a", "Alpha", A_ID)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "app.json").write_text("{not json")
    code, report = _build_json(capsys, str(tmp_path), "--out", str(tmp_path / "out"))
    status = {os.path.basename(p["project"]): p for p in report["projects"]}
    assert code == 2 and status["a"]["status"] == "ok" and status["bad"]["status"] == "unusable"
    assert status["bad"]["diagnostics"][0]["code"] == "ALC0401"


def test_warning_options_apply_to_every_project(tmp_path, capsys):
    _app(tmp_path / "a", "Alpha", A_ID, source='codeunit 70001 "Alpha Main" { var C: Record Company; }\n')
    code, report = _build_json(capsys, str(tmp_path), "--out", str(tmp_path / "o1"))
    assert code == 0 and report["projects"][0]["warnings"] == 1
    code, report = _build_json(capsys, str(tmp_path), "--out", str(tmp_path / "o2"), "--warnaserror")
    assert code == 1 and report["projects"][0]["errors"] == 1
    code, report = _build_json(capsys, str(tmp_path), "--out", str(tmp_path / "o3"), "--nowarn", "ALC0221")
    assert code == 0 and report["projects"][0]["suppressed"] == 1


def test_plain_progress_and_summary_when_not_a_terminal(tmp_path, capsys):
    assert main(["build", SAMPLES, "--out", str(tmp_path / "out"), "-j", "1"]) == 0
    out = capsys.readouterr().out
    assert "] Demo Base 1.0.0.0: started (1 core)" in out
    assert "] Demo Base 1.0.0.0: parsing 9 files" in out
    assert "] Demo Loyalty Rewards 1.0.0.0: ok: 3 objects from 3 files" in out
    lines = out.splitlines()
    header = lines.index(next(line for line in lines if line.startswith("project ")))
    assert lines[header].split() == ["project", "status", "objects", "errors", "warnings", "seconds"]
    assert lines[-1].startswith("5 of 5 projects built in ") and lines[-1].endswith(" on 1 core")


def test_generated_benchmark_graph(tmp_path, capsys):
    gen = tmp_path / "gen"
    assert main(["generate", str(gen), "--tables", "20", "--pages", "20", "--codeunits", "10", "--extensions", "6",
                 "--deltas", "6", "--depth", "3", "--conflict-rate", "0"]) == 0
    capsys.readouterr()
    code, report = _build_json(capsys, str(gen), "--out", str(tmp_path / "out"))
    assert code == 0 and len(report["projects"]) == 7
    assert report["projects"][0]["name"] == json.loads((gen / "base" / "app.json").read_text())["name"]


def _in_a_terminal(argv, cwd) -> str:
    """Run `alc ARGV` in a pseudo-terminal; what it wrote (exit code 0 asserted)."""
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm", "PYTHONPATH": ROOT}
    proc = subprocess.Popen([sys.executable, "-m", "alc", *argv], stdin=slave, stdout=slave, stderr=slave,
                            env=env, cwd=str(cwd))
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=120) == 0
    text = b"".join(chunks).decode("utf-8", "replace")
    return text


def test_live_progress_in_a_pseudo_terminal(tmp_path):
    """On a terminal: a live table redrawn in place, then the summary table (rich)."""
    text = _in_a_terminal(["build", SAMPLES, "--out", str(tmp_path / "out")], tmp_path)
    assert "alc build: " in text and "projects, " in text           # the live table's title
    assert "\x1b[1A\x1b[2K" in text                                   # redrawn in place
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    assert "┃ project" in plain and "│ Demo Loyalty Rewards 1.0.0.0 │ ok" in plain
    assert "alc build summary" in plain and "5 of 5 projects built in" in plain


def test_bad_input(tmp_path, capsys):
    assert main(["build", str(tmp_path / "nope")]) == 2
    assert main(["build", str(tmp_path)]) == 2
    assert "no projects (app.json) in" in capsys.readouterr().err
    assert main(["build", SAMPLES, "--out", str(tmp_path / "x" / "y")]) == 2


def test_compile_shows_its_stages_on_a_terminal(tmp_path):
    text = _in_a_terminal(["compile", os.path.join(SAMPLES, "base"), "--out", str(tmp_path / "b.app")], tmp_path)
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    assert "alc compile base: parsing 9 files (" in plain and "alc compile base: checking (" in plain
    assert "wrote " in plain


def test_an_app_json_inside_a_project_belongs_to_it(tmp_path):
    """(The System Application keeps an app.json in each module folder.)"""
    _app(tmp_path / "outer", "Outer", A_ID)
    _app(tmp_path / "outer" / "module", "Module", B_ID)
    _app(tmp_path / "other", "Other", C_ID)
    assert [p.name for p in discover_projects([str(tmp_path)])] == ["Other", "Outer"]


def test_a_project_most_others_wait_for_gets_every_core(tmp_path, capsys):
    """(The System and Base Application of a workspace: the build waits for them.)"""
    _app(tmp_path / "base", "Base", A_ID)
    for i in range(5):
        _app(tmp_path / f"ext{i}", f"Ext {i}", f"44444444-0000-4000-8000-00000000000{i}", deps=[("Base", A_ID)])
    _app(tmp_path / "lone", "Lone", C_ID)
    assert main(["build", str(tmp_path), "--out", str(tmp_path / "out"), "-j", "2", "--progress", "plain"]) == 0
    out = capsys.readouterr().out
    assert "] Base 1.0.0.0: started (2 cores)" in out
    assert "] Lone 1.0.0.0: started (1 core)" in out
