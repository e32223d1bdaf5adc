"""Control add-in files in packages: the `Scripts`, `StartupScript`,
`RecreateScript`, `RefreshScript`, `StyleSheets` and `Images` a control
add-in names (paths relative to the project folder; URLs are not packed).

Each file is packed once as `addin/src/<path>` (the path as written, `/`
separators, less a leading `./`). INFERRED: no real package with a control
add-in was at hand; BcContainerHelper's Extract-AppFileToFolder moves the
contents of a package's `addin/src/` folder to the project root, which gives
back the paths the add-in names only with this layout.

A path is looked for as the platform documents it (runtime 13 and later):
relative to the project folder first, then relative to the folder of the
control add-in's source file; a file found the second way is packed under
its path from the project folder (INFERRED), so that an unpacked project
finds it again. `*` and `?` in a path's last segment name every matching
file (in name order); a pattern that matches nothing is ALC0465 like a
missing file. The System Application's `EarlyAccessPreviewBanner` names
`startup.js`, which lies beside its source file.

>>> from alc import parse_text
>>> objs = parse_text("controladdin Chart { Scripts = 'js/chart.js', 'https://cdn.example/x.js'; "
...                   "StartupScript = 'js\\\\start.js'; Images = './img/logo.png'; }").objects
>>> [(r.property, r.path, r.entry) for r in addin_files(objs)]
[('Scripts', 'js/chart.js', 'addin/src/js/chart.js'), ('StartupScript', 'js\\\\start.js', 'addin/src/js/start.js'), \
('Images', './img/logo.png', 'addin/src/img/logo.png')]
"""

from __future__ import annotations

import fnmatch
import os
from typing import Iterable, Optional

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


def _glob(project: str, rel: str) -> list:
    """The files under ``project`` that ``rel`` names (its last segment may hold `*` and `?`), as
    `/`-separated paths from ``project``, in name order."""
    if not any(c in rel for c in "*?"):
        found = _find(project, rel)
        return [] if found is None else [os.path.relpath(found, project).replace(os.sep, "/")]
    folder, _, pattern = rel.rpartition("/")
    here = _find(project, folder, folder=True)
    if here is None:
        return []
    try:
        names = sorted(os.listdir(here))
    except OSError:
        return []
    rel_dir = os.path.relpath(here, project).replace(os.sep, "/")
    prefix = "" if rel_dir == "." else rel_dir + "/"
    return [prefix + n for n in names
            if fnmatch.fnmatch(n.casefold(), pattern.casefold()) and os.path.isfile(os.path.join(here, n))]


def _source_folder(project: str, ref) -> Optional[str]:
    """The control add-in's source folder as a `/`-separated path from the project ('' for the project
    itself), or None when unknown or outside the project."""
    path = ref.span.file if ref.span is not None else ""
    if not path:
        return None
    folder = os.path.dirname(os.path.join(project, path))
    rel = os.path.relpath(folder, project).replace(os.sep, "/")
    if rel == ".":
        return ""
    return None if rel.startswith("../") or rel == ".." or os.path.isabs(rel) else rel


def _locate(project: str, ref) -> list:
    """(entry path, path on disk), both `/`-separated from the project folder, of the files ``ref`` names:
    from the project folder, else from its source file's folder."""
    rel = ref.entry[len(ADDIN_FOLDER):]
    found = _glob(project, rel)
    if found:
        if len(found) == 1 and not any(c in rel for c in "*?"):
            return [(rel, found[0])]      # packed under the path as written (its case), read from the disk's
        return [(f, f) for f in found]
    folder = _source_folder(project, ref)
    if folder:
        beside = layout_entry(folder + "/" + rel)
        if beside is not None:
            return [(f, f) for f in _glob(project, beside[len("layout/"):])]
    return []


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
        try:
            found = _locate(project, ref)
            if not found:
                raise FileNotFoundError
            for rel, disk in found:
                entry = ADDIN_FOLDER + rel
                if entry.casefold() in seen:
                    continue
                with open(os.path.join(project, *disk.split("/")), "rb") as f:
                    entries[entry] = f.read()
                seen.add(entry.casefold())
        except OSError:
            diagnostics.append(Diagnostic.error("ALC0465", f"control add-in file `{ref.path}` ({what}) does not "
                                                           "exist", ref.span))
    return entries, diagnostics
