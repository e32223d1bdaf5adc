"""Which procedures a table's code can have: template, name, and the field
or related table the template works on. Codeunits pick several; tables pick
a few for their own procedures.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from .names import ident
from .rand import pick
from .spec import ENTRY, LINE, Proc, TableSpec

if TYPE_CHECKING:
    from .catalog import Catalog

__all__ = ["candidates", "EVENTFUL"]

EVENTFUL = ("calc", "check", "update", "lookup")   # signatures that suit OnBefore/OnAfter events


def candidates(cat: "Catalog", spec: TableSpec, rng: random.Random) -> list:
    """Procedures that make sense for ``spec``, in a random order, unique names."""
    out: list[Proc] = []

    def add(template: str, name: str, field: str = "", aux: int = -1) -> None:
        out.append(Proc(name[:40], "", template, False, field, aux))

    t = spec.index
    table = ident(spec.name)[:20]
    pkey = spec.pk == ("No.",)
    kids = cat.children.get(t, ()) if pkey else ()
    for c in kids[:2]:
        child = ident(cat.table_names[c])[:20]
        add("calc", f"Calc{child}Amount", aux=c)
        if cat.table_kind[c] == LINE:
            add("lines", f"Create{child}s", aux=c)
        elif cat.table_kind[c] == ENTRY:
            add("entry", f"Post{child}", aux=c)
    for f in spec.normal("dec")[:4]:
        if f.name not in spec.pk:
            add("update", f"Update{ident(f.name)}", f.name)
            add("calc", f"Calc{ident(f.name)}Total", f.name)
    codes = [f for f in spec.normal("code") if f.name not in spec.pk]
    for f in codes[:3]:
        add("check", f"Check{ident(f.name)}", f.name)
        if f.length <= 20:
            add("collect", f"Collect{ident(f.name)}Values", f.name)
        add("count", f"CountBy{ident(f.name)}", f.name)
    for f in spec.normal("option", "enum")[:2]:
        add("status", f"Get{ident(f.name)}Text", f.name)
        add("isin", f"Is{ident(f.name)}Initial", f.name)
    for f in spec.normal("code")[:6]:
        if f.relation and f.relation[0][0] is None:
            add("lookup", f"Validate{ident(f.name)}", f.name, f.relation[0][2])
    add("check", "CheckMandatoryFields")
    add("copy", f"Copy{table}")
    add("findnext", "FindNextRecord")
    add("text", f"Format{table}Summary")
    rng.shuffle(out)
    seen: set[str] = set()
    unique = []
    for p in out:
        if p.name.casefold() not in seen:
            seen.add(p.name.casefold())
            unique.append(p)
    return unique


def pick_access(rng: random.Random) -> str:
    return pick(rng, ("", "", "", "local", "internal"))
