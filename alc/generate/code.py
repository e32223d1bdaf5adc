"""Procedure bodies: templates that read like Business Central code
(IsHandled events, FindSet/Next loops, validations, case on an option, List,
Dictionary and TextBuilder, for and while loops, line and entry creation),
filled with fields of the right types from the record they work on.

A template returns its parameters (besides the main record), return spec,
local variables and body lines; :func:`render_procedure` adds the main
record parameter in codeunits and leaves it out in tables, where the
record is the implicit `Rec`.
"""

from __future__ import annotations

import random
from typing import Callable

from .catalog import Catalog
from .names import literal, quote
from .rand import pick
from .spec import MASTER, Proc, TableSpec
from .text import Source

__all__ = ["Rec", "render_procedure", "render_publishers", "LABELS", "label_section"]

LABELS = {
    "MissingValueErr": ("%1 must have a value.", "%1 = field caption"),
    "DateInPastMsg": ("The date %1 is before the work date.", "%1 = date"),
    "NegativeAmountErr": ("%1 must not be negative for %2.", "%1 = field caption, %2 = record key"),
    "NothingToDoMsg": ("There is nothing to process for %1.", "%1 = record key"),
}


def label_section(labels, texts: dict = LABELS) -> list[str]:
    """The object-level `var` section declaring ``labels`` (names in ``texts``),
    after a blank line; nothing when there are none."""
    if not labels:
        return []
    out = ["", "    var"]
    for name in sorted(labels):
        text, comment = texts[name]
        out.append(f"        {name}: Label {literal(text)}, Comment = {literal(comment)};")
    return out


class Rec:
    """The record a procedure works on: ``var`` is its name in the code
    (`Rec` inside the table itself), ``local`` a name for a second one."""

    def __init__(self, cat: Catalog, src: Source, t: int, rng: random.Random, in_table: bool = False) -> None:
        self.cat, self.src, self.t, self.rng, self.in_table = cat, src, t, rng, in_table
        self.spec: TableSpec = cat.table(t)
        self.var = "Rec" if in_table else cat.record_var(t)
        self.local = cat.record_var(t) + ("" if in_table else "2")
        self.type = cat.ref(src, "table", t)
        self.pk = quote(self.spec.pk[0])

    def pick(self, *bases: str) -> str | None:
        fields = [f for f in self.spec.normal(*bases) if f.name not in self.spec.pk]
        return quote(pick(self.rng, fields).name) if fields else None

    def picks(self, count: int, *bases: str) -> list:
        fields = [f.name for f in self.spec.normal(*bases) if f.name not in self.spec.pk]
        return [quote(n) for n in self.rng.sample(fields, min(count, len(fields)))]

    def members(self, field: str) -> tuple:
        f = self.spec.field(field)
        return f.members if f.type == "option" else tuple(v for _, v in self.cat.enum_values(f.enum))

    def table(self, t: int) -> str:
        return self.cat.ref(self.src, "table", t)


def render_procedure(rec: Rec, proc: Proc, labels: set, w: Callable[[str], None], siblings: tuple = ()) -> None:
    """One procedure. ``siblings`` are the other procedures of the object (the entry procedure calls some)."""
    params, ret, local_vars, body = _TEMPLATES[proc.template](rec, proc, labels, siblings)
    main, params = params[0], list(params[1:])
    if main is not None and not rec.in_table:
        params.insert(0, f"{main}{rec.var}: Record {rec.type}")
    access = f"{proc.access} " if proc.access else ""
    w("")
    if not proc.access and rec.rng.random() < 0.5:
        w("    /// <summary>")
        w(f"    /// {proc.name} for {_article(rec.spec.name.lower())} record.")
        w("    /// </summary>")
    w(f"    {access}procedure {proc.name}({'; '.join(params)}){ret}")
    if proc.events:
        local_vars = ["IsHandled: Boolean;"] + local_vars
    if local_vars:
        w("    var")
        for v in local_vars:
            w(f"        {v}")
    w("    begin")
    if proc.events:
        w("        IsHandled := false;")
        w(f"        OnBefore{proc.name}({rec.var}, IsHandled);")
        w("        if IsHandled then")
        w(f"            exit{'(false)' if proc.template == 'post' else '(Total)' if ret.startswith(' Total') else ''};")
        w("")
    for line in body:
        w(f"        {line}" if line else "")
    if proc.events:
        w(f"        OnAfter{proc.name}({rec.var});")
        if proc.template == "post":
            w("        exit(true);")
    w("    end;")


