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

from .container import PackedEntry, app_bytes, write_bytes
from .manifest import NavxManifest, write_manifest
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
                  sources: Mapping[str, bytes] = {}, extra: Mapping[str, bytes] = {}) -> bytes:
    """Write a package deterministically (atomically, when ``path`` is given);
    returns its bytes."""
    entries = package_entries(manifest, symbols, sources, extra)
    data = app_bytes(entries)  # once: each entry is compressed once
    if path is not None:
        write_bytes(path, data)
    return data
