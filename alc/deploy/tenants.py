"""Tenants: add (a copy of the template tenant database), remove, list, companies,
dismount, mount and Remove-NAVAppsForTenant.

A dismounted tenant keeps its database, with its installed list
(`NAV App Installed App`) and sync tracking; the application database
forgets which packages it runs (`NAV App Tenant App`). Mounting a tenant
database checks that every app in its installed list is published here,
with matching content (the content hash), visible to the tenant and
synchronized on it; the refusal names each app, in the platform's words.
"""

from __future__ import annotations

import sqlalchemy as sa

from typing import Iterable, Optional

from . import schema
from .catalog import load_catalog
from .errors import DeployError, DeployUsageError
from .model import DataVersion, Report, Step, TenantInfo, valid_tenant_name
from .tenantdb import installed_rows, load_state, register_installed, save_state
from .tenanttables import tenant_rows, write_rows

__all__ = ["add_tenant", "remove_tenant", "list_tenants", "add_company", "dismount", "mount", "remove_apps",
           "mount_problems"]


def dismount(server, tenant: str) -> Report:
    t = schema.tenants
    with server.store.begin(True) as conn:
        row = server._tenant_row(tenant, conn, lock=True)
        if row.state != "Mounted":
            raise DeployError("ALC0541", f"The tenant '{tenant}' is already dismounted")
        conn.execute(sa.delete(schema.tenant_app).where(schema.tenant_app.c["Tenant ID"] == tenant))
        conn.execute(sa.update(t).where(t.c["Tenant ID"] == tenant).values(State="Dismounted",
                                                                            Revision=row.revision + 1))
    where = server.store.tenant_location(row.database)
    return Report((Step("dismounted", tenant, f"Dismounted tenant {tenant}; its database is {where}"),))


def mount_problems(catalog, state, tenant: str) -> list[str]:
    """The installed apps that are not published here (by content), visible and synchronized."""
    problems = []
    for inst in sorted(state.installed.values(), key=lambda i: (i.name.casefold(), i.version)):
        matches = [a for a in catalog.apps if a.id == inst.app_id and a.version == inst.version
                   and a.content_hash == inst.content_hash and a.visible_to(tenant)]
        tracked = state.synced.get(inst.app_id)
        if not matches or tracked is None or tracked.version < inst.version:
            problems.append(f'"{inst.name}" by {inst.publisher}, version {inst.version}')
    return problems


def mount(server, tenant: str, source: str) -> Report:
    if not valid_tenant_name(tenant):
        raise DeployUsageError(f"not a tenant id: `{tenant}` (letters, digits, `_` and `-`)")
    t = schema.tenants
    with server.store.begin(False) as conn:
        existing = conn.execute(sa.select(t).where(t.c["Tenant ID"] == tenant)).mappings().first()
    if existing is not None and existing["State"] == "Mounted":
        raise DeployError("ALC0541", f"The tenant '{tenant}' is already mounted")
    database, rows = server.store.import_tenant_db(tenant, source)
    fresh = rows is not None or (server.store.backend == "sqlite" and database != f"{tenant}.db"
                                 and database != (existing["Database"] if existing is not None else None))
    committed = False
    try:
        with server.store.begin(True, database) as conn:
            now = conn.execute(sa.select(t).where(t.c["Tenant ID"] == tenant).with_for_update()).mappings().first()
            if now is not None and now["State"] == "Mounted":
                raise DeployError("ALC0541", f"The tenant '{tenant}' is already mounted")
            owner = conn.execute(sa.select(t.c["Tenant ID"]).where(t.c.Database == database,
                                                                   t.c["Tenant ID"] != tenant)).scalar()
            if owner is not None:
                raise DeployUsageError(f"{source} is the database of the tenant `{owner}`")
            if rows is not None:
                if server.store.backend != "sqlite":
                    server.store.create_tenant_tables(conn, database)
                for table in schema.TENANT.sorted_tables:
                    if rows.get(table.name):
                        conn.execute(sa.insert(table), rows[table.name])
                _copy_business_tables(conn, source, rows)
            try:
                state = load_state(conn)
            except sa.exc.SQLAlchemyError:
                raise DeployUsageError(f"not a tenant database: {source}") from None
            catalog = load_catalog(conn)
            problems = mount_problems(catalog, state, tenant)
            if problems:
                raise DeployError("ALC0540", f"The tenant {tenant} could not be mounted because the following "
                                  "installed NAV extensions are missing, matching content could not be found, or have "
                                  "a higher version than those that are published and synchronized: "
                                  + "; ".join(problems) + ".")
            values = {"State": "Mounted", "Database": database}
            if now is None:
                conn.execute(sa.insert(t).values({"Tenant ID": tenant, "Revision": 0, **values}))
            else:
                conn.execute(sa.update(t).where(t.c["Tenant ID"] == tenant)
                             .values(Revision=now["Revision"] + 1, **values))
            register_installed(conn, tenant, state.installed.values())
            if now is not None and now["Database"] != database and server.store.backend != "sqlite":
                server.store.drop_tenant_db(conn, now["Database"])  # the schema it had when dismounted
        committed = True
    finally:
        if not committed and fresh and server.store.backend == "sqlite":
            server.store.drop_tenant_db(None, database)
    if existing is not None and existing["Database"] != database and server.store.backend == "sqlite":
        server.store.drop_tenant_db(None, existing["Database"])
    steps = [Step("mounted", tenant, f"Mounted tenant {tenant} with {len(state.installed)} installed apps")]
    return Report(tuple(steps))