def render_publishers(rec: Rec, proc: Proc, w: Callable[[str], None]) -> None:
    for when, params in (("Before", f"var {rec.var}: Record {rec.type}; var IsHandled: Boolean"),
                         ("After", f"var {rec.var}: Record {rec.type}")):
        w("")
        w("    [IntegrationEvent(false, false)]")
        w(f"    local procedure On{when}{proc.name}({params})")
        w("    begin")
        w("    end;")


def _article(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


# ------------------------------------------------------------- templates --
# Each returns (params, return spec, local variables, body); params[0] is
# the main record's mode: "var ", "" (by value) or None (no main record).

def _post(rec: Rec, proc: Proc, labels: set, siblings: tuple):
    r = rec.var
    body = [f"{r}.TestField({rec.pk});"]
    for f in rec.picks(2, "code"):
        body.append(f"{r}.TestField({f});")
    for s in siblings:
        if s.template in ("check", "lookup") and s.access != "internal" and rec.rng.random() < 0.6:
            body.append(f"{s.name}({r});")
    option = rec.pick("option")
    if option:
        members = rec.members(option.strip('"'))
        body += [f"case {r}.{option} of", f"    {r}.{option}::{quote(members[0])}:", "        begin",
                 f"            {r}.Validate({option}, {r}.{option}::{quote(members[-1])});",
                 "        end;", "    else", f"        {r}.TestField({option});", "end;"]
    for base, stmt in (("bool", "{r}.{f} := true;"), ("date", "{r}.Validate({f}, WorkDate());"),
                       ("datetime", "{r}.{f} := CurrentDateTime();")):
        f = rec.pick(base)
        if f:
            body.append(stmt.format(r=r, f=f))
    body.append(f"{r}.Modify(true);")
    local_vars = []
    kids = rec.cat.children.get(rec.t, ()) if rec.spec.pk == ("No.",) else ()
    if kids:
        c = kids[0]
        cv = rec.cat.record_var(c)
        local_vars += [f"{cv}: Record {rec.table(c)};", "LineCount: Integer;"]
        body += ["", f"{cv}.SetRange({quote(rec.cat.table_link[c])}, {r}.{rec.pk});",
                 f"if {cv}.FindSet(true) then", "    repeat",
                 f"        if {cv}.Amount <> 0 then begin",
                 f"            {cv}.Validate(Amount, Round({cv}.Amount, 0.01));",
                 f"            {cv}.Modify(true);", "            LineCount += 1;", "        end;",
                 f"    until {cv}.Next() = 0;", "if LineCount = 0 then",
                 f"    Message(NothingToDoMsg, {r}.{rec.pk});", ""]
        labels.add("NothingToDoMsg")
    tail = [] if proc.events else ["exit(true);"]
    return ["var "], ": Boolean", local_vars, body + tail


def _calc(rec: Rec, proc: Proc, labels: set, siblings: tuple):
    r = rec.var
    if proc.aux >= 0:
        c, link = proc.aux, rec.cat.table_link[proc.aux]
        cv = rec.cat.record_var(c)
        body = [f"{cv}.SetRange({quote(link)}, {r}.{rec.pk});"]
        if rec.cat.table_kind[c] != MASTER and rec.cat.table(c).has("Posting Date"):
            body.append(f"{cv}.SetFilter(\"Posting Date\", '..%1', WorkDate());")
        body += [f"{cv}.SetFilter(Amount, '<>%1', 0);", f"{cv}.SetLoadFields(Amount);",
                 f"if {cv}.FindSet() then", "    repeat", f"        Total += {cv}.Amount;",
                 f"    until {cv}.Next() = 0;"]
        return ["var "], " Total: Decimal", [f"{cv}: Record {rec.table(c)};"], body
    other, dec = rec.local, quote(proc.field) if proc.field else rec.pick("dec")
    body = [f"{other}.CopyFilters({r});", f"if {other}.FindSet() then", "    repeat",
            f"        Total += {other}.{dec};" if dec else "        Total += 1;", f"    until {other}.Next() = 0;"]
    return ["var "], " Total: Decimal", [f"{other}: Record {rec.type};"], body


def _check(rec: Rec, proc: Proc, labels: set, siblings: tuple):
    r = rec.var
    body = [f"{r}.TestField({rec.pk});"]
    codes = [quote(proc.field)] if proc.field else rec.picks(3, "code", "text")
    for code in codes:
        labels.add("MissingValueErr")
        body += [f"if {r}.{code} = '' then", f"    Error(MissingValueErr, {r}.FieldCaption({code}));"]
    date = rec.pick("date")
    if date:
        labels.add("DateInPastMsg")
        body += [f"if {r}.{date} = 0D then", f"    {r}.{date} := WorkDate()", "else",
                 f"    if {r}.{date} < WorkDate() then", f"        Message(DateInPastMsg, {r}.{date});"]
    dec, flag = rec.pick("dec"), rec.pick("bool")
    if dec:
        labels.add("NegativeAmountErr")
        cond = f"({r}.{dec} < 0) and not {r}.{flag}" if flag else f"{r}.{dec} < 0"
        body += [f"if {cond} then", f"    Error(NegativeAmountErr, {r}.FieldCaption({dec}), {r}.{rec.pk});"]
    return ["var "], "", [], body


def _status(rec: Rec, proc: Proc, labels: set, siblings: tuple):
    r, field = rec.var, quote(proc.field)
    members = rec.members(proc.field)
    m = [f"{r}.{field}::{quote(x)}" for x in members]
    flag = rec.pick("bool")
    body = [f"case {r}.{field} of", f"    {m[0]}:", f"        exit({literal(members[0].strip() or 'Blank')});"]
    if len(m) > 2:
        body += [f"    {', '.join(m[1:3])}:", "        begin"]
        if flag:
            body += [f"            if {r}.{flag} then",
                     f"                exit({literal(members[1].strip() + ' (flagged)')});"]
        body += [f"            exit({literal(members[1].strip())});", "        end;"]
    body += ["    else", f"        exit(Format({r}.{field}));", "end;"]
    return [""], ": Text", [], body


def _collect(rec: Rec, proc: Proc, labels: set, siblings: tuple):
    r = rec.var
    body = [f"if {r}.FindSet() then", "    repeat", f"        CodeValue := {r}.{quote(proc.field)};",
            "        if not Seen.ContainsKey(CodeValue) then begin", "            Seen.Add(CodeValue, Counter);",
            "            Codes.Add(CodeValue);", "        end;", "        Counter += 1;",
            f"    until ({r}.Next() = 0) or (Counter >= MaxCount);", "foreach CodeValue in Codes do",
            "    if CodeValue = '' then", "        Counter -= 1;"]
    local_vars = ["CodeValue: Code[20];", "Seen: Dictionary of [Code[20], Integer];", "Counter: Integer;"]
    return ["var ", "MaxCount: Integer"], " Codes: List of [Code[20]]", local_vars, body


def _update(rec: Rec, proc: Proc, labels: set, siblings: tuple):
    r, dec = rec.var, quote(proc.field)
    body = ["Factor := 1;", "for i := 1 to Steps do", "    Factor := Factor * 1.05;",
            f"{r}.Validate({dec}, Round({r}.{dec} * Factor, 0.01));"]
    for other in rec.picks(2, "dec"):
        if other != dec:
            body += [f"if {r}.{other} > {r}.{dec} then", f"    {r}.{other} := {r}.{dec};"]
    stamp = rec.pick("datetime")
    if stamp:
        body.append(f"{r}.{stamp} := CurrentDateTime();")
    body.append(f"{r}.Modify(true);")
    return ["var ", "Steps: Integer"], "", ["i: Integer;", "Factor: Decimal;"], body


def _copy(rec: Rec, proc: Proc, labels: set, siblings: tuple):
    to = rec.var
    src = f"From{rec.cat.record_var(rec.t)}"
    body = [f"{to}.Init();", f"{to}.TransferFields({src}, false);"]
    for f in rec.picks(6, "code", "text", "dec", "date", "bool"):
        body.append(f"{to}.{f} := {src}.{f};")
    body += [f"if not {to}.Insert(true) then", f"    {to}.Modify(true);"]
    return ["var ", f"{src}: Record {rec.type}"], "", [], body


def _count(rec: Rec, proc: Proc, labels: set, siblings: tuple):
    other, field = rec.local, quote(proc.field)
    body = [f"{other}.SetRange({field}, FilterValue);", f"{other}.SetLoadFields({rec.pk});",
            f"exit({other}.Count());"]
    return [None, "FilterValue: Code[20]"], ": Integer", [f"{other}: Record {rec.type};"], body


def _findnext(rec: Rec, proc: Proc, labels: set, siblings: tuple):
    r = rec.var
    body = ["while (not Found) and (Attempts < 10) do begin", "    Attempts += 1;",
            f"    Found := {r}.Next() <> 0;", "end;", "exit(Found);"]
    return ["var "], ": Boolean", ["Attempts: Integer;", "Found: Boolean;"], body


def _isin(rec: Rec, proc: Proc, labels: set, siblings: tuple):
    r, field = rec.var, quote(proc.field)
    m = [f"{r}.{field}::{quote(x)}" for x in rec.members(proc.field)[:2]]
    return [""], ": Boolean", [], [f"exit({r}.{field} in [{', '.join(m)}]);"]


def _text(rec: Rec, proc: Proc, labels: set, siblings: tuple):
    r = rec.var
    body = []
    for f in [rec.pk] + rec.picks(5, "code", "text", "dec", "date", "int"):
        body += [f"Builder.Append({r}.FieldCaption({f}));", "Builder.Append(': ');",
                 f"Builder.Append(Format({r}.{f}));", "Builder.AppendLine();"]
    body.append("exit(Builder.ToText());")
    return [""], ": Text", ["Builder: TextBuilder;"], body


def _lines(rec: Rec, proc: Proc, labels: set, siblings: tuple):
    r, c = rec.var, proc.aux
    lv, link = rec.cat.record_var(c), quote(rec.cat.table_link[c])
    body = [f"{lv}.SetRange({link}, {r}.{rec.pk});", f"if {lv}.FindLast() then",
            f"    LineNo := {lv}.\"Line No.\";", "for i := 1 to LineCount do begin", "    LineNo += 10000;",
            f"    {lv}.Init();", f"    {lv}.Validate({link}, {r}.{rec.pk});", f"    {lv}.\"Line No.\" := LineNo;",
            f"    {lv}.Validate(Quantity, i);", f"    {lv}.Insert(true);", "end;"]
    local_vars = [f"{lv}: Record {rec.table(c)};", "LineNo: Integer;", "i: Integer;"]
    return ["var ", "LineCount: Integer"], "", local_vars, body


def _entry(rec: Rec, proc: Proc, labels: set, siblings: tuple):
    r, c = rec.var, proc.aux
    ev, link = rec.cat.record_var(c), quote(rec.cat.table_link[c])
    body = [f"{ev}.LockTable();", f"if {ev}.FindLast() then", f"    NextEntryNo := {ev}.\"Entry No.\" + 1",
            "else", "    NextEntryNo := 1;", f"{ev}.Init();", f"{ev}.\"Entry No.\" := NextEntryNo;",
            f"{ev}.{link} := {r}.{rec.pk};", f"{ev}.\"Posting Date\" := WorkDate();",
            f"{ev}.Amount := EntryAmount;", f"{ev}.Open := EntryAmount <> 0;", f"{ev}.Insert();"]
    local_vars = [f"{ev}: Record {rec.table(c)};", "NextEntryNo: Integer;"]
    return ["var ", "EntryAmount: Decimal"], "", local_vars, body


def _lookup(rec: Rec, proc: Proc, labels: set, siblings: tuple):
    r, field, target = rec.var, quote(proc.field), proc.aux
    tv = rec.cat.record_var(target)
    if tv == rec.var or tv == rec.local:
        tv += "3"
    body = [f"if {r}.{field} = '' then", "    exit;", f"{tv}.Get({r}.{field});"]
    if rec.cat.table_kind[target] == MASTER:
        body.append(f"{tv}.TestField(Blocked, false);")
        if rec.spec.has("Description"):
            body += [f"if {r}.Description = '' then", f"    {r}.Description := {tv}.Name;"]
    return ["var "], "", [f"{tv}: Record {rec.table(target)};"], body


_TEMPLATES = {"post": _post, "calc": _calc, "check": _check, "status": _status, "collect": _collect,
              "update": _update, "copy": _copy, "count": _count, "findnext": _findnext, "isin": _isin,
              "text": _text, "lines": _lines, "entry": _entry, "lookup": _lookup}
