"""Parsing the generated base application on one core, in-process
(`parse_source`, not the process pool of `alc parse`): full parsing and
declarations only (``lazy_bodies=True``).

``extra_info`` carries the input size and the throughput: ``mb_per_s`` is
bytes / median wall seconds; ``cpu_mb_per_s`` is bytes / median CPU seconds
of the process, steadier when other work shares the machine; and the peak
memory of a process parsing the base (:mod:`benchmarks.memory`).
"""

from __future__ import annotations

import pytest

from alc import parse_source
from alc.source import SourceFile

from .measure import CpuClock, finish

ROUNDS = {"1k": 5, "10k": 3, "100k": 1}


def _parse_all(sources: tuple, lazy: bool) -> int:
    diagnostics = 0
    for path, text in sources:
        diagnostics += len(parse_source(SourceFile(path, text), lazy_bodies=lazy).diagnostics)
    return diagnostics


@pytest.mark.parametrize("mode", ["full", "declarations"])
def bench_parse_base(benchmark, generated, mode):
    lazy = mode == "declarations"
    sources = generated.base_sources
    _parse_all(sources[:1], lazy)      # builds the parser tables outside the timing
    clock = CpuClock()
    benchmark.group = f"parse {generated.size}"
    diagnostics = benchmark.pedantic(clock.wrap(_parse_all), args=(sources, lazy), rounds=ROUNDS[generated.size],
                                     iterations=1)
    assert diagnostics == 0
    size, objects = generated.base_bytes, generated.base_objects
    median = benchmark.stats.stats.median
    finish(benchmark, clock, ("parse", {"root": generated.root, "lazy": lazy}),
           files=len(sources), objects=objects, bytes=size, lines=sum(text.count("\n") for _, text in sources),
           mb_per_s=round(size / 1e6 / median, 3), cpu_mb_per_s=round(size / 1e6 / clock.median, 3),
           objects_per_s=round(objects / median, 1))
