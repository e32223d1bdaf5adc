"""Applying deltas to one target object.

An :class:`ObjectWork` holds a base object while the deltas of every
extension of it are applied, in app order. Sections are thawed into
:class:`~alc.merge.tree.Tree` s on first use. Conflicts that depend on
what is already there (duplicates, missing anchors) are found here, by
O(1) index lookups; property and move conflicts between apps are found
afterwards from the delta index (:mod:`alc.merge.conflicts`).

What happens on a problem follows Business Central's runtime: a member
whose name (or id) is taken is not added; a move or modify whose anchor or
target is absent is ignored (AL1416); an add whose anchor is absent goes to
a default location, the end of the first area (AL1417), except in report
datasets, where it is dropped.

>>> from alc.merge.deltas import extension_deltas
>>> from alc import parse_text
>>> base, ext = parse_text('''enum 50100 Color { value(0; Red) { } }
... enumextension 50101 More extends Color { value(1; Green) { } value(0; Blue) { } }''').unit.objects
>>> from alc.merge.model import AppRef
>>> journal = Journal({a: AppRef(a, a.title(), "P", "1.0.0.0") for a in ("base", "ext")})
>>> work = ObjectWork(base, "base", journal)
>>> for delta in extension_deltas("ext", ext):
...     work.apply(delta)
>>> [v.name for v in work.freeze().values], [c.kind for c in journal.conflicts]
(['Red', 'Green'], ['duplicate-enum-value'])
>>> journal.conflicts[0].message
'value ordinal 0 (`Blue`) added to enum 50100 `Color` by `Ext` is already used by `Red` from `Base`'

"""

from __future__ import annotations

from typing import Any, Optional

import attrs

from ..ir import nodes as ir
from .deltas import ADD_OPS, MOVE_OPS, SECTION_NOUNS, Delta, member_names
from .model import Conflict, object_key, object_ref
from .tree import Elem, Tree, canonical_properties, contains

__all__ = ["Journal", "ObjectWork", "SECTIONS"]

SECTIONS = {
    "table": {"field": ("fields", "id"), "key": ("keys", None), "fieldgroup": ("fieldgroups", None)},
    "page": {"control": ("layout", None), "action": ("actions", None), "view": ("views", None)},
    "enum": {"value": ("values", "id")},
    "report": {"dataset": ("dataset", None), "requestpage": ("layout", None),
               "requestpage-action": ("actions", None), "rendering": ("rendering", None),
               "label": ("labels", None)},
    "permissionset": {},
}
"""Per target kind: section -> (IR attribute, id attribute or None). The
`requestpage*` attributes are those of the report's RequestPage."""

_WHERE = {"add": "last", "addfirst": "first", "addlast": "last", "addafter": "after", "addbefore": "before",
          "movefirst": "first", "movelast": "last", "moveafter": "after", "movebefore": "before"}
# Areas a page extension may add to although the page declares none, and the
# promoted-action groups every page has (shared with the compile-time rules).
from ..ir.anchors import PROMOTED_CATEGORY, STANDARD_AREAS as _AREAS  # noqa: E402

STANDARD_AREAS = {"control": _AREAS["control"], "action": _AREAS["action"]}
_AREA_SECTIONS = {"control": "control", "action": "action", "requestpage": "control",
                  "requestpage-action": "action"}

_PLACED_BY_DEFAULT = frozenset(("control", "action", "view", "requestpage", "requestpage-action"))
_DUPLICATE_KINDS = {"control": "duplicate-control", "action": "duplicate-control",
                    "requestpage": "duplicate-control", "requestpage-action": "duplicate-control",
                    "field": "duplicate-field-name", "value": "duplicate-enum-value"}
_RIGHTS = "RIMDX"
# Elements whose names are scoped by the app that declares them: Business
# Central installs a table extension's `Key1` beside the table's own `Key1`,
# and a report extension's layout named like one of the report's.
_NAMES_PER_APP = frozenset(("key", "rendering"))


