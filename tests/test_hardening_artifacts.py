"""Untrusted input of rulesets (build/ruleset.py) and of `alc server runtime-package` (deploy/artifacts.py:
its license file and its output): one clear error and no internal error, within budgets, no file read twice,
nothing that is not a regular file read at all (issue 14, items 1, 3, 6 and 7)."""

from __future__ import annotations

import json
import os
import random
import time

import pytest

from alc.build.ruleset import MAX_INCLUDE_DEPTH, RuleSetError, load_ruleset
from alc.cli import main
from alc.deploy.artifacts import outside_ranges
from hardkit import write_project
from test_deploy_common import packages  # noqa: F401  (the session's compiled sample packages)

TRACKER = "Demo Tracker"


def _write(path, data) -> str:
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


# ----------------------------------------------------------------- rulesets --

@pytest.mark.parametrize("content, message", [
    ("[" * 10_000 + "]" * 10_000, "nests 10000 levels deep, over the limit of 64"),
    ('{"rules": [{"id": "A", "action": ' + "9" * 5000 + "}]}", "is not valid JSON"),
    ('{"name": "\\ud800", "rules": [}', "is not valid JSON"),
    ('{"rules": [{"id": "A", "action": "' + "x" * 100_000 + '"}]}', "got 'xxxxxxxxxx"),
])
def test_a_bad_ruleset_is_one_short_message(tmp_path, content, message):
    path = _write(tmp_path / "r.ruleset.json", content)
    with pytest.raises(RuleSetError) as info:
        load_ruleset(path)
    text = str(info.value)
    assert message in text and len(text) < 400 and "\n" not in text, text


def test_a_ruleset_over_the_size_budget_is_not_read(tmp_path):
    path = tmp_path / "big.ruleset.json"
    with open(path, "wb") as f:
        f.truncate(17 * 1024 * 1024)   # sparse: 17 MB of NULs, over the 16 MiB of small JSON files
    with pytest.raises(RuleSetError, match="bytes, over the limit of 16777216"):
        load_ruleset(str(path))


def test_special_files_and_bad_names_as_includes(tmp_path):
    os.mkfifo(tmp_path / "pipe.json")
    for include, message in (("pipe.json", "not a regular file (a FIFO)"), ("/dev/zero", "not a regular file"),
                             ("a\0b.json", "embedded null byte"), (".", "cannot read ruleset")):
        root = _write(tmp_path / "root.json", {"includedRuleSets": [{"path": include}]})
        started = time.perf_counter()
        with pytest.raises(RuleSetError) as info:
            load_ruleset(root)
        assert message in str(info.value) and time.perf_counter() - started < 5, str(info.value)
        assert "\0" not in str(info.value)


def test_includes_of_includes_are_read_once(tmp_path):
    """25 files, each including the next one twice: 2^25 readings before, 25 now."""
    for i in range(25):
        includes = [{"path": f"r{i + 1}.json"}] * 2 if i < 24 else []
        _write(tmp_path / f"r{i}.json", {"rules": [{"id": f"A{i}", "action": "Error"}],
                                        "includedRuleSets": includes})
    started = time.perf_counter()
    ruleset = load_ruleset(str(tmp_path / "r0.json"))
    assert len(ruleset.rules) == 25 and time.perf_counter() - started < 5


def test_includes_nest_within_a_limit(tmp_path):
    count = MAX_INCLUDE_DEPTH + 5
    for i in range(count):
        _write(tmp_path / f"r{i}.json", {"includedRuleSets": [{"path": f"r{i + 1}.json"}] if i < count - 1 else []})
    with pytest.raises(RuleSetError, match=f"includes nest more than {MAX_INCLUDE_DEPTH} levels deep"):
        load_ruleset(str(tmp_path / "r0.json"))
    assert load_ruleset(str(tmp_path / f"r{count - MAX_INCLUDE_DEPTH}.json")).rules == {}


