"""Fields, keys and FlowFields of one base table, by the table's kind.

Every kind starts with the fields real tables of that kind have (a master
has `No.` and `Name`, a line has `Document No.` and `Line No.`, an entry
points at its master), so that relations, FlowFields and code elsewhere can
count on them; random fields from the vocabulary fill the rest.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from . import words
from .rand import pick, between
from .spec import BUFFER, CODE, ENTRY, HEADER, LINE, MASTER, SETUP, Field, TableSpec

if TYPE_CHECKING:
    from .catalog import Catalog

__all__ = ["build_table"]

_KEYABLE = ("code", "text", "dec", "int", "date", "datetime", "bool", "option", "enum")


class _Fields:
    """Field list under construction: unique names, rising ids."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.items: list[Field] = []
        self.names: set[str] = set()
        self.next_id = 1

    def add(self, name: str, type_code: str, **kw) -> bool:
        if len(name) > 30 or name.casefold() in self.names:
            return False
        self.names.add(name.casefold())
        self.items.append(Field(self.next_id, name, type_code, **kw))
        self.next_id += pick(self.rng, (1, 1, 1, 1, 2, 3, 5, 10))
        return True

    def has(self, name: str) -> bool:
        return name.casefold() in self.names


def build_table(cat: "Catalog", t: int, rng: random.Random) -> TableSpec:
    kind = cat.table_kind[t]
    fs = _Fields(rng)
    pk = _kind_fields(cat, t, kind, fs, rng)
    target = int(rng.triangular(10, 80, 22))
    for _ in range(between(rng, 0, 3)):
        _relation_field(cat, t, fs, rng)
    if cat.enum_names and rng.random() < 0.6:
        e = rng.randrange(len(cat.enum_names))
        fs.add(cat.enum_names[e], "enum", enum=e)
    if rng.random() < 0.5:
        name, members = pick(rng, words.OPTIONS)
        fs.add(name, "option", members=members)
    if kind not in (LINE, SETUP) and len(cat.masters) >= 2 and rng.random() < 0.25:
        _conditional_pair(cat, fs, rng, "Source Type", "Source No.")
    _flow_fields(cat, t, kind, fs, rng)
    attempts = 0
    while len(fs.items) < target and attempts < 400:
        attempts += 1
        name, type_code = pick(rng, words.FIELDS)
        if rng.random() < 0.3 and type_code.startswith(("code", "text", "dec", "date")):
            name = f"{pick(rng, words.FIELD_PREFIXES)} {name}"
        fs.add(name, type_code, validate=type_code in ("dec", "date") and rng.random() < 0.3)
    if rng.random() < 0.1:
        fs.add(f"{pick(rng, words.FIELD_PREFIXES)} {pick(rng, words.FIELDS)[0]}"[:30].rstrip(), "code20",
               obsolete=True)
    fields = tuple(fs.items)
    return TableSpec(t, cat.table_names[t], kind, fields, pk, _keys(fields, pk, kind, rng), _dropdown(fields, pk))


def _kind_fields(cat: "Catalog", t: int, kind: int, fs: _Fields, rng: random.Random) -> tuple:
    """The fields every table of ``kind`` has; returns the primary key."""
    parent = cat.table_parent[t]
    if kind == MASTER:
        fs.add("No.", "code20")
        fs.add("Name", "text100")
        fs.add("Search Name", "code100")
        fs.add("Blocked", "bool")
        return ("No.",)
    if kind == CODE:
        fs.add("Code", "code10")
        fs.add("Description", "text100")
        return ("Code",)
    if kind == SETUP:
        fs.add("Primary Key", "code10")
        return ("Primary Key",)
    if kind == HEADER:
        fs.add("No.", "code20")
        fs.add("Description", "text100")
        fs.add("Posting Date", "date")
        if cat.masters:
            m = pick(rng, cat.masters)
            master = cat.table_names[m]
            fs.add(f"{master} No.", "code20", relation=((None, None, m),))
            fs.add(f"{master} Name", "text100",
                   calc=("lookup", m, "Name", (("No.", "field", f"{master} No."),)))
        return ("No.",)
    if kind == LINE:
        fs.add("Document No.", "code20", relation=((None, None, parent),))
        fs.add("Line No.", "int")
        if len(cat.masters) >= 2:
            _conditional_pair(cat, fs, rng, "Type", "No.")
        fs.add("Description", "text100")
        fs.add("Quantity", "dec", validate=True)
        fs.add("Unit Price", "dec")
        fs.add("Amount", "dec")
        return ("Document No.", "Line No.")
    if kind == ENTRY:
        master = cat.table_names[parent]
        fs.add("Entry No.", "int")
        fs.add(cat.table_link[t], "code20", relation=((None, None, parent),))
        fs.add("Posting Date", "date")
        fs.add("Document No.", "code20")
        fs.add("Amount", "dec")
        fs.add("Open", "bool")
        fs.add(f"{master} Name", "text100",
               calc=("lookup", parent, "Name", (("No.", "field", cat.table_link[t]),)))
        return ("Entry No.",)
    fs.add("Entry No.", "int")       # BUFFER
    return ("Entry No.",)


