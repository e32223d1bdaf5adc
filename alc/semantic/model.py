"""The declaration phase: every object visible to a project, from the
symbols of its dependency packages and from its own source, indexed by kind,
name and id, with the members extensions add.

Name lookup follows AL loosely on purpose: a name resolves when an object of
that kind has it as its simple name or its namespace-qualified name,
whatever the `using` lines say. Real code compiled by Microsoft's compiler
must give no false errors; a missed error is the lesser harm.

>>> from alc.package import symbols as sym
>>> app = AppSymbols("base", "Base", sym.SymbolReference(tables=(sym.Table(id=18, name="Customer"),)))
>>> st = SymbolTable([app])
>>> [e.obj.name for e in st.find("table", '"customer"')]
['Customer']
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Iterator, Optional

import attrs

from ..appmodel import is_id_text
from ..package import symbols as sym

__all__ = ["AppSymbols", "Entry", "SymbolTable", "fold", "name_numbered_targets", "SYSTEM_FIELDS", "PLATFORM_EVENTS",
           "is_moved_out", "live_fields"]


def _memo(method):
    """Cache a one-argument method per instance (lru_cache would keep every table alive)."""
    name = method.__name__

    def wrapper(self, arg):
        cache = self._memo.setdefault(name, {})
        key = fold(arg)
        if key not in cache:
            cache[key] = method(self, arg)
        return cache[key]
    wrapper.__name__ = name
    wrapper.__doc__ = method.__doc__
    return wrapper


def fold(name: str) -> str:
    """The lookup key of an AL name: unquoted, case-folded.

    >>> fold('"Sales Header"'), fold("SALES header")
    ('sales header', 'sales header')
    """
    if name[:1] == '"' and name[-1:] == '"' and len(name) > 1:
        name = name[1:-1].replace('""', '"')
    return name.casefold()


# Fields every table has without declaring them.
SYSTEM_FIELDS = frozenset(fold(n) for n in (
    "SystemId", "SystemCreatedAt", "SystemCreatedBy", "SystemModifiedAt", "SystemModifiedBy",
    "SystemRowVersion", "timestamp"))

# Events the platform raises for every table and page (subscribable without a publisher).
PLATFORM_EVENTS = {
    "table": frozenset(fold(n) for n in (
        "OnBeforeInsertEvent", "OnAfterInsertEvent", "OnBeforeModifyEvent", "OnAfterModifyEvent",
        "OnBeforeDeleteEvent", "OnAfterDeleteEvent", "OnBeforeRenameEvent", "OnAfterRenameEvent",
        "OnBeforeValidateEvent", "OnAfterValidateEvent")),
    "page": frozenset(fold(n) for n in (
        "OnOpenPageEvent", "OnClosePageEvent", "OnQueryClosePageEvent", "OnAfterGetRecordEvent",
        "OnAfterGetCurrRecordEvent", "OnNewRecordEvent", "OnInsertRecordEvent", "OnModifyRecordEvent",
        "OnDeleteRecordEvent", "OnBeforeActionEvent", "OnAfterActionEvent", "OnBeforeValidateEvent",
        "OnAfterValidateEvent", "OnAfterLookupEvent", "OnBeforeDrillDownEvent", "OnAfterDrillDownEvent")),
}

EVENT_ATTRIBUTES = frozenset(("integrationevent", "businessevent", "internalevent", "externalbusinessevent"))

# The extension kind of each extensible kind.
EXTENSION_OF = {
    "tableextension": "table", "pageextension": "page", "pagecustomization": "page",
    "reportextension": "report", "enumextension": "enum", "permissionsetextension": "permissionset",
    "profileextension": "profile",
}


@attrs.frozen
class AppSymbols:
    """The symbols of one app, and whether it is the project being compiled.

    ``index()`` is built once per AppSymbols: a process that compiles many
    projects against one dependency (package cache reads give the same
    AppSymbols) indexes the dependency's objects once, not per compile."""
    app_id: str
    name: str
    symbols: sym.SymbolReference
    is_project: bool = False
    publisher: str = ""
    version: str = ""
    _memo: dict = attrs.field(factory=dict, eq=False, repr=False, init=False)

    def index(self) -> "AppIndex":
        ix = self._memo.get("index")
        if ix is None:
            ix = self._memo["index"] = AppIndex(self)
        return ix


@attrs.frozen
class Entry:
    app: AppSymbols
    obj: object

    @property
    def kind(self) -> str:
        return self.obj.kind  # type: ignore[attr-defined]


