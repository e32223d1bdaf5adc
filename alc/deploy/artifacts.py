"""Get-NAVAppRuntimePackage and Repair-NAVApp.

A runtime package is made from the published package, for this server's
platform: the same entries without `src/` (unless ``include_source``), the
manifest marked as a runtime package of the server's platform (alc's own
runtime format, APP-FORMAT.md §1.4: NAVX header and a zip, never Microsoft's
encrypted `.NEA`). A license file limits the object ids it may hold.

Repair checks a published app again against what is published now (the
highest published version of each dependency): it needs the app's source,
so a runtime package without source is refused.
"""

from __future__ import annotations

import json
from typing import Optional

import attrs

from ..package.container import CONTENT_TYPES, app_bytes, write_bytes
from ..package.manifest import RuntimePackageInfo, write_manifest
from ..package.reader import MANIFEST
from .catalog import parse_version
from .errors import DeployError, DeployUsageError
from .model import Report, Step

__all__ = ["runtime_package", "repair", "read_license"]


def read_license(path: str) -> list:
    """The licensed ranges: ``{"ranges": [{"from": 50000, "to": 99999, "type": "table"?}]}``
    (the format `alc compile --runtime --license` reads)."""
    try:
        with open(path, "rb") as f:
            data = json.loads(f.read().decode("utf-8-sig"))
        ranges = data["ranges"] if isinstance(data, dict) else data
        return [(int(r["from"]), int(r["to"]), (r.get("type") or "").lower() or None) for r in ranges]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DeployUsageError(f"cannot read license file `{path}`: {exc}") from None


def runtime_package(server, name: str, version, out: str, license: Optional[str] = None,
                    include_source: bool = False) -> Report:
    version = parse_version(version)
    if version is None:
        raise DeployUsageError("runtime-package needs --version V")
    app = server._catalog().find(name, version)
    package = server.cache.package(app.package_id, server._fetch)
    if include_source and not package.has_source:
        raise DeployError("ALC0550", f"The published package of {app.label} has no source to include")
    if license:
        ranges = read_license(license)
        outside = [o for o in package.symbols.objects() if o.id is not None
                   and not any(lo <= o.id <= hi and (kind is None or kind == o.kind) for lo, hi, kind in ranges)]
        if outside:
            names = ", ".join(f"{o.kind} {o.id} `{o.name}`" for o in outside[:10])
            raise DeployError("ALC0552", f"The runtime package of {app.label} cannot be made: objects outside the "
                              f"licensed ranges: {names}"
                              + (f" and {len(outside) - 10} more" if len(outside) > 10 else ""))
    runtime = RuntimePackageInfo(platform=server.platform, includes_source=include_source)
    manifest = attrs.evolve(package.manifest, runtime_package=runtime)
    entries = {}
    for entry in package.entries:
        if entry == CONTENT_TYPES or (entry.casefold().startswith("src/") and not include_source):
            continue
        entries[entry] = write_manifest(manifest) if entry == MANIFEST else package.read(entry)
    data = app_bytes(entries)
    try:
        write_bytes(out, data)
    except OSError as exc:
        raise DeployUsageError(f"cannot write {out}: {exc.strerror or exc}") from None
    source = "with source" if include_source else "without source"
    return Report((Step("runtime-package", app.label, f"Wrote the runtime package of {app.label} for platform "
                        f"{server.platform} ({source}) to {out}"),))


def repair(server, name: str, version=None) -> Report:
    from .publish import verification_errors
    version = parse_version(version)
    with server.store.begin(False) as conn:
        from .catalog import load_catalog
        catalog = load_catalog(conn)
        app = catalog.find(name, version)
        if not app.has_source:
            raise DeployError("ALC0550", f"Cannot repair {app.label}: it is published as a runtime package without "
                              "source; make a new runtime package for this platform instead")
        package = server.cache.package(app.package_id, lambda pid: server._fetch(pid, conn))
        from .publish import _dependencies
        deps = _dependencies(catalog, app)
        errors = verification_errors(server, conn, catalog, app, package)
    if errors:
        raise DeployError("ALC0551", f"Cannot repair {app.label}: it does not compile against the apps published now: "
                          f"{errors[0].code}: {errors[0].message}"
                          + (f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""),
                          notes=[f"{d.code}: {d.message}" for d in errors[:20]])
    against = ", ".join(d.label for d in deps) or "no dependencies"
    return Report((Step("repaired", app.label, f"Repaired {app.label}: it compiles against {against}"),))
