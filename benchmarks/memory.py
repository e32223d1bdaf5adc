"""Peak memory of one benchmarked operation, measured in a fresh process.

``peak_memory(task, **arguments)`` runs ``python -m benchmarks.memory TASK
JSON`` and returns what it printed: ``rss_before_mb``, the resident memory
once the inputs are set up (imports included), ``peak_rss_mb``, the
process's peak resident memory after the operation (the kernel's high-water
mark, which only grows: hence one process per measurement), and
``workers_peak_rss_mb``, the largest peak of a forked worker (compiling with
several jobs, generating), when there were any. A forked worker shares its
parent's pages until either writes them, so the two peaks overlap and do not
add up.

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


TASKS = {"parse": _parse, "generate": _generate, "compile_base": _compile_base,
         "compile_extensions": _compile_extensions, "package_write": _package_write,
         "package_read": _package_read, "package_open": _package_open, "graph": _graph, "check": _check, "merged": _merged, "merge_ir": _merge_ir,
         "resolve": _resolve}


def main(argv=None) -> int:
    task, arguments = (sys.argv[1:] if argv is None else argv)
    operation = TASKS[task](**json.loads(arguments))
    before = _status_mb("VmRSS")
    operation()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = {"rss_before_mb": before, "peak_rss_mb": _status_mb("VmHWM")}
    if children:
        out["workers_peak_rss_mb"] = _mb(children)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
