"""Compile one project with and without code analysis, alternately, in one run.

    python -m benchmarks.code_analysis <project> --packagecachepath DIR [--rounds N] [--jobs N] [--json out.json]

Prints the wall and CPU seconds of each compile (CPU: this process and the
compile's workers; steadier than wall time on a shared machine), the medians and their ratios (the
issue's target for the W1 Base Application: at most 1.4), the code counts
(bodies, references bound) and the diagnostics by code of the compile with
analysis. Packages go to a temporary folder. With ``--jobs 1`` the compile runs in this process and
its CPU seconds are exact; with forked workers, a worker reaped only after the next compile has started may be
counted there (on a loaded machine the per-compile CPU figures then blur; the total stays right).
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import sys
import tempfile
import time


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the compile's workers)."""
    import resource
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project")
    parser.add_argument("--packagecachepath", action="append", default=[])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=None, help="compile workers (1: in this process)")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    from alc.build.compiler import CompileOptions, compile_project
    seconds: dict = {"with": [], "without": []}
    cpu_seconds: dict = {"with": [], "without": []}
    report: dict = {}
    with tempfile.TemporaryDirectory() as out:
        for n in range(args.rounds):
            for key, analysis in (("with", True), ("without", False)):
                started, cpu = time.perf_counter(), _cpu()
                options = CompileOptions(project=args.project, package_cache=tuple(args.packagecachepath),
                                         out=f"{out}/{key}{n}.app", code_analysis=analysis, jobs=args.jobs)
                result = compile_project(options)
                elapsed, used = time.perf_counter() - started, _cpu() - cpu
                seconds[key].append(elapsed)
                cpu_seconds[key].append(used)
                print(f"round {n + 1} {key} code analysis: {elapsed:.1f} s wall, {used:.1f} s CPU {result.timings}",
                      flush=True)
                if analysis:
                    report = {"code": result.code, "files": result.files,
                              "diagnostics": dict(collections.Counter(f"{d.code} {d.severity}"
                                                                      for d in result.diagnostics))}
    report["with_s"] = round(statistics.median(seconds["with"]), 2)
    report["without_s"] = round(statistics.median(seconds["without"]), 2)
    report["ratio"] = round(report["with_s"] / report["without_s"], 3)
    report["with_cpu_s"] = round(statistics.median(cpu_seconds["with"]), 2)
    report["without_cpu_s"] = round(statistics.median(cpu_seconds["without"]), 2)
    report["cpu_ratio"] = round(report["with_cpu_s"] / report["without_cpu_s"], 3)
    print(json.dumps(report, indent=1))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
