"""`merge(apps)`: what a tenant with exactly these apps installed sees.

A pure function of its input, in four passes:

1. order: the dependency graph gives the applied order and the dependency
   conflicts (:mod:`alc.merge.order`);
2. declare: every object of every app, in that order, is indexed by
   (kind, id) and (kind, name); a second object with a taken id or name is
   an `object-id`/`object-name` conflict and is left out (a second
   extension object is still applied: only its id or name clashes);
3. apply: the deltas of each extension object (:mod:`alc.merge.deltas`)
   go, app after app, onto the object they extend (:mod:`alc.merge.work`);
   `modify` and move deltas are indexed as they pass;
4. judge: the index gives the property and move conflicts
   (:mod:`alc.merge.conflicts`), the touched objects are frozen back into
   IR, and provenance is assembled.

>>> from alc import parse_text
>>> from alc.appmodel import AppManifest, Dependency, Version
>>> v1 = Version(1, 0, 0, 0)
>>> base = App(AppManifest("00000000-0000-0000-0000-0000000000b0", "Base", "MS", v1),
...            parse_text("table 18 Customer { fields { field(1; Name; Text[100]) { } } }").unit.objects)
>>> on_base = [Dependency(base.id, "Base", "MS", v1)]
>>> def ext(n, text):
...     return App(AppManifest(f"00000000-0000-0000-0000-00000000000{n}", f"Ext {n}", "Me", v1, dependencies=on_base),
...                parse_text(text).unit.objects)
>>> a = ext(1, "tableextension 50100 A extends Customer { fields { modify(Name) { Caption = 'Full Name'; } } }")
>>> b = ext(2, "tableextension 50200 B extends Customer { fields { modify(Name) { Caption = 'Name 2'; } } }")
>>> result = merge([base, a, b])
>>> [(c.code, c.kind, [x.name for x in c.apps]) for c in result.conflicts]
[('ALC0301', 'property', ['Ext 1', 'Ext 2'])]
>>> lenient = merge([base, a, b], policy="last-wins")
>>> lenient.conflicts, lenient.warnings[0].values
((), ("'Full Name'", "'Name 2'"))
>>> lenient.find("table", 18).fields[0].properties[0].value.items[0].value
'Name 2'
"""

from __future__ import annotations

from typing import Any, Iterable, Optional

import attrs

from ..ir.moved import without_moved_out
from ..memory import gc_paused

from .conflicts import DeltaIndex
from .deltas import MOVE_OPS, TARGET_KINDS, extension_deltas
from .model import (App, Conflict, MergeOptions, MergeResult, ObjectRef, ObjectStub, Provenance, loaded, object_key,
                    object_ref)
from .order import APPLICATION_IDS, AppGraph, build_graph
from .work import Journal, ObjectWork, member_names

__all__ = ["merge", "Declarations"]


def merge(apps: Iterable[App], policy: str = "strict", *, order: Optional[Iterable[str]] = None) -> MergeResult:
    """Merge ``apps`` (a base application and extensions) under ``policy``
    (`strict` or `last-wins`).

    ``order`` replaces the computed applied order (app ids, dependencies
    first); tests use it to show that independent extensions give the
    same result in any order.
    """
    options = MergeOptions(policy)
    apps = tuple(apps)
    graph, conflicts = build_graph(a.manifest for a in apps)
    chosen = {a.id: a for a in apps if graph.manifest(a.id) is a.manifest}
    applied = graph.order() if order is None else _checked_order(order, chosen)
    with gc_paused():  # what the merge builds (and decodes from packages) stays alive
        return _merge(chosen, graph, applied, options, conflicts)


def _checked_order(order: Iterable[str], apps: dict) -> tuple:
    order = tuple(order)
    if sorted(order) != sorted(apps):
        raise ValueError("`order` must list every app id exactly once")
    return order


PLATFORM_ID = "8874ed3a-0643-4247-9ced-7a7002f7135d"   # Business Central's platform app, "System"


