"""AL text of base tables and enums."""

from __future__ import annotations

import random

import attrs

from . import words
from .catalog import Catalog
from .code import LABELS, Rec, label_section, render_procedure
from .names import ident, literal, quote
from .procs import candidates, pick_access
from .rand import between, pick
from .spec import CODE, ENTRY, HEADER, MASTER, SETUP, Field, TableSpec, al_type
from .text import Source

__all__ = ["render_table", "render_enum", "relation_text", "calc_text", "tooltip"]

_LABELS = {
    **LABELS,
    "BlankNoErr": ("You must enter a value in %1.", "%1 = field caption"),
    "NegativeValueErr": ("%1 must not be negative.", "%1 = field caption"),
    "DateBeforeWorkDateMsg": ("%1 is before the work date.", "%1 = field caption"),
}


def tooltip(field_name: str, table_name: str, rng: random.Random) -> str:
    return literal(f"{pick(rng, words.TOOLTIP_VERBS)} the {field_name.lower()} of the {table_name.lower()}.")


def relation_text(cat: Catalog, src: Source, relation: tuple) -> str:
    """`TableRelation` value: plain, or `if (Type = const(A)) A else if ... else ...`."""
    parts = []
    for cond_field, member, t in relation:
        target = cat.ref(src, "table", t)
        if cat.table_kind[t] == MASTER and cond_field is None:
            target += ' where(Blocked = const(false))'
        if cond_field is not None:
            target = f"if ({quote(cond_field)} = const({quote(member)})) {target}"
        parts.append(target)
    return " else ".join(parts)


def calc_text(cat: Catalog, src: Source, calc: tuple) -> str:
    method, t, field, where = calc
    target = cat.ref(src, "table", t) + (f".{quote(field)}" if field else "")
    conds = ", ".join(f"{quote(f)} = {kind}({quote(v) if kind == 'field' else v})" for f, kind, v in where)
    return f"{method}({target} where({conds}))"


def render_table(cat: Catalog, t: int, src: Source) -> None:
    spec = cat.table(t)
    rng = random.Random(f"{cat.seed}:tabletext:{t}")
    w = src.lines.append
    labels: set[str] = set()
    w(f"table {cat.table_ids[t]} {quote(spec.name)}")
    w("{")
    w(f"    Caption = {literal(spec.name)};")
    w(f"    DataClassification = {'SystemMetadata' if spec.kind == SETUP else 'CustomerContent'};")
    lookup = cat.page_of(t, "list", "lookup")
    if lookup >= 0:
        page = cat.ref(src, "page", lookup)
        w(f"    DrillDownPageId = {page};")
        w(f"    LookupPageId = {page};")
    if "Name" in spec.dropdown or "Description" in spec.dropdown:
        w(f"    DataCaptionFields = {', '.join(quote(n) for n in spec.dropdown)};")
    w("")
    w("    fields")
    w("    {")
    for f in spec.fields:
        _field(cat, src, spec, f, rng, labels)
    w("    }")
    _keys(spec, w)
    w("")
    w("    fieldgroups")
    w("    {")
    w(f"        fieldgroup(DropDown; {', '.join(quote(n) for n in spec.dropdown)})")
    w("        {")
    w("        }")
    w("    }")
    _triggers(cat, src, spec, labels)
    _procedures(cat, src, spec, rng, labels)
    src.lines.extend(label_section(labels, _LABELS))
    w("}")


def _field(cat: Catalog, src: Source, spec: TableSpec, f: Field, rng: random.Random, labels: set) -> None:
    w = src.lines.append
    enum_name = cat.ref(src, "enum", f.enum) if f.type == "enum" else None
    if f.obsolete:
        w("#if not CLEAN27")
    w(f"        field({f.id}; {quote(f.name)}; {al_type(f.type, enum_name)})")
    w("        {")
    w(f"            Caption = {literal(f.name)};")
    if rng.random() < 0.4:
        w(f"            ToolTip = {tooltip(f.name, spec.name, rng)};")
    if f.calc is not None:
        w("            FieldClass = FlowField;")
        w(f"            CalcFormula = {calc_text(cat, src, f.calc)};")
        w("            Editable = false;")
    elif f.flowfilter:
        w("            FieldClass = FlowFilter;")
    elif f.name in spec.pk and f.base == "code":
        w("            NotBlank = true;")
    if f.relation:
        w(f"            TableRelation = {relation_text(cat, src, f.relation)};")
    if f.type == "option":
        w(f"            OptionMembers = {','.join(quote(m) for m in f.members)};")
        w(f"            OptionCaption = {literal(','.join(f.members))};")
    if f.base == "dec":
        w("            AutoFormatType = 1;" if "Amount" in f.name else "            DecimalPlaces = 0 : 5;")
    if f.base == "blob":
        w("            Subtype = Bitmap;" if f.name in ("Picture", "Signature") else "            Subtype = Memo;")
    if f.obsolete:
        w("            ObsoleteReason = 'Replaced by a field of the same name in the new structure.';")
        w("            ObsoleteState = Pending;")
        w("            ObsoleteTag = '27.0';")
    if f.validate:
        _validate_trigger(cat, src, spec, f, w, labels)
    w("        }")
    if f.obsolete:
        w("#endif")


