"""What an uninstall keeps: `NAV App Data Archive`, and the rows `--do-not-save-data` deletes.

Business Central keeps an uninstalled extension's tables, columns and rows where
they are (DEPLOY.md §4.2); alc records them in `NAV App Data Archive`, one row
per app, table and company (`Table ID` of the app's table, or of the base table
whose companion holds the app's fields; `Company Name` empty for a table not per
company; `Archive Table Name` the table that holds the data; `Metadata` the
table's schema as JSON; the version of the data). Installing the app again (the
same version, or an upgrade) or cleaning its schema removes its rows there. An
uninstall with ``--do-not-save-data`` deletes the app's rows (and resets its
columns in companion tables to their defaults) and keeps the schema.
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from . import schema as sysschema
from .model import Step
from .sync import _Ddl, load_snapshots
from .tables import companion_name, default_value, fit, table_name
from .tenantdb import version_values

__all__ = ["update"]


def _places(snap, companies, dialect: str, tables_of: dict):
    """(table id, company or '', physical name, kind, metadata) of every table holding the app's data."""
    for t in snap.tables:
        for company in (companies if t.per_company else [None]):
            yield t.id, company or "", fit(table_name(company, t.name, snap.app_id), dialect), "table", t.to_json()
    for p in snap.parts:
        base = tables_of.get(p.key)
        per_company = base.per_company if base is not None else True
        for company in (companies if per_company else [None]):
            yield (p.table_id, company or "", fit(companion_name(company, p.table, p.owner), dialect), "ext",
                   p.to_json())


def update(conn, old_state, new_state) -> list[Step]:
    """Archive rows for the apps this command uninstalled with their data, delete the rows of
    those uninstalled without it, and forget the archive of apps installed again or cleaned."""
    uninstalled = [a for a in old_state.installed if a not in new_state.installed]
    back = [a for a in new_state.installed if a not in old_state.installed]
    cleaned = [a for a in old_state.synced if a not in new_state.synced]
    if not uninstalled and not back and not cleaned:
        return []
    arch = sysschema.data_archive
    for app_id in back + cleaned + uninstalled:
        conn.execute(sa.delete(arch).where(arch.c["App ID"] == app_id))
    ddl = _Ddl(conn)
    snapshots = load_snapshots(conn)
    tables_of = {(a, t.id): t for a, s in snapshots.items() for t in s.tables}
    companies = list(new_state.companies)
    steps: list[Step] = []
    for app_id in uninstalled:
        snap = snapshots.get(app_id)
        if snap is None or app_id not in new_state.synced:
            continue
        old = old_state.installed[app_id]
        if app_id in new_state.data:
            rows = [{"App ID": app_id, "Table ID": tid, "Company Name": company, **version_values(old.version),
                     "Archive Table Name": name[:128], "Metadata": json.dumps(meta, sort_keys=True).encode("utf-8"),
                     "Table Blob Version": 0}
                    for tid, company, name, _kind, meta in _places(snap, companies, ddl.dialect, tables_of)]
            if rows:
                conn.execute(sa.insert(arch), rows)
            continue
        for _tid, _company, name, kind, meta in _places(snap, companies, ddl.dialect, tables_of):
            if kind == "table":
                n = ddl.count(name)
                conn.exec_driver_sql(f"DELETE FROM {ddl.qualified(name)}")
                steps.append(Step("data-deleted", old.label, f"Deleted {n} rows of table `{name}`"))
            else:
                _reset_columns(conn, ddl, name, snap.part((meta["owner"], meta["table_id"])), app_id)
    return steps


def _reset_columns(conn, ddl: _Ddl, table: str, part, app_id: str) -> None:
    from .tables import ext_column
    sets = []
    for f in part.fields:
        if not f.has_column:
            continue
        value = default_value(f)
        col = ddl.q(fit(ext_column(f.name, app_id), ddl.dialect))
        if value is None:
            sets.append(f"{col} = NULL")
        elif isinstance(value, bool):
            sets.append(f"{col} = {'true' if value else 'false'}" if ddl.dialect == "postgresql"
                        else f"{col} = {int(value)}")
        elif isinstance(value, (int, float)):
            sets.append(f"{col} = {value!r}")
        else:
            sets.append(f"{col} = '" + str(value).replace("'", "''") + "'")
    if sets:
        conn.exec_driver_sql(f"UPDATE {ddl.qualified(table)} SET {', '.join(sets)}")
