"""Compiling the generated apps, as `alc compile` does (`compile_project`).

*base*: the base app with two worker processes (the machine's cores), into
a fresh package each round; ``objects_per_s`` is objects / median wall
seconds, ``cpu_objects_per_s`` objects / median CPU seconds of the parent
and its workers together (so about half the wall-clock rate per core when
both cores are free). *extensions*: every extension app, dependencies
first, in one process sharing one ``SymbolCache`` (the base's symbols are
read from its package once per round, not from the disk cache), each
against a package cache holding its dependencies' packages.
"""

from __future__ import annotations

import itertools
import os
import shutil

import pytest

from .inputs import COMPILE_JOBS, compile_base, compile_extensions, package_path
from .measure import CpuClock, finish

ROUNDS = {"1k": 3, "10k": 1, "100k": 1}


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
