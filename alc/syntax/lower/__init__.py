"""Lowering: the Lark rule callbacks that turn a parse into alc's IR.

The callbacks run inside the LALR driver as rules are reduced, so no parse
tree is built: code becomes statement and expression IR directly, and each
object's generic members are typed by objects.py when the object closes.
"""

from __future__ import annotations

from typing import Any, Optional

from .code import CodeLowering
from .decl import DeclLowering, NamespaceDecl, QName, RawElement, UsingDecl
from .objects import ObjectLowering

__all__ = ["Lowering", "NamespaceDecl", "UsingDecl", "QName", "RawElement"]


class Lowering(CodeLowering, DeclLowering, ObjectLowering):
    """One instance per Driver; ``begin_file`` points it at the file being parsed.

    (The callbacks are built once per grammar, so per-file context lives on
    the instance rather than being passed through every callback.)
    """

    def __init__(self) -> None:
        self.source: Any = None
        self.diagnostics: list = []
        self.lexer: Any = None
        self._symbols: Optional[frozenset] = None
        self.lazy_bodies: list = []

    def begin_file(self, source: Any, diagnostics: list, lexer: Any) -> None:
        self.source = source
        self.diagnostics = diagnostics
        self.lexer = lexer
        self._symbols = None
        self.lazy_bodies: list = []   # the code bodies kept as text, in source order

    def file_symbols(self) -> frozenset:
        """The symbols in force for this file (app symbols plus its #define lines)."""
        if self._symbols is None:
            self._symbols = frozenset(self.lexer.symbols)
        return self._symbols