def _relation_field(cat: "Catalog", t: int, fs: _Fields, rng: random.Random) -> None:
    if cat.code_tables and rng.random() < 0.5:
        c = pick(rng, cat.code_tables)
        fs.add(f"{cat.table_names[c]} Code", "code10", relation=((None, None, c),), validate=rng.random() < 0.5)
    elif cat.masters:
        m = pick(rng, cat.masters)
        if m != t:
            fs.add(f"{cat.table_names[m]} No.", "code20", relation=((None, None, m),), validate=rng.random() < 0.5)


def _conditional_pair(cat: "Catalog", fs: _Fields, rng: random.Random, type_name: str, no_name: str) -> None:
    """`Type` option plus `No.` with `TableRelation = if (Type = const(A)) A else if ...`."""
    targets = sorted(set(rng.sample(cat.masters, min(len(cat.masters), between(rng, 2, 3)))))
    members = (" ",) + tuple(cat.table_names[m] for m in targets)
    if fs.has(type_name) or fs.has(no_name):
        return
    fs.add(type_name, "option", members=members)
    fs.add(no_name, "code20", relation=tuple((type_name, cat.table_names[m], m) for m in targets))


def _flow_fields(cat: "Catalog", t: int, kind: int, fs: _Fields, rng: random.Random) -> None:
    """FlowFields over the tables that point at this one (entries, lines)."""
    children = cat.children.get(t, ())
    if not children or kind not in (MASTER, HEADER):
        return
    if any(cat.table_kind[c] == ENTRY for c in children[:3]):
        fs.add("Date Filter", "date", flowfilter=True)
    for c in children[:3]:
        child, link = cat.table_names[c], cat.table_link[c]
        where = ((link, "field", "No."),)
        if cat.table_kind[c] == ENTRY:
            where += (("Posting Date", "field", "Date Filter"),)
        fs.add(f"{child} Amount", "dec", calc=("sum", c, "Amount", where))
        if rng.random() < 0.5:
            fs.add(f"No. of {child}", "int", calc=("count", c, None, where[:1]))
        if rng.random() < 0.4:
            cond = (("Open", "const", "true"),) if cat.table_kind[c] == ENTRY else ()
            fs.add(f"Has {child}", "bool", calc=("exist", c, None, where[:1] + cond))


def _keys(fields: tuple, pk: tuple, kind: int, rng: random.Random) -> tuple:
    keys = [("PK", pk, ())]
    candidates = [f.name for f in fields if f.normal and f.base in _KEYABLE and f.name not in pk]
    seen = {pk}
    if kind == ENTRY:
        link = fields[1].name
        keys.append(("Key2", (link, "Posting Date"), ("Amount",)))
        seen.add((link, "Posting Date"))
    for _ in range(between(rng, 0, 3)):
        if not candidates:
            break
        cols = tuple(rng.sample(candidates, min(len(candidates), between(rng, 1, 3))))
        if cols not in seen:
            seen.add(cols)
            keys.append((f"Key{len(keys) + 1}", cols, ()))
    return tuple(keys)


def _dropdown(fields: tuple, pk: tuple) -> tuple:
    names = list(pk)
    for f in fields:
        if f.name in ("Name", "Description") and f.name not in names:
            names.append(f.name)
    return tuple(names)
