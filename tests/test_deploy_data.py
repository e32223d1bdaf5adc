"""`alc server data`: rows of the apps' tables on a tenant, as merged records (base fields plus the
fields of the installed apps' table extensions, written to the base and companion tables in one
transaction); values checked against their fields, a bad row refusing the whole command; what an
uninstall hides and a reinstall shows again. Both backends; the tables read with the backend's
own client where the test is about what is stored."""

from __future__ import annotations

import json

import pytest

from alc.cli import main
from alc.deploy.data import run
from alc.deploy.tables import fit
from deploykit import snapshot
from schemakit import IDS, shop_apps, tenant_sql  # noqa: F401
from test_deploy_common import db, refused, server  # noqa: F401

SHOP, PLUS = IDS["shop"], IDS["plus"]


@pytest.fixture
def shop(server, shop_apps):
    server.publish([shop_apps["shop-1"], shop_apps["plus-1"], shop_apps["extra-1"]])
    server.add_tenant("t1", ["CRONUS", "Fabrikam"])
    server.install("Shop Plus", "t1")
    server.install("Shop Extra", "t1")
    return server


def _name(server, name):
    return fit(name, server.store.backend)


APPLE = {"No.": "a1", "Description": "Apple", "Price": 2.5, "Quantity": 3, "Blocked": True, "Kind": "Service",
         "Plus Code": "x", "Extra Note": "hi"}


def test_a_row_is_the_merged_record_in_base_and_companion(shop, db):
    assert run(shop, "t1", "insert", "Shop Item", "CRONUS", [APPLE, {"No.": "b"}]) == 2
    rows = run(shop, "t1", "select", "71000", "CRONUS")
    assert rows == [
        {"No.": "A1", "Description": "Apple", "Price": 2.5, "Quantity": 3, "Blocked": True, "Kind": "Service",
         "Plus Code": "X", "Plus Points": 5, "Extra Note": "hi"},
        {"No.": "B", "Description": "", "Price": 0, "Quantity": 0, "Blocked": False, "Kind": "Normal",
         "Plus Code": "", "Plus Points": 5, "Extra Note": ""}]
    sql = tenant_sql(shop, db, "t1")
    assert sql.run(f'SELECT "No_", "Kind" FROM {{t}}"{_name(shop, f"CRONUS$Shop Item${SHOP}")}" ORDER BY 1') == [
        ("A1", 1), ("B", 0)]
    ext = _name(shop, f"CRONUS$Shop Item${SHOP}$ext")
    assert sql.run(f'SELECT "No_", "{_name(shop, f"Plus Code${PLUS}")}" FROM {{t}}"{ext}" ORDER BY 1') == [
        ("A1", "X"), ("B", "")]
    assert run(shop, "t1", "select", "Shop Item", "Fabrikam") == []
    assert run(shop, "t1", "select", "Shop Item", "CRONUS", where=["Plus Code=X"])[0]["No."] == "A1"
    assert [r["No."] for r in run(shop, "t1", "select", "Shop Item", "CRONUS", where=["Blocked=false"])] == ["B"]


@pytest.mark.parametrize("row, message", [
    ({"No.": "c", "Kind": "Nope"}, "Row 2: the value \"Nope\" is not valid for the field 'Kind' (Option) of table Shop "
                                   "Item: one of Normal, Service is expected; nothing was written"),
    ({"No.": "x" * 21}, f"Row 2: the value \"{'x' * 21}\" is not valid for the field 'No.' (Code[20]) of table Shop "
                        "Item: longer than 20 characters; nothing was written"),
    ({"No.": "c", "Quantity": 2 ** 31}, "Row 2: the value 2147483648 is not valid for the field 'Quantity' (Integer) "
                                        "of table Shop Item: out of the Integer range; nothing was written"),
    ({"No.": "c", "Blocked": "yes"}, "Row 2: the value \"yes\" is not valid for the field 'Blocked' (Boolean) of table "
                                     "Shop Item: true or false is expected; nothing was written"),
])
def test_a_bad_row_refuses_every_row(shop, db, row, message):
    before = snapshot(db)
    assert refused(run, "ALC0560", shop, "t1", "insert", "Shop Item", "CRONUS", [{"No.": "ok"}, row]) == message
    assert snapshot(db) == before


def test_an_existing_key_refuses_every_row(shop, db):
    run(shop, "t1", "insert", "Shop Item", "CRONUS", [APPLE])
    before = snapshot(db)
    message = refused(run, "ALC0561", shop, "t1", "insert", "Shop Item", "CRONUS", [{"No.": "new"}, {"No.": "A1"}])
    assert message == "The record in table Shop Item already exists. Identification fields and values: No.='A1'"
    refused(run, "ALC0561", shop, "t1", "insert", "Shop Item", "CRONUS", [{"No.": "n"}, {"No.": "N"}])
    assert snapshot(db) == before


