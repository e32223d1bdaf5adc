"""The preprocessor: #if/#elif/#else/#endif evaluated against symbols before
parsing, so that branches may split constructs; #region/#pragma as trivia;
#define/#undef; unbalanced directives; spans into the original text."""

import textwrap

import pytest

from alc import parse_body, parse_text
from alc.ir import nodes as ir
from alc.ir.visit import dump, expr_text, transform
from alc.syntax.lexer import evaluate_condition


def parse(text, symbols=(), lazy=False):
    return parse_text(textwrap.dedent(text), path="pp.al", symbols=symbols, lazy_bodies=lazy)


def parse_clean(text, symbols=()):
    """Parse eagerly and declarations-only; both must be clean and agree."""
    eager = parse(text, symbols)
    assert [(d.code, d.span.line, d.message) for d in eager.diagnostics] == []
    lazy = parse(text, symbols, lazy=True)
    assert lazy.diagnostics == []

    def parse_lazy(node):
        if isinstance(node, ir.LazyBody):
            block, diagnostics = parse_body(node)
            assert diagnostics == []
            return block
        return node

    assert transform(lazy.unit, parse_lazy) == eager.unit
    return eager.unit


def statements(unit):
    """The statements of the first procedure or trigger, as one line each."""
    obj = unit.objects[0]
    member = (obj.procedures or obj.triggers)[0]
    return [dump(s) for s in member.body.statements]


def assigned(unit):
    """Names assigned by the first procedure's top-level statements."""
    obj = unit.objects[0]
    return [expr_text(s.target) for s in obj.procedures[0].body.statements]


def codes(result):
    return sorted((d.span.line, d.code) for d in result.diagnostics)


# ---------------------------------------------------------------- conditions --

@pytest.mark.parametrize("condition, symbols, expected", [
    ("A", {"A"}, True),
    ("A", set(), False),
    ("not A", set(), True),
    ("not A", {"A"}, False),
    ("NOT A", {"A"}, False),
    ("A and B", {"A"}, False),
    ("A and B", {"A", "B"}, True),
    ("A or B", {"B"}, True),
    ("A or B", set(), False),
    ("A or B and C", {"A"}, True),        # and binds tighter than or
    ("(A or B) and C", {"A"}, False),
    ("(A or B) and C", {"B", "C"}, True),
    ("not (A or B)", set(), True),
    ("not not A", {"A"}, True),
    ("not A and not B", {"B"}, False),
    ("A // a trailing comment is not part of it", {"A"}, True),
])
def test_condition_evaluation(condition, symbols, expected):
    assert evaluate_condition(condition.split("//")[0], symbols) is expected


CONDITIONS = """\
    codeunit 50100 Cond
    {
        procedure P()
        begin
    #if {cond}
            Taken := true;
    #else
            Skipped := true;
    #endif
        end;
    }
"""


@pytest.mark.parametrize("cond, symbols, taken", [
    ("CLEAN27", ["CLEAN27"], True),
    ("CLEAN27", [], False),
    ("not CLEAN27", [], True),
    ("CLEAN27 and CLEAN28", ["CLEAN27"], False),
    ("CLEAN27 or CLEAN28", ["CLEAN28"], True),
    ("not (CLEAN27 or CLEAN28) and ONPREM", ["ONPREM"], True),
    ("not (CLEAN27 or CLEAN28) and ONPREM", ["ONPREM", "CLEAN28"], False),
    ("not CLEAN27 // why this is here", [], True),
])
def test_if_else_against_symbols(cond, symbols, taken):
    unit = parse_clean(CONDITIONS.replace("{cond}", cond), symbols)
    assert assigned(unit) == (["Taken"] if taken else ["Skipped"])


ELIF = """\
    codeunit 50100 Elif
    {
        procedure P()
        begin
    #if A
            InA := 1;
    #elif B
            InB := 1;
    #elif not C
            NotC := 1;
    #else
            Other := 1;
    #endif
            After := 1;
        end;
    }
"""


