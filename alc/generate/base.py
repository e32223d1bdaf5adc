"""The base application project: every table, enum, page and codeunit of
the catalog, written one file at a time."""

from __future__ import annotations

import random

from . import words
from .catalog import BASE_NAMESPACE, Catalog
from .codeunits import render_codeunit
from .pages import render_page
from .project import AppWriter, Sink, app_json, new_guid
from .tables import render_enum, render_table

__all__ = ["write_base", "BASE_KEY", "BASE_NAME", "BASE_PUBLISHER"]

BASE_KEY = "base"
BASE_NAME = "Base Application"
BASE_PUBLISHER = BASE_NAMESPACE


def write_base(cat: Catalog, root: str, sink: Sink) -> AppWriter:
    """Write ``root/base``; returns its writer (counts, app.json)."""
    rng = random.Random(f"{cat.seed}:base")
    app = AppWriter(root, BASE_KEY, sink)
    top = max([1, *(ids[-1] for ids in (cat.table_ids, cat.page_ids, cat.codeunit_ids, cat.enum_ids) if ids)])
    app.write_app_json(app_json(new_guid(rng), BASE_NAME, BASE_PUBLISHER, "Base application for benchmarks.", [],
                                [(1, max(49999, top))]))
    def write(kind: str, i: int, render) -> None:
        folder = words.DOMAINS[cat.domain_of(kind, i)][0]
        app.write(folder, cat.name_of(kind, i), kind, ids[kind][i], cat.namespace(kind, i),
                  lambda src: render(cat, i, src))

    ids = {"table": cat.table_ids, "page": cat.page_ids, "codeunit": cat.codeunit_ids, "enum": cat.enum_ids}
    for e in range(len(cat.enum_names)):
        write("enum", e, render_enum)
    # Table by table, with its pages and codeunits, so that the table's spec
    # is built once and still cached when they need it.
    n = len(cat.table_names)
    for t in range(n):
        write("table", t, render_table)
        for p in range(t, len(cat.page_names), n):
            write("page", p, render_page)
        for c in range(t, len(cat.codeunit_names), n):
            write("codeunit", c, render_codeunit)
    return app