def test_types_round_trip(shop):
    row = {"Entry No.": 1, "Item No.": "a1", "Quantity": -1.25, "Posted": "2026-12-04", "Stamp": "2026-12-04T10:11:12",
           "Ref": "5A0B0000-0000-4000-8000-0000000000AB", "Big": 2 ** 40, "At": "10:11:12"}
    run(shop, "t1", "insert", "Shop Entry", "CRONUS", [row])
    (got,) = run(shop, "t1", "select", "Shop Entry", "CRONUS")
    assert got == {**row, "Item No.": "A1", "Ref": "5a0b0000-0000-4000-8000-0000000000ab", "Due": "", "Pic": None}
    refused(run, "ALC0560", shop, "t1", "insert", "Shop Entry", "CRONUS", [{"Entry No.": 2, "Posted": "04.12.2026"}])


def test_uninstall_hides_an_extensions_fields_keeps_its_data_and_reinstall_shows_them(shop, db):
    run(shop, "t1", "insert", "Shop Item", "CRONUS", [APPLE])
    shop.uninstall("Shop Plus", "t1")
    (row,) = run(shop, "t1", "select", "Shop Item", "CRONUS")
    assert "Plus Code" not in row and row["Extra Note"] == "hi"
    with pytest.raises(Exception, match="has no field `Plus Code`"):
        run(shop, "t1", "insert", "Shop Item", "CRONUS", [{"No.": "z", "Plus Code": "q"}])
    run(shop, "t1", "insert", "Shop Item", "CRONUS", [{"No.": "z"}])     # the hidden columns get their defaults
    sql = tenant_sql(shop, db, "t1")
    ext = _name(shop, f"CRONUS$Shop Item${SHOP}$ext")
    assert sql.run(f'SELECT "No_", "{_name(shop, f"Plus Code${PLUS}")}" FROM {{t}}"{ext}" ORDER BY 1') == [
        ("A1", "X"), ("Z", "")]
    shop.install("Shop Plus", "t1")
    rows = run(shop, "t1", "select", "Shop Item", "CRONUS")
    assert [(r["No."], r["Plus Code"], r["Plus Points"]) for r in rows] == [("A1", "X", 5), ("Z", "", 5)]


def test_delete_removes_base_and_companion_rows(shop, db):
    run(shop, "t1", "insert", "Shop Item", "CRONUS", [APPLE, {"No.": "b"}, {"No.": "c", "Plus Code": "x"}])
    assert run(shop, "t1", "delete", "Shop Item", "CRONUS", where=["Plus Code=X"]) == 2
    assert [r["No."] for r in run(shop, "t1", "select", "Shop Item", "CRONUS")] == ["B"]
    sql = tenant_sql(shop, db, "t1")
    assert sql.run(f'SELECT "No_" FROM {{t}}"{_name(shop, f"CRONUS$Shop Item${SHOP}$ext")}"') == [("B",)]


def test_cli_insert_select_import_export(shop, db, tmp_path, capsys):
    base = ["--tenant", "t1", "--company", "CRONUS", "--table", "Shop Item", "--db", db]
    assert main(["server", "data", "insert", "--json", json.dumps(APPLE), *base]) == 0
    out = tmp_path / "rows.json"
    assert main(["server", "data", "export", "--file", str(out), *base]) == 0
    assert main(["server", "data", "delete", *base]) == 0
    capsys.readouterr()
    assert main(["server", "data", "import", "--file", str(out), *base]) == 0
    assert main(["server", "data", "select", "--format", "json", *base]) == 0
    printed = capsys.readouterr().out.split("\n", 1)[1]
    assert json.loads(printed) == json.loads(out.read_text())
    assert main(["server", "data", "insert", "--json", '{"No.": "q", "Kind": 7}', *base]) == 1
    assert main(["server", "data", "insert", "--json", "{nope", *base]) == 2
    assert main(["server", "data", "select", "--tenant", "t1", "--table", "Nope", "--db", db]) == 2
    assert main(["server", "data", "select", "--tenant", "t1", "--table", "Shop Item", "--db", db]) == 2  # 2 companies


# -------------------------------------------- what uninstall keeps, upgrade --

def _archive(shop, db) -> list:
    sql = tenant_sql(shop, db, "t1")
    return sorted(sql.run('SELECT "App ID", "Table ID", "Company Name", "Version Major", "Archive Table Name" '
                          'FROM {t}"NAV App Data Archive"'))


