"""Bad input never raises: random text, soups of AL tokens and mutations of
valid AL all give a ParseResult with diagnostics, quickly.

The mutation strategy starts from the golden syntax cases, so every form the
goldens cover is also broken in every way hypothesis finds.
"""

import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alc import parse_body, parse_text
from alc.ir import nodes as ir
from alc.ir.visit import walk
from golden import cases_in

# A parse of a few kB takes well under a second; this bound (CPU time, so that
# a busy machine does not make it flaky) only catches runaway behaviour:
# quadratic blow-ups, loops.
TIME_LIMIT = 3.0

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SNIPPETS = [c.source for c in cases_in("syntax")]

TOKENS = [
    # object and section words
    "table", "tableextension", "page", "pageextension", "pagecustomization", "codeunit", "report",
    "reportextension", "query", "xmlport", "enum", "enumextension", "interface", "permissionset",
    "permissionsetextension", "entitlement", "profile", "profileextension", "controladdin", "dotnet",
    "namespace", "using", "extends", "implements", "customizes",
    "fields", "field", "keys", "key", "fieldgroups", "fieldgroup", "layout", "area", "group", "repeater",
    "part", "actions", "action", "actionref", "separator", "views", "view", "dataset", "dataitem",
    "column", "filter", "requestpage", "rendering", "labels", "elements", "schema", "textelement",
    "tableelement", "value", "assembly", "type", "addafter", "addfirst", "modify", "moveafter",
    # properties with a grammar of their own
    "TableRelation", "CalcFormula", "Permissions", "RunObject", "RunPageLink", "SourceTableView",
    "where", "const", "field", "sorting", "order", "upperlimit", "sum", "exist", "tabledata", "Caption",
    # code
    "var", "protected", "trigger", "procedure", "local", "internal", "event", "begin", "end", "if",
    "then", "else", "case", "of", "while", "do", "repeat", "until", "for", "to", "downto", "foreach",
    "in", "with", "exit", "break", "continue", "asserterror", "not", "and", "or", "xor", "div", "mod",
    "is", "as", "this", "true", "false", "Record", "temporary", "Code", "Text", "Option", "array",
    "List", "Dictionary", "Label", "TextConst", "Comment", "Locked",
    # names and literals
    "X", "Rec", '"No."', '"Say ""hi"""', "Größe", "'text'", "'it''s'", "''", "0", "42", "1.5", "0D",
    "20240101D", "120000T", "0DT", "10L",
    # punctuation
    "{", "}", "(", ")", "[", "]", ";", ":", ",", ".", "..", "::", ":=", "+=", "-=", "*=", "/=", "=",
    "<>", "<", ">", "<=", ">=", "+", "-", "*", "/", "?",
    # trivia and trouble
    "// comment\n", "/* block */", "/*", "*/", "'", '"', "\n#if A\n", "\n#if not B\n", "\n#else\n",
    "\n#elif A\n", "\n#endif\n", "\n#region R\n", "\n#pragma warning disable AL0001\n",
    "\n#define A\n", "#", "@", "§", "\t", "\r\n", "\ufeff",
]

_TOKEN_RE = re.compile(r"""\s+|//[^\n]*|/\*[\s\S]*?\*/|'(?:[^']|'')*'|"(?:[^"\n]|"")*"|\w+|:=|\.\.|::|<>|<=|>=|.""")


# Crashes already reported, as (exception type, text in its message, reason):
# a random input that hits one is an expected failure, so that the suite stays
# green while the bug is open and the other inputs are still tried. Each has
# a minimal reproducer in CRASHES below, which fails strictly.
KNOWN_CRASHES = [
    (TypeError, "'re.Match' has no len()",
     "a syntax error at a one-regex `Name = value;` property token crashes describe_token"),
]


def check(text: str, symbols=()) -> None:
    """Parse eagerly and lazily: no exception, diagnostics with spans in the
    text, lazy bodies parse without exception too, and all of it fast."""
    try:
        _check(text, symbols)
    except Exception as exc:
        for kind, message, reason in KNOWN_CRASHES:
            if isinstance(exc, kind) and message in str(exc):
                pytest.xfail(f"known crash: {reason}")
        raise


