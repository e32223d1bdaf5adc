r"""Writing whole packages: ``write_package`` (manifest, symbols, sources and
extra entries -> a deterministic `.app`), beside the writers of its parts
(:mod:`~alc.package.container`, :mod:`~alc.package.manifest`,
:mod:`~alc.package.symbols`, :mod:`~alc.package.metadata`).

>>> from alc.appmodel import AppManifest, Version
>>> from alc.package.manifest import NavxManifest
>>> from alc.package.symbols import SymbolReference
>>> app = AppManifest("0f3b2c1a-0000-4000-8000-000000000001", "Hello", "Me", Version(1, 0, 0, 0))
>>> sorted(package_entries(NavxManifest(app), SymbolReference(), {"App\\Hello.al": b"codeunit 1 H { }"}))
['NavxManifest.xml', 'SymbolReference.json', 'src/App/Hello.al']
>>> manifest = NavxManifest(app)
>>> write_package(None, manifest, SymbolReference()) == write_package(None, manifest, SymbolReference())
True
"""

from __future__ import annotations

from typing import Mapping, Optional, Union

from ..budget import BudgetError, check as budget_check, check_parts
from .container import PackedEntry, app_bytes, read_container, write_bytes
from .errors import DEFAULT_LIMITS, Limits, PackageError
from .manifest import NavxManifest, read_manifest, write_manifest
from .reader import MANIFEST, SYMBOLS
from .symbols import SymbolReference, write_symbols

__all__ = ["write_package", "package_entries"]


def package_entries(manifest: NavxManifest, symbols: Union[SymbolReference, bytes, PackedEntry],
                    sources: Mapping[str, bytes] = {}, extra: Mapping[str, bytes] = {}) -> dict[str, bytes]:
    """The entries of a package: manifest, symbols (or their entry, already
    written), `src/<path>` for each source (paths relative to the project,
    `/`-separated), and ``extra``."""
    symbols_entry = symbols if isinstance(symbols, (bytes, PackedEntry)) else write_symbols(symbols)
    entries = {MANIFEST: write_manifest(manifest), SYMBOLS: symbols_entry}
    for rel, data in sources.items():
        entries["src/" + rel.replace("\\", "/").lstrip("/")] = data
    entries.update(extra)
    return entries


def write_package(path: Optional[str], manifest: NavxManifest, symbols: SymbolReference,
                  sources: Mapping[str, bytes] = {}, extra: Mapping[str, bytes] = {},
                  verified: Optional[set] = None) -> bytes:
    """Write a package deterministically (atomically, when ``path`` is given);
    returns its bytes. ``verified``: the keys (:func:`verified_key`) of compressed entries whose
    content passed the readers' budgets before (an incremental build's, from its signed cache): they
    are not expanded and measured again; the keys of this package's are added to it."""
    entries = package_entries(manifest, symbols, sources, extra)
    data = app_bytes(entries)  # once: each entry is compressed once
    keys = {}
    if verified is not None:
        keys = {name: verified_key(name, value) for name, value in entries.items() if type(value) is PackedEntry}
    check_readable(data, skip=frozenset(name for name, key in keys.items() if key in verified) if keys else ())
    if path is not None:
        write_bytes(path, data)
    if verified is not None:
        verified.update(keys.values())
    return data


def verified_key(name: str, entry: PackedEntry) -> tuple:
    """What names a compressed entry's content and the budget it is measured by."""
    import hashlib
    return (name == SYMBOLS, entry.size, entry.crc, hashlib.blake2b(entry.packed, digest_size=20).digest())


def check_readable(data: bytes, limits: Limits = DEFAULT_LIMITS, skip=()) -> None:
    """Writer = reader: the rules every reader applies, applied to a package
    before it is written (entry names unique whatever their case, sizes and
    compression ratios, the manifest's XML, the budgets of the symbols and of
    the metadata). PackageError with the reader's code when it would be refused. The entries
    named in ``skip`` are not measured against the budgets (their content was, before).

    >>> from alc.appmodel import AppManifest, Version
    >>> app = AppManifest("0f3b2c1a-0000-4000-8000-000000000001", "Bad\x01Name", "Me", Version(1, 0, 0, 0))
    >>> write_package(None, NavxManifest(app), SymbolReference())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    alc.package.errors.PackageError: error ALC0428: the package would be refused when read: NavxManifest.xml ...
    """
    limits = limits.resolved()
    try:
        container = read_container(data, limits)
        read_manifest(container.read(MANIFEST, limits.max_xml_size), limits)
        budgets = {SYMBOLS: (limits.symbols_budget(), 0)}
        for name in container.names:
            budget, least = budgets.get(name) or (limits.metadata_budget(), 2 * limits.max_metadata_containers)
            if (name == SYMBOLS or name.startswith("metadata/")) and container.size(name) >= least \
                    and name not in skip:
                if name != SYMBOLS or not check_parts(container.read_parts(name), budget, name):
                    budget_check(container.read(name), budget, name)
    except PackageError as exc:
        raise PackageError(exc.code, f"the package would be refused when read: {exc.message}") from None
    except BudgetError as exc:
        field = f"max_json_{exc.limit}" if exc.over_limit and str(exc).startswith(SYMBOLS) else None
        message = limits.over(str(exc), field, exc.value, container.size(SYMBOLS)) if field else str(exc)
        raise PackageError("ALC0425", f"the package would be refused when read: {message}") from None
