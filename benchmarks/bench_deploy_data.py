"""Schema sync and business data of `alc server` (issue 10):
- *sync_base*: the generated base app (1k: 300 tables, 10k: 3,000) synced onto a new tenant
  with 3 companies (the install's Add sync makes a table per company for each of its
  tables: 900 and 9,000); the server has the base published once; each round adds a tenant
  and installs the base; ``tables`` is the number of tables made. SQLite and PostgreSQL (the
  throwaway server gets max_locks_per_transaction = 1024: the sync locks every table it
  creates until its one transaction ends). alc's part grows linearly; SQLite's own CREATE TABLE
  does not: after each one SQLite re-reads its schema table (a scan of every table made
  before), so on SQLite 9,000 tables cost about 90 times what 900 do (0.3 s in SQLite at 900,
  28 s at 9,000, CPU under cProfile);
- *import*: 100,000 rows imported (`alc server data import`'s library call) into a table
  with two table extensions (base and companion table written, one transaction), on a
  fresh tenant each round; *select*: the 100,000 merged rows read back (a join of the base
  and the companion table, values converted to JSON).
SQLite (the default) and PostgreSQL (``_postgresql``, a throwaway server as the tests start
theirs) for each.

    python -m pytest benchmarks/bench_deploy_data.py --benchmark-only --generated-dir /tmp/alc-bench
"""

from __future__ import annotations

import os
import sys

import pytest

from alc.deploy import open_server
from alc.deploy.data import run

from .bench_deploy import compiled_10k  # noqa: F401  (the session's generated 10k graph)
from .inputs import prepare
from .measure import CpuClock, finish

ROWS = 100_000
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests"))


@pytest.fixture(scope="session", params=["1k", "10k"])
def sync_base_size(request, tmp_path_factory):
    """The generated base of a size (1k: 300 tables, 10k: 3,000) and its app id."""
    if request.param == "10k":
        compiled = request.getfixturevalue("compiled_10k")
    else:
        keep = request.config.getoption("--generated-dir")
        root = os.path.join(keep, "1k") if keep else str(tmp_path_factory.mktemp("generated-1k"))
        compiled = prepare("1k", root)[1]
    return request.param, compiled.base, compiled.manifest["apps"][0]["id"]


def _sync_base(benchmark, db: str, size):
    name, base, base_id = size
    server = open_server(db)
    server.publish([base])
    count = [0]

    def sync_onto_new_tenant():
        count[0] += 1
        tenant = f"t{count[0]}"
        server.add_tenant(tenant, ["CRONUS", "Fabrikam", "Contoso"])
        server.install(base_id, tenant)
        return tenant

    clock = CpuClock()
    benchmark.group = f"deploy sync base {name}"
    tenant = benchmark.pedantic(clock.wrap(sync_onto_new_tenant), rounds=2 if name == "10k" else 3, iterations=1)
    from schemakit import TenantSql
    tables = len([t for t in TenantSql(server.db, server._tenant_row(tenant).database).tables() if "$" in t
                  and not t.startswith("$ndo$")])
    finish(benchmark, clock, tables=tables, tables_per_s=round(tables / benchmark.stats.stats.median))
    server.close()


def bench_deploy_sync_base(benchmark, sync_base_size, tmp_path_factory):
    _sync_base(benchmark, str(tmp_path_factory.mktemp("sync-base") / "server"), sync_base_size)


def bench_deploy_sync_base_postgresql(benchmark, sync_base_size, pg):
    _sync_base(benchmark, pg.create_database(f"sync{sync_base_size[0]}"), sync_base_size)


def _rows() -> list:
    return [{"No.": f"ITEM{i:06d}", "Description": f"Item number {i}", "Price": i / 100, "Quantity": i % 1000,
             "Blocked": i % 7 == 0, "Kind": "Service" if i % 3 else "Normal", "Plus Code": f"P{i % 97}",
             "Plus Points": i % 50, "Extra Note": f"note {i}"} for i in range(ROWS)]


@pytest.fixture(scope="module")
def shop_packages(tmp_path_factory):
    from schemakit import compile_shop
    return compile_shop(str(tmp_path_factory.mktemp("shop-bench")))


def _data_server(db: str, shop_packages):
    server = open_server(db)
    server.publish([shop_packages["shop-1"], shop_packages["plus-1"], shop_packages["extra-1"]])
    return server


def _import_and_select(benchmark, server, what: str):
    rows = _rows()
    count = [0]

    def fresh_tenant():
        count[0] += 1
        tenant = f"t{count[0]}"
        server.add_tenant(tenant, ["CRONUS"])
        server.install("Shop Plus", tenant)
        server.install("Shop Extra", tenant)
        return (tenant,), {}

    def do_import(tenant):
        return run(server, tenant, "insert", "Shop Item", "CRONUS", rows)

    clock = CpuClock()
    if what == "import":
        benchmark.pedantic(clock.wrap(do_import), setup=fresh_tenant, rounds=2, iterations=1)
    else:
        (tenant,), _ = fresh_tenant()
        do_import(tenant)
        got = benchmark.pedantic(clock.wrap(run), args=(server, tenant, "select", "Shop Item", "CRONUS"), rounds=3,
                                 iterations=1)
        assert len(got) == ROWS
    finish(benchmark, clock, rows=ROWS, rows_per_s=round(ROWS / benchmark.stats.stats.median))


def bench_deploy_import(benchmark, shop_packages, tmp_path):
    server = _data_server(str(tmp_path / "server"), shop_packages)
    _import_and_select(benchmark, server, "import")
    server.close()


def bench_deploy_select(benchmark, shop_packages, tmp_path):
    server = _data_server(str(tmp_path / "server"), shop_packages)
    _import_and_select(benchmark, server, "select")
    server.close()


@pytest.fixture(scope="module")
def pg(tmp_path_factory):
    from pgserver import PgServer, PgUnavailable
    try:
        # a sync of the 10k base onto 3 companies locks ~36,000 relations in one transaction
        server = PgServer(settings={"max_locks_per_transaction": "1024"}).start()
    except PgUnavailable as e:
        pytest.skip(f"PostgreSQL unavailable: {e}")
    yield server
    server.stop()


def bench_deploy_import_postgresql(benchmark, shop_packages, pg):
    server = _data_server(pg.create_database("imp"), shop_packages)
    _import_and_select(benchmark, server, "import")
    server.close()


def bench_deploy_select_postgresql(benchmark, shop_packages, pg):
    server = _data_server(pg.create_database("sel"), shop_packages)
    _import_and_select(benchmark, server, "select")
    server.close()
