"""Page rules: SourceTable exists; a field control's `Rec.X` source names a
field (or method) of the source table; a page extension's anchors and
`modify` targets exist in the target page or in what extensions add."""

from __future__ import annotations

from typing import Iterable, Optional

from ...ir import nodes as ir
from ...ir.anchors import PROMOTED_CATEGORY, STANDARD_AREAS
from ..context import CheckContext
from ..model import SYSTEM_FIELDS, fold

ANCHORED_OPS = frozenset(("addfirst", "addlast", "addafter", "addbefore", "movefirst", "movelast",
                          "moveafter", "movebefore", "modify"))


def check_pages(ctx: CheckContext) -> None:
    for obj in ctx.objects:
        if obj.kind == "page":
            table = _source_table(ctx, obj)
            if table is not None:
                _controls(ctx, table, obj.layout, _page_names(obj))
        elif obj.kind in ("pageextension", "pagecustomization"):
            _extension(ctx, obj)


def _source_table(ctx: CheckContext, page) -> Optional[str]:
    prop = page.get_property("SourceTable")
    if prop is None or type(prop.value) is not ir.Values or prop.value.single is None:
        return None
    ref = _ref_text(prop.value.single)
    if ref is None:
        return None
    found = ctx.resolve("table", ref, "ALC0212", f"SourceTable of page `{page.name}`", prop.span)
    return found[0].obj.name if found else None


def _ref_text(expr) -> Optional[str]:
    t = type(expr)
    if t is ir.Name:
        return expr.value
    if t is ir.Literal and expr.kind == "integer":
        return str(expr.value)
    if t is ir.Member:  # namespace-qualified: Microsoft.Sales.Customer.Customer
        inner = _ref_text(expr.target)
        return f"{inner}.{expr.name}" if inner is not None else None
    return None


def _page_names(page) -> frozenset:
    """Names a bare source expression may mean besides a field: globals and procedures."""
    return frozenset(fold(v.name) for v in page.variables) | frozenset(fold(p.name) for p in page.procedures)


def _controls(ctx: CheckContext, table: str, controls: Iterable, page_names: frozenset) -> None:
    for c in controls:
        if c.kind == "field" and c.source is not None:
            _field_source(ctx, table, c, page_names)
        _controls(ctx, table, c.controls, page_names)


def _field_source(ctx: CheckContext, table: str, control: ir.Control, page_names: frozenset) -> None:
    src = control.source
    if type(src) is ir.Member and type(src.target) is ir.Name and fold(src.target.value) == "rec":
        name = src.name
    else:
        return  # a variable, a procedure call or an expression: not a field reference
    key = fold(name)
    if key in SYSTEM_FIELDS or key in ctx.table.table_fields(table) or key in ctx.table.table_methods(table):
        return
    ctx.error("ALC0213", f"field `{control.name}` shows `Rec.{name}`, which table `{table}` does not have",
              control.span)


def _extension(ctx: CheckContext, ext) -> None:
    pages = ctx.table.find("page", ext.target)
    if not pages:
        return  # reported by the object rules
    target = pages[0].obj.name
    controls = set(ctx.table.page_controls(target))
    actions = set(ctx.table.page_actions(target))
    own_controls: set = set()
    own_actions: set = set()
    for change in ext.layout:
        _added(change.members, own_controls, "controls")
    for change in ext.actions:
        _added(change.members, own_actions, "actions")
    table = _target_source_table(ctx, target)
    for change in ext.layout:
        _anchor(ctx, change, controls | own_controls, "control", target)
        if table is not None:
            _controls(ctx, table, change.members, frozenset(fold(v.name) for v in ext.variables)
                      | frozenset(fold(p.name) for p in ext.procedures))
    for change in ext.actions:
        _anchor(ctx, change, actions | own_actions, "action", target)


def _added(members, out: set, child: str) -> None:
    for m in members:
        out.add(fold(m.name))
        _added(getattr(m, child, ()), out, child)
        for a in getattr(m, "actions", ()) if child == "controls" else ():
            out.add(fold(a.name))


def _anchor(ctx: CheckContext, change: ir.Change, known: set, what: str, page: str) -> None:
    if change.op not in ANCHORED_OPS or change.anchor is None:
        return
    if fold(change.anchor) not in known and not (change.op in ("addfirst", "addlast")
                                                  and fold(change.anchor) in STANDARD_AREAS[what]) \
            and not (what == "action" and PROMOTED_CATEGORY.match(change.anchor)):
        code = "ALC0211" if change.op == "modify" else "ALC0210"
        ctx.error(code, f"`{change.op}` names {what} `{change.anchor}`, which page `{page}` does not have",
                  change.span)
    for name in change.targets:
        if fold(name) not in known:
            ctx.error("ALC0210", f"`{change.op}` moves {what} `{name}`, which page `{page}` does not have",
                      change.span)


def _target_source_table(ctx: CheckContext, page: str) -> Optional[str]:
    for entry in ctx.table.find("page", page):
        value = entry.obj.get_property("SourceTable")
        if value:
            found = ctx.table.find_ref("table", value.strip('"'))
            if found:
                return found[0].obj.name
    return None
