"""Specs: the structure of one generated object, before it becomes text.

Specs are small frozen records rebuilt on demand from a seed (see
:mod:`.catalog`); the renderers turn them into AL and the extension planner
reads them to anchor deltas on real fields, controls and events.
"""

from __future__ import annotations

from typing import Optional

import attrs

__all__ = ["MASTER", "CODE", "HEADER", "LINE", "ENTRY", "SETUP", "BUFFER", "KIND_NAMES",
           "TABLE_NAME_MAX", "Field", "TableSpec", "PageSpec", "Proc", "CodeunitSpec", "al_type", "base_of"]

MASTER, CODE, HEADER, LINE, ENTRY, SETUP, BUFFER = range(7)
KIND_NAMES = ("master", "code", "header", "line", "entry", "setup", "buffer")
TABLE_NAME_MAX = 22   # room for " Subform", " Mgt." and the like within AL's 30 characters

_SIMPLE_TYPES = {"dec": "Decimal", "int": "Integer", "date": "Date", "datetime": "DateTime",
                 "time": "Time", "bool": "Boolean", "guid": "Guid", "blob": "Blob", "option": "Option"}


@attrs.frozen
class Field:
    """One table field. ``type`` is a generator type code (``code20``,
    ``text100``, ``dec``, ... see :mod:`.words`), ``option``, or ``enum``
    (then ``enum`` is the base enum's index)."""
    id: int
    name: str
    type: str
    members: tuple = ()
    enum: int = -1
    relation: tuple = ()          # ((condition field, member, table index), ...); field None: unconditional
    calc: Optional[tuple] = None  # (method, table, field or None, ((field, "field"|"const", value), ...))
    flowfilter: bool = False
    obsolete: bool = False
    validate: bool = False
    # Derived once: read millions of times while generating.
    base: str = attrs.field(init=False, eq=False, repr=False)
    normal: bool = attrs.field(init=False, eq=False, repr=False)   # stored and current: keys, code, pages

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "base", base_of(self.type))
        object.__setattr__(self, "normal", self.calc is None and not self.flowfilter and not self.obsolete)

    @property
    def length(self) -> int:
        digits = self.type[len(self.base):]
        return int(digits) if digits else 0


_BASES: dict = {}   # type code -> base type code, filled as codes are seen (a handful)


def base_of(type_code: str) -> str:
    base = _BASES.get(type_code)
    if base is None:
        base = _BASES[type_code] = type_code.rstrip("0123456789")
    return base


def al_type(type_code: str, enum_name: Optional[str] = None) -> str:
    """AL spelling of a generator type code.

    >>> al_type("code20"), al_type("dec"), al_type("enum", '"Sales Status"')
    ('Code[20]', 'Decimal', 'Enum "Sales Status"')
    """
    if type_code.startswith("code"):
        return f"Code[{type_code[4:]}]"
    if type_code.startswith("text"):
        return f"Text[{type_code[4:]}]"
    if type_code == "enum":
        return f"Enum {enum_name}"
    return _SIMPLE_TYPES[type_code]


@attrs.frozen
class TableSpec:
    index: int
    name: str
    kind: int
    fields: tuple
    pk: tuple
    keys: tuple                   # ((name, fields, sum index fields), ...)
    dropdown: tuple
    _memo: dict = attrs.field(factory=dict, eq=False, repr=False)

    def field(self, name: str) -> Field:
        return self._by_name()[name]

    def has(self, name: str) -> bool:
        return name in self._by_name()

    def _by_name(self) -> dict:
        by_name = self._memo.get(None)
        if by_name is None:
            by_name = self._memo[None] = {f.name: f for f in self.fields}
        return by_name

    def normal(self, *bases: str) -> list:
        """Normal fields of the given base types (all when none given), in id order."""
        out = self._memo.get(bases)
        if out is None:
            out = self._memo[bases] = [f for f in self.fields if f.normal and (not bases or f.base in bases)]
        return out


@attrs.frozen
class PageSpec:
    """A page bound to a table. Field controls are named after their field."""
    index: int
    table: int
    role: str                     # card, document, list, listpart, cardpart, lookup, worksheet
    page_type: str
    groups: tuple                 # ((group name, (field names, ...)), ...); one repeater group on lists
    repeater: bool
    part: Optional[tuple]         # (control name, page index, link field of the part's table)
    actions: tuple                # ((area, name, caption, target), ...)
    promoted: tuple               # names of promoted actions

    def field_controls(self) -> list:
        """``[(control name, group name), ...]`` in page order."""
        return [(f, g) for g, fields in self.groups for f in fields]

    def action_names(self) -> list:
        return [a[1] for a in self.actions]


@attrs.frozen
class Proc:
    name: str
    access: str                   # "", "local" or "internal"
    template: str                 # body template (see .code)
    events: bool                  # publishes OnBefore<name> and OnAfter<name>
    field: str = ""               # the field the template works on ("" : its own choice)
    aux: int = -1                 # the related table it works on (child, relation target)


@attrs.frozen
class CodeunitSpec:
    index: int
    table: int
    procs: tuple
    subscriptions: tuple          # ((codeunit index, event name), ...): publishers of other base codeunits
    table_events: tuple           # ((table index, event name, field name or ""), ...)

    @property
    def entry(self) -> Proc:
        """The public procedure that takes ``var Rec`` of the main table; pages call it."""
        return self.procs[0]

    def events(self) -> list:
        """Names of the integration events this codeunit publishes."""
        out = []
        for p in self.procs:
            if p.events:
                out += [f"OnBefore{p.name}", f"OnAfter{p.name}"]
        return out
