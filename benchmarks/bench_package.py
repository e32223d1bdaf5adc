"""Writing and reading the compiled base package.

*write*: the package's entries (manifest, symbols, metadata, sources), held
in memory, written again as a `.app` (``write_app``: deflate at level 6,
the zip, the header, an fsync'd file), as the compiler's last stage does
minus the workers' share of the compression. *read*: ``read_package``
without the symbols and ``Package.ir_objects()``, every object's IR from the
compiled metadata, as a tool wanting every object's IR loads a package
(`SymbolReference.json` is not the objects' IR: its decoding is measured with
the symbols; until issue 15 this benchmark read it too). *open*: what
`alc check` pays per package: ``read_package`` without the symbols and
``merge.load.lazy_objects()``, the manifest and the metadata index, with the IR
of extension objects decoded and the other objects left as stubs decoded on
demand. ``mb_per_s`` is the package file's size / median wall seconds;
``entry_mb_per_s`` the uncompressed entries' size.
"""

from __future__ import annotations

import os

import pytest

from alc.merge.load import lazy_objects
from alc.package.container import CONTENT_TYPES, open_container, write_app
from alc.package.reader import read_package

from .measure import CpuClock, finish

ROUNDS = {"1k": 5, "10k": 3, "100k": 1, "check-10k": 3}


def bench_package_write(benchmark, generated, compiled, tmp_path):
    container = open_container(compiled.base)
    entries = {n: container.read(n) for n in container.names if n != CONTENT_TYPES}
    raw = sum(len(v) for v in entries.values())
    out = str(tmp_path / "base.app")
    clock = CpuClock()
    benchmark.group = f"package {generated.size}"
    benchmark.pedantic(clock.wrap(write_app), args=(out, entries), rounds=ROUNDS[generated.size], iterations=1)
    median = benchmark.stats.stats.median
    package = os.path.getsize(out)
    assert package == os.path.getsize(compiled.base)
    finish(benchmark, clock, ("package_write", {"package": compiled.base}),
           entries=len(entries), entry_bytes=raw, package_bytes=package, objects=generated.base_objects,
           mb_per_s=round(package / 1e6 / median, 3), entry_mb_per_s=round(raw / 1e6 / median, 3))


def _bench_read(benchmark, package: str, size: str, expected: int) -> None:
    clock = CpuClock()

    def read():
        return read_package(package, symbols=False).ir_objects()

    benchmark.group = f"package {size}"
    objects = benchmark.pedantic(clock.wrap(read), rounds=ROUNDS[size], iterations=1)
    assert len(objects) == expected
    median = benchmark.stats.stats.median
    file_size = os.path.getsize(package)
    container = open_container(package)
    raw = sum(container.size(n) for n in container.names)
    finish(benchmark, clock, ("package_read", {"package": package}),
           objects=len(objects), package_bytes=file_size, entry_bytes=raw,
           mb_per_s=round(file_size / 1e6 / median, 3), entry_mb_per_s=round(raw / 1e6 / median, 3),
           objects_per_s=round(len(objects) / median, 1))


def bench_package_read(benchmark, generated, compiled):
    _bench_read(benchmark, compiled.base, generated.size, generated.base_objects)


@pytest.mark.slow
def bench_package_read_10k(benchmark, check_10k):
    """The benchmark issue's target: a package of exactly 10,000 objects read in under 2 s."""
    _bench_read(benchmark, check_10k.base, "check-10k", 10_000)


def _bench_open(benchmark, package: str, size: str, expected: int) -> None:
    clock = CpuClock()

    def open_package():
        return lazy_objects(read_package(package, symbols=False))

    benchmark.group = f"package {size}"
    objects = benchmark.pedantic(clock.wrap(open_package), rounds=ROUNDS[size], iterations=1)
    assert len(objects) == expected
    median = benchmark.stats.stats.median
    finish(benchmark, clock, ("package_open", {"package": package}), objects=len(objects),
           package_bytes=os.path.getsize(package), objects_per_s=round(len(objects) / median, 1))


def bench_package_open(benchmark, generated, compiled):
    _bench_open(benchmark, compiled.base, generated.size, generated.base_objects)


@pytest.mark.slow
def bench_package_open_10k(benchmark, check_10k):
    _bench_open(benchmark, check_10k.base, "check-10k", 10_000)
