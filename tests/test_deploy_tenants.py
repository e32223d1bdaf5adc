"""`alc server`: the seed scenario (five tenants running different apps), AllObj, merged
objects, permissions, companies, dismount/mount and remove-apps."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

import pytest

from alc.deploy import DeployUsageError, Version, open_server
from test_deploy_common import PLATFORM, db, dump, packages, refused, refused_unchanged, server  # noqa: F401

SEED = {"t1": ["Seed A"], "t2": ["Seed B", "Seed C"], "t3": ["Seed B", "Seed C"], "t4": ["Seed B", "Seed C"],
        "t5": ["Seed D"]}


def test_the_seed_scenario(server, packages):
    server.publish([packages[f"seed-{x}"] for x in "abcd"])
    for tenant, apps in SEED.items():
        server.add_tenant(tenant)
        for app in apps:
            server.install(app, tenant)
    published = {i.app.name: i.app for i in server.info()}
    assert sorted(published) == ["Seed A", "Seed B", "Seed C", "Seed D"]
    for tenant, apps in SEED.items():
        assert sorted(i.app.name for i in server.info(tenant=tenant) if i.installed) == apps
        objects = server.allobj_json(tenant)["objects"]
        letters = [a[-1] for a in apps]
        expected = []
        for letter, app in zip(letters, apps):
            ident = 50400 + "ABCD".index(letter) + 1
            package = published[app].package_id
            expected += [{"type": "table", "id": ident, "name": f"Seed {letter} Record", "app_id": published[app].id,
                          "app_package_id": package},
                         {"type": "page", "id": ident, "name": f"Seed {letter} List", "app_id": published[app].id,
                          "app_package_id": package}]
        order = {"table": 0, "page": 1}
        assert objects == sorted(expected, key=lambda o: (order[o["type"]], o["id"]))
    assert [(t.tenant, t.apps) for t in server.tenants()] == [("t1", 1), ("t2", 2), ("t3", 2), ("t4", 2), ("t5", 1)]


def test_allobj_lists_extension_objects_with_their_package(server, packages):
    server.publish([packages["base"], packages["loyalty"]])
    server.add_tenant("t1")
    server.install("Demo Loyalty", "t1")
    rows = server.allobj("t1")
    loyalty = next(i.app for i in server.info("Demo Loyalty"))
    kinds = {(r.type, r.name): r.app_package_id for r in rows}
    assert kinds[("tableextension", "Loyalty Customer")] == loyalty.package_id
    assert kinds[("table", "Demo Customer")] != loyalty.package_id
    assert [r.type for r in rows].index("table") < [r.type for r in rows].index("tableextension")


def test_merged_shows_the_object_as_the_tenant_sees_it(server, packages):
    server.publish([packages["base"], packages["loyalty"]])
    server.add_tenant("t1")
    server.add_tenant("t2")
    server.install("Demo Loyalty", "t1")
    server.install("Demo Base", "t2")
    text = server.merged('table:"Demo Customer"', "t1")
    assert "// from Demo Loyalty" in text and text.startswith("table 50000 \"Demo Customer\" // from Demo Base")
    assert "Demo Loyalty" not in server.merged("table:50000", "t2")
    doc = server.merged("page:50000", "t1", fmt="json")
    assert doc["from"]["name"] == "Demo Base"
    with pytest.raises(DeployUsageError):
        server.merged("table:4711", "t1")
    with pytest.raises(DeployUsageError):
        server.merged("nonsense", "t1")


def test_permissions_export_the_platform_xml(server, packages, tmp_path):
    server.publish([packages["base"], packages["tracker-1"]])
    out = tmp_path / "perm.xml"
    data = server.permissions("Demo Tracker", out=str(out))
    assert out.read_bytes() == data
    root = ET.fromstring(data)
    assert root.tag == "PermissionSets"
    (ps,) = root
    assert (ps.get("RoleID"), ps.get("RoleName")) == ("Tracker", "Tracker")
    perms = [{c.tag: c.text for c in p} for p in ps]
    assert perms[0] == {"ObjectID": "50300", "ObjectType": "0", "ReadPermission": "1", "InsertPermission": "1",
                        "ModifyPermission": "1", "DeletePermission": "1", "ExecutePermission": "0",
                        "SecurityFilter": None}
    assert [(p["ObjectType"], p["ObjectID"], p["ExecutePermission"]) for p in perms[1:]] == [("1", "50300", "1"),
                                                                                             ("5", "50300", "1")]


def test_companies_and_install_code_per_company(server, packages):
    server.publish([packages["base"], packages["tracker-1"]])
    server.add_tenant("t1", ["CRONUS"])
    server.add_company("t1", "Fabrikam")
    assert server.companies("t1") == ["CRONUS", "Fabrikam"]
    refused_unchanged(server, server.add_company, "ALC0543", "t1", "CRONUS")
    report = server.install("Demo Tracker", "t1")
    assert [t.company for t in report.triggers if t.trigger == "OnInstallAppPerCompany"] == ["CRONUS", "Fabrikam"]
    with pytest.raises(DeployUsageError):
        server.add_company("t1", "x" * 31)


def test_remove_tenant(server, packages):
    server.publish([packages["base"]])
    server.add_tenant("t1")
    server.install("Demo Base", "t1")
    server.remove_tenant("t1")
    assert server.tenants() == []
    assert dump(server)["NAV App Tenant App"] == []
    server.add_tenant("t1")  # the id can be used again: a fresh copy of the template
    assert not any(i.installed for i in server.info(tenant="t1"))


def test_temporary_files_of_killed_runs_are_removed_by_the_next_tenant_add(packages, tmp_path):
    """A run killed between copying the template and renaming the copy leaves `.new-*.db` behind;
    the next tenant add removes the stale ones (older than an hour), never a live one or a tenant's."""
    folder = str(tmp_path / "db")
    server = open_server(folder, platform=Version.parse(PLATFORM))
    try:
        server.add_tenant("t1")
        tenants = os.path.join(folder, "tenants")
        stale, live, user = (os.path.join(tenants, n) for n in (".new-killed.db", ".new-live.db", "kept.db"))
        for path in (stale, live, user):
            with open(path, "wb") as f:
                f.write(b"SQLite format 3\x00")
        os.utime(stale, (1, 1))
        os.utime(user, (1, 1))
        server.add_tenant("t2")
        assert sorted(os.listdir(tenants)) == [".new-live.db", "kept.db", "t1.db", "t2.db"]
        assert [t.tenant for t in server.tenants()] == ["t1", "t2"]
    finally:
        server.close()