def _merge(apps: dict, graph: AppGraph, order: tuple, options: MergeOptions, conflicts: list) -> MergeResult:
    refs = {app: graph.ref(app) for app in order}
    declarations = Declarations(refs)
    for app in order:
        for obj in apps[app].objects:
            if type(obj) is ObjectStub:
                if not obj.moved and obj.kind not in TARGET_KINDS:
                    declarations.declare(app, obj)  # decoded only if an extension changes it
                    continue
                obj = obj.load()
            obj = without_moved_out(obj)
            if obj is not None:
                declarations.declare(app, obj)
    conflicts = conflicts + declarations.conflicts
    # Without the platform ("System") app in the set, an extension of an object
    # no app declares may extend a platform object (`Copilot Capability`): a warning.
    platform = PLATFORM_ID in apps
    unresolved: list = []
    journal = Journal(refs)
    index = DeltaIndex()
    works: dict = {}
    resolved = []
    for app, ext in declarations.extensions:
        target = declarations.resolve(TARGET_KINDS[ext.kind], ext.target, app, graph)
        if target is None:
            (conflicts if platform else unresolved).append(_missing_target(ext, refs[app], platform))
            continue
        resolved.append((app, target, ext, extension_deltas(app, ext)))
    for app, target, ext, deltas in _anchors_first(resolved):
        work = works.get(target)
        if work is None:
            work = works[target] = ObjectWork(loaded(declarations.objects[target]), declarations.owners[target],
                                              journal)
        for delta in deltas:
            if delta.op == "modify" or delta.op in MOVE_OPS:
                index.add(target, work.ref, delta)
            work.apply(delta)
    conflicts, unresolved = _application_optional(conflicts, unresolved)
    overrides, warnings = index.conflicts(graph.depends_on, refs, options.policy)
    merged = tuple(works[key].freeze() if key in works else obj for key, obj in declarations.objects.items())
    for work in works.values():
        work.release()
    provenance = Provenance(refs, declarations.owners, journal.elements,
                            journal.moves, journal.properties, journal.triggers)
    return MergeResult(merged, tuple(conflicts + journal.conflicts + overrides), tuple(unresolved + warnings),
                       provenance, order, tuple(refs[a] for a in order))


def _application_optional(conflicts: list, unresolved: list) -> tuple[list, list]:
    """Without Microsoft's application in the set, an app whose `application` dependency is missing
    is still checked: a warning, not a conflict, when none of its extensions misses its target
    (so it extends no object of the application that the set lacks)."""
    missing_targets = {c.apps[0].id for c in conflicts + unresolved if c.kind == "missing-target" and c.apps}
    keep, soft = [], []
    for c in conflicts:
        if (c.kind == "missing-dependency" and len(c.apps) == 2 and c.apps[1].id == APPLICATION_IDS[0]
                and c.apps[0].id not in missing_targets):
            soft.append(attrs.evolve(c, message=c.message + "; it extends none of the application's objects, so "
                                                            "the rest is checked without it"))
        else:
            keep.append(c)
    return keep, soft + unresolved


def _anchors_first(items: list) -> list:
    """Keep the applied order, except that when one app extends one object
    several times (the Base Application extends "Source Codes" three times),
    an extension comes after the ones that add what its anchors name."""
    out: list = []
    groups: dict = {}
    for item in items:
        groups.setdefault((item[0], item[1]), []).append(item)
    done: set = set()
    for item in items:
        key = (item[0], item[1])
        if key in done:
            continue
        done.add(key)
        group = groups[key]
        out.extend(group if len(group) == 1 else _by_anchor(group))
    return out


def _by_anchor(group: list) -> list:
    adds = [{n.casefold() for d in deltas if d.op.startswith("add") for m in d.members
             if hasattr(m, "name") for n in member_names(m)} for _, _, _, deltas in group]
    needs = [{d.anchor.casefold() for d in deltas if d.anchor} for _, _, _, deltas in group]
    pending = list(range(len(group)))
    ordered = []
    while pending:
        ready = next((i for i in pending
                      if not any(needs[i] & adds[j] for j in pending if j != i)), pending[0])
        ordered.append(group[ready])
        pending.remove(ready)
    return ordered


