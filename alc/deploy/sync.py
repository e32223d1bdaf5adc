"""The schema sync engine: what changed between two schemas of an app, and the tables made to match.

:func:`diff` compares an app's snapshot on the tenant (the union of every
version synced there since the last Clean: Add never takes anything out of it)
with the schema of the version being synced, and names each change in the
platform's form (``Table Customer :: The field 'Loyalty Points' cannot be
located. Removing fields is not allowed.``), destructive or not (DEPLOY.md
§2.2). :func:`apply` runs in the command's write transaction: it refuses a
destructive change in Add and Development mode (ALC0534, nothing written),
then brings the tenant's tables from the layout of the snapshots before to the
layout after (:func:`layout`: every table and column the snapshots describe,
for each company), reporting each table and column it drops with its row
count; a ForceSync's snapshot is the new schema alone. Clean drops the tables
of the app (all versions) and forgets its snapshot. One transaction: on
PostgreSQL DDL is transactional, and on SQLite it is too (inside the
transaction that has the tenant's file attached).

Choices where the platform is silent: a field is identified by its id (a new
name with the same id is a rename: the column is renamed, data kept); a field
whose id disappears while its name stays is a changed id; only fields with a
column (Normal, enabled) count, so removing a FlowField is allowed; an
Integer field may become BigInteger, an Option an Enum (and back) and a Code
or Text field longer; a table extension's fields are the extension app's
schema, in the companion table of the table they extend; Clean is refused
while another synchronized app extends the app's tables (clean that one
first).
"""

from __future__ import annotations

import contextlib
from typing import Iterable, Optional

import attrs
import sqlalchemy as sa

from . import schema as sysschema
from .errors import DeployError
from .model import Step
from .tables import (FieldDef, Snapshot, TableDef, app_schema, companion_name, column_type, default_value,
                     ext_column, fit, make_column, resolve, snapshot_table, sql_name, table_name)

__all__ = ["Change", "diff", "apply", "layout", "load_snapshots", "create_company", "TableSpec", "ColumnSpec"]

_WIDER = {("integer", "biginteger"), ("option", "enum"), ("enum", "option"), ("code", "code"), ("text", "text")}


@attrs.frozen
class Change:
    """One difference between two schemas of an app."""
    kind: str              # table-added, table-removed, table-renamed, per-company-changed, key-changed,
    #                        field-added, field-removed, field-renamed, field-id-changed, type-changed,
    #                        length-decreased, length-increased, type-widened, field-class-changed,
    #                        field-disabled
    obj: str               # `Table Customer`, `TableExtension Cust Ext`
    table_id: int
    field: Optional[str]
    destructive: bool
    message: str

    @property
    def text(self) -> str:
        return f"{self.obj} :: {self.message}"


# -------------------------------------------------------------------- diff --

def _field_changes(obj: str, table_id: int, old: Iterable[FieldDef], new: Iterable[FieldDef]) -> list[Change]:
    out = []
    new_by_id = {f.id: f for f in new}
    new_by_name = {f.name.casefold(): f for f in new_by_id.values()}
    old_ids = set()
    for o in old:
        old_ids.add(o.id)
        n = new_by_id.get(o.id)
        if n is None:
            if not o.has_column:
                continue
            moved = new_by_name.get(o.name.casefold())
            if moved is not None:
                old_ids.add(moved.id)                     # not also an added field
                out.append(Change("field-id-changed", obj, table_id, o.name, True,
                                  f"The field '{o.name}' has changed its ID from {o.id} to {moved.id}. Changing the "
                                  "ID of fields is not allowed."))
            else:
                out.append(Change("field-removed", obj, table_id, o.name, True,
                                  f"The field '{o.name}' cannot be located. Removing fields is not allowed."))
            continue
        out.extend(_same_field(obj, table_id, o, n))
    for n in new_by_id.values():
        if n.id not in old_ids and n.has_column:
            out.append(Change("field-added", obj, table_id, n.name, False, f"The field '{n.name}' is added."))
    return out


