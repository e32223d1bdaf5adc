"""`alc server` (alc/deploy/) on the generated 10,000-object graph: the base app and
the first 100 extensions (dependencies first) are published to a SQLite server;
tenants are created and each runs the base plus 20 extensions, a different
dependency-closed, conflict-free set per tenant (drawn with a seeded random
generator from the generator's list of planted conflicts; `generated.json`).

The SQLite servers of 10 and of 100 tenants are made once per session (their publish and
populate seconds are in each benchmark's ``extra_info``); then
- *publish*: the base and the 100 extensions into a fresh server, in one call;
- *tenant_add*: a new tenant with the base installed (a copy of the template tenant
  database, then the install);
- *tenant*: one more tenant populated like the others: added, then the base and 20
  extensions installed one at a time, each with its conflict check (21 installs);
- *install*: one more extension on a tenant running 20 (its conflict check merges the
  base and the 21 extensions); each round uninstalls it first, untimed (reinstalling
  the same version is allowed); *install_cold* opens the server anew each round, so
  the packages are read from the database again, as a new `alc server install`
  process does;
- *install_apps*: one more install on tenants running 5, 10 and 20 extensions (the
  growth in apps; the 10-tenant server).
*tenant_add*, *install* and *install_cold* also run on PostgreSQL (``_postgresql``,
10 tenants, a throwaway server as the tests start theirs). The sizes 10 and 100
tenants give the growth in tenants; ``apps`` is the number of
apps installed over all tenants (the rows of `NAV App Tenant App`), or, for
*install_apps*, the apps the conflict check merges.

Targets (the deploy issue): an install with its conflict check on a tenant running
20 extensions < 0.5 s; a new tenant with the base installed < 0.3 s; linear growth.

    python -m pytest benchmarks/bench_deploy.py --benchmark-only --generated-dir /tmp/alc-bench
    python -m pytest benchmarks/bench_deploy.py --benchmark-only -k "not 100"     # the 10-tenant server only
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
import time

import pytest

from alc.deploy import open_server

from .inputs import extension_order, prepare
from .measure import CpuClock, finish

EXTENSIONS = 100            # published
PER_TENANT = 20             # installed on each tenant
TENANTS = [10, 100]
SEED = 1


# ---------------------------------------------------------------- inputs --

def published_keys(manifest: dict) -> list:
    """The first EXTENSIONS extensions in dependency order: every dependency among them."""
    return [a["key"] for a in extension_order(manifest)[:EXTENSIONS]]


def _closures(manifest: dict, keys: list) -> dict:
    """key -> the extensions it needs (itself included), dependencies first."""
    apps = {a["key"]: a for a in manifest["apps"]}
    out: dict = {}
    for key in keys:                       # dependency order: every dependency's closure is known
        closure: list = []
        for dep in apps[key]["depends_on"]:
            if dep != "base":
                closure += [k for k in out[dep] if k not in closure]
        out[key] = closure + [key]
    return out


def _conflicting(manifest: dict) -> set:
    """Pairs of extensions the generator made conflict (frozensets)."""
    pairs = set()
    for c in manifest["conflicts"]:
        apps = c["apps"]
        pairs |= {frozenset((a, b)) for i, a in enumerate(apps) for b in apps[i + 1:]}
    return pairs


def tenant_sets(manifest: dict, count: int, size: int = PER_TENANT, seed: int = SEED) -> list:
    """``count`` sets of ``size`` published extensions, each closed under dependencies and
    free of the planted conflicts, in dependency order."""
    keys = published_keys(manifest)
    closures, conflicts, position = _closures(manifest, keys), _conflicting(manifest), {k: i for i, k in enumerate(keys)}
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        chosen: list = []
        for key in rng.sample(keys, len(keys)):
            extra = [k for k in closures[key] if k not in chosen]
            if len(chosen) + len(extra) > size:
                continue
            if any(frozenset((a, b)) in conflicts for a in extra for b in chosen + extra if a != b):
                continue
            chosen += extra
            if len(chosen) == size:
                break
        assert len(chosen) == size, "no conflict-free set of that size"
        out.append(sorted(chosen, key=position.get))
    return out


def one_more(manifest: dict, chosen: list) -> str:
    """An extension outside ``chosen`` depending on the base only, conflicting with none of ``chosen``."""
    apps = {a["key"]: a for a in manifest["apps"]}
    conflicts = _conflicting(manifest)
    for key in published_keys(manifest):
        if key not in chosen and apps[key]["depends_on"] == ["base"] and \
                not any(frozenset((key, c)) in conflicts for c in chosen):
            return key
    raise AssertionError("no extension left to install")


# ---------------------------------------------------------------- server --

class Deployment:
    """A server with the base and 100 extensions published, and ``tenants`` populated."""

    def __init__(self, compiled, db: str):
        self.compiled = compiled
        self.manifest = compiled.manifest
        self.ids = {a["key"]: a["id"] for a in self.manifest["apps"]}
        self.db = db                  # a folder (SQLite) or a postgresql:// URL
        self.keys = published_keys(self.manifest)
        self.server = open_server(db)
        self.sets: list = []

    def publish(self) -> None:
        self.server.publish([self.compiled.base] + [self.compiled.paths[k] for k in self.keys])

    def populate(self, tenants: int, size: int = PER_TENANT, prefix: str = "tenant") -> list:
        """Add ``tenants`` tenants, each running the base and ``size`` extensions; their names."""
        sets = tenant_sets(self.manifest, tenants, size, seed=SEED + len(self.sets))
        names = []
        for i, chosen in enumerate(sets, start=len(self.sets) + 1):
            tenant = f"{prefix}{i:03d}"
            self.server.add_tenant(tenant)
            self.server.install(self.ids["base"], tenant)
            for key in chosen:
                self.server.install(self.ids[key], tenant)
            names.append(tenant)
        self.sets += sets
        return names

    def installed_apps(self) -> int:
        """Apps installed over all tenants (rows of `NAV App Tenant App`)."""
        return sum(t.apps for t in self.server.tenants())

    def close(self) -> None:
        self.server.close()


_DEPLOYMENTS: dict = {}


def get_deployment(compiled, tmp_path_factory, tenants: int) -> Deployment:
    """The server with ``tenants`` populated tenants, made once per session (the setup's
    seconds are kept in ``setup``)."""
    if tenants not in _DEPLOYMENTS:
        d = Deployment(compiled, str(tmp_path_factory.mktemp(f"deploy-{tenants}") / "server"))
        started = time.perf_counter()
        d.publish()
        published = time.perf_counter()
        d.populate(tenants)
        d.setup = {"publish_s": round(published - started, 2), "populate_s": round(time.perf_counter() - published, 2)}
        _DEPLOYMENTS[tenants] = d
    return _DEPLOYMENTS[tenants]


@pytest.fixture(scope="session")
def compiled_10k(request, tmp_path_factory):
    keep = request.config.getoption("--generated-dir")
    root = os.path.join(keep, "10k") if keep else str(tmp_path_factory.mktemp("generated-10k"))
    yield prepare("10k", root)[1]
    for d in _DEPLOYMENTS.values():
        d.close()


@pytest.fixture(scope="session", params=[f"{n} tenants" for n in TENANTS])
def size(request) -> str:
    """The server's size (pytest-benchmark records it as the `size` parameter)."""
    return request.param