class AppIndex:
    """One app's objects by kind and folded name, by kind and id, and its
    extension objects by the kind and folded name of their target."""

    __slots__ = ("by_name", "by_id", "extensions", "numbered_targets")

    def __init__(self, app: AppSymbols):
        by_name: dict = defaultdict(lambda: defaultdict(list))
        by_id: dict = defaultdict(lambda: defaultdict(list))
        extensions: dict = defaultdict(lambda: defaultdict(list))
        numbered = False    # an extension names its target by id: `tableextension 50100 X extends 18`
        for obj in app.symbols.objects():
            entry = Entry(app, obj)
            kind = obj.kind
            by_name[kind][fold(obj.name)].append(entry)
            if obj.namespace:
                by_name[kind][fold(obj.full_name)].append(entry)
            if obj.id is not None:
                by_id[kind][obj.id].append(entry)
            if kind in EXTENSION_OF:
                target = fold(_target_name(obj.target))
                extensions[EXTENSION_OF[kind]][target].append(entry)
                numbered = numbered or target.isdigit()
        self.numbered_targets = numbered
        self.by_name = {k: dict(v) for k, v in by_name.items()}
        self.by_id = {k: dict(v) for k, v in by_id.items()}
        self.extensions = {k: dict(v) for k, v in extensions.items()}


_NONE: dict = {}


class SymbolTable:
    """Objects by (kind, name) and (kind, id), plus what extensions add."""

    def __init__(self, apps: Iterable[AppSymbols], platform_available: bool = False):
        self.apps = tuple(apps)
        self.platform_available = platform_available
        self._memo: dict = {}
        self._indexes = tuple(app.index() for app in self.apps)
        self._numbered_targets = any(ix.numbered_targets for ix in self._indexes)

    def _lookup(self, table: str, kind: str, key) -> list[Entry]:
        """The entries of every app under ``key``, in app order."""
        found: Optional[list] = None
        for ix in self._indexes:
            entries = getattr(ix, table).get(kind, _NONE).get(key)
            if entries:
                found = entries if found is None else found + entries
        return found or []

    # -- lookup --------------------------------------------------------------------
    def find(self, kind: str, name: str, exact: bool = False) -> list[Entry]:
        """Objects of ``kind`` named ``name`` (simple or namespace-qualified).

        Unless ``exact``, a dotted name that matches nothing is tried by its
        last part: a namespace alc does not know the spelling of."""
        key = fold(_target_name(name))
        found = self._lookup("by_name", kind, key)
        if found:
            return found
        if "." in key and not exact:
            return self._lookup("by_name", kind, key.rsplit(".", 1)[1])
        if is_id_text(key):  # an extension's target named by id: `extends 18`
            return self.find_id(kind, int(key))
        return []

    def find_id(self, kind: str, object_id: int) -> list[Entry]:
        return self._lookup("by_id", kind, object_id)

    def find_ref(self, kind: str, ref: str) -> list[Entry]:
        """By id when ``ref`` is a number, else by name."""
        numeric = ref.isascii() and ref.isdigit() and len(ref) <= 18
        return self.find_id(kind, int(ref)) if numeric else self.find(kind, ref)

    def all(self, kind: str) -> Iterator[Entry]:
        seen = set()
        for ix in self._indexes:
            for entries in ix.by_name.get(kind, _NONE).values():
                for e in entries:
                    if id(e.obj) not in seen:
                        seen.add(id(e.obj))
                        yield e

    def extensions_of(self, kind: str, name: str) -> list[Entry]:
        """The extensions of an object, whether they name it by name or by id.

        >>> from alc.package import symbols as sym
        >>> base = AppSymbols("b", "Base", sym.SymbolReference(tables=(sym.Table(id=18, name="Customer"),)))
        >>> ext = AppSymbols("e", "Ext", sym.SymbolReference(table_extensions=(
        ...     sym.TableExtension(id=50100, name="A", target="Customer"),
        ...     sym.TableExtension(id=50101, name="B", target="18"))))
        >>> st = SymbolTable([base, ext])
        >>> [e.obj.name for e in st.extensions_of("table", "Customer")], len(st.extensions_of("table", "18"))
        (['A', 'B'], 2)
        """
        key = fold(name)
        if not self._numbered_targets:
            return self._lookup("extensions", kind, key)
        cache = self._memo.setdefault("extensions_of", {})
        found = cache.get((kind, key))
        if found is None:
            keys = [key]
            for entry in self.find(kind, name):  # the target itself: by its name and by its id
                obj = entry.obj
                keys += [fold(obj.name), fold(obj.full_name)] + ([str(obj.id)] if obj.id is not None else [])
            seen: set = set()
            found = cache[(kind, key)] = [e for k in dict.fromkeys(keys) for e in self._lookup("extensions", kind, k)
                                          if id(e.obj) not in seen and not seen.add(id(e.obj))]
        return found

    # -- members -------------------------------------------------------------------
    @_memo
    def table_fields(self, table: str) -> dict[str, tuple]:
        """fold(name) -> (Field, app) of a table and of every visible extension of it."""
        out: dict[str, tuple] = {}
        for entry in self.find("table", table) + self.extensions_of("table", table):
            for f in live_fields(entry.obj):
                out.setdefault(fold(f.name), (f, entry.app))
        return out

    @_memo
    def table_methods(self, table: str) -> frozenset:
        return frozenset(fold(m.name) for e in self.find("table", table) + self.extensions_of("table", table)
                         for m in e.obj.methods)  # type: ignore[attr-defined]

    @_memo
    def page_controls(self, page: str) -> frozenset:
        """Names of the page's controls (areas, groups, fields, parts...) incl. those extensions add."""
        names: set = set()
        for entry in self.find("page", page):
            _control_names(entry.obj.controls, names)  # type: ignore[attr-defined]
        for entry in self.extensions_of("page", page):
            for change in getattr(entry.obj, "control_changes", ()):
                _control_names(change.controls, names)
        return frozenset(names)

    @_memo
    def page_actions(self, page: str) -> frozenset:
        names: set = set()
        for entry in self.find("page", page):
            _action_names(entry.obj.actions, names)  # type: ignore[attr-defined]
            _cuegroup_actions(entry.obj.controls, names)  # type: ignore[attr-defined]
        for entry in self.extensions_of("page", page):
            for change in getattr(entry.obj, "action_changes", ()):
                _action_names(change.actions, names)
            for change in getattr(entry.obj, "control_changes", ()):
                _cuegroup_actions(change.controls, names)
        return frozenset(names)

    @_memo
    def enum_values(self, enum: str) -> tuple[dict, dict]:
        """(fold(name) -> app, ordinal -> app) of an enum and its visible extensions."""
        by_name: dict = {}
        by_ordinal: dict = {}
        for entry in self.find("enum", enum) + self.extensions_of("enum", enum):
            for v in entry.obj.values:  # type: ignore[attr-defined]
                by_name.setdefault(fold(v.name), entry.app)
                by_ordinal.setdefault(v.ordinal, entry.app)
        return by_name, by_ordinal

    def events(self, kind: str, entries: list[Entry]) -> frozenset:
        """Event names (folded) an object publishes, its extensions' and the platform's included."""
        names = set(PLATFORM_EVENTS.get(kind, ()))
        for entry in entries:
            sources = [entry] + self.extensions_of(kind, entry.obj.name)  # type: ignore[attr-defined]
            for e in sources:
                for m in getattr(e.obj, "methods", ()):
                    if any(a.name.casefold() in EVENT_ATTRIBUTES for a in m.attributes):
                        names.add(fold(m.name))
                for m in getattr(e.obj, "events", ()):
                    names.add(fold(m.name))
        return frozenset(names)