@pytest.mark.parametrize("symbols, expected", [
    (["A"], ["InA"]),
    (["A", "B"], ["InA"]),           # the first true branch wins
    (["B"], ["InB"]),
    ([], ["NotC"]),
    (["C"], ["Other"]),
])
def test_elif_takes_the_first_true_branch(symbols, expected):
    assert assigned(parse_clean(ELIF, symbols)) == expected + ["After"]


NESTED = """\
    codeunit 50100 Nested
    {
        procedure P()
        begin
    #if A
    #if B
            AB := 1;
    #else
            ANotB := 1;
    #endif
            AOnly := 1;
    #else
    #if B
            NotAB := 1;
    #if C
            NotABC := 1;
    #endif
    #endif
            NotA := 1;
    #endif
        end;
    }
"""


@pytest.mark.parametrize("symbols, expected", [
    (["A", "B"], ["AB", "AOnly"]),
    (["A"], ["ANotB", "AOnly"]),
    (["B"], ["NotAB", "NotA"]),
    (["B", "C"], ["NotAB", "NotABC", "NotA"]),
    ([], ["NotA"]),
    (["C"], ["NotA"]),
])
def test_nested_groups(symbols, expected):
    assert assigned(parse_clean(NESTED, symbols)) == expected


def test_directives_are_case_insensitive_and_may_be_indented():
    text = """\
        codeunit 50100 Case
        {
            procedure P()
            begin
                #IF CLEAN27
                New := 1;
                #Else
                Old := 1;
                #EndIf
            end;
        }
    """
    assert assigned(parse_clean(text, ["CLEAN27"])) == ["New"]
    assert assigned(parse_clean(text)) == ["Old"]


def test_whole_objects_and_members_inside_groups():
    text = """\
        #if not CLEAN27
        codeunit 50100 Legacy
        {
        }
        #endif
        table 50101 Vehicle
        {
            fields
            {
        #if not CLEAN27
                field(1; Old; Integer) { ObsoleteState = Pending; }
        #endif
                field(2; New; Integer) { }
            }
        #if CLEAN27
            var
                X: Integer;
        #endif
        }
    """
    unit = parse_clean(text)
    assert [o.name for o in unit.objects] == ["Legacy", "Vehicle"]
    assert [f.name for f in unit.objects[1].fields] == ["Old", "New"]
    assert unit.objects[1].variables == ()
    unit = parse_clean(text, ["CLEAN27"])
    assert [o.name for o in unit.objects] == ["Vehicle"]
    assert [f.name for f in unit.objects[0].fields] == ["New"]
    assert [v.name for v in unit.objects[0].variables] == ["X"]


# ------------------------------------------------- branches that split constructs --

BRACE_SPLIT = """\
    table 50100 Split
    {
        fields
        {
    #if CLEAN27
            field(1; Amount; Integer)
            {
                Caption = 'Amount';
    #else
            field(1; Amount; Decimal)
            {
                Caption = 'Amount (old)';
                ObsoleteState = Pending;
    #endif
                MinValue = 0;
            }
        }
    }
"""


def test_brace_opened_in_a_branch_and_closed_after_endif():
    new = parse_clean(BRACE_SPLIT, ["CLEAN27"]).objects[0].fields[0]
    old = parse_clean(BRACE_SPLIT).objects[0].fields[0]
    assert new.type.name == "Integer"
    assert [p.name for p in new.properties] == ["Caption", "MinValue"]
    assert old.type.name == "Decimal"
    assert [p.name for p in old.properties] == ["Caption", "ObsoleteState", "MinValue"]


ELSE_SPLIT = """\
    codeunit 50100 ElseSplit
    {
        procedure P()
        begin
            if Found then
                Process()
    #if CLEAN29
            else
    #else
            else begin
                LegacyProcess();
    #endif
                Finish();
    #if not CLEAN29
            end;
    #endif
            Done := true;
        end;
    }
"""