def _tenants(size: str) -> int:
    return int(size.split()[0])


# ------------------------------------------------------------ benchmarks --

def bench_deploy_publish(benchmark, compiled_10k):
    """The base and 100 extensions published into a fresh server, in one call."""
    keys = published_keys(compiled_10k.manifest)
    paths = [compiled_10k.base] + [compiled_10k.paths[k] for k in keys]
    folders = []

    def fresh():
        folders.append(tempfile.mkdtemp(prefix="alc-bench-deploy-"))
        return (open_server(os.path.join(folders[-1], "server")),), {}

    def publish(server):
        try:
            return server.publish(paths)
        finally:
            server.close()

    clock = CpuClock()
    benchmark.group = "deploy publish"
    published = benchmark.pedantic(clock.wrap(publish), setup=fresh, rounds=1, iterations=1)
    assert len(published) == len(paths)
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    objects = sum(sum(a["objects"].values()) for a in compiled_10k.manifest["apps"] if a["key"] in {"base", *keys})
    finish(benchmark, clock, apps=len(paths), objects=objects,
           apps_per_s=round(len(paths) / benchmark.stats.stats.median, 1))


def _tenant_add(benchmark, d) -> None:
    """New tenants, each with the base installed, on the deployment ``d``."""
    counter = iter(range(1, 1000))

    def add():
        tenant = f"new{next(counter):03d}"
        d.server.add_tenant(tenant)
        return d.server.install(d.ids["base"], tenant)

    clock = CpuClock()
    benchmark.group = "deploy tenant_add"
    benchmark.pedantic(clock.wrap(add), rounds=5, iterations=1)
    finish(benchmark, clock, tenants=len(d.server.tenants()), apps=d.installed_apps(), **d.setup)


def bench_deploy_tenant_add(benchmark, compiled_10k, tmp_path_factory, size):
    """A new tenant with the base installed, on a server running ``size``."""
    d = get_deployment(compiled_10k, tmp_path_factory, _tenants(size))
    _tenant_add(benchmark, d)


