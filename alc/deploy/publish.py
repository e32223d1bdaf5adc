"""Publish-NAVApp: the checks and the catalog rows.

A package is refused when its identity is taken (the same app id and
version, or the same publisher, name and version; a global app and a
per-tenant app sharing an id), when its runtime is newer than the server's
or, for a runtime package, it was made for another platform version, when a
dependency is not published (visible to that scope) at a high enough
version, when a global app would depend on a tenant-scope app, and when its
objects do not check against the published dependencies as a compile would
(unless ``skip_verification``).
"""

from __future__ import annotations

from typing import Optional

import sqlalchemy as sa

from ..appmodel import Version
from ..package.errors import PackageError
from ..package.reader import MANIFEST, Package, read_package
from . import schema
from .catalog import Catalog
from .errors import DeployError, DeployUsageError
from .model import PublishedApp
from .packages import content_hash, object_rows, verify_symbols
from .tenantdb import version_values

__all__ = ["order_uploads", "publish_checks", "insert_app", "delete_app", "verification_errors"]

MAX_NOTES = 20


def order_uploads(uploads: list) -> list:
    """Packages given together, dependencies first (ties by name, then version)."""
    by_id: dict = {}
    for package, data in uploads:
        by_id.setdefault(package.app.id, []).append((package, data))
    done: set = set()
    out: list = []

    def visit(item, chain: tuple) -> None:
        key = id(item[0])
        if key in done or key in chain:
            return
        for dep in item[0].app.dependencies:
            for other in sorted(by_id.get(dep.id, ()), key=lambda i: i[0].app.version):
                visit(other, chain + (key,))
        done.add(key)
        out.append(item)

    for item in sorted(uploads, key=lambda i: (i[0].app.name.casefold(), i[0].app.version)):
        visit(item, ())
    return out


def _identity(catalog: Catalog, app: PublishedApp) -> None:
    for other in catalog.apps:
        if other.scope != app.scope and other.id == app.id:
            raise DeployError("ALC0503", f"The extension {app.label} could not be deployed because it is already "
                              "deployed as a global application or a per tenant application.",
                              notes=(f"published: {other.label} ({other.scope} scope)",),
                              help="a global app and a per-tenant app cannot share an app id")
        same_place = other.scope == app.scope and (app.scope == "global" or other.tenant == app.tenant)
        if not same_place and not (other.scope == "global" or app.scope == "global"):
            continue
        if other.version != app.version:
            continue
        if other.id == app.id and same_place:
            raise DeployError("ALC0502", "This Extension cannot be published as it has the same App ID and Version as "
                              "a previously published Extension", notes=(f"published: {other.label}",))
        if (other.id != app.id and other.name.casefold() == app.name.casefold()
                and other.publisher.casefold() == app.publisher.casefold()):
            raise DeployError("ALC0502", "This Extension cannot be published as it has the same Publisher, Name, and "
                              "Version as a previously published Extension",
                              notes=(f"published: {other.label} (app id {other.id})",))


def _runtime(package: Package, platform: Version) -> None:
    from .server import server_runtime
    app = package.app
    server_rt = server_runtime(platform)
    if app.runtime:
        try:
            major, minor = (int(p) for p in app.runtime.split(".")[:2])
        except ValueError:
            major, minor = 0, 0
        if (major, minor) > server_rt:
            raise DeployError("ALC0504", f"The runtime version of the extension package is currently set to "
                              f"'{app.runtime}'. The runtime version must be set to '{server_rt[0]}.{server_rt[1]}' "
                              "or earlier in the app.json file in order to install the extension package on this "
                              "server.", notes=(f"extension {app.name} by {app.publisher} {app.version}; "
                                                f"server platform {platform}",))
    if app.platform is not None and app.platform > platform:
        raise DeployError("ALC0504", f"The extension {app.name} by {app.publisher} {app.version} requires platform "
                          f"{app.platform}; this server's platform is {platform}")
    rp = package.manifest.runtime_package
    if rp is not None and rp.platform is not None and rp.platform != platform:
        raise DeployError("ALC0504", f"The runtime package {app.name} by {app.publisher} {app.version} was made for "
                          f"platform {rp.platform}; this server's platform is {platform}. A runtime package works "
                          "only on the platform version it was made for.",
                          help="make a new runtime package on a server of this platform (alc server runtime-package)")


def _dependencies(catalog: Catalog, app: PublishedApp) -> list[PublishedApp]:
    """The published apps the dependencies resolve to (highest version at or above the minimum)."""
    resolved = []
    for dep in app.dependencies:
        best = catalog.best(dep, app.tenant, scope="global" if app.scope == "global" else None)
        if best is None and app.scope == "global":
            tenant_app = catalog.best(dep, None, scope=None) or next(
                (a for a in catalog.apps if a.id == dep.id and a.version >= dep.version), None)
            if tenant_app is not None:
                raise DeployError("ALC0503", f"The extension {app.label} cannot be published into the global scope "
                                  f"because it depends on '{tenant_app.name} by {tenant_app.publisher}', which is "
                                  "published into the tenant scope. An application published into the global scope "
                                  "cannot have dependencies on applications published into the tenant scope.")
        if best is None:
            raise DeployError("ALC0501", f"Extension compilation failed: A package with publisher '{dep.publisher}', "
                              f"name '{dep.name}', and a version compatible with '{dep.version}' could not be loaded. "
                              f"Symbols for the requested app {dep.name} by {dep.publisher} {dep.version} could not "
                              "be found in the database.", notes=(f"extension {app.label} (AL1024)",),
                              help="publish the dependency first, or both in one command")
        resolved.append(best)
    return resolved


