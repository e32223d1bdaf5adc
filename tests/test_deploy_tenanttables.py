"""`alc server`: the tenant tables install and uninstall fill (`Tenant Permission Set`,
`Tenant Permission`, `NAV App Data Archive`), on both backends."""

from __future__ import annotations

import sqlalchemy as sa

from alc.deploy import schema
from test_deploy_common import db, packages, server  # noqa: F401

PERMS = "9e3f0c1a-5b2d-4f6e-8a7b-0c1d2e3f4a51"
BASE = "0d3e1f52-7a5c-4c1b-9e8a-6f2b3c4d5e61"
TRACKER = "e7a1c2d3-4b5f-4a6e-9c7d-8e9f0a1b2c31"
RIGHTS = ("Read Permission", "Insert Permission", "Modify Permission", "Delete Permission", "Execute Permission")


def _rows(server, tenant: str, table) -> list[dict]:
    row = server._tenant_row(tenant)
    with server.store.begin(False, row.database) as conn:
        return [dict(r) for r in conn.execute(sa.select(table)).mappings()]


def _sets(server, tenant: str) -> dict:
    return {(r["App ID"], r["Role ID"]): (r["Name"], bool(r["Assignable"]))
            for r in _rows(server, tenant, schema.permission_set)}


def _perms(server, tenant: str, app_id: str = None) -> dict:
    """(app, role, object type, object id) -> (type, rights as one string of R I M D X / r i m d x / -)."""
    out = {}
    for r in _rows(server, tenant, schema.permission):
        if app_id is not None and r["App ID"] != app_id:
            continue
        letters = "".join(("RIMDX"[i] if r[c] == "Yes" else "rimdx"[i] if r[c] == "Indirect" else "-")
                          for i, c in enumerate(RIGHTS))
        assert all(r[c] in (" ", "Yes", "Indirect") for c in RIGHTS)
        out[(r["App ID"], r["Role ID"], r["Object Type"], r["Object ID"])] = (r["Type"], letters)
    return out


def _archive(server, tenant: str) -> list[tuple]:
    return sorted((r["App ID"], r["Table ID"], r["Company Name"], r["Version Major"], r["Archive Table Name"])
                  for r in _rows(server, tenant, schema.data_archive))


def test_install_fills_the_permission_tables_from_the_apps_permission_sets(server, packages):
    server.publish([packages["base"], packages["perms"]])
    server.add_tenant("t1")
    report = server.install("Demo Perms", "t1")
    assert _sets(server, "t1") == {
        (BASE, "DEMO BASE"): ("Demo Base", True),
        (PERMS, "PERM READ"): ("Perm Read", False),
        (PERMS, "PERM ALL"): ("Perms: everything", True),
        (PERMS, "PERM SETUP ONLY"): ("Perm Setup Only", True),
        (PERMS, "PERM XML"): ("Perm legacy set", True)}
    perms = _perms(server, "t1", PERMS)
    # Own permissions, uppercase Yes and lowercase Indirect.
    assert perms[(PERMS, "PERM READ", "TableData", 50600)] == ("Include", "R----")
    assert perms[(PERMS, "PERM READ", "TableData", 50000)] == ("Include", "r----")
    # Included sets flattened (its own Perm Read and Demo Base's), rights combined: Yes over Indirect.
    assert perms[(PERMS, "PERM ALL", "TableData", 50000)] == ("Include", "RIMD-")
    assert perms[(PERMS, "PERM ALL", "Page", 50000)] == ("Include", "----X")
    assert perms[(PERMS, "PERM ALL", "Codeunit", 0)] == ("Include", "----X")  # codeunit * = X
    # Excluded sets as Exclude rows; an object both included and excluded keeps the Exclude row.
    assert perms[(PERMS, "PERM ALL", "TableData", 50601)] == ("Exclude", "RIMD-")
    assert perms[(PERMS, "PERM ALL", "TableData", 50001)] == ("Exclude", "---d-")
    # The permissionset extension of Demo Base: under the extending app, the extended set's Role ID.
    assert {k: v for k, v in perms.items() if k[1] == "DEMO BASE"} == {
        (PERMS, "DEMO BASE", "TableData", 50600): ("Include", "R----"),
        (PERMS, "DEMO BASE", "TableData", 50000): ("Include", "r----")}
    # The legacy XML permission set, with its security filter.
    xml = [r for r in _rows(server, "t1", schema.permission) if r["Role ID"] == "PERM XML"]
    assert [(r["Object Type"], r["Object ID"], r["Read Permission"], r["Insert Permission"], r["Security Filter"])
            for r in xml] == [("TableData", 50600, "Yes", "Indirect", "Note=FILTER(A*)")]
    # Demo Base (installed as the dependency) has its own rows.
    assert _perms(server, "t1", BASE)[(BASE, "DEMO BASE", "TableData", 50001)] == ("Include", "RIMD-")
    # A platform table has no object on the tenant: left out, with one warning.
    assert [w for w in report.warnings if "`User`" in w] == [
        "Demo Perms by alc tests 1.0.0.0: tabledata `User` (permission set PERM READ) is not an object of the "
        "tenant; its permissions are left out"]
    assert not any(k[3] == 0 and k[2] == "TableData" for k in perms)


