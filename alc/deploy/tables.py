"""The per-tenant table layout: an app's schema, as the platform lays it out in SQL.

An app's schema comes from its compiled metadata (the IR of each table and
table extension, one `NAV App Object Metadata` row per object):
:func:`app_schema`. A table of an app becomes one table per company,
``<Company>$<Table>$<app id>`` (one table ``<Table>$<app id>`` when
``DataPerCompany = false``); the fields that table extensions add to a base
table go into one companion table per base table and company,
``<Company>$<Table>$<owner app id>$ext``, keyed by the base table's primary
key, one column ``<Field>$<extension app id>`` per field (Business Central's
layout since version 23, DEPLOY.md §4.4). Characters SQL names do not take
(``."\\/'%][``) become ``_``. FlowFields, FlowFilters and disabled fields get
no column; a field with ``ObsoleteState = Removed`` keeps its column.
PostgreSQL names are at most 63 bytes: a longer name is shortened with a hash
of the whole name (:func:`fit`).

A :class:`Snapshot` is an app's schema as synced on a tenant, with each table
extension resolved to the app and id of the table it extends; the tenant keeps
one per app (`$ndo$navappschemasnapshot`, as the platform) and the tables
that exist are exactly those the snapshots describe, for each company.

>>> table_name("CRONUS USA, Inc.", "Sales Header", "437dbf0e-84ff-417a-965d-ed2bb9650972")
'CRONUS USA, Inc_$Sales Header$437dbf0e-84ff-417a-965d-ed2bb9650972'
>>> sql_name("No.")
'No_'
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Iterable, Optional

import attrs
import sqlalchemy as sa

from . import schema as sysschema
from .errors import DeployUsageError

__all__ = ["FieldDef", "TableDef", "ExtDef", "AppSchema", "Snapshot", "ExtPart", "app_schema", "schema_of_objects",
           "sql_name", "table_name", "companion_name", "ext_column", "fit", "snapshot_table", "SNAPSHOTS",
           "column_type", "resolve", "field_def", "TYPES"]

_ILLEGAL = re.compile(r"[.\"\\/'%\]\[]")
PG_MAX = 63

SNAPSHOTS = sa.MetaData(schema=sysschema.TENANT_SCHEMA)
snapshot_table = sa.Table(
    "$ndo$navappschemasnapshot", SNAPSHOTS,
    sa.Column("appid", sysschema.GUID, primary_key=True),
    sa.Column("name", sa.String(250), nullable=False),
    sa.Column("version", sa.String(43), nullable=False),       # the version last synced
    sa.Column("packageid", sysschema.GUID, nullable=False),
    sa.Column("snapshot", sa.LargeBinary, nullable=False),     # the Snapshot as JSON
)

# AL types that make a column, by storage (Option and Enum store their ordinal).
TYPES = ("code", "text", "integer", "biginteger", "decimal", "boolean", "date", "time", "datetime", "guid",
         "option", "enum", "blob", "media", "mediaset", "dateformula", "duration", "recordid", "tablefilter")


def sql_name(text: str) -> str:
    """A name as SQL Server names it: ``."\\/'%][`` become ``_``."""
    return _ILLEGAL.sub("_", text)


def table_name(company: Optional[str], table: str, app_id: str) -> str:
    """`<Company>$<Table>$<app id>`, or `<Table>$<app id>` for a table not per company."""
    base = f"{sql_name(table)}${app_id}"
    return f"{sql_name(company)}${base}" if company is not None else base


def companion_name(company: Optional[str], table: str, owner_app_id: str) -> str:
    """`<Company>$<Table>$<owner app id>$ext`: the table extensions' fields of one base table."""
    return table_name(company, table, owner_app_id) + "$ext"


def ext_column(field: str, ext_app_id: str) -> str:
    """`<Field>$<extension app id>`: a table extension's field in the companion table."""
    return f"{sql_name(field)}${ext_app_id}"


def fit(name: str, dialect: str) -> str:
    """The name as the database holds it: PostgreSQL's identifiers are at most 63 bytes,
    so a longer name keeps its start and ends with a hash of the whole name.

    >>> fit("x" * 70, "sqlite") == "x" * 70, len(fit("x" * 70, "postgresql"))
    (True, 63)
    """
    if dialect != "postgresql" or len(name.encode("utf-8")) <= PG_MAX:
        return name
    tail = "~" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]
    head = name.encode("utf-8")[:PG_MAX - len(tail)].decode("utf-8", "ignore")
    return head + tail


