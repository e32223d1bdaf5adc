"""The lexical layer of printed AL: identifiers, dotted names, strings,
literals and indentation.

Every printer module builds text from these, so the quoting rules live in
one place.

>>> name("Amount"), name("No."), name("begin")
('Amount', '"No."', '"begin"')
>>> dotted("Microsoft.Sales.Customer"), dotted("Cust. Ledger Entry"), dotted("18", numbers=True)
('Microsoft.Sales.Customer', '"Cust. Ledger Entry"', '18')
"""

from __future__ import annotations

import re
from typing import Iterable

__all__ = ["INDENT", "RESERVED", "STRICT_RESERVED", "name", "names", "parts", "dotted", "string", "pad", "is_plain"]

INDENT = "    "

# Words that are never a bare identifier where a name is read: AL's reserved
# words, plus `this`, which would read back as the `this` expression.
RESERVED = frozenset((
    "begin", "end", "if", "then", "else", "case", "of", "while", "do", "repeat", "until", "for",
    "to", "downto", "foreach", "in", "with", "exit", "var", "procedure", "trigger", "and", "or",
    "xor", "not", "div", "mod", "true", "false", "is", "as", "local", "internal", "protected",
    "this",
))

# Access modifiers are reserved only where a member may start: after `.` or
# `::` and as a property value they are plain words (`ErrorType::Internal`,
# `Access = Internal;`).
STRICT_RESERVED = RESERVED - {"local", "internal", "protected"}

# The lexer's word: a letter (any script) or underscore, then letters, digits, underscores.
_PLAIN = re.compile(r"[^\W\d]\w*")


def is_plain(text: str, reserved: frozenset = RESERVED) -> bool:
    """Whether ``text`` can be written without quotes.

    >>> is_plain("KøbenhavnLbl"), is_plain("2nd"), is_plain("Then")
    (True, False, False)
    """
    return _PLAIN.fullmatch(text) is not None and text.lower() not in reserved


def name(text: str, reserved: frozenset = RESERVED) -> str:
    """One identifier: bare when plain, else in double quotes with inner ``"`` doubled.

    >>> name("Sales Header"), name(""), name('a"b'), name("Internal"), name("Internal", STRICT_RESERVED)
    ('"Sales Header"', '""', '"a""b"', '"Internal"', 'Internal')
    """
    if is_plain(text, reserved):
        return text
    return '"' + text.replace('"', '""') + '"'


def names(items: Iterable[str]) -> str:
    """A comma list of identifiers.

    >>> names(["No.", "Name"])
    '"No.", Name'
    """
    return ", ".join(name(x) for x in items)


def parts(items: Iterable[str]) -> str:
    """A qualified name kept as parts in the IR: `"G/L Account"."No."`.

    >>> parts(("G/L Account", "No."))
    '"G/L Account"."No."'
    """
    return ".".join(name(x) for x in items)


def dotted(text: str, numbers: bool = False) -> str:
    """A qualified name the IR keeps as one joined string (types, usings,
    `extends`, permissions). Any split that joins back to ``text`` reads
    back equal; split where a dot starts a plausible part, so that
    `Cust. Ledger Entry` stays one quoted name and `Microsoft.Sales."Customer
    Card"` keeps its namespace bare. With ``numbers``, digits print bare (an
    object id, as in `Record 18`).

    >>> dotted("Microsoft.Sales.Customer Card")
    'Microsoft.Sales."Customer Card"'
    >>> dotted("No."), dotted("18")
    ('"No."', '"18"')
    """
    if numbers and text.isascii() and text.isdigit():
        return text
    pieces: list[str] = []
    for piece in text.split("."):
        if pieces and (not piece or piece[0].isspace() or not pieces[-1] or pieces[-1][-1].isspace()):
            pieces[-1] += "." + piece
        else:
            pieces.append(piece)
    return ".".join(name(p) for p in pieces)


def string(value: str) -> str:
    """An AL string literal, inner ``'`` doubled.

    >>> string("don't")
    "'don''t'"
    """
    return "'" + value.replace("'", "''") + "'"


def pad(level: int) -> str:
    """Indentation for ``level`` (four spaces each).

    >>> len(pad(2))
    8
    """
    return INDENT * level
