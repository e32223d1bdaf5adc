"""AL text of base codeunits, and event subscribers (shared with extensions)."""

from __future__ import annotations

import random
from typing import Callable

from .catalog import Catalog
from .code import Rec, label_section, render_procedure, render_publishers
from .names import literal, quote
from .text import Source

__all__ = ["render_codeunit", "render_subscriber", "render_table_subscriber"]


def render_codeunit(cat: Catalog, c: int, src: Source) -> None:
    spec = cat.codeunit(c)
    rng = random.Random(f"{cat.seed}:codetext:{c}")
    rec = Rec(cat, src, spec.table, rng)
    body: list[str] = []
    labels: set[str] = set()
    for proc in spec.procs:
        render_procedure(rec, proc, labels, body.append, spec.procs[1:])
    for proc in spec.procs:
        if proc.events:
            render_publishers(rec, proc, body.append)
    used: set[str] = set()
    for other, event in spec.subscriptions:
        render_subscriber(cat, src, other, event, _unique(f"Handle{event}", used), body.append)
    for t, event, field in spec.table_events:
        render_table_subscriber(cat, src, t, event, field, _unique(f"{cat.record_var(t)[:20]}{event[:-5]}", used),
                                body.append)
    w = src.lines.append
    w(f"codeunit {cat.codeunit_ids[c]} {quote(cat.codeunit_names[c])}")
    w("{")
    perms = [f"tabledata {rec.type} = rimd"]
    for other in sorted({p.aux for p in spec.procs if p.aux >= 0} - {spec.table}):
        perms.append(f"tabledata {cat.ref(src, 'table', other)} = rimd")
    w(f"    Permissions = {', '.join(perms)};")
    src.lines.extend(label_section(labels))
    src.lines.extend(body)
    w("}")


def _unique(name: str, used: set) -> str:
    out, n = name, 2
    while out.casefold() in used:
        out, n = f"{name}{n}", n + 1
    used.add(out.casefold())
    return out


def render_subscriber(cat: Catalog, src: Source, publisher: int, event: str, name: str,
                      w: Callable[[str], None], publisher_ref: str | None = None, table: int | None = None) -> None:
    """A subscriber to `OnBefore<X>`/`OnAfter<X>` of base codeunit ``publisher``
    (or of the codeunit named ``publisher_ref`` whose events carry ``table``)."""
    t = cat.codeunit_table(publisher) if table is None else table
    var = cat.record_var(t)
    rtype = cat.ref(src, "table", t)
    target = publisher_ref or cat.ref(src, "codeunit", publisher)
    before = event.startswith("OnBefore")
    params = f"var {var}: Record {rtype}" + ("; var IsHandled: Boolean" if before else "")
    w("")
    w(f"    [EventSubscriber(ObjectType::Codeunit, Codeunit::{target}, {literal(event)}, '', false, false)]")
    w(f"    local procedure {name}({params})")
    w("    begin")
    if before:
        w(f"        if {var}.IsTemporary() then")
        w("            IsHandled := true;")
    else:
        w(f"        if {var}.IsTemporary() then")
        w("            exit;")
        w(f"        {var}.SetRecFilter();")
    w("    end;")


_TABLE_EVENT_PARAMS = {
    "OnAfterInsertEvent": "var Rec: Record {t}; RunTrigger: Boolean",
    "OnAfterModifyEvent": "var Rec: Record {t}; var xRec: Record {t}; RunTrigger: Boolean",
    "OnBeforeDeleteEvent": "var Rec: Record {t}; RunTrigger: Boolean",
    "OnAfterValidateEvent": "var Rec: Record {t}; var xRec: Record {t}; CurrFieldNo: Integer",
}


def render_table_subscriber(cat: Catalog, src: Source, t: int, event: str, field: str, name: str,
                            w: Callable[[str], None]) -> None:
    rtype = cat.ref(src, "table", t)
    w("")
    w(f"    [EventSubscriber(ObjectType::Table, Database::{rtype}, {literal(event)}, "
      f"{literal(field)}, false, false)]")
    w(f"    local procedure {name}({_TABLE_EVENT_PARAMS[event].format(t=rtype)})")
    w("    begin")
    w("        if Rec.IsTemporary() then")
    w("            exit;")
    if "RunTrigger" in _TABLE_EVENT_PARAMS[event]:
        w("        if not RunTrigger then")
        w("            exit;")
    w("    end;")
