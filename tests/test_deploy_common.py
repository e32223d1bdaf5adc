"""Shared fixtures of the `alc server` tests (imported by tests/test_deploy_*.py):
the sample packages and the test apps of tests/data/deploy, compiled once per
session; a fresh server database per test (the `server_db` fixture of
tests/conftest.py: SQLite and PostgreSQL); and
a dump of every table of a server, to show that a refusal changed nothing."""

from __future__ import annotations

import hashlib
import json
import os
import shutil

import pytest
import sqlalchemy as sa

from apps import ROOT, CompileOptions, compile_project, compile_samples

DATA = os.path.join(ROOT, "tests", "data", "deploy")
PLATFORM = "26.0.0.0"


def _compile(project: str, cache: str, out: str, version: str = None, runtime: bool = False,
             platform: str = None, app_id: str = None, min_versions: dict = None) -> str:
    """Compile ``project`` (a copy, when the version, platform, app id or the minimum versions
    of its dependencies (by name) change) into ``out``."""
    if version or platform or app_id or min_versions:
        work = out + ".src"
        shutil.copytree(project, work)
        with open(os.path.join(work, "app.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        if version:
            manifest["version"] = version
        if platform:
            manifest["platform"] = platform
        if app_id:
            manifest["id"] = app_id
        for dep in manifest.get("dependencies", []):
            dep["version"] = (min_versions or {}).get(dep["name"], dep["version"])
        with open(os.path.join(work, "app.json"), "w", encoding="utf-8") as f:
            json.dump(manifest, f)
        project = work
    result = compile_project(CompileOptions(project=project, package_cache=(cache,), out=out, jobs=1,
                                            runtime=runtime))
    assert result.ok, [str(d) for d in result.diagnostics]
    return out


@pytest.fixture(scope="session")
def packages(tmp_path_factory) -> dict:
    """name -> .app path: the samples (base, loyalty, loyalty-rewards, shipping),
    tracker 1.0/2.0/3.0, a tracker runtime package (1.5, platform 26.0.0.0) and
    one for another platform (1.6, 25.0.0.0), shipping 3.0.0.0, base 2.0.0.0 and tracker
    4.0.0.0 needing it, mini-base 1.0/2.0 and mini-ext, seed-a .. seed-d, seed-a-other-id
    (Seed A under another app id), perms (Demo Perms: permission sets of every kind)."""
    root = tmp_path_factory.mktemp("deploy-packages")
    cache = str(root / "cache")
    out = dict(compile_samples(cache))
    built = str(root / "built")
    os.makedirs(built)
    tracker = os.path.join(DATA, "tracker")
    for version in ("1.0.0.0", "2.0.0.0", "3.0.0.0"):
        out[f"tracker-{version[0]}"] = _compile(tracker, cache, os.path.join(built, f"tracker-{version}.app"), version)
    cache2 = str(root / "cache2")  # Demo Base 2.0.0.0, and tracker 4.0.0.0 that needs it
    os.makedirs(cache2)
    out["base-2"] = _compile(os.path.join(ROOT, "samples", "base"), cache2, os.path.join(cache2, "base-2.app"),
                             "2.0.0.0")
    out["tracker-4"] = _compile(tracker, cache2, os.path.join(built, "tracker-4.app"), "4.0.0.0",
                                min_versions={"Demo Base": "2.0.0.0"})
    out["shipping-3"] = _compile(os.path.join(ROOT, "samples", "shipping"), cache,
                                 os.path.join(built, "shipping-3.app"), "3.0.0.0")
    out["tracker-runtime"] = _compile(tracker, cache, os.path.join(built, "tracker-runtime.app"), "1.5.0.0",
                                      runtime=True)
    out["tracker-runtime-25"] = _compile(tracker, cache, os.path.join(built, "tracker-runtime-25.app"), "1.6.0.0",
                                         runtime=True, platform="25.0.0.0")
    out["mini-base"] = _compile(os.path.join(DATA, "mini-base"), cache, os.path.join(cache, "mini-base.app"))
    out["mini-ext"] = _compile(os.path.join(DATA, "mini-ext"), cache, os.path.join(built, "mini-ext.app"))
    out["mini-base-2"] = _compile(os.path.join(DATA, "mini-base-2"), cache, os.path.join(built, "mini-base-2.app"))
    out["seed-a-other-id"] = _compile(os.path.join(DATA, "seed-a"), cache, os.path.join(built, "seed-a-other.app"),
                                      app_id="5eed0001-0000-4000-8000-0000000000ff")
    out["perms"] = _compile(os.path.join(DATA, "perms"), cache, os.path.join(built, "perms.app"))
    for x in "abcd":
        out[f"seed-{x}"] = _compile(os.path.join(DATA, f"seed-{x}"), cache, os.path.join(built, f"seed-{x}.app"))
    return out


@pytest.fixture
def db(server_db) -> str:
    """A fresh server database: tests/conftest.py's `server_db` (SQLite folder and PostgreSQL URL)."""
    return server_db


@pytest.fixture
def server(db):
    from alc.deploy import Version, open_server
    s = open_server(db, platform=Version.parse(PLATFORM))
    yield s
    s.close()


def dump(server) -> dict:
    """Every row of every table of the application database and of each tenant database
    (blobs as SHA-256), sorted: equal dumps mean equal state."""
    from alc.deploy import schema
    out = {}

    def rows(conn, table) -> list:
        result = []
        for r in conn.execute(sa.select(table)).mappings():
            result.append(tuple(sorted((k, hashlib.sha256(bytes(v)).hexdigest() if isinstance(v, (bytes, memoryview))
                                        else v) for k, v in r.items())))
        return sorted(result, key=repr)

    with server.store.begin(False) as conn:
        for table in schema.APP.sorted_tables:
            out[table.name] = rows(conn, table)
        tenant_dbs = [(r[0], r[1]) for r in conn.execute(sa.select(schema.tenants.c["Tenant ID"],
                                                                   schema.tenants.c["Database"]))]
    for tenant, database in sorted(tenant_dbs):
        with server.store.begin(False, database) as conn:
            for table in schema.TENANT.sorted_tables:
                out[f"{tenant}/{table.name}"] = rows(conn, table)
    return out


def refused(call, code: str, *args, **kw):
    """Run a server call that must be refused with ``code``; return its message."""
    from alc.deploy import DeployError
    with pytest.raises(DeployError) as info:
        call(*args, **kw)
    assert info.value.code == code, str(info.value)
    return info.value.message


def refused_unchanged(server, call, code: str, *args, **kw) -> str:
    """A refusal with ``code`` that leaves every table exactly as it was."""
    before = dump(server)
    message = refused(call, code, *args, **kw)
    assert dump(server) == before
    return message
