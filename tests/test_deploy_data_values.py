"""`alc server data`: Enum fields by value name (an enum extension's values included, stored
as their ordinals), Blob values as `{"$base64": ...}`; and a tenant moved between a SQLite and a
PostgreSQL server keeping its business tables (base and companion, per company and not),
both directions. Own apps, compiled with alc."""

from __future__ import annotations

import base64
import json
import os

import pytest

from alc.build.compiler import CompileOptions, compile_project
from alc.deploy import Version, open_server
from alc.deploy.data import run
from alc.deploy.errors import DeployError, DeployUsageError
from alc.deploy.tables import fit
from schemakit import IDS, TenantSql, shop_apps, tenant_sql  # noqa: F401
from test_deploy_common import PLATFORM, db, server  # noqa: F401
from test_deploy_tenants import _tenant_source

SHELF = """
enum 74000 "Shelf Color"
{
    Extensible = true;
    value(0; " ") { }
    value(1; Red) { }
    value(5; "Deep Blue") { }
}

table 74000 "Shelf Item"
{
    fields
    {
        field(1; "No."; Code[20]) { }
        field(2; Color; Enum "Shelf Color") { }
    }
    keys { key(PK; "No.") { } }
}
"""

PAINT = """
enumextension 74100 "Paint Colors" extends "Shelf Color"
{
    value(74100; Green) { }
}

tableextension 74100 "Paint Item" extends "Shelf Item"
{
    fields
    {
        field(74100; "Second Color"; Enum "Shelf Color") { }
    }
}
"""

SHELF_ID, PAINT_ID = "5a0b0000-0000-4000-8000-0000000000c1", "5a0b0000-0000-4000-8000-0000000000c2"


def _compile(root: str, key: str, app_id: str, name: str, text: str, ranges: tuple, deps: list, cache: str) -> str:
    project = os.path.join(root, key)
    os.makedirs(project)
    with open(os.path.join(project, "app.json"), "w", encoding="utf-8") as f:
        json.dump({"id": app_id, "name": name, "publisher": "alc tests", "version": "1.0.0.0", "runtime": "14.0",
                   "idRanges": [{"from": ranges[0], "to": ranges[1]}], "dependencies": deps}, f)
    with open(os.path.join(project, "app.al"), "w", encoding="utf-8") as f:
        f.write(text)
    out = os.path.join(cache, f"{key}.app")
    result = compile_project(CompileOptions(project=project, out=out, package_cache=(cache,), jobs=1))
    assert result.ok, [str(d) for d in result.diagnostics]
    return out


@pytest.fixture(scope="module")
def shelf_apps(tmp_path_factory) -> tuple:
    root = str(tmp_path_factory.mktemp("shelf"))
    cache = os.path.join(root, "cache")
    os.makedirs(cache)
    shelf = _compile(root, "shelf", SHELF_ID, "Shelf", SHELF, (74000, 74099), [], cache)
    dep = [{"id": SHELF_ID, "name": "Shelf", "publisher": "alc tests", "version": "1.0.0.0"}]
    return shelf, _compile(root, "paint", PAINT_ID, "Paint", PAINT, (74100, 74199), dep, cache)


# ------------------------------------------------------------------- enums --

def test_enum_values_by_name_with_an_enum_extensions_values(server, db, shelf_apps):
    server.publish(list(shelf_apps))
    server.add_tenant("t1", ["CRONUS"])
    server.install("Shelf", "t1")
    rows = [{"No.": "a", "Color": "Red"}, {"No.": "b", "Color": "deep blue"}, {"No.": "c"}]
    assert run(server, "t1", "insert", "Shelf Item", None, rows) == 3
    assert run(server, "t1", "select", "Shelf Item") == [
        {"No.": "A", "Color": "Red"}, {"No.": "B", "Color": "Deep Blue"}, {"No.": "C", "Color": " "}]
    assert run(server, "t1", "select", "Shelf Item", where=["Color=Deep Blue"]) == [{"No.": "B", "Color": "Deep Blue"}]
    sql = tenant_sql(server, db, "t1")
    base = fit(f"CRONUS$Shelf Item${SHELF_ID}", server.store.backend)
    assert sql.run(f'SELECT "No_", "Color" FROM {{t}}"{base}" ORDER BY 1') == [("A", 1), ("B", 5), ("C", 0)]
    with pytest.raises(DeployError) as bad:                       # Green needs the enum extension installed
        run(server, "t1", "insert", "Shelf Item", None, [{"No.": "d", "Color": "Green"}])
    assert bad.value.diagnostic.code == "ALC0560"
    assert bad.value.message == ("Row 1: the value \"Green\" is not valid for the field 'Color' (Enum \"Shelf Color\") "
                                 "of table Shelf Item: one of  , Red, Deep Blue is expected; nothing was written")
    server.install("Paint", "t1")
    run(server, "t1", "insert", "Shelf Item", None, [{"No.": "d", "Color": "Green", "Second Color": "Red"}])
    got = run(server, "t1", "select", "Shelf Item", where=["Second Color=Red"])
    assert got == [{"No.": "D", "Color": "Green", "Second Color": "Red"}]
    assert sql.run(f'SELECT "Color" FROM {{t}}"{base}" WHERE "No_" = \'D\'') == [(74100,)]
    with pytest.raises(DeployUsageError, match="--where Color=Purple: one of  , Red, Deep Blue, Green is expected"):
        run(server, "t1", "select", "Shelf Item", where=["Color=Purple"])
    assert run(server, "t1", "delete", "Shelf Item", where=["Color=Green"]) == 1
    assert [r["No."] for r in run(server, "t1", "select", "Shelf Item")] == ["A", "B", "C"]


