"""Generate large, realistic AL object graphs for benchmarks and tests.

``generate(out, Options(...))`` writes ``out/base`` (a base application:
tables, enums, pages, codeunits), ``out/ext001`` ... (extension apps whose
dependencies form a DAG no deeper than ``depth``) and ``out/generated.json``,
the manifest: apps, their dependencies, and the conflicts planned between
apps that do not depend on each other. The same options give the same bytes.

The manifest holds ``options``; ``apps``, base first, each with ``key``
(its folder), ``id``, ``name``, ``publisher``, ``depends_on`` (keys, the
base first), ``depth`` (base 0; an extension 1 + its deepest dependency),
``id_ranges``, ``objects`` (per kind), ``deltas`` and ``bytes``;
``conflicts``, each with ``kind`` (``property``: the same property of the
same control or field set to different values; ``field_name``, ``field_id``:
a table gets the same field name or id twice; ``enum_ordinal``: an enum gets
the same ordinal twice), ``object_type`` and ``object`` (the base object),
``member`` and ``property`` (when both apps name the same one), ``number``
(the id or ordinal), ``apps`` (two keys), ``values`` (per app: the value it
sets or the name it adds) and ``files``; and ``totals``.

>>> import tempfile, os
>>> with tempfile.TemporaryDirectory() as out:
...     m = generate(out, Options(tables=6, pages=6, codeunits=3, extensions=2, deltas=4, seed=7))
...     [a["key"] for a in m["apps"]], sorted(os.listdir(out))
(['base', 'ext001', 'ext002'], ['base', 'ext001', 'ext002', 'generated.json'])
"""

from __future__ import annotations

import json
import os
import shutil
from typing import Optional

import attrs

from .base import BASE_KEY, BaseJob
from .catalog import Catalog
from .deltas import plan_deltas
from .extensions import write_extension
from .plan import plan_apps, plan_conflicts
from .project import Sink

__all__ = ["Options", "generate", "clean_output", "MANIFEST"]

MANIFEST = "generated.json"
FORMAT = 1



MAX_COUNT = 1_000_000
"""The most of anything `alc generate` makes (ten times the largest benchmark)."""

