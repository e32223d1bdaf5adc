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

``convertible(target, source)`` is False only where AL certainly has no
implicit conversion from ``source`` to ``target`` (unknown, Variant and the
types alc does not judge are always convertible):

>>> convertible(INTEGER, Ty("text")), convertible(Ty("text"), Ty("code")), convertible(INTEGER, Ty("char"))
(False, True, True)
>>> convertible(Ty("record", "Customer"), Ty("record", "Vendor")), convertible(Ty("date"), Ty("datetime"))
(False, False)
>>> convertible(Ty("decimal"), UNKNOWN), convertible(Ty("boolean"), Ty("variant"))
(True, True)
"""

from __future__ import annotations

from typing import Optional

import attrs

from ...ir import nodes as ir
from ...package import symbols as sym

__all__ = ["Ty", "UNKNOWN", "from_ref", "from_def", "literal", "convertible", "family", "NUMBERS", "shown"]


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
DECIMAL = Ty("decimal")
TEXT = Ty("text")

# The families a value of a type converts to implicitly (as a source), and those a variable of a type takes
# (as a target). Types in neither table (Variant, RecordRef, JsonObject, Codeunit, arrays, ...) are not judged.
_SOURCE = {
    "text": {"text"}, "code": {"text"}, "label": {"text"}, "textconst": {"text"},
    "char": {"text", "number"}, "byte": {"text", "number"},
    "integer": {"number"}, "biginteger": {"number"}, "decimal": {"number"}, "duration": {"number"},
    "option": {"number", "option"}, "enum": {"enum"},
    "boolean": {"boolean"}, "date": {"date"}, "time": {"time"}, "datetime": {"datetime"},
    "guid": {"guid", "text"}, "record": {"record"},
}
_TARGET = {
    "text": {"text", "guid"}, "code": {"text", "guid"},
    "char": {"text", "number"}, "byte": {"text", "number"},
    "integer": {"number", "enum"}, "biginteger": {"number", "enum"}, "decimal": {"number", "enum"},
    "duration": {"number"},
    "option": {"number", "option", "enum"}, "enum": {"enum", "option", "number"},
    "boolean": {"boolean"}, "date": {"date"}, "time": {"time"}, "datetime": {"datetime"},
    "guid": {"guid", "text"}, "record": {"record"},
}
_SOURCE = {k: frozenset(v) for k, v in _SOURCE.items()}
_TARGET = {k: frozenset(v) for k, v in _TARGET.items()}
NUMBERS = frozenset(("integer", "biginteger", "decimal", "char", "byte", "duration", "option"))


def family(ty: Ty) -> Optional[frozenset]:
    """The families a value of ``ty`` converts to; None when not judged."""
    return _SOURCE.get(ty.name)


def convertible(target: Ty, source: Ty) -> bool:
    """False only where no implicit conversion from ``source`` to ``target`` exists."""
    accepts = _TARGET.get(target.name)
    gives = _SOURCE.get(source.name)
    if accepts is None or gives is None:
        return True
    if accepts.isdisjoint(gives):
        return False
    if target.name == "record" and target.subtype and source.subtype:
        return target.subtype.strip().casefold() == source.subtype.strip().casefold()
    return True


_SHOWN = {"biginteger": "BigInteger", "datetime": "DateTime", "textconst": "TextConst", "secrettext": "SecretText"}


def shown(ty: Ty) -> str:
    """A type as AL writes it: `Integer`, `Record "Customer"`, `Enum "Sales Line Type"`."""
    name = _SHOWN.get(ty.name, ty.name.title())
    if ty.subtype and ty.name in ("record", "enum", "codeunit", "page", "report", "query", "xmlport", "interface"):
        sub = ty.subtype if ty.subtype.replace("_", "").isalnum() else f'"{ty.subtype}"'
        return f"{name} {sub}"
    return name

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
