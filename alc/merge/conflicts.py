"""Property and move conflicts, found from an index of the deltas.

Every `modify` delta goes into a bucket keyed by (object, section, element,
property), every moved element into one keyed by (object, section,
element). Only buckets with deltas of two or more apps are examined, so the
cost is linear in the number of deltas: apps are never compared pairwise.

Within a bucket, an app whose value another app of the bucket overrides
*knowingly* (the other depends on it, directly or transitively) is out:
layering, the dependent wins. The apps left are the ones whose value can
survive; when they disagree, that is a conflict. Under `strict` it is one
conflict naming them all; under `last-wins` the app applied last wins and
every other app of the bucket whose value it replaces gets an override
warning naming both apps and both values.

>>> from alc.merge.model import AppRef, ObjectRef
>>> refs = {a: AppRef(a, a.upper(), "P", "1.0.0.0") for a in "abc"}
>>> entries = [Entry("a", "false", "false", None), Entry("b", "true", "true", None)]
>>> unrelated = lambda x, y: False
>>> [app for app, _ in contest(entries, unrelated)]
['a', 'b']
>>> contest(entries, lambda x, y: (x, y) == ("b", "a"))    # b depends on a: b wins, no conflict
[]
"""

from __future__ import annotations

from typing import Any, Callable, Optional

import attrs

from ..ir import nodes as ir
from .deltas import SECTION_NOUNS, Delta
from .model import Conflict, ObjectRef

__all__ = ["Entry", "DeltaIndex", "contest", "value_key", "value_text"]


@attrs.frozen
class Entry:
    """One app's say in a bucket: a comparable key, what is shown (AL text,
    or the Property whose value text is computed only for a conflict), where."""
    app: str
    key: Any
    shown: Any
    span: Any = attrs.field(eq=False)

    @property
    def text(self) -> str:
        return value_text(self.shown) if isinstance(self.shown, ir.Property) else self.shown


def contest(entries: list, depends_on: Callable[[str, str], bool]) -> list:
    """The surviving (app, entry) pairs of a bucket when they disagree, else [].

    ``entries`` are in applied order; an app counts with its last entry.
    """
    last: dict = {}
    for entry in entries:
        last.pop(entry.app, None)
        last[entry.app] = entry
    if len(last) < 2:
        return []
    apps = list(last)
    alive = [a for a in apps if not any(b != a and depends_on(b, a) for b in apps)]
    if len({last[a].key for a in alive}) < 2:
        return []
    return [(a, last[a]) for a in alive]


class DeltaIndex:
    """The buckets of one merge."""

    def __init__(self) -> None:
        self.properties: dict = {}
        self.moves: dict = {}
        self.refs: dict = {}

    def add(self, key: tuple, ref: ObjectRef, delta: Delta) -> None:
        """Index a `modify` or move delta of the object with key ``key``.

        Only the bucket key is computed here; the comparable values are
        computed for the buckets that two or more deltas share."""
        self.refs[key] = ref
        if delta.op == "modify":
            element = delta.element.casefold() if delta.element is not None else None
            self.properties.setdefault((key, delta.section, element, delta.property.casefold()), []).append(delta)
            return
        previous = None
        for name in delta.elements:
            self.moves.setdefault((key, delta.section, name.casefold()), []).append((delta, previous, name))
            previous = name

    def conflicts(self, depends_on: Callable, apps: dict, policy: str) -> tuple[list, list]:
        """(conflicts, warnings) of every bucket, in the order buckets were first used."""
        conflicts: list = []
        warnings: list = []
        for bucket, deltas in self.properties.items():
            if len(deltas) > 1:
                key, section, _, _ = bucket
                last = deltas[-1]
                where = _where(section, last.element, self.refs[key], last.property)
                entries = [Entry(d.app, value_key(d.value.value), d.value, d.span) for d in deltas]
                self._judge("property", entries, depends_on, apps, policy, self.refs[key],
                            last.element, last.property, where, conflicts, warnings)
        for bucket, items in self.moves.items():
            if len(items) > 1:
                key, section, _ = bucket
                name = items[-1][2]
                where = _where(section, name, self.refs[key], None)
                entries = [_move_entry(d, previous) for d, previous, _ in items]
                self._judge("move", entries, depends_on, apps, policy, self.refs[key],
                            name, None, where, conflicts, warnings)
        return conflicts, warnings

    @staticmethod
    def _judge(kind: str, entries: list, depends_on: Callable, apps: dict, policy: str, ref: ObjectRef,
               element: Optional[str], prop: Optional[str], where: str, conflicts: list, warnings: list) -> None:
        alive = contest(entries, depends_on)
        if not alive:
            return
        verb = "set" if kind == "property" else "moved"
        if policy == "strict":
            said = ", ".join(f"`{e.text}` by `{apps[a].name}`" for a, e in alive)
            message = f"{where} is {verb} differently by apps that do not depend on each other: {said}"
            conflicts.append(Conflict(kind, ref, element, prop, tuple(apps[a] for a, _ in alive),
                                      tuple(e.text for _, e in alive), message, tuple(e.span for _, e in alive)))
            return
        winner, won = alive[-1]
        for loser, lost in alive[:-1]:
            if lost.key == won.key:
                continue
            message = (f"`{apps[winner].name}` overrides {where}: `{won.text}` replaces `{lost.text}` "
                       f"{verb} by `{apps[loser].name}`")
            warnings.append(Conflict(kind, ref, element, prop, (apps[loser], apps[winner]),
                                     (lost.text, won.text), message, (lost.span, won.span)))


def _move_entry(delta: Delta, previous: Optional[str]) -> Entry:
    """Where a move puts an element: `movefirst(General)`, after the previous target of the same move."""
    where = (delta.op, delta.anchor.casefold(), previous.casefold() if previous else None)
    text = f"{delta.op}({delta.anchor})" + (f" after `{previous}`" if previous else "")
    return Entry(delta.app, where, text, delta.span)


def _where(section: str, element: Optional[str], ref: ObjectRef, prop: Optional[str]) -> str:
    """`Visible` of control `Name` on page 21 `Customer Card`."""
    place = f"{SECTION_NOUNS.get(section, section)} `{element}` of {ref}" if element is not None else str(ref)
    return f"`{prop}` of {place}" if prop is not None else place


def value_key(value: Any) -> Any:
    """A property value for comparison: IR equality, identifiers casefolded.

    >>> value_key(ir.Values((ir.Name("All"),))) == value_key(ir.Values((ir.Name("all"),)))
    True
    """
    if isinstance(value, ir.Values):
        return (tuple(("name", x.value.casefold()) if isinstance(x, ir.Name) else x for x in value.items),
                value.options)
    return value


def value_text(prop: ir.Property) -> str:
    """The AL text of a property's value, on one line.

    >>> value_text(ir.Property("Visible", ir.Values((ir.Literal("boolean", False),))))
    'false'
    """
    from ..printer import print_property
    text = " ".join(line.strip() for line in print_property(prop).splitlines())
    head = f"{prop.name} = "
    text = text[len(head):] if text.startswith(head) else text
    return text[:-1] if text.endswith(";") else text
