"""Event subscriber rules: `[EventSubscriber(ObjectType::X, X::"Name",
'EventName', ...)]` names an object that exists and an event it publishes
(a procedure with [IntegrationEvent]/[BusinessEvent]/[InternalEvent], in the
object or an extension of it, or one of the platform's table and page
events such as `OnAfterInsertEvent`)."""

from __future__ import annotations

from typing import Optional

from ...ir import nodes as ir
from ..context import CheckContext, walk_procedures
from ..model import fold

OBJECT_TYPES = {"codeunit": "codeunit", "table": "table", "page": "page", "report": "report",
                "xmlport": "xmlport", "query": "query"}


def check_events(ctx: CheckContext) -> None:
    for obj in ctx.objects:
        for proc in walk_procedures(obj):
            for attr in proc.attributes:
                if fold(attr.name) == "eventsubscriber":
                    _subscriber(ctx, attr)


def _subscriber(ctx: CheckContext, attr: ir.Attribute) -> None:
    args = attr.arguments
    if len(args) < 3:
        ctx.error("ALC0218", "`EventSubscriber` needs the object type, the object and the event name", attr.span)
        return
    kind = _object_type(args[0])
    ref = _object_ref(args[1])
    event = args[2].value if type(args[2]) is ir.Literal and args[2].kind == "string" else None
    if kind is None or ref is None or event is None:
        return  # not a literal form alc can check
    found = ctx.table.find_ref(kind, ref)
    if not found:
        ctx.unresolved(kind, ref, "ALC0218", "event publisher", attr.span)
        return
    if fold(event) not in ctx.table.events(kind, found):
        ctx.error("ALC0219", f"{kind} `{found[0].obj.name}` publishes no event `{event}`", args[2].span or attr.span)


def _object_type(expr) -> Optional[str]:
    if type(expr) is ir.Scope and type(expr.target) is ir.Name and fold(expr.target.value) == "objecttype":
        return OBJECT_TYPES.get(fold(expr.name))
    return None


def _object_ref(expr) -> Optional[str]:
    """`Codeunit::"Sales-Post"`, `Database::18`, `Codeunit::Microsoft.Sales."Sales-Post"`."""
    parts = []
    while type(expr) is ir.Member:
        parts.append(expr.name)
        expr = expr.target
    if type(expr) is not ir.Scope:
        return None
    parts.append(expr.name)
    return ".".join(reversed(parts))
