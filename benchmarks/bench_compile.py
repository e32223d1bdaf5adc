"""Compiling the generated apps, as `alc compile` does (`compile_project`).

*base*: the base app with two worker processes (the machine's cores), into
a fresh package each round; ``objects_per_s`` is objects / median wall
seconds, ``cpu_objects_per_s`` objects / median CPU seconds of the parent
and its workers together (so about half the wall-clock rate per core when
both cores are free). *extensions*: every extension app, dependencies
first, in one process sharing one ``SymbolCache`` (the base's symbols are
read from its package once per round, not from the disk cache), each
against a package cache holding its dependencies' packages.

*jobs*: the base app (and, when its extract is there, the W1 Base Application: see bench_w1) with 1,
2 and 4 workers, code analysis on and no build cache: ``cpu_ms_per_object`` is the CPU time of the
parent and its workers per object (the speed issue's target: it does not grow with the workers),
``serial_share`` the share of the wall time during which no worker ran (``CompileResult.serial``:
dependency load, what the parent does between the phases and after them; target under 15 % with 2
workers), with the peak memory of the parent and its workers together (``total_peak_pss_mb``, in a
separate process: :mod:`benchmarks.memory`).
"""

from __future__ import annotations

import itertools
import os
import shutil
import statistics
import time

import pytest

from alc.build.compiler import CompileOptions, compile_project

from .inputs import COMPILE_JOBS, compile_base, compile_extensions, package_path
from .measure import CpuClock, finish

ROUNDS = {"1k": 3, "10k": 1, "100k": 1}
JOBS = (1, 2, 4)


def _fresh(tmp_path, counter, base: str = None):
    out = str(tmp_path / f"round{next(counter)}")
    if base is not None:
        os.makedirs(os.path.dirname(package_path(out, "base")))
        shutil.copy(base, package_path(out, "base"))
    return (out,), {}


def _rounds(benchmark, size: str, tmp_path, compile_into, base: str = None) -> tuple:
    """Run ``compile_into(out)`` in fresh folders; (CpuClock, the last round's record, median)."""
    counter = itertools.count()
    clock = CpuClock()
    records = []
    benchmark.group = f"compile {size}"
    benchmark.pedantic(clock.wrap(lambda out: records.append(compile_into(out))),
                       setup=lambda: _fresh(tmp_path, counter, base), rounds=ROUNDS[size], iterations=1)
    return clock, records[-1], benchmark.stats.stats.median


def bench_compile_base(benchmark, generated, tmp_path):
    clock, record, median = _rounds(benchmark, generated.size, tmp_path,
                                    lambda out: compile_base(generated.root, generated.manifest, out, COMPILE_JOBS))
    objects, size = record["objects"], record["bytes"]
    package = os.path.getsize(package_path(str(tmp_path / "round0"), "base"))
    finish(benchmark, clock, ("compile_base", {"root": generated.root, "jobs": COMPILE_JOBS}),
           objects=objects, bytes=size, jobs=COMPILE_JOBS, package_bytes=package,
           objects_per_s=round(objects / median, 1), cpu_objects_per_s=round(objects / clock.median, 1),
           mb_per_s=round(size / 1e6 / median, 3), stages=record["timings"])


def bench_compile_extensions(benchmark, generated, compiled, tmp_path):
    clock, apps, median = _rounds(
        benchmark, generated.size, tmp_path,
        lambda out: compile_extensions(generated.root, generated.manifest, out, COMPILE_JOBS), compiled.base)
    objects = sum(r["objects"] for r in apps.values())
    finish(benchmark, clock, ("compile_extensions", {"root": generated.root, "base_package": compiled.base,
                                                     "jobs": COMPILE_JOBS}),
           apps=len(apps), objects=objects, bytes=sum(r["bytes"] for r in apps.values()),
           base_objects=generated.base_objects, apps_per_s=round(len(apps) / median, 2),
           objects_per_s=round(objects / median, 1), cpu_objects_per_s=round(objects / clock.median, 1))


def _collected() -> None:
    import gc
    from alc import parse_text
    parse_text("codeunit 50100 Warm { trigger OnRun() begin end; }", "warm.al")
    gc.collect()


def _jobs_rounds(benchmark, group: str, project: str, packages: tuple, jobs: int, rounds: int, tmp_path) -> dict:
    """Compile ``project`` with ``jobs`` workers ``rounds`` times; the figures for ``extra_info``."""
    counter = itertools.count()
    clock = CpuClock()
    results = []
    walls = []

    def once():
        started = time.perf_counter()
        out = str(tmp_path / f"round{next(counter)}.app")
        results.append(compile_project(CompileOptions(project=project, package_cache=packages, out=out, jobs=jobs)))
        walls.append(time.perf_counter() - started)

    benchmark.group = group
    # Each round starts from a collected heap and a loaded grammar: otherwise a round pays the first full
    # collection over what the round before it left (2-2.5 s on W1, charged to the rounds with workers,
    # which come second), and the first round of the session loads the grammar.
    benchmark.pedantic(clock.wrap(once), setup=_collected, rounds=rounds, iterations=1)
    last = results[-1]
    assert all(r.ok for r in results), [f"{d.code} {d.message}" for d in last.diagnostics if d.is_error][:5]
    objects = len(last.objects)
    serial = statistics.median(r.serial for r in results)
    return dict(jobs=jobs, objects=objects, files=last.files, bytes=last.bytes,
                cpu_ms_per_object=round(1000 * clock.median / objects, 3),
                serial_s=round(serial, 3), serial_share=round(serial / statistics.median(walls), 4),
                stages=last.timings, code=last.code), clock


@pytest.mark.parametrize("jobs", JOBS)
def bench_compile_jobs(benchmark, generated, tmp_path, jobs):
    info, clock = _jobs_rounds(benchmark, f"compile jobs {generated.size}", os.path.join(generated.root, "base"),
                               (), jobs, ROUNDS[generated.size], tmp_path)
    finish(benchmark, clock, ("compile_project", {"project": os.path.join(generated.root, "base"), "jobs": jobs}),
           **info)


@pytest.mark.parametrize("jobs", JOBS)
def bench_compile_jobs_w1(benchmark, tmp_path, jobs):
    """The W1 Base Application cold (target: at most 45 s with 2 workers on 2 cores)."""
    from .bench_w1 import W1_PACKAGES, W1_PROJECT, _inputs
    _inputs()
    info, clock = _jobs_rounds(benchmark, "compile jobs W1", W1_PROJECT, (W1_PACKAGES,), jobs, 1, tmp_path)
    memory = ("compile_project", {"project": W1_PROJECT, "jobs": jobs, "packages": [W1_PACKAGES]})
    finish(benchmark, clock, memory if jobs == COMPILE_JOBS else None, **info)