# ----------------------------------------------------------------- model --

@attrs.frozen
class FieldDef:
    """A table field as the sync engine sees it."""
    id: int
    name: str
    type: str                                  # the AL type, lowercase (code, text, integer, ...)
    length: Optional[int] = None               # Code[n], Text[n]
    field_class: str = "Normal"                # Normal | FlowField | FlowFilter
    enabled: bool = True
    obsolete: str = ""                         # ObsoleteState: Pending, Removed, ...
    init: Optional[str] = None                 # InitValue as written
    options: tuple = ()                        # Option members (name per ordinal)
    subtype: Optional[str] = None              # the enum of an Enum field

    @property
    def has_column(self) -> bool:
        return self.field_class == "Normal" and self.enabled and self.type in TYPES

    @property
    def type_text(self) -> str:
        """`Code[20]`, `Integer`, `Enum "X"`: for messages."""
        word = {t: t.capitalize() for t in TYPES}
        word.update(biginteger="BigInteger", datetime="DateTime", mediaset="MediaSet", dateformula="DateFormula",
                    recordid="RecordId", tablefilter="TableFilter")
        text = word.get(self.type, self.type)
        if self.length is not None:
            text += f"[{self.length}]"
        if self.subtype:
            text += f' "{self.subtype}"'
        return text

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "type": self.type, "length": self.length,
                "field_class": self.field_class, "enabled": self.enabled, "obsolete": self.obsolete,
                "init": self.init, "options": list(self.options), "subtype": self.subtype}

    @classmethod
    def from_json(cls, d: dict) -> "FieldDef":
        return cls(d["id"], d["name"], d["type"], d.get("length"), d.get("field_class", "Normal"),
                   d.get("enabled", True), d.get("obsolete", ""), d.get("init"), tuple(d.get("options") or ()),
                   d.get("subtype"))


@attrs.frozen
class TableDef:
    id: int
    name: str
    per_company: bool = True
    fields: tuple = ()                         # FieldDef
    key: tuple = ()                            # primary-key field names

    def field(self, name: str) -> Optional[FieldDef]:
        folded = name.casefold()
        return next((f for f in self.fields if f.name.casefold() == folded), None)

    def key_fields(self) -> tuple:
        return tuple(f for f in (self.field(n) for n in self.key) if f is not None)

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "per_company": self.per_company,
                "fields": [f.to_json() for f in self.fields], "key": list(self.key)}

    @classmethod
    def from_json(cls, d: dict) -> "TableDef":
        return cls(d["id"], d["name"], d["per_company"], tuple(FieldDef.from_json(f) for f in d["fields"]),
                   tuple(d["key"]))


@attrs.frozen
class ExtDef:
    """A table extension: the fields it adds to the table it extends (``target``, as written)."""
    id: int
    name: str
    target: str
    fields: tuple = ()


@attrs.frozen
class AppSchema:
    """The tables and table extensions of one app version."""
    app_id: str
    tables: tuple = ()                         # TableDef
    extensions: tuple = ()                     # ExtDef


@attrs.frozen
class ExtPart:
    """The fields one app adds to one base table (from one or more table extensions)."""
    owner: str                                 # the app id of the base table
    table_id: int
    table: str                                 # the base table's name
    extension: str                             # the table extension's name (for messages)
    fields: tuple = ()

    @property
    def key(self) -> tuple:
        return (self.owner, self.table_id)

    def to_json(self) -> dict:
        return {"owner": self.owner, "table_id": self.table_id, "table": self.table, "extension": self.extension,
                "fields": [f.to_json() for f in self.fields]}

    @classmethod
    def from_json(cls, d: dict) -> "ExtPart":
        return cls(d["owner"], d["table_id"], d["table"], d["extension"],
                   tuple(FieldDef.from_json(f) for f in d["fields"]))


@attrs.frozen
class Snapshot:
    """An app's schema as synced on a tenant: its tables by id and its extension parts
    by base table (owner app id, table id)."""
    app_id: str
    tables: tuple = ()                         # TableDef, by id
    parts: tuple = ()                          # ExtPart, by key

    def table(self, table_id: int) -> Optional[TableDef]:
        return next((t for t in self.tables if t.id == table_id), None)

    def part(self, key: tuple) -> Optional[ExtPart]:
        return next((p for p in self.parts if p.key == key), None)

    def dumps(self) -> bytes:
        return json.dumps({"app_id": self.app_id, "tables": [t.to_json() for t in self.tables],
                           "parts": [p.to_json() for p in self.parts]}, sort_keys=True).encode("utf-8")

    @classmethod
    def loads(cls, data: bytes) -> "Snapshot":
        d = json.loads(bytes(data).decode("utf-8"))
        return cls(d["app_id"], tuple(TableDef.from_json(t) for t in d["tables"]),
                   tuple(ExtPart.from_json(p) for p in d["parts"]))