def test_a_deep_ruleset_in_app_json_is_a_diagnostic_and_exit_2(tmp_path, capsys):
    folder = write_project(str(tmp_path / "p"), ruleSetPath="deep.ruleset.json")
    _write(tmp_path / "p" / "deep.ruleset.json", "[" * 100_000 + "]" * 100_000)
    assert main(["compile", "--project", folder, "--out", str(tmp_path / "o.app")]) == 2
    captured = capsys.readouterr()
    assert "error ALC0414: ruleset" in captured.out and "over the limit of 64" in captured.out
    assert "internal error" not in captured.out + captured.err


# ---------------------------------------------------------- runtime-package --

@pytest.fixture
def published(tmp_path, packages, capsys):
    db = str(tmp_path / "server")
    assert main(["server", "init", "--db", db, "--platform", "26.0.0.0"]) == 0
    assert main(["server", "publish", "--db", db, packages["base"], packages["tracker-1"]]) == 0
    capsys.readouterr()
    return db


def _runtime(capsys, db, *args) -> tuple:
    code = main(["server", "runtime-package", TRACKER, "--version", "1.0.0.0", "--db", db, *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("content, message", [
    ("[" * 100_000 + "]" * 100_000, "nests 100000 levels deep, over the limit of 64"),
    ('{"ranges": [{"from": Infinity, "to": 5}]}', "`ranges[0].from` must be an integer"),
    ('{"ranges": [{"from": 1, "to": ' + "9" * 5000 + "}]}", "not valid JSON"),
    ('{"ranges": [{"from": "²", "to": 5}]}', "`ranges[0].from` must be an integer"),
    ('{"ranges": [{"from": 1, "to": 5, "type": 7}]}', "`ranges[0].type` must be a string"),
    ('{"ranges": {"from": 1}}', "`ranges` must be an array"),
    ('{"ranges": [5]}', "`ranges[0]` must be an object"),
    ('{"ranges": [{"from": 1}]}', "`ranges[0].to` must be an integer"),
])
def test_a_bad_license_is_one_line_and_exit_2(tmp_path, capsys, published, content, message):
    lic = _write(tmp_path / "license.json", content)
    out = tmp_path / "x.app"
    code, text = _runtime(capsys, published, "--out", str(out), "--license", lic)
    lines = [line for line in text.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and "cannot read license file" in lines[0] and message in lines[0], text
    assert not out.exists()


def test_a_license_that_is_a_fifo_is_refused_unread(tmp_path, capsys, published):
    from alc.deploy import DeployUsageError
    from alc.deploy.artifacts import read_license
    os.mkfifo(tmp_path / "license.json")
    started = time.perf_counter()
    with pytest.raises(DeployUsageError, match=r"license\.json`: not a regular file \(a FIFO\)"):
        read_license(str(tmp_path / "license.json"))
    code, text = _runtime(capsys, published, "--out", str(tmp_path / "x.app"), "--license",
                          str(tmp_path / "license.json"))
    assert code == 2 and "is not a regular file" in text and time.perf_counter() - started < 10, text


@pytest.mark.parametrize("target, message", [("/dev/null", "is not a regular file (a character device)"),
                                             (".", "is a folder"), ("missing/x.app", "its folder does not exist")])
def test_runtime_package_output_is_checked_first(tmp_path, capsys, published, target, message):
    out = target if target.startswith("/") else str(tmp_path / target)
    code, text = _runtime(capsys, published, "--out", out)
    lines = [line for line in text.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and f"cannot write `{out}`: {message}" in lines[0], text
    assert "internal error" not in text


def test_many_licensed_ranges_are_searched_not_scanned():
    """200,000 ranges and 20,000 objects (a scan was 4e9 comparisons): the same answer as a scan on a sample."""
    rng = random.Random(5)
    kinds = ["table", "page", "codeunit", None]
    ranges = [(lo, lo + rng.randrange(50), rng.choice(kinds)) for lo in (rng.randrange(10**6) for _ in range(200_000))]
    objects = [{"kind": rng.choice(kinds[:3]), "id": rng.randrange(10**6), "name": f"O{i}"} for i in range(20_000)]
    started = time.perf_counter()
    found = outside_ranges(objects, ranges)
    assert time.perf_counter() - started < 10
    sample = objects[:300]
    scanned = [o for o in sample if not any(lo <= o["id"] <= hi and (k is None or k == o["kind"])
                                           for lo, hi, k in ranges)]
    assert [o for o in found if o in sample] == scanned