# --------------------------------------------------------- dismount, mount --

def test_dismount_and_mount_again(server, packages):
    server.publish([packages["base"], packages["loyalty"]])
    server.add_tenant("t1")
    server.install("Demo Loyalty", "t1")
    server.dismount_tenant("t1")
    assert [(t.tenant, t.state) for t in server.tenants()] == [("t1", "Dismounted")]
    assert dump(server)["NAV App Tenant App"] == []
    refused_unchanged(server, server.install, "ALC0541", "Demo Base", "t1")
    refused_unchanged(server, server.dismount_tenant, "ALC0541", "t1")
    source = _tenant_source(server, "t1")
    server.mount_tenant("t1", source)
    assert sorted(i.app.name for i in server.info(tenant="t1") if i.installed) == ["Demo Base", "Demo Loyalty"]
    assert len(dump(server)["NAV App Tenant App"]) == 2
    refused_unchanged(server, server.mount_tenant, "ALC0541", "t1", source)


def _tenant_source(server, tenant):
    from alc.deploy import schema
    import sqlalchemy as sa
    with server.store.begin(False) as conn:
        database = conn.execute(sa.select(schema.tenants.c.Database)
                                .where(schema.tenants.c["Tenant ID"] == tenant)).scalar()
    return server.store.tenant_path(database) if server.store.backend == "sqlite" else database


def _sqlite_server(tmp_path, name):
    return open_server(str(tmp_path / name), platform=Version.parse(PLATFORM))


def test_mount_refuses_naming_each_app_not_published_here(packages, tmp_path):
    """A tenant database moved to another server (SQLite files; a PostgreSQL server mounts its own schemas)."""
    here = _sqlite_server(tmp_path, "here")
    here.publish([packages["base"], packages["loyalty"]])
    here.add_tenant("t1")
    here.install("Demo Loyalty", "t1")
    here.dismount_tenant("t1")
    source = _tenant_source(here, "t1")
    other = _sqlite_server(tmp_path, "other")
    other.publish([packages["base"]])
    message = refused_unchanged(other, other.mount_tenant, "ALC0540", "moved", source)
    assert message == ("The tenant moved could not be mounted because the following installed NAV extensions are "
                       "missing, matching content could not be found, or have a higher version than those that are "
                       "published and synchronized: \"Demo Loyalty\" by alc samples, version 1.2.0.0.")
    assert os.listdir(other.store.tenants) == []  # the copy is gone
    other.publish([packages["loyalty"]])
    other.mount_tenant("moved", source)
    assert sorted(i.app.name for i in other.info(tenant="moved") if i.installed) == ["Demo Base", "Demo Loyalty"]
    assert os.path.isfile(source)  # mounting copies the file


