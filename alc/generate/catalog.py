"""The base application's plan: which tables, pages, codeunits and enums
exist, what they are called and how they relate, kept in compact arrays.

The details of one object (its fields, controls, procedures) are a pure
function of ``(seed, kind, index)``: :meth:`Catalog.table` and friends
rebuild them from a private ``random.Random`` and keep only a bounded cache,
so that a 100,000-object graph never sits in memory as specs.

>>> cat = Catalog(seed=1, tables=20, pages=30, codeunits=10, enums=3)
>>> len(cat.table_names), cat.table(0) == cat.table(0)
(20, True)
>>> all(len(n) <= 30 for n in cat.page_names)
True
"""

from __future__ import annotations

import random
from array import array
from typing import Optional

from . import words
from .codespec import build_codeunit
from .names import NameAllocator, ident
from .pagespec import build_page
from .rand import pick
from .spec import BUFFER, CODE, ENTRY, HEADER, LINE, MASTER, SETUP, TABLE_NAME_MAX, CodeunitSpec, PageSpec, TableSpec
from .tablespec import build_table
from .text import Source

__all__ = ["Catalog", "BASE_NAMESPACE"]

BASE_NAMESPACE = "Contoso"

_KIND_WEIGHTS = (20, 14, 9, 0, 28, 4, 10)   # master code header line entry setup buffer; lines come with headers
_CACHE_MAX = 4096


