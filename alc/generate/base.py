"""The base application project: every table, enum, page and codeunit of
the catalog, one file each.

Every object is a pure function of ``(seed, kind, index)``, so slices of
the tables (each with its pages and codeunits) can be written by worker
processes: the files are the same whatever the number of jobs.
"""

from __future__ import annotations

import random
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Optional

from . import words
from .catalog import BASE_NAMESPACE, Catalog
from .codeunits import render_codeunit
from .names import FileNames
from .pages import render_page
from .project import FILE_KINDS, AppWriter, Sink, app_json, new_guid
from .tables import render_enum, render_table

__all__ = ["BaseJob", "BASE_KEY", "BASE_NAME", "BASE_PUBLISHER", "PARALLEL_MIN_OBJECTS"]

BASE_KEY = "base"
BASE_NAME = "Base Application"
BASE_PUBLISHER = BASE_NAMESPACE
PARALLEL_MIN_OBJECTS = 2000     # below this, starting workers costs more than it saves

_RENDER = {"enum": render_enum, "table": render_table, "page": render_page, "codeunit": render_codeunit}


def _order(cat: Catalog, lo: int, hi: int):
    """``(kind, index)`` of tables ``lo..hi-1``, each followed by its pages and
    codeunits (so that the table's spec is still cached when they need it)."""
    n = len(cat.table_names)
    for t in range(lo, hi):
        yield "table", t
        for p in range(t, len(cat.page_names), n):
            yield "page", p
        for c in range(t, len(cat.codeunit_names), n):
            yield "codeunit", c


def base_paths(cat: Catalog) -> dict:
    """``(kind, index) -> path`` of every base object, assigned in one fixed order."""
    files, out = FileNames(), {}
    ids = {"table": cat.table_ids, "page": cat.page_ids, "codeunit": cat.codeunit_ids, "enum": cat.enum_ids}
    objects = [("enum", e) for e in range(len(cat.enum_names))]
    for kind, i in objects + list(_order(cat, 0, len(cat.table_names))):
        folder = words.DOMAINS[cat.domain_of(kind, i)][0]
        out[kind, i] = files.path(f"src/{folder}", cat.name_of(kind, i), FILE_KINDS[kind], ids[kind][i])
    return out


def _write(cat: Catalog, app: AppWriter, paths: dict, kind: str, i: int) -> None:
    render = _RENDER[kind]
    app.write(paths[kind, i], kind, cat.namespace(kind, i), lambda src: render(cat, i, src))


def _write_slice(args: tuple) -> tuple[dict, int]:
    """Worker: write tables ``lo..hi-1`` with their pages and codeunits; returns (object counts, bytes)."""
    seed, counts, root, lo, hi = args
    cat = Catalog(seed, *counts)
    paths = base_paths(cat)
    with Sink() as sink:
        app = AppWriter(root, BASE_KEY, sink)
        for kind, i in _order(cat, lo, hi):
            _write(cat, app, paths, kind, i)
    return app.objects, app.bytes


class BaseJob:
    """Writing ``root/base``: started by :meth:`start`, joined by :meth:`finish`
    (extensions are written in between, in the calling process)."""

    def __init__(self, cat: Catalog, root: str, sink: Sink, counts: tuple, jobs: int = 1) -> None:
        self.cat, self.root, self.sink, self.counts, self.jobs = cat, root, sink, counts, jobs
        self.app = AppWriter(root, BASE_KEY, sink)
        self._pool: Optional[ProcessPoolExecutor] = None
        self._futures: list[Future] = []

    def start(self) -> dict:
        """Write app.json (and, without workers, everything); returns the app.json."""
        cat, app = self.cat, self.app
        rng = random.Random(f"{cat.seed}:base")
        top = max([1, *(ids[-1] for ids in (cat.table_ids, cat.page_ids, cat.codeunit_ids, cat.enum_ids) if ids)])
        app.write_app_json(app_json(new_guid(rng), BASE_NAME, BASE_PUBLISHER, "Base application for benchmarks.",
                                    [], [(1, max(49999, top))]))
        paths = base_paths(cat)
        for e in range(len(cat.enum_names)):
            _write(cat, app, paths, "enum", e)
        n = len(cat.table_names)
        if self.jobs > 1 and len(paths) >= PARALLEL_MIN_OBJECTS:
            self._pool = ProcessPoolExecutor(self.jobs)
            bounds = [n * k // self.jobs for k in range(self.jobs + 1)]
            self._futures = [self._pool.submit(_write_slice, (cat.seed, self.counts, self.root, lo, hi))
                             for lo, hi in zip(bounds, bounds[1:])]
        else:
            for kind, i in _order(cat, 0, n):
                _write(cat, app, paths, kind, i)
        return app.app_json

    def finish(self) -> AppWriter:
        """Wait for the workers; returns the writer with the counts of every base object."""
        try:
            for future in self._futures:
                objects, size = future.result()
                for kind, count in objects.items():
                    self.app.objects[kind] = self.app.objects.get(kind, 0) + count
                self.app.bytes += size
        finally:
            if self._pool is not None:
                self._pool.shutdown()
        return self.app
