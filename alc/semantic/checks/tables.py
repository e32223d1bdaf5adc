"""Table rules: fields a table extension adds or modifies, and the tables
and fields TableRelation and CalcFormula name."""

from __future__ import annotations

from typing import Optional

from ...ir import nodes as ir
from ..context import CheckContext
from ..model import SYSTEM_FIELDS, fold, live_fields

# Field properties a table extension may change with `modify` (the "Extensible" ones).
MODIFIABLE_FIELD_PROPERTIES = frozenset(fold(p) for p in (
    "AllowInCustomizations", "BlankZero", "Caption", "CaptionClass", "CaptionML", "ClosingDates",
    "DataCaptionFields", "Description", "DrillDownPageId", "LookupPageId", "MaskType", "OptionCaption",
    "OptionCaptionML", "TableRelation", "ToolTip", "ToolTipML"))


def check_tables(ctx: CheckContext) -> None:
    for obj in ctx.objects:
        if obj.kind == "table":
            for f in obj.fields:
                _field_references(ctx, obj.name, f)
        elif obj.kind == "tableextension":
            _table_extension(ctx, obj)


def _table_extension(ctx: CheckContext, ext: ir.TableExtension) -> None:
    found = ctx.table.find("table", ext.target)
    if not found:
        return  # reported by the object rules
    # By name in messages and lookups, also when the extension gives the table's id.
    target = ext.target if not ext.target.isdigit() else found[0].obj.name
    existing = _foreign_fields(ctx, target, ext)
    ids = {f.id: app for f, app in existing.values()}
    for member in ext.fields:
        if type(member) is ir.TableField:
            other = existing.get(fold(member.name))
            if other is not None:
                ctx.error("ALC0207", f"field `{member.name}` already exists in table `{target}`"
                          f"{_by(other[1])}", member.span)
            if member.id in ids:
                ctx.error("ALC0206", f"field id `{member.id}` already exists in table `{target}`"
                          f"{_by(ids[member.id])}", member.span)
            _field_references(ctx, target, member)
        elif member.op == "modify":
            if fold(member.anchor or "") not in ctx.table.table_fields(target) \
                    and fold(member.anchor or "") not in SYSTEM_FIELDS:
                ctx.error("ALC0208", f"`modify` names field `{member.anchor}`, which table `{target}` does not have",
                          member.span)
            for prop in member.properties:
                if fold(prop.name) not in MODIFIABLE_FIELD_PROPERTIES:
                    ctx.error("ALC0209", f"property `{prop.name}` of a table field cannot be changed by an "
                              f"extension", prop.span,
                              help="an extension may change: " + ", ".join(sorted(MODIFIABLE_FIELD_PROPERTIES)))
            for prop in member.properties:
                if fold(prop.name) == "tablerelation":
                    _relation(ctx, target, prop)


def _foreign_fields(ctx: CheckContext, target: str, ext: ir.TableExtension) -> dict:
    """Fields of the target and of extensions from other apps (the project's own are checked as declared)."""
    out = {}
    for entry in ctx.table.find("table", target):
        for f in live_fields(entry.obj):
            out.setdefault(fold(f.name), (f, entry.app))
    for entry in ctx.table.extensions_of("table", target):
        if not entry.app.is_project:
            for f in live_fields(entry.obj):
                out.setdefault(fold(f.name), (f, entry.app))
    return out


def _by(app) -> str:
    return "" if app.is_project else f" (declared by `{app.name}`)"


def _field_references(ctx: CheckContext, table: str, f: ir.TableField) -> None:
    for prop in f.properties:
        name = fold(prop.name)
        if name == "tablerelation" or name == "calcformula":
            _relation(ctx, table, prop)


def _relation(ctx: CheckContext, current: str, prop: ir.Property) -> None:
    value = prop.value
    if type(value) is ir.TableRelationValue:
        for alt in value.alternatives():
            for link in alt.condition or ():
                _current_field(ctx, current, link.field, prop, link.span)
            target = _target(ctx, alt.target, prop, alt.span)
            if target is not None:
                _links(ctx, target, current, alt.where, prop)
    elif type(value) is ir.CalcFormulaValue:
        target = _target(ctx, value.target, prop, value.span)
        if target is not None:
            _links(ctx, target, current, value.where, prop)


def _target(ctx: CheckContext, parts: tuple, prop: ir.Property, span) -> Optional[str]:
    """Resolve `Table[.Field]` (the table may be namespace-qualified); the table name, or None."""
    # `"G/L Account"."No."` is a table and a field; `Microsoft.Sales.Customer.Customer` is a
    # qualified table. A table named by all but the last part wins, then the whole name.
    table, field = ".".join(parts), None
    if len(parts) > 1 and ctx.table.find("table", ".".join(parts[:-1]), exact=True):
        table, field = ".".join(parts[:-1]), parts[-1]
    elif not ctx.table.find("table", table) and len(parts) > 1:
        table, field = ".".join(parts[:-1]), parts[-1]
    if not ctx.table.find("table", table):
        ctx.unresolved("table", table, "ALC0214", f"{prop.name} names an unknown table", span or prop.span)
        return None
    if field is not None:
        _field_of(ctx, table, field, prop, span)
    return table


def _links(ctx: CheckContext, target: str, current: str, links: tuple, prop: ir.Property) -> None:
    for link in links:
        _field_of(ctx, target, ".".join(link.field), prop, link.span)
        if link.kind == "field" and len(link.value) == 1:
            _current_field(ctx, current, link.value, prop, link.span)


def _current_field(ctx: CheckContext, table: str, parts: tuple, prop: ir.Property, span) -> None:
    if len(parts) == 1:
        _field_of(ctx, table, parts[0], prop, span)


def _field_of(ctx: CheckContext, table: str, field: str, prop: ir.Property, span) -> None:
    key = fold(field)
    if key in SYSTEM_FIELDS or key in ctx.table.table_fields(table):
        return
    ctx.error("ALC0215", f"{prop.name} names field `{field}`, which table `{table}` does not have",
              span or prop.span)
