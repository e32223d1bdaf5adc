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

*check_w1_command*: the real corpus as a user runs it, `alc check` as a new
process (start-up, imports, reading, merging, locating the conflicts in the
sources) over the W1 Base Application and the non-test apps among the
packages ``--w1-packages DIR`` holds (``python -m benchmarks.corpus``: each
app with alc metadata whose name does not contain "test", its highest
version); CPU is the command's own (user + system):

    python -m pytest benchmarks/bench_check.py --benchmark-only -m slow -k w1 --w1-packages /tmp/cc-build4
"""

from __future__ import annotations

import collections
import os
import statistics
import subprocess
import sys
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


def w1_packages(folder: str) -> list:
    """The packages of ``folder`` that the W1 check takes: apps with alc metadata whose name does not
    contain "test", the highest version of each."""
    from alc.package.reader import read_package
    chosen: dict = {}
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if not name.endswith(".app") or not os.path.isfile(path):
            continue
        package = read_package(path, symbols=False)
        app = package.app
        if "test" in app.name.lower() or not package.has_metadata:
            continue
        if app.id not in chosen or app.version > chosen[app.id][1]:
            chosen[app.id] = (path, app.version)
    return sorted(path for path, _ in chosen.values())


@pytest.mark.slow
def bench_check_w1_command(benchmark, request):
    folder = request.config.getoption("--w1-packages")
    if not folder:
        pytest.skip("--w1-packages DIR names the BCApps packages (python -m benchmarks.corpus)")
    paths = w1_packages(folder)
    command = [sys.executable, "-m", "alc", "check", *paths]
    clock = CpuClock()

    def check():
        return subprocess.run(command, capture_output=True, text=True)

    benchmark.group = "check w1"
    proc = benchmark.pedantic(clock.wrap(check), rounds=3, iterations=1)
    assert proc.returncode in (0, 1) and proc.stdout.startswith("apps, in the order they apply:"), proc.stderr[-2000:]
    summary = proc.stdout.strip().splitlines()[-1]      # "N conflicts, M warnings"
    finish(benchmark, clock, apps=len(paths), summary=summary)
