"""Assemble and write a compiled package: manifest (with capabilities and
prerequisites), SymbolReference.json, per-object metadata, and the sources
under `src/` (left out of runtime packages unless asked for)."""

from __future__ import annotations

from typing import Iterable, Optional

from ..package.capabilities import CAPABILITIES
from ..package.manifest import NavxManifest, Prerequisite, RuntimePackageInfo
from ..package.metadata import INDEX, index_entry
from ..package.writer import write_package

__all__ = ["emit_package"]


def _resolved(prerequisites, table) -> tuple:
    """Prerequisites with the ids of their targets when the symbol table knows them."""
    out = []
    for p in prerequisites:
        kind = p.object_type.lower()
        found = table.find(kind, p.name) if table is not None else []
        ids = {e.obj.id for e in found if not e.app.is_project}
        out.append(Prerequisite(p.object_type, p.name, ids.pop() if len(ids) == 1 else None))
    return tuple(sorted(set(out), key=lambda p: (p.object_type, p.name.casefold(), p.id or 0)))


def emit_package(out: str, manifest, headers, metadata: dict, capability_set, prerequisites, symbols,
                 sources: dict, table=None, runtime: bool = False, include_source: bool = True,
                 resources: Optional[dict] = None, verified: Optional[set] = None) -> bytes:
    """Write the package to ``out`` (atomically); returns its bytes.

    ``metadata`` holds every object's entry (package.metadata.object_entries),
    ``headers`` the objects the index lists, ``sources`` the project's files
    by relative path (bytes or packed entries), ``resources`` the entries
    besides them (layouts, translations..., see emit.resources)."""
    navx = NavxManifest(
        app=manifest,
        capabilities=tuple(c for c in CAPABILITIES if c in capability_set),
        prerequisites=_resolved(prerequisites, table),
        runtime_package=RuntimePackageInfo(platform=manifest.platform, includes_source=include_source)
        if runtime else None,
    )
    sources = sources if include_source else {}
    extra = dict(metadata)
    extra[INDEX] = index_entry(headers)
    extra.update(resources or {})
    return write_package(out, navx, symbols, sources, extra, verified)   # verified: see write_package
