"""`alc build` of a generated workspace: the base app and every extension, in dependency order,
independent projects in parallel on the machine's cores (`alc.build.workspace.build`), each round into a
fresh output folder. ``projects_per_s`` is projects / median wall seconds; ``objects_per_s`` the
same for objects.
"""

from __future__ import annotations

import itertools

from alc.build.workspace import build

ROUNDS = {"1k": 3, "10k": 1, "100k": 1}


def bench_build_workspace(benchmark, generated, tmp_path):
    counter = itertools.count()
    results = []

    def run():
        result = build([generated.root], out=str(tmp_path / f"round{next(counter)}"))
        assert result.ok, [(r.name, r.status, r.message) for r in result.results if r.status != "ok"]
        results.append(result)

    benchmark.group = f"build {generated.size}"
    benchmark.pedantic(run, rounds=ROUNDS[generated.size], iterations=1)
    last = results[-1]
    median = benchmark.stats.stats.median
    objects = sum(r.objects for r in last.results)
    benchmark.extra_info.update(projects=len(last.results), objects=objects, jobs=last.jobs,
                                projects_per_s=round(len(last.results) / median, 2),
                                objects_per_s=round(objects / median, 1))
