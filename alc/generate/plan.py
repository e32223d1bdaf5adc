"""Extension apps: their dependency DAG, their id ranges, and the conflicts
planned on purpose between apps that do not depend on each other.

>>> apps = plan_apps(seed=3, count=6, depth=2, first_id=50000, range_size=100)
>>> [a.key for a in apps][:3], max(a.depth for a in apps) <= 2
(['ext001', 'ext002', 'ext003'], True)
"""

from __future__ import annotations

import random
from typing import Optional

import attrs

from . import words
from .catalog import Catalog
from .names import NameAllocator, affix, ident
from .project import new_guid
from .rand import pick

__all__ = ["ExtApp", "Conflict", "plan_apps", "plan_conflicts", "related", "CONFLICT_KINDS"]

CONFLICT_KINDS = ("property", "field_name", "field_id", "enum_ordinal")


@attrs.frozen
class ExtApp:
    index: int                    # 1-based
    key: str                      # folder name and manifest key: ext001
    name: str
    publisher: str
    affix: str
    app_id: str
    deps: tuple                   # indexes (0-based) of the extensions it depends on directly
    ancestors: frozenset          # every extension it depends on, transitively
    depth: int                    # 1 + the depth of its deepest dependency; 1: on the base only
    id_range: tuple               # (from, to)
    namespace: str


@attrs.define
class Conflict:
    """Two deltas of unrelated apps that collide, as planned."""
    id: int
    kind: str                     # property | field_name | field_id | enum_ordinal
    object_type: str              # page | table | enum (the base object both apps extend)
    object: int
    member: str                   # the control or field both touch ("" when their names differ)
    property: str                 # the property both set (kind property), else ""
    apps: tuple                   # (app index, app index), 0-based, ascending
    number: Optional[int]         # the id or ordinal both use (field_id, enum_ordinal)
    values: list                  # per app: property value, or the name it gives its field or value
    files: list = attrs.field(factory=lambda: ["", ""])

    def to_json(self, cat: Catalog, apps: list) -> dict:
        return {"id": self.id, "kind": self.kind, "object_type": self.object_type,
                "object": cat.name_of(self.object_type, self.object), "member": self.member,
                "property": self.property, "number": self.number, "apps": [apps[a].key for a in self.apps],
                "values": list(self.values), "files": list(self.files)}


def plan_apps(seed: int, count: int, depth: int, first_id: int, range_size: int) -> list:
    """Extension apps in dependency order: each depends on the base and on
    zero to two earlier extensions, never deeper than ``depth``."""
    rng = random.Random(f"{seed}:apps")
    names = NameAllocator()
    apps: list[ExtApp] = []
    width = max(3, len(str(count)))
    for i in range(count):
        deps: list[int] = []
        if depth > 1 and i > 0 and rng.random() < 0.6:
            for _ in range(pick(rng, (1, 1, 2))):
                for _try in range(4):
                    j = rng.randrange(i)
                    if apps[j].depth < depth and j not in deps:
                        deps.append(j)
                        break
        deps.sort()
        ancestors = frozenset(deps).union(*(apps[j].ancestors for j in deps))
        topic = pick(rng, words.EXTENSION_TOPICS)
        domain = pick(rng, words.DOMAINS)[1]
        name = names.take("app", [topic, f"{domain} {topic}", f"{topic} for {domain}"], 40)
        publisher = pick(rng, words.PUBLISHERS)
        lo = first_id + i * range_size
        apps.append(ExtApp(i + 1, f"ext{i + 1:0{width}d}", name, publisher, affix(i + 1), new_guid(rng),
                           tuple(deps), ancestors, 1 + max((apps[j].depth for j in deps), default=0),
                           (lo, lo + range_size - 1), f"{ident(publisher)}.{ident(name)}"))
    return apps


def related(apps: list, a: int, b: int) -> bool:
    """Whether one of the two apps depends on the other (then the later one wins; no conflict)."""
    return a in apps[b].ancestors or b in apps[a].ancestors


