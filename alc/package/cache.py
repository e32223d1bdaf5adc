"""The package cache (`.alpackages`): which apps are at hand, in which versions.

``scan_package_cache`` looks at every `*.app` directly inside one or more
folders (not in subfolders, like the AL compiler) and reads only what
resolution needs: the 40-byte header, the zip directory and
`NavxManifest.xml`. Symbols are read later, for the packages a resolution
picks (:meth:`CachedPackage.read`). A file that cannot be read -- corrupt,
foreign, or a Business Central runtime package with its encrypted `.NEA`
payload -- is skipped with a warning; the scan never fails.

>>> import tempfile
>>> from alc.package import NavxManifest, SymbolReference, write_package
>>> from alc.appmodel import AppManifest, Version
>>> folder = tempfile.mkdtemp()
>>> for v in ("1.0.0.0", "1.2.0.0"):
...     app = AppManifest("0f3b2c1a-0000-4000-8000-000000000001", "Hello", "Me", Version.parse(v))
...     _ = write_package(f"{folder}/Me_Hello_{v}.app", NavxManifest(app), SymbolReference())
>>> _ = open(f"{folder}/broken.app", "wb").write(b"PK\\x03\\x04 not a package")
>>> index = scan_package_cache(folder)
>>> [str(p.version) for p in index.versions("0f3b2c1a-0000-4000-8000-000000000001")]
['1.2.0.0', '1.0.0.0']
>>> [(d.code, str(d.severity)) for d in index.diagnostics]
[('ALC0246', 'warning')]
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from collections import defaultdict
from typing import Iterable, Iterator, NewType, Optional, Union
from urllib.parse import unquote

import attrs

from ..appmodel import AppManifest, Version
from ..diagnostics import Diagnostic
from ..source import SourceFile, Span, open_regular, read_problem
from .container import (HEADER_SIZE, MAGIC, RUNTIME_MAGIC, SIGNATURE_MAGIC, Window as _Window, local_header_problem,
                        plain_entry)
from .errors import DEFAULT_LIMITS, Limits, PackageError, RuntimePackageError
from .manifest import read_manifest
from .reader import Package, read_package

__all__ = ["AppId", "CachedPackage", "PackageIndex", "scan_package_cache", "read_cached_manifest",
           "version_key"]

AppId = NewType("AppId", str)
"""An app GUID in lowercase 8-4-4-4-12 form (as :func:`alc.appmodel.normalize_guid` gives)."""

Folders = Union[str, "os.PathLike[str]", Iterable[Union[str, "os.PathLike[str]"]]]


@attrs.frozen
class CachedPackage:
    """One `.app` of the cache: where it is and its manifest."""
    path: str
    app: AppManifest = attrs.field(eq=False, repr=False)

    @property
    def id(self) -> AppId:
        return AppId(self.app.id)

    @property
    def name(self) -> str:
        return self.app.name

    @property
    def publisher(self) -> str:
        return self.app.publisher

    @property
    def version(self) -> Version:
        return self.app.version

    def read(self, limits: Limits = DEFAULT_LIMITS) -> Package:
        """The whole package (manifest and symbols); PackageError when unreadable."""
        return read_package(self.path, limits)


def _file_span(path: str) -> Span:
    return Span(SourceFile(path, ""), 0, 0)


@attrs.frozen(eq=False)
class PackageIndex:
    """The packages of a cache by app id, several versions per app (highest
    first), plus the diagnostics of the scan. Build it with
    :func:`scan_package_cache` or, from packages in memory, :meth:`build`."""
    folders: tuple[str, ...]
    by_id: dict[AppId, tuple[CachedPackage, ...]] = attrs.field(repr=False)
    by_name: dict[tuple[str, str], tuple[AppId, ...]] = attrs.field(repr=False)
    diagnostics: tuple[Diagnostic, ...] = ()

    @classmethod
    def build(cls, packages: Iterable[CachedPackage], folders: Iterable[str] = (),
              diagnostics: Iterable[Diagnostic] = ()) -> "PackageIndex":
        """Index ``packages``: one package per (id, version) -- the first by
        path when a version is there twice (ALC0248) -- and a warning for two
        app ids sharing a name, publisher and version (ALC0245)."""
        diags = list(diagnostics)
        groups: dict[AppId, dict[Version, list[CachedPackage]]] = defaultdict(lambda: defaultdict(list))
        for pkg in sorted(packages, key=lambda p: p.path):
            groups[pkg.id][pkg.version].append(pkg)
        by_id: dict[AppId, tuple[CachedPackage, ...]] = {}
        for app_id in sorted(groups):
            chosen = []
            for version in sorted(groups[app_id], key=version_key, reverse=True):
                same = groups[app_id][version]
                chosen.append(same[0])
                if len(same) > 1:
                    diags.append(_twice(same))
            by_id[app_id] = tuple(chosen)
        by_name: dict[tuple[str, str], list[AppId]] = defaultdict(list)
        for app_id, versions in by_id.items():
            by_name[_name_key(versions[0].name, versions[0].publisher)].append(app_id)
        diags.extend(_same_identity(by_id, by_name))
        return cls(tuple(str(f) for f in folders), by_id, {k: tuple(v) for k, v in by_name.items()}, tuple(diags))

    def versions(self, app_id: str) -> tuple[CachedPackage, ...]:
        """Every version of an app in the cache, highest first."""
        return self.by_id.get(AppId(app_id), ())

    def best(self, app_id: str) -> Optional[CachedPackage]:
        """The highest version of an app, or None."""
        versions = self.by_id.get(AppId(app_id))
        return versions[0] if versions else None

    def ids_named(self, name: str, publisher: str) -> tuple[AppId, ...]:
        """The app ids whose packages carry this name and publisher (any case)."""
        return self.by_name.get(_name_key(name, publisher), ())

    @property
    def location(self) -> str:
        """The folders, for messages: `` `a` `` or `` `a`, `b` ``."""
        return ", ".join(f"`{f}`" for f in self.folders)

    def __contains__(self, app_id: object) -> bool:
        return app_id in self.by_id

    def __iter__(self) -> Iterator[CachedPackage]:
        for versions in self.by_id.values():
            yield from versions

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_id.values())


def version_key(v: Version) -> tuple[int, int, int, int]:
    """A Version as a plain tuple: compares the same, many times faster."""
    return (v.major, v.minor, v.build, v.revision)


def _name_key(name: str, publisher: str) -> tuple[str, str]:
    return (name.casefold(), publisher.casefold())


def _twice(same: list[CachedPackage]) -> Diagnostic:
    first = same[0]
    others = ", ".join(f"`{p.path}`" for p in same[1:])
    return Diagnostic.warning(
        "ALC0248", f"`{first.name}` {first.version} ({first.id}) is in the package cache more than once: "
                   f"`{first.path}` is used, {others} ignored",
        _file_span(first.path), help="remove the extra copies from the package cache")


def _same_identity(by_id: dict, by_name: dict) -> Iterator[Diagnostic]:
    """AL1042's situation: one name, publisher and version, several app ids."""
    for key in sorted(k for k, ids in by_name.items() if len(ids) > 1):
        versions: dict[Version, list[CachedPackage]] = defaultdict(list)
        for app_id in by_name[key]:
            for pkg in by_id[app_id]:
                versions[pkg.version].append(pkg)
        for version in sorted(versions, key=version_key):
            same = sorted(versions[version], key=lambda p: p.id)
            if len(same) > 1:
                listed = ", ".join(f"`{p.path}` ({p.id})" for p in same)
                yield Diagnostic.warning(
                    "ALC0245", f"packages with different ids share the name `{same[0].name}`, publisher "
                               f"`{same[0].publisher}` and version {version}: {listed}",
                    _file_span(same[0].path), help="keep only the package whose id the projects depend on")


