"""The records of the merge engine: apps in, conflicts and provenance out.

An :class:`App` is what a package carries: its manifest and the IR of every
object (full metadata, so merge needs no source). A :class:`Conflict` is
data, not an exception: a stable ``code``, a ``kind``, the object and
element involved, the apps and their values, and a message. It becomes a
Diagnostic (ALC03xx, one label per app whose span is known) only when
rendered.

>>> c = Conflict("property", ObjectRef("page", 21, "Customer Card"), "Name", "Visible",
...              (AppRef("a", "A", "P", "1.0.0.0"), AppRef("b", "B", "P", "1.0.0.0")), ("false", "true"),
...              "`Visible` of `Name` is set to `false` by `A` and to `true` by `B`")
>>> c.code, c.to_dict()["object"]
('ALC0301', {'type': 'page', 'id': 21, 'name': 'Customer Card'})
>>> c.to_diagnostic().severity.value
'error'
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Mapping, Optional

import attrs

from ..diagnostics import Diagnostic, Label, Severity
from ..ir import nodes as ir
from ..appmodel import AppManifest

__all__ = ["App", "ObjectStub", "loaded", "AppRef", "ObjectRef", "Conflict", "Provenance", "MergeResult", "MergeOptions",
           "KIND_CODES", "POLICIES", "object_key", "object_ref", "app_ref"]

POLICIES = ("strict", "last-wins")
"""`strict`: a property conflict is an error (Dynamics NAV). `last-wins`:
the app applied last wins and each override is a warning (Business Central)."""

KIND_CODES: Mapping[str, str] = MappingProxyType({
    "property": "ALC0301",
    "duplicate-field-id": "ALC0302",
    "duplicate-field-name": "ALC0303",
    "duplicate-control": "ALC0304",
    "duplicate-enum-value": "ALC0305",
    "move": "ALC0306",
    "missing-anchor": "ALC0307",
    "object-id": "ALC0308",
    "object-name": "ALC0309",
    "missing-target": "ALC0310",
    "missing-dependency": "ALC0311",
    "dependency-version": "ALC0312",
    "dependency-cycle": "ALC0313",
    "duplicate-element": "ALC0314",
    "duplicate-app": "ALC0315",
})
"""Conflict kind -> diagnostic code; codes are permanent (see diagnostics.CODES)."""


@attrs.frozen
class MergeOptions:
    """Every knob of one merge, passed down as one value (no globals)."""
    policy: str = attrs.field(default="strict", validator=attrs.validators.in_(POLICIES))


@attrs.frozen
class App:
    """One package: its manifest and the IR objects it declares.

    >>> from alc.appmodel import Version
    >>> App(AppManifest("0f3b2c1a-0000-4000-8000-000000000001", "Hello", "Me", Version(1, 0, 0, 0))).ref.name
    'Hello'
    """
    manifest: AppManifest
    objects: tuple = attrs.field(default=(), converter=tuple)

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def ref(self) -> "AppRef":
        return app_ref(self.manifest)


class ObjectStub:
    """An object a package lists in its index, decoded only when needed.

    Merging looks at every object's kind, id and name (duplicates, extension
    targets), but needs the whole IR only of the objects extensions change;
    a base application of thousands of objects is mostly passed through. So
    :mod:`alc.merge.load` hands the merge stubs, and ``load()`` decodes (once).
    ``moved`` is True when the object, or one of its fields, moved out to
    another app (`ObsoleteState = Moved`): such objects are loaded at once.

    >>> s = ObjectStub("table", 18, "Customer", "Sales", None, False, lambda: ir.Table(18, "Customer"))
    >>> s.full_name, object_key(s), s.load() is s.load()
    ('Sales.Customer', ('table', 18), True)
    """

    __slots__ = ("kind", "id", "name", "namespace", "target", "moved", "_loader", "_value")
    span = None

    def __init__(self, kind: str, ident: Optional[int], name: Optional[str], namespace: Optional[str],
                 target: Optional[str], moved: bool, loader) -> None:
        self.kind, self.id, self.name, self.namespace, self.target, self.moved = \
            kind, ident, name, namespace, target, moved
        self._loader = loader
        self._value = None

    @property
    def full_name(self) -> str:
        return f"{self.namespace}.{self.name}" if self.namespace else (self.name or "")

    def load(self) -> Any:
        if self._value is None:
            self._value = self._loader()
            self._loader = None
        return self._value

    def __repr__(self) -> str:
        return f"ObjectStub({self.kind} {self.id} {self.name!r})"


def loaded(obj: Any) -> Any:
    """The IR of ``obj``, decoding it when it is an :class:`ObjectStub`."""
    return obj.load() if type(obj) is ObjectStub else obj


@attrs.frozen(order=True)
class AppRef:
    """An app as conflicts name it: `{"id", "name", "publisher", "version"}`."""
    id: str
    name: str
    publisher: str
    version: str

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "publisher": self.publisher, "version": self.version}


def app_ref(manifest: AppManifest) -> AppRef:
    return AppRef(manifest.id, manifest.name, manifest.publisher, str(manifest.version))


@attrs.frozen
class ObjectRef:
    """An object as conflicts name it: kind (`table`, `page`, ...), id (None
    for kinds without ids, or a target that was not found) and name."""
    type: str
    id: Optional[int]
    name: str

    def to_dict(self) -> dict:
        return {"type": self.type, "id": self.id, "name": self.name}

    def __str__(self) -> str:
        ident = f" {self.id}" if self.id is not None else ""
        return f"{self.type}{ident} `{self.name}`"


def object_ref(obj: Any) -> ObjectRef:
    """The ObjectRef of an IR object.

    >>> str(object_ref(ir.Table(18, "Customer")))
    'table 18 `Customer`'
    """
    return ObjectRef(obj.kind, getattr(obj, "id", None), obj.name if obj.name is not None else "")


def object_key(obj: Any) -> tuple:
    """The identity of an object in a merge: (kind, id), or (kind, name) for
    kinds without ids.

    >>> object_key(ir.Table(18, "Customer")), object_key(ir.Profile(None, "Sales"))
    (('table', 18), ('profile', 'sales'))
    """
    ident = getattr(obj, "id", None)
    if ident is None:
        ident = (obj.full_name if obj.name is not None else "").casefold()
    return (obj.kind, ident)


@attrs.frozen
class Conflict:
    """One conflict (or, under `last-wins`, one override warning).

    ``values`` are AL text (property values, move destinations, versions);
    ``spans`` point at the extension code involved when the IR has positions.
    """
    kind: str = attrs.field(validator=attrs.validators.in_(KIND_CODES))
    object: Optional[ObjectRef]
    element: Optional[str]
    property: Optional[str]
    apps: tuple = attrs.field(converter=tuple)
    values: tuple = attrs.field(converter=tuple)
    message: str
    spans: tuple = attrs.field(default=(), converter=tuple, eq=False, repr=False)

    @property
    def code(self) -> str:
        return KIND_CODES[self.kind]

    def to_dict(self) -> dict:
        """The CONFLICT object of `alc check --format json`."""
        return {"code": self.code, "kind": self.kind,
                "object": self.object.to_dict() if self.object is not None else None,
                "element": self.element, "property": self.property,
                "apps": [a.to_dict() for a in self.apps], "values": list(self.values),
                "message": self.message, "locations": [_location(s) for s in self.spans]}

    def to_diagnostic(self, severity: Severity = Severity.ERROR) -> Diagnostic:
        """A Diagnostic with one label per app whose code position is known."""
        spans = [s for s in self.spans if s is not None]
        labels = [Label(s, f"by `{a.name}`") for s, a in zip(self.spans, self.apps) if s is not None]
        notes = [f"app `{a.name}` by `{a.publisher}` {a.version} ({a.id})" for a in self.apps]
        return Diagnostic(self.code, severity, self.message, spans[0] if spans else None,
                          labels=labels[1:], notes=notes)


def _location(span) -> Optional[dict]:
    """Where one side of a conflict is written: file, line, column (None when unknown)."""
    if span is None or span.source is None:
        return None
    line, col = span.source.line_col(span.start)
    end_line, end_col = span.source.line_col(span.end)
    return {"file": span.display_path(), "line": line, "column": col, "end_line": end_line, "end_column": end_col}


@attrs.frozen(eq=False)
class Provenance:
    """Which app each part of the merged objects comes from.

    Objects come from the app that declares them, and so do their elements,
    unless an extension added them (``elements``) or moved them (``moves``);
    a property has an origin of its own only when an extension modified it
    (``properties``). Triggers an extension added are listed, in order, in
    ``triggers``; they follow the element's own triggers.
    Keys: object key (:func:`object_key`), section (`field`, `key`,
    `fieldgroup`, `control`, `action`, `view`, `value`, `dataset`,
    `requestpage`, `requestpage-action`, `rendering`, `label`, `permission`,
    `object`), element name casefolded (None for the object itself),
    property name casefolded.
    """
    apps: Mapping[str, AppRef]
    owners: Mapping[tuple, str]
    elements: Mapping[tuple, str]
    moves: Mapping[tuple, str]
    properties: Mapping[tuple, str]
    triggers: Mapping[tuple, tuple]

    def owner(self, obj: Any) -> Optional[AppRef]:
        """The app that declares ``obj``."""
        app = self.owners.get(object_key(obj))
        return self.apps[app] if app is not None else None

    def element(self, obj: Any, section: str, name: str) -> Optional[AppRef]:
        """The app that added an element (or, for the object's own, declared it)."""
        app = self.elements.get((object_key(obj), section, name.casefold()))
        return self.apps[app] if app is not None else self.owner(obj)

    def moved_by(self, obj: Any, section: str, name: str) -> Optional[AppRef]:
        app = self.moves.get((object_key(obj), section, name.casefold()))
        return self.apps[app] if app is not None else None

    def property(self, obj: Any, section: str, element: Optional[str], prop: str) -> Optional[AppRef]:
        """The app whose modification set a property; None when it is the element's own."""
        key = (object_key(obj), section, element.casefold() if element is not None else None, prop.casefold())
        app = self.properties.get(key)
        return self.apps[app] if app is not None else None

    def added_triggers(self, obj: Any, section: str, element: Optional[str]) -> tuple:
        """The apps of the triggers extensions appended to an element, in order."""
        key = (object_key(obj), section, element.casefold() if element is not None else None)
        return tuple(self.apps[a] for a in self.triggers.get(key, ()))


@attrs.frozen(eq=False)
class MergeResult:
    """What a tenant with exactly these apps would see.

    ``objects`` are the merged objects (extension objects are folded into
    their targets; kinds alc does not merge pass through), ``order`` the app
    ids in applied order. Under `strict` property and move conflicts are in
    ``conflicts``; under `last-wins` they are override ``warnings``. Either
    way the merged objects hold what the app applied last set, so that the
    result is deterministic.
    """
    _objects: tuple         # merged objects; those no extension touched may still be ObjectStubs
    conflicts: tuple
    warnings: tuple
    provenance: Provenance
    order: tuple
    apps: tuple

    @property
    def ok(self) -> bool:
        return not self.conflicts

    @property
    def objects(self) -> tuple:
        """Every merged object, decoded (``find`` decodes only the one asked for)."""
        return tuple(loaded(o) for o in self._objects)

    def find(self, kind: str, ident: Any) -> Optional[Any]:
        """The merged object of ``kind`` with id ``ident`` (an int) or that name."""
        for obj in self._objects:
            if obj.kind != kind:
                continue
            if isinstance(ident, int) and getattr(obj, "id", None) == ident:
                return loaded(obj)
            if isinstance(ident, str) and obj.name is not None and ir.names_equal(ident, obj.name):
                return loaded(obj)
        return None

    def diagnostics(self) -> list:
        """Conflicts as errors and warnings as warnings, in order."""
        return ([c.to_diagnostic(Severity.ERROR) for c in self.conflicts]
                + [c.to_diagnostic(Severity.WARNING) for c in self.warnings])

    def to_dict(self) -> dict:
        """The object `alc check --format json` prints."""
        return {"apps": [a.to_dict() for a in self.apps], "order": list(self.order),
                "conflicts": [c.to_dict() for c in self.conflicts],
                "warnings": [c.to_dict() for c in self.warnings]}
