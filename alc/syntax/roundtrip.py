"""Parse -> print -> parse: whether the printer gives back what the parser read
(`alc parse --roundtrip`). It stands above both, in the syntax layer.
"""

from __future__ import annotations

from typing import Any, Iterable

from ..ir import nodes as ir
from ..ir.visit import walk
from ..printer import print_unit, same_ir
from .api import parse_text

__all__ = ["check_roundtrip"]


def check_roundtrip(result: Any, symbols: Iterable[str] = ()) -> bool:
    """Print ``result.unit``, parse the text again with the same symbols, and
    tell whether that gives no errors and the same namespace, usings and
    objects (spans aside). A unit with lazy code bodies is parsed again
    with lazy bodies, so that they compare as text.

    >>> check_roundtrip(parse_text("codeunit 1 C { procedure P(): Integer begin exit(1 + 2 * 3); end; }"))
    True
    """
    unit = result.unit
    try:
        text = print_unit(unit)
    except RecursionError:  # nesting deeper than Python's stack: report it as a difference
        return False
    again = parse_text(text, path=unit.path, symbols=symbols, lazy_bodies=_has_lazy_bodies(unit))
    if not again.ok:
        return False
    other = again.unit
    return same_ir((unit.namespace, unit.usings, unit.objects), (other.namespace, other.usings, other.objects))


def _has_lazy_bodies(unit: ir.CompilationUnit) -> bool:
    """Whether ``unit`` was parsed with lazy bodies: a parse makes every code
    body lazy or none, so the first body found tells."""
    for node in walk(unit):
        if type(node) in (ir.Procedure, ir.Trigger) and node.body is not None:
            return isinstance(node.body, ir.LazyBody)
    return False