@attrs.define
class Journal:
    """What applying deltas records: conflicts and provenance (see
    :class:`~alc.merge.model.Provenance` for the keys)."""
    apps: dict
    conflicts: list = attrs.Factory(list)
    elements: dict = attrs.Factory(dict)
    moves: dict = attrs.Factory(dict)
    properties: dict = attrs.Factory(dict)
    triggers: dict = attrs.Factory(dict)


class ObjectWork:
    """One target object and the changes applied to it so far."""

    def __init__(self, obj: Any, owner: str, journal: Journal):
        self.obj = obj
        self.owner = owner
        self.journal = journal
        self.key = object_key(obj)
        self.ref = object_ref(obj)
        self.root = Elem(obj)
        self.trees: dict = {}

    def tree(self, section: str) -> Tree:
        tree = self.trees.get(section)
        if tree is None:
            attr, id_attr = SECTIONS[self.obj.kind][section]
            holder = self.obj.requestpage if section.startswith("requestpage") else self.obj
            tree = self.trees[section] = Tree(getattr(holder, attr) if holder is not None else (), id_attr)
        return tree

    def origin(self, section: str, name: str) -> str:
        """The app an element of this object comes from."""
        return self.journal.elements.get((self.key, section, name.casefold()), self.owner)

    # -- applying --------------------------------------------------------
    def apply(self, delta: Delta) -> None:
        op, section = delta.op, delta.section
        if section not in SECTIONS[self.obj.kind] and section not in ("object", "permission", "includedpermissionset"):
            return                          # a section this kind of object does not have
        if section == "permission" or section == "includedpermissionset":
            self._add_to_list(delta)
        elif op in ADD_OPS and section == "fieldgroup" and not delta.members:
            self._extend_fieldgroup(delta)
        elif op in ADD_OPS:
            self._add(delta)
        elif op in MOVE_OPS:
            self._move(delta)
        elif op == "modify":
            self._modify(delta)
        elif op == "trigger":
            self._trigger(delta)

    def _add(self, delta: Delta) -> None:
        tree = self.tree(delta.section)
        where, anchor = _WHERE[delta.op], None
        if delta.anchor is not None:
            anchor = tree.find(delta.anchor) or self._implicit(tree, delta)
            if anchor is None:
                self._missing(delta, delta.anchor, "anchor")
                if delta.section not in _PLACED_BY_DEFAULT:
                    return
                where, anchor = "last", tree.default_parent()
        previous = None
        elements = self.journal.elements
        for member in delta.members:
            names = list(member_names(member))
            if not self._free(tree, delta, member, names):
                continue
            elem = tree.add(member)
            tree.place(elem, where, anchor) if previous is None else tree.place(elem, "after", previous)
            previous = elem
            for name in names:
                elements.setdefault((self.key, delta.section, name.casefold()), delta.app)

    def _implicit(self, tree: Tree, delta: Delta) -> Optional[Elem]:
        """Anchors every page has without declaring them: the standard areas
        (`addlast(Processing)` on a page without actions, `addlast(Content)` on
        a request page without layout) and the promoted groups of
        PromotedActionCategories (`Category_Process`, `Category_Category4`)."""
        section = _AREA_SECTIONS.get(delta.section)
        if section is None:
            return None
        name = delta.anchor
        node = ir.Control if section == "control" else ir.Action
        if delta.op in ("addfirst", "addlast") and name.casefold() in STANDARD_AREAS[section]:
            area = tree.add(node("area", name))
            tree.place(area, "last", None)
            return area
        if section == "action" and PROMOTED_CATEGORY.match(name):
            promoted = tree.find("Promoted")
            if promoted is None:
                promoted = tree.add(node("area", "Promoted"))
                tree.place(promoted, "last", None)
            group = tree.add(node("group", name))
            tree.place(group, "last", promoted)
            return group
        return None

    def _free(self, tree: Tree, delta: Delta, member: Any, names: list) -> bool:
        """Whether no name (or id) of ``member`` is taken; report each that is."""
        free = True
        ident = getattr(member, tree.id_attr) if tree.id_attr is not None else None
        taken = tree.find_id(ident) if ident is not None else None
        if taken is not None:
            kind = "duplicate-field-id" if delta.section == "field" else "duplicate-enum-value"
            word = "id" if delta.section == "field" else "ordinal"
            self._duplicate(kind, delta, taken, member.name, str(ident), f"{word} {ident} (`{member.name}`)")
            free = False
        for name in names:
            taken = tree.find(name)
            if taken is not None and delta.section not in _NAMES_PER_APP:
                kind = _DUPLICATE_KINDS.get(delta.section, "duplicate-element")
                self._duplicate(kind, delta, taken, name, name, f"name `{name}`")
                free = False
        return free

    def _move(self, delta: Delta) -> None:
        tree = self.tree(delta.section)
        anchor = tree.find(delta.anchor)
        if anchor is None:
            self._missing(delta, delta.anchor, "anchor")
            return
        previous = None
        for name in delta.elements:
            elem = tree.find(name)
            if elem is None:
                self._missing(delta, name, "target")
                continue
            if contains(elem, anchor):
                continue                    # a group cannot move into itself (a compile error)
            tree.place(elem, _WHERE[delta.op], anchor) if previous is None else tree.place(elem, "after", previous)
            previous = elem
            self.journal.moves[(self.key, delta.section, name.casefold())] = delta.app

    def _target(self, delta: Delta) -> Optional[Elem]:
        if delta.element is None:
            return self.root
        tree = self.tree(delta.section)
        elem = tree.find(delta.element)
        if elem is None and delta.section == "action" and PROMOTED_CATEGORY.match(delta.element):
            elem = self._implicit(tree, attrs.evolve(delta, op="addlast", anchor=delta.element))
        if elem is None and delta.section == "action" and self._cuegroup_action(delta.element):
            return None  # an action of a cuegroup (in `layout`): known, but not tracked by the merge (yet)
        if elem is None:
            self._missing(delta, delta.element, "target")
        return elem

    def _cuegroup_action(self, name: str) -> bool:
        """Whether a cuegroup of the page's layout has an action ``name``."""
        key = name.casefold()
        stack = list(getattr(self.obj, "layout", ()))
        while stack:
            control = stack.pop()
            stack.extend(getattr(control, "controls", ()))
            actions = list(getattr(control, "actions", ()))
            while actions:
                action = actions.pop()
                if action.name.casefold() == key:
                    return True
                actions.extend(action.actions)
        return False

    def _modify(self, delta: Delta) -> None:
        elem = self._target(delta)
        if elem is not None:
            elem.set_property(delta.value)
            element = delta.element.casefold() if delta.element is not None else None
            self.journal.properties[(self.key, delta.section, element, delta.property.casefold())] = delta.app

    def _trigger(self, delta: Delta) -> None:
        elem = self._target(delta)
        if elem is not None:
            elem.add_trigger(delta.value)
            element = delta.element.casefold() if delta.element is not None else None
            key = (self.key, delta.section, element)
            self.journal.triggers[key] = self.journal.triggers.get(key, ()) + (delta.app,)

    def _extend_fieldgroup(self, delta: Delta) -> None:
        """`addlast(DropDown; A, B)`: add field names to a field group, creating it when absent."""
        tree = self.tree("fieldgroup")
        elem = tree.find(delta.anchor)
        if elem is None:
            elem = tree.add(ir.FieldGroup(delta.anchor, ()))
            tree.place(elem, "last", None)
            self.journal.elements[(self.key, "fieldgroup", delta.anchor.casefold())] = delta.app
        have = {f.casefold() for f in elem.node.fields}
        added = tuple(f for f in delta.elements if f.casefold() not in have)
        # Field groups are top-level leaves, so replacing the node is enough for Tree.freeze.
        elem.node = attrs.evolve(elem.node, fields=elem.node.fields + added)

    def _add_to_list(self, delta: Delta) -> None:
        """Permissions and included permission sets: additive, rights united."""
        name = "Permissions" if delta.section == "permission" else "IncludedPermissionSets"
        old = self.root.get_property(name)
        if delta.section == "permission":
            value = _unite_permissions(old.value.permissions if old is not None else (), delta.members)
            for member in delta.members:
                key = (self.key, "permission", f"{member.kind} {member.target}".casefold())
                self.journal.elements.setdefault(key, delta.app)
        else:
            items = old.value.items if old is not None else ()
            seen = {_item_key(x) for x in items}
            value = ir.Values(items + tuple(x for x in delta.members if _item_key(x) not in seen))
        self.root.set_property(ir.Property(old.name if old is not None else name, value))
        self.journal.properties[(self.key, "object", None, name.casefold())] = delta.app

    # -- reporting -------------------------------------------------------
    def _missing(self, delta: Delta, name: str, role: str) -> None:
        noun = SECTION_NOUNS.get(delta.section, delta.section)
        what = f"{role} `{name}` of `{delta.op}`" if role == "anchor" else f"{noun} `{name}` that `{delta.op}` changes"
        message = f"the {what} in `{delta.source.name}` is not in {self.ref} as merged"
        self._report("missing-anchor", name, None, (delta.app,), (name,), message, (delta.span,))

    def _duplicate(self, kind: str, delta: Delta, taken: Elem, element: str, value: str, shown: str) -> None:
        owner = self.origin(delta.section, taken.name)
        noun = SECTION_NOUNS.get(delta.section, delta.section)
        message = (f"{noun} {shown} added to {self.ref} by `{self.journal.apps[delta.app].name}` is already "
                   f"used by `{taken.name}` from `{self.journal.apps[owner].name}`")
        self._report(kind, element, None, (owner, delta.app), (value,), message, (taken.node.span, delta.span))

    def _report(self, kind: str, element: Optional[str], prop: Optional[str], apps: tuple, values: tuple,
                message: str, spans: tuple) -> None:
        refs = tuple(self.journal.apps[a] for a in apps)
        self.journal.conflicts.append(Conflict(kind, self.ref, element, prop, refs, values, message, spans))

    # -- result ----------------------------------------------------------
    def freeze(self) -> Any:
        """The merged IR object."""
        obj, changes, page = self.obj, {}, {}
        for section, tree in self.trees.items():
            attr = SECTIONS[obj.kind][section][0]
            (page if section.startswith("requestpage") else changes)[attr] = tree.freeze()
        if page:
            changes["requestpage"] = attrs.evolve(obj.requestpage or ir.RequestPage(), **page)
        if self.root.props is not None:
            changes["properties"] = canonical_properties(obj.properties, self.root.props)
        if self.root.triggers:
            changes["triggers"] = obj.triggers + tuple(self.root.triggers)
        return attrs.evolve(obj, **changes) if changes else obj

    def release(self) -> None:
        """Unlink the trees' elements (see :meth:`Tree.release`); the work is done."""
        for tree in self.trees.values():
            tree.release()


def _unite_permissions(old: tuple, new: tuple) -> ir.PermissionsValue:
    """Permissions of both lists; a target in both gets the union of rights.

    >>> p = lambda t, r: ir.Permission("tabledata", t, r)
    >>> [(x.target, x.rights) for x in _unite_permissions((p("A", "R"),), (p("a", "RM"), p("B", "X"))).permissions]
    [('A', 'RM'), ('B', 'X')]
    """
    out: dict = {}
    for perm in old + new:
        key = (perm.kind.casefold(), perm.target.casefold())
        have = out.get(key)
        if have is None:
            out[key] = perm
        else:
            rights = have.rights + perm.rights
            united = "".join(r for r in _RIGHTS if r in rights) + "".join(sorted(set(rights) - set(_RIGHTS)))
            out[key] = attrs.evolve(have, rights=united)
    return ir.PermissionsValue(tuple(out.values()))


def _item_key(item: Any) -> Any:
    return item.value.casefold() if isinstance(item, ir.Name) else item
