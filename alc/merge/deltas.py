"""Extension objects as ordered delta records.

Every operation of an extension object becomes one :class:`Delta`, in
source order: what it adds (`add`, `addfirst`, `addlast`, `addafter`,
`addbefore`, with the IR members), what it moves (`movefirst`, `movelast`,
`moveafter`, `movebefore`, with the names moved), each property a `modify`
(or the extension object itself) sets, and each trigger it adds. Deltas are
keyed by section: `field`, `key`, `fieldgroup` (tables), `control`,
`action`, `view` (pages), `value` (enums), `dataset`, `requestpage`,
`requestpage-action`, `rendering`, `label` (reports), `permission`
(permission sets) and `object` for the object's own properties and
triggers.

>>> from alc import parse_text
>>> ext = parse_text('''pageextension 50100 X extends "Customer Card" {
...   layout { addafter(Name) { field(Foo; Rec.Foo) { } } modify(Name) { Visible = false; } }
...   actions { movefirst(Processing; Post, Print) } }''').unit.objects[0]
>>> for d in extension_deltas("app", ext):
...     print(d.section, d.op, d.anchor, d.elements, d.property)
control addafter Name ('Foo',) None
control modify None ('Name',) Visible
action movefirst Processing ('Post', 'Print') None
"""

from __future__ import annotations

import builtins
from typing import Any, Iterator, Optional

import attrs

from ..ir import nodes as ir
from ..source import Span
from .model import ObjectRef, object_ref

__all__ = ["Delta", "TARGET_KINDS", "ADD_OPS", "MOVE_OPS", "SECTION_NOUNS", "extension_deltas", "app_deltas",
           "member_names", "CHILD_ATTRS"]

TARGET_KINDS = {"tableextension": "table", "pageextension": "page", "enumextension": "enum",
                "reportextension": "report", "permissionsetextension": "permissionset"}
"""The extension kinds merge folds into their targets, and the target kinds."""

ADD_OPS = frozenset(("add", "addfirst", "addlast", "addafter", "addbefore"))
MOVE_OPS = frozenset(("movefirst", "movelast", "moveafter", "movebefore"))

SECTION_NOUNS = {"field": "field", "key": "key", "fieldgroup": "field group", "control": "control",
                 "action": "action", "view": "view", "value": "value", "dataset": "data item or column",
                 "requestpage": "request page control", "requestpage-action": "request page action",
                 "rendering": "layout", "label": "label", "permission": "permission",
                 "includedpermissionset": "included permission set"}
"""How messages name the elements of each section."""

CHILD_ATTRS = {ir.Control: "controls", ir.Action: "actions", ir.DataNode: "children"}
"""Where the nested elements of a tree element are."""

# Properties that describe the extension object itself, not changes to its target.
_OWN_PROPERTIES = frozenset(("obsoletestate", "obsoletereason", "obsoletetag", "access", "inherentpermissions",
                             "inherententitlements", "dataclassification", "permissions", "extensible"))
# Properties of a permissionsetextension whose items it adds to the target's.
_ADDED_LISTS = {"permissions": "permission", "includedpermissionsets": "includedpermissionset"}


@attrs.frozen
class Delta:
    """One operation of one extension object.

    ``elements``: the names of the members added, the names moved, or the
    one element a `modify`/`trigger` delta changes (empty for the object).
    ``value``: the Property a `modify` sets, the Trigger a `trigger` adds.
    """
    app: str
    source: ObjectRef
    target_kind: str
    target: str
    section: str
    op: str
    anchor: Optional[str] = None
    elements: tuple = ()
    members: tuple = ()
    property: Optional[str] = None
    value: Any = None
    span: Optional[Span] = attrs.field(default=None, eq=False, repr=False)

    @builtins.property       # the field `property` shadows the builtin in this class body
    def element(self) -> Optional[str]:
        """The element a `modify`/`trigger` delta changes (None: the object)."""
        return self.elements[0] if self.elements else None


def app_deltas(app: Any) -> list:
    """The deltas of every extension object of an :class:`~alc.merge.model.App`, in order."""
    out = []
    for obj in app.objects:
        if obj.kind in TARGET_KINDS:
            out.extend(extension_deltas(app.id, obj))
    return out