def test_uninstall_records_the_kept_data_in_the_archive_and_reinstall_forgets_it(shop, db):
    run(shop, "t1", "insert", "Shop Item", "CRONUS", [APPLE])
    shop.uninstall("Shop Plus", "t1")
    assert _archive(shop, db) == [(PLUS, 71000, c, 1, _name(shop, f"{c}$Shop Item${SHOP}$ext"))
                                  for c in ("CRONUS", "Fabrikam")]
    shop.uninstall("Shop", "t1", force=True)
    archived = _archive(shop, db)
    assert (SHOP, 71001, "", 1, _name(shop, f"Shop Setup${SHOP}")) in archived
    assert (SHOP, 71000, "CRONUS", 1, _name(shop, f"CRONUS$Shop Item${SHOP}")) in archived
    assert len(archived) == 2 + 2 + 5                      # Plus, Extra, Shop (2 tables x 2 companies + 1)
    shop.install("Shop Plus", "t1")                       # Shop comes back as its dependency
    assert {r[0] for r in _archive(shop, db)} == {IDS["extra"]}
    (row,) = run(shop, "t1", "select", "Shop Item", "CRONUS")
    assert row["Plus Code"] == "X" and "Extra Note" not in row


def test_do_not_save_data_deletes_the_rows_and_keeps_the_schema(shop, db):
    run(shop, "t1", "insert", "Shop Item", "CRONUS", [APPLE, {"No.": "b", "Plus Points": 9}])
    shop.uninstall("Shop Plus", "t1", save_data=False)
    assert _archive(shop, db) == []
    assert shop.info("Shop Plus", "t1")[0].data_version is None     # reinstalling is a fresh install
    report = shop.install("Shop Plus", "t1")
    assert {str(t.data_version) for t in report.triggers} <= {"0.0.0.0"}
    rows = run(shop, "t1", "select", "Shop Item", "CRONUS")
    assert [(r["No."], r["Plus Code"], r["Plus Points"], r["Extra Note"]) for r in rows] == [
        ("A1", "", 5, "hi"), ("B", "", 5, "")]                         # defaults again; Extra's data untouched
    report = shop.uninstall("Shop", "t1", force=True, save_data=False)
    assert f"Deleted 2 rows of table `{_name(shop, f'CRONUS$Shop Item${SHOP}')}`" in report.lines()
    sql = tenant_sql(shop, db, "t1")
    assert sql.run(f'SELECT COUNT(*) FROM {{t}}"{_name(shop, f"CRONUS$Shop Item${SHOP}")}"') == [(0,)]


def test_clear_schema_drops_the_tables_of_the_app_and_of_its_dependents(shop, db):
    run(shop, "t1", "insert", "Shop Item", "CRONUS", [APPLE])
    report = shop.uninstall("Shop", "t1", force=True, clear_schema=True)
    cleaned = [s.message for s in report.steps if s.action == "cleaned"]
    assert cleaned == [
        "Removed the schema and data of Shop by alc tests from tenant t1 (--clear-schema)",
        "Removed the schema and data of Shop Plus by alc tests from tenant t1 (--clear-schema, it depends on Shop)",
        "Removed the schema and data of Shop Extra by alc tests from tenant t1 (--clear-schema, it depends on Shop)"]
    dropped = [s.message for s in report.steps if s.action == "dropped"]
    assert f"Dropped table `CRONUS$Shop Item${SHOP}` (1 rows)" in dropped
    assert f"Dropped table `CRONUS$Shop Item${SHOP}$ext` (1 rows)" in dropped
    sql = tenant_sql(shop, db, "t1")
    assert {t for t in sql.tables() if "$" in t and not t.startswith("$ndo$")} == set()
    assert _archive(shop, db) == []
    assert [i.data_version for i in shop.info(tenant="t1")] == [None, None, None]


def test_upgrade_carries_the_data_and_new_fields_get_their_init_value(shop, db, shop_apps):
    run(shop, "t1", "insert", "Shop Item", "CRONUS", [APPLE])
    shop.publish([shop_apps["shop-additive"]])
    shop.upgrade("Shop", "2.0.0.0", "t1")
    (row,) = run(shop, "t1", "select", "Shop Item", "CRONUS")
    assert row == {"No.": "A1", "Description": "Apple", "Price": 2.5, "Quantity": 3, "Is Blocked": True,
                   "Kind": "Service", "Color": "RED", "Rank": "High", "Plus Code": "X", "Plus Points": 5,
                   "Extra Note": "hi"}
    assert str(shop.info("Shop", "t1")[1].data_version) == "2.0.0.0"