def test_else_and_else_begin_in_different_branches():
    assert statements(parse_clean(ELSE_SPLIT, ["CLEAN29"])) == [
        "If Found\n  then: CallStatement Process()\n  otherwise: CallStatement Finish()",
        "Assignment Done := true",
    ]
    assert statements(parse_clean(ELSE_SPLIT)) == [
        "If Found\n  then: CallStatement Process()\n  otherwise: Block\n"
        "    CallStatement LegacyProcess()\n    CallStatement Finish()",
        "Assignment Done := true",
    ]


END_ELSE_SPLIT = """\
    codeunit 50100 EndElse
    {
        procedure P()
        begin
            if A then begin
                X := 1;
    #if CLEAN28
            end else begin
                X := 2;
    #else
            end else
                if B then begin
                    X := 3;
    #endif
            end;
        end;
    }
"""


def test_end_else_begin_split():
    assert statements(parse_clean(END_ELSE_SPLIT, ["CLEAN28"])) == [
        "If A\n  then: Block\n    Assignment X := 1\n  otherwise: Block\n    Assignment X := 2",
    ]
    assert statements(parse_clean(END_ELSE_SPLIT)) == [
        "If A\n  then: Block\n    Assignment X := 1\n  otherwise: If B\n    then: Block\n"
        "      Assignment X := 3",
    ]


HEADER_SPLIT = """\
    codeunit 50100 Header
    {
    #if CLEAN28
        procedure Calc(Amount: Decimal; Precision: Decimal): Decimal
    #else
        [Obsolete('Use Calc with a precision.', '25.0')]
        procedure Calc(Amount: Decimal): Decimal
    #endif
        var
            Result: Decimal;
        begin
            Result := Round(Amount);
            exit(Result);
        end;
    }
"""


def test_procedure_header_differs_per_branch():
    new = parse_clean(HEADER_SPLIT, ["CLEAN28"]).objects[0].procedures[0]
    old = parse_clean(HEADER_SPLIT).objects[0].procedures[0]
    assert [p.name for p in new.parameters] == ["Amount", "Precision"]
    assert new.attributes == ()
    assert [p.name for p in old.parameters] == ["Amount"]
    assert [a.name for a in old.attributes] == ["Obsolete"]
    assert new.body == old.body and len(new.body.statements) == 2


BEGIN_SPLIT = """\
    codeunit 50100 BeginSplit
    {
    #if CLEAN27
        procedure Run(Fast: Boolean)
        begin
            if Fast then begin
                Quick := true;
    #else
        procedure Run()
        begin
            begin
                Slow := true;
    #endif
                Count += 1;
            end;
        end;
    }
"""


def test_begin_opened_in_a_branch_and_closed_after_endif():
    new = parse_clean(BEGIN_SPLIT, ["CLEAN27"]).objects[0].procedures[0]
    old = parse_clean(BEGIN_SPLIT).objects[0].procedures[0]
    assert dump(new.body) == ("Block\n  If Fast\n    then: Block\n"
                              "      Assignment Quick := true\n      Assignment Count += 1")
    assert dump(old.body) == "Block\n  Block\n    Assignment Slow := true\n    Assignment Count += 1"


OBJECT_HEADER_SPLIT = """\
    #if CLEAN27
    pageextension 50100 "Fleet Card Ext" extends "Fleet Vehicle Card"
    #else
    pageextension 50100 "Fleet Card Ext" extends "Fleet Vehicle Card Old"
    #endif
    {
        layout
        {
    #if CLEAN27
            addafter(Name)
    #else
            addafter(Description)
    #endif
            {
                field(Extra; Rec.Extra) { }
            }
        }
    }
"""


