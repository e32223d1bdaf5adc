"""The types the binder tracks: a folded type name and, for object types, the
object named. Anything the binder cannot work out is ``UNKNOWN`` and is never
checked.

>>> from alc.ir import nodes as ir
>>> from_ref(ir.TypeRef("Record", subtype="Customer"))
Ty(name='record', subtype='Customer', element=None)
>>> from_ref(ir.TypeRef("Array", element=ir.TypeRef("Integer"))).element
Ty(name='integer', subtype=None, element=None)
>>> from_def(sym.TypeDef("Code[20]")).name
'code'
"""

from __future__ import annotations

from typing import Optional

import attrs

from ...ir import nodes as ir
from ...package import symbols as sym

__all__ = ["Ty", "UNKNOWN", "from_ref", "from_def", "literal"]


@attrs.frozen
class Ty:
    name: str                        # folded: record, codeunit, integer, text... ('' when unknown)
    subtype: Optional[str] = None    # the object of Record/Codeunit/Page/Enum... as written
    element: Optional["Ty"] = None   # the element of an array
    options: Optional[frozenset] = attrs.field(default=None, repr=False)   # an Option's members, folded

    @property
    def known(self) -> bool:
        return bool(self.name)


UNKNOWN = Ty("")
BOOLEAN = Ty("boolean")
INTEGER = Ty("integer")

_LITERALS = {"string": Ty("text"), "integer": INTEGER, "decimal": Ty("decimal"), "biginteger": Ty("biginteger"),
             "date": Ty("date"), "time": Ty("time"), "datetime": Ty("datetime"), "boolean": BOOLEAN}


def literal(kind: str) -> Ty:
    return _LITERALS.get(kind, UNKNOWN)


def _base(name: str) -> str:
    return name.split("[", 1)[0].strip().casefold()


def from_ref(t: Optional[ir.TypeRef]) -> Ty:
    if t is None:
        return UNKNOWN
    name = t.name.casefold()
    if name == "array":
        return Ty("array", element=from_ref(t.element))
    if name == "option" and t.options and all(isinstance(o, str) for o in t.options):
        return Ty(name, options=frozenset(o.strip().casefold() for o in t.options))
    return Ty(name, t.subtype)


def from_def(t: Optional[sym.TypeDef]) -> Ty:
    if t is None:
        return UNKNOWN
    sub = t.subtype.name if t.subtype is not None and t.subtype.name else None
    if sub and sub.startswith("#"):   # `#<appid>#Name`
        parts = sub.split("#", 2)
        sub = parts[2] if len(parts) == 3 else sub
    name = _base(t.name)
    options = frozenset(o.strip().casefold() for o in t.option_members) \
        if name == "option" and t.option_members else None
    base = Ty(name, sub, options=options)
    return Ty("array", element=base) if t.array_dimensions else base


def from_doc(name: Optional[str]) -> Ty:
    """A return type as the reference documentation names it (`Boolean`, `Integer`)."""
    return Ty(name.casefold()) if name else UNKNOWN