def _propagates(server, app: PublishedApp) -> bool:
    from ..package.manifest import read_manifest
    return read_manifest(server.source.manifest(app.package_id)).app.propagate_dependencies


def verification_errors(server, conn, catalog: Catalog, app: PublishedApp, package: Package) -> list:
    """The package's objects checked against the published dependencies (and what they propagate)."""
    deps = _dependencies(catalog, app)
    seen = {d.package_id for d in deps}
    queue = list(deps)
    symbols = []
    while queue:
        dep = queue.pop(0)
        dep_symbols = server.cache.symbols(dep.package_id, server.source)
        symbols.append(dep_symbols)
        if _propagates(server, dep):
            for more in _dependencies(catalog, dep):
                if more.package_id not in seen:
                    seen.add(more.package_id)
                    queue.append(more)
    return verify_symbols(package, symbols)


def publish_checks(server, conn, catalog: Catalog, package: Package, data: bytes, scope: str,
                   tenant: Optional[str], platform: Version, skip_verification: bool) -> tuple:
    """Every publish rule: the PublishedApp to insert, and the package read with its
    symbols when the check read it (else None)."""
    a = package.app
    rp = package.manifest.runtime_package
    app = PublishedApp(str(package.package_id), a.id, a.name, a.publisher, a.version, scope,
                       tenant if scope == "tenant" else None, rp is not None,
                       str(rp.platform) if rp is not None and rp.platform is not None else None,
                       package.has_source, content_hash(data), a.runtime or "", a.dependencies)
    if app.package_id in catalog.by_package:
        other = catalog.by_package[app.package_id]
        raise DeployError("ALC0502", f"An app with package ID '{app.package_id}' is already published"
                          + (f" for tenant '{other.tenant}'" if other.tenant else ""),
                          notes=(f"published: {other.label}",))
    _identity(catalog, app)
    _runtime(package, platform)
    _dependencies(catalog, app)
    checked = None
    # An app without dependencies compiled on its own: nothing published can change what its names resolve to.
    if not skip_verification and app.dependencies:
        try:
            package = checked = read_package(data)
        except PackageError as exc:
            raise DeployUsageError(str(exc)) from None
        try:
            errors = verification_errors(server, conn, catalog, app, package)
        except PackageError as exc:
            raise DeployUsageError(f"a published package is damaged: {exc}") from None
        if errors:
            notes = [f"{d.code}: {d.message}" for d in errors[:MAX_NOTES]]
            if len(errors) > MAX_NOTES:
                notes.append(f"... and {len(errors) - MAX_NOTES} more")
            raise DeployError("ALC0505", f"Extension compilation failed: {app.label} does not compile against the "
                              f"published apps: {errors[0].code}: {errors[0].message}"
                              + (f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""), notes=notes)
    return app, checked


def insert_app(conn, app: PublishedApp, package: Package, data: bytes, now: str) -> None:
    pid = app.package_id
    conn.execute(sa.insert(schema.nav_app).values({
        "Package ID": pid, "ID": app.id, "Name": app.name, "Publisher": app.publisher, **version_values(app.version),
        "Package Type": "Extension", "Published As": app.published_as, "Tenant ID": app.tenant or "",
        "Runtime Package": app.runtime_package, "Runtime Platform": app.runtime_platform or "",
        "Has Source": app.has_source, "Runtime": app.runtime, "Content Hash": app.content_hash,
        "Hash Algorithm": "SHA256", "Published On": now, "Manifest": package.read(MANIFEST), "Blob": data}))
    deps = {}
    for d in app.dependencies:
        deps.setdefault(d.id, d)
    if deps:
        conn.execute(sa.insert(schema.dependencies), [
            {"Package ID": pid, "Dependency App ID": d.id, "Dependency Name": d.name,
             "Dependency Publisher": d.publisher, **version_values(d.version)} for d in deps.values()])
    caps = sorted(set(package.manifest.capabilities))
    if caps:
        conn.execute(sa.insert(schema.capabilities), [{"Package ID": pid, "Capability ID": c} for c in caps])
    prereqs = {}
    for p in package.manifest.prerequisites:
        prereqs.setdefault((p.object_type, p.name), p)
    if prereqs:
        conn.execute(sa.insert(schema.prerequisites), [
            {"Package ID": pid, "Type": p.object_type, "Name": p.name, "ID": p.id} for p in prereqs.values()])
    rows = object_rows(package)
    seen = set()
    unique = []
    for r in rows:
        key = (r["Object Type"], r["Object ID"], r["Object Name"])
        if key not in seen:
            seen.add(key)
            unique.append({"Package ID": pid, **r})
    if unique:
        conn.execute(sa.insert(schema.object_metadata), unique)
    perms = [n for n in package.entries if n.startswith("perm/") and n.casefold().endswith(".xml")]
    if perms:  # legacy XML permission sets: read at install without fetching the package
        conn.execute(sa.insert(schema.resource), [{"Package ID": pid, "Type": "PermissionSet", "Name": n,
                                                   "Content": package.read(n)} for n in perms])


def delete_app(conn, package_id: str) -> None:
    for table in (schema.object_metadata, schema.resource, schema.prerequisites, schema.capabilities,
                  schema.dependencies, schema.nav_app):
        conn.execute(sa.delete(table).where(table.c["Package ID"] == package_id))