class Catalog:
    """Names, kinds and links of every base object; specs on demand."""

    def __init__(self, seed: int, tables: int, pages: int, codeunits: int, enums: int) -> None:
        self.seed = seed
        rng = random.Random(f"{seed}:catalog")
        self.names = NameAllocator()
        self.enum_names: list[str] = []
        self.enum_shape = array("i")
        self.enum_extensible = bytearray()
        self.enum_domain = bytearray()
        for _ in range(enums):
            self._plan_enum(rng)
        self.table_names: list[str] = []
        self.table_kind = bytearray()
        self.table_domain = bytearray()
        self.table_parent = array("i")
        self.table_link: list[Optional[str]] = []   # field of the child that points at its parent
        self.children: dict[int, list[int]] = {}
        self.masters: list[int] = []
        self.code_tables: list[int] = []
        while len(self.table_names) < tables:
            self._plan_table(rng, tables)
        self.page_names = [self._page_name(p) for p in range(pages)]
        self.codeunit_names = [self._codeunit_name(c) for c in range(codeunits)]
        self.table_ids = _ids(rng, tables)
        self.page_ids = _ids(rng, pages)
        self.codeunit_ids = _ids(rng, codeunits)
        self.enum_ids = _ids(rng, enums)
        self._cache: dict = {}

    # ------------------------------------------------------------ planning --

    def _plan_enum(self, rng: random.Random) -> None:
        d = rng.randrange(len(words.DOMAINS))
        shape = rng.randrange(len(words.ENUM_SHAPES))
        word, concept = words.DOMAINS[d][1], words.ENUM_SHAPES[shape][0]
        name = self.names.take("enum", [f"{word} {concept}", f"{words.DOMAINS[d][0]} {concept}"], 30)
        self.enum_names.append(name)
        self.enum_shape.append(shape)
        self.enum_extensible.append(rng.random() < 0.9)
        self.enum_domain.append(d)

    def _add_table(self, name: str, kind: int, domain: int, parent: int = -1, link: Optional[str] = None) -> int:
        t = len(self.table_names)
        self.table_names.append(name)
        self.table_kind.append(kind)
        self.table_domain.append(domain)
        self.table_parent.append(parent)
        self.table_link.append(link)
        if parent >= 0:
            self.children.setdefault(parent, []).append(t)
        (self.masters if kind == MASTER else self.code_tables if kind == CODE else []).append(t)
        return t

    def _plan_table(self, rng: random.Random, total: int) -> None:
        kind = rng.choices(range(7), _KIND_WEIGHTS)[0]
        if not self.table_names or (kind == ENTRY and not self.masters):
            kind = MASTER
        d = rng.randrange(len(words.DOMAINS))
        word = words.DOMAINS[d][1]
        take = lambda cands: self.names.take("table", cands, TABLE_NAME_MAX)  # noqa: E731
        q, noun = pick(rng, words.QUALIFIERS), pick(rng, words.MASTER_NOUNS)
        if kind == MASTER:
            self._add_table(take([noun, f"{word} {noun}", f"{q} {noun}", f"{word} {q} {noun}"]), kind, d)
        elif kind == CODE:
            cn = pick(rng, words.CODE_NOUNS)
            self._add_table(take([f"{word} {cn}", f"{noun} {cn}", f"{q} {noun} {cn}"]), kind, d)
        elif kind == SETUP:
            sn = pick(rng, words.SETUP_NOUNS)
            self._add_table(take([f"{word} {sn}", f"{word} {noun} {sn}"]), kind, d)
        elif kind == BUFFER:
            bn = pick(rng, words.BUFFER_NOUNS)
            self._add_table(take([f"{word} {noun} {bn}", f"{noun} {bn}", f"{q} {noun} {bn}"]), kind, d)
        elif kind == ENTRY:
            m = pick(rng, self.masters)
            master = self.table_names[m]
            en = pick(rng, words.ENTRY_NOUNS)
            name = take([f"{master} {en}", f"{master} Entry", f"{word} {noun} {en}"])
            self._add_table(name, kind, d, m, f"{master} No.")
        else:
            doc = pick(rng, words.DOCUMENTS)
            stem = f"{word} {doc}".strip()
            header = self._add_table(take([f"{stem} Header", f"{q} {stem} Header", f"{stem} {noun} Header"]),
                                     HEADER, d)
            if len(self.table_names) < total:
                name = self.table_names[header]
                line = name[: -len("Header")] + "Line" if name.endswith("Header") else f"{name} Line"
                self._add_table(take([line, f"{stem} Line"]), LINE, d, header, "Document No.")

    def _page_name(self, p: int) -> str:
        t, role = self.page_table(p), self.page_role(p)
        table = self.table_names[t]
        suffix = {"card": "Card", "document": "Card", "list": "List", "listpart": "Subform",
                  "cardpart": "FactBox", "lookup": "Lookup", "worksheet": "Worksheet"}[role]
        cands = [f"{table} {suffix}"]
        if role == "list" and table.endswith("Entry"):
            cands.insert(0, table[:-1] + "ies")
        if role == "listpart" and table.endswith(" Line"):
            cands.insert(0, table[: -len(" Line")] + " Subform")
        if self.table_kind[t] in (SETUP, CODE) and p < len(self.table_names):
            cands.insert(0, table)
        return self.names.take("page", cands, 30)

    def _codeunit_name(self, c: int) -> str:
        table = self.table_names[c % len(self.table_names)]
        suffixes = ("Mgt.", "-Post", "-Release", "Subscribers", "Events", "Helper", "Impl.", "Check")
        suffix = suffixes[min(c // len(self.table_names), len(suffixes) - 1)]
        sep = "" if suffix.startswith("-") else " "
        return self.names.take("codeunit", [f"{table}{sep}{suffix}"], 30)

    # -------------------------------------------------- derived page facts --

    def page_table(self, p: int) -> int:
        return p % len(self.table_names)

    def page_role(self, p: int) -> str:
        t, rank = p % len(self.table_names), p // len(self.table_names)
        roles = {MASTER: ("card", "list", "cardpart", "lookup"), HEADER: ("document", "list", "cardpart"),
                 LINE: ("listpart", "list"), ENTRY: ("list", "card", "cardpart"), CODE: ("list", "card"),
                 SETUP: ("card", "list"), BUFFER: ("list", "worksheet", "card")}[self.table_kind[t]]
        return roles[rank] if rank < len(roles) else ("card", "list", "cardpart")[rank % 3]

    def page_of(self, t: int, *roles: str) -> int:
        """The first page of table ``t`` with one of ``roles`` (-1 when none was generated)."""
        p = t
        while p < len(self.page_names):
            if self.page_role(p) in roles:
                return p
            p += len(self.table_names)
        return -1

    def codeunit_table(self, c: int) -> int:
        return c % len(self.table_names)

    def domain_of(self, kind: str, index: int) -> int:
        if kind == "enum":
            return self.enum_domain[index]
        if kind == "page":
            index = self.page_table(index)
        elif kind == "codeunit":
            index = self.codeunit_table(index)
        return self.table_domain[index]

    def namespace(self, kind: str, index: int) -> str:
        return f"{BASE_NAMESPACE}.{words.DOMAINS[self.domain_of(kind, index)][0]}"

    def name_of(self, kind: str, index: int) -> str:
        return {"table": self.table_names, "page": self.page_names, "codeunit": self.codeunit_names,
                "enum": self.enum_names}[kind][index]

    def ref(self, src: Source, kind: str, index: int) -> str:
        """The quoted name of a base object as ``src`` refers to it (adds the `using`)."""
        return src.ref(self.namespace(kind, index), self.name_of(kind, index))

    def record_var(self, t: int) -> str:
        return ident(self.table_names[t])

    # ---------------------------------------------------------------- specs --

    def _cached(self, key: tuple, build):
        value = self._cache.get(key)
        if value is None:
            if len(self._cache) >= _CACHE_MAX:
                self._cache.clear()
            value = self._cache[key] = build(random.Random(f"{self.seed}:{key[0]}:{key[1]}"))
        return value

    def table(self, t: int) -> TableSpec:
        return self._cached(("table", t), lambda rng: build_table(self, t, rng))

    def enum_values(self, e: int) -> tuple:
        """``((ordinal, name), ...)`` of base enum ``e``."""
        def build(rng: random.Random) -> tuple:
            values = words.ENUM_SHAPES[self.enum_shape[e]][1]
            keep = values[:2] + tuple(v for v in values[2:] if rng.random() < 0.7)
            return tuple((i, v) for i, v in enumerate(keep))
        return self._cached(("enum", e), build)

    def page(self, p: int) -> PageSpec:
        return self._cached(("page", p), lambda rng: build_page(self, p, rng))

    def codeunit(self, c: int) -> CodeunitSpec:
        return self._cached(("codeunit", c), lambda rng: build_codeunit(self, c, rng))


def _ids(rng: random.Random, count: int) -> array:
    """Object ids with the small gaps real apps have (1, 2, 5, 6, ...)."""
    ids, last = array("i"), 0
    for _ in range(count):
        last += pick(rng, (1, 1, 1, 1, 2, 3))
        ids.append(last)
    return ids
