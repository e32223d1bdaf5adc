"""What an object leaves behind when it, or one of its fields, moved to
another app (`ObsoleteState = Moved` with `MovedTo`): a stub that declares
nothing. The merge drops such stubs, and package metadata flags the objects
that carry one (package.metadata.moves_out).

>>> from alc import parse_text
>>> t = parse_text("table 50100 T { fields { field(1; A; Integer) { ObsoleteState = Moved; } "
...                "field(2; B; Integer) { } } }").objects[0]
>>> [f.name for f in without_moved_out(t).fields]
['B']
"""

from __future__ import annotations

from typing import Any, Optional

import attrs

from . import nodes as ir

__all__ = ["moved_out", "without_moved_out"]


def moved_out(properties) -> bool:
    """Whether these properties say `ObsoleteState = Moved`."""
    return any(p.name.casefold() == "obsoletestate" and isinstance(p.value, ir.Values)
               and isinstance(p.value.single, ir.Name) and p.value.single.value.casefold() == "moved"
               for p in properties)


def without_moved_out(obj: Any) -> Optional[Any]:
    """The object as it declares itself: None when it moved out, a table or
    table extension without its moved-out fields, else the object itself."""
    if moved_out(obj.properties):
        return None
    if obj.kind in ("table", "tableextension") and any(
            isinstance(f, ir.TableField) and moved_out(f.properties) for f in obj.fields):
        return attrs.evolve(obj, fields=tuple(f for f in obj.fields
                                              if not (isinstance(f, ir.TableField) and moved_out(f.properties))))
    return obj
