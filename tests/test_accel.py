"""The parser's compiled accelerator (alc/syntax/_accel.pyx) against its
pure-Python twin: the same inputs parsed both ways give the same IR, spans,
diagnostics, trivia and lazy bodies; the lexer gives the same tokens and the
body scan the same end.

Where the accelerator is not built (no C compiler at install time) the
parser runs in pure Python and the comparisons have nothing to compare:
they are skipped, except in CI (CI=true), where the accelerator must be built.
"""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from alc.source import SourceFile, Span
from alc.syntax.api import driver, parse_source
from alc.syntax.lexer import Lexer
from alc.syntax.parse import PURE_PYTHON_ENV, Driver, accelerator

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden import parse_cases  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _accel():
    accel = accelerator()
    if accel is None:
        if IN_CI:
            pytest.fail("the parser's compiled accelerator is not built in CI (or ALC_PURE_PYTHON is set)")
        pytest.skip("the parser's compiled accelerator is not built here")
    return accel


# -- a canonical form of a parse result: every field, every span -------------------

def canon(x, out: list) -> None:
    t = type(x)
    if x is None or t in (str, int, bool, float):
        out.append(repr(x))
    elif t is Span:
        out.append(f"@{x.start}:{x.end}")
    elif isinstance(x, SourceFile):
        out.append("<source>")
    elif attrs.has(t):
        out.append(t.__name__ + "(")
        for f in attrs.fields(t):
            out.append(f.name + "=")
            canon(getattr(x, f.name), out)
            out.append(",")
        out.append(")")
    elif t in (tuple, list):
        out.append("[")
        for y in x:
            canon(y, out)
            out.append(",")
        out.append("]")
    elif isinstance(x, (frozenset, set)):
        out.append("{" + ",".join(sorted(map(repr, x))) + "}")
    elif isinstance(x, enum.Enum):
        out.append(str(x))
    else:
        raise TypeError(f"no canonical form for {t.__name__}")


def describe(result) -> str:
    out: list = []
    canon(result.unit, out)
    for d in result.diagnostics:
        out.append(f"\n{d.code} {d.severity} {d.message} @{d.span.start}:{d.span.end}")
    for t in result.trivia:
        out.append(f"\n#{t.kind} {t.text!r} @{t.span.start}:{t.span.end}")
    canon(tuple(result.lazy_bodies), out)
    return "".join(out)


def both_ways(text: str, symbols=(), path: str = "t.al") -> None:
    """Parse ``text`` compiled and in pure Python, full and lazy; all must agree."""
    for lazy in (False, True):
        source = SourceFile(path, text)
        compiled = describe(parse_source(source, symbols, lazy_bodies=lazy, accelerated=True))
        pure = describe(parse_source(source, symbols, lazy_bodies=lazy, accelerated=False))
        assert compiled == pure, (lazy, text[:200])


def _diags(lexer: Lexer) -> list:
    return [(d.code, d.message, d.span.start, d.span.end) for d in lexer.diagnostics]


def tokens_both_ways(text: str) -> None:
    accel = _accel()
    a, b = Lexer(SourceFile("t.al", text), frozenset()), Lexer(SourceFile("t.al", text), frozenset())
    while True:
        x, y = accel.next_token(a), b.next()
        assert x == y
        assert (a.pos, a.depth, a.pp_depth, _diags(a), len(a.trivia)) == \
            (b.pos, b.depth, b.pp_depth, _diags(b), len(b.trivia))
        if x[0] == "$END":
            break


def body_both_ways(text: str) -> None:
    """Both body scans from the `begin` at the start of ``text``."""
    accel = _accel()
    a, b = Lexer(SourceFile("t.al", text), frozenset()), Lexer(SourceFile("t.al", text), frozenset())
    begin_a, begin_b = a.next(), b.next()
    assert accel.skip_body(a, begin_a) == b.skip_body(begin_b)
    assert (a.pos, a.pp_depth, _diags(a), len(a.trivia)) == (b.pos, b.pp_depth, _diags(b), len(b.trivia))


# -- switching -------------------------------------------------------------------------

def test_pure_python_can_be_forced(monkeypatch):
    monkeypatch.setenv(PURE_PYTHON_ENV, "1")
    assert accelerator() is None
    assert not Driver(None, recognize_only=True).accelerated
    with pytest.raises(RuntimeError, match="not built"):
        Driver(None, recognize_only=True, accelerated=True)


def test_the_default_driver_uses_the_accelerator_where_built():
    _accel()
    assert driver().accelerated and driver(True).accelerated and not driver(False).accelerated


# -- the same results ------------------------------------------------------------------

SOURCE_FILES = sorted(str(p.relative_to(ROOT)) for base in ("samples", "tests/data")
                      for p in (ROOT / base).rglob("*.al"))