# ------------------------------------------------------------------ scanning --

def _folders(folders: Folders) -> list[str]:
    if isinstance(folders, (str, os.PathLike)):
        return [os.fspath(folders)]
    return [os.fspath(f) for f in folders]


def scan_package_cache(folders: Folders, limits: Limits = DEFAULT_LIMITS, read=None) -> PackageIndex:
    """Index every `*.app` directly inside ``folders`` (a folder or several).

    A folder that does not exist is a warning (ALC0247); an unreadable
    package is a warning (ALC0246) naming why, and is left out. ``read(path, limits)`` reads a
    manifest (default :func:`read_cached_manifest`; a process compiling many projects keeps them:
    build.symcache.SymbolCache.manifest)."""
    read = read or read_cached_manifest
    packages: list[CachedPackage] = []
    diags: list[Diagnostic] = []
    names = _folders(folders)
    for folder in names:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            diags.append(Diagnostic.warning("ALC0247", f"package cache `{folder}` cannot be read: "
                                                       f"{exc.strerror or exc}"))
            continue
        for entry in entries:
            if not entry.name.lower().endswith(".app") or not entry.is_file():
                continue
            try:
                packages.append(CachedPackage(entry.path, read(entry.path, limits)))
            except PackageError as exc:
                diags.append(_skipped(entry.path, exc))
    return PackageIndex.build(packages, names, diags)