@attrs.frozen
class Options:
    """What to generate. ``enums`` defaults to one per eight tables."""
    tables: int = 50
    pages: int = 50
    codeunits: int = 25
    extensions: int = 5
    deltas: int = 10
    depth: int = 3
    conflict_rate: float = 0.05
    seed: int = 0
    enums: Optional[int] = None

    def problems(self) -> list:
        """What is wrong with these options (empty when they can be generated)."""
        out = [f"--{n} must not be negative" for n in ("tables", "pages", "codeunits", "extensions", "deltas")
               if getattr(self, n) < 0]
        # A budget for numbers from the command line: the benchmarks generate 100,000 objects.
        out += [f"--{n} must be at most {MAX_COUNT}" for n in ("tables", "pages", "codeunits", "extensions", "deltas",
                                                             "depth", "enums") if (getattr(self, n) or 0) > MAX_COUNT]
        if self.tables == 0 and (self.pages or self.codeunits or self.extensions):
            out.append("pages, codeunits and extensions need at least one table")
        if self.depth < 1:
            out.append("--depth must be at least 1")
        if not 0.0 <= self.conflict_rate <= 1.0:
            out.append("--conflict-rate must be between 0 and 1")
        return out

    @property
    def enum_count(self) -> int:
        return self.enums if self.enums is not None else (max(1, self.tables // 8) if self.tables else 0)


def generate(out: str, options: Options, jobs: Optional[int] = None) -> dict:
    """Write the projects under ``out`` and return the manifest (also in
    ``out/generated.json``). ``jobs`` worker processes write the base app
    (default: one per core); the files do not depend on it."""
    problems = options.problems()
    if problems:
        raise ValueError("; ".join(problems))
    os.makedirs(out, exist_ok=True)
    jobs = jobs or os.cpu_count() or 1
    with Sink() as sink:
        return _generate(out, options, sink, jobs)


def _generate(out: str, o: Options, sink: Sink, jobs: int) -> dict:
    counts = (o.tables, o.pages, o.codeunits, o.enum_count)
    cat = Catalog(o.seed, *counts)
    base_job = BaseJob(cat, out, sink, counts, jobs)
    base_app = base_job.start()
    base_top = base_app["idRanges"][0]["to"]
    range_size = max(100, -(-(o.deltas + 20) // 100) * 100)
    first = 50000 if base_top < 50000 else -(-(base_top + 1) // 100000) * 100000
    apps = plan_apps(o.seed, o.extensions, o.depth, first, range_size)
    claimed: set = set()
    pool_start = first + len(apps) * range_size
    conflicts, slots = plan_conflicts(cat, apps, o.conflict_rate, o.deltas, o.seed, claimed, pool_start)
    pooled = sum(c.number is not None for c in conflicts)
    pool = (pool_start, pool_start + max(100, -(-pooled // 100) * 100) - 1)
    entries = []
    exported: dict = {}
    for i, app in enumerate(apps):
        mine = slots.get(i, [])
        plan = plan_deltas(cat, app, o.deltas, mine, exported, claimed, o.seed)
        in_pool = any(c.number is not None for c, _ in mine)
        writer, exported[i] = write_extension(cat, plan, apps, exported, base_app, out,
                                              pool if in_pool else None, sink)
        depends = [BASE_KEY] + [apps[d].key for d in app.deps]
        entries.append(_app_entry(app.key, writer.app_json, depends, app.depth, writer.objects, plan.deltas,
                                  writer.bytes))
    base = base_job.finish()
    entries.insert(0, _app_entry(BASE_KEY, base_app, [], 0, base.objects, 0, base.bytes))
    manifest = _manifest(o, entries, [c.to_json(cat, apps) for c in conflicts])
    sink.put(os.path.join(out, MANIFEST), (json.dumps(manifest, indent=2) + "\n").encode("utf-8"))
    return manifest


def _app_entry(key: str, app_doc: dict, depends: list, depth: int, objects: dict, deltas: int,
               size: int) -> dict:
    return {"key": key, "path": key, "id": app_doc["id"], "name": app_doc["name"],
            "publisher": app_doc["publisher"], "depends_on": depends, "depth": depth,
            "id_ranges": [[r["from"], r["to"]] for r in app_doc["idRanges"]],
            "objects": dict(sorted(objects.items())), "deltas": deltas, "bytes": size}


def _manifest(o: Options, entries: list, conflicts: list) -> dict:
    kinds: dict = {}
    for e in entries:
        for k, v in e["objects"].items():
            kinds[k] = kinds.get(k, 0) + v
    by_kind: dict = {}
    for c in conflicts:
        by_kind[c["kind"]] = by_kind.get(c["kind"], 0) + 1
    return {
        "format": FORMAT,
        "generator": "alc generate",
        "options": attrs.asdict(o) | {"enums": o.enum_count},
        "apps": entries,
        "conflicts": conflicts,
        "totals": {"apps": len(entries), "objects": sum(kinds.values()), "objects_by_kind": dict(sorted(kinds.items())),
                   "deltas": sum(e["deltas"] for e in entries), "conflicts": len(conflicts),
                   "conflicts_by_kind": dict(sorted(by_kind.items())), "bytes": sum(e["bytes"] for e in entries),
                   "max_depth": max((e["depth"] for e in entries), default=0)},
    }


def clean_output(out: str) -> None:
    """Remove what an earlier run wrote under ``out`` (base, extNNN, the manifest), nothing else."""
    if not os.path.isdir(out):
        return
    for name in os.listdir(out):
        path = os.path.join(out, name)
        if name == MANIFEST and os.path.isfile(path):
            os.remove(path)
        elif os.path.isdir(path) and (name == BASE_KEY or (name.startswith("ext") and name[3:].isdigit())):
            shutil.rmtree(path)