@pytest.mark.parametrize("path", SOURCE_FILES)
def test_same_results_on_the_project_sources(path):
    _accel()
    data = (ROOT / path).read_bytes()
    both_ways(SourceFile.from_bytes(path, data).text, path=path)


GOLDEN_CASES = [case for p in sorted((ROOT / "tests" / "data" / "syntax").glob("*.txt"))
                for case in parse_cases(str(p), p.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("case", GOLDEN_CASES, ids=lambda c: c.id)
def test_same_results_on_the_golden_cases(case):
    _accel()
    both_ways(case.source, case.symbols)


# Inputs where the compiled scanner must hand over to the Python lexer, or
# must read exactly as the regex does.
TRICKY = [
    "codeunit 1 Ünïcode { var Äpfel: Integer; Größe: Decimal; procedure Ñ() begin Äpfel := 1; end; }",
    "codeunit 1 A { procedure P() begin x := 1٣; y := 2.٣; z := 3.5٣; w := 10DT; v := 1D; u := 7L; t := 0T; end; }",
    "codeunit 1 A { procedure P() begin x := 'a''b' + 'c'; y := \"q\"\"r\"; z := 1..2; end; }",
    "codeunit 1 A { procedure P() begin x := 'unterminated; end; }",
    "codeunit 1 A { procedure P() begin x := \"unterminated\n; end; }",
    "codeunit 1 A { procedure P() begin x := \"a\"\"\n; end; }",
    "codeunit 1 A { procedure P() begin /* unterminated comment; end; }",
    "codeunit 1 A { procedure P() begin x := 1 / 2; y /= 3; z := a::b; end; }",
    "codeunit 1 A { procedure P() begin\n#if CLEAN\n x := 1;\n#else\n x := 2;\n#endif\n"
    " case x of 1: begin end; end; end; }",
    "codeunit 1 A { procedure P() begin x := 1; #if X\n end; }",
    "codeunit 1 A { procedure P() begin endé := 1; begin_ := 2; Case1 := 3; END; }",
    "codeunit 1 A { procedure P() begin\u00a0x\u00a0:= 1;\u2028end; }",
    "codeunit 1 A { procedure P() begin x := 1 end",
    "codeunit 1 A { procedure P() begin x := 'it''s'; // comment end\n /* end */ end; }",
    "table 1 T { fields { field(1; \"No.\"; Code[20]) { Caption = 'No.', Comment = 'x'; } } }\n}} ;; @ ` $",
    "page 1 P { layout { area(Content) { field(\"A\"\"B\"; Rec.\"A\"\"B\") { } } } }",
    "codeunit 1 A { procedure P() begin x := a<>b; y := a<=b; z := a>=b; w += 1; v -= 1; u *= 2; end; }",
    "codeunit 1 A { trigger OnRun() begin x := 1; end; }\n#region R\n#endregion\ncodeunit 2 B { }",
    "codeunit 1 A { procedure P() begin x := 5\x0b; y := 6\x1c; end; }",
    "codeunit 1 A { var x: Text; procedure P() begin x := 'line\nbreak'; end; }",
]


@pytest.mark.parametrize("text", TRICKY)
def test_same_results_on_tricky_inputs(text):
    _accel()
    both_ways(text)
    tokens_both_ways(text)


@pytest.mark.parametrize("text", [t[t.index("begin"):] for t in TRICKY if "begin" in t])
def test_same_body_scan(text):
    body_both_ways(text)


FRAGMENTS = ["begin", "end", "case", "BEGIN", "End", "x", "Äx", "é", "1", "2.5", "3.", "٣", "10DT", "0D",
             "'", "''", "'s'", '"', '""', '"q"', ";", ":", ":=", "::", ".", "..", "/", "//", "/*", "*/", "*",
             "(", ")", "[", "]", "{", "}", "<", ">", "=", "+", "-", ",", "?", "@", "#", "#if X", "#endif",
             "#else", "#region", " ", "\n", "\t", "\u00a0", "$", "`", "codeunit 1 A", "procedure P()",
             "if", "then", "else", "of", "Caption = 'x';", "field(1; A; Integer)"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_same_tokens_and_body_scan_on_random_text(parts):
    text = " ".join(parts) if len(parts) % 2 else "".join(parts)
    tokens_both_ways(text)
    body_both_ways("begin " + text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30))
def test_same_results_on_random_code_bodies(parts):
    _accel()
    both_ways("codeunit 1 A { procedure P() begin " + " ".join(parts) + " end; }")


def test_a_parse_leaves_the_garbage_collector_as_it_found_it():
    import gc
    source = SourceFile("t.al", "codeunit 1 A { procedure P() begin x := ; end; }")
    assert gc.isenabled()
    parse_source(source)
    assert gc.isenabled()
    gc.disable()
    try:
        parse_source(source)
        assert not gc.isenabled()
    finally:
        gc.enable()