def _copy_business_tables(conn, source: str, rows: dict) -> None:
    """The apps' tables of a tenant from another backend, and their schema snapshots."""
    from .store import tenant_source
    from .sync import load_snapshots
    from .tables import snapshot_table
    from .transfer import copy_tables
    snapshots = rows.get(snapshot_table.name) or []
    load_snapshots(conn)                                   # makes the snapshot table
    if not snapshots:
        return
    conn.execute(sa.insert(snapshot_table), snapshots)
    companies = sorted(r["Name"] for r in rows.get(schema.company.name, ()))
    try:
        with tenant_source(source) as src:
            copy_tables(src, conn, snapshots, companies)
    except sa.exc.SQLAlchemyError as exc:
        if exc.connection_invalidated or getattr(exc, "orig", None) is None:
            raise
        raise DeployUsageError(f"cannot copy the tables of {source}: {str(exc.orig).splitlines()[0]}") from None


def remove_apps(server, tenant: str) -> Report:
    """Remove-NAVAppsForTenant: empties the installed list of a dismounted tenant (data stays)."""
    row = server._tenant_row(tenant)
    if row.state == "Mounted":
        raise DeployError("ALC0541", f"The tenant '{tenant}' is mounted; Remove-NAVAppsForTenant should be run against "
                          "tenants that are not mounted", help=f"alc server tenant dismount {tenant}")
    with server.store.begin(True, row.database) as conn:
        now = server._tenant_row(tenant, conn, lock=True)
        if now.state == "Mounted":
            raise DeployError("ALC0541", f"The tenant '{tenant}' is mounted")
        state = load_state(conn)
        data = dict(state.data)
        steps = []
        for inst in sorted(installed_rows(conn).values(), key=lambda i: i.name.casefold()):
            data[inst.app_id] = DataVersion(inst.app_id, inst.name, inst.publisher, inst.version, inst.package_id)
            steps.append(Step("removed", inst.label, f"Removed {inst.label} from tenant {tenant} (its data is kept)"))
        new = state.evolve(installed={}, data=data)
        server.source.bound = conn  # the package rows on this transaction's connection
        try:
            rows = tenant_rows(server, state, new)
        finally:
            server.source.bound = None
        save_state(conn, tenant, state, new, mounted=False)
        write_rows(conn, rows)
        from .archive import update as archive
        archive(conn, state, new)
        server._bump_tenant(conn, tenant, now.revision)
    return Report(tuple(steps))