def _check(text: str, symbols) -> None:
    started = time.process_time()
    for lazy in (False, True):
        result = parse_text(text, symbols=symbols, lazy_bodies=lazy)
        assert isinstance(result.diagnostics, list)
        for d in result.diagnostics:
            assert d.span is not None and 0 <= d.span.start <= d.span.end <= len(text), d
            assert d.code.startswith("ALC01"), d
        if lazy:
            for node in walk(result.unit):
                if isinstance(node, ir.LazyBody):
                    parse_body(node)
    elapsed = time.process_time() - started
    assert elapsed < TIME_LIMIT, f"{elapsed:.2f} s for {len(text)} characters"


@FUZZ
@given(st.text(max_size=400))
def test_random_text(text):
    check(text)


@FUZZ
@given(st.text(alphabet="{}()[];:=,.'\"#/*\n beginendifthenX1", max_size=300))
def test_random_text_from_al_characters(text):
    check(text)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=120), st.sampled_from([" ", "\n"]),
       st.sampled_from([(), ("A",), ("A", "B")]))
def test_token_soup(tokens, sep, symbols):
    check(sep.join(tokens), symbols)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=60))
def test_token_soup_inside_a_code_body(tokens):
    check("codeunit 50100 Fuzz\n{\n    procedure P()\n    begin\n" + " ".join(tokens) + "\n    end;\n}\n")


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=60))
def test_token_soup_inside_an_object_body(tokens):
    check("table 50100 Fuzz\n{\n" + " ".join(tokens) + "\n}\ncodeunit 50101 After { }\n")


def _mutate(units: list, data, max_ops: int = 4) -> list:
    units = list(units)
    for _ in range(data.draw(st.integers(1, max_ops), label="operations")):
        if not units:
            break
        op = data.draw(st.sampled_from(["delete", "duplicate", "swap", "insert"]), label="op")
        i = data.draw(st.integers(0, len(units) - 1), label="at")
        if op == "delete":
            del units[i]
        elif op == "duplicate":
            units.insert(i, units[i])
        elif op == "swap":
            j = data.draw(st.integers(0, len(units) - 1), label="with")
            units[i], units[j] = units[j], units[i]
        else:
            units.insert(i, data.draw(st.sampled_from(TOKENS), label="token"))
    return units


@FUZZ
@given(st.sampled_from(SNIPPETS), st.data())
def test_token_mutations_of_valid_al(source, data):
    tokens = _TOKEN_RE.findall(source)
    check("".join(_mutate(tokens, data)))


@FUZZ
@given(st.sampled_from(SNIPPETS), st.data())
def test_line_mutations_of_valid_al(source, data):
    lines = source.splitlines(keepends=True)
    check("".join(_mutate(lines, data)))


@FUZZ
@given(st.sampled_from(SNIPPETS), st.data())
def test_truncations_of_valid_al(source, data):
    cut = data.draw(st.integers(0, len(source)), label="cut")
    check(source[:cut])


@pytest.mark.parametrize("text", [
    "x := " + "(" * 2000 + "1" + ")" * 2000 + ";",
    "x := " + "-" * 2000 + "1;",
    "begin " * 2000 + "end; " * 2000,
    "if a then " * 2000 + "x := 1;",
    "x := " + " + ".join(["a"] * 5000) + ";",
    "x := [" * 2000 + "]" * 2000 + ";",
], ids=["parentheses", "unary", "blocks", "ifs", "long-sum", "lists"])
def test_deep_nesting_in_code(text):
    check("codeunit 50100 Deep\n{\n    procedure P()\n    begin\n" + text + "\n    end;\n}\n")


@pytest.mark.parametrize("text", [
    "{" * 10000,
    "}" * 3000,
    "table 1 T { " + "fields { " * 2000 + "} " * 2000 + "}",
    "x " * 10000,
    "codeunit 1 A { x } " * 2000,
    "\n".join(["#if A"] * 2000 + ["codeunit 1 A { }"] + ["#endif"] * 2000),
    "'" * 5001,
    '"' * 5001,
    "/*" * 5000,
], ids=["open-braces", "close-braces", "nested-sections", "words", "broken-objects", "nested-ifs",
        "quotes", "double-quotes", "comment-openers"])
def test_large_broken_inputs_stay_fast(text):
    check(text)


# Crashes found by fuzzing, minimised. Each stays here as a regression test.
CRASHES = [
    pytest.param("codeunit 1 A { var X: Label 'a' Comment = 'b'; }", id="label-option-without-comma"),
]


@pytest.mark.parametrize("text", CRASHES)
def test_crash_reproducers(text):
    _check(text, ())
