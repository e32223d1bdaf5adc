"""The speed issue's targets on real code: the W1 Base Application and the apps built on it.

These run the ``alc`` command line as a user does (a new process each round, so Python's start-up,
alc's imports and the loading of the build state are counted), on a local extract of
microsoft/BCApps (not part of this repository):

*incremental*: ``alc compile`` of the W1 Base Application with its build cache, after one cold
compile (untimed): *nothing* changed, one code *body* edited (a statement added to a procedure of
one codeunit), one *declaration* edited (a field added to one table); each edit toggles between
two versions of the file, so every round has a change to compile. Targets: 3 s, 6 s, 15 s.

(``alc check`` of the W1 Base Application and its apps, target 3 s, is ``bench_check.py``'s
*check_w1_command*: ``-m slow -k w1 --w1-packages DIR``.)

    ALC_BENCH_W1=/tmp/bc-full/src/Layers/W1/BaseApp ALC_BENCH_W1_PACKAGES=/tmp/cc-build4 \\
        python -m pytest benchmarks/bench_w1.py --benchmark-only

``ALC_BENCH_W1`` is the Base Application's project folder, ``ALC_BENCH_W1_PACKAGES`` a folder of
the packages alc built from the same checkout (``python -m benchmarks.corpus``): its dependencies
and the apps checked. Without them the benchmarks are skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from .bench_incremental import BODY, FIELD, FIELDS, _files, _toggle
from .inputs import COMPILE_JOBS
from .measure import CpuClock, finish

W1_PROJECT = os.environ.get("ALC_BENCH_W1", "/tmp/bc-full/src/Layers/W1/BaseApp")
W1_PACKAGES = os.environ.get("ALC_BENCH_W1_PACKAGES", "/tmp/cc-build4")
ROUNDS = 3


def _alc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "alc", *args], capture_output=True, text=True)


def _inputs() -> None:
    for path in (W1_PROJECT, W1_PACKAGES):
        if not os.path.isdir(path):
            pytest.skip(f"no {path} (set ALC_BENCH_W1 and ALC_BENCH_W1_PACKAGES)")


@pytest.fixture(scope="module")
def w1_project(tmp_path_factory):
    """A copy of the Base Application, compiled once into its build cache."""
    _inputs()
    folder = str(tmp_path_factory.mktemp("w1") / "BaseApp")
    shutil.copytree(W1_PROJECT, folder, ignore=shutil.ignore_patterns(".alc", "*.app"))
    out = os.path.join(os.path.dirname(folder), "base.app")
    done = _alc("compile", "--project", folder, "--packagecachepath", W1_PACKAGES, "--out", out,
                "--jobs", str(COMPILE_JOBS))
    if done.returncode != 0:
        raise RuntimeError(f"the cold compile failed ({done.returncode}): {done.stdout[-2000:]}{done.stderr[-2000:]}")
    return folder, out


@pytest.mark.parametrize("name", ["nothing", "body", "declaration"])
def bench_incremental_w1(benchmark, w1_project, name):
    folder, out = w1_project
    state: dict = {}
    if name == "body":
        path = _files(folder, ".Codeunit.al", BODY[0])
        prepare = lambda: _toggle(path, BODY[0], BODY[1], state)           # noqa: E731
    elif name == "declaration":
        path = _files(folder, ".Table.al", FIELDS)
        prepare = lambda: _toggle(path, FIELDS, FIELDS + FIELD, state)     # noqa: E731
    else:
        prepare = lambda: None                                             # noqa: E731
    clock = CpuClock()
    codes = []

    def setup():
        prepare()
        return (), {}

    def compile_once():
        done = _alc("compile", "--project", folder, "--packagecachepath", W1_PACKAGES, "--out", out,
                    "--jobs", str(COMPILE_JOBS))
        codes.append(done.returncode)

    benchmark.group = "incremental W1"
    benchmark.pedantic(clock.wrap(compile_once), setup=setup, rounds=ROUNDS, iterations=1)
    for path_, flag in state.items():          # leave the copy as it was for the next case
        if flag:
            _toggle(path_, *((BODY if name == "body" else (FIELDS, FIELDS + FIELD))), state)
    assert codes == [0] * ROUNDS, codes
    files = sum(name.endswith(".al") for _, _, names in os.walk(folder) for name in names)
    finish(benchmark, clock, files=files, jobs=COMPILE_JOBS,
           edited=os.path.relpath(path, folder) if name != "nothing" else None)
