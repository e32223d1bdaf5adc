"""Incremental compiles of the generated base app (issue 15, item 1), side by side in one group per size:

*cold*: with an empty build cache (what every first compile costs, and the cache written);
*nothing*: again with nothing changed; *body*: one statement added to a procedure of one codeunit;
*declaration*: a field added to one table (phase two runs again only on the files that mention the
field's name or number). Each round compiles a copy of the base with two workers; the edits
alternate between two versions of the file, so every round has a change to compile. Before each
round the state a compile keeps in memory is dropped, as a new `alc compile` process starts without
it (alc's modules and the grammar stay loaded); *body-watch* keeps it, as `alc compile --watch` does
between two saves. ``cached_files``: files whose parse came from the cache in the last round;
``cached_checks``: files whose phase two (rules, code analysis) did.

The targets are stated for the W1 Base Application (8,141 files): nothing changed at most 3 s, one
body at most 6 s, one declaration at most 15 s; the generated base shows how each grows with size.
"""

from __future__ import annotations

import itertools
import os
import shutil

import pytest

from alc.build import incremental
from alc.build.compiler import CompileOptions, compile_project

from .inputs import COMPILE_JOBS
from .measure import CpuClock, finish

ROUNDS = {"1k": 3, "10k": 3}

BODY = ("IsHandled := false;", "IsHandled := false;\n        IsHandled := false;")
FIELDS = "    fields\n    {\n"
FIELD = '        field(99001; "Incremental Test"; Integer) { }\n'


def _compile(project: str, out: str, cache: str):
    result = compile_project(CompileOptions(project=project, out=out, jobs=COMPILE_JOBS, cache_dir=cache))
    if not result.ok:
        raise RuntimeError([f"{d.code} {d.message}" for d in result.diagnostics if d.is_error][:5])
    return result


def _files(project: str, suffix: str, needle: str) -> str:
    for base, dirs, names in sorted(os.walk(project)):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(base, name)
            if name.endswith(suffix):
                with open(path, encoding="utf-8-sig") as f:
                    if needle in f.read():
                        return path
    raise LookupError(f"no {suffix} file with {needle!r} under {project}")


def _toggle(path: str, old: str, new: str, state: dict) -> None:
    """Replace ``old`` by ``new`` in the file, or back on the next call."""
    with open(path, encoding="utf-8-sig") as f:
        text = f.read()
    first, second = (old, new) if not state.get(path) else (new, old)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(first, second, 1))
    state[path] = not state.get(path)


@pytest.fixture
def project(generated, tmp_path):
    if generated.size not in ROUNDS:
        pytest.skip("incremental compiles are measured on 1k and 10k")
    folder = str(tmp_path / "base")
    shutil.copytree(os.path.join(generated.root, generated.manifest["apps"][0]["path"]), folder)
    return folder


def _run(benchmark, generated, project: str, tmp_path, name: str, prepare) -> None:
    cache = str(tmp_path / "cache")
    out = str(tmp_path / "base.app")
    clock = CpuClock()
    counter = itertools.count()
    results = []
    if name != "cold":
        _compile(project, out, cache)           # the cache the rounds start from

    def setup():
        n = next(counter)
        if name == "cold":
            shutil.rmtree(cache, ignore_errors=True)
        else:
            prepare(n)
        if name != "body-watch":
            incremental.forget()
        return (), {}
    benchmark.group = f"incremental {generated.size}"
    benchmark.pedantic(clock.wrap(lambda: results.append(_compile(project, out, cache))), setup=setup,
                       rounds=ROUNDS[generated.size], iterations=1)
    last = results[-1]
    finish(benchmark, clock, files=last.files, objects=len(last.objects), jobs=COMPILE_JOBS,
           cached_files=last.code.get("cached_files", 0), cached_checks=last.code.get("cached_checks", 0),
           stages=last.timings)


@pytest.mark.parametrize("name", ["cold", "nothing", "body", "body-watch", "declaration"])
def bench_incremental(benchmark, generated, project, tmp_path, name):
    state: dict = {}
    if name.startswith("body"):
        path = _files(project, ".Codeunit.al", BODY[0])
        prepare = lambda n: _toggle(path, BODY[0], BODY[1], state)           # noqa: E731
    elif name == "declaration":
        path = _files(project, ".Table.al", FIELDS)
        prepare = lambda n: _toggle(path, FIELDS, FIELDS + FIELD, state)     # noqa: E731
    else:
        prepare = lambda n: None                                             # noqa: E731
    _run(benchmark, generated, project, tmp_path, name, prepare)
