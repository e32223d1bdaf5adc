"""The server: one application database and its tenants, and the commands on them.

Every state change is one database transaction. Tenant commands read the
catalog and the tenant's state, compute the new state with the pure rules
(:mod:`alc.deploy.rules`; the merge check runs here, outside any write
lock), then write the difference in one write transaction after checking
that neither the catalog nor the tenant changed meanwhile (their revision
numbers); when one did, the command starts over. So two processes on one
tenant are serialized without lost updates, and different tenants compute
in parallel.
"""

from __future__ import annotations

import datetime
from typing import Callable, Iterable, Optional, Sequence

import attrs
import sqlalchemy as sa

from ..appmodel import Version
from . import schema
from .catalog import Catalog, load_catalog, parse_version
from .errors import DeployError, DeployUsageError
from .model import (SCOPES, SYNC_MODES, AppInfo, PublishedApp, Report, Step, TenantInfo, TenantState,
                    valid_tenant_name)
from .packages import PackageCache
from .rows import DbSource
from .store import Store, open_store
from .tenantdb import load_state, save_state
from .tenanttables import tenant_rows, write_rows

__all__ = ["Server", "open_server", "DEFAULT_PLATFORM", "server_runtime"]

DEFAULT_PLATFORM = Version(29, 0, 0, 0)
"""The platform of runtime 18.0 (Business Central 2026 release wave 2), the newest runtime alc knows."""
CATALOG = "Catalog Revision"
MAX_RETRIES = 50


def server_runtime(platform: Version) -> tuple[int, int]:
    """The AL runtime a platform version ships: runtime N.x is Business Central N+11
    (runtime 14.0 is 25.0, 2024 release wave 2).

    >>> server_runtime(Version(26, 0, 0, 0))
    (15, 0)
    """
    return (platform.major - 11, platform.minor)


def open_server(db: str, *, create: bool = True, platform: Optional[Version] = None) -> "Server":
    """The server whose state is in ``db`` (a folder, or a postgresql:// URL); the
    database is created (with ``platform``) when it does not exist and ``create``. An
    existing database keeps its platform: another ``platform`` is refused (ALC0545)."""
    store = open_store(db)
    server = Server(store, db)
    if not store.exists():
        if not create:
            raise DeployUsageError(f"no server database at {db} (create one with `alc server init`)")
        server.init(platform)
        return server
    server.upgrade_schema()
    if platform is not None:
        server.init(platform)
    return server


@attrs.frozen
class _TenantRow:
    tenant: str
    state: str
    database: str
    revision: int


