"""`alc server`: per-tenant, per-company tables from the synced apps' schema, and the sync
engine (Add refuses destructive changes against every version synced since the last Clean,
ForceSync applies them and reports what it dropped, Clean drops every version's tables).
On both backends; the tables are read with the backend's own client (tests/schemakit.py)."""

from __future__ import annotations

import pytest

from alc.deploy.tables import fit
from deploykit import snapshot
from schemakit import CHANGES, IDS, shop_apps, tenant_sql  # noqa: F401
from test_deploy_common import PLATFORM, db, refused, server  # noqa: F401

SHOP, PLUS, EXTRA = IDS["shop"], IDS["plus"], IDS["extra"]
ITEM = f"Shop Item${SHOP}"
COMPANIES = ["CRONUS", "Fab.rikam"]


@pytest.fixture
def shop(server, shop_apps):
    """Shop 1.0, Shop Plus 1.0 and Shop Extra 1.0 published; tenant t1 with two companies."""
    server.publish([shop_apps["shop-1"], shop_apps["plus-1"], shop_apps["extra-1"]])
    server.add_tenant("t1", COMPANIES)
    return server


def _name(server, name: str) -> str:
    return fit(name, "postgresql" if server.store.backend == "postgresql" else "sqlite")


def _app_tables(sql) -> set:
    return {t for t in sql.tables() if not t.startswith("$ndo$") and "$" in t}


# ------------------------------------------------------------------ layout --

def test_install_makes_a_table_per_company_and_a_companion_per_base_table(shop, db):
    shop.install("Shop Plus", "t1")
    shop.install("Shop Extra", "t1")
    sql = tenant_sql(shop, db, "t1")
    expected = {f"Shop Setup${SHOP}"}                     # DataPerCompany = false: one table, no company
    for company in ("CRONUS", "Fab_rikam"):               # `.` is not a SQL name character
        expected |= {f"{company}${ITEM}", f"{company}$Shop Entry${SHOP}", f"{company}${ITEM}$ext"}
    assert _app_tables(sql) == {_name(shop, n) for n in expected}   # no table for the temporary "Shop Buffer"
    # FlowField Inventory has no column; the key is the primary key's fields
    assert [c for c, _ in sql.columns(_name(shop, f"CRONUS${ITEM}"))] == [
        "No_", "Description", "Price", "Quantity", "Blocked", "Kind"]
    assert sql.key(_name(shop, f"CRONUS${ITEM}")) == ["No_"]
    # one companion for both extensions, keyed by the base table's key
    companion = _name(shop, f"CRONUS${ITEM}$ext")
    assert [c for c, _ in sql.columns(companion)] == [
        "No_", _name(shop, f"Plus Code${PLUS}"), _name(shop, f"Plus Points${PLUS}"), _name(shop, f"Extra Note${EXTRA}")]
    assert sql.key(companion) == ["No_"]


def test_al_types_map_to_column_types(shop, db):
    shop.install("Shop", "t1")
    sql = tenant_sql(shop, db, "t1")
    types = dict(sql.columns(_name(shop, f"CRONUS$Shop Entry${SHOP}")))
    if shop.store.backend == "postgresql":
        assert types == {"Entry No_": "integer", "Item No_": "character varying", "Quantity": "numeric",
                         "Posted": "date", "Stamp": "timestamp without time zone", "Ref": "character varying",
                         "Pic": "bytea", "Big": "bigint", "At": "time without time zone", "Due": "character varying"}
    else:
        assert types == {"Entry No_": "INTEGER", "Item No_": "VARCHAR(20)", "Quantity": "NUMERIC(38, 20)",
                         "Posted": "DATE", "Stamp": "DATETIME", "Ref": "VARCHAR(36)", "Pic": "BLOB", "Big": "BIGINT",
                         "At": "TIME", "Due": "VARCHAR(32)"}


def test_a_new_company_gets_every_synced_apps_tables(shop, db):
    shop.install("Shop Plus", "t1")
    long_name = "A Company With A Long Name Ltd"              # 30 characters: PostgreSQL names get shortened
    shop.add_company("t1", long_name)
    sql = tenant_sql(shop, db, "t1")
    for table in (f"{long_name}${ITEM}", f"{long_name}$Shop Entry${SHOP}", f"{long_name}${ITEM}$ext"):
        assert _name(shop, table) in sql.tables()
    assert len(_app_tables(sql)) == 1 + 3 * 3
    sql.run(f'INSERT INTO {{t}}"{_name(shop, f"{long_name}${ITEM}")}" ("No_", "Description", "Price", "Quantity", '
            '"Blocked", "Kind") VALUES (?, ?, 1.5, 2, ?, 1)', ("A", "x", False))


