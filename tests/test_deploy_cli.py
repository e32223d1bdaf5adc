"""`alc server` on the command line: exit codes (0, 1 for a refusal, 2 for bad input),
one-line errors, JSON outputs, `--db` and its defaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from alc.cli import main
from test_deploy_common import ROOT, db, packages  # noqa: F401


def run(capsys, *args):
    code = main(["server", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_readme_walk_through(db, packages, capsys):
    p = packages
    assert run(capsys, "init", "--db", db, "--platform", "26.0.0.0")[0] == 0
    code, out, _ = run(capsys, "publish", p["base"], p["loyalty"], p["shipping"], "--db", db)
    assert code == 0 and out.splitlines()[0].startswith("Published Demo Base by alc samples 1.0.0.0 (global scope")
    assert run(capsys, "tenant", "add", "t1", "--company", "CRONUS", "--db", db)[0] == 0
    code, out, _ = run(capsys, "install", "Demo Loyalty", "--tenant", "t1", "--db", db)
    assert code == 0 and out.splitlines()[-1] == "Installed Demo Loyalty by alc samples 1.2.0.0 on tenant t1"
    code, out, err = run(capsys, "install", "Demo Shipping", "--tenant", "t1", "--db", db)
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1 and err.startswith("error ALC0511: Cannot install the extension Demo Shipping")
    code, out, _ = run(capsys, "info", "--tenant", "t1", "--format", "json", "--db", db)
    doc = json.loads(out)
    assert [(a["name"], a["installed"]) for a in doc["apps"]] == [("Demo Base", True), ("Demo Loyalty", True),
                                                                  ("Demo Shipping", False)]
    code, out, _ = run(capsys, "allobj", "--tenant", "t1", "--format", "json", "--db", db)
    objects = json.loads(out)["objects"]
    assert {"type": "tableextension", "id": 50100, "name": "Loyalty Customer",
            "app_id": "7b1c9d44-2e3f-4a5b-8c6d-1e2f3a4b5c62",
            "app_package_id": doc["apps"][1]["package_id"]} in objects
    code, out, _ = run(capsys, "merged", "page:50000", "--tenant", "t1", "--db", db)
    assert code == 0 and "// from Demo Loyalty" in out


def test_reports_as_json(db, packages, capsys):
    run(capsys, "publish", packages["base"], packages["tracker-1"], "--db", db)
    run(capsys, "tenant", "add", "t1", "--company", "CRONUS", "--db", db)
    code, out, _ = run(capsys, "install", "Demo Tracker", "--tenant", "t1", "--format", "json", "--db", db)
    doc = json.loads(out)
    assert code == 0 and set(doc) == {"steps", "triggers", "warnings"}
    assert doc["triggers"][0] == {"app": "Demo Tracker by alc tests 1.0.0.0", "codeunit_id": 50300,
                                  "codeunit": "Tracker Install", "trigger": "OnInstallAppPerCompany",
                                  "company": "CRONUS", "app_version": "1.0.0.0", "data_version": "0.0.0.0"}


@pytest.mark.parametrize("args", [
    ["install", "Demo Base", "--tenant", "nobody"],
    ["install", "No Such App", "--tenant", "t1"],
    ["install", "Demo Base", "--tenant", "t1", "--version", "one"],
    ["install", "Demo Base"],
    ["install", "Demo Base", "--tenant", "t1", "--policy", "sometimes"],
    ["publish", "no-such-file.app"],
    ["sync", "Demo Base", "--tenant", "t1", "--mode", "sideways"],
    ["frobnicate"],
    ["tenant", "add", "../x"],
    ["merged", "page", "--tenant", "t1"],
])
def test_bad_input_is_one_line_and_exit_2(db, packages, capsys, args):
    run(capsys, "publish", packages["base"], "--db", db)
    run(capsys, "tenant", "add", "t1", "--db", db)
    code, out, err = run(capsys, *args, "--db", db)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("alc server: error: "), err


def test_commands_on_a_missing_database_are_bad_input(tmp_path, capsys):
    code, _, err = run(capsys, "info", "--db", str(tmp_path / "none"))
    assert code == 2 and "alc server init" in err
    assert not (tmp_path / "none").exists()


def test_the_default_database_is_alc_server_in_the_current_folder(tmp_path, monkeypatch, packages, capsys):
    monkeypatch.delenv("ALC_SERVER_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "publish", packages["base"])[0] == 0
    assert (tmp_path / ".alc-server" / "application.db").is_file()
    monkeypatch.setenv("ALC_SERVER_DB", str(tmp_path / "elsewhere"))
    assert run(capsys, "tenant", "add", "t1")[0] == 0
    assert (tmp_path / "elsewhere" / "tenants" / "t1.db").is_file()
    code, out, _ = run(capsys, "info", "--format", "json")
    assert json.loads(out) == {"apps": []}


def test_no_traceback_in_a_real_process(tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop("ALC_DEBUG", None)
    done = subprocess.run([sys.executable, "-m", "alc", "server", "install", "X", "--tenant", "t",
                           "--db", str(tmp_path / "srv")], capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.returncode == 2 and "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1


def test_explain_a_deploy_code(capsys):
    assert main(["explain", "ALC0511"]) == 0
    assert capsys.readouterr().out.startswith("ALC0511: install conflict")
