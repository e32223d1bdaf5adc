"""Expressions and data types, with the fewest parentheses that keep the tree.

AL's precedence, tightest first: postfix `.` `[]` `()` `::`; unary `not`
`-` `+`; `*` `/` `div` `mod`; `+` `-`; `in` `is` `as`; `and`; `or` `xor`;
the comparisons; the ternary `? :` (right-associative). Binary operators
are left-associative, so a right operand of the same level is wrapped.

>>> from alc.ir.nodes import Binary, Name
>>> expr_text(Binary("-", Name("a"), Binary("-", Name("b"), Name("c"))))
'a - (b - c)'
>>> expr_text(Binary("=", Name("a"), Binary("and", Name("b"), Name("c"))))
'a = b and c'
"""

from __future__ import annotations

from typing import Any

from ..ir import nodes as ir
from .text import STRICT_RESERVED, dotted, name, string

__all__ = ["expr_text", "target_text", "type_text", "named_value_text", "PREC"]

TERNARY, COMPARISON, OR, AND, TYPE_TEST, ADDITIVE, MULTIPLICATIVE, UNARY, POSTFIX, PRIMARY = range(1, 11)

PREC = {
    "=": COMPARISON, "<>": COMPARISON, "<": COMPARISON, ">": COMPARISON, "<=": COMPARISON,
    ">=": COMPARISON, "or": OR, "xor": OR, "and": AND, "in": TYPE_TEST, "is": TYPE_TEST,
    "as": TYPE_TEST, "+": ADDITIVE, "-": ADDITIVE, "*": MULTIPLICATIVE, "/": MULTIPLICATIVE,
    "div": MULTIPLICATIVE, "mod": MULTIPLICATIVE,
}

# A statement that is only one of these names must quote it, or it would
# read back as the statement of that keyword (`"Continue";` is a call).
_STATEMENT_WORDS = frozenset(("break", "continue", "asserterror"))


def precedence(e: Any) -> int:
    """How tightly ``e`` binds; a lower number needs parentheses in more places."""
    t = type(e)
    if t is ir.Binary:
        return PREC[e.op]
    if t is ir.Unary:
        return UNARY
    if t is ir.Ternary or t is ir.Range:
        return TERNARY
    if t in (ir.Member, ir.Scope, ir.Call, ir.Index):
        return POSTFIX
    return PRIMARY


def expr_text(e: Any, min_prec: int = TERNARY) -> str:
    """``e`` as text, in parentheses when it binds looser than ``min_prec``.

    >>> from alc import parse_expression
    >>> expr_text(parse_expression("(a + b) * -c.d(1, 'x')"))
    "(a + b) * -c.d(1, 'x')"
    """
    text = _bare(e)
    return f"({text})" if precedence(e) < min_prec else text


def target_text(e: Any) -> str:
    """``e`` where a statement starts: a postfix chain rooted in a name,
    `this` or a parenthesized expression (`('a').ToUpper()`).

    >>> from alc.ir.nodes import Call, Literal, Member
    >>> target_text(Call(Member(Literal("string", "a"), "Trim"), ()))
    "('a').Trim()"
    """
    t = type(e)
    if t is ir.Name or t is ir.This:
        return _bare(e)
    if t in _POSTFIX:
        return _POSTFIX[t](e, target_text(e.target))
    return f"({expr_text(e)})"


def statement_expr_text(e: Any) -> str:
    """An expression used as a statement (a call, or a bare name)."""
    if type(e) is ir.Name and e.value.lower() in _STATEMENT_WORDS:
        return f'"{e.value}"'
    return target_text(e)


def _bare(e: Any) -> str:
    t = type(e)
    if t is ir.Name:
        return name(e.value)
    if t is ir.Literal:
        return literal_text(e)
    if t is ir.Binary:
        return _binary(e)
    if t is ir.Unary:
        operand = expr_text(e.operand, UNARY)
        if e.op == "not":
            return f"not {operand}"
        # `- -a`: keep unary signs apart so they read as two operators
        return f"{e.op} {operand}" if operand[:1] in "+-" else f"{e.op}{operand}"
    if t in _POSTFIX:
        return _POSTFIX[t](e, expr_text(e.target, POSTFIX))
    if t is ir.This:
        return "this"
    if t is ir.Ternary:
        return (f"{expr_text(e.condition, COMPARISON)} ? {expr_text(e.then)} : "
                f"{expr_text(e.otherwise)}")
    if t is ir.ListExpr:
        return "[" + ", ".join(expr_text(x) for x in e.items) + "]"
    if t is ir.Range:
        low = expr_text(e.low) if e.low is not None else ""
        high = expr_text(e.high) if e.high is not None else ""
        return f"{low}..{high}"
    if t is ir.TypeRef:  # an `Enum "X"` element argument
        return type_text(e)
    raise TypeError(f"not an expression: {e!r}")


