"""Several `alc server install` processes at once, on both backends.

- On one tenant: the installs are serialized without lost updates. Every
  non-conflicting app installs; of two apps that conflict with each other
  (``red`` and ``blue`` set one control property differently) exactly one
  installs and the other is refused by the rule (``error ALC05xx``, exit 1),
  never by a database error; the tenant's installed list is exactly the base
  plus the apps whose command succeeded, in the tenant database and in the
  application database's `NAV App Tenant App`.
- On different tenants: every install succeeds, and each tenant has exactly
  its own apps.
- One tenant added by two processes at once, one app published by four: one
  succeeds, the others are refused by the rule (ALC0542, ALC05xx), nothing is
  written over.

The processes are forked at the same moment from one that has imported alc
already (tests/deploykit.py, ``Forker``), so that their work overlaps.
"""

from __future__ import annotations

import pytest

from alc.deploy import open_server
from deploykit import EXTENSIONS, app_id, forker, kit_apps, name, snapshot  # noqa: F401  (fixtures)

DATABASE_ERRORS = ("Traceback", "internal error", "OperationalError", "IntegrityError", "database is locked",
                   "deadlock", "could not serialize", "DBAPIError", "psycopg", "kept changing")


def run_together(forker, commands: list, db: str) -> list:
    """[(exit code, output)] of `alc server` commands started at the same moment, each
    in its own process (forked from one that imported alc already)."""
    return [(code, output) for code, output, _ in forker.run([["server", *args, "--db", db] for args in commands])]


def installed(db: str, tenant: str) -> set:
    """App ids installed on ``tenant``, as `info --tenant T --format json` reports them."""
    server = open_server(db, create=False)
    try:
        return {a["id"] for a in server.info_json(tenant=tenant)["apps"] if a.get("installed")}
    finally:
        server.close()


def tenant_app_rows(db: str) -> dict:
    """tenant -> app ids, from the application database's `NAV App Tenant App`, read directly."""
    state = snapshot(db)
    app_db = state["application.db"] if "application.db" in state else state["public"]
    out: dict = {}
    for row in app_db["NAV App Tenant App"]:
        tenant, _package, app = row[:3]
        out.setdefault(tenant, set()).add(app)
    return out


@pytest.fixture
def published(server_db, kit_apps):
    server = open_server(server_db)
    try:
        server.publish([kit_apps[k] for k in ("base", *EXTENSIONS, "red", "blue")])
    finally:
        server.close()
    return server_db


def test_installs_on_one_tenant_are_serialized_without_lost_updates(published, forker):
    db = published
    server = open_server(db)
    try:
        server.add_tenant("one")
        server.install(name("base"), "one")
    finally:
        server.close()
    keys = ["ext1", "red", "ext2", "blue", "ext3", "ext4"]
    results = dict(zip(keys, run_together(forker, [["install", name(k), "--tenant", "one"] for k in keys], db)))
    for key, (code, out) in results.items():
        assert not any(e in out for e in DATABASE_ERRORS), f"{key}: {out}"
    succeeded = {k for k, (code, _) in results.items() if code == 0}
    assert {"ext1", "ext2", "ext3", "ext4"} <= succeeded, results
    # exactly one of the conflicting pair, the other refused by the conflict rule
    assert len(succeeded & {"red", "blue"}) == 1, results
    (refused,) = {"red", "blue"} - succeeded
    code, out = results[refused]
    assert code == 1 and "error ALC0511" in out, (code, out)          # the conflict rule
    assert name("red") in out and name("blue") in out, out
    expected = {app_id("base")} | {app_id(k) for k in succeeded}
    assert installed(db, "one") == expected
    assert tenant_app_rows(db)["one"] == expected


def test_installs_on_different_tenants_all_proceed(published, forker):
    db = published
    tenants = {f"t{i}": key for i, key in enumerate(["ext1", "ext2", "ext3", "red", "blue"], start=1)}
    server = open_server(db)
    try:
        for tenant in tenants:
            server.add_tenant(tenant)
    finally:
        server.close()
    commands = [["install", name(key), "--tenant", tenant] for tenant, key in tenants.items()]
    results = run_together(forker, commands, db)
    for (code, out), args in zip(results, commands):
        assert code == 0 and not any(e in out for e in DATABASE_ERRORS), (args, out)
    rows = tenant_app_rows(db)
    for tenant, key in tenants.items():
        expected = {app_id("base"), app_id(key)}           # the base installed first, as a dependency
        assert installed(db, tenant) == expected
        assert rows[tenant] == expected


def test_a_tenant_added_twice_at_once_keeps_the_first_ones_database(published, forker):
    """Process B checks that tenant `t` does not exist, then pauses (after the check's
    connection is checked in); meanwhile A adds `t` and installs the base on it; then B
    goes on. B is refused (the tenant exists) and `t` keeps its database: the base stays
    installed there, as the application database says."""
    db = published
    b = {"args": ["server", "tenant", "add", "t", "--db", db], "pause_at": 4, "pause_s": 4.0}
    a1 = {"args": ["server", "tenant", "add", "t", "--db", db], "start_after": 0.5}
    a2 = {"args": ["server", "install", name("base"), "--tenant", "t", "--db", db], "start_after": 2.0}
    (code_b, out_b, _), (code_a1, out_a1, _), (code_a2, out_a2, _) = forker.run([b, a1, a2])
    assert code_a1 == 0 and code_a2 == 0, out_a1 + out_a2
    assert code_b == 1 and "error ALC0542" in out_b, out_b
    assert not any(e in out_b for e in DATABASE_ERRORS), out_b
    assert installed(db, "t") == {app_id("base")}
    assert tenant_app_rows(db)["t"] == {app_id("base")}


def test_one_app_published_by_several_processes_at_once_is_published_once(server_db, kit_apps, forker):
    db = server_db
    server = open_server(db)
    try:
        server.publish([kit_apps["base"]])
    finally:
        server.close()
    results = run_together(forker, [["publish", kit_apps["ext1"]] for _ in range(4)], db)
    codes = sorted(code for code, _ in results)
    assert codes == [0, 1, 1, 1], results
    for code, out in results:
        assert not any(e in out for e in DATABASE_ERRORS), out
        assert code == 0 or "error ALC05" in out, out
    server = open_server(db, create=False)
    try:
        assert [a["version"] for a in server.info_json(name("ext1"))["apps"]] == ["1.0.0.0"]
    finally:
        server.close()