def test_a_companion_made_later_gets_a_row_for_each_base_row_with_the_fields_defaults(shop, db):
    shop.install("Shop", "t1")
    sql = tenant_sql(shop, db, "t1")
    sql.run(f'INSERT INTO {{t}}"{_name(shop, f"CRONUS${ITEM}")}" ("No_") VALUES (?), (?)', ("A", "B"))
    shop.install("Shop Plus", "t1")
    rows = sql.run(f'SELECT * FROM {{t}}"{_name(shop, f"CRONUS${ITEM}$ext")}" ORDER BY 1')
    assert rows == [("A", "", 5), ("B", "", 5)]                 # Plus Points has InitValue = 5


# -------------------------------------------------------------- Add mode --

MESSAGES = {
    "field-removed": "Table Shop Item :: The field 'Price' cannot be located. Removing fields is not allowed.",
    "type-changed": "Table Shop Item :: The field 'Quantity' has changed the data type from 'Integer' to 'Text[10]'. "
                    "Changing the data type on fields is not allowed.",
    "length-decreased": "Table Shop Item :: The field 'Description' has changed the length of the data type from '50' "
                        "to '20'. Decreasing the length of the data type on fields is not allowed.",
    "key-changed": "Table Shop Item :: The primary key has changed from 'No.' to 'No.,Quantity'. Changing the primary "
                   "key is not allowed.",
    "id-changed": "Table Shop Item :: The field 'Price' has changed its ID from 3 to 8. Changing the ID of fields is "
                  "not allowed.",
    "table-renamed": "Table Shop Setup :: The table 'Shop Setup' has been renamed to 'Shop Settings'. Renaming tables "
                     "is not allowed.",
    "table-removed": "Table Shop Setup :: The table 'Shop Setup' cannot be located. Removing tables is not allowed "
                     "unless they are temporary or are being moved by migration to another app.",
    "per-company-changed": "Table Shop Setup :: The property 'DataPerCompany' has changed from 'false' to 'true'. "
                           "Changing the number of tables per company is not allowed.",
    "field-class-changed": "Table Shop Item :: The field 'Quantity' has changed FieldClass from 'Normal' to "
                           "'FlowField'. Changing a field into a FlowField or FlowFilter is not allowed.",
    "field-disabled": "Table Shop Item :: The field 'Blocked' has been disabled (Enabled = false). Disabling fields "
                      "is not allowed.",
}


def test_every_kind_of_change_has_a_message():
    assert set(MESSAGES) == set(CHANGES)


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_add_mode_refuses_each_destructive_change_and_changes_nothing(shop, db, shop_apps, change):
    shop.install("Shop", "t1")
    shop.publish([shop_apps[f"shop-{change}"]])
    before = snapshot(db)
    message = refused(shop.upgrade, "ALC0534", "Shop", "2.0.0.0", "t1")
    assert message == f"Cannot synchronize the extension Shop by alc tests 2.0.0.0 in Add mode: {MESSAGES[change]}"
    assert snapshot(db) == before
    # an explicit sync in Add mode says the same
    shop.uninstall("Shop", "t1")
    before = snapshot(db)
    assert refused(shop.sync, "ALC0534", "Shop", "t1", "add", "2.0.0.0") == message
    assert snapshot(db) == before


def test_a_table_extension_dropping_a_field_is_refused(shop, db, shop_apps):
    shop.install("Shop Plus", "t1")
    shop.publish([shop_apps["plus-2"]])
    message = refused(shop.upgrade, "ALC0534", "Shop Plus", "2.0.0.0", "t1")
    assert message == ("Cannot synchronize the extension Shop Plus by alc tests 2.0.0.0 in Add mode: TableExtension "
                       "Plus Item :: The field 'Plus Points' cannot be located. Removing fields is not allowed.")


