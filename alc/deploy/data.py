"""Business data: rows of the apps' tables on a tenant (`alc server data ...`).

A row is the merged record: the base table's fields plus the fields that the
table extensions of the apps *installed* on the tenant add (an uninstalled
app's columns stay, with their data, but its fields are not shown and new rows
get their defaults there). One insert writes the base table and the companion
table in one transaction. Values are checked against the field's type (Code
upper-cased, lengths, Option and Enum by name, dates, times) and a bad row
refuses the whole command (ALC0560, nothing written); an existing key refuses it
too (ALC0561, the platform's message).

JSON values: Code and Text strings, Integer and BigInteger integers, Decimal
numbers, Boolean true/false, Date `YYYY-MM-DD`, Time `HH:MM:SS`, DateTime ISO
8601, Option and Enum by name (the enum's values and those its enum extensions add, among the
installed apps), Guid, Media and MediaSet as GUID strings (the media's id), Blob as
`{"$base64": "..."}` (standard base64 of its bytes) or null.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import decimal
import json
import uuid
from typing import Iterable, Optional

import attrs
import sqlalchemy as sa

from . import schema as sysschema
from .errors import DeployError, DeployUsageError
from .sync import layout, load_snapshots
from .tables import FieldDef, TableDef, column_type, default_value

__all__ = ["run", "insert_rows", "select_rows", "delete_rows", "Record", "record"]

INT32 = (-2147483648, 2147483647)


@attrs.frozen
class Column:
    field: FieldDef
    table: str                 # "base" | "ext"
    column: str                # the column's name in its table
    members: tuple = ()        # Option/Enum: (ordinal, name)


@attrs.frozen
class Record:
    """The merged record of one table on one tenant and company."""
    table: TableDef
    base: sa.Table
    ext: Optional[sa.Table]
    columns: tuple             # Column, base fields first
    key: tuple                 # the base key's column names
    ext_fields: tuple = ()     # (column, FieldDef) of every companion column but the key (installed or not)

    def column(self, name: str) -> Column:
        folded = name.casefold()
        for c in self.columns:
            if c.field.name.casefold() == folded:
                return c
        raise DeployUsageError(f"the table {self.table.name} has no field `{name}`"
                               " (among the fields of the apps installed on the tenant)")


def _sa_table(spec) -> sa.Table:
    return sa.Table(spec.name, sa.MetaData(schema=sysschema.TENANT_SCHEMA),
                    *[sa.Column(c.name, column_type(c.field), primary_key=c.ident in spec.key) for c in spec.columns])


def _enum_members(server, package_ids: Iterable[str], enum: str) -> tuple:
    """(ordinal, name) of an enum and its extensions among the installed packages."""
    from .packages import _decode
    out = []
    folded = enum.casefold()
    for pid in package_ids:
        rows = [r for r in server.source.objects(pid) if r[0] in ("enum", "enumextension")
                and (r[2] if r[0] == "enum" else (r[4] or "")).strip('"').casefold() == folded]
        if not rows:
            continue
        data = server.source.metadata(pid, [(r[0], r[1] or 0, r[2] or "") for r in rows])
        for kind, ident, name, namespace, target, _ in rows:
            obj = _decode(pid, {"kind": kind, "id": ident or None, "name": name or None, "namespace": namespace or None,
                                "target": target or None, "entry": ""}, data[(kind, ident or 0, name or "")])
            out.extend((v.id, v.name) for v in obj.values)
    return tuple(sorted(out))


def record(server, conn, state, table: str, company: Optional[str]) -> Record:
    """The merged record of ``table`` (a name or id) as the tenant sees it, in ``company``."""
    snapshots = load_snapshots(conn)
    installed = {a for a in state.installed}
    found = None
    for app_id, snap in snapshots.items():
        if app_id not in installed:
            continue
        for t in snap.tables:
            if str(t.id) == table.strip() or t.name.casefold() == table.strip().strip('"').casefold():
                found = (app_id, t)
    if found is None:
        raise DeployUsageError(f"no table `{table}` among the apps installed on the tenant")
    owner, t = found
    if t.per_company:
        if company is None:
            if len(state.companies) != 1:
                raise DeployUsageError(f"the table {t.name} is per company: give --company C")
            company = state.companies[0]
        if company not in state.companies:
            raise DeployUsageError(f"unknown company `{company}`")
    dialect = conn.dialect.name
    specs = layout({a: s for a, s in snapshots.items()}, [company] if company else [], dialect)
    base_spec = ext_spec = None
    for spec in specs.values():
        if spec.base is None and spec.columns and spec.columns[0].ident[:2] == (owner, t.id) and (
                not t.per_company or spec.label.startswith(_prefix(company))):
            base_spec = spec
        elif spec.base is not None and spec.key and spec.key[0][:2] == (owner, t.id):
            ext_spec = spec
    packages = [i.package_id for i in state.installed.values()]
    columns = []
    for c in base_spec.columns:
        columns.append(Column(c.field, "base", c.name, _members(server, packages, c.field)))
    if ext_spec is not None:
        for c in ext_spec.columns:
            if c.ident not in ext_spec.key and c.ident[0] in installed:
                columns.append(Column(c.field, "ext", c.name, _members(server, packages, c.field)))
    key = tuple(c.name for c in base_spec.columns if c.ident in base_spec.key)
    ext_fields = tuple((c.name, c.field) for c in ext_spec.columns if c.ident not in ext_spec.key) if ext_spec else ()
    return Record(t, _sa_table(base_spec), _sa_table(ext_spec) if ext_spec is not None else None, tuple(columns), key,
                  ext_fields)


def _prefix(company: Optional[str]) -> str:
    from .tables import sql_name
    return f"{sql_name(company)}$" if company else ""


def _members(server, packages, f: FieldDef) -> tuple:
    if f.type == "option":
        return tuple(enumerate(f.options))
    if f.type == "enum" and f.subtype:
        return _enum_members(server, packages, f.subtype)
    return ()


# ------------------------------------------------------------------ values --

def _bad(rec: Record, n: int, f: FieldDef, value, why: str) -> DeployError:
    error = DeployError("ALC0560", f"Row {n}: the value {json.dumps(value)} is not valid for the field '{f.name}' "
                        f"({f.type_text}) of table {rec.table.name}: {why}; nothing was written")
    error.why = why                                    # what --where reports
    return error


def to_db(rec: Record, n: int, c: Column, value):
    """A JSON value checked and converted for the field's column."""
    f = c.field
    t = f.type
    if t in ("code", "text", "dateformula", "tablefilter", "recordid"):
        if not isinstance(value, str):
            raise _bad(rec, n, f, value, "a string is expected")
        stored = value.strip().upper() if t == "code" else value
        if f.length is not None and len(stored) > f.length:
            raise _bad(rec, n, f, value, f"longer than {f.length} characters")
        return stored
    if t in ("integer", "biginteger", "duration"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad(rec, n, f, value, "an integer is expected")
        if t == "integer" and not INT32[0] <= value <= INT32[1]:
            raise _bad(rec, n, f, value, "out of the Integer range")
        return value
    if t == "decimal":
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise _bad(rec, n, f, value, "a number is expected")
        try:
            return decimal.Decimal(str(value))
        except decimal.InvalidOperation:
            raise _bad(rec, n, f, value, "a number is expected") from None
    if t == "boolean":
        if not isinstance(value, bool):
            raise _bad(rec, n, f, value, "true or false is expected")
        return value
    if t in ("option", "enum"):
        for ordinal, name in c.members:
            if isinstance(value, str) and name.casefold() == value.strip().casefold():
                return ordinal
        names = ", ".join(name for _, name in c.members)
        raise _bad(rec, n, f, value, f"one of {names} is expected")
    parse = {"date": (datetime.date.fromisoformat, "a date YYYY-MM-DD"),
             "time": (datetime.time.fromisoformat, "a time HH:MM:SS"),
             "datetime": (datetime.datetime.fromisoformat, "a date and time (ISO 8601)")}
    if t in parse:
        fn, what = parse[t]
        try:
            if not isinstance(value, str):
                raise ValueError
            return fn(value.replace("Z", "+00:00") if t == "datetime" else value)
        except ValueError:
            raise _bad(rec, n, f, value, f"{what} is expected") from None
    if t in ("guid", "media", "mediaset"):
        try:
            return str(uuid.UUID(str(value)))
        except ValueError:
            raise _bad(rec, n, f, value, "a GUID is expected") from None
    if t == "blob":
        return _blob(rec, n, f, value)
    raise _bad(rec, n, f, value, f"values of type {f.type_text} cannot be given in JSON")


def _blob(rec: Record, n: int, f: FieldDef, value) -> Optional[bytes]:
    """A Blob in JSON: `{"$base64": "..."}` (standard alphabet, padded), or null for no value."""
    if value is None:
        return None
    text = value.get("$base64") if isinstance(value, dict) and set(value) == {"$base64"} else None
    if not isinstance(text, str):
        raise _bad(rec, n, f, value, 'a Blob is {"$base64": "..."} or null')
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise _bad(rec, n, f, value, "not valid base64") from None


def to_json(c: Column, value):
    t = c.field.type
    if value is None:
        return None if t in ("blob", "date", "time", "datetime") else value
    if t in ("option", "enum"):
        return next((name for ordinal, name in c.members if ordinal == value), value)
    if t == "decimal":
        d = decimal.Decimal(str(value)).normalize()
        return int(d) if d == d.to_integral_value() else float(d)
    if t == "boolean":
        return bool(value)
    if t == "date":
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if t == "time":
        return value.strftime("%H:%M:%S") if hasattr(value, "strftime") else str(value)
    if t == "datetime":
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if t == "blob":
        return {"$base64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


# -------------------------------------------------------------- commands --

def _rows_of(rows) -> list:
    if isinstance(rows, dict) and "rows" in rows:
        rows = rows["rows"]
    if isinstance(rows, dict):
        rows = [rows]
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise DeployUsageError("rows must be a JSON object, a list of objects, or {\"rows\": [...]}")
    return rows


def insert_rows(rec: Record, conn, rows) -> int:
    """Insert every row (base and companion) or none: the number inserted."""
    rows = _rows_of(rows)
    base_rows, ext_rows = [], []
    seen = set()
    for n, row in enumerate(rows, start=1):
        values = {}
        for name, value in row.items():
            c = rec.column(name)
            values[c.column] = (c, to_db(rec, n, c, value))
        base = {c.column: (values[c.column][1] if c.column in values else _default(c))
                for c in rec.columns if c.table == "base"}
        key = tuple(base[k] for k in rec.key)
        if key in seen:
            raise _exists(rec, key)
        seen.add(key)
        base_rows.append(base)
        if rec.ext is not None:
            ext = {k: base[k] for k in rec.key}
            for name, f in rec.ext_fields:              # the uninstalled apps' columns get their defaults
                ext[name] = values[name][1] if name in values else _default(Column(f, "ext", name))
            ext_rows.append(ext)
    if rows:
        _check_absent(rec, conn, [tuple(r[k] for k in rec.key) for r in base_rows])
        conn.execute(sa.insert(rec.base), base_rows)
        if rec.ext is not None:
            conn.execute(sa.insert(rec.ext), ext_rows)
    return len(rows)


def _default(c: Column):
    value = default_value(c.field)
    if value is None:
        return None
    if c.field.type == "date" and isinstance(value, str):
        return datetime.date.fromisoformat(value)
    if c.field.type == "decimal":
        return decimal.Decimal(str(value))
    return value


def _exists(rec: Record, key: tuple) -> DeployError:
    fields = ",".join(f"{c.field.name}='{v}'" for c, v in zip([c for c in rec.columns if c.column in rec.key], key))
    return DeployError("ALC0561", f"The record in table {rec.table.name} already exists. Identification fields and "
                       f"values: {fields}")


def _check_absent(rec: Record, conn, keys: list) -> None:
    cols = [rec.base.c[k] for k in rec.key]
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        cond = sa.tuple_(*cols).in_(chunk) if len(cols) > 1 else cols[0].in_([k[0] for k in chunk])
        found = conn.execute(sa.select(*cols).where(cond).limit(1)).first()
        if found is not None:
            raise _exists(rec, tuple(found))


def _where(rec: Record, where: Iterable[str]):
    conds = []
    for n, item in enumerate(where, start=1):
        name, sep, value = item.partition("=")
        if not sep:
            raise DeployUsageError(f"--where takes FIELD=VALUE, not `{item}`")
        c = rec.column(name.strip())
        raw = value
        if c.field.type in ("integer", "biginteger", "duration"):
            try:
                raw = int(value)
            except ValueError:
                raise DeployUsageError(f"--where {item}: an integer is expected") from None
        elif c.field.type == "boolean":
            raw = value.strip().casefold() == "true"
        elif c.field.type == "decimal":
            raw = value
        table = rec.base if c.table == "base" else rec.ext
        try:
            conds.append(table.c[c.column] == to_db(rec, n, c, raw))
        except DeployError as exc:
            raise DeployUsageError(f"--where {item}: {getattr(exc, 'why', exc.message)}") from None
    return conds


def _joined(rec: Record):
    if rec.ext is None:
        return rec.base
    on = sa.and_(*[rec.base.c[k] == rec.ext.c[k] for k in rec.key])
    return rec.base.outerjoin(rec.ext, on)


def select_rows(rec: Record, conn, where: Iterable[str] = ()) -> list[dict]:
    cols = [(rec.base if c.table == "base" else rec.ext).c[c.column] for c in rec.columns]
    query = sa.select(*cols).select_from(_joined(rec)).where(*_where(rec, where)).order_by(
        *[rec.base.c[k] for k in rec.key])
    out = []
    for row in conn.execute(query):
        out.append({c.field.name: to_json(c, v) for c, v in zip(rec.columns, row)})
    return out


def delete_rows(rec: Record, conn, where: Iterable[str] = ()) -> int:
    conds = _where(rec, where)
    keys_q = sa.select(*[rec.base.c[k] for k in rec.key]).select_from(_joined(rec)).where(*conds)
    keys = [tuple(r) for r in conn.execute(keys_q)]
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        for table in [t for t in (rec.base, rec.ext) if t is not None]:
            cols = [table.c[k] for k in rec.key]
            cond = sa.tuple_(*cols).in_(chunk) if len(cols) > 1 else cols[0].in_([k[0] for k in chunk])
            conn.execute(sa.delete(table).where(cond))
    return len(keys)


def run(server, tenant: str, action: str, table: str, company: Optional[str] = None, rows=None,
        where: Iterable[str] = ()):
    """One data command in one transaction: insert (rows), select (where), delete (where)."""
    from .tenantdb import load_state
    row = server._mounted(tenant)
    write = action in ("insert", "delete")
    with server.store.begin(write, row.database) as conn:
        if write:
            server._tenant_row(tenant, conn, lock=True)
        state = load_state(conn)
        rec = record(server, conn, state, table, company)
        if action == "insert":
            return insert_rows(rec, conn, rows)
        if action == "delete":
            return delete_rows(rec, conn, where)
        return select_rows(rec, conn, where)