# ------------------------------------------------------- from the IR --

def _prop(props: Iterable, name: str):
    folded = name.casefold()
    for p in props:
        if p.name.casefold() == folded:
            return p.value
    return None


def _word(value) -> Optional[str]:
    """A property's single value as text: `FlowField`, `false`, `'X'`, `20240101D`."""
    single = getattr(value, "single", None)
    if single is None:
        return None
    v = getattr(single, "value", None)
    if isinstance(v, bool):
        return "true" if v else "false"
    return None if v is None else str(v)


def _int(expr) -> Optional[int]:
    v = getattr(expr, "value", None)
    try:
        return int(v) if v is not None else None
    except (TypeError, ValueError):
        return None


def field_def(f) -> FieldDef:
    """The FieldDef of an IR TableField."""
    props = f.properties
    t = f.type
    kind = t.name.casefold()
    options: tuple = ()
    if kind == "option":
        members = _prop(props, "OptionMembers")
        items = getattr(members, "items", ()) if members is not None else t.options
        options = tuple((getattr(i, "value", None) or "") if i is not None else "" for i in items)
    cls = _word(_prop(props, "FieldClass")) or "Normal"
    enabled = (_word(_prop(props, "Enabled")) or "true").casefold() != "false"
    return FieldDef(f.id, f.name, kind, _int(t.length) if kind in ("code", "text") else None,
                    {"flowfield": "FlowField", "flowfilter": "FlowFilter"}.get(cls.casefold(), "Normal"), enabled,
                    _word(_prop(props, "ObsoleteState")) or "", _word(_prop(props, "InitValue")), options,
                    t.subtype if kind == "enum" else None)


def _table_def(obj) -> Optional[TableDef]:
    table_type = (_word(_prop(obj.properties, "TableType")) or "Normal").casefold()
    if table_type != "normal":
        return None                                        # temporary, CRM, external tables: no SQL table
    per_company = (_word(_prop(obj.properties, "DataPerCompany")) or "true").casefold() != "false"
    fields = tuple(field_def(f) for f in obj.fields if hasattr(f, "type"))
    key = tuple(obj.keys[0].fields) if obj.keys else ((fields[0].name,) if fields else ())
    return TableDef(obj.id, obj.name, per_company, fields, key)


def schema_of_objects(app_id: str, objects: Iterable) -> AppSchema:
    """The AppSchema of IR objects (tables and table extensions; others are ignored)."""
    tables, exts = [], []
    for obj in objects:
        if obj.kind == "table":
            t = _table_def(obj)
            if t is not None:
                tables.append(t)
        elif obj.kind == "tableextension":
            fields = tuple(field_def(f) for f in obj.fields if hasattr(f, "type") and hasattr(f, "id"))
            exts.append(ExtDef(obj.id, obj.name, obj.target, fields))
    return AppSchema(app_id, tuple(sorted(tables, key=lambda t: t.id)), tuple(sorted(exts, key=lambda e: e.id)))


def app_schema(server, package_id: str) -> AppSchema:
    """The schema of a published package, from its `NAV App Object Metadata` rows (kept per process)."""
    cache = server.__dict__.setdefault("_app_schemas", {})
    found = cache.get(package_id)
    if found is not None:
        return found
    from .packages import _decode
    src = server.source
    rows = [r for r in src.objects(package_id) if r[0] in ("table", "tableextension")]
    keys = [(kind, ident or 0, name or "") for kind, ident, name, *_ in rows]
    data = src.metadata(package_id, keys) if keys else {}
    objects = []
    for (kind, ident, name, namespace, target, _moves), key in zip(rows, keys):
        blob = data.get(key)
        if blob is None:
            raise DeployUsageError(f"the package {package_id} has no metadata for {kind} `{name}`")
        objects.append(_decode(package_id, {"kind": kind, "id": ident or None, "name": name or None,
                                            "namespace": namespace or None, "target": target or None,
                                            "entry": ""}, blob))
    app_id = _app_id(server, package_id)
    found = cache[package_id] = schema_of_objects(app_id, objects)
    return found