def test_additive_changes_keep_the_data_and_new_fields_get_their_init_value(shop, db, shop_apps):
    shop.install("Shop", "t1")
    sql = tenant_sql(shop, db, "t1")
    item = _name(shop, f"CRONUS${ITEM}")
    sql.run(f'INSERT INTO {{t}}"{item}" ("No_", "Description", "Price", "Quantity", "Blocked", "Kind") '
            "VALUES (?, ?, 2.5, 7, ?, 1)", ("A", "Apple", True))
    shop.publish([shop_apps["shop-additive"]])
    report = shop.upgrade("Shop", "2.0.0.0", "t1")
    assert not [s for s in report.steps if s.action == "dropped"]
    assert [c for c, _ in sql.columns(item)] == ["No_", "Description", "Price", "Quantity", "Is Blocked", "Kind",
                                                 "Color", "Rank"]
    rows = sql.run(f'SELECT "No_", "Description", "Price", "Quantity", "Is Blocked", "Kind", "Color", "Rank" '
                   f'FROM {{t}}"{item}"')
    assert [(r[0], r[1], float(r[2]), r[3], bool(r[4]), r[5], r[6], r[7]) for r in rows] == [
        ("A", "Apple", 2.5, 7, True, 1, "RED", 1)]      # Price is ObsoleteState = Removed: kept with its data
    assert _name(shop, f"Fab_rikam$Shop Note${SHOP}") in sql.tables()
    sql.run(f'INSERT INTO {{t}}"{item}" ("No_", "Description") VALUES (?, ?)', ("B", "x" * 100))


def test_add_mode_judges_against_every_version_synced_since_the_last_clean(shop, db, shop_apps):
    """Version 2 added fields and a table; version 3 has them no more: refused, even after
    version 2 is uninstalled and unpublished."""
    shop.publish([shop_apps["shop-u2"], shop_apps["shop-u3"]])
    shop.install("Shop", "t1", version="1.0.0.0")
    shop.upgrade("Shop", "2.0.0.0", "t1")
    shop.uninstall("Shop", "t1")
    shop.unpublish("Shop", "2.0.0.0")
    from alc.deploy import DeployError
    with pytest.raises(DeployError) as info:
        shop.upgrade("Shop", "3.0.0.0", "t1")
    notes = info.value.diagnostic.notes
    assert "Table Shop Item :: The field 'Color' cannot be located. Removing fields is not allowed." in notes
    assert "Table Shop Item :: The field 'Rank' cannot be located. Removing fields is not allowed." in notes
    assert any(n.startswith("Table Shop Note :: The table 'Shop Note' cannot be located.") for n in notes)
    assert info.value.code == "ALC0534"


# ------------------------------------------------------------- ForceSync --

FORCED = {
    "field-removed": ["Dropped column `Price` of table `CRONUS$Shop Item${app}` (2 rows)",
                      "Dropped column `Price` of table `Fab_rikam$Shop Item${app}` (0 rows)"],
    "table-removed": ["Dropped table `Shop Setup${app}` (1 rows)"],
    "key-changed": ["Dropped table `CRONUS$Shop Item${app}` (2 rows) to change its primary key",
                    "Dropped table `Fab_rikam$Shop Item${app}` (0 rows) to change its primary key"],
    "type-changed": ["Dropped column `Quantity` of table `CRONUS$Shop Item${app}` (2 rows) to change its type from "
                     "Integer to Text[10]",
                     "Dropped column `Quantity` of table `Fab_rikam$Shop Item${app}` (0 rows) to change its type "
                     "from Integer to Text[10]"],
}


@pytest.mark.parametrize("change", sorted(FORCED))
def test_forcesync_applies_and_reports_exactly_what_it_dropped(shop, db, shop_apps, change):
    shop.publish([shop_apps[f"shop-{change}"]])
    shop.sync("Shop", "t1", "add", "1.0.0.0")
    sql = tenant_sql(shop, db, "t1")
    sql.run(f'INSERT INTO {{t}}"{_name(shop, f"CRONUS${ITEM}")}" ("No_", "Quantity") VALUES (?, 1), (?, 2)',
            ("A", "B"))
    sql.run(f'INSERT INTO {{t}}"{_name(shop, f"Shop Setup${SHOP}")}" ("Code") VALUES (?)', ("X",))
    report = shop.sync("Shop", "t1", "forcesync", "2.0.0.0")
    dropped = [s.message for s in report.steps if s.action == "dropped"]
    assert dropped == [d.replace("{app}", SHOP) for d in FORCED[change]]
    forced = [s.message for s in report.steps if s.action == "schema-change"]
    assert forced == [f"ForceSync: {MESSAGES[change]}"]
    item = _name(shop, f"CRONUS${ITEM}")
    if change == "field-removed":
        assert "Price" not in dict(sql.columns(item))
        assert sql.run(f'SELECT "No_", "Quantity" FROM {{t}}"{item}" ORDER BY 1') == [("A", 1), ("B", 2)]
    if change == "key-changed":
        assert sql.key(item) == ["No_", "Quantity"] and sql.run(f'SELECT COUNT(*) FROM {{t}}"{item}"') == [(0,)]
    if change == "table-removed":
        assert _name(shop, f"Shop Setup${SHOP}") not in sql.tables()
    # the snapshot is now version 2 alone: syncing it again in Add mode has nothing to refuse
    assert shop.info("Shop", "t1")[1].synced


