"""The printer: IR back to AL source, formatted the way AL developers write it.

Four-space indents, braces on their own lines, one property per line, a
blank line between sections and between procedures, `begin`/`end` on their
own lines, lowercase keywords. Printing then parsing gives back an equal IR
(:func:`alc.syntax.roundtrip.check_roundtrip`); comments and preprocessor directives outside
lazy code bodies are not part of the IR and are not printed.

>>> from alc import parse_text
>>> print(print_unit(parse_text("table 50100 Thing { fields { field(1; \\"No.\\"; Code[20]) { } } }").unit), end="")
table 50100 Thing
{
    fields
    {
        field(1; "No."; Code[20]) { }
    }
}
"""

from __future__ import annotations

from typing import Any

import attrs

from ..ir import nodes as ir
from .code import stmt_lines
from .expr import expr_text, type_text
from .objects import object_lines, unit_text
from .props import property_lines

__all__ = ["print_unit", "print_object", "print_expr", "print_statement", "print_type", "print_property",
           "same_ir"]


def print_unit(unit: ir.CompilationUnit) -> str:
    """A file: namespace, usings and objects, ending with a newline.

    >>> print(print_unit(ir.CompilationUnit("x.al", "Demo", ("System.Utilities",))), end="")
    namespace Demo;
    <BLANKLINE>
    using System.Utilities;
    """
    return unit_text(unit)


def print_object(obj: Any) -> str:
    """One object, without a final newline.

    >>> print(print_object(ir.Codeunit(50100, "Hello World", implements=("IGreeter",))))
    codeunit 50100 "Hello World" implements IGreeter
    {
    }
    """
    return "\n".join(object_lines(obj))


def print_expr(expr: Any) -> str:
    """An expression, with only the parentheses its tree needs.

    >>> from alc import parse_expression
    >>> print_expr(parse_expression("((a + b)) * (c - (d - e))"))
    '(a + b) * (c - (d - e))'
    >>> print_expr(ir.Binary("and", ir.Binary("=", ir.Name("a"), ir.Name("b")), ir.Name("c")))
    '(a = b) and c'
    """
    return expr_text(expr)


def print_statement(stmt: Any, indent: int = 0) -> str:
    """A statement and its `;`, at ``indent`` levels of four spaces.

    >>> stmt = ir.If(ir.Name("Found"), ir.Exit(ir.Literal("boolean", True)), None)
    >>> print(print_statement(stmt))
    if Found then
        exit(true);
    """
    lines = stmt_lines(stmt, indent)
    lines[-1] += ";"
    return "\n".join(lines)


def print_type(typeref: ir.TypeRef) -> str:
    """A data type.

    >>> print_type(ir.TypeRef("Array", dimensions=(ir.Literal("integer", "10"),), element=ir.TypeRef("Decimal")))
    'array[10] of Decimal'
    """
    return type_text(typeref)


def print_property(prop: ir.Property) -> str:
    """A property and its `;`, not indented (a long TableRelation or
    Permissions list continues on indented lines).

    >>> print_property(ir.Property("Caption", ir.Values((ir.Literal("string", "Customer"),))))
    "Caption = 'Customer';"
    """
    return "\n".join(property_lines(prop, 0))


def same_ir(a: Any, b: Any) -> bool:
    """IR equality as ``==`` defines it (spans and other ``eq=False`` fields
    aside), without recursion, so that trees a thousand levels deep compare.

    >>> same_ir(ir.Binary("+", ir.Name("a"), ir.Name("b")), ir.Binary("+", ir.Name("A"), ir.Name("b")))
    False
    """
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if x is y:
            continue
        t = type(x)
        if t is not type(y):
            return False
        if t is tuple:
            if len(x) != len(y):
                return False
            stack.extend(zip(x, y))
        elif attrs.has(t) and t is not ir.LazyBody:
            stack.extend((getattr(x, f.name), getattr(y, f.name)) for f in attrs.fields(t) if f.eq)
        elif x != y:
            return False
    return True