def plan_conflicts(cat: Catalog, apps: list, rate: float, deltas: int, seed: int, claimed: set,
                   pool_start: int) -> tuple[list, dict]:
    """Pairs of unrelated apps given colliding deltas: ``rate`` of all deltas
    (each conflict uses one delta of each app). Returns the conflicts and,
    per app, its slots taken: ``{app: [(conflict, side), ...]}``."""
    rng = random.Random(f"{seed}:conflicts")
    wanted = int(round(rate * len(apps) * deltas / 2))
    free = [deltas] * len(apps)
    open_apps = [i for i in range(len(apps)) if deltas > 0]
    kinds = _conflict_kinds(cat)
    conflicts: list[Conflict] = []
    slots: dict[int, list] = {}
    pool = pool_start
    failures = 0
    while len(conflicts) < wanted and len(open_apps) >= 2 and kinds and failures < 200:
        a, b = rng.sample(open_apps, 2)
        if related(apps, a, b):
            failures += 1
            continue
        a, b = min(a, b), max(a, b)
        c = _make_conflict(cat, rng, len(conflicts) + 1, rng.choices(*zip(*kinds))[0], (a, b), claimed, pool)
        if c is None:
            failures += 1
            continue
        failures = 0
        if c.kind in ("field_id", "enum_ordinal"):
            pool += 1
        conflicts.append(c)
        for side, app in enumerate((a, b)):
            slots.setdefault(app, []).append((c, side))
            free[app] -= 1
            if free[app] == 0:
                open_apps.remove(app)
    return conflicts, slots


def _conflict_kinds(cat: Catalog) -> list:
    kinds = [(("property", "table"), 15), ("field_name", 20), ("field_id", 15)]
    if cat.page_names:
        kinds.append((("property", "page"), 35))
    if any(cat.enum_extensible):
        kinds.append(("enum_ordinal", 15))
    return kinds


def _make_conflict(cat: Catalog, rng: random.Random, cid: int, kind, pair: tuple, claimed: set,
                   pool: int) -> Optional[Conflict]:
    if kind == ("property", "page"):
        p = rng.randrange(len(cat.page_names))
        controls = cat.page(p).field_controls()
        if not controls:
            return None
        control = pick(rng, controls)[0]
        prop = pick(rng, ("Visible", "Caption", "Editable"))
        key = ("page", p, control.casefold(), prop)
        values = ["true", "false"] if prop != "Caption" else [f"{control} (A)", f"{control} (B)"]
        obj, member, otype = p, control, "page"
    elif kind == ("property", "table"):
        t = rng.randrange(len(cat.table_names))
        fields = [f for f in cat.table(t).normal() if f.name not in cat.table(t).pk]
        if not fields:
            return None
        member, prop, otype, obj = pick(rng, fields).name, "Caption", "table", t
        key = ("table", t, member.casefold(), prop)
        values = [f"{member} (A)", f"{member} (B)"]
    elif kind == "field_name":
        t = rng.randrange(len(cat.table_names))
        member = pick(rng, words.EXTENSION_FIELDS)[0]
        if cat.table(t).has(member):
            return None
        key, prop, otype, obj, values = ("fieldname", t, member.casefold()), "", "table", t, [member, member]
    elif kind == "field_id":
        t = rng.randrange(len(cat.table_names))
        key, member, prop, otype, obj, values = ("fieldid", t, pool), "", "", "table", t, ["", ""]
    else:
        extensible = [e for e in range(len(cat.enum_names)) if cat.enum_extensible[e]]
        e = pick(rng, extensible)
        key, member, prop, otype, obj, values = ("ordinal", e, pool), "", "", "enum", e, ["", ""]
    if key in claimed:
        return None
    claimed.add(key)
    kind = kind if isinstance(kind, str) else kind[0]
    number = pool if kind in ("field_id", "enum_ordinal") else None
    return Conflict(cid, kind, otype, obj, member, prop, pair, number, values)
