"""The built-in API of AL as data: the methods of the data types and the
global methods, read from ``data/builtins.json`` (written by
``builtins_gen`` from the public AL reference documentation).

Names are looked up folded (case-insensitive). A method's overloads are
``(min, max, returns)`` triples: ``max`` is None for a variadic method,
``returns`` the documented return type or None.

>>> b = builtins()
>>> b.is_global("message"), b.is_global("nosuchthing")
(True, False)
>>> b.method("record", "findfirst")[0][2]
'Boolean'
>>> b.is_type_name("session"), b.is_type_name("action")
(True, True)
"""

from __future__ import annotations

import functools
import json
import os
from typing import Optional

__all__ = ["Builtins", "builtins", "SYSTEM_NAMES"]

_DATA = os.path.join(os.path.dirname(__file__), "data", "builtins.json")

# Names the platform declares in code bodies that the method reference does not
# list as methods: keywords usable as a value and the object-type names that
# take `::` or `.` (`Database::Customer`, `Page.Run(...)`).
SYSTEM_NAMES = frozenset((
    "database", "codeunit", "page", "report", "xmlport", "query", "enum", "interface", "table", "system",
    "true", "false", "dotnet", "controladdin", "testpage", "testrequestpage", "text", "code",
))


class Builtins:
    """Folded lookups over the data file."""

    def __init__(self, data: dict):
        self.source = data.get("source", "")
        self.types: dict = {}
        self.spelling: dict = {}        # folded -> documented spelling, for `did you mean`
        self.type_spelling = {t.casefold(): t for t in data.get("types", {})}
        for type_name, kinds in data.get("types", {}).items():
            entry = self.types.setdefault(type_name.casefold(), {"instance": {}, "static": {}})
            for kind, methods in kinds.items():
                for name, overloads in methods.items():
                    self.spelling.setdefault(name.casefold(), name)
                    entry[kind].setdefault(name.casefold(), []).extend(tuple(o) for o in overloads)
        self.globals = {name.casefold(): [tuple(o) for o in overloads]
                        for name, overloads in data.get("globals", {}).items()}
        self.options = {name.casefold(): frozenset(m.casefold() for m in members)
                        for name, members in data.get("options", {}).items()}
        for name in data.get("globals", {}):
            self.spelling.setdefault(name.casefold(), name)

    def is_global(self, name: str) -> bool:
        return name in self.globals

    def is_type_name(self, name: str) -> bool:
        """A data type or system option type named in code (`Session`, `Action`, `Page`)."""
        return name in self.types or name in self.options or name in SYSTEM_NAMES

    def method(self, type_name: str, name: str) -> Optional[list]:
        """The overloads of an instance method of a data type, or None."""
        entry = self.types.get(type_name)
        return entry["instance"].get(name) if entry else None

    def static(self, type_name: str, name: str) -> Optional[list]:
        """The overloads of a method called on the type's name (`ErrorInfo.Create(...)`): static ones and,
        as the reference does not always tell them apart, instance ones."""
        entry = self.types.get(type_name)
        if entry is None:
            return None
        found = entry["static"].get(name, []) + entry["instance"].get(name, [])
        return found or None

    def methods(self, type_name: str) -> dict:
        entry = self.types.get(type_name)
        return entry["instance"] if entry else {}


@functools.lru_cache(maxsize=1)
def builtins() -> Builtins:
    with open(_DATA, encoding="utf-8") as f:
        return Builtins(json.load(f))