def test_object_header_and_change_anchor_per_branch():
    new = parse_clean(OBJECT_HEADER_SPLIT, ["CLEAN27"]).objects[0]
    old = parse_clean(OBJECT_HEADER_SPLIT).objects[0]
    assert (new.target, new.layout[0].anchor) == ("Fleet Vehicle Card", "Name")
    assert (old.target, old.layout[0].anchor) == ("Fleet Vehicle Card Old", "Description")


CASE_SPLIT = """\
    codeunit 50100 CaseSplit
    {
        procedure P()
        begin
            case Kind of
                Kind::Car:
                    X := 1;
    #if not CLEAN27
                Kind::Van:
                    X := 2;
    #endif
                else
                    X := 0;
            end;
        end;
    }
"""


def test_case_branch_inside_a_group():
    with_van = parse_clean(CASE_SPLIT).objects[0].procedures[0].body.statements[0]
    without = parse_clean(CASE_SPLIT, ["CLEAN27"]).objects[0].procedures[0].body.statements[0]
    assert len(with_van.branches) == 2 and len(without.branches) == 1


def test_directive_words_inside_strings_and_comments_are_not_directives():
    text = """\
        codeunit 50100 Strings
        {
            procedure P()
            begin
                Msg := '#if X';
                // #endif
                /*
        #else
                */
                Done := true;
            end;
        }
    """
    unit = parse_clean(text)
    assert assigned(unit) == ["Msg", "Done"]


# ------------------------------------------------------------------ trivia --

TRIVIA = """\
    #pragma warning disable AL0432
    codeunit 50100 Trivia
    {
        #region Helpers
        procedure P()
        begin
    #pragma warning disable AA0005
            X := 1;
    #pragma warning restore AA0005
        end;
        #endregion
    }
    #pragma implicitwith restore
"""


def test_region_and_pragma_are_trivia():
    result = parse(TRIVIA)
    assert result.diagnostics == []
    kinds = [(t.kind, t.text, t.span.line) for t in result.trivia]
    assert kinds == [
        ("pragma", "warning disable AL0432", 1),
        ("region", "Helpers", 4),
        ("pragma", "warning disable AA0005", 7),
        ("pragma", "warning restore AA0005", 9),
        ("endregion", "", 11),
        ("pragma", "implicitwith restore", 13),
    ]
    plain = "\n".join(line for line in textwrap.dedent(TRIVIA).splitlines() if not line.lstrip().startswith("#"))
    assert result.unit == parse_text(plain, path="pp.al").unit


def test_conditional_directives_are_recorded_as_trivia():
    result = parse(CONDITIONS.replace("{cond}", "CLEAN27"))
    assert [(t.kind, t.span.line) for t in result.trivia] == [("if", 5), ("else", 7), ("endif", 9)]


# ------------------------------------------------------------ define, undef --

def test_define_before_the_first_token_sets_a_symbol():
    text = "#define CLEAN27\n" + textwrap.dedent(CONDITIONS.replace("{cond}", "CLEAN27"))
    assert assigned(parse_clean(text)) == ["Taken"]


def test_undef_before_the_first_token_removes_a_symbol():
    text = "// a comment may come first\n#undef CLEAN27\n" + textwrap.dedent(CONDITIONS.replace("{cond}", "CLEAN27"))
    assert assigned(parse_clean(text, ["CLEAN27"])) == ["Skipped"]


def test_define_after_the_first_token_is_alc0106():
    text = """\
        codeunit 50100 Late
        {
        #define CLEAN27
        }
    """
    result = parse(text)
    assert codes(result) == [(3, "ALC0106")]
    assert result.objects[0].name == "Late"


def test_define_without_a_name_is_alc0104():
    assert codes(parse("#define\ncodeunit 50100 A { }\n")) == [(1, "ALC0104")]


# ---------------------------------------------------------- unbalanced directives --

