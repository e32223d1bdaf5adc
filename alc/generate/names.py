"""Names: quoting AL identifiers, unique object names, variable names and
file names the way real projects spell them.

>>> quote("No."), quote("Amount"), quote("Code")
('"No."', 'Amount', '"Code"')
>>> ident("Cust. Ledger Entry")
'CustLedgerEntry'
>>> names = NameAllocator()
>>> names.take("table", ["Customer"], 22), names.take("table", ["Customer"], 22)
('Customer', 'Customer 2')
"""

from __future__ import annotations

import functools
import re
from typing import Iterable, Optional

__all__ = ["quote", "ident", "literal", "NameAllocator", "FileNames", "affix", "abbreviate"]

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_NOT_WORD = re.compile(r"[^A-Za-z0-9]")

# Words quoted even where AL would accept them bare: reserved words and the
# type names, as Microsoft's own code quotes `"Code"` and `"Type"` fields.
RESERVED = frozenset("""
and array as asserterror begin break case code codeunit continue date datetime decimal div do
downto else end enum event exit false for foreach guid if in integer interface internal is label
local mod not of option or page procedure protected query record repeat report table temporary
text then this time to trigger true type until value var while with xmlport xor blob boolean
dotnet filter key field fields keys
""".split())


@functools.lru_cache(maxsize=1 << 16)
def quote(name: str) -> str:
    """An identifier as AL source spells it: bare when it can be, else in double quotes."""
    if _PLAIN.match(name) and name.lower() not in RESERVED:
        return name
    return '"' + name.replace('"', '""') + '"'


def ident(name: str) -> str:
    """A variable or procedure name made from a display name (letters and digits only)."""
    out = _NOT_WORD.sub("", name)
    if not out or out[0].isdigit():
        out = "Rec" + out
    return out


def literal(text: str) -> str:
    """An AL string literal."""
    return "'" + text.replace("'", "''") + "'"


def affix(index: int) -> str:
    """The affix of extension ``index``: `X` and two letters (more past 675), as AppSource asks for.

    >>> affix(1), affix(2), affix(27), affix(676)
    ('XAB', 'XAC', 'XBB', 'XAAA')
    """
    n, width = index, 2
    while n >= 26 ** width:
        n -= 26 ** width
        width += 1
    letters = ""
    for _ in range(width):
        n, r = divmod(n, 26)
        letters = chr(ord("A") + r) + letters
    return "X" + letters


class NameAllocator:
    """Unique names per namespace key (AL compares names case-insensitively)."""

    def __init__(self) -> None:
        self._used: set[tuple[str, str]] = set()

    def used(self, key: str, name: str) -> bool:
        return (key, name.casefold()) in self._used

    def claim(self, key: str, name: str) -> None:
        self._used.add((key, name.casefold()))

    def take(self, key: str, candidates: Iterable[str], max_len: int) -> str:
        """The first free candidate (abbreviated the way Business Central
        abbreviates, when too long), else the first one numbered."""
        cands = list(candidates)
        fitting = [a for a in (abbreviate(c, max_len) for c in cands) if a is not None]
        for cand in fitting:
            if not self.used(key, cand):
                self.claim(key, cand)
                return cand
        stem = fitting[0] if fitting else (cands[0] if cands else "Object")
        n = 2
        while True:
            suffix = f" {n}"
            short = abbreviate(stem, max_len - len(suffix)) or stem[: max_len - len(suffix)].rstrip(" -/.")
            cand = short + suffix
            if not self.used(key, cand):
                self.claim(key, cand)
                return cand
            n += 1


_ABBREVIATIONS = {
    "Requisition": "Req.", "Production": "Prod.", "Warehouse": "Whse.", "Purchase": "Purch.",
    "Integration": "Integr.", "Subscription": "Subscr.", "Marketing": "Mktg.", "Inventory": "Invt.",
    "Employee": "Empl.", "Transfer": "Trans.", "Schedule": "Sched.", "Shipment": "Shpt.",
    "Reminder": "Rmdr.", "Statistics": "Stats.", "Portfolio": "Portf.", "Territory": "Terr.",
    "Temporary": "Temp.", "Recurring": "Recurr.", "Archived": "Arch.", "Customer": "Cust.",
    "Resource": "Res.", "Contract": "Contr.", "Campaign": "Camp.", "Location": "Loc.",
    "Template": "Tmpl.", "Category": "Cat.", "Priority": "Prio.", "Calendar": "Cal.",
    "Worksheet": "Wksh.", "Proposal": "Prop.", "Snapshot": "Snap.", "Parameters": "Param.",
    "Preferences": "Pref.", "Settings": "Setg.", "Regional": "Reg.", "Internal": "Int.",
    "External": "Ext.", "Outbound": "Outb.", "Inbound": "Inb.", "Standard": "Std.",
    "Planned": "Plnd.", "Posted": "Pstd.", "Assembly": "Asm.", "Approval": "Appr.",
    "Document": "Doc.", "Description": "Desc.", "Quantity": "Qty.", "Amount": "Amt.",
    "Receipt": "Rcpt.", "Request": "Req.", "Invoice": "Inv.", "Journal": "Jnl.",
    "Machine": "Mach.", "Product": "Prod.", "Supplier": "Suppl.", "Partner": "Partn.",
    "Program": "Progr.", "Station": "Stn.", "Central": "Ctrl.", "Service": "Serv.",
    "Finance": "Fin.", "Payment": "Pmt.", "Shipping": "Shpg.", "Quality": "Qlty.",
    "Rental": "Rent.", "Loyalty": "Loyal.", "General": "Gen.", "Ledger": "Ledg.",
    "Header": "Hdr.", "Comment": "Cmt.", "Register": "Reg.", "History": "Hist.",
    "Archive": "Arch.", "Buffer": "Buf.", "Staging": "Stg.", "Matrix": "Mtx.",
    "Account": "Acc.", "Vehicle": "Veh.", "Project": "Proj.", "Channel": "Chan.",
}


def abbreviate(name: str, max_len: int) -> Optional[str]:
    """Shorten ``name`` word by word, from the left, until it fits ``max_len`` (None if it cannot).

    >>> abbreviate("Requisition Transfer Header", 22)
    'Req. Transfer Header'
    """
    words = name.split(" ")
    i = 0
    while len(" ".join(words)) > max_len and i < len(words):
        words[i] = _ABBREVIATIONS.get(words[i], words[i])
        i += 1
    out = " ".join(words)
    return out if len(out) <= max_len else None


class FileNames:
    """`src/Sales/SalesHeader.Table.al`: folder per area, one object per file."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def path(self, folder: str, name: str, kind: str, object_id: int) -> str:
        stem = _NOT_WORD.sub("", name) or "Object"
        rel = f"{folder}/{stem}.{kind}.al"
        if rel.casefold() in self._used:
            rel = f"{folder}/{stem}{object_id}.{kind}.al"
        self._used.add(rel.casefold())
        return rel
