"""Tree shapes of AL expressions: every precedence level and tricky form."""

import pytest

from alc import parse_expression
from alc.ir.nodes import Binary, Call, Index, ListExpr, Literal, Member, Name, Range, Scope, Ternary, This, Unary


def n(x):
    return Name(x)


def b(op, left, right):
    return Binary(op, left, right)


@pytest.mark.parametrize("text, expected", [
    # and/or/xor bind tighter than the comparisons
    ("a = b and c", b("=", n("a"), b("and", n("b"), n("c")))),
    ("a <> b or c", b("<>", n("a"), b("or", n("b"), n("c")))),
    ("a < b xor c", b("<", n("a"), b("xor", n("b"), n("c")))),
    # and binds tighter than or
    ("a or b and c", b("or", n("a"), b("and", n("b"), n("c")))),
    # in/is/as bind tighter than and
    ("a and b in c", b("and", n("a"), b("in", n("b"), n("c")))),
    # additive tighter than in
    ("a in b + c", b("in", n("a"), b("+", n("b"), n("c")))),
    # multiplicative tighter than additive
    ("a + b * c", b("+", n("a"), b("*", n("b"), n("c")))),
    ("a - b div c mod d", b("-", n("a"), b("mod", b("div", n("b"), n("c")), n("d")))),
    # unary tighter than multiplicative
    ("-a * b", b("*", Unary("-", n("a")), n("b"))),
    ("not a and b", b("and", Unary("not", n("a")), n("b"))),
    ("not a = b", b("=", Unary("not", n("a")), n("b"))),
    ("- - a", Unary("-", Unary("-", n("a")))),
    # postfix tighter than unary
    ("-a.b", Unary("-", Member(n("a"), "b"))),
    ("not x.IsEmpty()", Unary("not", Call(Member(n("x"), "IsEmpty"), ()))),
    # left associativity
    ("a - b - c", b("-", b("-", n("a"), n("b")), n("c"))),
    ("a = b = c", b("=", b("=", n("a"), n("b")), n("c"))),
    # ternary: loosest, right-associative
    ("a = b ? c : d", Ternary(b("=", n("a"), n("b")), n("c"), n("d"))),
    ("a ? b : c ? d : e", Ternary(n("a"), n("b"), Ternary(n("c"), n("d"), n("e")))),
    # parentheses
    ("(a = b) and c", b("and", b("=", n("a"), n("b")), n("c"))),
])
def test_precedence(text, expected):
    assert parse_expression(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Codeunit::\"Sales-Post\"", Scope(n("Codeunit"), "Sales-Post")),
    ("Enum::\"Sales Doc\"::Order", Scope(Scope(n("Enum"), "Sales Doc"), "Order")),
    ("Database::18", Scope(n("Database"), "18")),
    ("Rec.\"No.\"", Member(n("Rec"), "No.")),
    ("\"Say \"\"hi\"\"\"", n('Say "hi"')),
    ("'don''t'", Literal("string", "don't")),
    ("this.Name", Member(This(), "Name")),
    ("Codeunit.Run(50100)", Call(Member(n("Codeunit"), "Run"), (Literal("integer", "50100"),))),
    ("Page.RunModal(0, Rec)", Call(Member(n("Page"), "RunModal"), (Literal("integer", "0"), n("Rec")))),
    ("a[1, 2]", Index(n("a"), (Literal("integer", "1"), Literal("integer", "2")))),
    ("x in [1, 3..5, ..9]", b("in", n("x"), ListExpr((Literal("integer", "1"),
                                                      Range(Literal("integer", "3"), Literal("integer", "5")),
                                                      Range(None, Literal("integer", "9")))))),
    ("0D", Literal("date", "0D")),
    ("20240101D", Literal("date", "20240101D")),
    ("120000T", Literal("time", "120000T")),
    ("0DT", Literal("datetime", "0DT")),
    ("10000L", Literal("biginteger", "10000")),
    ("1.5", Literal("decimal", "1.5")),
    ("TRUE", Literal("boolean", True)),
    ("KøbenhavnLbl", n("KøbenhavnLbl")),
    ("filter.column", Member(n("filter"), "column")),
    ("Obj is \"Cost Adjustment\"", b("is", n("Obj"), n("Cost Adjustment"))),
    ("(Impl as IMarker).Mark()", Call(Member(b("as", n("Impl"), n("IMarker")), "Mark"), ())),
])
def test_forms(text, expected):
    assert parse_expression(text) == expected


def test_keywords_are_case_insensitive():
    assert parse_expression("A AND NOT B") == b("and", n("A"), Unary("not", n("B")))


@pytest.mark.parametrize("text", ["a +", "a ..", "(a", "a b", "1..2"])
def test_bad_expressions_raise_value_error(text):
    with pytest.raises(ValueError):
        parse_expression(text)