class Server:
    def __init__(self, store: Store, db: str = ""):
        self.store = store
        self.db = db
        self.cache = PackageCache()
        self.source = DbSource(store)
        self._platform: Optional[Version] = None

    def close(self) -> None:
        self.source.close()
        self.store.dispose()

    # ---------------------------------------------------------------- init --
    def init(self, platform: Optional[Version] = None) -> Version:
        """Create the application database (and the template tenant database)."""
        if self.store.exists():
            current = self.platform
            if platform is not None and platform != current:
                raise DeployError("ALC0545", f"The server database already exists with platform {current}; "
                                  f"it cannot be changed to {platform}")
            return current
        platform = platform or DEFAULT_PLATFORM
        self.store.create()
        with self.store.begin(True) as conn:
            existing = {r[0] for r in conn.execute(sa.select(schema.dbproperty.c.Key))}
            for key, value in (("Platform", str(platform)), ("Schema Version", str(schema.SCHEMA_VERSION)),
                               (CATALOG, "0")):
                if key not in existing:
                    conn.execute(sa.insert(schema.dbproperty).values(Key=key, Value=value))
        self._platform = None
        return self.platform

    def upgrade_schema(self) -> None:
        """Bring a database made by an earlier alc to this alc's system tables (those added since
        its `Schema Version`, in one transaction); a database of a later alc is refused."""
        def version(conn) -> int:
            value = conn.execute(sa.select(schema.dbproperty.c.Value)
                                 .where(schema.dbproperty.c.Key == "Schema Version")).scalar()
            if value is None or not str(value).isascii() or not str(value).isdigit() or len(str(value)) > 6:
                raise DeployUsageError(f"not a server database of alc: {self.db} (its schema version is {value!r})")
            return int(value)

        with self.store.begin(False) as conn:
            current = version(conn)
        if current == schema.SCHEMA_VERSION:
            return
        if current > schema.SCHEMA_VERSION:
            raise DeployUsageError(f"the server database {self.db} has schema version {current}, made by a later "
                                   f"alc; this alc knows versions up to {schema.SCHEMA_VERSION}")
        with self.store.begin(True) as conn:
            if version(conn) < schema.SCHEMA_VERSION:     # another process may have done it meanwhile
                schema.APP.create_all(conn)                # checkfirst: only the tables that are missing
                conn.execute(sa.update(schema.dbproperty).where(schema.dbproperty.c.Key == "Schema Version")
                             .values(Value=str(schema.SCHEMA_VERSION)))

    @property
    def platform(self) -> Version:
        if self._platform is None:
            with self.store.begin(False) as conn:
                value = conn.execute(sa.select(schema.dbproperty.c.Value)
                                     .where(schema.dbproperty.c.Key == "Platform")).scalar()
            self._platform = Version.parse(value)
        return self._platform

    # ------------------------------------------------------------- helpers --
    def _fetch(self, package_id: str, conn=None) -> bytes:
        query = sa.select(schema.nav_app.c.Blob).where(schema.nav_app.c["Package ID"] == package_id)
        if conn is not None:
            data = conn.execute(query).scalar()
        else:
            with self.store.begin(False) as c:
                data = c.execute(query).scalar()
        if data is None:
            raise DeployUsageError(f"the package {package_id} is no longer published")
        return bytes(data)

    def _codeunit_rows(self, package_id: str) -> list:
        m = schema.object_metadata
        return [bytes(r[0]) for r in self.source._rows(
            sa.select(m.c.Metadata).where(m.c["Package ID"] == package_id, m.c["Object Type"] == "codeunit",
                                          m.c["Object Subtype"] != "")) if r[0] is not None]

    def _catalog(self) -> Catalog:
        with self.store.begin(False) as conn:
            return load_catalog(conn)

    @staticmethod
    def _catalog_revision(conn, lock: Optional[str] = None) -> int:
        q = sa.select(schema.dbproperty.c.Value).where(schema.dbproperty.c.Key == CATALOG)
        if lock == "update":
            q = q.with_for_update()
        elif lock == "share":
            q = q.with_for_update(read=True)
        return int(conn.execute(q).scalar() or 0)

    @staticmethod
    def _bump_catalog(conn) -> None:
        rev = Server._catalog_revision(conn, "update")
        conn.execute(sa.update(schema.dbproperty).where(schema.dbproperty.c.Key == CATALOG)
                     .values(Value=str(rev + 1)))

    def _tenant_row(self, tenant: str, conn=None, lock: bool = False) -> _TenantRow:
        if not valid_tenant_name(tenant):
            raise DeployUsageError(f"not a tenant id: `{tenant}` (letters, digits, `_` and `-`)")
        t = schema.tenants
        q = sa.select(t).where(t.c["Tenant ID"] == tenant)
        if lock:
            q = q.with_for_update()
        if conn is None:
            with self.store.begin(False) as c:
                row = c.execute(q).mappings().first()
        else:
            row = conn.execute(q).mappings().first()
        if row is None:
            raise DeployUsageError(f"unknown tenant `{tenant}`")
        return _TenantRow(row["Tenant ID"], row["State"], row["Database"], row["Revision"])

    def _mounted(self, tenant: str) -> _TenantRow:
        row = self._tenant_row(tenant)
        if row.state != "Mounted":
            raise DeployError("ALC0541", f"The tenant '{tenant}' is not mounted (state {row.state}); mount it first",
                              help=f"alc server tenant mount {tenant} --from PATH")
        return row

    def _read_tenant(self, row: _TenantRow) -> tuple[Catalog, TenantState, int]:
        with self.store.begin(False, row.database) as conn:
            # The revision first: under PostgreSQL's read committed each statement sees the latest
            # commits, so a catalog change after this read shows as a newer revision at the write.
            revision = self._catalog_revision(conn)
            catalog = load_catalog(conn)
            state = load_state(conn)
        return catalog, state, revision

    def _change_tenant(self, tenant: str, compute: Callable[[Catalog, TenantState], tuple],
                       mode: str = "add") -> Report:
        """Read, compute (outside any write lock), then write the difference if nothing
        changed meanwhile; else start over. The tables of the apps synced or cleaned
        follow in the same transaction (:func:`alc.deploy.sync.apply`, in sync ``mode``)."""
        from .archive import update as archive
        from .sync import apply as sync_schema
        for _ in range(MAX_RETRIES):
            row = self._mounted(tenant)
            catalog, state, catalog_rev = self._read_tenant(row)
            new_state, report = compute(catalog, state)
            if new_state == state:
                return report
            rows = tenant_rows(self, state, new_state)
            with self.store.begin(True, row.database) as conn:
                now = self._tenant_row(tenant, conn, lock=True)
                if now != row or self._catalog_revision(conn, "share") != catalog_rev:
                    continue
                save_state(conn, tenant, state, new_state)
                write_rows(conn, rows)
                schema_steps = sync_schema(self, conn, catalog, state, new_state, mode)
                schema_steps += archive(conn, state, new_state)
                self._bump_tenant(conn, tenant, row.revision)
            return _with_schema_steps(report + Report(warnings=rows.warnings), schema_steps)
        raise DeployUsageError(f"the tenant `{tenant}` kept changing while this command ran; try again")

    @staticmethod
    def _bump_tenant(conn, tenant: str, revision: int) -> None:
        t = schema.tenants
        conn.execute(sa.update(t).where(t.c["Tenant ID"] == tenant).values(Revision=revision + 1))

    def _env(self, tenant: str) -> "_Env":
        return _Env(self, tenant)

    # ------------------------------------------------------------- publish --
    def publish(self, paths: Sequence[str], scope: str = "global", tenant: Optional[str] = None,
                skip_verification: bool = False) -> list[AppInfo]:
        """Publish-NAVApp: several packages at once are published in dependency order,
        in one transaction; a refusal publishes none of them."""
        from .packages import read_upload
        from .publish import order_uploads
        if scope not in SCOPES:
            raise DeployUsageError(f"--scope must be global or tenant, not `{scope}`")
        if scope == "tenant" and not tenant:
            raise DeployUsageError("--scope tenant needs --tenant T")
        if scope == "global" and tenant:
            raise DeployUsageError("--tenant goes with --scope tenant (a global app is visible to every tenant)")
        if not paths:
            raise DeployUsageError("no package to publish")
        uploads = order_uploads([read_upload(p) for p in paths])
        platform = self.platform
        published = []
        with self.store.begin(True) as conn:
            if tenant:
                self._tenant_row(tenant, conn)
            self._bump_catalog(conn)
            catalog = load_catalog(conn)
            self.source.bound = conn
            try:
                self._publish_all(conn, catalog, uploads, scope, tenant, platform, skip_verification, published)
            finally:
                self.source.bound = None
        return [AppInfo(a) for a in published]

    def _publish_all(self, conn, catalog, uploads, scope, tenant, platform, skip_verification, published) -> None:
        from .publish import insert_app, publish_checks
        for package, data in uploads:
            app, checked = publish_checks(self, conn, catalog, package, data, scope, tenant, platform,
                                          skip_verification)
            insert_app(conn, app, package, data, _now())
            if checked is not None:  # read with its symbols: dependents in this batch check against them
                self.cache.remember(app.package_id, checked)
            catalog = Catalog(catalog.apps + (app,))
            published.append(app)

    def unpublish(self, name: str, version=None, tenant: Optional[str] = None) -> Report:
        """Unpublish-NAVApp: refused while installed on any tenant or needed by another published app.
        ``tenant`` picks a tenant-scope app of that tenant (the same app id and version may be
        published for several tenants)."""
        from .publish import delete_app
        version = parse_version(version)
        with self.store.begin(True) as conn:
            self._bump_catalog(conn)
            catalog = load_catalog(conn)
            if tenant is not None:
                self._tenant_row(tenant, conn)
                catalog_for = Catalog(a for a in catalog.apps if a.scope == "tenant" and a.tenant == tenant)
                app = catalog_for.find(name, version)
            else:
                app = catalog.find(name, version)
            ta = schema.tenant_app
            users = sorted({r[0] for r in conn.execute(sa.select(ta.c["Tenant ID"])
                                                       .where(ta.c["Package ID"] == app.package_id))})
            if users:
                raise DeployError("ALC0506", "The Extension cannot be unpublished because it is in use by the "
                                  f"following tenants: {', '.join(users)}", notes=(f"extension {app.label}",),
                                  help="uninstall it from these tenants first")
            needs = catalog.dependents(app)
            if needs:
                raise DeployError("ALC0507", "The Extension cannot be unpublished because it is required by the "
                                  f"following apps: {', '.join(a.label for a in needs)}",
                                  notes=(f"extension {app.label}",), help="unpublish the dependent apps first")
            delete_app(conn, app.package_id)
        return Report((Step("unpublished", app.label, f"Unpublished {app.label} (tenant data is kept)"),))

    # ------------------------------------------------------------- tenants --
    def add_tenant(self, tenant: str, companies: Iterable[str] = ()) -> TenantInfo:
        """A new tenant: a copy of the template tenant database, mounted, with ``companies``."""
        from .tenants import add_tenant
        return add_tenant(self, tenant, companies)

    def remove_tenant(self, tenant: str) -> None:
        """Remove a tenant and its database."""
        from .tenants import remove_tenant
        remove_tenant(self, tenant)

    def tenants(self) -> list[TenantInfo]:
        from .tenants import list_tenants
        return list_tenants(self)

    def add_company(self, tenant: str, company: str) -> None:
        from .tenants import add_company
        add_company(self, tenant, company)

    def companies(self, tenant: str) -> list[str]:
        row = self._tenant_row(tenant)
        with self.store.begin(False, row.database) as conn:
            c = schema.company
            return [r[0] for r in conn.execute(sa.select(c.c.Name).order_by(c.c.Name))]

    # ----------------------------------------------------------- lifecycle --
    def install(self, name: str, tenant: str, version=None, dependencies: bool = True,
                policy: str = "strict") -> Report:
        """Install-NAVApp (dependencies first, Add-mode sync, prerequisites, conflict check)."""
        from . import rules
        version = parse_version(version)
        _policy(policy)

        def compute(catalog: Catalog, state: TenantState):
            app = catalog.find(name, version, tenant)
            return rules.install(self._env(tenant), catalog, tenant, state, app, dependencies=dependencies,
                                 policy=policy)
        return self._change_tenant(tenant, compute)

    def upgrade(self, name: str, version, tenant: str, policy: str = "strict") -> Report:
        """Start-NAVAppDataUpgrade to ``version``."""
        from . import rules
        version = parse_version(version)
        if version is None:
            raise DeployUsageError("upgrade needs --version V")
        _policy(policy)

        def compute(catalog: Catalog, state: TenantState):
            app = catalog.find(name, version, tenant)
            return rules.upgrade(self._env(tenant), catalog, tenant, state, app, policy=policy)
        return self._change_tenant(tenant, compute)

    def uninstall(self, name: str, tenant: str, force: bool = False, save_data: bool = True,
                  clear_schema: bool = False) -> Report:
        """Uninstall-NAVApp (data kept); ``force`` uninstalls the dependents first;
        ``save_data=False`` deletes the rows (schema kept); ``clear_schema`` drops the tables
        of the app and of the synced apps that depend on it."""
        from . import rules

        def compute(catalog: Catalog, state: TenantState):
            app_id, label = _app_on_tenant(catalog, state, name, tenant)
            return rules.uninstall(catalog, tenant, state, app_id, label, force=force, save_data=save_data,
                                   clear_schema=clear_schema)
        return self._change_tenant(tenant, compute)

    def sync(self, name: str, tenant: str, mode: str = "add", version=None) -> Report:
        """Sync-NAVApp: records the synced version (Add, Development, ForceSync) or
        forgets every version (Clean)."""
        from . import rules
        mode = (mode or "add").lower().replace("-", "")
        if mode not in SYNC_MODES:
            raise DeployUsageError(f"--mode must be one of {', '.join(SYNC_MODES)}, not `{mode}`")
        version = parse_version(version)

        def compute(catalog: Catalog, state: TenantState):
            if mode == "clean":
                app_id, label = _app_on_tenant(catalog, state, name, tenant, any_state=True)
                return rules.sync_clean(tenant, state, app_id, label)
            app = catalog.find(name, version, tenant)
            return rules.sync_app(catalog, tenant, state, app, mode)
        return self._change_tenant(tenant, compute, mode)

    # --------------------------------------------------------------- views --
    def info(self, name: Optional[str] = None, tenant: Optional[str] = None) -> list[AppInfo]:
        """Get-NAVAppInfo: published app versions sorted by name then version; with a
        tenant, those visible to it with their per-tenant properties."""
        if tenant is None:
            catalog = self._catalog()
            apps = catalog.matching(name) if name else list(catalog.apps)
            if name and not apps:
                raise DeployUsageError(f"Cannot find the extension '{name}' because it's not published")
            return [AppInfo(a) for a in apps]
        row = self._tenant_row(tenant)
        catalog, state, _ = self._read_tenant(row)
        apps = [a for a in (catalog.matching(name) if name else catalog.apps) if a.visible_to(tenant)]
        gone = _installed_unpublished(catalog, state, tenant, name)
        if name and not apps and not gone:
            raise DeployUsageError(f"Cannot find the extension '{name}' because it's not published for tenant "
                                   f"'{tenant}'")
        out = []
        for a in apps + gone:
            inst = state.installed.get(a.id)
            tracked = state.synced.get(a.id)
            data = state.data_version(a.id)
            out.append(AppInfo(a, tenant, synced=tracked is not None and tracked.version == a.version,
                               installed=inst is not None and inst.package_id == a.package_id,
                               data_version=data, published=a.package_id in catalog.by_package))
        return sorted(out, key=lambda i: (i.app.name.casefold(), i.app.version, not i.published))

    def info_json(self, name: Optional[str] = None, tenant: Optional[str] = None) -> dict:
        return {"apps": [i.to_json() for i in self.info(name, tenant)]}


    def allobj(self, tenant: str) -> list:
        """AllObj: the objects of the tenant's installed packages, each with its `App Package ID`."""
        from .views import allobj
        return allobj(self, tenant)

    def allobj_json(self, tenant: str) -> dict:
        return {"objects": [o.to_json() for o in self.allobj(tenant)]}

    def merged(self, kind_and_key: str, tenant: str, fmt: str = "al"):
        """An object as the tenant sees it (base plus installed extensions): AL text, or JSON with ``fmt="json"``."""
        from .views import merged
        return merged(self, kind_and_key, tenant, fmt)

    def permissions(self, name: str, out: Optional[str] = None, version=None) -> bytes:
        """Export-NAVAppPermissionSet: the XML; written to ``out`` when given."""
        from .views import permissions_xml
        data = permissions_xml(self, name, version)
        if out is not None:
            from ..package.container import write_bytes
            try:
                write_bytes(out, data)
            except OSError as exc:
                raise DeployUsageError(f"cannot write {out}: {exc.strerror or exc}") from None
        return data

    # ------------------------------------------------------------ packages --
    def runtime_package(self, name: str, version, out: str, license: Optional[str] = None,
                        include_source: bool = False) -> Report:
        """Get-NAVAppRuntimePackage: the runtime package of a published app for this platform."""
        from .artifacts import runtime_package
        return runtime_package(self, name, version, out, license, include_source)

    def repair(self, name: str, version=None) -> Report:
        """Repair-NAVApp: check the published app again against what is published now."""
        from .artifacts import repair
        return repair(self, name, version)

    # ------------------------------------------------------ mount/dismount --
    def dismount_tenant(self, tenant: str) -> Report:
        from .tenants import dismount
        return dismount(self, tenant)

    def mount_tenant(self, tenant: str, source: str) -> Report:
        from .tenants import mount
        return mount(self, tenant, source)

    def remove_apps(self, tenant: str) -> Report:
        """Remove-NAVAppsForTenant, for a dismounted tenant."""
        from .tenants import remove_apps
        return remove_apps(self, tenant)


