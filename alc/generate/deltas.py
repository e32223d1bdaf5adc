"""The deltas of one extension app: new fields, field and control
modifications, moves, new actions and enum values, anchored on real fields
and controls of the base (and on controls its dependencies added).

Every key a delta modifies or moves is claimed globally, so that the only
collisions between apps are the planned ones (:mod:`.plan`).

Ops, per target ``(object kind, index)``:
``("add_field", id, name, type, caption, conflict)``,
``("modify_field", field, property, value, conflict)``,
``("add_control", how, anchor, control, field)``,
``("modify_control", control, property, value, conflict)``,
``("move", how, anchor, control)``,
``("add_action", how, anchor, name, caption, table)``,
``("modify_action", action, property, value)``,
``("add_value", ordinal, name, caption, conflict)``.
"""

from __future__ import annotations

import random

import attrs

from . import words
from .catalog import Catalog
from .names import ident
from .plan import Conflict, ExtApp
from .rand import pick, between

__all__ = ["ExtPlan", "Exported", "plan_deltas", "exported_of"]

_EXT_TYPES = dict(words.EXTENSION_FIELDS)
_WEIGHTS = (("add_field", 28), ("modify_field", 8), ("add_control", 20), ("modify_control", 14),
            ("move", 6), ("add_action", 10), ("modify_action", 5), ("add_value", 9))


@attrs.frozen
class Exported:
    """What an app offers its dependents: controls to anchor on, events to subscribe to."""
    codeunit: str
    namespace: str
    events: tuple                 # ((event name, table index), ...)
    controls: dict                # page -> (control names added to its layout)
    fields: dict                  # table -> (field names added)


@attrs.define
class ExtPlan:
    app: ExtApp
    ops: dict = attrs.Factory(dict)          # (kind, index) -> [op, ...]
    fields: dict = attrs.Factory(dict)       # table -> [(name, type)] added (not conflict fields)
    controls: dict = attrs.Factory(dict)     # page -> [control names] added to the layout
    process: dict = attrs.Factory(dict)      # table -> name of the codeunit procedure its actions run
    deltas: int = 0

    def add(self, target: tuple, op: tuple) -> None:
        self.ops.setdefault(target, []).append(op)
        self.deltas += 1