def _same_field(obj: str, table_id: int, o: FieldDef, n: FieldDef) -> list[Change]:
    out = []
    if o.name != n.name:
        out.append(Change("field-renamed", obj, table_id, o.name, False,
                          f"The field '{o.name}' is renamed to '{n.name}'."))
    if not o.has_column:
        if n.has_column:
            out.append(Change("field-added", obj, table_id, n.name, False, f"The field '{n.name}' is added."))
        return out
    if o.field_class != n.field_class:
        out.append(Change("field-class-changed", obj, table_id, o.name, True,
                          f"The field '{o.name}' has changed FieldClass from '{o.field_class}' to '{n.field_class}'. "
                          "Changing a field into a FlowField or FlowFilter is not allowed."))
        return out
    if not n.enabled:
        out.append(Change("field-disabled", obj, table_id, o.name, True,
                          f"The field '{o.name}' has been disabled (Enabled = false). Disabling fields is not "
                          "allowed."))
        return out
    if o.type != n.type and (o.type, n.type) not in _WIDER:
        out.append(Change("type-changed", obj, table_id, o.name, True,
                          f"The field '{o.name}' has changed the data type from '{o.type_text}' to '{n.type_text}'. "
                          "Changing the data type on fields is not allowed."))
    elif o.type != n.type:
        out.append(Change("type-widened", obj, table_id, o.name, False,
                          f"The field '{o.name}' has changed the data type from '{o.type_text}' to '{n.type_text}'."))
    elif o.length != n.length:
        shorter = n.length is not None and (o.length is None or n.length < o.length)
        before, after = o.length if o.length is not None else "max", n.length if n.length is not None else "max"
        out.append(Change("length-decreased" if shorter else "length-increased", obj, table_id, o.name, shorter,
                          f"The field '{o.name}' has changed the length of the data type from '{before}' to "
                          f"'{after}'." + (" Decreasing the length of the data type on fields is not allowed."
                                           if shorter else "")))
    return out


def _key_ids(t: TableDef) -> tuple:
    return tuple(f.id for f in t.key_fields())


def _table_changes(o: TableDef, n: TableDef) -> list[Change]:
    obj = f"Table {o.name}"
    out = []
    if o.name != n.name:
        out.append(Change("table-renamed", obj, o.id, None, True,
                          f"The table '{o.name}' has been renamed to '{n.name}'. Renaming tables is not allowed."))
    if o.per_company != n.per_company:
        out.append(Change("per-company-changed", obj, o.id, None, True,
                          f"The property 'DataPerCompany' has changed from '{str(o.per_company).lower()}' to "
                          f"'{str(n.per_company).lower()}'. Changing the number of tables per company is not "
                          "allowed."))
    if _key_ids(o) != _key_ids(n):
        out.append(Change("key-changed", obj, o.id, None, True,
                          f"The primary key has changed from '{','.join(o.key)}' to '{','.join(n.key)}'. Changing "
                          "the primary key is not allowed."))
    out.extend(_field_changes(obj, o.id, o.fields, n.fields))
    return out


def diff(old: Optional[Snapshot], new: Snapshot) -> list[Change]:
    """Every change from ``old`` (None: nothing synced yet) to ``new``, tables by id, in order."""
    out: list[Change] = []
    old_tables = {t.id: t for t in (old.tables if old else ())}
    new_tables = {t.id: t for t in new.tables}
    for tid, o in old_tables.items():
        n = new_tables.get(tid)
        if n is None:
            out.append(Change("table-removed", f"Table {o.name}", tid, None, True,
                              f"The table '{o.name}' cannot be located. Removing tables is not allowed unless they "
                              "are temporary or are being moved by migration to another app."))
        else:
            out.extend(_table_changes(o, n))
    for tid, n in new_tables.items():
        if tid not in old_tables:
            out.append(Change("table-added", f"Table {n.name}", tid, None, False, f"The table '{n.name}' is added."))
    old_parts = {p.key: p for p in (old.parts if old else ())}
    new_parts = {p.key: p for p in new.parts}
    for key in list(old_parts) + [k for k in new_parts if k not in old_parts]:
        o, n = old_parts.get(key), new_parts.get(key)
        ref = n or o
        out.extend(_field_changes(f"TableExtension {ref.extension}", key[1], o.fields if o else (),
                                  n.fields if n else ()))
    return out