class _Env:
    """What the rules need of package content, for one tenant."""

    def __init__(self, server: Server, tenant: str):
        self.server = server
        self.tenant = tenant

    def check_merge(self, apps, new, policy: str) -> list[str]:
        from .check import check_install
        return check_install(self.server, self.tenant, apps, new, policy)

    def codeunits(self, app: PublishedApp) -> tuple:
        return self.server.cache.codeunits(app.package_id, self.server._codeunit_rows)


def _app_on_tenant(catalog: Catalog, state: TenantState, name: str, tenant: str,
                   any_state: bool = False) -> tuple[str, str]:
    """The app id and label of ``name`` as the tenant knows it (installed first)."""
    from ..appmodel import normalize_guid
    key = name.strip()
    try:
        guid = normalize_guid(key)
    except ValueError:
        guid = None
    rows = list(state.installed.values())
    if any_state:
        rows += list(state.synced.values()) + list(state.data.values())
    for r in rows:
        if r.app_id == guid or r.name.casefold() == key.casefold():
            return r.app_id, f"{r.name} by {r.publisher} {r.version}"
    found = catalog.matching(name)
    if not found:
        raise DeployUsageError(f"Cannot find the extension '{name}' because it's not published")
    ids = {a.id for a in found}
    if len(ids) > 1:
        raise DeployUsageError(f"'{name}' names {len(ids)} different apps; give the app id")
    a = found[-1]
    return a.id, f"{a.name} by {a.publisher}"