def test_mount_refuses_other_content_under_the_same_version(packages, tmp_path):
    here = _sqlite_server(tmp_path, "here")
    here.publish([packages["mini-base"]])
    here.add_tenant("t1")
    here.install("Mini Base", "t1")
    here.dismount_tenant("t1")
    # the same app id and version with other content: a runtime package made from it
    here.runtime_package("Mini Base", "1.0.0.0", str(tmp_path / "rt.app"))
    other = _sqlite_server(tmp_path, "other")
    other.publish([str(tmp_path / "rt.app")])
    message = refused(other.mount_tenant, "ALC0540", "t1", _tenant_source(here, "t1"))
    assert '"Mini Base" by alc tests, version 1.0.0.0' in message


def test_mount_refuses_an_app_that_is_not_synced(packages, tmp_path):
    here = _sqlite_server(tmp_path, "here")
    here.publish([packages["mini-base"]])
    here.add_tenant("t1")
    here.install("Mini Base", "t1")
    here.dismount_tenant("t1")
    import sqlite3
    source = _tenant_source(here, "t1")
    with sqlite3.connect(source) as conn:  # a tenant whose tracking was lost
        conn.execute('DELETE FROM "$ndo$navappschematracking"')
    refused(here.mount_tenant, "ALC0540", "t1", source)


def test_remove_apps_is_for_a_dismounted_tenant(server, packages):
    server.publish([packages["base"], packages["loyalty"]])
    server.add_tenant("t1")
    server.install("Demo Loyalty", "t1")
    message = refused_unchanged(server, server.remove_apps, "ALC0541", "t1")
    assert "should be run against tenants that are not mounted" in message
    server.dismount_tenant("t1")
    report = server.remove_apps("t1")
    assert [s.action for s in report.steps] == ["removed", "removed"]
    state = dump(server)
    assert state["t1/NAV App Installed App"] == [] and len(state["t1/$ndo$navappuninstalledapp"]) == 2
    server.mount_tenant("t1", _tenant_source(server, "t1"))
    assert not any(i.installed for i in server.info(tenant="t1"))
    assert {str(i.data_version) for i in server.info(tenant="t1")} == {"1.0.0.0", "1.2.0.0"}


# ------------------------------------------- moving tenants between databases --

def _moving_tenant(here, packages):
    here.publish([packages["base"], packages["loyalty"]])
    here.add_tenant("t1", ["CRONUS"])
    here.install("Demo Loyalty", "t1")
    here.dismount_tenant("t1")


def _receiving(there, packages):
    there.publish([packages["base"]])


def test_a_tenant_moves_from_sqlite_to_postgresql_and_back(packages, tmp_path, pg_server):
    """`tenant mount --from` takes a SQLite file into a PostgreSQL server, and a
    PostgreSQL tenant schema (URL#SCHEMA) into a SQLite server: rows copied, checked the same."""
    here = open_server(str(tmp_path / "here"), platform=Version.parse(PLATFORM))
    _moving_tenant(here, packages)
    url = pg_server.create_database()
    try:
        there = open_server(url, platform=Version.parse(PLATFORM))
        _receiving(there, packages)
        source = _tenant_source(here, "t1")
        message = refused_unchanged(there, there.mount_tenant, "ALC0540", "t1", source)
        assert '"Demo Loyalty" by alc samples, version 1.2.0.0' in message
        there.publish([packages["loyalty"]])
        there.mount_tenant("t1", source)
        assert sorted(i.app.name for i in there.info(tenant="t1") if i.installed) == ["Demo Base", "Demo Loyalty"]
        assert there.companies("t1") == ["CRONUS"]
        # and back: the PostgreSQL tenant schema into a new SQLite server
        there.dismount_tenant("t1")
        back = open_server(str(tmp_path / "back"), platform=Version.parse(PLATFORM))
        back.publish([packages["base"], packages["loyalty"]])
        schema_name = _tenant_source(there, "t1")
        back.mount_tenant("t1", f"{url}#{schema_name}")
        assert sorted(i.app.name for i in back.info(tenant="t1") if i.installed) == ["Demo Base", "Demo Loyalty"]
        with pytest.raises(DeployUsageError):
            back.mount_tenant("t2", url)  # no schema
        there.close()
    finally:
        pg_server.drop_database(url)


def test_postgresql_refuses_to_mount_another_tenants_schema(packages, pg_url):
    server = open_server(pg_url, platform=Version.parse(PLATFORM))
    server.publish([packages["base"]])
    server.add_tenant("t1")
    server.install("Demo Base", "t1")
    with pytest.raises(DeployUsageError, match="is the database of the tenant `t1`"):
        server.mount_tenant("t2", _tenant_source(server, "t1"))
    server.close()


def test_long_tenant_ids(server, packages):
    long_a, long_b = "a" * 60 + "x1", "a" * 60 + "x2"
    server.publish([packages["base"]])
    server.add_tenant(long_a)
    server.add_tenant(long_b)
    server.install("Demo Base", long_a)
    assert [i.installed for i in server.info(tenant=long_b)] == [False]
    assert [i.installed for i in server.info(tenant=long_a)] == [True]
