"""Mutable stand-ins for the elements of one object while deltas are applied.

The IR is frozen; rebuilding a page's tuple of controls for every one of
its deltas would make merging quadratic. So the sections an extension
touches are thawed once into :class:`Elem` trees indexed by name (and by
id for fields and enum values), every delta is an O(1) lookup plus a small
list operation, and :meth:`Tree.freeze` rebuilds only the nodes that
changed; untouched nodes keep their identity.

>>> t = Tree((ir.Control("area", "Content", controls=(ir.Control("field", "A"), ir.Control("field", "B"))),))
>>> b = t.add(ir.Control("field", "X"))
>>> t.place(b, "after", t.find("a"))
>>> t.place(t.find("B"), "first", t.find("Content"))
>>> [c.name for c in t.freeze()[0].controls]
['B', 'A', 'X']
"""

from __future__ import annotations

from typing import Any, Optional

import attrs

from ..ir import nodes as ir
from .deltas import CHILD_ATTRS

__all__ = ["Elem", "Tree", "contains", "canonical_properties"]


class Elem:
    """One element: its original IR node, its children once thawed (None
    until a delta reaches inside it), and the properties and triggers
    deltas gave it."""

    __slots__ = ("node", "children", "parent", "props", "triggers", "changed")

    def __init__(self, node: Any, parent: Optional["Elem"] = None):
        self.node = node
        self.parent = parent
        self.children: Optional[list] = None    # thawed children (Tree.thaw)
        self.props: Optional[list] = None       # the properties once one was modified
        self.triggers: Optional[list] = None    # triggers appended by extensions
        self.changed = False                    # children inserted, removed or reordered

    @property
    def name(self) -> str:
        return self.node.name

    def set_property(self, prop: ir.Property) -> None:
        """Replace the property of that name, or append it."""
        if self.props is None:
            self.props = list(self.node.properties)
        key = prop.name.casefold()
        for i, old in enumerate(self.props):
            if old.name.casefold() == key:
                self.props[i] = prop
                return
        self.props.append(prop)

    def get_property(self, name: str) -> Optional[ir.Property]:
        key = name.casefold()
        for p in self.props if self.props is not None else self.node.properties:
            if p.name.casefold() == key:
                return p
        return None

    def add_trigger(self, trigger: ir.Trigger) -> None:
        """Extension triggers run after the element's own: both are kept."""
        if self.triggers is None:
            self.triggers = []
        self.triggers.append(trigger)

    def freeze(self) -> Any:
        """The IR node with the changes; the original when there are none."""
        node = self.node
        if self.children is None and self.props is None and not self.triggers:
            return node                         # untouched (most elements of a section)
        changes: dict = {}
        if self.children is not None:
            kids = [c.freeze() for c in self.children]
            if self.changed or any(k is not c.node for k, c in zip(kids, self.children)):
                changes[CHILD_ATTRS[type(node)]] = tuple(kids)
        if self.props is not None:
            changes["properties"] = canonical_properties(node.properties, self.props)
        if self.triggers:
            changes["triggers"] = tuple(node.triggers) + tuple(self.triggers)
        return attrs.evolve(node, **changes) if changes else node