def _app_id(server, package_id: str) -> str:
    t = sysschema.nav_app
    rows = server.source._rows(sa.select(t.c.ID).where(t.c["Package ID"] == package_id))
    if not rows:
        raise DeployUsageError(f"the package {package_id} is no longer published")
    return rows[0][0]


def _target_key(name: str) -> str:
    """A table extension's target compared without quotes or namespace, case-insensitively."""
    name = name.strip().strip('"')
    return name.rsplit(".", 1)[-1].strip('"').casefold() if '"' not in name else name.casefold()


def resolve(schema: AppSchema, others: Iterable[Snapshot]) -> tuple[Snapshot, list]:
    """The Snapshot of ``schema`` with each table extension resolved to the table it
    extends among ``others`` (the snapshots synced on the tenant); and the extensions
    whose table was not found (ExtDef)."""
    tables = {}
    for s in others:
        for t in s.tables:
            tables.setdefault(t.name.casefold(), (s.app_id, t))
    parts: dict = {}
    missing = []
    for e in schema.extensions:
        target = e.target.strip().strip('"')
        found = tables.get(target.casefold()) or tables.get(_target_key(e.target))
        if found is None:
            missing.append(e)
            continue
        owner, table = found
        key = (owner, table.id)
        prev = parts.get(key)
        if prev is None:
            parts[key] = ExtPart(owner, table.id, table.name, e.name, e.fields)
        else:
            parts[key] = attrs.evolve(prev, fields=prev.fields + e.fields)
    return Snapshot(schema.app_id, schema.tables, tuple(parts[k] for k in sorted(parts))), missing


# ---------------------------------------------------------------- SQL --

_DECIMAL = sa.Numeric(38, 20)


def column_type(f: FieldDef):
    """The SQLAlchemy type of a field's column.

    >>> str(column_type(FieldDef(1, "No.", "code", 20)))
    'VARCHAR(20)'
    """
    t = f.type
    if t in ("code", "text"):
        return sa.String(f.length) if f.length else sa.Text()
    return {"integer": sa.Integer(), "option": sa.Integer(), "enum": sa.Integer(), "biginteger": sa.BigInteger(),
            "duration": sa.BigInteger(), "decimal": _DECIMAL, "boolean": sa.Boolean(), "date": sa.Date(),
            "time": sa.Time(), "datetime": sa.DateTime(), "guid": sa.String(36), "media": sa.String(36),
            "mediaset": sa.String(36), "blob": sa.LargeBinary(), "dateformula": sa.String(32),
            "recordid": sa.String(250), "tablefilter": sa.Text()}[t]


_EMPTY_GUID = "00000000-0000-0000-0000-000000000000"


def default_value(f: FieldDef):
    """The value a new row (and an existing row, when the column is added) gets: the
    field's InitValue when it has one, else the type's blank value (None for
    Date/Time/DateTime 0D and Blob)."""
    t = f.type
    init = f.init
    if init is not None:
        value = _init_value(f, init)
        if value is not None:
            return value
    if t in ("code", "text", "dateformula", "recordid", "tablefilter"):
        return ""
    if t in ("integer", "option", "enum", "biginteger", "duration", "decimal"):
        return 0
    if t == "boolean":
        return False
    if t in ("guid", "media", "mediaset"):
        return _EMPTY_GUID
    return None


def _init_value(f: FieldDef, init: str):
    t = f.type
    try:
        if t in ("code", "text"):
            return init.upper() if t == "code" else init
        if t in ("integer", "biginteger", "duration"):
            return int(init.rstrip("L"))
        if t == "decimal":
            return float(init)
        if t == "boolean":
            return init.casefold() == "true"
        if t == "option":
            folded = [o.casefold() for o in f.options]
            return folded.index(init.casefold()) if init.casefold() in folded else None
        if t == "date" and re.fullmatch(r"\d{8}D", init):
            return f"{init[0:4]}-{init[4:6]}-{init[6:8]}"
    except ValueError:
        return None
    return None


def server_default(f: FieldDef):
    """The column's DEFAULT clause (what existing rows get when the column is added)."""
    value = default_value(f)
    if value is None:
        return None
    if isinstance(value, bool):
        return sa.true() if value else sa.false()
    if isinstance(value, (int, float)):
        return sa.text(repr(value))
    return str(value)


def make_column(name: str, f: FieldDef, primary_key: bool = False) -> sa.Column:
    default = server_default(f)
    return sa.Column(name, column_type(f), primary_key=primary_key, nullable=default is None and not primary_key,
                     server_default=default, autoincrement=False)
