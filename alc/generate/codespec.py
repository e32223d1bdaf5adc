"""Procedures, events and subscriptions of one base codeunit."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import attrs

from . import words
from .names import ident
from .procs import EVENTFUL, candidates, pick_access
from .rand import between, pick
from .spec import CodeunitSpec, Proc

if TYPE_CHECKING:
    from .catalog import Catalog

__all__ = ["build_codeunit", "TABLE_EVENTS"]

TABLE_EVENTS = ("OnAfterInsertEvent", "OnAfterModifyEvent", "OnBeforeDeleteEvent", "OnAfterValidateEvent")


def build_codeunit(cat: "Catalog", c: int, rng: random.Random) -> CodeunitSpec:
    t = cat.codeunit_table(c)
    entry = f"{pick(rng, words.VERBS)}{ident(cat.table_names[t])[:22]}"
    procs = [Proc(entry, "", "post", True)]
    for p in candidates(cat, cat.table(t), rng)[: int(rng.triangular(4, 24, 12))]:
        if p.name.casefold() == entry.casefold():
            continue
        access = pick_access(rng)
        events = access == "" and p.template in EVENTFUL and rng.random() < 0.5
        procs.append(attrs.evolve(p, access=access, events=events))
    subs = []
    if c > 0 and rng.random() < 0.5:
        for _ in range(between(rng, 1, 3)):
            other = rng.randrange(c)
            sub = (other, pick(rng, cat.codeunit(other).events()))
            if sub not in subs:
                subs.append(sub)
    table_events = []
    if rng.random() < 0.4:
        other = rng.randrange(len(cat.table_names))
        event = pick(rng, TABLE_EVENTS)
        field = ""
        if event == "OnAfterValidateEvent":
            field = pick(rng, cat.table(other).normal()).name
        table_events.append((other, event, field))
    return CodeunitSpec(c, t, tuple(procs), tuple(subs), tuple(table_events))