def extension_deltas(app: str, ext: Any) -> list:
    """The deltas of one extension object, in source order."""
    make = _Maker(app, object_ref(ext), TARGET_KINDS[ext.kind], ext.target)
    out: list = []
    for section, items in _sections(ext):
        for item in items:
            out.extend(_item_deltas(make, section, item))
    if ext.kind == "permissionsetextension":
        out.extend(_permission_deltas(make, ext.properties))
    else:
        out.extend(make.modify("object", None, p) for p in ext.properties
                   if p.name.casefold() not in _OWN_PROPERTIES)
    out.extend(make.trigger("object", None, t) for t in ext.triggers)
    return out


def member_names(node: Any) -> Iterator[str]:
    """The names of an added member and of every element nested in it.

    >>> g = ir.Control("group", "G", controls=(ir.Control("field", "A"), ir.Control("field", "B")))
    >>> list(member_names(g))
    ['G', 'A', 'B']
    """
    stack = [node]
    while stack:
        current = stack.pop()
        yield _name_of(current)
        attr = CHILD_ATTRS.get(type(current))
        if attr is not None:
            stack.extend(reversed(getattr(current, attr)))


def _name_of(node: Any) -> str:
    return node.name


def _sections(ext: Any) -> list:
    kind = ext.kind
    if kind == "tableextension":
        return [("field", ext.fields), ("key", ext.keys), ("fieldgroup", ext.fieldgroups)]
    if kind == "pageextension":
        return [("control", ext.layout), ("action", ext.actions), ("view", ext.views)]
    if kind == "enumextension":
        return [("value", ext.values)]
    if kind == "reportextension":
        page = ext.requestpage
        return [("dataset", ext.dataset), ("requestpage", page.layout if page else ()),
                ("requestpage-action", page.actions if page else ()), ("rendering", ext.rendering),
                ("label", ext.labels)]
    return []


def _item_deltas(make: "_Maker", section: str, item: Any) -> list:
    """Deltas of one entry of a section: a Change, or a member declared directly."""
    if type(item) is not ir.Change:
        return [make.delta(section, "add", members=(item,), elements=(item.name,), span=item.span)]
    op = item.op
    if op in ADD_OPS and section == "fieldgroup":
        # `addlast(DropDown; A, B)` adds field names to a field group.
        return [make.delta(section, op, anchor=item.anchor, elements=item.targets, span=item.span)]
    if op in ADD_OPS:
        return [make.delta(section, op, anchor=item.anchor, members=item.members,
                           elements=tuple(m.name for m in item.members), span=item.span)]
    if op in MOVE_OPS:
        return [make.delta(section, op, anchor=item.anchor, elements=item.targets, span=item.span)]
    return ([make.modify(section, item.anchor, p) for p in item.properties]
            + [make.trigger(section, item.anchor, t) for t in item.triggers])


def _permission_deltas(make: "_Maker", properties: tuple) -> list:
    out = []
    for p in properties:
        section = _ADDED_LISTS.get(p.name.casefold())
        if section == "permission" and isinstance(p.value, ir.PermissionsValue):
            items = p.value.permissions
            out.append(make.delta(section, "add", members=items,
                                  elements=tuple(f"{x.kind} {x.target}" for x in items), span=p.span))
        elif section is not None and isinstance(p.value, ir.Values):
            items = tuple(x for x in p.value.items if x is not None)
            out.append(make.delta(section, "add", members=items, elements=(), span=p.span))
        elif p.name.casefold() not in _OWN_PROPERTIES:
            out.append(make.modify("object", None, p))
    return out


@attrs.frozen
class _Maker:
    """Builds the deltas of one extension object (its fixed fields bound once)."""
    app: str
    source: ObjectRef
    target_kind: str
    target: str

    def delta(self, section: str, op: str, **kw) -> Delta:
        return Delta(self.app, self.source, self.target_kind, self.target, section, op, **kw)

    def modify(self, section: str, element: Optional[str], prop: ir.Property) -> Delta:
        return self.delta(section, "modify", elements=(element,) if element is not None else (),
                          property=prop.name, value=prop, span=prop.span)

    def trigger(self, section: str, element: Optional[str], trigger: ir.Trigger) -> Delta:
        return self.delta(section, "trigger", elements=(element,) if element is not None else (),
                          value=trigger, span=trigger.span)