def add_tenant(server, tenant: str, companies: Iterable[str] = ()) -> TenantInfo:
    """A new tenant: a copy of the template tenant database, mounted."""
    if not valid_tenant_name(tenant):
        raise DeployUsageError(f"not a tenant id: `{tenant}` (letters, digits, `_` and `-`, at most 63)")
    companies = _companies(companies)
    t = schema.tenants
    with server.store.begin(False) as conn:
        if conn.execute(sa.select(t.c["Tenant ID"]).where(t.c["Tenant ID"] == tenant)).first() is not None:
            raise DeployError("ALC0542", f"The tenant '{tenant}' already exists on this server")
    database = server.store.new_tenant_db(tenant)
    attach = database if server.store.backend == "sqlite" else None
    done = False
    try:
        _register_tenant(server, tenant, database, attach, companies)
        done = True
    except sa.exc.IntegrityError:  # another process added it meanwhile
        raise DeployError("ALC0542", f"The tenant '{tenant}' already exists on this server") from None
    finally:
        if not done and attach is not None:
            server.store.drop_tenant_db(None, database)
    return TenantInfo(tenant, "Mounted", 0, companies)


def _register_tenant(server, tenant: str, database: str, attach: Optional[str], companies: tuple) -> None:
    t = schema.tenants
    with server.store.begin(True, attach) as conn:
        if conn.execute(sa.select(t.c["Tenant ID"]).where(t.c["Tenant ID"] == tenant)).first() is not None:
            raise DeployError("ALC0542", f"The tenant '{tenant}' already exists on this server")
        server.store.create_tenant_tables(conn, database)
        conn.execute(sa.insert(t).values({"Tenant ID": tenant, "State": "Mounted", "Database": database,
                                          "Revision": 0}))
        if companies:
            tc = conn if attach else conn.execution_options(schema_translate_map={schema.TENANT_SCHEMA: database})
            tc.execute(sa.insert(schema.company), [{"Name": c} for c in companies])


def remove_tenant(server, tenant: str) -> None:
    """Remove a tenant and its database."""
    t = schema.tenants
    with server.store.begin(True) as conn:
        row = server._tenant_row(tenant, conn, lock=True)
        conn.execute(sa.delete(schema.tenant_app).where(schema.tenant_app.c["Tenant ID"] == tenant))
        conn.execute(sa.delete(t).where(t.c["Tenant ID"] == tenant))
        if server.store.backend != "sqlite":
            server.store.drop_tenant_db(conn, row.database)  # the schema, in the same transaction
    if server.store.backend == "sqlite":
        server.store.drop_tenant_db(None, row.database)      # the file, once the removal is committed


def list_tenants(server) -> list[TenantInfo]:
    t, ta = schema.tenants, schema.tenant_app
    with server.store.begin(False) as conn:
        counts = dict(conn.execute(sa.select(ta.c["Tenant ID"], sa.func.count())
                                   .group_by(ta.c["Tenant ID"])).all())
        rows = conn.execute(sa.select(t).order_by(t.c["Tenant ID"])).mappings().all()
    out = []
    for r in rows:
        out.append(TenantInfo(r["Tenant ID"], r["State"], counts.get(r["Tenant ID"], 0),
                              server.companies(r["Tenant ID"]) if r["State"] == "Mounted" else ()))
    return out


def add_company(server, tenant: str, company: str) -> None:
    (company,) = _companies([company])
    row = server._mounted(tenant)
    with server.store.begin(True, row.database) as conn:
        server._tenant_row(tenant, conn, lock=True)
        c = schema.company
        if conn.execute(sa.select(c.c.Name).where(c.c.Name == company)).first() is not None:
            raise DeployError("ALC0543", f"The company '{company}' already exists on the tenant '{tenant}'")
        conn.execute(sa.insert(c).values(Name=company))
        from .sync import create_company
        create_company(conn, company)                    # every synced app's tables for the new company
        server._bump_tenant(conn, tenant, server._tenant_row(tenant, conn).revision)


def _companies(companies: Iterable[str]) -> tuple[str, ...]:
    out = []
    for c in companies:
        if not c or not c.strip() or len(c) > 30:
            raise DeployUsageError(f"not a company name: `{c}` (1 to 30 characters)")
        if c in out:
            raise DeployUsageError(f"company `{c}` given twice")
        out.append(c)
    return tuple(out)
