"""A cache of the symbols of packages, keyed by their content.

Reading the symbols of a large package (the Base Application's
SymbolReference.json is about 60 MB) takes far longer than loading the
model alc built from it, and every project that depends on the package
reads it again. So the model is pickled once into the user's cache folder
(``$ALC_CACHE``, else ``$XDG_CACHE_HOME/alc``, else ``~/.cache/alc``),
under the SHA-256 of the package file and alc's version; the cache holds
only what alc itself wrote from packages it had validated.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from typing import Optional

from ..version import __version__
from ..package.errors import DEFAULT_LIMITS, Limits
from ..package.reader import read_package

__all__ = ["read_symbols_cached", "cache_folder", "SymbolCache"]

_FORMAT = 3  # 2: packages decoded within the budgets of issue 14 (what format 1 cached was not checked);
# 3: equal symbol parts pickled once (build.cache.dumps_shared): half the size, three times as fast to load


def cache_folder() -> str:
    root = os.environ.get("ALC_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "alc")
    return os.path.join(root, "symbols")


def _key(path: str) -> str:
    h = hashlib.sha256(f"{__version__}/{_FORMAT}/".encode())
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_symbols_cached(path: str, limits: Limits = DEFAULT_LIMITS, use_cache: bool = True):
    """(AppManifest, SymbolReference) of a package; PackageError when unreadable."""
    entry: Optional[str] = None
    if use_cache:
        try:
            entry = os.path.join(cache_folder(), _key(path) + ("-trusted" * limits.resolved().trusted) + ".pickle")
            with open(entry, "rb") as f:
                return pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            pass
    package = read_package(path, limits)
    value = (package.app, package.symbols)
    if entry is not None:
        _store(entry, value)
    return value


def _store(entry: str, value) -> None:
    """Write atomically; a cache that cannot be written is no error."""
    try:
        os.makedirs(os.path.dirname(entry), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(entry), suffix=".tmp")
        from .cache import dumps_shared
        with os.fdopen(fd, "wb") as f:
            f.write(dumps_shared(value))
        os.replace(tmp, entry)
    except OSError:
        pass


class SymbolCache:
    """Symbols of packages kept in memory too, for a process that compiles many
    projects (benchmarks/corpus.py): (path, size, mtime) -> (manifest, symbols)."""

    def __init__(self, use_disk: bool = True):
        self.use_disk = use_disk
        self._memory: dict = {}

    def read(self, path: str, limits: Limits = DEFAULT_LIMITS):
        """(AppManifest, SymbolReference) of a package."""
        return self._entry(path, limits)[0]

    def app_symbols(self, path: str, limits: Limits = DEFAULT_LIMITS):
        """The package's AppSymbols, the same object for every compile in this
        process (so that its index is built once)."""
        from ..semantic.model import AppSymbols
        entry = self._entry(path, limits)
        if entry[1] is None:
            a, symbols = entry[0]
            entry[1] = AppSymbols(a.id, a.name, symbols, publisher=a.publisher, version=str(a.version))
        return entry[1]

    def manifest(self, path: str, limits: Limits = DEFAULT_LIMITS):
        """The package's AppManifest (package.cache.read_cached_manifest), read once while the file is
        the same (path, size, inode, time of change): a process compiling many projects scans the same
        package folders again and again."""
        from ..package.cache import read_cached_manifest
        st = os.stat(path)
        key = ("manifest", os.path.abspath(path), st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns,
               limits.resolved())
        found = self._memory.get(key)
        if found is None:
            found = self._memory[key] = read_cached_manifest(path, limits)
        return found

    def _entry(self, path: str, limits: Limits) -> list:
        """[(manifest, symbols), AppSymbols or None] of the package as it is on disk now."""
        st = os.stat(path)
        key = (os.path.abspath(path), st.st_size, st.st_mtime_ns)
        entry = self._memory.get(key)
        if entry is None:
            entry = self._memory[key] = [read_symbols_cached(path, limits, self.use_disk), None]
        return entry
