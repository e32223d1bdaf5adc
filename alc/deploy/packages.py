"""Published packages in memory: read once per process by package id.

A package's bytes live in the application database (`NAV App`.`Blob`). What
the server needs of them is decoded once per process and kept by package id
(package ids are derived from the package bytes, so an id never names other
content): the merge engine's :class:`~alc.merge.App` with lazy objects (a
merge decodes only the objects extensions change), the symbols for the
publish check, and the install/upgrade codeunits for the trigger reports.
"""

from __future__ import annotations

import hashlib
from typing import Callable, Optional

import attrs

from ..diagnostics import Diagnostic
from ..merge import App
from ..merge.load import app_from_package
from ..package.errors import PackageError, RuntimePackageError
from ..package.reader import Package, read_package

__all__ = ["PackageCache", "read_upload", "verify_symbols", "object_rows", "CodeunitInfo", "codeunit_info",
           "content_hash"]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_upload(path: str) -> tuple[Package, bytes]:
    """A package file to publish: (package, bytes). DeployUsageError when unusable."""
    from .errors import DeployUsageError
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise DeployUsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        package = read_package(data)
    except RuntimePackageError:
        raise DeployUsageError(f"{path}: a Business Central runtime package (encrypted `.NEA` payload) cannot be "
                               "read by alc; publish the app's own package") from None
    except PackageError as exc:
        raise DeployUsageError(str(exc.with_path(path))) from None
    if not package.has_metadata:
        raise DeployUsageError(f"{path}: the package carries no alc metadata (a symbols-only package or one from "
                               "another compiler); the server needs the compiled metadata to install it")
    return package, data


@attrs.frozen
class CodeunitInfo:
    """An Install or Upgrade codeunit and the triggers it declares."""
    id: Optional[int]
    name: str
    subtype: str
    triggers: tuple[str, ...]


def _subtype(obj) -> str:
    prop = obj.get_property("Subtype")
    if prop is None:
        return "Normal"
    single = getattr(prop.value, "single", None)
    value = getattr(single, "value", None) if single is not None else None
    return str(value) if value else str(prop.value)


def codeunit_info(obj) -> Optional[CodeunitInfo]:
    """The CodeunitInfo of an Install or Upgrade codeunit, else None."""
    if obj.kind != "codeunit":
        return None
    subtype = _subtype(obj)
    if subtype.casefold() not in ("install", "upgrade"):
        return None
    return CodeunitInfo(obj.id, obj.name, subtype.capitalize(), tuple(t.name for t in obj.triggers))


def object_rows(package: Package) -> list[dict]:
    """The `NAV App Object Metadata` rows of a package: one per object, with its
    metadata entry; codeunits get their Subtype when it is Install or Upgrade."""
    from ..package.metadata import INDEX, decode_object, read_index
    rows = []
    for e in read_index(package.read(INDEX)):
        data = package.read(e["entry"])
        subtype = ""
        if e["kind"] == "codeunit" and (b"Install" in data or b"Upgrade" in data):
            info = codeunit_info(decode_object(package.read, e, package.path or "<package>"))
            subtype = info.subtype if info is not None else ""
        rows.append({"Object Type": e["kind"], "Object ID": e.get("id") or 0, "Object Name": e.get("name") or "",
                     "Namespace": e.get("namespace") or "", "Object Subtype": subtype,
                     "Target": e.get("target") or "", "Metadata Format": "Full", "Metadata": data})
    return rows


def verify_symbols(package: Package, dependencies: list) -> list[Diagnostic]:
    """The package checked as a compile would check it against ``dependencies``
    (AppSymbols of the published packages it sees): the semantic rules over
    its compiled IR. The errors found."""
    from ..semantic.checks import run_checks
    from ..semantic.context import CheckContext
    from ..semantic.model import EXTENSION_OF, AppSymbols, SymbolTable
    a = package.app
    own = AppSymbols(a.id, a.name, package.symbols, is_project=True, publisher=a.publisher, version=str(a.version))
    objects = tuple(package.ir_objects())
    table = SymbolTable([own] + list(dependencies))
    ctx = CheckContext(objects, table, a)
    run_checks(ctx)
    errors = [d for d in ctx.diagnostics if d.is_error]
    # Without the platform's System symbols an unresolved name may be a platform object
    # (a warning in the rules); an extension target must be an app's object.
    for obj in objects:
        target = getattr(obj, "target", None)
        if obj.kind in EXTENSION_OF and target and not table.find_ref(EXTENSION_OF[obj.kind], target):
            errors.append(Diagnostic.error("ALC0205", f"target of {obj.kind} `{obj.name}`: {EXTENSION_OF[obj.kind]} "
                                           f"`{target}` is not declared in this app or its dependencies", obj.span))
    return errors


class PackageCache:
    """Decoded packages of this process, by package id; ``fetch(package_id)``
    returns the package bytes from the database."""

    def __init__(self) -> None:
        self._apps: dict = {}
        self._symbols: dict = {}
        self._packages: dict = {}
        self._codeunits: dict = {}

    def package(self, package_id: str, fetch: Callable[[str], bytes]) -> Package:
        pkg = self._packages.get(package_id)
        if pkg is None:
            pkg = self._packages[package_id] = read_package(fetch(package_id))
        return pkg

    def app(self, package_id: str, fetch: Callable[[str], bytes]) -> App:
        """The merge engine's App (objects other than extension objects decoded on demand)."""
        app = self._apps.get(package_id)
        if app is None:
            pkg = self._packages.get(package_id) or read_package(fetch(package_id), symbols=False)
            app = self._apps[package_id] = app_from_package(pkg)
        return app

    def symbols(self, package_id: str, fetch: Callable[[str], bytes]):
        """The package's AppSymbols (for the publish check)."""
        from ..semantic.model import AppSymbols
        found = self._symbols.get(package_id)
        if found is None:
            pkg = self.package(package_id, fetch)
            a = pkg.app
            found = self._symbols[package_id] = AppSymbols(a.id, a.name, pkg.symbols, publisher=a.publisher,
                                                           version=str(a.version))
        return found

    def remember(self, package_id: str, package: Package) -> None:
        self._packages.setdefault(package_id, package)

    def codeunits(self, package_id: str, rows: Callable[[str], list]) -> tuple[CodeunitInfo, ...]:
        """Install and upgrade codeunits; ``rows(package_id)`` yields their metadata entries."""
        found = self._codeunits.get(package_id)
        if found is None:
            from ..ir.serialize import loads
            infos = []
            for data in rows(package_id):
                info = codeunit_info(loads(data.decode("utf-8"), "<metadata>"))
                if info is not None:
                    infos.append(info)
            found = self._codeunits[package_id] = tuple(sorted(infos, key=lambda c: (c.id or 0, c.name)))
        return found
