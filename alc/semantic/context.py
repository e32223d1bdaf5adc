"""What every check gets: the project's IR, its manifest, the symbol table,
and helpers to resolve references and report diagnostics.

Unresolved references: with the platform's System package in the package
cache, a name that resolves nowhere is an error with the check's own code;
without it, the name may be a platform object (`Company`, `User`, system
codeunits...), so it is the warning ALC0221 instead.
"""

from __future__ import annotations

from typing import Iterator, Optional

import attrs

from ..diagnostics import Diagnostic, Label
from ..ir import nodes as ir
from ..source import Span
from .model import Entry, SymbolTable, fold

__all__ = ["CheckContext", "walk_procedures"]


@attrs.define
class CheckContext:
    objects: tuple                    # the project's IR objects
    table: SymbolTable
    manifest: object = None           # AppManifest (id ranges, name...)
    diagnostics: list = attrs.Factory(list)

    def error(self, code: str, message: str, span: Optional[Span], **kw) -> None:
        self.diagnostics.append(Diagnostic.error(code, message, span, **kw))

    def warning(self, code: str, message: str, span: Optional[Span], **kw) -> None:
        self.diagnostics.append(Diagnostic.warning(code, message, span, **kw))

    def resolve(self, kind: str, ref: str, code: str, what: str, span: Optional[Span]) -> list[Entry]:
        """Resolve an object reference; report it when it resolves nowhere."""
        found = self.table.find_ref(kind, ref)
        if not found:
            self.unresolved(kind, ref, code, what, span)
        return found

    def unresolved(self, kind: str, ref: str, code: str, what: str, span: Optional[Span]) -> None:
        if self.table.platform_available:
            self.error(code, f"{what}: {kind} `{ref}` is not declared in this app or its dependencies", span)
        else:
            self.warning("ALC0221", f"{what}: {kind} `{ref}` is not declared in this app or its dependencies; "
                         "it may be a platform object", span,
                         help="add the platform's System symbols package to the package cache to check it")


def walk_procedures(obj) -> Iterator:
    """Every procedure and trigger of an object, nested ones (fields, controls...) included."""
    yield from obj.procedures
    yield from obj.triggers
    for member in _members(obj):
        yield from getattr(member, "triggers", ())


def _members(node) -> Iterator:
    for name in ("fields", "layout", "actions", "controls", "dataset", "children", "members", "elements",
                 "schema"):
        for child in getattr(node, name, ()) or ():
            yield child
            yield from _members(child)
    rp = getattr(node, "requestpage", None)
    if rp is not None:
        yield rp
        yield from _members(rp)
