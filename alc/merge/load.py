"""Packages -> the merge engine's apps: the packages given, plus the
dependencies they need that were not given, from the package cache
(highest version at or above the declared minimum).

An app's objects come from the package's metadata: extension objects and
objects that move something out are decoded at once, every other object is
an :class:`~alc.merge.model.ObjectStub` decoded only when a merge needs it.
A package without alc metadata (a symbols-only package a server made, or
one from another compiler) cannot be merged: PackageError ALC0433.
"""

from __future__ import annotations

import functools
import gc
from typing import Callable, Iterable, Optional, Sequence

from ..memory import gc_paused
from ..package.cache import scan_package_cache
from ..package.reader import Package, read_package
from .deltas import TARGET_KINDS
from .model import App, ObjectStub

__all__ = ["load_apps", "app_from_package", "lazy_objects"]


def load_apps(paths: Sequence[str], cache_folders: Iterable[str] = (),
              read: Optional[Callable[[str], Package]] = None) -> list[App]:
    """Apps from package files; PackageError (with the path) when one is unusable.
    ``read(path)`` reads a package without its symbols (default: :func:`read_package`;
    a caller that has read them already passes its own)."""
    read = read or _read
    with gc_paused():  # what is loaded stays alive: no collection while it grows
        apps = _load_all(paths, cache_folders, read)
        # The objects stay alive until the end: keep the collector from walking them again and again
        # (frozen before the collector is back, whose first collection would walk them all once;
        # and without a collection first, for the little garbage loading leaves).
        gc.freeze()
    return apps


def _load_all(paths: Sequence[str], cache_folders: Iterable[str], read: Callable[[str], Package]) -> list[App]:
    apps: list[App] = []
    seen: set = set()
    for path in paths:
        app = app_from_package(read(path))
        if app.id in seen:
            continue
        seen.add(app.id)
        apps.append(app)
    folders = [f for f in cache_folders]
    if folders:
        index = scan_package_cache(folders)
        queue = list(apps)
        while queue:
            app = queue.pop()
            for dep in app.manifest.dependencies:
                if dep.id in seen:
                    continue
                best = index.best(dep.id)
                if best is None or best.version < dep.version:
                    continue  # the merge reports it as missing-dependency / dependency-version
                loaded = app_from_package(read(best.path))
                seen.add(loaded.id)
                apps.append(loaded)
                queue.append(loaded)
    return apps


def _read(path: str) -> Package:
    return read_package(path, symbols=False)


def app_from_package(package: Package) -> App:
    """The merge engine's App for a read package (its manifest and :func:`lazy_objects`)."""
    return App(package.app, tuple(lazy_objects(package)))


def lazy_objects(package: Package) -> list:
    """Every object of the package, as :meth:`~alc.package.reader.Package.decode_object`
    gives it, except that objects other than extension objects, and that move
    nothing out, are :class:`~alc.merge.model.ObjectStub`\\ s decoded on demand (a
    merge decodes only the objects extensions change). Damaged metadata raises
    PackageError now or when the object is decoded."""
    out = []
    for e in package.metadata_index():
        if e["kind"] in TARGET_KINDS or e.get("moved") is not False:
            out.append(package.decode_object(e))
        else:
            out.append(ObjectStub(e["kind"], e.get("id"), e.get("name"), e.get("namespace"), e.get("target"),
                                  False, functools.partial(package.decode_object, e)))
    return out
