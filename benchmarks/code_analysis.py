"""Compile one project with and without code analysis, alternately, in one run.

    python -m benchmarks.code_analysis <project> --packagecachepath DIR [--rounds N] [--json out.json]

Prints the wall seconds of each compile, the medians and their ratio (the
issue's target for the W1 Base Application: at most 1.4), the code counts
(bodies, references bound) and the diagnostics by code of the compile with
analysis. Packages go to a temporary folder.
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import sys
import tempfile
import time


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project")
    parser.add_argument("--packagecachepath", action="append", default=[])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    from alc.compiler import CompileOptions, compile_project
    seconds: dict = {"with": [], "without": []}
    report: dict = {}
    with tempfile.TemporaryDirectory() as out:
        for n in range(args.rounds):
            for key, analysis in (("with", True), ("without", False)):
                started = time.perf_counter()
                result = compile_project(CompileOptions(project=args.project, package_cache=tuple(args.packagecachepath),
                                                        out=f"{out}/{key}{n}.app", code_analysis=analysis))
                elapsed = time.perf_counter() - started
                seconds[key].append(elapsed)
                print(f"round {n + 1} {key} code analysis: {elapsed:.1f} s {result.timings}", flush=True)
                if analysis:
                    report = {"code": result.code, "files": result.files,
                              "diagnostics": dict(collections.Counter(f"{d.code} {d.severity}"
                                                                      for d in result.diagnostics))}
    report["with_s"] = round(statistics.median(seconds["with"]), 2)
    report["without_s"] = round(statistics.median(seconds["without"]), 2)
    report["ratio"] = round(report["with_s"] / report["without_s"], 3)
    print(json.dumps(report, indent=1))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
