"""`alc merged`: one merged object with its conflicts marked and the code extensions add.

The merge folds what extensions change into their targets (fields, controls, properties,
triggers); the variables and procedures a table or page extension declares stay in the extension
object at run time, but a reader of the merged object wants to see them: they are shown after the
object's own code, each group under the app that adds it. Every property (or element) a conflict
is about is marked with a `// CONFLICT ALC03xx: ...` comment, and :func:`object_conflicts` says
whether the object has conflicts (the command then exits 1).
"""

from __future__ import annotations

from typing import Any, Sequence

from ..appmodel import is_id_text
from .deltas import TARGET_KINDS
from .model import object_ref

__all__ = ["object_conflicts", "conflict_marks", "added_code"]


def _same(a, b) -> bool:
    return a is not None and b is not None and a.casefold() == b.casefold()


def object_conflicts(result: Any, obj: Any) -> list:
    """The conflicts (not the warnings) about ``obj``."""
    ref = object_ref(obj)
    return [c for c in result.conflicts if c.object is not None and c.object.type == ref.type
            and ((ref.id is not None and c.object.id == ref.id) or _same(c.object.name, ref.name))]


def conflict_marks(conflicts: Sequence) -> dict:
    """(element or None, property or None), casefolded -> the comment text that marks it."""
    marks: dict = {}
    for c in conflicts:
        key = (c.element.casefold() if c.element else None, c.property.casefold() if c.property else None)
        sides = ", ".join(f"{v} by {a.name}" for v, a in zip(c.values, c.apps)) if c.property else \
            ", ".join(a.name for a in c.apps)
        text = f"CONFLICT {c.code}: {sides}"
        marks[key] = f"{marks[key]}; {text}" if key in marks else text
    return marks


def added_code(result: Any, apps: Sequence, obj: Any) -> list:
    """(AppRef, variables, procedures) of the table and page extensions of ``obj``, in applied order."""
    ref = object_ref(obj)
    by_id = {a.id: a for a in apps}
    out = []
    for app_id in result.order:
        app = by_id.get(app_id)
        if app is None:
            continue
        for ext in app.objects:
            if TARGET_KINDS.get(getattr(ext, "kind", None)) != ref.type or ext.kind not in ("tableextension",
                                                                                            "pageextension"):
                continue
            target = ext.target
            if not ((is_id_text(target) and ref.id == int(target)) or _same(target.rsplit(".", 1)[-1], ref.name)
                    or _same(target, ref.name)):
                continue
            if ext.variables or ext.procedures:
                out.append((app.ref, tuple(ext.variables), tuple(ext.procedures)))
    return out
