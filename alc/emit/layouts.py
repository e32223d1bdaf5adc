"""Report layouts: which files a project's reports name, and the package
entries Microsoft's compiler makes of them.

A report (or report extension) names its layout files in two ways: the
older properties `RDLCLayout`, `WordLayout` and `ExcelLayout`, and the
`rendering` section's `layout(Name) { Type = ...; LayoutFile = '...'; }`.
Paths are relative to the project folder (not to the .al file), with `/` or
`\\`. Real packages carry each file once, as `layout/<path>` with the path
as the property writes it less a leading `./` (Coval BC18 packages:
`RDLCLayout = './CBRPackingSlip.rdl'` -> `layout/CBRPackingSlip.rdl`;
BcContainerHelper issue #1992: `'src/Layout/KFW Master Document.rdlc'` ->
`layout/src/Layout/KFW Master Document.rdlc`), reports' layouts before
report extensions', each in declaration order.

>>> from alc import parse_text
>>> objs = parse_text("report 50100 R { RDLCLayout = './R.rdl'; rendering { "
...                   "layout(W) { Type = Word; LayoutFile = 'Layouts\\\\R.docx'; } } }").objects
>>> [(r.kind, r.layout, r.type, r.entry) for r in report_layouts(objs)]
[('property', 'RDLCLayout', 'RDLC', 'layout/R.rdl'), ('rendering', 'W', 'Word', 'layout/Layouts/R.docx')]
"""

from __future__ import annotations

import os
from typing import Iterable, Optional

import attrs

from ..diagnostics import Diagnostic
from ..ir import nodes as ir
from ..source import Span

__all__ = ["LayoutRef", "report_layouts", "layout_entry", "read_layouts", "LAYOUT_PROPERTIES", "LAYOUT_FOLDER"]

LAYOUT_FOLDER = "layout/"
LAYOUT_PROPERTIES = {"rdlclayout": "RDLC", "wordlayout": "Word", "excellayout": "Excel"}
"""The report properties naming a layout file, and the layout type each gives."""


@attrs.frozen
class LayoutRef:
    """One layout file a report names: ``kind`` is `property` (RDLCLayout...)
    or `rendering` (a layout in the rendering section); ``layout`` is the
    property's or the layout's name; ``path`` as written; ``entry`` the
    package entry (None when the path leaves the project)."""
    object_kind: str
    object_name: str
    kind: str
    layout: str
    type: str
    path: str
    entry: Optional[str]
    span: Optional[Span] = attrs.field(default=None, eq=False)

    @property
    def order(self) -> tuple:
        """The order of the package's layout entries: reports before report
        extensions (a package with both, Robruppjr/BusinessCentralALReports),
        each in declaration order across the project (file, then offset)."""
        rank = 0 if self.object_kind == "report" else 1
        if self.span is None:
            return (rank, "", 0)
        return (rank, self.span.file, self.span.start)


def layout_entry(path: str) -> Optional[str]:
    """The package entry of a layout path, or None when the path is absolute
    or leaves the project folder.

    >>> layout_entry("./Layouts/Sales Invoice.rdlc")
    'layout/Layouts/Sales Invoice.rdlc'
    >>> layout_entry(".\\\\src\\\\x.docx"), layout_entry("../x.rdl"), layout_entry("C:\\\\x.rdl")
    ('layout/src/x.docx', None, None)
    """
    text = path.replace("\\", "/")
    if not text or text.startswith("/") or (len(text) >= 2 and text[1] == ":"):
        return None
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return LAYOUT_FOLDER + "/".join(parts)


def _text(prop) -> str:
    from ..package.symbols_ir import property_text
    return property_text(prop)


def _property(props: Iterable, name: str):
    key = name.casefold()
    return next((p for p in props if isinstance(p, ir.Property) and p.name.casefold() == key), None)


def _object_layouts(obj) -> list[LayoutRef]:
    out = []
    for prop in obj.properties:
        if isinstance(prop, ir.Property) and prop.name.casefold() in LAYOUT_PROPERTIES:
            path = _text(prop)
            out.append(LayoutRef(obj.kind, obj.name, "property", prop.name, LAYOUT_PROPERTIES[prop.name.casefold()],
                                 path, layout_entry(path), prop.span))
    for layout in obj.rendering:
        prop = _property(layout.properties, "LayoutFile")
        if prop is None:
            continue
        kind = _property(layout.properties, "Type")
        path = _text(prop)
        out.append(LayoutRef(obj.kind, obj.name, "rendering", layout.name, _text(kind) if kind else "RDLC",
                             path, layout_entry(path), prop.span))
    return out


def report_layouts(objects: Iterable) -> list[LayoutRef]:
    """Every layout file the reports and report extensions among ``objects`` name, in declaration order."""
    out = []
    for obj in objects:
        if isinstance(obj, (ir.Report, ir.ReportExtension)):
            out.extend(_object_layouts(obj))
    return out


def _find(project: str, rel: str, folder: bool = False) -> Optional[str]:
    """The file (or, with ``folder``, the folder) ``rel`` (`/`-separated)
    under ``project``, matching each segment without regard to case when no
    exact match exists (projects come from Windows, where `Layouts/X.RDL`
    finds `layouts/x.rdl`)."""
    is_kind = os.path.isdir if folder else os.path.isfile
    parts = [p for p in rel.split("/") if p]
    exact = os.path.join(project, *parts)
    if is_kind(exact):
        return exact
    here = project
    for part in parts:
        try:
            names = sorted(os.listdir(here))
        except OSError:
            return None
        match = next((n for n in names if n.casefold() == part.casefold()), None)
        if match is None:
            return None
        here = os.path.join(here, match)
    return here if is_kind(here) else None


def read_layouts(project: str, refs: Iterable[LayoutRef]) -> tuple[dict, list]:
    """The layout entries of the package (entry name -> bytes, in declaration
    order, each file once) and the diagnostics: ALC0460 for a file that does
    not exist or cannot be read, ALC0461 for a path outside the project."""
    entries: dict[str, bytes] = {}
    seen: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    for ref in sorted(refs, key=lambda r: r.order):
        what = f"{ref.layout} of {ref.object_kind} `{ref.object_name}`"
        if ref.entry is None:
            diagnostics.append(Diagnostic.error(
                "ALC0461", f"layout file `{ref.path}` ({what}) is outside the project folder", ref.span))
            continue
        key = ref.entry.casefold()
        if key in seen:
            continue
        found = _find(project, ref.entry[len(LAYOUT_FOLDER):])
        if found is None:
            diagnostics.append(Diagnostic.error(
                "ALC0460", f"layout file `{ref.path}` ({what}) does not exist", ref.span))
            continue
        try:
            with open(found, "rb") as f:
                data = f.read()
        except OSError as exc:
            diagnostics.append(Diagnostic.error(
                "ALC0460", f"layout file `{ref.path}` ({what}) cannot be read: {exc.strerror or exc}", ref.span))
            continue
        seen[key] = ref.entry
        entries[ref.entry] = data
    return entries, diagnostics