def test_uninstall_removes_the_permission_sets_and_archives_the_data(server, packages):
    server.publish([packages["base"], packages["perms"]])
    server.add_tenant("t1", ["CRONUS", "Other Co."])
    server.add_tenant("t2")
    server.install("Demo Perms", "t1")
    server.install("Demo Perms", "t2")
    before_t2 = (_sets(server, "t2"), _perms(server, "t2"))
    server.uninstall("Demo Perms", "t1")
    assert set(_sets(server, "t1")) == {(BASE, "DEMO BASE")}
    assert _perms(server, "t1", PERMS) == {}
    assert _perms(server, "t1", BASE)  # Demo Base is still installed: its rows stay
    assert _archive(server, "t1") == [
        (PERMS, 50600, "CRONUS", 1, f"CRONUS$Perm Entry${PERMS}"),
        (PERMS, 50600, "Other Co.", 1, f"Other Co_$Perm Entry${PERMS}"),
        (PERMS, 50601, "", 1, f"Perm Setup${PERMS}")]                    # DataPerCompany = false
    assert (_sets(server, "t2"), _perms(server, "t2")) == before_t2   # another tenant is untouched
    assert _archive(server, "t2") == []
    # Installed again: the data is in use, the permission sets are back.
    server.install("Demo Perms", "t1")
    assert _archive(server, "t1") == []
    assert (_sets(server, "t1"), _perms(server, "t1")) == before_t2
    # --force uninstalls the dependent too: both apps' rows go, both apps' tables are archived.
    server.uninstall("Demo Base", "t1", force=True)
    assert _sets(server, "t1") == {} and _perms(server, "t1") == {}
    assert {(a, t) for a, t, *_ in _archive(server, "t1")} == {
        (PERMS, 50600), (PERMS, 50601), (BASE, 50000), (BASE, 50001), (BASE, 50002), (BASE, 50003)}
    # Sync-NAVApp -Mode Clean removes the data: its archive rows go.
    server.sync("Demo Perms", "t1", mode="clean")
    assert {a for a, *_ in _archive(server, "t1")} == {BASE}


def test_upgrade_replaces_the_permission_rows_and_ends_the_archive(server, packages):
    server.publish([packages["base"], packages["tracker-1"], packages["tracker-2"]])
    server.add_tenant("t1", ["CRONUS"])
    server.install("Demo Tracker", "t1", version="1.0.0.0")
    assert (TRACKER, "TRACKER") in _sets(server, "t1")
    first = _perms(server, "t1", TRACKER)
    assert first[(TRACKER, "TRACKER", "TableData", 50300)] == ("Include", "RIMD-")
    server.uninstall("Demo Tracker", "t1")
    # its own table, and the companion of the base table that holds its fields
    assert {(a, t, c, v) for a, t, c, v, _ in _archive(server, "t1")} == {(TRACKER, 50300, "CRONUS", 1),
                                                                          (TRACKER, 50000, "CRONUS", 1)}
    assert _perms(server, "t1", TRACKER) == {}
    server.upgrade("Demo Tracker", "2.0.0.0", "t1")
    assert _archive(server, "t1") == []
    assert _perms(server, "t1", TRACKER) == first


def test_remove_apps_removes_the_permission_sets_and_archives(server, packages):
    server.publish([packages["base"], packages["perms"]])
    server.add_tenant("t1", ["CRONUS"])
    server.install("Demo Perms", "t1")
    server.dismount_tenant("t1")
    server.remove_apps("t1")
    assert _sets(server, "t1") == {} and _perms(server, "t1") == {}
    assert {a for a, *_ in _archive(server, "t1")} == {BASE, PERMS}


def test_publish_keeps_the_xml_permission_sets_and_unpublish_removes_them(server, packages):
    server.publish([packages["base"], packages["perms"]])
    r = schema.resource
    with server.store.begin(False) as conn:
        rows = conn.execute(sa.select(r.c.Type, r.c.Name)).all()
    assert [tuple(x) for x in rows] == [("PermissionSet", "perm/file0_PermsLegacy.xml")]
    server.unpublish("Demo Perms")
    with server.store.begin(False) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(r)).scalar() == 0

