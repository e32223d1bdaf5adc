"""The entries of a package besides manifest, symbols, metadata and sources:
what Microsoft's compiler adds from the project folder (report layouts, so
far). Each kind has its own module; this one gathers them for the compiler.
"""

from __future__ import annotations

from typing import Iterable

from .layouts import LayoutRef, read_layouts

__all__ = ["project_resources"]


def project_resources(project: str, manifest, layouts: Iterable[LayoutRef]) -> tuple[dict, list]:
    """Entry name -> bytes of the project's resources, and the diagnostics
    about them (a layout file that is missing is an error at its property)."""
    entries, diagnostics = read_layouts(project, layouts)
    return entries, diagnostics
