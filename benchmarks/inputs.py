"""The benchmarks' inputs: a generated object graph (``alc generate``) and
its compiled packages, each made once and kept while its options match.

    python -m benchmarks.inputs DIR [SIZE ...]      # generate and compile ahead of a run

``DIR/<size>`` holds the generated projects (with `generated.json`) and
``DIR/<size>/packages/<key>/<key>.app``, one folder per app, with
`packages/compiled.json` recording the generator's and the compiler's
options: the packages are reused while both match (delete the folder after
changing the compiler). Each extension is compiled against a package cache
of exactly its dependencies' folders, as a developer's `.alpackages` would
hold them; all extensions are compiled in one process sharing one
``SymbolCache``, so the base's symbols are read once.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Optional

import attrs

from alc import __version__
from alc.build.compiler import CompileOptions, compile_project
from alc.package.metadata import FORMAT_VERSION
from alc.generate import MANIFEST, clean_output, generate
from alc.build.symcache import SymbolCache

from .sizes import SIZES, trusting

__all__ = ["Compiled", "generate_size", "compile_size", "compile_base", "compile_extensions", "read_sources",
           "COMPILE_JOBS", "prepare"]

COMPILE_JOBS = 2           # the machine's two cores
COMPILED = "compiled.json"


def generate_size(size: str, root: str) -> dict:
    """Generate ``size`` into ``root`` unless a run with the same options is already there."""
    options = SIZES[size]
    path = os.path.join(root, MANIFEST)
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
        if manifest.get("options") == attrs.asdict(options) | {"enums": options.enum_count}:
            return manifest
        clean_output(root)
    return generate(root, options)


def read_sources(folder: str) -> tuple:
    """((path, text), ...) of every .al file under ``folder``, sorted by path."""
    out = []
    for dirpath, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".al"):
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8") as f:
                    out.append((path, f.read()))
    return tuple(sorted(out))


@attrs.frozen
class Compiled:
    """The packages of one generated graph: ``paths`` by app key, base first."""
    root: str                  # the packages folder
    manifest: dict             # generated.json
    paths: dict                # key -> package path
    record: dict               # compiled.json: options, per-app objects and seconds

    @property
    def base(self) -> str:
        return self.paths["base"]

    @property
    def extensions(self) -> list:
        return [p for k, p in self.paths.items() if k != "base"]


def extension_order(manifest: dict) -> list:
    """Extension apps, each after the apps it depends on (ties in manifest order)."""
    apps = {a["key"]: a for a in manifest["apps"][1:]}
    done: set = {"base"}
    order: list = []

    def visit(key: str) -> None:
        if key in done:
            return
        done.add(key)
        for dep in apps[key]["depends_on"]:
            visit(dep)
        order.append(apps[key])

    for key in apps:
        visit(key)
    return order


def package_path(packages: str, key: str) -> str:
    return os.path.join(packages, key, f"{key}.app")


def dependency_folders(manifest: dict, packages: str, app: dict) -> tuple:
    """The folders of ``app``'s dependencies, transitively (the base included)."""
    apps = {a["key"]: a for a in manifest["apps"]}
    seen: list = []
    stack = list(app["depends_on"])
    while stack:
        key = stack.pop()
        if key not in seen:
            seen.append(key)
            stack.extend(apps[key]["depends_on"])
    return tuple(os.path.join(packages, k) for k in sorted(seen))


def _compile(project: str, out: str, cache: tuple, jobs: int, symbol_cache) -> dict:
    os.makedirs(os.path.dirname(out), exist_ok=True)
    started = time.perf_counter()
    result = compile_project(CompileOptions(project=project, package_cache=cache, out=out, jobs=jobs,
                                            symbol_cache=symbol_cache))
    if not result.ok:
        errors = [f"{d.code} {d.message}" for d in result.diagnostics if d.is_error][:5]
        raise RuntimeError(f"{project} does not compile: {errors}")
    return {"objects": len(result.objects), "files": result.files, "bytes": result.bytes,
            "seconds": round(time.perf_counter() - started, 3), "timings": result.timings}