# ------------------------------------------------------------------ layout --

@attrs.frozen
class ColumnSpec:
    ident: tuple           # (app id, table id, field id): what stays one column through renames
    name: str              # the column's name in the database
    field: FieldDef


@attrs.frozen
class TableSpec:
    name: str              # the table's name in the database
    label: str             # `CRONUS$Kit Item$<app id>` before fitting, for messages
    columns: tuple         # ColumnSpec, key first
    key: tuple             # the idents of the key columns
    base: Optional[str] = None   # a companion table: the name of its base table (rows mirror it)


def _columns_of(app_id: str, t: TableDef, dialect: str) -> tuple:
    key = [f for f in t.key_fields()]
    rest = [f for f in t.fields if f.has_column and f not in key]
    return tuple(ColumnSpec((app_id, t.id, f.id), fit(sql_name(f.name), dialect), f) for f in key + rest)


def layout(snapshots: dict, companies: Iterable[str], dialect: str) -> dict:
    """Every table the snapshots make, for each company: physical name -> TableSpec."""
    companies = list(companies)
    out: dict = {}
    tables = {}
    for app_id, snap in snapshots.items():
        for t in snap.tables:
            tables[(app_id, t.id)] = t
            cols = _columns_of(app_id, t, dialect)
            key = tuple(c.ident for c in cols[:len(t.key_fields())])
            for company in (companies if t.per_company else [None]):
                label = table_name(company, t.name, app_id)
                name = fit(label, dialect)
                out[name] = TableSpec(name, label, cols, key)
    parts: dict = {}
    for app_id, snap in sorted(snapshots.items()):
        for p in snap.parts:
            parts.setdefault(p.key, []).append((app_id, p))
    for (owner, table_id), items in sorted(parts.items()):
        base = tables.get((owner, table_id))
        if base is None:
            continue                                   # the base table is gone (forcesync, clean)
        base_cols = _columns_of(owner, base, "")
        key_cols = [c for c in base_cols[:len(base.key_fields())]]
        ext_cols = [ColumnSpec((app_id, table_id, f.id), fit(ext_column(f.name, app_id), dialect), f)
                    for app_id, p in items for f in p.fields if f.has_column]
        if not ext_cols:
            continue
        key = [ColumnSpec(c.ident, fit(c.name, dialect), c.field) for c in key_cols]
        for company in (companies if base.per_company else [None]):
            label = companion_name(company, base.name, owner)
            name = fit(label, dialect)
            out[name] = TableSpec(name, label, tuple(key + ext_cols), tuple(c.ident for c in key),
                                  fit(table_name(company, base.name, owner), dialect))
    return out


# --------------------------------------------------------------------- DDL --

