"""AL text of one extension app: tableextensions, pageextensions,
enumextensions and its codeunit (publishers, subscribers, the procedures
its new actions run)."""

from __future__ import annotations

import random

from .base import BASE_NAME, BASE_PUBLISHER
from .catalog import Catalog
from .codespec import TABLE_EVENTS
from .codeunits import render_subscriber, render_table_subscriber
from .deltas import ExtPlan, Exported, exported_of
from .names import NameAllocator, ident, literal, quote
from .project import AppWriter, Sink, app_json
from .rand import pick, between
from .spec import al_type
from .text import Source

__all__ = ["write_extension"]

_KINDS = {"table": "tableextension", "page": "pageextension", "enum": "enumextension"}


def write_extension(cat: Catalog, plan: ExtPlan, apps: list, exported: dict, base_manifest: dict,
                    root: str, pool: tuple | None, sink: Sink) -> tuple[AppWriter, Exported]:
    app = plan.app
    out = AppWriter(root, app.key, sink)
    deps = [{"id": base_manifest["id"], "name": BASE_NAME, "publisher": BASE_PUBLISHER, "version": "1.0.0.0"}]
    deps += [{"id": apps[d].app_id, "name": apps[d].name, "publisher": apps[d].publisher, "version": "1.0.0.0"}
             for d in app.deps]
    ranges = [app.id_range] + ([pool] if pool else [])
    out.write_app_json(app_json(app.app_id, app.name, app.publisher, f"{app.name} by {app.publisher}.", deps, ranges))
    names = NameAllocator()
    next_id = {kind: app.id_range[0] for kind in _KINDS.values()}
    codeunit = names.take("codeunit", [f"{app.affix} {app.name} Mgt.", f"{app.affix} Mgt."], 30)
    for target in sorted(plan.ops, key=lambda k: (("table", "page", "enum").index(k[0]), k[1])):
        kind, index = target
        ext_kind = _KINDS[kind]
        base_name = cat.name_of(kind, index)
        name = names.take(ext_kind, [f"{app.affix} {base_name}"], 30)
        object_id = next_id[ext_kind]
        next_id[ext_kind] += 1
        ops = plan.ops[target]
        render = {"table": _tableextension, "page": _pageextension, "enum": _enumextension}[kind]
        rel = out.new_path("Extensions", name, ext_kind, object_id)
        out.write(rel, ext_kind, app.namespace, lambda src: render(cat, plan, src, object_id, name, index, ops, codeunit))
        for op in ops:
            conflict = op[-1] if op[0] in ("add_field", "modify_field", "modify_control", "add_value") else None
            if conflict is not None:
                conflict.files[conflict.apps.index(app.index - 1)] = f"{app.key}/{rel}"
    rng = random.Random(f"{cat.seed}:extcode:{app.index}")
    out.write(out.new_path("Codeunits", codeunit, "codeunit", app.id_range[0]), "codeunit", app.namespace,
              lambda src: _codeunit(cat, plan, apps, exported, src, codeunit, rng))
    return out, exported_of(plan, codeunit)


def _header(src: Source, kind: str, object_id: int, name: str, target: str) -> None:
    src.lines += [f"{kind} {object_id} {quote(name)} extends {target}", "{"]


def _tableextension(cat, plan: ExtPlan, src: Source, object_id, name, t, ops, codeunit) -> None:
    w = src.lines.append
    _header(src, "tableextension", object_id, name, cat.ref(src, "table", t))
    w("    fields")
    w("    {")
    for op in ops:
        if op[0] == "add_field":
            _, fid, fname, type_code, caption, _c = op
            w(f"        field({fid}; {quote(fname)}; {al_type(type_code)})")
            w("        {")
            w(f"            Caption = {literal(caption)};")
            w("            DataClassification = CustomerContent;")
            if type_code == "dec":
                w("            DecimalPlaces = 0 : 2;")
            w("        }")
        else:
            _, field, prop, value, _c = op
            w(f"        modify({quote(field)})")
            w("        {")
            w(f"            {prop} = {literal(value)};")
            w("        }")
    w("    }")
    w("}")


def _caption(field: str, plan: ExtPlan) -> str:
    """A field's caption: its name without an app affix."""
    head, _, rest = field.partition(" ")
    return rest if rest and head[:1] == "X" and head.isupper() and head.isalpha() else field


def _value(prop: str, value: str) -> str:
    return literal(value) if prop == "Caption" else value


def _pageextension(cat, plan: ExtPlan, src: Source, object_id, name, p, ops, codeunit) -> None:
    w = src.lines.append
    _header(src, "pageextension", object_id, name, cat.ref(src, "page", p))
    layout = [op for op in ops if op[0] in ("add_control", "modify_control", "move")]
    actions = [op for op in ops if op[0] in ("add_action", "modify_action")]
    for section, section_ops in (("layout", layout), ("actions", actions)):
        if not section_ops:
            continue
        if section == "actions" and layout:
            w("")
        w(f"    {section}")
        w("    {")
        for key, group in _blocks(section_ops):
            if key[0] == "move":
                _, how, anchor, control = group[0]
                w(f"        {how}({quote(anchor)}; {quote(control)})")
                continue
            w(f"        {key[0]}({quote(key[1])})")
            w("        {")
            for op in group:
                if op[0] == "add_control":
                    _control(op, plan, w)
                elif op[0] == "add_action":
                    _action(op, plan, codeunit, w)
                else:
                    w(f"            {op[2]} = {_value(op[2], op[3])};")
            w("        }")
        w("    }")
    w("}")