def compile_base(gen_root: str, manifest: dict, packages: str, jobs: int = COMPILE_JOBS) -> dict:
    """Compile the base app into ``packages/base/base.app``."""
    base = manifest["apps"][0]
    return _compile(os.path.join(gen_root, base["path"]), package_path(packages, "base"), (), jobs, None)


def compile_extensions(gen_root: str, manifest: dict, packages: str, jobs: int = COMPILE_JOBS,
                       symbol_cache: Optional[SymbolCache] = None, skip: frozenset = frozenset(),
                       on_compiled=None) -> dict:
    """Compile every extension (dependencies first, those in ``skip`` left out) into
    ``packages``, where the base package already is; one SymbolCache for all of
    them. Returns key -> record (``on_compiled(key, record)`` after each)."""
    symbol_cache = symbol_cache or SymbolCache(use_disk=False)
    out = {}
    for app in extension_order(manifest):
        if app["key"] in skip:
            continue
        out[app["key"]] = _compile(os.path.join(gen_root, app["path"]), package_path(packages, app["key"]),
                                   dependency_folders(manifest, packages, app), jobs, symbol_cache)
        if on_compiled is not None:
            on_compiled(app["key"], out[app["key"]])
    return out


def _options_key(manifest: dict) -> dict:
    return {"generate": manifest["options"],
            "compile": {"jobs": COMPILE_JOBS, "alc": __version__, "metadata": FORMAT_VERSION}}


def compile_size(gen_root: str, manifest: dict) -> Compiled:
    """The packages of a generated graph, compiled now unless ``gen_root/packages`` has them
    for the same options."""
    packages = os.path.join(gen_root, "packages")
    record_path = os.path.join(packages, COMPILED)
    keys = [a["key"] for a in manifest["apps"]]
    paths = {k: package_path(packages, k) for k in keys}
    if os.path.isfile(record_path):
        with open(record_path, encoding="utf-8") as f:
            record = json.load(f)
        if record.get("options") == _options_key(manifest) and all(os.path.isfile(p) for p in paths.values()):
            return Compiled(packages, manifest, paths, record)
    os.makedirs(packages, exist_ok=True)
    if os.path.exists(record_path):
        os.remove(record_path)
    started = time.perf_counter()
    # An interrupted preparation resumes: each app's record is appended to
    # `compiled.partial.json` as soon as its package is written.
    partial_path = os.path.join(packages, "compiled.partial.json")
    done: dict = {}
    if os.path.isfile(partial_path):
        with open(partial_path, encoding="utf-8") as f:
            partial = json.load(f)
        if partial.get("options") == _options_key(manifest):
            done = {k: v for k, v in partial["apps"].items() if os.path.isfile(paths[k])}

    def keep(key: str, value: dict) -> None:
        done[key] = value
        with open(partial_path, "w", encoding="utf-8") as f:
            json.dump({"options": _options_key(manifest), "apps": done}, f)

    if "base" not in done:
        keep("base", compile_base(gen_root, manifest, packages))
    compile_extensions(gen_root, manifest, packages, skip=set(done), on_compiled=keep)
    apps = {k: done[k] for k in keys}
    record = {"options": _options_key(manifest), "apps": apps, "seconds": round(time.perf_counter() - started, 1)}
    with open(record_path, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1)
    os.remove(partial_path)
    return Compiled(packages, manifest, paths, record)


def prepare(size: str, root: str) -> tuple:
    """Generate and compile ``size`` under ``root`` (each only when not done already; the 100k base as a
    trusted package: :func:`benchmarks.sizes.trusting`)."""
    os.makedirs(root, exist_ok=True)
    with trusting(size):
        manifest = generate_size(size, root)
        return manifest, compile_size(root, manifest)


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    folder, sizes = args[0], args[1:] or ["1k", "10k"]
    for size in sizes:
        started = time.perf_counter()
        _, compiled = prepare(size, os.path.join(folder, size))
        print(f"{size}: {len(compiled.paths)} packages in {compiled.root} "
              f"({time.perf_counter() - started:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