class _Ddl:
    """DDL and counts on the tenant's tables, through the command's connection."""

    def __init__(self, conn):
        self.conn = conn
        self.dialect = conn.dialect.name
        translate = conn.get_execution_options().get("schema_translate_map") or {}
        self.schema = translate.get(sysschema.TENANT_SCHEMA, sysschema.TENANT_SCHEMA)
        self.q = conn.dialect.identifier_preparer.quote
        self._columns: dict = {}
        self._bodies: dict = {}

    def qualified(self, name: str) -> str:
        return f"{self.q(self.schema)}.{self.q(name)}"

    def column_sql(self, name: str, f: FieldDef, primary_key: bool = False) -> str:
        """A column's definition (`"No_" VARCHAR(20) DEFAULT '' NOT NULL`): SQLAlchemy compiles
        each kind of column (type, length, default, key) once, the name is put in front."""
        shape = (f.type, f.length, repr(default_value(f)), primary_key)
        tail = self._columns.get(shape)
        if tail is None:
            column = make_column("x", f, primary_key)
            sa.Table("alc_shape", sa.MetaData(), column)
            compiled = str(sa.schema.CreateColumn(column).compile(dialect=self.conn.dialect))
            assert compiled.startswith("x ")
            tail = self._columns[shape] = compiled[1:]
        return self.q(name) + tail

    def create(self, spec: TableSpec) -> None:
        """CREATE TABLE, its text put together from the columns' definitions (no SQLAlchemy
        Table per table: a sync makes thousands)."""
        body = self._bodies.get(id(spec.columns))       # the companies' copies share their columns
        if body is None or body[0] is not spec.columns:
            keys = [c.name for c in spec.columns if c.ident in spec.key]
            cols = [self.column_sql(c.name, c.field, c.name in keys) for c in spec.columns]
            if keys:
                cols.append(f"PRIMARY KEY ({', '.join(self.q(k) for k in keys)})")
            body = self._bodies[id(spec.columns)] = (spec.columns, ", ".join(cols))
        self.conn.exec_driver_sql(f"CREATE TABLE {self.qualified(spec.name)} ({body[1]})")

    def count(self, name: str) -> int:
        return int(self.conn.exec_driver_sql(f"SELECT COUNT(*) FROM {self.qualified(name)}").scalar() or 0)

    def drop(self, name: str) -> None:
        self.conn.exec_driver_sql(f"DROP TABLE {self.qualified(name)}")

    def add_column(self, table: str, c: ColumnSpec) -> None:
        self.conn.exec_driver_sql(f"ALTER TABLE {self.qualified(table)} ADD COLUMN {self.column_sql(c.name, c.field)}")

    def drop_column(self, table: str, column: str) -> None:
        self.conn.exec_driver_sql(f"ALTER TABLE {self.qualified(table)} DROP COLUMN {self.q(column)}")

    def rename_column(self, table: str, old: str, new: str) -> None:
        self.conn.exec_driver_sql(f"ALTER TABLE {self.qualified(table)} RENAME COLUMN {self.q(old)} TO {self.q(new)}")

    def widen(self, table: str, c: ColumnSpec) -> None:
        if self.dialect == "postgresql":   # SQLite keeps any value in any column
            typ = column_type(c.field).compile(dialect=self.conn.dialect)
            self.conn.exec_driver_sql(f"ALTER TABLE {self.qualified(table)} ALTER COLUMN {self.q(c.name)} TYPE {typ}")

    def fill_companion(self, spec: TableSpec) -> None:
        """Companion rows for the base rows that have none (defaults in the extension columns)."""
        keys = [c.name for c in spec.columns if c.ident in spec.key]
        cols = ", ".join(self.q(k) for k in keys)
        match = " AND ".join(f"c.{self.q(k)} = b.{self.q(k)}" for k in keys)
        self.conn.exec_driver_sql(
            f"INSERT INTO {self.qualified(spec.name)} ({cols}) SELECT {', '.join('b.' + self.q(k) for k in keys)} "
            f"FROM {self.qualified(spec.base)} b WHERE NOT EXISTS (SELECT 1 FROM {self.qualified(spec.name)} c "
            f"WHERE {match})")


def _compatible(o: FieldDef, n: FieldDef) -> bool:
    if o.type == n.type:
        return o.length is None if n.length is None else (o.length is not None and n.length >= o.length)
    return (o.type, n.type) in _WIDER


