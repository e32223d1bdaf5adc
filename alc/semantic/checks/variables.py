"""Type rules: a Record, Codeunit, Page, Report, Query, XmlPort, Enum or
Interface type (of a variable, parameter, return value or table field)
names an object that exists."""

from __future__ import annotations

from typing import Iterable, Iterator

from ...ir import nodes as ir
from ..context import CheckContext, walk_procedures
from ..model import fold

TYPE_KINDS = {"record": "table", "codeunit": "codeunit", "page": "page", "report": "report",
              "query": "query", "xmlport": "xmlport", "enum": "enum", "interface": "interface",
              "testpage": "page", "testrequestpage": "report"}


def check_types(ctx: CheckContext) -> None:
    for obj in ctx.objects:
        for type_ref, span in _types(obj):
            _check(ctx, type_ref, span)


def _types(obj) -> Iterator[tuple]:
    for v in obj.variables:
        yield v.type, v.span
    for proc in walk_procedures(obj):
        yield from _signature(proc)
    for f in getattr(obj, "fields", ()):
        if type(f) is ir.TableField:
            yield f.type, f.span
    rp = getattr(obj, "requestpage", None)
    if rp is not None:
        for v in rp.variables:
            yield v.type, v.span


def _signature(proc) -> Iterator[tuple]:
    for p in proc.parameters:
        yield p.type, p.span
    if proc.return_type is not None:
        yield proc.return_type, proc.return_type.span
    for v in proc.variables:
        yield v.type, v.span


def _check(ctx: CheckContext, t: ir.TypeRef, span) -> None:
    name = fold(t.name)
    if name == "array" and t.element is not None:
        _check(ctx, t.element, span)
        return
    for arg in t.arguments:
        _check(ctx, arg, span)
    kind = TYPE_KINDS.get(name)
    if kind is None or not t.subtype:
        return
    ctx.resolve(kind, t.subtype, "ALC0220", f"type `{t.name} {t.subtype}`", t.span or span)
