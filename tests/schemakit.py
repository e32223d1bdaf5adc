"""Apps for the schema sync tests, written here and compiled with alc into real packages
(session fixture ``shop_apps``), and SQL on a tenant's database with the backend's own client.

- ``shop-1`` (Shop 1.0.0.0): table 71000 "Shop Item" (a FlowField, an Option), 71001
  "Shop Setup" (DataPerCompany = false), 71002 "Shop Buffer" (temporary), 71003 "Shop Entry"
  (one field of each storage type).
- ``shop-<change>`` (Shop 2.0.0.0): shop-1 with one change (``CHANGES``: destructive ones,
  and ``additive``: new field and table, longer text, Integer to BigInteger, a renamed field,
  a field made ObsoleteState = Removed).
- ``shop-dev-add`` and ``shop-dev-removed``: 1.0.0.0 again, with the additive changes, or without
  the field "Price" (for Development mode, which re-syncs one version).
- ``shop-u2`` (2.0.0.0) adds a field "Color"; ``shop-u3`` (3.0.0.0) is shop-1 again (without it).
- ``plus-1`` (Shop Plus 1.0.0.0) extends "Shop Item" with "Plus Code" and "Plus Points";
  ``plus-2`` (2.0.0.0) drops "Plus Points"; ``extra-1`` (Shop Extra) extends "Shop Item" too.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3

import pytest

from alc.build.compiler import CompileOptions, compile_project

PUBLISHER = "alc tests"
IDS = {"shop": "5a0b0000-0000-4000-8000-000000000001", "plus": "5a0b0000-0000-4000-8000-000000000002",
       "extra": "5a0b0000-0000-4000-8000-000000000003"}
NAMES = {"shop": "Shop", "plus": "Shop Plus", "extra": "Shop Extra"}

SHOP_1 = """
table 71000 "Shop Item"
{
    fields
    {
        field(1; "No."; Code[20]) { }
        field(2; Description; Text[50]) { }
        field(3; Price; Decimal) { }
        field(4; Quantity; Integer) { }
        field(5; Inventory; Decimal)
        {
            FieldClass = FlowField;
            CalcFormula = sum("Shop Entry".Quantity where("Item No." = field("No.")));
        }
        field(6; Blocked; Boolean) { }
        field(7; Kind; Option) { OptionMembers = Normal,Service; }
    }
    keys { key(PK; "No.") { Clustered = true; } }
}

table 71001 "Shop Setup"
{
    DataPerCompany = false;
    fields
    {
        field(1; Code; Code[10]) { }
        field(2; Value; Text[30]) { }
    }
    keys { key(PK; Code) { } }
}

table 71002 "Shop Buffer"
{
    TableType = Temporary;
    fields { field(1; Id; Integer) { } }
}