def _transform(ddl: _Ddl, before: dict, after: dict) -> list[str]:
    """The DDL from layout ``before`` to ``after``; what was dropped (for the report)."""
    dropped: list[str] = []
    for name, spec in before.items():
        if name not in after:
            n = ddl.count(name)
            ddl.drop(name)
            dropped.append(f"dropped table `{spec.label}` ({n} rows)")
    for name, spec in after.items():
        old = before.get(name)
        if old is not None and (old.key != spec.key or any(
                not _compatible(a.field, b.field) or a.name != b.name
                for a, b in zip([c for c in old.columns if c.ident in old.key],
                                [c for c in spec.columns if c.ident in spec.key]))):
            n = ddl.count(name)
            ddl.drop(name)
            dropped.append(f"dropped table `{spec.label}` ({n} rows) to change its primary key")
            old = None
        if old is None:
            ddl.create(spec)
            if spec.base is not None and spec.base in after:
                ddl.fill_companion(spec)
            continue
        old_cols = {c.ident: c for c in old.columns}
        new_idents = {c.ident for c in spec.columns}
        for c in old.columns:
            if c.ident not in new_idents:
                n = ddl.count(name)
                ddl.drop_column(name, c.name)
                dropped.append(f"dropped column `{c.name}` of table `{spec.label}` ({n} rows)")
        for c in spec.columns:
            o = old_cols.get(c.ident)
            if o is None:
                ddl.add_column(name, c)
                continue
            if not _compatible(o.field, c.field):
                n = ddl.count(name)
                ddl.drop_column(name, o.name)
                ddl.add_column(name, c)
                dropped.append(f"dropped column `{o.name}` of table `{spec.label}` ({n} rows) to change its type "
                               f"from {o.field.type_text} to {c.field.type_text}")
                continue
            if o.name != c.name:
                ddl.rename_column(name, o.name, c.name)
            if o.field.type != c.field.type or o.field.length != c.field.length:
                ddl.widen(name, c)
    return dropped


# ------------------------------------------------------------------- apply --

def _ensure_snapshot_table(conn, ddl: _Ddl) -> None:
    if not sa.inspect(conn).has_table(snapshot_table.name, schema=ddl.schema):
        snapshot_table.create(conn)


def load_snapshots(conn) -> dict:
    """The tenant's snapshots: app id -> Snapshot."""
    ddl = _Ddl(conn)
    _ensure_snapshot_table(conn, ddl)
    return {r.appid: Snapshot.loads(r.snapshot) for r in conn.execute(sa.select(snapshot_table))}


def _refuse(label: str, mode: str, changes: list[Change]) -> DeployError:
    word = {"add": "Add", "development": "Development"}[mode]
    first = changes[0].text
    more = f" (and {len(changes) - 1} more destructive changes)" if len(changes) > 1 else ""
    return DeployError("ALC0534", f"Cannot synchronize the extension {label} in {word} mode: {first}{more}",
                       notes=tuple(c.text for c in changes),
                       help="keep the fields and tables of every version synced since the last Clean, or sync "
                            "with --mode forcesync (which drops them and their data)")


def apply(server, conn, catalog, old_state, new_state, mode: str = "add") -> list[Step]:
    """Bring the tenant's tables to the apps synced in ``new_state`` (from ``old_state``),
    in the command's write transaction: the steps to report (what was dropped).
    DeployError (nothing written) for a destructive change in Add or Development mode."""
    changed = [t for a, t in new_state.synced.items()
               if old_state.synced.get(a) is None or old_state.synced[a].package_id != t.package_id]
    cleaned = [a for a in old_state.synced if a not in new_state.synced]
    if not changed and not cleaned:
        return []
    ddl = _Ddl(conn)
    before = load_snapshots(conn)
    after = dict(before)
    steps: list[Step] = []
    for app_id in cleaned:
        after.pop(app_id, None)
    for app_id in cleaned:
        users = sorted({s.app_id for s in after.values() for p in s.parts if p.owner == app_id})
        if users:
            label = old_state.synced[app_id]
            names = ", ".join(_label(catalog, new_state, u) for u in users)
            raise DeployError("ALC0535", f"Cannot clean the extension {label.name} by {label.publisher} because the "
                              f"synchronized extensions {names} extend its tables; clean them first.")
    for tracking in changed:
        label = f"{tracking.name} by {tracking.publisher} {tracking.version}"
        schema = app_schema(server, tracking.package_id)
        others = [s for a, s in after.items() if a != tracking.app_id]
        new, missing = resolve(schema, others)
        if missing:
            e = missing[0]
            raise DeployError("ALC0536", f"TableExtension {e.name} :: The table {e.target} cannot be found.",
                              notes=(f"extension {label}",),
                              help="sync (or install) the app that declares the table first")
        old = after.get(tracking.app_id)
        changes = diff(old, new)
        destructive = [c for c in changes if c.destructive]
        if destructive and mode in ("add", "development"):
            raise _refuse(label, mode, destructive)
        after[tracking.app_id] = new
        for c in destructive:
            steps.append(Step("schema-change", label, f"ForceSync: {c.text}"))
    companies = list(new_state.companies)
    old_layout, new_layout = layout(before, companies, ddl.dialect), layout(after, companies, ddl.dialect)
    with _lock_slots(ddl, sum(1 for n in new_layout if n not in old_layout)):
        dropped = _transform(ddl, old_layout, new_layout)
    who = ", ".join([_label(catalog, old_state, a) for a in cleaned]
                    + [f"{t.name} by {t.publisher} {t.version}" for t in changed])
    steps.extend(Step("dropped", who, d[0].upper() + d[1:]) for d in dropped)
    _write_snapshots(conn, before, after, new_state)
    return steps