def _binary(e: ir.Binary) -> str:
    """A chain of one precedence level, walked along its left spine without
    recursion: generated code concatenates a thousand strings in one line."""
    p = PREC[e.op]
    rights = []
    while type(e) is ir.Binary and PREC[e.op] == p:
        rights.append(f" {e.op} {expr_text(e.right, p + 1)}")
        e = e.left
    return expr_text(e, p) + "".join(reversed(rights))


def _scope_name(text: str) -> str:
    return text if text.isascii() and text.isdigit() else name(text, STRICT_RESERVED)


_POSTFIX = {
    ir.Member: lambda e, target: f"{target}.{name(e.name, STRICT_RESERVED)}",
    ir.Scope: lambda e, target: f"{target}::{_scope_name(e.name)}",
    ir.Call: lambda e, target: f"{target}(" + ", ".join(expr_text(a) for a in e.arguments) + ")",
    ir.Index: lambda e, target: f"{target}[" + ", ".join(expr_text(a) for a in e.indices) + "]",
}


def literal_text(lit: ir.Literal) -> str:
    """A literal as written: strings quoted, `true`/`false`, `10000L`, `0D`.

    >>> literal_text(ir.Literal("biginteger", "10000")), literal_text(ir.Literal("boolean", False))
    ('10000L', 'false')
    """
    kind, value = lit.kind, lit.value
    if kind == "string":
        return string(value)
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "biginteger":
        return f"{value}L"
    return str(value)


def named_value_text(nv: ir.NamedValue) -> str:
    """`Comment = 'x'` (a label option, a property option, a TextConst language).

    The value is wrapped when it is a comparison itself, so that the `=` of
    the option stays the outermost operator."""
    return f"{name(nv.name)} = {expr_text(nv.value, COMPARISON + 1)}"


# ------------------------------------------------------------------ types --

def type_text(t: ir.TypeRef) -> str:
    """A data type as AL writes it.

    >>> type_text(ir.TypeRef("Record", subtype="Sales Header", temporary=True))
    'Record "Sales Header" temporary'
    >>> type_text(ir.TypeRef("Option", options=("", "Open", "In Progress")))
    'Option ,Open,"In Progress"'
    >>> inner = ir.TypeRef("Code", length=ir.Literal("integer", "20"))
    >>> type_text(ir.TypeRef("Dictionary", arguments=(ir.TypeRef("Integer"), inner)))
    'Dictionary of [Integer, Code[20]]'
    """
    key = t.name.lower()
    if key == "array" and t.element is not None:
        dims = ", ".join(expr_text(d) for d in t.dimensions)
        return f"array[{dims}] of {type_text(t.element)}"
    if key == "option":  # as written: a table field's type keeps its spelling (`OPTION`)
        members = ",".join(name(m) if m else "" for m in t.options)
        return f"{t.name} {members}" if t.options else t.name
    if key == "label" and t.text is not None:
        return ", ".join([f"Label {string(t.text)}"] + [named_value_text(o) for o in t.text_options])
    if key == "textconst":
        return "TextConst " + ", ".join(named_value_text(o) for o in t.text_options)
    if t.subtype is not None:  # Record, DotNet, Codeunit "X", Enum "Y", Page 21 ...
        kind = "Record" if key == "record" else ("DotNet" if key == "dotnet" else t.name)
        temporary = " temporary" if t.temporary else ""
        return f"{kind} {dotted(t.subtype, numbers=key != 'dotnet')}{temporary}"
    text = dotted(t.name)
    if t.length is not None:
        text += f"[{expr_text(t.length)}]"
    if t.arguments:
        text += " of [" + ", ".join(type_text(a) for a in t.arguments) + "]"
    return text
