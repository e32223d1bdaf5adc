"""A sync larger than PostgreSQL's lock table (every table created in the sync's one
transaction stays locked until it ends): refused with ALC0537 naming the setting to raise,
nothing written; the same sync fits once the server has the slots. A second throwaway
server, started with the smallest lock table PostgreSQL takes."""

from __future__ import annotations

import json
import os

import pytest

from alc.build.compiler import CompileOptions, compile_project
from alc.deploy import open_server
from alc.deploy.errors import DeployError
from conftest import serve_pg
from pgserver import PgServer
from schemakit import TenantSql

TABLES = 150
SMALL = {"max_locks_per_transaction": "10", "max_connections": "10", "max_worker_processes": "2",
         "autovacuum_max_workers": "1", "max_wal_senders": "0"}


def _wide_app(folder: str) -> str:
    project = os.path.join(folder, "wide")
    os.makedirs(project)
    with open(os.path.join(project, "app.json"), "w", encoding="utf-8") as f:
        json.dump({"id": "5a0b0000-0000-4000-8000-0000000000b1", "name": "Wide", "publisher": "alc tests",
                   "version": "1.0.0.0", "idRanges": [{"from": 73000, "to": 73999}], "runtime": "14.0"}, f)
    with open(os.path.join(project, "tables.al"), "w", encoding="utf-8") as f:
        for i in range(TABLES):
            f.write(f'table {73000 + i} "Wide {i}"\n{{\n    fields\n    {{\n        field(1; "No."; Code[20]) {{ }}\n'
                    f'        field(2; Note; Text[2048]) {{ }}\n    }}\n    keys {{ key(PK; "No.") {{ }} }}\n}}\n\n')
    out = os.path.join(folder, "wide.app")
    result = compile_project(CompileOptions(project=project, out=out, jobs=1))
    assert result.ok, [str(d) for d in result.diagnostics]
    return out


@pytest.fixture(scope="module")
def small_pg():
    yield from serve_pg(SMALL)


def test_a_sync_beyond_the_lock_table_is_refused_whole(small_pg, tmp_path):
    app = _wide_app(str(tmp_path))
    server = open_server(small_pg.create_database())
    try:
        server.publish([app])
        server.add_tenant("t1", ["CRONUS", "Fabrikam", "Contoso"])
        schema = server._tenant_row("t1").database
        before = sorted(TenantSql(server.db, schema).tables())
        with pytest.raises(DeployError) as caught:
            server.install("Wide", "t1")
        d = caught.value.diagnostic
        assert d.code == "ALC0537"
        assert f"it creates {3 * TABLES} tables in one transaction" in d.message and "Nothing was written" in d.message
        assert d.help.startswith("set max_locks_per_transaction = ") and "restart the server" in d.help
        assert sorted(TenantSql(server.db, schema).tables()) == before
        assert TenantSql(server.db, schema).run('SELECT COUNT(*) FROM {t}"NAV App Installed App"') == [(0,)]
    finally:
        server.close()


def test_the_same_sync_fits_with_the_slots_the_message_asks_for(small_pg, tmp_path):
    """The value in ALC0537's help is enough."""
    app = _wide_app(str(tmp_path))
    server = open_server(small_pg.create_database())
    try:
        server.publish([app])
        server.add_tenant("t1", ["CRONUS", "Fabrikam", "Contoso"])
        with pytest.raises(DeployError) as caught:
            server.install("Wide", "t1")
        wanted = caught.value.diagnostic.help.split("= ")[1].split()[0]
    finally:
        server.close()
    roomy = PgServer(settings={**SMALL, "max_locks_per_transaction": wanted}).start()
    try:
        server = open_server(roomy.create_database())
        server.publish([app])
        server.add_tenant("t1", ["CRONUS", "Fabrikam", "Contoso"])
        server.install("Wide", "t1")
        tables = TenantSql(server.db, server._tenant_row("t1").database).tables()
        assert len([t for t in tables if "$Wide " in t]) == 3 * TABLES
        server.close()
    finally:
        roomy.stop()