def _missing_target(ext: Any, app: Any, platform: bool = True) -> Conflict:
    target = ObjectRef(TARGET_KINDS[ext.kind], None, ext.target)
    message = f"{ext.kind} `{ext.name}` of `{app.name}` extends {target}, which none of the apps declares"
    if not platform:
        message += "; it may be a platform object (the platform's System app is not in the set)"
    return Conflict("missing-target", target, None, None, (app,), (ext.target,), message, (ext.span,))


class Declarations:
    """Every object of the set, indexed by (kind, id) and (kind, name).

    Kept lean (plain objects as dict values, one key tuple per index): a
    10,000-object base means tens of thousands of entries, and every
    container created here is work for the garbage collector."""

    def __init__(self, refs: dict):
        self.refs = refs
        self.objects: dict = {}           # object key -> obj, merged kinds and passed-through ones
        self.owners: dict = {}            # object key -> app id
        self.extensions: list = []        # (app, extension object) to fold into targets, in order
        self.conflicts: list = []
        self._apps: dict = {}             # id(obj) -> app id, every declared object
        self._ids: dict = {}              # (kind, id) -> obj
        self._names: dict = {}            # (kind, full name casefolded) -> obj
        self._short: dict = {}            # (kind, name casefolded) -> key, or [key, ...] when several

    def declare(self, app: str, obj: Any) -> None:
        self._apps[id(obj)] = app
        kind, ident = obj.kind, getattr(obj, "id", None)
        id_key = (kind, ident) if ident is not None else None
        name_key = (kind, obj.full_name.casefold()) if obj.name is not None else None
        clash = False
        if kind == "entitlement":
            # Microsoft ships the same entitlements in more than one app (System
            # Application and Business Foundation); they are not unique objects.
            id_key = name_key = None
        if id_key is not None:
            clash |= self._clash("object-id", self._ids, id_key, app, obj, f"id {ident}", str(ident))
        if name_key is not None:
            clash |= self._clash("object-name", self._names, name_key, app, obj, f"name `{obj.full_name}`",
                                 obj.full_name)
        if kind in TARGET_KINDS:
            self.extensions.append((app, obj))
        elif not clash:
            key = id_key or name_key or object_key(obj)
            self.objects[key] = obj
            self.owners[key] = app
            if name_key is not None:
                short = name_key if obj.namespace is None else (kind, obj.name.casefold())
                have = self._short.get(short)
                self._short[short] = key if have is None else (have if isinstance(have, list) else [have]) + [key]

    def _clash(self, kind: str, table: dict, key: tuple, app: str, obj: Any, what: str, value: str) -> bool:
        other = table.get(key)
        if other is None:
            table[key] = obj
            return False
        owner = self._apps[id(other)]
        message = (f"{obj.kind} {what} is declared by `{self.refs[owner].name}` (`{other.name}`) and again by "
                   f"`{self.refs[app].name}` (`{obj.name}`)")
        self.conflicts.append(Conflict(kind, object_ref(other), None, None, (self.refs[owner], self.refs[app]),
                                       (value,), message, (other.span, obj.span)))
        return True

    def resolve(self, kind: str, target: str, app: str, graph: AppGraph) -> Optional[tuple]:
        """The key of the object an extension of ``app`` extends: by full name,
        else by name, preferring objects of ``app``'s dependencies."""
        if target.isascii() and target.isdigit() and len(target) <= 18:  # by id: `tableextension 50100 X extends 18`
            found = self._ids.get((kind, int(target)))
            return object_key(found) if found is not None and self.objects.get(object_key(found)) is found else None
        found = self._names.get((kind, target.casefold()))
        if found is not None:
            key = object_key(found)
            if self.objects.get(key) is found:
                return key
        have = self._short.get((kind, target.casefold()))
        if have is None or not isinstance(have, list):
            return have
        for key in have:
            owner = self.owners[key]
            if owner == app or graph.depends_on(app, owner):
                return key
        return have[0]
