"""kill -9 at any moment of a schema sync (a ForceSync dropping a column with rows, an
install creating and filling a companion table, a Clean dropping tables) leaves every
database exactly as before the command or exactly as after it, data tables included:
the method of tests/test_deploy_crash.py (forked children killing themselves at counted
statements, or killed from outside), on the shop apps of tests/schemakit.py; and an import of
300 rows into a base and its companion table."""

from __future__ import annotations

import json
import os
import random

import pytest

from alc.deploy import open_server
from deploykit import forker  # noqa: F401  (a fixture)
from schemakit import IDS, shop_apps, tenant_sql  # noqa: F401
from test_deploy_crash import SEED, Copies, kill_loop

OPERATIONS = {
    "forcesync": ["sync", "Shop", "--tenant", "one", "--mode", "forcesync", "--version", "2.0.0.0"],
    "install-extension": ["install", "Shop Plus", "--tenant", "two"],
    "clean": ["sync", "Shop", "--tenant", "one", "--mode", "clean"],
    # 300 merged rows into base and companion tables (tenant `three` runs Shop and Shop Plus)
    "import": ["server-data-import"],
}
IMPORT_ROWS = [{"No.": f"I{i}", "Description": f"row {i}", "Plus Points": i} for i in range(300)]


def _args(operation: str, folder: str) -> list:
    if operation != "import":
        return OPERATIONS[operation]
    path = os.path.join(folder, "rows.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(IMPORT_ROWS, f)
    return ["data", "import", "--tenant", "three", "--company", "CRONUS", "--table", "Shop Item", "--file", path]


def prepare(db: str, apps: dict) -> None:
    """Tenant `one` has Shop 1.0 synced (not installed) with rows; tenant `two` runs Shop 1.0 with
    rows; tenant `three` runs Shop 1.0 and Shop Plus."""
    server = open_server(db)
    try:
        server.publish([apps["shop-1"], apps["shop-field-removed"], apps["plus-1"]])
        for tenant in ("one", "two"):
            server.add_tenant(tenant, ["CRONUS", "Fabrikam"])
        server.sync("Shop", "one", "add", "1.0.0.0")
        server.install("Shop", "two", version="1.0.0.0")
        server.add_tenant("three", ["CRONUS"])
        server.install("Shop", "three", version="1.0.0.0")
        server.install("Shop Plus", "three")
        for tenant in ("one", "two"):             # (`three` has no rows)
            sql = tenant_sql(server, db, tenant)
            item = f"CRONUS$Shop Item${IDS['shop']}"
            sql.run(f'INSERT INTO {{t}}"{item}" ("No_", "Price") VALUES (?, 1), (?, 2), (?, 3)', ("A", "B", "C"))
    finally:
        server.close()


@pytest.fixture
def prepared(server_db, shop_apps, tmp_path, request):
    prepare(server_db, shop_apps)
    pg = request.getfixturevalue("pg_server") if server_db.startswith("postgresql") else None
    copies = Copies(server_db, tmp_path, pg)
    yield copies
    copies.drop()


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_kill_9_in_a_sync_leaves_the_state_before_or_after(prepared, forker, operation):
    rng = random.Random(f"{SEED}-schema-{operation}-{prepared.backend}")
    args = _args(operation, str(prepared.tmp_path))
    outcomes = kill_loop(prepared, forker, args, rng)
    print(operation, prepared.backend, outcomes)
