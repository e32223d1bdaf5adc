"""Dependency resolution on a generated package cache of 1,000 and 10,000
apps (the benchmark issue's target: 1,000 apps well under 0.5 s). Each app
depends on its predecessor and two random earlier apps and declares an
`application`, with the platform and Application packages present, so every
app also has the implicit edges. ``resolve`` is timed apart from building the
index; ``scan`` reads 1,000 real `.app` files from disk."""

from __future__ import annotations

import random

import pytest

from alc.build.deps import APPLICATION_ID, PLATFORM_ID, resolve
from alc.package import NavxManifest, SymbolReference, write_package
from alc.package.cache import CachedPackage, PackageIndex, scan_package_cache
from alc.appmodel import AppManifest, Dependency, Version

from .measure import CpuClock, finish

V = Version.parse
ROUNDS = {1000: 20, 10000: 5}


def synthetic(count: int, seed: int = 1) -> tuple[AppManifest, list[AppManifest]]:
    """The app to resolve (depending on the last ten) and ``count`` apps plus
    Microsoft's System and Application packages."""
    rnd = random.Random(seed)
    gid = "00000000-0000-4000-8000-{:012d}".format
    apps = [AppManifest(PLATFORM_ID, "System", "Microsoft", V("24.0.0.0")),
            AppManifest(APPLICATION_ID, "Application", "Microsoft", V("24.0.0.0"))]
    for i in range(count):
        earlier = sorted({i - 1, rnd.randrange(i), rnd.randrange(i)}) if i else []
        apps.append(AppManifest(gid(1000 + i), f"App {i}", "Fabrikam", V("1.0.0.0"), application=V("24.0.0.0"),
                                dependencies=[Dependency(gid(1000 + j), f"App {j}", "Fabrikam", V("1.0.0.0"))
                                              for j in earlier]))
    root = AppManifest(gid(1), "Root", "Fabrikam", V("1.0.0.0"),
                       dependencies=[Dependency(a.id, a.name, a.publisher, a.version) for a in apps[-10:]])
    return root, apps


@pytest.mark.parametrize("count", [1000, 10000])
def bench_resolve(benchmark, count):
    root, apps = synthetic(count)
    index = PackageIndex.build(CachedPackage(f"{a.name}.app", a) for a in apps)
    clock = CpuClock()
    benchmark.group = "deps resolve"
    result = benchmark.pedantic(clock.wrap(resolve), args=(root, index), rounds=ROUNDS[count], iterations=1)
    assert result.diagnostics == () and len(result.packages) == count + 2
    median = benchmark.stats.stats.median
    finish(benchmark, clock, ("resolve", {"count": count}), apps=count + 2,
           apps_per_s=round((count + 2) / median, 1))


@pytest.mark.parametrize("count", [1000])
def bench_index_and_resolve(benchmark, count):
    root, apps = synthetic(count)

    def run():
        return resolve(root, PackageIndex.build(CachedPackage(f"{a.name}.app", a) for a in apps))

    clock = CpuClock()
    benchmark.group = "deps resolve"
    result = benchmark.pedantic(clock.wrap(run), rounds=ROUNDS[count], iterations=1)
    assert result.diagnostics == ()
    finish(benchmark, clock, ("resolve", {"count": count}), apps=count + 2,
           apps_per_s=round((count + 2) / benchmark.stats.stats.median, 1))


@pytest.fixture(scope="module")
def cache_1k(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("alpackages")
    for app in synthetic(1000)[1]:
        write_package(str(folder / app.default_package_name), NavxManifest(app), SymbolReference())
    return str(folder)


def bench_scan(benchmark, cache_1k):
    clock = CpuClock()
    benchmark.group = "deps scan"
    index = benchmark.pedantic(clock.wrap(scan_package_cache), args=(cache_1k,), rounds=5, iterations=1)
    assert len(index) == 1002 and index.diagnostics == ()
    finish(benchmark, clock, files=1002, files_per_s=round(1002 / benchmark.stats.stats.median, 1))