def _validate_trigger(cat: Catalog, src: Source, spec: TableSpec, f: Field, w, labels: set) -> None:
    name = quote(f.name)
    w("")
    w("            trigger OnValidate()")
    if f.relation:
        target = f.relation[0][2]
        var = cat.record_var(target)
        w("            var")
        w(f"                {var}: Record {cat.ref(src, 'table', target)};")
        w("            begin")
        w(f"                if {name} = '' then")
        w("                    exit;")
        w(f"                {var}.Get({name});")
        if cat.table_kind[target] == MASTER:
            w(f"                {var}.TestField(Blocked, false);")
        w("            end;")
        return
    w("            begin")
    if f.base == "dec":
        labels.add("NegativeValueErr")
        w(f"                if {name} < 0 then")
        w(f"                    Error(NegativeValueErr, FieldCaption({name}));")
        if f.name == "Quantity" and spec.has("Unit Price") and spec.has("Amount"):
            w('                Amount := Round(Quantity * "Unit Price", 0.01);')
    else:
        labels.add("DateBeforeWorkDateMsg")
        w(f"                if ({name} <> 0D) and ({name} < WorkDate()) then")
        w(f"                    Message(DateBeforeWorkDateMsg, FieldCaption({name}));")
    w("            end;")


def _keys(spec: TableSpec, w) -> None:
    w("")
    w("    keys")
    w("    {")
    for name, fields, sums in spec.keys:
        w(f"        key({name}; {', '.join(quote(n) for n in fields)})")
        w("        {")
        if name == "PK":
            w("            Clustered = true;")
        if sums:
            w(f"            SumIndexFields = {', '.join(quote(n) for n in sums)};")
        w("        }")
    w("    }")


def _triggers(cat: Catalog, src: Source, spec: TableSpec, labels: set) -> None:
    w = src.lines.append
    pk = spec.field(spec.pk[0])
    stamp = next((f for f in spec.normal("date") if f.name == "Last Date Modified"), None)
    if pk.base == "code" and spec.kind != SETUP:
        labels.add("BlankNoErr")
        w("")
        w("    trigger OnInsert()")
        w("    begin")
        w(f"        if {quote(pk.name)} = '' then")
        w(f"            Error(BlankNoErr, FieldCaption({quote(pk.name)}));")
        if stamp:
            w('        "Last Date Modified" := Today();')
        w("    end;")
    if stamp:
        w("")
        w("    trigger OnModify()")
        w("    begin")
        w('        "Last Date Modified" := Today();')
        w("    end;")
    children = [c for c in cat.children.get(spec.index, ()) if cat.table_kind[c] != ENTRY][:2]
    if children and spec.kind in (MASTER, HEADER):
        w("")
        w("    trigger OnDelete()")
        w("    var")
        for c in children:
            w(f"        {cat.record_var(c)}: Record {cat.ref(src, 'table', c)};")
        w("    begin")
        for c in children:
            var = cat.record_var(c)
            w(f"        {var}.SetRange({quote(cat.table_link[c])}, {quote(pk.name)});")
            w(f"        {var}.DeleteAll(true);")
        w("    end;")


def _procedures(cat: Catalog, src: Source, spec: TableSpec, rng: random.Random, labels: set) -> None:
    w = src.lines.append
    rec = Rec(cat, src, spec.index, rng, in_table=True)
    for proc in candidates(cat, spec, rng)[: between(rng, 2, 9)]:
        if proc.template not in ("post", "count"):
            render_procedure(rec, attrs.evolve(proc, access=pick_access(rng)), labels, w)
    if spec.kind == MASTER:
        w("")
        w("    procedure GetDisplayName(): Text")
        w("    begin")
        w("        exit(StrSubstNo('%1 %2', \"No.\", Name));")
        w("    end;")
        w("")
        w("    procedure IsBlocked(): Boolean")
        w("    begin")
        w("        exit(Blocked);")
        w("    end;")
    elif spec.kind == SETUP:
        w("")
        w("    procedure GetRecordOnce()")
        w("    begin")
        w("        if not Get() then begin")
        w("            Init();")
        w("            Insert();")
        w("        end;")
        w("    end;")
    elif spec.kind == CODE:
        w("")
        w("    procedure GetDescription(CodeValue: Code[10]): Text[100]")
        w("    begin")
        w("        if Get(CodeValue) then")
        w("            exit(Description);")
        w("        exit('');")
        w("    end;")
    elif spec.kind == HEADER:
        for c in cat.children.get(spec.index, ())[:1]:
            var = cat.record_var(c)
            w("")
            w(f"    procedure {ident(cat.table_names[c])[:20]}Exist(): Boolean")
            w("    var")
            w(f"        {var}: Record {cat.ref(src, 'table', c)};")
            w("    begin")
            w(f"        {var}.SetRange({quote(cat.table_link[c])}, \"No.\");")
            w(f"        exit(not {var}.IsEmpty());")
            w("    end;")


def render_enum(cat: Catalog, e: int, src: Source) -> None:
    w = src.lines.append
    name = cat.enum_names[e]
    w(f"enum {cat.enum_ids[e]} {quote(name)}")
    w("{")
    w(f"    Extensible = {'true' if cat.enum_extensible[e] else 'false'};")
    w(f"    Caption = {literal(name)};")
    for ordinal, value in cat.enum_values(e):
        w("")
        w(f"    value({ordinal}; {quote(value)})")
        w("    {")
        w(f"        Caption = {literal(value)};")
        w("    }")
    w("}")
