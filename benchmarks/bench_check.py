"""`alc check` and `alc merged` from compiled packages: ``load_apps`` (every
object's IR from the packages' metadata) and ``merge``, as the command line
runs them (parsing is not involved: the packages were compiled beforehand).

*check*: the base and all M extensions of a size; ``load_s`` and
``merge_s`` are the medians of the two stages. *merged*: rendering the
most-extended object as AL with provenance (``render_merged``), once the
apps are loaded and merged (the load and merge are those of *check*).
*check-10k* is the benchmark issue's target, 1,000 extensions with 20 deltas
each on a 10,000-object base, in under 2 s; it has its own size
(``sizes.py``), generated and compiled once (minutes), hence marked slow:

    python -m pytest benchmarks/bench_check.py --benchmark-only -m slow -k check_10k
"""

from __future__ import annotations

import collections
import statistics
import time

import pytest

from alc.merge import merge, render_merged
from alc.merge.deltas import TARGET_KINDS
from alc.merge.load import load_apps

from .measure import CpuClock, finish
from .memory import peak_memory

ROUNDS = {"1k": 5, "10k": 3, "100k": 1, "check-10k": 3}


def _check(paths: list, stages: dict):
    started = time.perf_counter()
    apps = load_apps(paths)
    loaded = time.perf_counter()
    result = merge(apps)
    stages["load"].append(loaded - started)
    stages["merge"].append(time.perf_counter() - loaded)
    return apps, result


def _bench_check(benchmark, compiled, size: str) -> None:
    paths = [compiled.base] + compiled.extensions
    stages: dict = {"load": [], "merge": []}
    clock = CpuClock()
    benchmark.group = f"check {size}"
    apps, result = benchmark.pedantic(clock.wrap(_check), args=(paths, stages), rounds=ROUNDS[size], iterations=1)
    assert len(result.order) == len(paths)
    options = compiled.manifest["options"]
    deltas = sum(a["deltas"] for a in compiled.manifest["apps"])
    median = benchmark.stats.stats.median
    kinds = collections.Counter(c.kind for c in result.conflicts)
    # The whole graph in memory: every object of every app decoded and merged
    # (`alc check` itself decodes only what extensions change).
    graph = peak_memory("graph", paths=paths)
    benchmark.extra_info["graph_peak_rss_mb"] = graph["peak_rss_mb"]
    finish(benchmark, clock, ("check", {"paths": paths}),
           apps=len(paths), extensions=len(paths) - 1, deltas=deltas, deltas_per_app=options["deltas"],
           base_objects=len(apps[0].objects), objects=sum(len(a.objects) for a in apps),
           load_s=round(statistics.median(stages["load"]), 4), merge_s=round(statistics.median(stages["merge"]), 4),
           conflicts=dict(sorted(kinds.items())), warnings=len(result.warnings),
           deltas_per_s=round(deltas / median))


def bench_check(benchmark, generated, compiled):
    _bench_check(benchmark, compiled, generated.size)


@pytest.mark.slow
def bench_check_10k(benchmark, check_10k):
    _bench_check(benchmark, check_10k, "check-10k")


def most_extended(apps: list) -> tuple:
    """(kind, name, extension objects) of the object the most extension objects extend."""
    counts = collections.Counter((TARGET_KINDS[o.kind], o.target) for a in apps for o in a.objects
                                 if o.kind in TARGET_KINDS)
    kind, name = max(sorted(counts), key=lambda k: counts[k])
    return kind, name, counts[kind, name]


def bench_merged(benchmark, generated, compiled):
    paths = [compiled.base] + compiled.extensions
    apps = load_apps(paths)
    result = merge(apps)
    kind, name, extensions = most_extended(apps)
    clock = CpuClock()

    def render():
        return render_merged(result.find(kind, name), result.provenance)

    benchmark.group = f"merged {generated.size}"
    text = benchmark.pedantic(clock.wrap(render), rounds=20, iterations=1)
    finish(benchmark, clock, ("merged", {"paths": paths, "kind": kind, "ident": name}),
           object=f"{kind} {name}", extended_by=extensions, lines=text.count("\n") + 1, bytes=len(text.encode()))
