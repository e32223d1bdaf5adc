"""Where each side of a conflict is written: the position in the app's source, from its package.

A merge of packages works on the IR of their metadata, which carries no positions; the packages
do carry their source (`src/`). For every side of a conflict whose span is unknown, the source
files of that app that mention the object are parsed (declarations only), and the side is found
there: the property in the element the conflict names (`modify(Name) { Visible = false; }`),
else that element, else the object (or the extension object of that app that changes it).
Positions print as `<package>/src/<file>(line,col)`.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

import attrs

from ..ir import nodes as ir
from ..ir.visit import walk
from .deltas import TARGET_KINDS

__all__ = ["locate_conflicts"]


def locate_conflicts(result: Any, packages: Mapping[str, str], read: Optional[Callable[[str], Any]] = None) -> Any:
    """``result`` with the spans of its conflicts and warnings filled in where the source tells.
    ``packages``: app id -> package path; ``read(path)``: the package (default: read it again)."""
    sources = _Sources(packages, read)

    def fill(conflict):
        if conflict.object is None or not conflict.apps:
            return conflict
        spans = list(conflict.spans) + [None] * (len(conflict.apps) - len(conflict.spans))
        if all(s is not None for s in spans):
            return conflict
        for i, app in enumerate(conflict.apps):
            if spans[i] is None:
                spans[i] = sources.find(app.id, conflict)
        return attrs.evolve(conflict, spans=tuple(spans))

    return attrs.evolve(result, conflicts=tuple(fill(c) for c in result.conflicts),
                        warnings=tuple(fill(c) for c in result.warnings))


class _Sources:
    """The source files of each app, read when first needed and parsed when they mention
    what is looked for. Each file is kept folded for that search: its bytes lowered when
    they are ASCII (most AL files; no decoding, no casefolding of a hundred megabytes for
    a large app), else its text casefolded."""

    def __init__(self, packages: Mapping[str, str], read: Optional[Callable[[str], Any]] = None):
        self.packages = packages
        self.read = read
        self.files: dict = {}        # app id -> (package, [(display path, entry, folded bytes or text)])
        self.parsed: dict = {}       # (app id, display path) -> objects

    def _files(self, app_id: str) -> tuple:
        found = self.files.get(app_id)
        if found is None:
            found = self.files[app_id] = (None, [])
            path = self.packages.get(app_id)
            if path is not None:
                from ..package import PackageError, read_package
                try:
                    package = self.read(path) if self.read is not None else read_package(path, symbols=False)
                    files = []
                    for entry in package.source_files:
                        if entry.lower().endswith(".al"):
                            data = package.read(entry)
                            folded = data.lower() if data.isascii() else _text(data).casefold()
                            files.append((f"{path}/{entry}", entry, folded))
                    found = self.files[app_id] = (package, files)
                except PackageError:
                    pass
        return found

    def _objects(self, app_id: str, package: Any, display: str, entry: str) -> list:
        key = (app_id, display)
        objs = self.parsed.get(key)
        if objs is None:
            from ..source import SourceFile
            from ..syntax.api import parse_source
            text = _text(package.read(entry))
            objs = self.parsed[key] = list(parse_source(SourceFile(display, text), lazy_bodies=True).objects)
        return objs

    def find(self, app_id: str, conflict) -> Optional[Any]:
        target = conflict.object
        words = [w.casefold() for w in (target.name, str(target.id) if target.id is not None else None) if w]
        ascii_words = [w.encode("ascii") for w in words if w.isascii()]
        package, files = self._files(app_id)
        for display, entry, folded in files:
            if not (any(w in folded for w in ascii_words) if type(folded) is bytes else any(w in folded for w in words)):
                continue
            for obj in self._objects(app_id, package, display, entry):
                if _is_about(obj, target):
                    span = _span_in(obj, conflict.element, conflict.property)
                    if span is not None:
                        return span
        return None


def _text(data: bytes) -> str:
    return data.decode("utf-8-sig", "replace")


def _same_name(a: Optional[str], b: Optional[str]) -> bool:
    if a is None or b is None:
        return False
    a, b = a.casefold(), b.casefold()
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def _is_about(obj: Any, target) -> bool:
    """Is ``obj`` the target object, or an extension of it?"""
    if obj.kind == target.type:
        return (target.id is not None and getattr(obj, "id", None) == target.id) or _same_name(obj.name, target.name)
    if TARGET_KINDS.get(obj.kind) == target.type:
        named = obj.target
        numeric = named.isascii() and named.isdigit() and len(named) <= 18
        return (numeric and target.id is not None and int(named) == target.id) or _same_name(named, target.name)
    return False


def _names(node: Any) -> tuple:
    if type(node) is ir.Change:
        return (node.anchor,) + tuple(node.targets)
    name = getattr(node, "name", None)
    return (name,) if isinstance(name, str) and not isinstance(node, (ir.Property, ir.Variable)) else ()


def _span_in(obj: Any, element: Optional[str], prop: Optional[str]) -> Optional[Any]:
    """The span of ``prop`` in ``element`` of ``obj``, else of ``element``, else of ``obj``."""
    if element is None:
        if prop is not None:
            for p in obj.properties:
                if p.name.casefold() == prop.casefold():
                    return p.span
        return obj.span
    holders = [n for n in walk(obj) if n is not obj and any(_same_name(x, element) for x in _names(n))]
    if prop is not None:
        for holder in holders:
            for p in getattr(holder, "properties", ()):
                if p.name.casefold() == prop.casefold():
                    return p.span
    for holder in holders:
        if holder.span is not None:
            return holder.span
    return obj.span