def is_moved_out(properties) -> bool:
    """`ObsoleteState = Moved` (with `MovedTo`): a stub left where a table or
    field moved out to another app; its declaration belongs to that app."""
    return any(p.name.casefold() == "obsoletestate" and str(p.value).strip("'\"").casefold() == "moved"
               for p in properties)


def live_fields(obj) -> list:
    """The fields of a table or table extension symbol, moved-out stubs left out."""
    return [f for f in obj.fields if not is_moved_out(f.properties)]  # type: ignore[attr-defined]


def name_numbered_targets(symbols: sym.SymbolReference, table: SymbolTable) -> sym.SymbolReference:
    """The symbols with every extension target given by id (`extends 18`) named as the target is named,
    as the symbols of a package name them; a target that resolves nowhere keeps its id.

    >>> base = AppSymbols("b", "Base", sym.SymbolReference(tables=(sym.Table(id=18, name="Customer"),)))
    >>> own = sym.SymbolReference(table_extensions=(sym.TableExtension(id=50100, name="A", target="18"),))
    >>> name_numbered_targets(own, SymbolTable([base])).table_extensions[0].target
    'Customer'
    """
    changes = {}
    for attr in sym.COLLECTION_ATTRS.values():
        items = getattr(symbols, attr)
        if not items or not items[0].is_extension or not any(o.target.isdigit() for o in items):
            continue
        named = []
        for o in items:
            found = table.find_id(EXTENSION_OF[o.kind], int(o.target)) if is_id_text(o.target) else None
            named.append(attrs.evolve(o, target=found[0].obj.name) if found else o)
        changes[attr] = tuple(named)
    return attrs.evolve(symbols, **changes) if changes else symbols


def _target_name(target: str) -> str:
    """`#<appid>#Name` (how symbol files name a target in another app) -> `Name`."""
    if target.startswith("#"):
        parts = target.split("#", 2)
        if len(parts) == 3:
            return parts[2]
    return target


def _control_names(controls, out: set) -> None:
    for c in controls:
        out.add(fold(c.name))
        _control_names(c.controls, out)


def _action_names(actions, out: set) -> None:
    for a in actions:
        out.add(fold(a.name))
        _action_names(a.actions, out)


def _cuegroup_actions(controls, out: set) -> None:
    for c in controls:
        _action_names(getattr(c, "actions", ()), out)
        _cuegroup_actions(c.controls, out)
