"""Capabilities and prerequisites of an extension, computed from its IR objects.

Capabilities say what kind of change a package makes (the NAV 2016 packager
recorded them; the modern manifest has no such element, so alc writes its
own `Capabilities`). Prerequisites are the base objects an extension needs:
the targets of its extension objects. Both are syntactic: a prerequisite
carries the target's name, and its id only when the caller resolved it.

>>> from alc import parse_text
>>> objs = parse_text('tableextension 50100 X extends Customer { fields { field(50100; F; Integer) { } '
...                   'modify(Name) { Caption = \\'N\\'; } } }  codeunit 50101 C { }').objects
>>> capabilities(objs)
('schemaChanges', 'FieldPropertyChanges', 'codeAdds')
>>> prerequisites(objs)
(Prerequisite(object_type='Table', name='Customer', id=None),)
"""

from __future__ import annotations

from typing import Iterable

from ..ir import nodes as ir
from .manifest import Prerequisite

__all__ = ["CAPABILITIES", "capabilities", "prerequisites"]

CAPABILITIES = ("schemaAdds", "schemaChanges", "FieldPropertyChanges", "uiAdds", "uiChanges", "codeAdds",
                "permissionSets", "ReportAdds", "ReportChanges", "QueryAdds", "XMLPortAdds", "EnumAdds",
                "EnumChanges", "ProfileAdds", "ProfileChanges", "ControlAddInAdds")
"""Every capability alc reports, in the order it lists them."""

_TARGET_TYPES = {"tableextension": "Table", "pageextension": "Page", "pagecustomization": "Page",
                 "reportextension": "Report", "enumextension": "Enum", "permissionsetextension": "PermissionSet",
                 "profileextension": "Profile"}

_ADDS = {"table": "schemaAdds", "page": "uiAdds", "codeunit": "codeAdds", "interface": "codeAdds",
         "permissionset": "permissionSets", "permissionsetextension": "permissionSets", "report": "ReportAdds",
         "reportextension": "ReportChanges", "query": "QueryAdds", "xmlport": "XMLPortAdds", "enum": "EnumAdds",
         "enumextension": "EnumChanges", "profile": "ProfileAdds", "profileextension": "ProfileChanges",
         "pageextension": "uiChanges", "pagecustomization": "uiChanges", "controladdin": "ControlAddInAdds"}


def _table_extension(obj: ir.TableExtension) -> set:
    found = set()
    for member in obj.fields:
        if isinstance(member, ir.TableField):
            found.add("schemaChanges")
        elif isinstance(member, ir.Change) and member.op == "modify":
            found.add("FieldPropertyChanges")
    if any(isinstance(k, ir.Key) for k in obj.keys):
        found.add("schemaChanges")
    return found


def capabilities(objects: Iterable) -> tuple[str, ...]:
    """What the objects add or change, in CAPABILITIES order. Code in an
    extension object (procedures, triggers) also counts as `codeAdds`."""
    found: set = set()
    for obj in objects:
        if isinstance(obj, ir.TableExtension):
            found |= _table_extension(obj)
        elif obj.kind in _ADDS:
            found.add(_ADDS[obj.kind])
        if obj.is_extension and (getattr(obj, "procedures", ()) or getattr(obj, "triggers", ())):
            found.add("codeAdds")
    return tuple(c for c in CAPABILITIES if c in found)


def prerequisites(objects: Iterable) -> tuple[Prerequisite, ...]:
    """The targets of extension objects, sorted by type and name, each once."""
    seen: dict = {}
    for obj in objects:
        kind = _TARGET_TYPES.get(obj.kind)
        if kind is not None:
            seen.setdefault((kind, obj.target.casefold()), Prerequisite(kind, obj.target))
    return tuple(seen[k] for k in sorted(seen))
