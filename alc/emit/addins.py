"""Control add-in files in packages: the `Scripts`, `StartupScript`,
`RecreateScript`, `RefreshScript`, `StyleSheets` and `Images` a control
add-in names (paths relative to the project folder; URLs are not packed).

Each file is packed once as `addin/src/<path>` (the path as written, `/`
separators, less a leading `./`). INFERRED: no real package with a control
add-in was at hand; BcContainerHelper's Extract-AppFileToFolder moves the
contents of a package's `addin/src/` folder to the project root, which gives
back the paths the add-in names only with this layout.

>>> from alc import parse_text
>>> objs = parse_text("controladdin Chart { Scripts = 'js/chart.js', 'https://cdn.example/x.js'; "
...                   "StartupScript = 'js\\\\start.js'; Images = './img/logo.png'; }").objects
>>> [(r.property, r.path, r.entry) for r in addin_files(objs)]
[('Scripts', 'js/chart.js', 'addin/src/js/chart.js'), ('StartupScript', 'js\\\\start.js', 'addin/src/js/start.js'), \
('Images', './img/logo.png', 'addin/src/img/logo.png')]
"""

from __future__ import annotations

from typing import Iterable

from ..diagnostics import Diagnostic
from ..ir import nodes as ir
from .layouts import LayoutRef, _find, layout_entry

__all__ = ["addin_files", "read_addin_files", "ADDIN_PROPERTIES", "ADDIN_FOLDER"]

ADDIN_FOLDER = "addin/src/"
ADDIN_PROPERTIES = ("Scripts", "StartupScript", "RecreateScript", "RefreshScript", "StyleSheets", "Images")
_KEYS = {p.casefold(): p for p in ADDIN_PROPERTIES}


class AddinFile(LayoutRef):
    """A file a control add-in names (a LayoutRef whose ``layout`` is the property)."""

    @property
    def property(self) -> str:
        return self.layout


def _entry(path: str):
    entry = layout_entry(path)
    return None if entry is None else ADDIN_FOLDER + entry[len("layout/"):]


def addin_files(objects: Iterable) -> list:
    """The files the control add-ins among ``objects`` name, in declaration order."""
    out = []
    for obj in objects:
        if not isinstance(obj, ir.ControlAddIn):
            continue
        for prop in obj.properties:
            key = _KEYS.get(prop.name.casefold()) if isinstance(prop, ir.Property) else None
            if key is None or not isinstance(prop.value, ir.Values):
                continue
            for item in prop.value.items:
                path = getattr(item, "value", None)
                if not isinstance(item, ir.Literal) or not isinstance(path, str) or "://" in path:
                    continue
                out.append(AddinFile(obj.kind, obj.name, "addin", key, "", path, _entry(path), prop.span))
    return out


def read_addin_files(project: str, refs: Iterable) -> tuple[dict, list]:
    """Entry name -> bytes (declaration order, each file once) and the
    diagnostics: ALC0465 for a file that does not exist or leaves the project."""
    entries: dict[str, bytes] = {}
    diagnostics: list[Diagnostic] = []
    seen = set()
    for ref in sorted(refs, key=lambda r: r.order):
        what = f"{ref.layout} of controladdin `{ref.object_name}`"
        if ref.entry is None:
            diagnostics.append(Diagnostic.error("ALC0465", f"control add-in file `{ref.path}` ({what}) is outside "
                                                           "the project folder", ref.span))
            continue
        if ref.entry.casefold() in seen:
            continue
        found = _find(project, ref.entry[len(ADDIN_FOLDER):])
        try:
            if found is None:
                raise FileNotFoundError
            with open(found, "rb") as f:
                entries[ref.entry] = f.read()
            seen.add(ref.entry.casefold())
        except OSError:
            diagnostics.append(Diagnostic.error("ALC0465", f"control add-in file `{ref.path}` ({what}) does not "
                                                           "exist", ref.span))
    return entries, diagnostics
