"""Peak memory of one benchmarked operation, measured in a fresh process.

``peak_memory(task, **arguments)`` runs ``python -m benchmarks.memory TASK
JSON`` and returns what it printed: ``rss_before_mb``, the resident memory
once the inputs are set up (imports included), ``peak_rss_mb``, the
process's peak resident memory after the operation (the kernel's high-water
mark, which only grows: hence one process per measurement), and
``workers_peak_rss_mb``, the largest peak of a forked worker (compiling with
several jobs, generating), when there were any. A forked worker shares its
parent's pages until either writes them, so the two peaks overlap and do not
add up. What the operation needs in all, the process and its workers at the
same moment, is ``total_peak_pss_mb``: the largest sum, sampled four times a
second, of the proportional set size (``Pss`` of /proc/PID/smaps_rollup: a
page shared by n processes counts 1/n in each) of the process and its
children (``total_peak_rss_mb`` the same with resident sizes, which count a
shared page in every process that maps it).

The process's own peak is ``VmHWM`` of /proc/self/status, not ``ru_maxrss``:
Linux carries ``ru_maxrss`` over ``exec`` from the forking process, so a
process started by pytest would report at least pytest's own size.

Each task does the same work as its benchmark's timed function.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile

__all__ = ["peak_memory", "TASKS"]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _mb(kilobytes: int) -> float:
    return round(kilobytes / 1024, 1)  # ru_maxrss and /proc/self/status are in KiB


def _status_mb(key: str) -> float:
    """``VmRSS`` (now) or ``VmHWM`` (peak) of this process, in MB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return _mb(int(line.split()[1]))
    raise RuntimeError(f"no {key} in /proc/self/status")