class _Planner:
    def __init__(self, cat: Catalog, app: ExtApp, exported: dict, claimed: set, rng: random.Random) -> None:
        self.cat, self.app, self.exported, self.claimed, self.rng = cat, app, exported, claimed, rng
        self.plan = ExtPlan(app)
        self.next_field = self.next_value = app.id_range[0]
        self.names: set = set()               # (target, casefolded name) used by this app
        n = len(cat.table_names)
        self.tables = sorted({rng.randrange(n) for _ in range(between(rng, 1, 4))})
        ext_enums = [e for e in range(len(cat.enum_names)) if cat.enum_extensible[e]]
        self.enums = [pick(rng, ext_enums)] if ext_enums else []

    def fresh(self, target: tuple, name: str) -> bool:
        key = (target, name.casefold())
        if key in self.names:
            return False
        self.names.add(key)
        return True

    def claim(self, key: tuple) -> bool:
        if key in self.claimed:
            return False
        self.claimed.add(key)
        return True

    def pages(self) -> list:
        out = []
        for t in self.tables:
            out += [p for p in (self.cat.page_of(t, "card", "document"), self.cat.page_of(t, "list")) if p >= 0]
        return out

    # --------------------------------------------------------- conflicts --

    def conflict(self, c: Conflict, side: int) -> None:
        a = self.app
        if c.kind == "property" and c.object_type == "page":
            self.plan.add(("page", c.object), ("modify_control", c.member, c.property, c.values[side], c))
        elif c.kind == "property":
            self.plan.add(("table", c.object), ("modify_field", c.member, c.property, c.values[side], c))
        elif c.kind == "field_name":
            self.fresh(("table", c.object), c.member)
            self.plan.add(("table", c.object), ("add_field", self._field_id(), c.member, _EXT_TYPES[c.member],
                                                c.member, c))
        elif c.kind == "field_id":
            word, type_code = pick(self.rng, words.EXTENSION_FIELDS)
            name = f"{a.affix} {word}"
            if not self.fresh(("table", c.object), name):
                name = f"{a.affix} {word} {c.id}"
                self.fresh(("table", c.object), name)
            c.values[side] = name
            self.plan.add(("table", c.object), ("add_field", c.number, name, type_code, word, c))
        else:
            word = f"{pick(self.rng, words.ENUM_EXTENSION_VALUES)} {c.id}"
            c.values[side] = f"{a.affix} {word}"
            self.fresh(("enum", c.object), c.values[side])
            self.plan.add(("enum", c.object), ("add_value", c.number, c.values[side], word, c))

    def _field_id(self) -> int:
        self.next_field += 1
        return self.next_field - 1

    # ------------------------------------------------------------ deltas --

    def add_field(self) -> bool:
        t = pick(self.rng, self.tables)
        word, type_code = pick(self.rng, words.EXTENSION_FIELDS)
        name = f"{self.app.affix} {word}"
        if not self.fresh(("table", t), name):
            return False
        self.plan.fields.setdefault(t, []).append((name, type_code))
        self.plan.add(("table", t), ("add_field", self._field_id(), name, type_code, word, None))
        return True

    def modify_field(self) -> bool:
        t = pick(self.rng, self.tables)
        spec = self.cat.table(t)
        fields = [f.name for f in spec.normal() if f.name not in spec.pk]
        if not fields:
            return False
        name = pick(self.rng, fields)
        if not self.claim(("table", t, name.casefold(), "Caption")):
            return False
        self.plan.add(("table", t), ("modify_field", name, "Caption", f"{name} ({self.app.affix})", None))
        return True

    def add_control(self) -> bool:
        pages = self.pages()
        if not pages:
            return False
        p = pick(self.rng, pages)
        spec = self.cat.page(p)
        field, control = self._new_control_field(p, spec)
        if field is None:
            return False
        anchors = [c for c, _ in spec.field_controls()] + self._dep_controls(p)
        if anchors and self.rng.random() < 0.7:
            how, anchor = pick(self.rng, ("addafter", "addafter", "addbefore")), pick(self.rng, anchors)
        else:
            how, anchor = pick(self.rng, ("addlast", "addfirst")), pick(self.rng, spec.groups)[0]
        self.plan.controls.setdefault(p, []).append(control)
        self.plan.add(("page", p), ("add_control", how, anchor, control, field))
        return True

    def _new_control_field(self, p: int, spec) -> tuple:
        t = spec.table
        own = [n for n, _ in self.plan.fields.get(t, ())]
        deps = [n for d in self.app.deps for n in self.exported[d].fields.get(t, ())]
        shown = {f for _, fs in spec.groups for f in fs}
        base = [f.name for f in self.cat.table(t).normal() if f.name not in shown and f.base != "blob"]
        for name in own:
            if self.fresh(("page", p), name):
                return name, name
        pool = deps + base
        if not pool:
            return None, None
        name = pick(self.rng, pool)
        control = f"{self.app.affix}{ident(name)}"[:30]
        if not self.fresh(("page", p), control):
            return None, None
        return name, control

    def _dep_controls(self, p: int) -> list:
        return [c for d in self.app.deps for c in self.exported[d].controls.get(p, ())]

    def modify_control(self) -> bool:
        pages = self.pages()
        if not pages:
            return False
        p = pick(self.rng, pages)
        controls = [c for c, _ in self.cat.page(p).field_controls()]
        if not controls:
            return False
        control = pick(self.rng, controls)
        prop = pick(self.rng, ("Visible", "Caption", "Editable"))
        if not self.claim(("page", p, control.casefold(), prop)):
            return False
        value = f"{control} ({self.app.affix})" if prop == "Caption" else pick(self.rng, ("true", "false"))
        self.plan.add(("page", p), ("modify_control", control, prop, value, None))
        return True

    def move(self) -> bool:
        pages = self.pages()
        if not pages:
            return False
        p = pick(self.rng, pages)
        groups = [fs for _, fs in self.cat.page(p).groups if len(fs) >= 3]
        if not groups:
            return False
        anchor, control = self.rng.sample(pick(self.rng, groups), 2)
        if ("move", p, anchor.casefold()) in self.claimed or not self.claim(("move", p, control.casefold())):
            return False
        self.claimed.add(("move", p, anchor.casefold()))
        self.plan.add(("page", p), ("move", pick(self.rng, ("moveafter", "movebefore")), anchor, control))
        return True

    def add_action(self) -> bool:
        pages = [p for p in self.pages() if any(a[0] == "Processing" for a in self.cat.page(p).actions)]
        if not pages:
            return False
        p = pick(self.rng, pages)
        spec = self.cat.page(p)
        verb = pick(self.rng, words.VERBS)
        name = f"{self.app.affix}{verb}{ident(self.app.name)}"[:30]
        if not self.fresh(("page", p), name):
            return False
        if self.rng.random() < 0.5:
            how, anchor = "addafter", pick(self.rng, [a[1] for a in spec.actions if a[0] == "Processing"])
        else:
            how, anchor = "addlast", "Processing"
        self.process(spec.table)
        self.plan.add(("page", p), ("add_action", how, anchor, name, f"{verb} ({self.app.name})", spec.table))
        return True

    def process(self, t: int) -> str:
        """The codeunit procedure that works on table ``t`` (made on first use)."""
        if t not in self.plan.process:
            stem = name = f"Process{ident(self.cat.table_names[t])[:22]}"
            n = 2
            while name in self.plan.process.values():
                name, n = f"{stem}{n}", n + 1
            self.plan.process[t] = name
        return self.plan.process[t]

    def modify_action(self) -> bool:
        pages = [p for p in self.pages() if self.cat.page(p).actions]
        if not pages:
            return False
        p = pick(self.rng, pages)
        action = pick(self.rng, self.cat.page(p).action_names())
        prop = pick(self.rng, ("Visible", "Caption"))
        if not self.claim(("page", p, action.casefold(), prop)):
            return False
        value = f"{action} ({self.app.affix})" if prop == "Caption" else "false"
        self.plan.add(("page", p), ("modify_action", action, prop, value))
        return True

    def add_value(self) -> bool:
        if not self.enums:
            return False
        e = self.enums[0]
        word = pick(self.rng, words.ENUM_EXTENSION_VALUES)
        name = f"{self.app.affix} {word}"
        if not self.fresh(("enum", e), name):
            return False
        self.plan.add(("enum", e), ("add_value", self.next_value, name, word, None))
        self.next_value += 1
        return True


def plan_deltas(cat: Catalog, app: ExtApp, deltas: int, slots: list, exported: dict, claimed: set,
                seed: int) -> ExtPlan:
    """``deltas`` deltas for ``app``: its conflict slots first, then ordinary ones."""
    rng = random.Random(f"{seed}:deltas:{app.index}")
    planner = _Planner(cat, app, exported, claimed, rng)
    for c, side in slots:
        planner.conflict(c, side)
    kinds, weights = zip(*_WEIGHTS)
    failures = 0
    while planner.plan.deltas < deltas and failures < 50:
        if getattr(planner, rng.choices(kinds, weights)[0])():
            failures = 0
        else:
            failures += 1
    planner.process(planner.tables[0])
    return planner.plan


def exported_of(plan: ExtPlan, codeunit: str) -> Exported:
    """What dependents of ``plan.app`` may use: events, added controls and fields."""
    events = tuple((f"OnBefore{name}", t) for t, name in sorted(plan.process.items()))
    return Exported(codeunit, plan.app.namespace, events,
                    {p: tuple(c) for p, c in plan.controls.items()},
                    {t: tuple(n for n, _ in fs) for t, fs in plan.fields.items()})