def _skipped(path: str, exc: PackageError) -> Diagnostic:
    what = "a runtime package" if isinstance(exc, RuntimePackageError) else "unreadable"
    return Diagnostic.warning("ALC0246", f"`{os.path.basename(path)}` in the package cache is skipped, "
                                         f"{what}: {exc.message} ({exc.code})", _file_span(path))


_HEADER = struct.Struct("<4sII16sq4s")
_EOCD = b"PK\x05\x06"
_DIRECTORY_BYTES_PER_ENTRY = 512


def read_cached_manifest(path: str, limits: Limits = DEFAULT_LIMITS) -> AppManifest:
    """The app manifest of a `.app`, reading only its header, the end of its
    zip directory and `NavxManifest.xml` (``read_package`` reads the whole
    file first). The rest of the package is checked when it is read.
    PackageError when anything is wrong, RuntimePackageError for `.NEA`."""
    limits = limits.resolved()
    try:
        with open_regular(path) as f:
            size = os.fstat(f.fileno()).st_size
            if size > limits.max_file_size:
                raise PackageError("ALC0425", limits.over(f"file is {size} bytes, over the limit of "
                                                          f"{limits.max_file_size}", "max_file_size", size))
            length = _check_header(f, size)
            window = _Window(f, HEADER_SIZE, length)
            _check_directory(window, limits)
            data = _manifest_bytes(window, limits)
            return read_manifest(data, limits).app
    except OSError as exc:
        raise PackageError("ALC0420", f"cannot read package: {read_problem(exc)}", path) from None
    except PackageError as exc:
        raise exc.with_path(path)


def _check_header(f, size: int) -> int:
    """The payload length; the same checks as the package layer's reader."""
    head = f.read(HEADER_SIZE + 4)
    if len(head) < HEADER_SIZE:
        raise PackageError("ALC0422" if head[:4] == MAGIC[:len(head[:4])] else "ALC0421",
                           f"not a .app package: {len(head)} bytes, shorter than the 40-byte header")
    magic, header_size, version, _, length, magic2 = _HEADER.unpack_from(head)
    if magic != MAGIC or magic2 != MAGIC or header_size != HEADER_SIZE or version != 2:
        raise PackageError("ALC0421", "not a .app package: the 40-byte NAVX header does not match")
    if length < 0 or HEADER_SIZE + length > size:
        raise PackageError("ALC0422", f"truncated package: the header announces {length} payload bytes, "
                                      f"the file holds {size - HEADER_SIZE}")
    if head[HEADER_SIZE:] == RUNTIME_MAGIC:
        raise RuntimePackageError("ALC0423", "this is a runtime package made by a Business Central server "
                                             "(encrypted `.NEA` payload); alc cannot read it")
    if size > HEADER_SIZE + length:        # only a signature block may follow the payload
        f.seek(HEADER_SIZE + length)
        start = f.read(4)
        f.seek(size - 4)
        if start != SIGNATURE_MAGIC or f.read(4) != SIGNATURE_MAGIC:
            raise PackageError("ALC0422", f"payload length mismatch: {size - HEADER_SIZE - length} unexpected "
                                          f"bytes after the {length}-byte payload")
    return length


