"""Merging generated extensions onto a generated base, built directly as IR
(no parsing), so that only the merge engine is timed.

Sizes follow ``sizes.py``: the base has about 1,000 / 10,000 / 100,000
objects (40 % tables, 40 % pages, 20 % enums) and there is one extension
app per ten base objects, each with exactly 20 deltas: 5 new fields, 2
field captions, 4 new controls, 3 control properties, 1 move, 2 new
actions, 2 new enum values and a page caption. Each extension picks its
targets at random, so unrelated apps sometimes touch the same control: the
property and move conflicts the engine reports are real ones. Dependencies
are three levels deep, as in ``sizes.py``: an extension depends on the base
and on one or two recent extensions of the level below. The target for the
10k size (1,000 extensions x 20 deltas) is under 2 s.
``extra_info`` carries the counts and deltas per second.
"""

from __future__ import annotations

import random

import pytest

from alc.ir import nodes as ir
from alc.merge import App, app_deltas, merge
from alc.appmodel import AppManifest, Dependency, Version

from .measure import CpuClock, finish

V1 = Version(1, 0, 0, 0)
BASE_ID = "00000000-0000-0000-0000-000000000000"
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
ROUNDS = {"1k": 5, "10k": 3, "100k": 1}
FIELDS, GENERAL, DETAILS, ACTIONS, VALUES = 10, 8, 4, 3, 4
DEPTH = 3


def _text(value: str) -> ir.Values:
    return ir.Values((ir.Literal("string", value),))


def _table(n: int) -> ir.Table:
    fields = tuple(ir.TableField(i, f"Field {i}", ir.TypeRef("Integer"), properties=(ir.Property("Caption", _text(f"F{i}")),))
                   for i in range(1, FIELDS + 1))
    return ir.Table(n, f"Table {n}", fields=fields, keys=(ir.Key("PK", ("Field 1",)),))


def _page(n: int, table: int) -> ir.Page:
    def field(i: int) -> ir.Control:
        return ir.Control("field", f"Field {i}", ir.Member(ir.Name("Rec"), f"Field {i}"),
                          properties=(ir.Property("ApplicationArea", ir.Values((ir.Name("All"),))),))
    general = ir.Control("group", "General", controls=tuple(field(i) for i in range(1, GENERAL + 1)))
    details = ir.Control("group", "Details", controls=tuple(field(i) for i in range(GENERAL + 1, GENERAL + DETAILS + 1)))
    actions = ir.Action("area", "Processing", actions=tuple(ir.Action("action", f"Action {i}") for i in range(ACTIONS)))
    return ir.Page(n, f"Page {n}", properties=(ir.Property("SourceTable", ir.Values((ir.Name(f"Table {table}"),))),),
                   layout=(ir.Control("area", "Content", controls=(general, details)),), actions=(actions,))


def _enum(n: int) -> ir.Enum:
    return ir.Enum(n, f"Enum {n}", values=tuple(ir.EnumValue(i, f"Value {i}") for i in range(VALUES)))


def build_base(objects: int) -> tuple:
    tables = pages = objects * 2 // 5
    enums = objects - tables - pages
    return (tuple(_table(i) for i in range(1, tables + 1))
            + tuple(_page(100_000 + i, i) for i in range(1, pages + 1))
            + tuple(_enum(200_000 + i) for i in range(1, enums + 1)))


def _extension(n: int, rng: random.Random, tables: int, pages: int, enums: int) -> tuple:
    table, page, enum = rng.randint(1, tables), 100_000 + rng.randint(1, pages), 200_000 + rng.randint(1, enums)
    fields = tuple(ir.TableField(1_000_000 + 100 * n + i, f"E{n} Field {i}", ir.TypeRef("Integer")) for i in range(5))
    captions = tuple(ir.Change("modify", f"Field {rng.randint(1, FIELDS)}",
                               properties=(ir.Property("Caption", _text(f"E{n} caption {i}")),)) for i in range(2))
    controls = tuple(ir.Change("addafter", f"Field {rng.randint(1, GENERAL + DETAILS)}",
                               members=(ir.Control("field", f"E{n} Control {i}", ir.Name(f"E{n} Field {i}")),))
                     for i in range(4))
    modifies = tuple(ir.Change("modify", f"Field {rng.randint(1, GENERAL + DETAILS)}",
                               properties=(ir.Property(rng.choice(("Visible", "Editable", "Importance")),
                                                       ir.Values((ir.Literal("boolean", rng.random() < 0.5),))),))
                     for _ in range(3))
    move = ir.Change(rng.choice(("movefirst", "movelast")), rng.choice(("General", "Details")),
                     targets=(f"Field {rng.randint(1, GENERAL + DETAILS)}",))
    actions = tuple(ir.Change(rng.choice(("addfirst", "addlast")), "Processing",
                              members=(ir.Action("action", f"E{n} Action {i}"),)) for i in range(2))
    return (ir.TableExtension(1_000_000 + n, f"E{n} Table {table}", f"Table {table}", fields=fields + captions),
            ir.PageExtension(1_000_000 + n, f"E{n} Page {page}", f"Page {page}",
                             properties=(ir.Property("Caption", _text(f"E{n} page")),),
                             layout=controls + modifies + (move,), actions=actions),
            ir.EnumExtension(1_000_000 + n, f"E{n} Enum {enum}", f"Enum {enum}",
                             values=tuple(ir.EnumValue(1_000_000 + 10 * n + i, f"E{n} Value {i}") for i in range(2))))


def build_apps(objects: int, seed: int = 1) -> list:
    """The base app and one 20-delta extension app per ten base objects."""
    rng = random.Random(seed)
    base = App(AppManifest(BASE_ID, "Base Application", "Microsoft", V1), build_base(objects))
    tables = pages = objects * 2 // 5
    enums = objects - tables - pages
    apps = [base]
    levels: list = [[] for _ in range(DEPTH)]      # apps by dependency depth (as sizes.py: depth 3)
    for n in range(1, objects // 10 + 1):
        deps = [Dependency(BASE_ID, "Base Application", "Microsoft", V1)]
        level = rng.randrange(DEPTH) if n > 20 else 0
        below = levels[level - 1][-50:] if level else []
        for other in sorted(set(rng.sample(below, min(len(below), rng.randint(1, 2))))):
            deps.append(Dependency(apps[other].id, apps[other].manifest.name, "Bench", V1))
        levels[level if below or not level else 0].append(n)
        manifest = AppManifest(f"{rng.getrandbits(32):08x}-0000-4000-8000-{n:012d}", f"Extension {n}", "Bench", V1,
                               dependencies=deps)
        apps.append(App(manifest, _extension(n, rng, tables, pages, enums)))
    return apps


@pytest.mark.parametrize("size", [pytest.param("1k"), pytest.param("10k"),
                                  pytest.param("100k", marks=pytest.mark.slow)])
def bench_merge(benchmark, size):
    apps = build_apps(SIZES[size])
    deltas = sum(len(app_deltas(a)) for a in apps[1:])
    assert deltas == 20 * (len(apps) - 1)
    clock = CpuClock()
    benchmark.group = f"merge {size}"
    result = benchmark.pedantic(clock.wrap(merge), args=(apps,), rounds=ROUNDS[size], iterations=1)
    assert len(result.order) == len(apps)
    median = benchmark.stats.stats.median
    kinds: dict = {}
    for c in result.conflicts:
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    finish(benchmark, clock, ("merge_ir", {"size": size}), base_objects=SIZES[size], extensions=len(apps) - 1,
           deltas=deltas, conflicts=kinds, deltas_per_s=round(deltas / median))
