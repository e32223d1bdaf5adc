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

# The package modules (and the symbol model they load) are imported where they are used:
# `alc server info` and the other commands that read only rows start without them.

__all__ = ["PackageCache", "read_upload", "verify_symbols", "object_rows", "CodeunitInfo", "codeunit_info",
           "content_hash", "ObjectSource"]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_upload(path: str) -> tuple[Package, bytes]:
    """A package file to publish: (package, bytes). DeployUsageError when unusable."""
    from ..package.errors import PackageError, RuntimePackageError
    from ..package.reader import read_package
    from .errors import DeployUsageError
    from ..package.errors import DEFAULT_LIMITS
    from ..source import read_problem, read_regular
    try:  # a regular file within the reader's size limit (a FIFO or /dev/zero is refused unread)
        data = read_regular(path, DEFAULT_LIMITS.resolved().max_file_size)
    except OSError as exc:
        raise DeployUsageError(f"cannot read {path}: {read_problem(exc)}") from None
    try:
        package = read_package(data, symbols=False)  # the symbols are read when the publish check needs them
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
                     "Target": e.get("target") or "", "Moves Out": e.get("moved") is not False,
                     "Metadata Format": "Full", "Metadata": data})
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
        self._packages: dict = {}          # read with their symbols
        self._bare: dict = {}              # read without
        self._codeunits: dict = {}

    def package(self, package_id: str, fetch: Callable[[str], bytes], symbols: bool = True) -> Package:
        """The published package read from its bytes; its symbols only when asked for
        (a large base app's SymbolReference.json takes seconds to read)."""
        pkg = self._packages.get(package_id)
        if pkg is None and not symbols:
            pkg = self._bare.get(package_id)
        if pkg is None:
            from ..package.reader import read_package
            pkg = read_package(fetch(package_id), symbols=symbols)
            (self._packages if symbols else self._bare)[package_id] = pkg
        return pkg

    def app(self, package_id: str, source: "ObjectSource"):
        """The merge engine's App, from `NAV App Object Metadata`: extension objects and
        objects that move something out decoded at once, every other object an
        ObjectStub that reads and decodes its metadata row when a merge needs it."""
        app = self._apps.get(package_id)
        if app is None:
            app = self._apps[package_id] = _app_from_rows(package_id, source)
        return app

    def symbols(self, package_id: str, source: "ObjectSource"):
        """The AppSymbols of a published package, for the publish check: a package read
        in this process with its symbols, else :class:`LazySymbols` from its rows."""
        from ..semantic.model import AppSymbols
        found = self._symbols.get(package_id)
        if found is None:
            pkg = self._packages.get(package_id)
            if pkg is not None:
                a, symbols = pkg.app, pkg.symbols
            else:
                from ..package.manifest import read_manifest
                a, symbols = read_manifest(source.manifest(package_id)).app, LazySymbols(package_id, source)
            found = self._symbols[package_id] = AppSymbols(a.id, a.name, symbols, publisher=a.publisher,
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


class ObjectSource:
    """Reads a published package's rows: its manifest, its objects (without
    metadata), and the metadata of some of them (the server implements it)."""

    def manifest(self, package_id: str) -> bytes:
        raise NotImplementedError

    def objects(self, package_id: str) -> list:
        """(type, id, name, namespace, target, moves out) of every object."""
        raise NotImplementedError

    def metadata(self, package_id: str, keys: list) -> dict:
        """(type, id, name) -> metadata bytes, for the objects ``keys`` name."""
        raise NotImplementedError

    def prefetch(self, package_id: str, keys: list) -> None:
        """Read the metadata of objects a merge is about to decode, in one go."""

    def take(self, package_id: str, key: tuple):
        """The metadata bytes of one object (prefetched, or read now), or None."""
        return self.metadata(package_id, [key]).get(key)


def _decode(package_id: str, entry: dict, data: bytes):
    from ..package.errors import PackageError
    from ..package.metadata import decode_object
    from ..ir.serialize import SerializationError
    try:
        return decode_object(lambda _name: data, entry, f"<package {package_id}>")
    except (SerializationError, ValueError, UnicodeDecodeError) as exc:
        raise PackageError("ALC0434", f"damaged metadata of package {package_id}: {exc}") from None


def _load_one(package_id: str, entry: dict, source: "ObjectSource"):
    key = (entry["kind"], entry["id"] or 0, entry["name"] or "")
    data = source.take(package_id, key)
    if data is None:
        from ..package.errors import PackageError
        raise PackageError("ALC0434", f"package {package_id} has no metadata for {key[0]} `{key[2]}`")
    return _decode(package_id, entry, data)


def _app_from_rows(package_id: str, source: "ObjectSource"):
    import functools
    from ..merge import App  # the merge engine (and networkx) only for the commands that merge
    from ..merge.deltas import TARGET_KINDS
    from ..merge.model import ObjectStub
    from ..package.manifest import read_manifest
    manifest = read_manifest(source.manifest(package_id)).app
    rows = source.objects(package_id)
    entries = []
    for kind, ident, name, namespace, target, moves in rows:
        entries.append({"kind": kind, "id": ident or None, "name": name or None, "namespace": namespace or None,
                        "target": target or None, "eager": kind in TARGET_KINDS or bool(moves), "entry": ""})
    eager = [e for e in entries if e["eager"]]
    data = source.metadata(package_id, [(e["kind"], e["id"] or 0, e["name"] or "") for e in eager]) if eager else {}
    objects = []
    for e in entries:
        if e["eager"]:
            objects.append(_decode(package_id, e, data[(e["kind"], e["id"] or 0, e["name"] or "")]))
        else:
            objects.append(ObjectStub(e["kind"], e["id"], e["name"], e["namespace"], e["target"], False,
                                      functools.partial(_load_one, package_id, e, source)))
    return App(manifest, tuple(objects))


class LazySymbol:
    """A dependency's object for the symbol table: kind, id, name, namespace and target
    from its `NAV App Object Metadata` row; everything else (fields, controls,
    methods...) from its symbols, made from its metadata when first asked for."""

    __slots__ = ("kind", "id", "name", "namespace", "target", "_loader", "_value")

    def __init__(self, kind, ident, name, namespace, target, loader):
        self.kind, self.id, self.name, self.namespace, self.target = kind, ident, name, namespace, target
        self._loader = loader
        self._value = None

    @property
    def full_name(self) -> str:
        return f"{self.namespace}.{self.name}" if self.namespace else self.name

    def __getattr__(self, attr: str):
        if attr.startswith("__"):
            raise AttributeError(attr)
        if self._value is None:
            self._value = self._loader()
        return getattr(self._value, attr)


_NO_SYMBOLS = frozenset(("entitlement", "dotnet"))


class LazySymbols:
    """A published package's symbols as the symbol table reads them (``objects()``),
    built from its rows: the 60 MB SymbolReference.json of a large base app is
    never parsed; the objects a check looks into are made from their metadata."""

    def __init__(self, package_id: str, source: "ObjectSource"):
        import functools
        self._objects = [LazySymbol(kind, ident or None, name, namespace or None, target or None,
                                    functools.partial(_symbol_of, package_id, kind, ident, name, source))
                         for kind, ident, name, namespace, target, _moves in source.objects(package_id)
                         if kind not in _NO_SYMBOLS]

    def objects(self):
        return iter(self._objects)


def _symbol_of(package_id: str, kind: str, ident, name: str, source: "ObjectSource"):
    from ..package.symbols_ir import symbols_from_ir
    obj = _load_one(package_id, {"kind": kind, "id": ident or None, "name": name or None, "entry": ""}, source)
    found = list(symbols_from_ir([obj]).objects())
    if found:
        return found[0]
    # An object the symbols leave out (one that moved out to another app): its name, no members.
    from ..package.errors import PackageError
    from ..package.symbols import KIND_CLASSES
    cls = KIND_CLASSES.get(kind)
    if cls is None:
        raise PackageError("ALC0434", f"package {package_id}: no symbols for {kind} `{name}`")
    return cls(id=ident or None, name=name)