def _check_directory(window: "_Window", limits: Limits) -> None:
    """Bound the zip directory before zipfile parses it (it builds an object
    per record)."""
    tail_size = min(window.length, 0xFFFF + 22)
    window.seek(window.length - tail_size)
    tail = window.read(tail_size)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        raise PackageError("ALC0424", "the payload is not a valid zip archive: no end of central directory")
    count, directory = struct.unpack_from("<HI", tail, at + 10)
    if count == 0xFFFF or directory == 0xFFFFFFFF:  # zip64: the counts are in the zip64 end record
        locator = at - 20
        if locator < 0 or tail[locator:locator + 4] != b"PK\x06\x07":
            raise PackageError("ALC0424", "the payload is not a valid zip archive: no zip64 end locator")
        offset = struct.unpack_from("<Q", tail, locator + 8)[0]
        window.seek(offset)
        record = window.read(56)
        if len(record) != 56 or record[:4] != b"PK\x06\x06":
            raise PackageError("ALC0424", "the payload is not a valid zip archive: no zip64 end record")
        count, directory = struct.unpack_from("<QQ", record, 32)
    if count > limits.max_entries or directory > limits.max_entries * _DIRECTORY_BYTES_PER_ENTRY + 0xFFFF:
        raise PackageError("ALC0425", limits.over(f"the package has {count} entries, over the limit of "
                                                  f"{limits.max_entries}", "max_entries", count))


def _manifest_bytes(window: "_Window", limits: Limits) -> bytes:
    def read(at: int, size: int) -> bytes:
        window.seek(at)
        return window.read(size)

    plain = plain_entry(read, window.length, "NavxManifest.xml")
    if plain is not None:   # a zip as alc and Microsoft's compiler write it: only its directory is read
        infos, entry = plain
        return entry(_manifest_info(infos, limits))
    try:
        with zipfile.ZipFile(window) as zf:
            info = _manifest_info([i for i in zf.infolist() if unquote(i.filename).casefold() == "navxmanifest.xml"],
                                  limits)
            window.seek(info.header_offset)
            local_header_problem(window.read(30 + 4 * len(info.orig_filename)), info, at=0)
            with zf.open(info) as entry:
                data = entry.read(info.file_size + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError, struct.error,
            UnicodeDecodeError, NotImplementedError, OverflowError, RuntimeError) as exc:
        raise PackageError("ALC0424", f"the payload is not a valid zip archive: {exc}") from None
    if len(data) != info.file_size:
        raise PackageError("ALC0424", "entry `NavxManifest.xml` is corrupt: size differs from its header")
    return data


def _manifest_info(infos: list, limits: Limits):
    """The one entry of the manifest among ``infos`` (PackageError when there is none, two, or one
    too large, encrypted or compressed in another way)."""
    if not infos:
        raise PackageError("ALC0431", "the package has no `NavxManifest.xml`")
    if len(infos) > 1:
        raise PackageError("ALC0427", "entry `NavxManifest.xml` appears twice")
    info = infos[0]
    if info.file_size > limits.max_xml_size:
        raise PackageError("ALC0425", f"NavxManifest.xml expands to {info.file_size} bytes, over the "
                                      f"limit of {limits.max_xml_size}")
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise PackageError("ALC0424", "NavxManifest.xml is encrypted or uses an unsupported compression")
    return info
