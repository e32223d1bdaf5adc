"""AL text of IR expressions and property values, for the string values
symbols carry (`SourceExpression`, `TableRelation`, `CalcFormula`, ...).

Only what symbols need: expressions with AL's precedence and quoting, and
the structured property values. (A full source printer belongs to the
syntax layer; this one never prints statements.)

>>> from alc import parse_expression
>>> expr(parse_expression('Rec."No." + 1'))
'Rec."No." + 1'
>>> expr(parse_expression("(a or b) and c"))
'(a or b) and c'
"""

from __future__ import annotations

import re
from typing import Optional

from ..ir import nodes as ir

__all__ = ["name", "expr", "property_value"]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Loosest to tightest, as the grammar binds them (comparisons are looser than and/or).
_PRECEDENCE = {"?": 0, "=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1, "or": 2, "xor": 2, "and": 3,
               "in": 4, "is": 4, "as": 4, "+": 5, "-": 5, "*": 6, "/": 6, "div": 6, "mod": 6}
_UNARY, _POSTFIX = 7, 8


def name(text: str) -> str:
    """An identifier, quoted when it must be.

    >>> print(name("Amount"), name("No."), name('a"b'))
    Amount "No." "a""b"
    """
    return text if _IDENT.match(text) else '"' + text.replace('"', '""') + '"'


def _string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _precedence(e) -> int:
    if isinstance(e, ir.Binary):
        return _PRECEDENCE.get(e.op, 1)
    if isinstance(e, ir.Ternary):
        return 0
    if isinstance(e, ir.Unary):
        return _UNARY
    return _POSTFIX


def _wrap(e, minimum: int) -> str:
    text = expr(e)
    return f"({text})" if _precedence(e) < minimum else text


def expr(e) -> str:
    """AL text of an expression."""
    t = type(e)
    if e is None:
        return ""
    if t is ir.Name:
        return name(e.value)
    if t is ir.Literal:
        if e.kind == "string":
            return _string(e.value)
        if e.kind == "boolean":
            return "true" if e.value else "false"
        return str(e.value)
    if t is ir.This:
        return "this"
    if t is ir.Member:
        return f"{_wrap(e.target, _POSTFIX)}.{name(e.name)}"
    if t is ir.Scope:
        return f"{_wrap(e.target, _POSTFIX)}::{name(e.name)}"
    if t is ir.Call:
        return f"{_wrap(e.target, _POSTFIX)}({', '.join(expr(a) for a in e.arguments)})"
    if t is ir.Index:
        return f"{_wrap(e.target, _POSTFIX)}[{', '.join(expr(i) for i in e.indices)}]"
    if t is ir.Unary:
        sep = " " if e.op == "not" else ""
        return f"{e.op}{sep}{_wrap(e.operand, _UNARY)}"
    if t is ir.Binary:
        p = _PRECEDENCE.get(e.op, 1)
        return f"{_wrap(e.left, p)} {e.op} {_wrap(e.right, p + 1)}"
    if t is ir.Ternary:
        return f"{_wrap(e.condition, 1)} ? {_wrap(e.then, 1)} : {_wrap(e.otherwise, 0)}"
    if t is ir.ListExpr:
        return "[" + ", ".join(expr(i) for i in e.items) + "]"
    if t is ir.Range:
        return f"{expr(e.low)}..{expr(e.high)}"
    if t is ir.PairValue:
        return f"{expr(e.first)} : {expr(e.second)}"
    if t is ir.NamedValue:
        return f"{e.name} = {expr(e.value)}"
    return str(e)


def _dotted(parts: tuple) -> str:
    return ".".join(name(p) for p in parts)


def _link(link: ir.Link) -> str:
    if link.kind == "field":
        value = _dotted(link.value) if isinstance(link.value, tuple) else str(link.value)
        inner = f"{link.function}({value})" if link.function else value
        return f"{_dotted(link.field)} = field({inner})"
    return f"{_dotted(link.field)} = {link.kind}({link.value})"


def _where(links: tuple) -> str:
    return f" where({', '.join(_link(link) for link in links)})" if links else ""


def _relation(rel: ir.TableRelationValue) -> str:
    text = ""
    if rel.condition is not None:
        text += f"if ({', '.join(_link(link) for link in rel.condition)}) "
    text += _dotted(rel.target) + _where(rel.where)
    if rel.otherwise is not None:
        text += " else " + _relation(rel.otherwise)
    return text


def property_value(value) -> Optional[str]:
    """AL text of a structured property value (None for plain Values, which
    symbols render themselves)."""
    t = type(value)
    if t is ir.TableRelationValue:
        return _relation(value)
    if t is ir.CalcFormulaValue:
        return f"{'-' if value.negated else ''}{value.method}({_dotted(value.target)}{_where(value.where)})"
    if t is ir.LinksValue:
        return ", ".join(_link(link) for link in value.links)
    if t is ir.TableViewValue:
        parts = []
        clauses = value.order_of_clauses or ("sorting", "order", "where")
        for clause in clauses:
            if clause == "sorting" and value.sorting:
                parts.append(f"sorting({', '.join(_dotted(s) if isinstance(s, tuple) else name(s) for s in value.sorting)})")
            elif clause == "order" and value.order:
                parts.append(f"order({value.order})")
            elif clause == "where" and value.where:
                parts.append(_where(value.where).strip())
        return " ".join(parts)
    if t is ir.PermissionsValue:
        return ", ".join(f"{p.kind} {p.target if p.target.isdigit() or p.target == '*' else name(p.target)}"
                         f" = {p.rights}" for p in value.permissions)
    if t is ir.ObjectRefValue:
        return f"{value.kind} {name(value.name)}"
    return None
