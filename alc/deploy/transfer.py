"""A tenant moved between servers of different backends (`tenant mount --from` a SQLite file
into a PostgreSQL server, or a PostgreSQL schema into a SQLite server): its business tables.

The system tables are copied row by row by the mount (:func:`alc.deploy.store.read_tenant_rows`);
the apps' tables are laid out again from the tenant's schema snapshots for the receiving
backend (PostgreSQL shortens names longer than 63 bytes, :func:`alc.deploy.tables.fit`), each
table and column matched by what it holds (the table's unshortened name, the field's app, table
and id), and their rows copied in batches, inside the mount's one transaction.
"""

from __future__ import annotations

import sqlalchemy as sa

from . import schema as sysschema
from .sync import TableSpec, _Ddl, layout
from .tables import Snapshot, column_type, snapshot_table

__all__ = ["source_snapshots", "copy_tables"]

BATCH = 1000


def source_snapshots(conn) -> list[dict]:
    """The rows of the source tenant's `$ndo$navappschemasnapshot` (none when it has no such table)."""
    translate = conn.get_execution_options().get("schema_translate_map") or {}
    name = translate.get(sysschema.TENANT_SCHEMA, sysschema.TENANT_SCHEMA)
    if not sa.inspect(conn).has_table(snapshot_table.name, schema=name):
        return []
    return [dict(r) for r in conn.execute(sa.select(snapshot_table)).mappings()]


def _typed(spec: TableSpec) -> sa.Table:
    return sa.Table(spec.name, sa.MetaData(schema=sysschema.TENANT_SCHEMA),
                    *[sa.Column(c.name, column_type(c.field), primary_key=c.ident in spec.key) for c in spec.columns])


def copy_tables(source_conn, conn, snapshot_rows: list, companies: list) -> int:
    """Create the apps' tables on ``conn`` (the mount's transaction) and copy their rows from
    ``source_conn``: the number of rows copied."""
    snapshots = {r["appid"]: Snapshot.loads(r["snapshot"]) for r in snapshot_rows}
    if not snapshots:
        return 0
    ddl = _Ddl(conn)
    source = {s.label: s for s in layout(snapshots, companies, source_conn.dialect.name).values()}
    copied = 0
    for spec in layout(snapshots, companies, ddl.dialect).values():
        ddl.create(spec)
        src = source.get(spec.label)
        if src is None:
            continue
        names = {c.ident: c.name for c in spec.columns}
        src_table, dst_table = _typed(src), _typed(spec)
        result = source_conn.execution_options(stream_results=True).execute(sa.select(src_table))
        while True:
            batch = result.fetchmany(BATCH)
            if not batch:
                break
            conn.execute(sa.insert(dst_table), [{names[c.ident]: v for c, v in zip(src.columns, row)}
                                                for row in batch])
            copied += len(batch)
    return copied
