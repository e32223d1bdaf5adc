"""`alc server info --tenant T` shows apps installed on T that are no longer published (the
stuck state of DEPLOY.md §1.4: Is Installed true, Is Published false), and uninstall still
works for them; on both backends."""

from __future__ import annotations

import json

import sqlalchemy as sa

from alc.cli import main
from alc.deploy import schema
from alc.deploy.tenantdb import installed_rows, register_installed
from test_deploy_common import db, packages, server  # noqa: F401

SEED_A = "5eed0001-0000-4000-8000-000000000001"


def _stuck(server, packages) -> str:
    """t1 runs Seed A and Seed B; Seed A is unpublished while t1 is dismounted, and t1's
    database is then mounted as it is (as a server that does not check, or a database
    restored from elsewhere, leaves it): Seed A is installed on t1 and published nowhere."""
    server.publish([packages["seed-a"], packages["seed-b"]])
    server.add_tenant("t1", ["CRONUS"])
    server.install("Seed A", "t1")
    server.install("Seed B", "t1")
    package_a = next(i.app.package_id for i in server.info("Seed A"))
    server.dismount_tenant("t1")
    server.unpublish("Seed A")
    t = schema.tenants
    with server.store.begin(True, server._tenant_row("t1").database) as conn:  # what mount does, unchecked
        conn.execute(sa.update(t).where(t.c["Tenant ID"] == "t1").values(State="Mounted"))
        register_installed(conn, "t1", installed_rows(conn).values())
    return package_a


def test_info_shows_an_installed_app_that_is_not_published(server, packages):
    package_a = _stuck(server, packages)
    apps = server.info_json(tenant="t1")["apps"]
    assert [(a["name"], a["installed"], a.get("published", True)) for a in apps] == [
        ("Seed A", True, False), ("Seed B", True, True)]
    assert apps[0] == {"id": SEED_A, "name": "Seed A", "publisher": "alc tests", "version": "1.0.0.0",
                       "package_id": package_a, "scope": "global", "tenant": None, "runtime_package": False,
                       "has_source": False, "synced": True, "installed": True, "data_version": "1.0.0.0",
                       "published": False}
    assert "published" not in apps[1]
    assert [a.app.name for a in server.info("Seed A", tenant="t1")] == ["Seed A"]
    assert [a["name"] for a in server.info_json()["apps"]] == ["Seed B"]   # without a tenant: published apps only


def test_info_text_and_json_from_the_command_line(db, server, packages, capsys):
    _stuck(server, packages)
    server.close()
    assert main(["server", "info", "--tenant", "t1", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Seed A 1.0.0.0 by alc tests  [global, not published]" in out
    assert out.count("on t1: installed, synced") == 2
    assert main(["server", "info", "Seed A", "--tenant", "t1", "--format", "json", "--db", db]) == 0
    (app,) = json.loads(capsys.readouterr().out)["apps"]
    assert (app["name"], app["published"], app["installed"]) == ("Seed A", False, True)


def test_uninstall_works_for_an_installed_app_that_is_not_published(server, packages):
    package_a = _stuck(server, packages)
    report = server.uninstall("Seed A", "t1")
    assert [s.action for s in report.steps] == ["uninstalled"]
    apps = server.info_json(tenant="t1")["apps"]
    assert [(a["name"], a["installed"]) for a in apps] == [("Seed B", True)]
    row = server._tenant_row("t1")
    with server.store.begin(False, row.database) as conn:
        installed = [r[0] for r in conn.execute(sa.select(schema.installed_app.c.Name))]
        kept = [r[0] for r in conn.execute(sa.select(schema.uninstalled_app.c.name))]
    assert (installed, kept) == (["Seed B"], ["Seed A"])
    ta = schema.tenant_app
    with server.store.begin(False) as conn:
        assert conn.execute(sa.select(ta).where(ta.c["Package ID"] == package_a)).all() == []
    assert {o.name for o in server.allobj("t1")} == {"Seed B Record", "Seed B List"}