LOCKS_PER_TABLE = 4     # PostgreSQL: the table, its primary key, its TOAST table and the TOAST index


@contextlib.contextmanager
def _lock_slots(ddl: _Ddl, tables: int):
    """PostgreSQL keeps a lock on every table a transaction creates until it ends; when the
    server's lock table is too small for the sync, ALC0537 says how large it must be (the
    transaction is rolled back: nothing written)."""
    if ddl.dialect != "postgresql":
        yield
        return
    settings = dict(ddl.conn.exec_driver_sql(
        "SELECT name, setting FROM pg_settings WHERE name IN ('max_locks_per_transaction', 'max_connections', "
        "'max_prepared_transactions', 'autovacuum_max_workers', 'max_worker_processes', 'max_wal_senders')").all())
    try:
        yield
    except sa.exc.OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) != "53200":          # out of shared memory
            raise
        per = int(settings.get("max_locks_per_transaction", 64))
        backends = sum(int(settings.get(k, 0)) for k in settings if k != "max_locks_per_transaction") + 1
        need = -(-tables * LOCKS_PER_TABLE * 5 // 4 // max(backends, 1))     # with a quarter to spare
        raise DeployError("ALC0537", f"The PostgreSQL server has too few lock slots for this sync: it creates "
                          f"{tables} tables in one transaction (about {LOCKS_PER_TABLE} locks each), the server "
                          f"holds {per} x {backends} backends = {per * backends} locks in all. Nothing was "
                          "written.", help=f"set max_locks_per_transaction = {max(need, per * 2)} in "
                          "postgresql.conf and restart the server") from None


def _label(catalog, state, app_id: str) -> str:
    t = state.synced.get(app_id)
    return f"{t.name} by {t.publisher} {t.version}" if t is not None else app_id


def _write_snapshots(conn, before: dict, after: dict, state) -> None:
    t = snapshot_table
    for app_id in sorted(set(before) | set(after)):
        if before.get(app_id) == after.get(app_id):
            continue
        conn.execute(sa.delete(t).where(t.c.appid == app_id))
        snap = after.get(app_id)
        if snap is not None:
            tracking = state.synced[app_id]
            conn.execute(sa.insert(t).values(appid=app_id, name=tracking.name, version=str(tracking.version),
                                             packageid=tracking.package_id, snapshot=snap.dumps()))


def create_company(conn, company: str) -> int:
    """The tables of every synced app for a new company (inside the transaction that adds it):
    how many were created."""
    ddl = _Ddl(conn)
    snapshots = load_snapshots(conn)
    shared = layout(snapshots, [], ddl.dialect)            # the tables not per company exist already
    specs = [spec for name, spec in layout(snapshots, [company], ddl.dialect).items() if name not in shared]
    with _lock_slots(ddl, len(specs)):
        for spec in specs:
            ddl.create(spec)
    return len(specs)
