"""Code analysis (alc/semantic/code): binding throughput, and the compile of
the base app with and without it, side by side in one run.

*bind*: ``check_code`` over every object of the generated base app (parsed
beforehand, bodies included; the symbol table built from their symbols);
``references_per_s`` is names and members bound per median second.
*compile-analysis*: the base app compiled with code analysis and with
``code_analysis=False`` (`--no-code-analysis`), alternately, in fresh
folders; ``ratio`` is the median with over the median without (the issue's
target on the W1 Base Application is at most 1.4; for that one, with
BCApps: ``python -m benchmarks.code_analysis <BaseApp folder> --packagecachepath <dir>``).
"""

from __future__ import annotations

import os
import statistics
import time

from alc.build.compiler import CompileOptions, compile_project
from alc.package.symbols_ir import symbols_from_ir
from alc.semantic.code.bind import check_code
from alc.semantic.model import AppSymbols, SymbolTable
from alc.syntax.api import parse_text

from .measure import CpuClock, finish

ROUNDS = {"1k": 5, "10k": 3, "100k": 1}


def bench_bind(benchmark, generated):
    objects = [o for path, text in generated.base_sources for o in parse_text(text, path).unit.objects]
    table = SymbolTable([AppSymbols("base", "base", symbols_from_ir(objects), is_project=True)])
    clock = CpuClock()
    benchmark.group = f"code {generated.size}"
    diagnostics, stats = benchmark.pedantic(clock.wrap(check_code), args=(objects, table),
                                            rounds=ROUNDS[generated.size], iterations=1)
    assert not diagnostics, diagnostics[:3]
    median = benchmark.stats.stats.median
    finish(benchmark, clock, objects=len(objects), bodies=stats.bodies, references=stats.references,
           references_per_s=round(stats.references / median), bodies_per_s=round(stats.bodies / median))


def bench_compile_analysis(benchmark, generated, tmp_path):
    project = os.path.join(generated.root, generated.manifest["apps"][0]["path"])
    seconds: dict = {True: [], False: []}
    counter = [0]

    def both():
        for analysis in (True, False):
            counter[0] += 1
            started = time.perf_counter()
            result = compile_project(CompileOptions(project=project, out=str(tmp_path / f"r{counter[0]}.app"),
                                                    code_analysis=analysis, jobs=2))
            seconds[analysis].append(time.perf_counter() - started)
            assert result.ok, [str(d) for d in result.diagnostics][:3]
        return result

    clock = CpuClock()
    benchmark.group = f"code {generated.size}"
    benchmark.pedantic(clock.wrap(both), rounds=ROUNDS[generated.size], iterations=1)
    with_s, without_s = statistics.median(seconds[True]), statistics.median(seconds[False])
    finish(benchmark, clock, with_analysis_s=round(with_s, 3), without_analysis_s=round(without_s, 3),
           ratio=round(with_s / without_s, 3))