def _installed_unpublished(catalog: Catalog, state: TenantState, tenant: str, name: Optional[str]) -> list:
    """Apps installed on the tenant whose package is not published here (a tenant mounted
    from elsewhere can have them), as far as its installed row describes them."""
    from ..appmodel import normalize_guid
    try:
        guid = normalize_guid(name.strip()) if name else None
    except ValueError:
        guid = None
    out = []
    for i in state.installed.values():
        if i.package_id in catalog.by_package:
            continue
        if name and i.app_id != guid and i.name.casefold() != name.strip().casefold():
            continue
        scope = "global" if i.published_as == "Global" else "tenant"
        out.append(PublishedApp(i.package_id, i.app_id, i.name, i.publisher, i.version, scope,
                                tenant if scope == "tenant" else None, content_hash=i.content_hash))
    return out


def _with_schema_steps(report: Report, steps: list) -> Report:
    """The schema sync's steps after the last `synced`/`cleaned` step of the report."""
    if not steps:
        return report
    at = max((i + 1 for i, s in enumerate(report.steps) if s.action in ("synced", "cleaned")), default=0)
    return attrs.evolve(report, steps=report.steps[:at] + tuple(steps) + report.steps[at:])


def _policy(policy: str) -> None:
    if policy not in ("strict", "last-wins"):
        raise DeployUsageError(f"--policy must be strict or last-wins, not `{policy}`")


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

