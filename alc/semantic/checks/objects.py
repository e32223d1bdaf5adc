"""Object-level rules: unique ids and names per kind (in the app and against
its dependencies), ids inside `idRanges`, names of at most 30 characters,
extension targets that exist."""

from __future__ import annotations

from ..context import CheckContext
from ..model import EXTENSION_OF, fold

MAX_NAME = 30
# Kinds whose names are limited to 30 characters (enums, interfaces, entitlements,
# control add-ins and permission set extensions have longer names in Microsoft's apps).
_LIMITED = frozenset(("table", "tableextension", "page", "pageextension", "codeunit", "report",
                      "reportextension", "query", "xmlport", "permissionset", "profile"))
_NO_ID = frozenset(("interface", "profile", "profileextension", "controladdin", "entitlement",
                    "pagecustomization", "dotnet"))


def check_objects(ctx: CheckContext) -> None:
    by_id: dict = {}
    by_name: dict = {}
    for obj in ctx.objects:
        kind = obj.kind
        if kind == "dotnet" or is_moved(obj):
            continue
        if kind not in _NO_ID and obj.id is not None:
            _unique(ctx, by_id, (kind, obj.id), obj, "ALC0201", f"{kind} id `{obj.id}`")
            for entry in ctx.table.find_id(kind, obj.id):
                if not entry.app.is_project:
                    ctx.error("ALC0201", f"{kind} id `{obj.id}` is already used by `{entry.obj.name}` "
                              f"in the dependency `{entry.app.name}`", obj.span)
            if ctx.manifest is not None and ctx.manifest.id_ranges and not ctx.manifest.in_id_ranges(obj.id):
                ranges = ", ".join(f"{r.start}..{r.end}" for r in ctx.manifest.id_ranges)
                ctx.error("ALC0203", f"{kind} id `{obj.id}` is outside the app's idRanges ({ranges})", obj.span)
        if obj.name:
            _unique(ctx, by_name, (kind, fold(obj.full_name)), obj, "ALC0202", f"{kind} name `{obj.name}`")
            for entry in ctx.table.find(kind, obj.full_name):
                if not entry.app.is_project and fold(entry.obj.full_name) == fold(obj.full_name):
                    ctx.error("ALC0202", f"{kind} name `{obj.name}` is already used in the dependency "
                              f"`{entry.app.name}`", obj.span)
            if kind in _LIMITED and len(obj.name) > MAX_NAME:
                ctx.error("ALC0204", f"{kind} name `{obj.name}` is {len(obj.name)} characters long; "
                          f"the limit is {MAX_NAME}", obj.span)
        if kind in EXTENSION_OF and getattr(obj, "target", ""):
            ctx.resolve(EXTENSION_OF[kind], obj.target, "ALC0205", f"target of {kind} `{obj.name}`", obj.span)


def is_moved(obj) -> bool:
    """`ObsoleteState = Moved` (with `MovedTo`): a stub left where an object moved out to another app."""
    if hasattr(obj, "moved"):  # an object header
        return obj.moved
    prop = obj.get_property("ObsoleteState")
    value = prop.value.single if prop is not None and hasattr(prop.value, "single") else None
    return getattr(value, "value", "").casefold() == "moved" if value is not None else False


def _unique(ctx: CheckContext, seen: dict, key, obj, code: str, what: str) -> None:
    first = seen.get(key)
    if first is None:
        seen[key] = obj
        return
    ctx.error(code, f"{what} is declared twice in this app", obj.span,
              notes=(f"first declared at {first.span.display_path()}({first.span.line},{first.span.col})",)
              if first.span is not None else ())