# ------------------------------------------------------------------ Clean --

def test_clean_drops_the_tables_of_every_version_and_waits_for_the_extending_apps(shop, db):
    shop.install("Shop Plus", "t1")
    shop.install("Shop Extra", "t1")
    sql = tenant_sql(shop, db, "t1")
    sql.run(f'INSERT INTO {{t}}"{_name(shop, f"CRONUS${ITEM}")}" ("No_") VALUES (?)', ("A",))
    sql.run(f'INSERT INTO {{t}}"{_name(shop, f"CRONUS${ITEM}$ext")}" ("No_") VALUES (?)', ("A",))
    shop.uninstall("Shop", "t1", force=True)
    refused(shop.sync, "ALC0535", "Shop", "t1", "clean")
    report = shop.sync("Shop Plus", "t1", "clean")
    assert [s.message for s in report.steps if s.action == "dropped"] == [
        f"Dropped column `{_name(shop, f'Plus Code${PLUS}')}` of table `CRONUS${ITEM}$ext` (1 rows)",
        f"Dropped column `{_name(shop, f'Plus Points${PLUS}')}` of table `CRONUS${ITEM}$ext` (1 rows)",
        f"Dropped column `{_name(shop, f'Plus Code${PLUS}')}` of table `Fab_rikam${ITEM}$ext` (0 rows)",
        f"Dropped column `{_name(shop, f'Plus Points${PLUS}')}` of table `Fab_rikam${ITEM}$ext` (0 rows)"]
    report = shop.sync("Shop Extra", "t1", "clean")
    assert [s.message for s in report.steps if s.action == "dropped"] == [
        f"Dropped table `CRONUS${ITEM}$ext` (1 rows)", f"Dropped table `Fab_rikam${ITEM}$ext` (0 rows)"]
    report = shop.sync("Shop", "t1", "clean")
    assert sorted(s.message for s in report.steps if s.action == "dropped") == sorted([
        f"Dropped table `CRONUS${ITEM}` (1 rows)", f"Dropped table `Fab_rikam${ITEM}` (0 rows)",
        f"Dropped table `CRONUS$Shop Entry${SHOP}` (0 rows)", f"Dropped table `Fab_rikam$Shop Entry${SHOP}` (0 rows)",
        f"Dropped table `Shop Setup${SHOP}` (0 rows)"])
    assert _app_tables(sql) == set()
    # after Clean, anything goes: a version without a field of the old one syncs in Add mode
    shop.install("Shop", "t1")
    assert len(_app_tables(sql)) == 5


# ------------------------------------------------------------ Development --

def test_development_mode_resyncs_one_version_with_the_add_rules(server, db, shop_apps):
    server.publish([shop_apps["shop-1"]])
    server.add_tenant("t1", ["CRONUS"])
    server.sync("Shop", "t1", "development")
    server.unpublish("Shop")
    server.publish([shop_apps["shop-dev-removed"]])          # the same version, without "Price"
    before = snapshot(db)
    message = refused(server.sync, "ALC0534", "Shop", "t1", "development")
    assert message == ("Cannot synchronize the extension Shop by alc tests 1.0.0.0 in Development mode: "
                       + MESSAGES["field-removed"])
    assert snapshot(db) == before
    server.unpublish("Shop")
    server.publish([shop_apps["shop-dev-add"]])
    report = server.sync("Shop", "t1", "development")
    assert "Synchronized Shop by alc tests 1.0.0.0 (mode Development)" in report.lines()
    sql = tenant_sql(server, db, "t1")
    assert "Color" in dict(sql.columns(_name(server, f"CRONUS${ITEM}")))
