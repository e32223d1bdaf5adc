"""Load the apps of a tenant for merging: the packages given, plus the
dependencies they need that were not given, from the package cache
(highest version at or above the declared minimum).

A package without alc metadata (a symbols-only package a server made, or
one from another compiler) cannot be merged: PackageError ALC0433.
"""

from __future__ import annotations

import gc
from typing import Iterable, Sequence

from ..memory import gc_paused
from ..merge import App
from .errors import PackageError
from .reader import read_package

__all__ = ["load_apps"]


def load_apps(paths: Sequence[str], cache_folders: Iterable[str] = ()) -> list[App]:
    """Apps from package files; PackageError (with the path) when one is unusable."""
    with gc_paused():  # what is loaded stays alive: no collection while it grows
        apps = _load_all(paths, cache_folders)
    # The objects stay alive until the end: keep the collector from walking them again and again.
    gc.collect()
    gc.freeze()
    return apps


def _load_all(paths: Sequence[str], cache_folders: Iterable[str]) -> list[App]:
    apps: list[App] = []
    seen: set = set()
    for path in paths:
        app = _load(path)
        if app.id in seen:
            continue
        seen.add(app.id)
        apps.append(app)
    folders = [f for f in cache_folders]
    if folders:
        from ..package_cache import scan_package_cache
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
                loaded = _load(best.path)
                seen.add(loaded.id)
                apps.append(loaded)
                queue.append(loaded)
    return apps


def _load(path: str) -> App:
    package = read_package(path, symbols=False)
    return App(package.app, tuple(package.lazy_objects()))