class Tree:
    """The elements of one section (`layout`, `fields`, ...) of one object.

    ``names`` maps every element name, casefolded, to its IR node, nested
    ones included, and ``ids`` does the same for ids (fields, enum values)
    when ``id_attr`` is given; :meth:`find` turns the node into its Elem,
    thawing the elements above it on the way. Nodes are told apart by
    identity, which is stable while the IR they belong to is alive.
    The root is a pseudo element without a node.
    """

    def __init__(self, nodes: tuple, id_attr: Optional[str] = None):
        self.id_attr = id_attr
        self.root = Elem(None)
        self.root.children = [Elem(n, self.root) for n in nodes]
        self.names: dict = {}
        self.ids: dict = {}
        self._elems = {id(e.node): e for e in self.root.children}
        self._parents: dict = {}             # id(node) -> parent IR node, below the top level
        names, ids, index = self.names, self.ids, self._index
        for node in nodes:
            if type(node) in CHILD_ATTRS:
                index(node)
            else:                            # a leaf (a field, a key, an enum value): indexed here
                names.setdefault(node.name.casefold(), node)
                if id_attr is not None:
                    ids.setdefault(getattr(node, id_attr), node)

    def _index(self, top: Any) -> None:
        stack = [top]
        names, ids, parents, id_attr = self.names, self.ids, self._parents, self.id_attr
        while stack:
            node = stack.pop()
            names.setdefault(node.name.casefold(), node)
            if id_attr is not None:
                ids.setdefault(getattr(node, id_attr), node)
            attr = CHILD_ATTRS.get(type(node))
            if attr is not None:
                for child in getattr(node, attr):
                    parents[id(child)] = node
                    stack.append(child)

    def thaw(self, elem: Elem) -> list:
        """The children of ``elem`` as Elems (made on first use)."""
        if elem.children is None:
            attr = CHILD_ATTRS.get(type(elem.node))
            elem.children = [Elem(c, elem) for c in getattr(elem.node, attr)] if attr is not None else []
            for child in elem.children:
                self._elems[id(child.node)] = child
        return elem.children

    def elem(self, node: Any) -> Elem:
        found = self._elems.get(id(node))
        if found is None:
            self.thaw(self.elem(self._parents[id(node)]))
            found = self._elems[id(node)]
        return found

    def find(self, name: Optional[str]) -> Optional[Elem]:
        node = self.names.get(name.casefold()) if name is not None else None
        return self.elem(node) if node is not None else None

    def find_id(self, ident: Any) -> Optional[Elem]:
        node = self.ids.get(ident)
        return self.elem(node) if node is not None else None

    def add(self, node: Any) -> Elem:
        """A new, not yet placed element for ``node``, indexed with its children."""
        elem = Elem(node)
        self._elems[id(node)] = elem
        self._index(node)
        return elem

    def place(self, elem: Elem, where: str, anchor: Optional[Elem]) -> None:
        """Put ``elem`` `first`/`last` in ``anchor`` (the root when None), or
        `after`/`before` it; a placed element is moved."""
        if elem.parent is not None:
            self.detach(elem)
        if where in ("first", "last") and (anchor is None or anchor is self.root or _is_container(anchor)):
            parent = anchor if anchor is not None else self.root
            siblings = self.thaw(parent)
            pos = 0 if where == "first" else len(siblings)
        else:                               # after/before, or first/last in a leaf: next to it
            parent = anchor.parent
            pos = parent.children.index(anchor) + (where in ("after", "last"))
        parent.children.insert(pos, elem)
        parent.changed = True
        elem.parent = parent

    def detach(self, elem: Elem) -> None:
        """Take ``elem`` out of its parent (to place it elsewhere)."""
        parent = elem.parent
        parent.children.remove(elem)
        parent.changed = True
        elem.parent = None

    def default_parent(self) -> Elem:
        """Where an element goes when its anchor is gone (AL1417: 'added at
        a default location'): the first area, else the root."""
        first = self.root.children[0] if self.root.children else None
        return first if first is not None and _is_container(first) else self.root

    def freeze(self) -> tuple:
        return tuple([c.freeze() for c in self.root.children])

    def release(self) -> None:
        """Unlink every element from its parent once the tree is frozen for the last time:
        the links up are the only cycles, so the elements are then freed as soon as the
        tree is, without waiting for the cyclic collector to find them."""
        for elem in self._elems.values():
            elem.parent = None
        self.root.children = None


def _is_container(elem: Elem) -> bool:
    return type(elem.node) in CHILD_ATTRS


def canonical_properties(original: tuple, current: list) -> tuple:
    """The element's own properties where they were, then the ones
    extensions added, by name, so that independent extensions setting
    different properties give the same element in any order.

    >>> p = lambda n: ir.Property(n, ir.Values(()))
    >>> [x.name for x in canonical_properties((p("Caption"),), [p("Caption"), p("Visible"), p("Editable")])]
    ['Caption', 'Editable', 'Visible']
    """
    own = {p.name.casefold() for p in original}
    added = sorted((p for p in current if p.name.casefold() not in own), key=lambda p: p.name.casefold())
    return tuple(p for p in current if p.name.casefold() in own) + tuple(added)


def contains(outer: Elem, inner: Elem) -> bool:
    """Whether ``inner`` is ``outer`` or nested in it (a move must not put a
    group inside itself).

    >>> t = Tree((ir.Control("group", "G", controls=(ir.Control("field", "A"),)),))
    >>> contains(t.find("G"), t.find("A")), contains(t.find("A"), t.find("G"))
    (True, False)
    """
    current: Optional[Elem] = inner
    while current is not None:
        if current is outer:
            return True
        current = current.parent
    return False
