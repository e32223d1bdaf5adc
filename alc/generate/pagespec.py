"""Controls and actions of one base page, from its table and role."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from . import words
from .names import ident
from .rand import between
from .spec import PageSpec

if TYPE_CHECKING:
    from .catalog import Catalog

__all__ = ["build_page"]

_PAGE_TYPES = {"card": "Card", "document": "Document", "list": "List", "listpart": "ListPart",
               "cardpart": "CardPart", "lookup": "List", "worksheet": "Worksheet"}
_SHOWN = ("code", "text", "dec", "int", "date", "datetime", "time", "bool", "option", "enum")


def build_page(cat: "Catalog", p: int, rng: random.Random) -> PageSpec:
    t, role = cat.page_table(p), cat.page_role(p)
    table = cat.table(t)
    shown = [f.name for f in table.fields
             if f.base in _SHOWN and not f.obsolete and not f.flowfilter
             and (f.name in table.pk or rng.random() < 0.75)]
    used = {n.casefold() for n in shown}
    repeater = role in ("list", "listpart", "lookup", "worksheet")
    if repeater:
        groups = (("Control1", tuple(shown[: between(rng, 5, 15)])),)
    elif role == "cardpart":
        groups = (("General", tuple(shown[: between(rng, 3, 8)])),)
    else:
        groups = _card_groups(shown, used, rng)
    used.update(g.casefold() for g, _ in groups)
    part = None
    if role == "document":
        for child in cat.children.get(t, ()):
            sub = cat.page_of(child, "listpart")
            if sub >= 0:
                part = ("Lines", sub, cat.table_link[child])
                used.add("lines")
                break
    actions = _actions(cat, p, t, role, used, rng)
    promoted = tuple(a[1] for a in actions if a[0] == "Processing")[:3]
    return PageSpec(p, t, role, _PAGE_TYPES[role], groups, repeater, part, actions, promoted)


def _card_groups(shown: list, used: set, rng: random.Random) -> tuple:
    general = between(rng, 5, 10)
    groups = [("General", tuple(shown[:general]))]
    rest = shown[general:]
    names = [g for g in words.CARD_GROUPS if g.casefold() not in used]
    rng.shuffle(names)
    while rest and names:
        size = between(rng, 4, 12)
        groups.append((names.pop(), tuple(rest[:size])))
        rest = rest[size:]
    return tuple(groups)


def _actions(cat: "Catalog", p: int, t: int, role: str, used: set, rng: random.Random) -> tuple:
    """``(area, name, caption, target)``: target ``("code", codeunit)`` runs the
    table's codeunit, ``("run", page, link field)`` opens a child's list."""
    if role in ("listpart", "cardpart"):
        return ()
    out = []
    c = t if t < len(cat.codeunit_names) else -1
    if c >= 0:
        for caption, name in rng.sample(words.ACTIONS, between(rng, 2, 7)):
            if name.casefold() not in used:
                used.add(name.casefold())
                out.append(("Processing", name, caption, ("code", c)))
    for child in cat.children.get(t, ())[:3]:
        target = cat.page_of(child, "list")
        name = ident(cat.table_names[child])[:24] + "Action"
        if target >= 0 and name.casefold() not in used:
            used.add(name.casefold())
            out.append(("Navigation", name, cat.page_names[target], ("run", target, cat.table_link[child])))
    return tuple(out)
