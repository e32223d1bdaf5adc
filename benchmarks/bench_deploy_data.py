"""Schema sync and business data of `alc server` (issue 10):
- *sync_base*: the generated 10,000-object base app synced onto a new tenant with 3
  companies (the install's Add sync makes a table per company for each of its tables);
  the server has the base published once per session; each round adds a tenant and
  installs the base; ``tables`` is the number of tables made;
- *import*: 100,000 rows imported (`alc server data import`'s library call) into a table
  with two table extensions (base and companion table written, one transaction), on a
  fresh tenant each round; *select*: the 100,000 merged rows read back (a join of the base
  and the companion table, values converted to JSON).
SQLite (the default) and PostgreSQL (``_postgresql``, a throwaway server as the tests start
theirs) for import and select.

    python -m pytest benchmarks/bench_deploy_data.py --benchmark-only --generated-dir /tmp/alc-bench
"""

from __future__ import annotations

import os
import sys

import pytest

from alc.deploy import open_server
from alc.deploy.data import run

from .bench_deploy import compiled_10k  # noqa: F401  (the session's generated 10k graph)
from .measure import CpuClock, finish

ROWS = 100_000
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests"))


def bench_deploy_sync_base(benchmark, compiled_10k, tmp_path_factory):  # noqa: F811
    server = open_server(str(tmp_path_factory.mktemp("sync-base") / "server"))
    server.publish([compiled_10k.base])
    base_id = compiled_10k.manifest["apps"][0]["id"]
    count = [0]

    def sync_onto_new_tenant():
        count[0] += 1
        tenant = f"t{count[0]}"
        server.add_tenant(tenant, ["CRONUS", "Fabrikam", "Contoso"])
        server.install(base_id, tenant)
        return tenant

    clock = CpuClock()
    tenant = benchmark.pedantic(clock.wrap(sync_onto_new_tenant), rounds=3, iterations=1)
    from schemakit import TenantSql
    tables = len([t for t in TenantSql(server.db, server._tenant_row(tenant).database).tables() if "$" in t
                  and not t.startswith("$ndo$")])
    finish(benchmark, clock, tables=tables)
    server.close()


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
        server = PgServer().start()
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