# ------------------------------------------------------------------- blobs --

def test_blob_values_in_base64(server, db, shop_apps):
    server.publish([shop_apps["shop-1"]])
    server.add_tenant("t1", ["CRONUS"])
    server.install("Shop", "t1")
    data = bytes(range(256)) * 3
    rows = [{"Entry No.": 1, "Pic": {"$base64": base64.b64encode(data).decode()}}, {"Entry No.": 2, "Pic": None},
            {"Entry No.": 3}]
    assert run(server, "t1", "insert", "Shop Entry", "CRONUS", rows) == 3
    got = run(server, "t1", "select", "Shop Entry", "CRONUS")
    assert [r["Pic"] for r in got] == [{"$base64": base64.b64encode(data).decode()}, None, None]
    table = fit(f"CRONUS$Shop Entry${IDS['shop']}", server.store.backend)
    stored = tenant_sql(server, db, "t1").run(f'SELECT "Pic" FROM {{t}}"{table}" WHERE "Entry No_" = 1')
    assert bytes(stored[0][0]) == data
    for value, why in [({"$base64": "not base64!"}, "not valid base64"), ("AAAA", 'a Blob is {"$base64": "..."}'),
                       ({"$base64": "AAAA", "x": 1}, 'a Blob is {"$base64": "..."}')]:
        with pytest.raises(DeployError) as bad:
            run(server, "t1", "insert", "Shop Entry", "CRONUS", [{"Entry No.": 9, "Pic": value}])
        assert why in bad.value.message
    assert len(run(server, "t1", "select", "Shop Entry", "CRONUS")) == 3


# ------------------------------------------------ moving between backends --

SETUP = [{"Code": "S1", "Value": "one"}, {"Code": "S2", "Value": "two"}]


def _fill(server, shop_apps) -> None:
    server.publish([shop_apps["shop-1"], shop_apps["plus-1"], shop_apps["extra-1"]])
    server.add_tenant("t1", ["CRONUS", "Fabrikam"])
    server.install("Shop Plus", "t1")
    server.install("Shop Extra", "t1")
    items = [{"No.": f"i{i}", "Description": f"item {i}", "Price": i / 4, "Quantity": i, "Blocked": i % 2 == 0,
              "Kind": "Service" if i % 3 else "Normal", "Plus Code": f"p{i}", "Extra Note": f"n{i}"}
             for i in range(1, 2501)]
    run(server, "t1", "insert", "Shop Item", "CRONUS", items)
    run(server, "t1", "insert", "Shop Item", "Fabrikam", items[:7])
    run(server, "t1", "insert", "Shop Setup", None, SETUP)
    run(server, "t1", "insert", "Shop Entry", "Fabrikam", [
        {"Entry No.": 1, "Item No.": "i1", "Quantity": 1.5, "Posted": "2026-01-31", "Stamp": "2026-01-31T10:11:12",
         "Ref": "0b8a0a36-5ad4-4b8e-9d4b-7f1c1f0b0c0d", "Pic": {"$base64": "AAEC"}, "Big": 2 ** 40, "At": "08:30:00",
         "Due": "1M"}])


def _contents(server) -> dict:
    return {(t, c): run(server, "t1", "select", t, c) for t, c in [
        ("Shop Item", "CRONUS"), ("Shop Item", "Fabrikam"), ("Shop Setup", None), ("Shop Entry", "Fabrikam"),
        ("Shop Entry", "CRONUS")]}


def _counts(server, db) -> dict:
    sql = tenant_sql(server, db, "t1")
    out = {}
    for name in sql.tables():
        if "$" in name and not name.startswith("$ndo$"):
            out[name] = sql.run(f'SELECT COUNT(*) FROM {{t}}"{name}"')[0][0]
    return out


def _by_label(counts: dict, backend: str, labels: list) -> dict:
    return {label: counts[fit(label, backend)] for label in labels}


def test_a_tenant_moves_with_its_business_tables_both_ways(shop_apps, tmp_path, pg_server):
    here_db = str(tmp_path / "here")
    here = open_server(here_db, platform=Version.parse(PLATFORM))
    _fill(here, shop_apps)
    before, counts = _contents(here), _counts(here, here_db)
    assert sum(counts.values()) == 2500 * 2 + 7 * 2 + 2 + 1 and len(counts) == 7
    labels = sorted(counts)
    here.dismount_tenant("t1")
    url = pg_server.create_database()
    try:
        there = open_server(url, platform=Version.parse(PLATFORM))
        there.publish([shop_apps["shop-1"], shop_apps["plus-1"], shop_apps["extra-1"]])
        there.mount_tenant("t1", _tenant_source(here, "t1"))
        assert _contents(there) == before
        assert _by_label(_counts(there, url), "postgresql", labels) == counts
        run(there, "t1", "insert", "Shop Item", "CRONUS", [{"No.": "new", "Plus Code": "q"}])   # works on, there
        before = _contents(there)
        there.dismount_tenant("t1")
        back_db = str(tmp_path / "back")
        back = open_server(back_db, platform=Version.parse(PLATFORM))
        back.publish([shop_apps["shop-1"], shop_apps["plus-1"], shop_apps["extra-1"]])
        back.mount_tenant("t1", f"{url}#{_tenant_source(there, 't1')}")
        assert _contents(back) == before
        moved = _counts(back, back_db)
        assert moved == {**counts, f"CRONUS$Shop Item${IDS['shop']}": 2501, f"CRONUS$Shop Item${IDS['shop']}$ext": 2501}
        back.close()
        there.close()
    finally:
        pg_server.drop_database(url)
    here.close()
