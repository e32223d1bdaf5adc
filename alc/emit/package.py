"""Assemble and write a compiled package: manifest (with capabilities and
prerequisites), SymbolReference.json, per-object metadata, and the sources
under `src/` (left out of runtime packages unless asked for)."""

from __future__ import annotations

import os
from typing import Iterable, Optional

from ..package.capabilities import capabilities, prerequisites
from ..package.manifest import NavxManifest, Prerequisite, RuntimePackageInfo
from ..package.reader import write_package
from .metadata import metadata_entries

__all__ = ["emit_package", "source_entries"]


def source_entries(project: str, paths: Iterable[str]) -> dict[str, bytes]:
    """`relative/path.al` -> bytes of each source file (exactly as on disk)."""
    out = {}
    for path in paths:
        rel = os.path.relpath(path, project).replace(os.sep, "/")
        with open(path, "rb") as f:
            out[rel] = f.read()
    return out


def _resolved_prerequisites(objects, table) -> tuple:
    """Prerequisites with the ids of their targets when the symbol table knows them."""
    out = []
    for p in prerequisites(objects):
        kind = p.object_type.lower()
        found = table.find(kind, p.name) if table is not None else []
        ids = {e.obj.id for e in found if not e.app.is_project}
        out.append(Prerequisite(p.object_type, p.name, ids.pop() if len(ids) == 1 else None))
    return tuple(out)


def emit_package(out: str, manifest, objects, symbols, project: str, paths, table=None,
                 runtime: bool = False, include_source: bool = True) -> bytes:
    """Write the package for ``objects`` to ``out`` (atomically); returns its bytes."""
    navx = NavxManifest(
        app=manifest,
        capabilities=capabilities(objects),
        prerequisites=_resolved_prerequisites(objects, table),
        runtime_package=RuntimePackageInfo(platform=manifest.platform, includes_source=include_source)
        if runtime else None,
    )
    sources = source_entries(project, paths) if include_source else {}
    return write_package(out, navx, symbols, sources, metadata_entries(objects))