def _blocks(ops: list) -> list:
    """Ops grouped into the blocks AL wants: one `modify(X)` per name with all
    its properties, one `addafter(X)` (or addlast, ...) per anchor with all
    it adds; each block stands where its first op stood."""
    blocks: dict = {}
    for i, op in enumerate(ops):
        if op[0] in ("modify_control", "modify_action"):
            key = ("modify", op[1])
        elif op[0] == "move":
            key = ("move", i)
        else:
            key = (op[1], op[2])
        blocks.setdefault(key, []).append(op)
    return list(blocks.items())


def _control(op: tuple, plan: ExtPlan, w) -> None:
    _, _how, _anchor, control, field = op
    w(f"            field({quote(control)}; Rec.{quote(field)})")
    w("            {")
    w("                ApplicationArea = All;")
    what = _caption(field, plan).lower().rstrip(".")
    w(f"                ToolTip = {literal(f'Specifies the {what}.')};")
    w("            }")


def _action(op: tuple, plan: ExtPlan, codeunit: str, w) -> None:
    _, _how, _anchor, action, caption, t = op
    var = ident(codeunit)
    w(f"            action({action})")
    w("            {")
    w("                ApplicationArea = All;")
    w(f"                Caption = {literal(caption)};")
    w("                Image = Process;")
    w(f"                ToolTip = {literal(f'Run {caption.lower()} on the record.')};")
    w("")
    w("                trigger OnAction()")
    w("                var")
    w(f"                    {var}: Codeunit {quote(codeunit)};")
    w("                begin")
    w(f"                    {var}.{plan.process[t]}(Rec);")
    w("                end;")
    w("            }")


def _enumextension(cat, plan: ExtPlan, src: Source, object_id, name, e, ops, codeunit) -> None:
    w = src.lines.append
    _header(src, "enumextension", object_id, name, cat.ref(src, "enum", e))
    for i, (_, ordinal, value, caption, _c) in enumerate(ops):
        if i:
            w("")
        w(f"    value({ordinal}; {quote(value)})")
        w("    {")
        w(f"        Caption = {literal(caption)};")
        w("    }")
    w("}")


def _codeunit(cat, plan: ExtPlan, apps: list, exported: dict, src: Source, name: str,
              rng: random.Random) -> None:
    app = plan.app
    body: list[str] = []
    w = body.append
    for t, proc in sorted(plan.process.items()):
        var, rtype = cat.record_var(t), cat.ref(src, "table", t)
        w("")
        w(f"    procedure {proc}(var {var}: Record {rtype})")
        w("    var")
        w("        IsHandled: Boolean;")
        w("    begin")
        w(f"        OnBefore{proc}({var}, IsHandled);")
        w("        if IsHandled then")
        w("            exit;")
        for fname, type_code in plan.fields.get(t, ())[:3]:
            stmt = _touch(var, fname, type_code)
            if stmt:
                w(f"        {stmt}")
        w(f"        {var}.Modify(true);")
        w("    end;")
        w("")
        w("    [IntegrationEvent(false, false)]")
        w(f"    local procedure OnBefore{proc}(var {var}: Record {rtype}; var IsHandled: Boolean)")
        w("    begin")
        w("    end;")
    used: set[str] = set()
    if cat.codeunit_names:
        for _ in range(between(rng, 1, 3)):
            c = rng.randrange(len(cat.codeunit_names))
            event = pick(rng, cat.codeunit(c).events())
            render_subscriber(cat, src, c, event, _unique(f"{app.affix}{event}", used), w)
    for d in app.deps:
        dep = exported[d]
        event, t = pick(rng, dep.events)
        ref = src.ref(dep.namespace, dep.codeunit)
        render_subscriber(cat, src, -1, event, _unique(f"{app.affix}{event}", used), w, ref, t)
    t = pick(rng, sorted(plan.process))
    event = pick(rng, TABLE_EVENTS[:3])
    render_table_subscriber(cat, src, t, event, "", _unique(f"{app.affix}{event[:-5]}", used), w)
    src.lines += [f"codeunit {app.id_range[0]} {quote(name)}", "{"] + body[1:] + ["}"]


def _touch(var: str, field: str, type_code: str) -> str:
    f = f"{var}.{quote(field)}"
    return {"int": f"{f} += 1;", "dec": f"{f} := Round({f}, 0.01);", "bool": f"{f} := true;",
            "date": f"{f} := WorkDate();", "datetime": f"{f} := CurrentDateTime();"}.get(type_code, "")


def _unique(name: str, used: set) -> str:
    out, n = name[:60], 2
    while out.casefold() in used:
        out, n = f"{name[:60]}{n}", n + 1
    used.add(out.casefold())
    return out
