"""Syntax diagnostics: tests/data/diagnostics/*.al carry their expected
diagnostics inline, as `// ALC0101` comments on the line of each primary
span (rustc's `//~ ERROR`), and the objects that must survive error recovery
in a `// objects: "A", B` header. A sibling `.stderr` holds the rendered
`path(line,col): error CODE: message` lines; `pytest --update-goldens`
rewrites it for review."""

import re
from pathlib import Path

import pytest

from alc import parse_source
from alc.diagnostics import render_concise
from alc.source import SourceFile

ROOT = Path(__file__).parent.parent
FOLDER = Path(__file__).parent / "data" / "diagnostics"
FILES = sorted(FOLDER.glob("*.al"))
_MARKER = re.compile(r"//\s*(ALC\d{4}(?:[\s,]+ALC\d{4})*)\s*$")
_OBJECTS = re.compile(r"^//\s*objects:(.*)$", re.MULTILINE)
_NAME = re.compile(r'"((?:[^"]|"")*)"|([^\s,"]+)')


def expected_codes(text: str) -> list:
    pairs = []
    for number, line in enumerate(text.splitlines(), 1):
        m = _MARKER.search(line)
        if m:
            pairs.extend((number, code) for code in re.findall(r"ALC\d{4}", m.group(1)))
    return sorted(pairs)


def expected_objects(text: str) -> list:
    m = _OBJECTS.search(text)
    assert m, "a diagnostics case needs an `// objects:` header"
    return [quoted.replace('""', '"') if quoted else bare for quoted, bare in _NAME.findall(m.group(1))]


def parse_file(path: Path):
    relative = path.relative_to(ROOT).as_posix()
    return parse_source(SourceFile.read(str(ROOT / relative)))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_inline_expected_diagnostics(path):
    result = parse_file(path)
    actual = sorted((d.span.line, d.code) for d in result.diagnostics)
    assert actual == expected_codes(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_error_recovery_keeps_the_good_objects(path):
    result = parse_file(path)
    assert [o.name for o in result.unit.objects] == expected_objects(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_rendered_stderr(path, update_goldens):
    result = parse_file(path)
    actual = render_concise(result.diagnostics, cwd=str(ROOT)) + "\n"
    golden = path.with_suffix(".stderr")
    if update_goldens:
        if not golden.exists() or golden.read_text(encoding="utf-8") != actual:
            golden.write_text(actual, encoding="utf-8")
        return
    assert golden.exists(), f"no {golden.name}: run pytest --update-goldens"
    assert actual == golden.read_text(encoding="utf-8")


def test_every_diagnostic_has_a_known_code_and_a_lowercase_message():
    from alc.diagnostics import CODES
    for path in FILES:
        for d in parse_file(path).diagnostics:
            assert d.code in CODES, (path.name, d.code)
            assert d.message[:1] == d.message[:1].lower() or d.message[:1] in "`#", d.message
            assert not d.message.endswith("."), d.message
            assert d.span is not None and d.span.source is not None


def test_marker_parsing():
    text = "x\ny := 'a // ALC0102 ALC0101\nz // ALC0103\n// objects: \"A \"\"B\"\"\", C\n"
    assert expected_codes(text) == [(2, "ALC0101"), (2, "ALC0102"), (3, "ALC0103")]
    assert expected_objects(text) == ['A "B"', "C"]


# ------------------------------------------------------- known parser bugs --

@pytest.mark.xfail(strict=True, reason="reserved words are read as names where the keyword cannot stand")
@pytest.mark.parametrize("statement", ["x := if;", "x := end;", "x := begin + then;", "Message(until);"])
def test_reserved_words_are_not_names(statement):
    from alc import parse_text
    result = parse_text(f"codeunit 50100 C {{ procedure P() begin {statement} end; }}")
    assert [d.code for d in result.diagnostics] == ["ALC0101"]


@pytest.mark.parametrize("text, wrong", [
    ("codeunit 50100 A\n{\n", "`{`"),
    ("codeunit 50100 A\n{\n    procedure P()\n    begin\n        if X then begin\n            Y := 1;\n", "`until`"),
], ids=["after-brace", "after-statement"])
def test_object_ends_too_early_lists_what_may_follow(text, wrong):
    from alc import parse_text
    (d,) = parse_text(text).diagnostics
    assert d.message.startswith("unexpected end of file")
    assert wrong not in d.message
