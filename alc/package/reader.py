"""Whole packages: ``read_package`` (.app -> Package); :mod:`alc.package.writer` writes them.

A Package holds the manifest, the symbols, the entry names, whether the
package carries `src/`, and whether it is an alc runtime package. A Business
Central runtime package (encrypted `.NEA` payload) raises RuntimePackageError.

>>> import os, tempfile
>>> from alc.appmodel import AppManifest, Version
>>> from alc.package.manifest import NavxManifest
>>> from alc.package.symbols import SymbolReference, Codeunit
>>> from alc.package.writer import write_package
>>> app = AppManifest("0f3b2c1a-0000-4000-8000-000000000001", "Hello", "Me", Version(1, 0, 0, 0))
>>> path = os.path.join(tempfile.mkdtemp(), "Me_Hello_1.0.0.0.app")
>>> _ = write_package(path, NavxManifest(app), SymbolReference(codeunits=(Codeunit(id=50100, name="Hello"),)),
...                   sources={"Hello.Codeunit.al": b"codeunit 50100 Hello { }"})
>>> pkg = read_package(path)
>>> pkg.app.name, pkg.has_source, pkg.entries[:2], [o["name"] for o in pkg.objects()]
('Hello', True, ('NavxManifest.xml', 'src/Hello.Codeunit.al'), ['Hello'])
"""

from __future__ import annotations

import uuid
from typing import Any, Callable, Optional, Union

import attrs

from ..appmodel import AppManifest
from .container import Container, open_container, read_container
from .errors import DEFAULT_LIMITS, Limits, PackageError
from .manifest import NavxManifest, read_manifest
from .symbols import SymbolReference, read_symbols

__all__ = ["Package", "read_package", "MANIFEST", "SYMBOLS"]

MANIFEST = "NavxManifest.xml"
SYMBOLS = "SymbolReference.json"


