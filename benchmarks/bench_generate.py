"""Generating the object graphs: objects written per second, files included
(a fresh folder per round), with one worker per core for the base app."""

from __future__ import annotations

import itertools

import pytest

from alc.generate import generate

from .measure import CpuClock, finish
from .sizes import SIZE_PARAMS, SIZES

ROUNDS = {"1k": 5, "10k": 3, "100k": 1}


@pytest.mark.parametrize("size", SIZE_PARAMS)
def bench_generate(benchmark, tmp_path, size):
    counter = itertools.count()
    manifests = []

    def fresh_folder():
        return (str(tmp_path / f"round{next(counter)}"),), {}

    def run(out):
        manifests.append(generate(out, SIZES[size]))

    clock = CpuClock()
    benchmark.group = f"generate {size}"
    benchmark.pedantic(clock.wrap(run), setup=fresh_folder, rounds=ROUNDS[size], iterations=1)
    totals = manifests[-1]["totals"]
    median = benchmark.stats.stats.median
    finish(benchmark, clock, ("generate", {"size": size}), objects=totals["objects"], bytes=totals["bytes"],
           objects_per_s=round(totals["objects"] / median, 1), mb_per_s=round(totals["bytes"] / 1e6 / median, 3))
