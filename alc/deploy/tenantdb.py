"""Reading a tenant's state from its database and writing the difference back.

The tenant tables (schema ``tenant``) are those of the tenant's own database;
`NAV App Tenant App` in the application database mirrors the installed list
of mounted tenants (the platform's servers watch it)."""

from __future__ import annotations

from typing import Optional

import sqlalchemy as sa

from ..appmodel import Version
from . import schema
from .model import DataVersion, Installed, TenantState, Tracking

__all__ = ["load_state", "save_state", "installed_rows", "version_values", "register_installed"]


def version_values(v: Version, prefix: str = "Version") -> dict:
    return {f"{prefix} Major": v.major, f"{prefix} Minor": v.minor, f"{prefix} Build": v.build,
            f"{prefix} Revision": v.revision}


def _v(row) -> Version:
    return Version(row["Version Major"], row["Version Minor"], row["Version Build"], row["Version Revision"])


def _parse(text: str) -> Optional[Version]:
    try:
        return Version.parse(text) if text else None
    except ValueError:
        return None


def installed_rows(conn) -> dict[str, Installed]:
    out = {}
    for r in conn.execute(sa.select(schema.installed_app)).mappings():
        out[r["App ID"]] = Installed(r["App ID"], r["Package ID"], r["Name"], r["Publisher"], _v(r),
                                     r["Content Hash"], r["Published As"])
    return out


def load_state(conn) -> TenantState:
    synced = {}
    for r in conn.execute(sa.select(schema.schema_tracking)).mappings():
        version = _parse(r["version"])
        if version is not None:
            synced[r["appid"]] = Tracking(r["appid"], r["name"], r["publisher"], version,
                                          _parse(r["baselineversion"]), r["packageid"])
    data = {}
    for r in conn.execute(sa.select(schema.uninstalled_app)).mappings():
        version = _parse(r["version"])
        if version is not None:
            data[r["appid"]] = DataVersion(r["appid"], r["name"], r["publisher"], version, r["packageid"])
    companies = [r[0] for r in conn.execute(sa.select(schema.company.c.Name).order_by(schema.company.c.Name))]
    return TenantState(installed_rows(conn), synced, data, companies)


def _installed_values(i: Installed) -> dict:
    return {"App ID": i.app_id, "Package ID": i.package_id, "Name": i.name, "Publisher": i.publisher,
            **version_values(i.version), "Content Hash": i.content_hash, "Hash Algorithm": "SHA256",
            "Extension Type": "ModernDev", "Published As": i.published_as}


def _tracking_values(t: Tracking) -> dict:
    return {"appid": t.app_id, "name": t.name, "publisher": t.publisher, "version": str(t.version),
            "baselineversion": str(t.baseline) if t.baseline is not None else "", "packageid": t.package_id}


def _data_values(d: DataVersion) -> dict:
    return {"appid": d.app_id, "name": d.name, "publisher": d.publisher, "version": str(d.version),
            "packageid": d.package_id}


def _sync_rows(conn, table, key: str, old: dict, new: dict, values) -> None:
    column = table.c[key]
    for k in sorted(set(old) | set(new)):
        if old.get(k) == new.get(k):
            continue
        if k in old:
            conn.execute(sa.delete(table).where(column == k))
        if k in new:
            conn.execute(sa.insert(table).values(**values(new[k])))


def save_state(conn, tenant: str, old: TenantState, new: TenantState, mounted: bool = True) -> None:
    """Write what changed from ``old`` to ``new`` (tenant tables and, for a mounted
    tenant, `NAV App Tenant App`)."""
    _sync_rows(conn, schema.installed_app, "App ID", dict(old.installed), dict(new.installed), _installed_values)
    _sync_rows(conn, schema.schema_tracking, "appid", dict(old.synced), dict(new.synced), _tracking_values)
    _sync_rows(conn, schema.uninstalled_app, "appid", dict(old.data), dict(new.data), _data_values)
    for name in sorted(set(new.companies) - set(old.companies)):
        conn.execute(sa.insert(schema.company).values(Name=name))
    if mounted:
        ta = schema.tenant_app
        for app_id in sorted(set(old.installed) | set(new.installed)):
            before, after = old.installed.get(app_id), new.installed.get(app_id)
            if before is not None and (after is None or after.package_id != before.package_id):
                conn.execute(sa.delete(ta).where(ta.c["Tenant ID"] == tenant, ta.c["Package ID"] == before.package_id))
            if after is not None and (before is None or after.package_id != before.package_id):
                conn.execute(sa.insert(ta).values({"Tenant ID": tenant, "Package ID": after.package_id,
                                                   "App ID": app_id}))


def register_installed(conn, tenant: str, installed) -> None:
    """`NAV App Tenant App` rows of a tenant being mounted."""
    rows = [{"Tenant ID": tenant, "Package ID": i.package_id, "App ID": i.app_id} for i in installed]
    if rows:
        conn.execute(sa.insert(schema.tenant_app), rows)
