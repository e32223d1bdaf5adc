"""AL text of IR expressions and property values, for the string values
symbols carry (`SourceExpression`, `TableRelation`, `CalcFormula`, ...): a
thin layer over the printer, so that there is one way to write AL.

>>> from alc import parse_expression
>>> expr(parse_expression('Rec."No." + 1'))
'Rec."No." + 1'
>>> expr(parse_expression("(a or b) and c"))
'(a or b) and c'
"""

from __future__ import annotations

from typing import Optional

from ..ir import nodes as ir
from ..printer.expr import expr_text as expr
from ..printer.props import permission_text, relation_text, structured_value_text
from ..printer.text import dotted, parts

__all__ = ["name", "expr", "property_value"]


def name(text: str) -> str:
    """An identifier, quoted when it must be.

    >>> print(name("Amount"), name("No."), name('a"b'))
    Amount "No." "a""b"
    """
    return dotted(text) if "." not in text else parts((text,))


def property_value(value) -> Optional[str]:
    """AL text of a structured property value (None for plain Values, which
    symbols render themselves)."""
    t = type(value)
    if t is ir.TableRelationValue:
        return " else ".join(relation_text(r) for r in value.alternatives())
    if t is ir.PermissionsValue:
        return ", ".join(permission_text(p) for p in value.permissions)
    return structured_value_text(value)
