"""Writer = reader (issue 14, item 4): what a reader would refuse is a compile
error with the reader's code, and no package is written; and the inputs that
were quadratic (conflicts in `alc check`'s report, `#define` lines, idRanges)
are linear."""

from __future__ import annotations

import json
import os
import time

import pytest

from alc.cli import main
from hardkit import write_project


def _compile(capsys, project, out):
    code = main(["compile", "--project", project, "--out", out, "-j", "1"])
    text = "".join(capsys.readouterr())
    assert "internal error" not in text
    return code, text


@pytest.mark.parametrize("case, code, message", [
    ("names differing in case", "ALC0427", "entry `src/c0.codeunit.al` appears twice"),
    ("repetitive source", "ALC0425", "entry `src/Big.al` expands"),
    ("control character in the name", "ALC0428", "NavxManifest.xml is not well-formed XML"),
    ("huge description", "ALC0425", "entry `NavxManifest.xml` expands"),
])
def test_what_readers_refuse_is_a_compile_error(tmp_path, capsys, case, code, message):
    project = str(tmp_path / "p")
    if case == "names differing in case":
        write_project(project, objects=1)
        with open(os.path.join(project, "c0.codeunit.al"), "w") as f:
            f.write("codeunit 50150 Other { }")
    elif case == "repetitive source":
        write_project(project, objects=1)
        with open(os.path.join(project, "Big.al"), "w") as f:
            f.write("codeunit 50150 Big { }\n// " + "a" * 3_000_000 + "\n")
    elif case == "control character in the name":
        write_project(project, objects=1, name="Bad\u0001Name")
    else:
        write_project(project, objects=1, description="x" * 3_000_000)
    out = str(tmp_path / "x.app")
    exit_code, text = _compile(capsys, project, out)
    assert exit_code == 1 and f"error {code}: the package would be refused when read: " in text and message in text
    assert not os.path.exists(out) and not [n for n in os.listdir(tmp_path) if n.endswith(".alc-tmp")]


def test_thousands_of_define_lines_are_linear(tmp_path, capsys):
    def parse(n):
        path = tmp_path / f"d{n}.al"
        path.write_text("".join(f"#define S{i}\n" for i in range(n)) + "codeunit 50100 A { }\n")
        started = time.process_time()
        assert main(["parse", str(path), "-j", "1"]) == 0
        return time.process_time() - started
    small, large = parse(2_000), parse(40_000)
    capsys.readouterr()
    assert large < 10 and large < 40 * max(small, 0.01), (small, large)   # 20x the lines: not 400x the time


def test_thousands_of_id_ranges_are_checked_quickly(tmp_path, capsys):
    from alc.build.project import parse_app_json
    ranges = [{"from": 1000 + 10 * i, "to": 1005 + 10 * i} for i in range(20_000)]
    text = json.dumps({"id": "0f3b2c1a-0000-4000-8000-000000000001", "name": "A", "publisher": "Me",
                       "version": "1.0.0.0", "idRanges": ranges})
    started = time.process_time()
    manifest, diagnostics = parse_app_json(text)
    assert manifest is not None and len(manifest.id_ranges) == 20_000 and diagnostics == []
    ranges[15_000] = {"from": 1002, "to": 1003}          # overlaps idRanges[0]
    manifest, diagnostics = parse_app_json(text.replace('{"from": 151000, "to": 151005}',
                                                        '{"from": 1002, "to": 1003}'))
    assert [d.message for d in diagnostics] == ["`idRanges[15000]` (1002..1003) overlaps `idRanges[0]` (1000..1005)"]
    assert time.process_time() - started < 10


def test_a_check_report_with_thousands_of_conflicts_is_linear(tmp_path, capsys):
    """Two apps declaring the same 3,000 tables: 6,000 conflicts (ids and names), printed in one pass."""
    from hardkit import APP_ID
    paths = []
    for k, name in enumerate(("One", "Two")):
        project = write_project(str(tmp_path / name), objects=0, name=name,
                                id=APP_ID.replace("0001", f"000{k + 2}"), idRanges=[{"from": 50000, "to": 59999}])
        with open(os.path.join(project, "t.al"), "w") as f:
            f.write("".join(f"table {50000 + i} T{i} {{ fields {{ field(1; F; Integer) {{ }} }} }}\n"
                            for i in range(3_000)))
        paths.append(str(tmp_path / f"{name}.app"))
        assert main(["compile", "--project", project, "--out", paths[-1], "-j", "1"]) == 0
    capsys.readouterr()
    started = time.process_time()
    assert main(["check", *paths]) == 1
    out = capsys.readouterr().out
    assert out.count(": error ALC03") == 12_000 and out.rstrip().endswith("6000 conflicts, 0 warnings")
    assert time.process_time() - started < 30
