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

import bisect
from typing import Optional

import attrs

from ..budget import SMALL_JSON, loads as budget_loads
from ..output import output_problem
from ..package.container import CONTENT_TYPES, app_bytes, write_bytes
from ..package.errors import PackageError
from ..package.manifest import RuntimePackageInfo, write_manifest
from ..package.reader import MANIFEST
from ..source import read_problem, read_regular
from .catalog import parse_version
from .errors import DeployError, DeployUsageError
from .model import Report, Step

__all__ = ["runtime_package", "repair", "read_license", "outside_ranges"]


def read_license(path: str) -> list:
    """The licensed ranges: ``{"ranges": [{"from": 50000, "to": 99999, "type": "table"?}]}``
    (the format `alc compile --runtime --license` reads), as (from, to, kind or None).
    Only a regular file is read, within the budget of small JSON files; DeployUsageError
    naming the file and the first thing wrong."""
    try:
        data = budget_loads(read_regular(path, SMALL_JSON.max_size), SMALL_JSON, "the license file")
    except OSError as exc:
        raise DeployUsageError(f"cannot read license file `{path}`: {read_problem(exc)}") from None
    except ValueError as exc:   # BudgetError (over the budget, not UTF-8, not JSON), or a NUL in the path
        raise DeployUsageError(f"cannot read license file `{path}`: {exc}") from None
    ranges = data.get("ranges") if isinstance(data, dict) else data
    if not isinstance(ranges, list):
        raise DeployUsageError(f"cannot read license file `{path}`: `ranges` must be an array")
    out = []
    for i, r in enumerate(ranges):
        if not isinstance(r, dict):
            raise DeployUsageError(f"cannot read license file `{path}`: `ranges[{i}]` must be an object")
        low, high, kind = _id(r, "from", i, path), _id(r, "to", i, path), r.get("type")
        if kind is not None and not isinstance(kind, str):
            raise DeployUsageError(f"cannot read license file `{path}`: `ranges[{i}].type` must be a string")
        out.append((low, high, (kind.lower() or None) if kind else None))
    return out


def _id(r: dict, key: str, i: int, path: str) -> int:
    """An object id of a range: an integer, or a string of at most 18 ASCII digits."""
    value = r.get(key)
    if isinstance(value, str) and value.strip().isascii() and value.strip().lstrip("-").isdigit() \
            and len(value.strip()) <= 18:
        value = int(value)
    if type(value) is not int:
        raise DeployUsageError(f"cannot read license file `{path}`: `ranges[{i}].{key}` must be an integer")
    return value


def outside_ranges(objects: list, ranges: list) -> list:
    """The objects (index rows: kind, id, name) whose id no range of their kind (or of any kind) holds;
    the ranges are merged and searched by bisection, so a license of many ranges costs n log m.

    >>> rows = [{"kind": "table", "id": 5, "name": "A"}, {"kind": "page", "id": 5, "name": "B"}]
    >>> [o["name"] for o in outside_ranges(rows, [(1, 9, "table"), (20, 30, None)])]
    ['B']
    """
    by_kind: dict = {}
    for low, high, kind in ranges:
        by_kind.setdefault(kind, []).append((low, high))
    merged = {kind: _merged(spans) for kind, spans in by_kind.items()}
    return [o for o in objects if o.get("id") is not None and o["kind"] != "dotnet"
            and not (_holds(merged.get(None), o["id"]) or _holds(merged.get(o["kind"]), o["id"]))]


def _merged(spans: list) -> tuple:
    out: list = []
    for low, high in sorted(s for s in spans if s[0] <= s[1]):
        if out and low <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], high)
        else:
            out.append([low, high])
    return tuple(lo for lo, _ in out), tuple(hi for _, hi in out)


def _holds(spans: Optional[tuple], value: int) -> bool:
    if not spans:
        return False
    at = bisect.bisect_right(spans[0], value) - 1
    return at >= 0 and value <= spans[1][at]


def runtime_package(server, name: str, version, out: str, license: Optional[str] = None,
                    include_source: bool = False) -> Report:
    version = parse_version(version)
    if version is None:
        raise DeployUsageError("runtime-package needs --version V")
    problem = output_problem(out)   # before any work: one message, nothing written
    if problem:
        raise DeployUsageError(f"cannot write `{out}`: {problem}")
    app = server._catalog().find(name, version)
    try:
        data = _runtime_bytes(server, app, license, include_source)
    except PackageError as exc:
        raise DeployUsageError(f"a published package is damaged: {exc}") from None
    try:
        write_bytes(out, data)
    except (OSError, PackageError) as exc:
        raise DeployUsageError(f"cannot write `{out}`: {getattr(exc, 'message', None) or exc}") from None
    source = "with source" if include_source else "without source"
    return Report((Step("runtime-package", app.label, f"Wrote the runtime package of {app.label} for platform "
                        f"{server.platform} ({source}) to {out}"),))


def _runtime_bytes(server, app, license: Optional[str], include_source: bool) -> bytes:
    package = server.cache.package(app.package_id, server._fetch, symbols=False)
    if include_source and not package.has_source:
        raise DeployError("ALC0550", f"The published package of {app.label} has no source to include")
    if license:
        ranges = read_license(license)
        objects = (package.metadata_index() if package.has_metadata else
                   [{"kind": o["type"], "id": o["id"], "name": o["name"]}
                    for o in server.cache.package(app.package_id, server._fetch).objects()])
        outside = outside_ranges(objects, ranges)
        if outside:
            names = ", ".join(f"{o['kind']} {o['id']} `{o['name']}`" for o in outside[:10])
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
    return app_bytes(entries)


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
        try:
            errors = verification_errors(server, conn, catalog, app, package)
        except PackageError as exc:
            raise DeployUsageError(f"a published package is damaged: {exc}") from None
    if errors:
        raise DeployError("ALC0551", f"Cannot repair {app.label}: it does not compile against the apps published now: "
                          f"{errors[0].code}: {errors[0].message}"
                          + (f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""),
                          notes=[f"{d.code}: {d.message}" for d in errors[:20]])
    against = ", ".join(d.label for d in deps) or "no dependencies"
    return Report((Step("repaired", app.label, f"Repaired {app.label}: it compiles against {against}"),))
