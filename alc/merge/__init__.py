"""The merge engine: what a tenant sees once a set of apps is installed.

``merge(apps)`` folds the extension objects of every app onto the objects
they extend, in dependency order, and reports every conflict before
anything is installed. It works on IR only (the metadata packages carry),
never on files: :class:`App` is a manifest and a tuple of IR objects.

>>> from alc import parse_text
>>> from alc.appmodel import AppManifest, Dependency, Version
>>> v1 = Version(1, 0, 0, 0)
>>> base = App(AppManifest("00000000-0000-0000-0000-0000000000b0", "Base", "MS", v1),
...            parse_text("enum 50000 Color { value(0; Red) { } }").unit.objects)
>>> ext = App(AppManifest("00000000-0000-0000-0000-000000000001", "More Colors", "Me", v1,
...                       dependencies=[Dependency(base.id, "Base", "MS", v1)]),
...           parse_text("enumextension 50100 More extends Color { value(1; Green) { } }").unit.objects)
>>> result = merge([ext, base])
>>> [a.name for a in result.apps], result.ok
(['Base', 'More Colors'], True)
>>> from alc.merge import render_merged
>>> print(render_merged(result.find("enum", 50000), result.provenance))
enum 50000 Color // from Base
{
    value(0; Red) { } // from Base
    value(1; Green) { } // from More Colors
}

Modules: ``order`` (the app graph), ``deltas`` (extension objects as
delta records), ``work`` and ``tree`` (applying deltas to one object),
``conflicts`` (property and move conflicts from the delta index),
``apply`` (the driver), ``render`` (merged objects as AL and JSON),
``load`` (packages -> apps, objects decoded on demand).
"""

from .apply import merge
from .deltas import Delta, app_deltas, extension_deltas
from .model import (KIND_CODES, POLICIES, App, AppRef, Conflict, MergeOptions, MergeResult, ObjectRef, Provenance,
                    object_key, object_ref)
from .order import AppGraph, build_graph

__all__ = ["merge", "App", "AppRef", "ObjectRef", "Conflict", "Provenance", "MergeResult", "MergeOptions",
           "KIND_CODES", "POLICIES", "Delta", "extension_deltas", "app_deltas", "AppGraph", "build_graph",
           "render_merged", "merged_json", "object_key", "object_ref"]


def __getattr__(name: str):
    """``render_merged`` and ``merged_json`` on first use: the renderer (and the printer it uses)
    is imported by the commands that show merged objects, not by every merge."""
    if name in ("render_merged", "merged_json"):
        from . import render
        return getattr(render, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