table 71003 "Shop Entry"
{
    fields
    {
        field(1; "Entry No."; Integer) { }
        field(2; "Item No."; Code[20]) { }
        field(3; Quantity; Decimal) { }
        field(4; Posted; Date) { }
        field(5; Stamp; DateTime) { }
        field(6; Ref; Guid) { }
        field(7; Pic; Blob) { }
        field(8; Big; BigInteger) { }
        field(9; At; Time) { }
        field(10; Due; DateFormula) { }
    }
    keys { key(PK; "Entry No.") { } }
}
"""

# change -> (text replaced in SHOP_1, replacement)
CHANGES = {
    "field-removed": ("        field(3; Price; Decimal) { }\n", ""),
    "type-changed": ("field(4; Quantity; Integer) { }", "field(4; Quantity; Text[10]) { }"),
    "length-decreased": ("field(2; Description; Text[50])", "field(2; Description; Text[20])"),
    "key-changed": ('key(PK; "No.") { Clustered = true; }', 'key(PK; "No.", Quantity) { Clustered = true; }'),
    "id-changed": ("field(3; Price; Decimal)", "field(8; Price; Decimal)"),
    "table-renamed": ('table 71001 "Shop Setup"', 'table 71001 "Shop Settings"'),
    "table-removed": (SHOP_1[SHOP_1.index('table 71001 "Shop Setup"'):SHOP_1.index('table 71002')], ""),
    "per-company-changed": ("    DataPerCompany = false;\n", ""),
    "field-class-changed": ("field(4; Quantity; Integer) { }",
                            'field(4; Quantity; Integer) { FieldClass = FlowField; CalcFormula = count("Shop Entry" '
                            'where("Item No." = field("No."))); }'),
    "field-disabled": ("field(6; Blocked; Boolean) { }", "field(6; Blocked; Boolean) { Enabled = false; }"),
}

ADDITIVE = [
    ("field(2; Description; Text[50])", "field(2; Description; Text[100])"),
    ("field(4; Quantity; Integer)", "field(4; Quantity; BigInteger)"),
    ("field(6; Blocked; Boolean) { }", "field(6; \"Is Blocked\"; Boolean) { }"),
    ("field(3; Price; Decimal) { }", "field(3; Price; Decimal) { ObsoleteState = Removed; ObsoleteReason = 'x'; }"),
    ("        field(7; Kind; Option) { OptionMembers = Normal,Service; }\n",
     "        field(7; Kind; Option) { OptionMembers = Normal,Service; }\n"
     "        field(8; Color; Code[10]) { InitValue = 'red'; }\n"
     "        field(9; Rank; Option) { OptionMembers = Low,High; InitValue = High; }\n"),
]

NEW_TABLE = """
table 71004 "Shop Note"
{
    fields { field(1; Id; Integer) { } field(2; Note; Text[250]) { } }
    keys { key(PK; Id) { } }
}
"""

PLUS = """
tableextension 71100 "Plus Item" extends "Shop Item"
{
    fields
    {
        field(71100; "Plus Code"; Code[10]) { }
        field(71101; "Plus Points"; Integer) { InitValue = 5; }
    }
}
"""

EXTRA = """
tableextension 71200 "Extra Item" extends "Shop Item"
{
    fields { field(71200; "Extra Note"; Text[80]) { } }
}
"""


def shop_variant(change: str) -> str:
    if change == "additive":
        text = SHOP_1
        for old, new in ADDITIVE:
            assert old in text, old
            text = text.replace(old, new)
        return text + NEW_TABLE
    old, new = CHANGES[change]
    assert old in SHOP_1, change
    return SHOP_1.replace(old, new)


def _specs() -> list:
    """(key, app, version, AL) of every package, shop-1 first."""
    specs = [("shop-1", "shop", "1.0.0.0", SHOP_1)]
    for change in list(CHANGES) + ["additive"]:
        specs.append((f"shop-{change}", "shop", "2.0.0.0", shop_variant(change)))
    specs.append(("shop-dev-add", "shop", "1.0.0.0", shop_variant("additive")))
    specs.append(("shop-dev-removed", "shop", "1.0.0.0", shop_variant("field-removed")))
    specs.append(("shop-u2", "shop", "2.0.0.0", shop_variant("additive")))
    specs.append(("shop-u3", "shop", "3.0.0.0", SHOP_1))
    specs.append(("plus-1", "plus", "1.0.0.0", PLUS))
    specs.append(("plus-2", "plus", "2.0.0.0", PLUS.replace(
        "        field(71101; \"Plus Points\"; Integer) { InitValue = 5; }\n", "")))
    specs.append(("extra-1", "extra", "1.0.0.0", EXTRA))
    return specs


def compile_shop(folder: str) -> dict:
    packages = os.path.join(folder, "packages")
    cache = os.path.join(packages, "cache")
    os.makedirs(cache, exist_ok=True)
    shop_dep = [{"id": IDS["shop"], "name": NAMES["shop"], "publisher": PUBLISHER, "version": "1.0.0.0"}]
    ranges = {"shop": (71000, 71099), "plus": (71100, 71199), "extra": (71200, 71299)}
    out = {}
    for key, app, version, text in _specs():
        project = os.path.join(folder, "src", key)
        os.makedirs(project, exist_ok=True)
        manifest = {"id": IDS[app], "name": NAMES[app], "publisher": PUBLISHER, "version": version,
                    "idRanges": [{"from": ranges[app][0], "to": ranges[app][1]}], "runtime": "14.0",
                    "dependencies": [] if app == "shop" else shop_dep}
        with open(os.path.join(project, "app.json"), "w", encoding="utf-8") as f:
            json.dump(manifest, f)
        with open(os.path.join(project, f"{app}.al"), "w", encoding="utf-8") as f:
            f.write(text)
        path = os.path.join(packages, f"{key}.app")
        result = compile_project(CompileOptions(project=project, package_cache=(cache,), out=path, jobs=1))
        assert result.ok, (key, [str(d) for d in result.diagnostics])
        if key == "shop-1":
            shutil.copyfile(path, os.path.join(cache, "shop-1.app"))
        out[key] = path
    return out


@pytest.fixture(scope="session")
def shop_apps(tmp_path_factory) -> dict:
    return compile_shop(str(tmp_path_factory.mktemp("shop")))


# -------------------------------------------------------------------- SQL --

class TenantSql:
    """A tenant's database through the backend's own client (sqlite3 or psycopg), not alc."""

    def __init__(self, db: str, database: str):
        self.db = db
        self.database = database
        self.pg = db.startswith("postgresql")

    def _connect(self):
        if self.pg:
            import psycopg
            return psycopg.connect(self.db.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=30)
        return sqlite3.connect(os.path.join(self.db, "tenants", self.database), timeout=60)

    def run(self, sql: str, params=()) -> list:
        """Run one statement (`{t}` is the schema-qualified prefix); its rows."""
        prefix = f'"{self.database}".' if self.pg else ""
        sql = sql.replace("{t}", prefix)
        if self.pg:
            sql = sql.replace("?", "%s")
        conn = self._connect()
        try:
            cur = conn.execute(sql, params)
            rows = cur.fetchall() if cur.description else []
            conn.commit()
            return rows
        finally:
            conn.close()

    def tables(self) -> set:
        if self.pg:
            return {r[0] for r in self.run("SELECT table_name FROM information_schema.tables WHERE table_schema = ?",
                                           (self.database,))}
        return {r[0] for r in self.run("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def columns(self, table: str) -> list:
        """(name, declared type) of each column, in order."""
        if self.pg:
            return [(r[0], r[1]) for r in self.run(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND "
                "table_name = ? ORDER BY ordinal_position", (self.database, table))]
        return [(r[1], r[2]) for r in self.run(f"PRAGMA table_info(\"{table}\")")]

    def key(self, table: str) -> list:
        if self.pg:
            return [r[0] for r in self.run(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND "
                "a.attnum = ANY(i.indkey) WHERE i.indrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass "
                "AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)", (self.database, table))]
        return [r[1] for r in sorted(self.run(f"PRAGMA table_info(\"{table}\")"), key=lambda r: r[5]) if r[5]]


def tenant_sql(server, db: str, tenant: str) -> TenantSql:
    return TenantSql(db, server._tenant_row(tenant).database)