@pytest.mark.parametrize("text, expected", [
    ("codeunit 50100 A\n{\n#endif\n}\n", [(3, "ALC0104")]),
    ("codeunit 50100 A\n{\n#else\n}\n", [(3, "ALC0104")]),
    ("codeunit 50100 A\n{\n#elif B\n}\n", [(3, "ALC0104")]),
    ("codeunit 50100 A\n{\n#if X\n#endif\n#endif\n}\n", [(5, "ALC0104")]),
    ("codeunit 50100 A\n{\n#if X and\n#endif\n}\n", [(3, "ALC0104")]),
    ("codeunit 50100 A\n{\n#if (X\n#endif\n}\n", [(3, "ALC0104")]),
    ("codeunit 50100 A\n{\n#if\n#endif\n}\n", [(3, "ALC0104")]),
    ("codeunit 50100 A\n{\n#if X Y\n#endif\n}\n", [(3, "ALC0104")]),
    ("codeunit 50100 A\n{\n#iff X\n}\n", [(3, "ALC0105")]),
])
def test_unbalanced_or_malformed_directives(text, expected):
    result = parse_text(text)
    assert codes(result) == expected
    assert [o.name for o in result.objects] == ["A"]


def test_if_without_endif_in_a_skipped_branch_points_at_the_if():
    text = "codeunit 50100 A\n{\n}\n\n#if X\ncodeunit 50101 B\n{\n}\n"
    result = parse_text(text)
    assert codes(result) == [(5, "ALC0104")]
    assert [o.name for o in result.objects] == ["A"]


def test_if_without_endif_in_a_taken_branch_points_at_the_if():
    text = "codeunit 50100 A\n{\n}\n\n#if X\ncodeunit 50101 B\n{\n}\n"
    result = parse_text(text, symbols=["X"])
    assert codes(result) == [(5, "ALC0104")]


def test_if_without_endif_in_a_taken_branch_is_reported():
    text = "codeunit 50100 A\n{\n}\n\n#if X\ncodeunit 50101 B\n{\n}\n"
    result = parse_text(text, symbols=["X"])
    assert [d.code for d in result.diagnostics] == ["ALC0104"]
    assert [o.name for o in result.objects] == ["A", "B"]


def test_hash_in_the_middle_of_a_line_is_not_a_directive():
    result = parse_text("codeunit 50100 A\n{\n    var X: Integer; #if X\n}\n")
    assert (3, "ALC0103") in codes(result)
    assert result.trivia == ()


# ------------------------------------------------------------------ spans --

def test_spans_point_into_the_original_text_after_skipped_lines():
    text = textwrap.dedent("""\
        #if not CLEAN27
        codeunit 50100 Old
        {
            procedure P()
            begin
            end;
        }
        #endif
          codeunit 50101 New
        {
            procedure Q()
            begin
        #if CLEAN27
                A := 1;
                B := 2;
        #endif
                C := 3;
            end;
        }
    """)
    for lazy in (False, True):
        unit = parse_text(text, symbols=["CLEAN27"], lazy_bodies=lazy).unit
        (new,) = unit.objects
        assert (new.span.line, new.span.col, new.span.end_line, new.span.end_col) == (9, 3, 19, 2)
        proc = new.procedures[0]
        assert (proc.span.line, proc.span.col) == (11, 5)
        body = proc.body if not lazy else parse_body(proc.body)[0]
        a, b, c = body.statements
        assert (a.span.line, a.span.col) == (14, 9)
        assert (c.span.line, c.span.col, c.span.end_line, c.span.end_col) == (17, 9, 17, 15)
        assert c.span.text == "C := 3"


def test_diagnostics_after_skipped_lines_have_the_original_line():
    text = "#if X\nline 2 is skipped ~~~\nline 3 too\n#endif\ncodeunit 50100 A\n{\n    bad bad\n}\n"
    result = parse_text(text)
    assert codes(result) == [(7, "ALC0101")]
    (d,) = result.diagnostics
    assert (d.span.line, d.span.col) == (7, 9)