class TreeSampler:
    """The largest total memory of this process and its children, sampled in a thread while in use
    (``with TreeSampler() as tree: ...; tree.peak_pss_mb``)."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self.peak_pss_kb = 0
        self.peak_rss_kb = 0
        self._stop = None

    def __enter__(self) -> "TreeSampler":
        import threading
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    @property
    def peak_pss_mb(self) -> float:
        return _mb(self.peak_pss_kb)

    @property
    def peak_rss_mb(self) -> float:
        return _mb(self.peak_rss_kb)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        pss = rss = 0
        for pid in _tree(os.getpid()):
            found = _rollup(pid)
            pss += found.get("Pss", 0)
            rss += found.get("Rss", 0)
        self.peak_pss_kb = max(self.peak_pss_kb, pss)
        self.peak_rss_kb = max(self.peak_rss_kb, rss)


def _tree(pid: int) -> list:
    """``pid`` and its descendants (children of every thread)."""
    out, stack = [], [pid]
    while stack:
        current = stack.pop()
        out.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def _rollup(pid: int) -> dict:
    """The kB figures of /proc/PID/smaps_rollup (empty when the process has ended)."""
    out = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3 and parts[2] == "kB":
                    out[parts[0].rstrip(":")] = int(parts[1])
    except OSError:
        pass
    return out


def peak_memory(task: str, **arguments) -> dict:
    """Run ``task`` once in a new interpreter; its memory figures (MB)."""
    proc = subprocess.run([sys.executable, "-m", "benchmarks.memory", task, json.dumps(arguments)],
                          cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"memory task {task} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- tasks --
# Each returns the operation to measure (a function of no arguments), after
# setting up its inputs, so that rss_before_mb excludes the operation.

def _parse(root: str, lazy: bool):
    from alc import parse_source
    from alc.source import SourceFile

    from .inputs import read_sources
    sources = read_sources(os.path.join(root, "base"))
    return lambda: [len(parse_source(SourceFile(p, t), lazy_bodies=lazy).diagnostics) for p, t in sources]


def _generate(size: str):
    from alc.generate import generate

    from .sizes import SIZES
    out = tempfile.mkdtemp(prefix="alc-bench-generate-")
    return lambda: generate(os.path.join(out, "g"), SIZES[size])


def _manifest(root: str) -> dict:
    from alc.generate import MANIFEST
    with open(os.path.join(root, MANIFEST), encoding="utf-8") as f:
        return json.load(f)


def _compile_base(root: str, jobs: int):
    from .inputs import compile_base
    manifest = _manifest(root)
    out = tempfile.mkdtemp(prefix="alc-bench-compile-")
    return lambda: compile_base(root, manifest, out, jobs)


def _compile_project(project: str, jobs: int, packages: list = ()):
    """`alc compile --no-cache` of one project folder (code analysis on), into a temporary folder."""
    from alc.build.compiler import CompileOptions, compile_project
    out = os.path.join(tempfile.mkdtemp(prefix="alc-bench-compile-"), "out.app")
    return lambda: compile_project(CompileOptions(project=project, package_cache=tuple(packages), out=out, jobs=jobs))


def _compile_extensions(root: str, base_package: str, jobs: int):
    import shutil

    from .inputs import compile_extensions, package_path
    manifest = _manifest(root)
    out = tempfile.mkdtemp(prefix="alc-bench-compile-")
    os.makedirs(os.path.dirname(package_path(out, "base")))
    shutil.copy(base_package, package_path(out, "base"))
    return lambda: compile_extensions(root, manifest, out, jobs)


def _package_write(package: str):
    from alc.package.container import open_container, write_app
    container = open_container(package)
    entries = {n: container.read(n) for n in container.names if n != "[Content_Types].xml"}
    out = os.path.join(tempfile.mkdtemp(prefix="alc-bench-write-"), "out.app")
    return lambda: write_app(out, entries)


def _package_read(package: str):
    from alc.package.reader import read_package
    return lambda: read_package(package).ir_objects()


def _package_open(package: str):
    from alc.merge.load import lazy_objects
    from alc.package.reader import read_package
    return lambda: lazy_objects(read_package(package, symbols=False))


def _graph(paths: list):
    from alc.merge import merge
    from alc.merge.load import load_apps
    return lambda: merge(load_apps(paths)).objects      # every object decoded, base and merged


def _check(paths: list):
    from alc.merge import merge
    from alc.merge.load import load_apps
    return lambda: merge(load_apps(paths)).to_dict()


def _merged(paths: list, kind: str, ident):
    from alc.merge import merge, render_merged
    from alc.merge.load import load_apps
    result = merge(load_apps(paths))
    return lambda: render_merged(result.find(kind, ident), result.provenance)


def _merge_ir(size: str):
    from alc.merge import merge

    from .bench_merge import SIZES, build_apps
    return lambda: merge(build_apps(SIZES[size]))


def _resolve(count: int):
    from alc.build.deps import resolve
    from alc.package.cache import CachedPackage, PackageIndex

    from .bench_deps import synthetic
    root, apps = synthetic(count)
    return lambda: resolve(root, PackageIndex.build(CachedPackage(f"{a.name}.app", a) for a in apps))


TASKS = {"parse": _parse, "generate": _generate, "compile_base": _compile_base, "compile_project": _compile_project,
         "compile_extensions": _compile_extensions, "package_write": _package_write,
         "package_read": _package_read, "package_open": _package_open, "graph": _graph, "check": _check, "merged": _merged, "merge_ir": _merge_ir,
         "resolve": _resolve}


def main(argv=None) -> int:
    task, arguments = (sys.argv[1:] if argv is None else argv)
    operation = TASKS[task](**json.loads(arguments))
    before = _status_mb("VmRSS")
    with TreeSampler() as tree:
        operation()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = {"rss_before_mb": before, "peak_rss_mb": _status_mb("VmHWM")}
    if children:
        out["workers_peak_rss_mb"] = _mb(children)
        out["total_peak_pss_mb"] = tree.peak_pss_mb
        out["total_peak_rss_mb"] = tree.peak_rss_mb
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