def bench_deploy_tenant(benchmark, compiled_10k, tmp_path_factory, size):
    """One more tenant populated like the others: added, the base and 20 extensions
    installed one at a time (21 installs, each with its conflict check)."""
    d = get_deployment(compiled_10k, tmp_path_factory, _tenants(size))
    clock = CpuClock()
    benchmark.group = "deploy tenant"
    benchmark.pedantic(clock.wrap(d.populate), args=(1,), kwargs={"prefix": "more"}, rounds=3, iterations=1)
    finish(benchmark, clock, tenants=len(d.server.tenants()), apps=d.installed_apps(), installs=PER_TENANT + 1,
           installs_per_s=round((PER_TENANT + 1) / benchmark.stats.stats.median, 1), **d.setup)


def _install_rounds(benchmark, d: Deployment, tenant: str, chosen: list, cold: bool, group: str) -> None:
    key = one_more(d.manifest, chosen)
    servers = [d.server]

    def setup():
        if cold:
            servers.append(open_server(d.db, create=False))
        server = servers[-1]
        if d.ids[key] in {a["id"] for a in server.info_json(tenant=tenant)["apps"] if a.get("installed")}:
            server.uninstall(d.ids[key], tenant)
        return (server,), {}

    def install(server):
        report = server.install(d.ids[key], tenant)
        if cold:
            server.close()
        return report

    clock = CpuClock()
    benchmark.group = group
    report = benchmark.pedantic(clock.wrap(install), setup=setup, rounds=5, iterations=1)
    assert report.steps and report.steps[-1].action == "installed", report
    finish(benchmark, clock, tenants=len(d.server.tenants()), apps=d.installed_apps(), running=len(chosen),
           extension=key, **d.setup)


def bench_deploy_install(benchmark, compiled_10k, tmp_path_factory, size):
    """One more extension on a tenant running 20, with the conflict check (warm: the
    server object has read the packages before)."""
    d = get_deployment(compiled_10k, tmp_path_factory, _tenants(size))
    _install_rounds(benchmark, d, "tenant001", d.sets[0], False, "deploy install")


def bench_deploy_install_cold(benchmark, compiled_10k, tmp_path_factory, size):
    """As *install*, with the server opened anew each round (the packages read from the
    database again, as a new `alc server install` process does)."""
    d = get_deployment(compiled_10k, tmp_path_factory, _tenants(size))
    _install_rounds(benchmark, d, "tenant001", d.sets[0], True, "deploy install cold")


@pytest.mark.parametrize("size", ["5 apps", "10 apps", "20 apps"])
def bench_deploy_install_apps(benchmark, compiled_10k, tmp_path_factory, size):
    """One more install on a tenant running 5, 10 or 20 extensions (the 10-tenant server)."""
    running = int(size.split()[0])
    d = get_deployment(compiled_10k, tmp_path_factory, TENANTS[0])
    if running == PER_TENANT:
        tenant, chosen = "tenant001", d.sets[0]
    else:
        (tenant,) = d.populate(1, size=running, prefix=f"run{running}-")
        chosen = d.sets[-1]
    _install_rounds(benchmark, d, tenant, chosen, False, "deploy install_apps")
    benchmark.extra_info["apps"] = running + 2        # what the conflict check merges: the base, those running, the new one


# ----------------------------------------------------------- PostgreSQL --
# The same server on PostgreSQL (the application tables and one schema per tenant in
# one database, as several server instances share it), on a throwaway PostgreSQL server
# started as the tests start theirs (tests/pgserver.py): 10 tenants.

@pytest.fixture(scope="session")
def pg_deployment(compiled_10k, tmp_path_factory):
    import sys
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests"))
    from pgserver import PgServer, PgUnavailable
    try:
        server = PgServer().start()
    except PgUnavailable as e:
        pytest.skip(f"PostgreSQL unavailable: {e}")
    try:
        d = Deployment(compiled_10k, server.create_database("bench"))
        started = time.perf_counter()
        d.publish()
        published = time.perf_counter()
        d.populate(TENANTS[0])
        d.setup = {"publish_s": round(published - started, 2), "populate_s": round(time.perf_counter() - published, 2)}
        yield d
        d.close()
    finally:
        server.stop()


@pytest.mark.parametrize("size", [f"{TENANTS[0]} tenants"])
def bench_deploy_tenant_add_postgresql(benchmark, pg_deployment, size):
    """*tenant_add* on PostgreSQL: a new tenant schema with the base installed."""
    d = pg_deployment
    _tenant_add(benchmark, d)


@pytest.mark.parametrize("size", [f"{TENANTS[0]} tenants"])
def bench_deploy_install_postgresql(benchmark, pg_deployment, size):
    """*install* on PostgreSQL."""
    d = pg_deployment
    _install_rounds(benchmark, d, "tenant001", d.sets[0], False, "deploy install")


@pytest.mark.parametrize("size", [f"{TENANTS[0]} tenants"])
def bench_deploy_install_cold_postgresql(benchmark, pg_deployment, size):
    """*install_cold* on PostgreSQL."""
    d = pg_deployment
    _install_rounds(benchmark, d, "tenant001", d.sets[0], True, "deploy install cold")