@attrs.frozen(eq=False)
class Package:
    path: Optional[str]
    package_id: uuid.UUID
    manifest: NavxManifest
    symbols: SymbolReference
    entries: tuple[str, ...]
    signed: bool = False
    container: Optional[Container] = attrs.field(default=None, repr=False)
    _decoded: dict = attrs.field(factory=dict, repr=False, init=False)
    _names: frozenset = attrs.field(default=attrs.Factory(lambda self: frozenset(self.entries), takes_self=True),
                                    repr=False, init=False)

    @property
    def app(self) -> AppManifest:
        return self.manifest.app

    @property
    def has_source(self) -> bool:
        return any(name.casefold().startswith("src/") for name in self.entries)

    @property
    def runtime_package(self) -> bool:
        """An alc runtime package (Microsoft's encrypted ones are never read)."""
        return self.manifest.runtime_package is not None

    @property
    def source_files(self) -> tuple[str, ...]:
        return tuple(n for n in self.entries if n.casefold().startswith("src/"))

    def read(self, name: str) -> bytes:
        if self.container is None:
            raise PackageError("ALC0431", f"the package has no `{name}`", self.path)
        try:
            return self.container.read(name)
        except PackageError as exc:
            raise exc.with_path(self.path) if self.path else exc

    def objects(self) -> list[dict]:
        """Every object: type (AL keyword), id (None for kinds without ids),
        name (without its namespace), and target for extension objects."""
        return [{"type": o.kind, "id": o.id, "name": o.name,
                 "target": (o.target if o.is_extension else None)} for o in self.symbols.objects()]

    @property
    def has_metadata(self) -> bool:
        from .metadata import INDEX
        return INDEX in self._names

    def ir_objects(self) -> list:
        """The complete IR of every object, from the compiled metadata (alc packages);
        PackageError when the package has none (symbol-only and foreign packages)."""
        from .metadata import INDEX, read_metadata
        return self._metadata(lambda: read_metadata(self.read, self.read(INDEX), self.path or "<package>",
                                                    self.limits))

    def metadata_index(self) -> list[dict]:
        """The entries of the metadata index: kind, id, name, namespace, target,
        entry and whether the object moves anything out (see
        :func:`~alc.package.metadata.moves_out`), without decoding any object.
        PackageError ALC0433 when the package has no metadata, ALC0434 when it is damaged."""
        from .metadata import INDEX, read_index
        count = sum(1 for n in self.entries if n.startswith("metadata/")) - 1
        return self._metadata(lambda: read_index(self.read(INDEX), self.limits, count))

    def decode_object(self, entry: dict):
        """The IR of the object an entry of :meth:`metadata_index` names
        (PackageError ALC0434 when its metadata is damaged)."""
        from .metadata import decode_object
        name = entry.get("entry") if isinstance(entry, dict) else None
        if name not in self._decoded:  # rows sharing an entry decode it once
            self._decoded[name] = self._metadata(lambda: decode_object(self.read, entry, self.path or "<package>",
                                                                       self.limits))
        return self._decoded[name]

    def _metadata(self, work: Callable[[], Any]) -> Any:
        """``work()`` on the package's metadata: ALC0433 when it has none, ALC0434 when it is damaged."""
        from ..ir.serialize import SerializationError
        if not self.has_metadata:
            raise PackageError("ALC0433", "the package carries no alc metadata (a symbols-only or foreign package)",
                               self.path)
        try:
            return work()
        except PackageError as exc:
            raise exc.with_path(self.path) if self.path else exc
        except (SerializationError, ValueError, UnicodeDecodeError) as exc:
            raise PackageError("ALC0434", f"damaged metadata: {exc}", self.path) from None
        except RecursionError:
            raise PackageError("ALC0434", "damaged metadata: nested too deeply", self.path) from None

    @property
    def limits(self) -> Limits:
        return self.container.limits if self.container is not None else DEFAULT_LIMITS

    def to_json(self) -> dict:
        """The `alc inspect --format json` document."""
        a = self.app
        return {
            "id": a.id, "name": a.name, "publisher": a.publisher, "version": str(a.version),
            "runtime_package": self.runtime_package, "has_source": self.has_source,
            "dependencies": [{"id": d.id, "name": d.name, "publisher": d.publisher, "version": str(d.version)}
                             for d in a.dependencies],
            "capabilities": list(self.manifest.capabilities),
            "objects": self.objects(),
            "resources": [{"kind": k, "entry": n, "size": z} for k, n, z in _resources(self)],
            "implicit_entitlements": [{"type": t, "id": i, "value": v} for t, i, v in _entitlements(self)],
        }


def _resources(package: "Package") -> list:
    from .inspect import resources
    return resources(package)


def _entitlements(package: "Package") -> list:
    from .inspect import implicit_entitlements
    return implicit_entitlements(package)


def read_package(source: Union[str, bytes], limits: Limits = DEFAULT_LIMITS, *,
                 symbols: Union[bool, str] = True) -> Package:
    """Read a `.app` (a path or its bytes): PackageError on anything wrong,
    RuntimePackageError for a Business Central runtime package.

    ``symbols=False`` leaves `SymbolReference.json` unread (the package's
    ``symbols`` are empty): merging needs only the manifest and the metadata,
    and parsing the symbols is a third of the time of loading a small app.
    ``symbols="headers"`` reads the objects' identities only (kind, id, name,
    namespace, target; members empty), the rest checked but not built: what
    `alc inspect` shows."""
    path = source if isinstance(source, str) else None
    limits = limits.resolved()
    container = open_container(source, limits) if path else read_container(source, limits)
    try:
        if not container.has(MANIFEST):
            raise PackageError("ALC0431", f"the package has no `{MANIFEST}`")
        manifest = read_manifest(container.read(MANIFEST, limits.max_xml_size), limits)
        reference = SymbolReference()
        if symbols and container.has(SYMBOLS):
            reference = read_symbols(container.read_buffer(SYMBOLS, limits.max_json_size, "max_json_size"), limits,
                                     members=symbols != "headers")
    except PackageError as exc:
        raise exc.with_path(path) if path else exc
    return Package(path, container.header.package_id, manifest, reference, container.names, container.header.signed,
                   container)
