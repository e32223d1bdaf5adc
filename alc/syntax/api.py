"""Parsing entry points: text -> ParseResult (IR plus diagnostics).

>>> from alc.source import SourceFile
>>> r = parse_source(SourceFile("t.al", "codeunit 50100 Hello { trigger OnRun() begin Message('Hi'); end; }"))
>>> r.unit.objects[0].name, r.diagnostics
('Hello', [])
"""

from __future__ import annotations

import contextlib
import functools
import gc
from typing import Iterable, Iterator, Optional

import attrs

from ..diagnostics import Diagnostic
from ..ir import nodes as ir
from ..source import SourceFile, Span
from .lexer import Trivia
from .lower import Lowering, NamespaceDecl, UsingDecl
from .parse import Driver, SyntaxFailure

__all__ = ["ParseResult", "parse_source", "parse_text", "parse_body", "check_body", "parse_expression", "driver"]


@attrs.frozen
class ParseResult:
    unit: ir.CompilationUnit
    diagnostics: list
    trivia: tuple = ()
    lines: int = 0
    lazy_bodies: tuple = ()     # with lazy_bodies=True: every code body kept as text

    @property
    def objects(self) -> tuple:
        return self.unit.objects

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


def driver(accelerated: Optional[bool] = None) -> Driver:
    """The process-wide driver (its tables are built once; it keeps no file state).

    ``accelerated``: None runs the compiled loop where it is built (see
    parse.accelerator), False pure Python, True insists on the compiled loop.
    """
    return _driver(accelerated)


@functools.lru_cache(maxsize=3)
def _driver(accelerated: Optional[bool]) -> Driver:
    return Driver(Lowering(), accelerated=accelerated)


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """Python's cyclic garbage collector paused for one parse, as it was after.

    A parse allocates many objects and keeps nearly all of them (the file's IR)
    until it ends, and makes no reference cycles: collections during a parse
    find nothing and cost 5-15 % of its time (more on big files, where every
    collection walks the IR built so far). Reference counting still frees
    everything else at once.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def parse_source(source: SourceFile, symbols: Iterable[str] = (), lazy_bodies: bool = False,
                 accelerated: Optional[bool] = None) -> ParseResult:
    """Parse one file. With ``lazy_bodies`` code bodies stay text (LazyBody)
    until asked for: declarations only, several times faster. ``accelerated``
    as for :func:`driver` (the result is the same either way)."""
    with _no_collection():
        return _parse_source(source, symbols, lazy_bodies, accelerated)


def _parse_source(source: SourceFile, symbols: Iterable[str], lazy_bodies: bool,
                  accelerated: Optional[bool]) -> ParseResult:
    drv = driver(accelerated)
    diagnostics: list[Diagnostic] = []
    lexer = drv.new_lexer(source, frozenset(symbols), diagnostics)
    lowering: Lowering = drv.transformer
    lowering.begin_file(source, diagnostics, lexer)
    items = drv.parse_items(lexer, lazy_bodies=lazy_bodies)
    namespace: Optional[str] = None
    usings: list[str] = []
    objects: list = []
    for item in items:
        t = type(item)
        if t is NamespaceDecl:
            if namespace is not None or objects:
                diagnostics.append(Diagnostic.error(
                    "ALC0101", "a file may declare one namespace, before its objects", item.span))
            namespace = item.name
        elif t is UsingDecl:
            usings.append(item.name)
        elif namespace is not None:
            objects.append(attrs.evolve(item, namespace=namespace))
        else:
            objects.append(item)
    unit = ir.CompilationUnit(source.path, namespace, tuple(usings), tuple(objects),
                              span=Span(source, 0, len(source.text)))
    for start in lexer.open_ifs:  # groups whose taken branch ran to the end of the file
        diagnostics.append(Diagnostic.error("ALC0104", "`#if` has no matching `#endif`",
                                            Span(source, start, start + 3)))
    return ParseResult(unit, diagnostics, tuple(lexer.trivia), source.text.count("\n") + 1,
                       tuple(lowering.lazy_bodies))


def parse_text(text: str, path: str = "<text>", symbols: Iterable[str] = (), lazy_bodies: bool = False) -> ParseResult:
    return parse_source(SourceFile(path, text), symbols, lazy_bodies)


def parse_body(body: ir.LazyBody) -> tuple[Optional[ir.Block], list]:
    """Parse a lazy code body now, from the same preprocessor state."""
    drv = driver()
    source = body.span.source
    diagnostics: list[Diagnostic] = []
    lexer = drv.new_lexer(source, body.symbols, diagnostics, start=body.span.start, end=body.span.end,
                          pp_depth=body.pp_depth)
    drv.transformer.begin_file(source, diagnostics, lexer)
    try:
        with _no_collection():
            return drv.parse_fragment(lexer, "block"), diagnostics
    except SyntaxFailure as failure:
        diagnostics.append(failure.diagnostic)
        return None, diagnostics


@functools.lru_cache(maxsize=1)
def recognizer() -> Driver:
    """A driver that builds no IR: for checking syntax only."""
    return Driver(None, recognize_only=True)


def check_body(body: ir.LazyBody) -> list:
    """The syntax diagnostics of a lazy code body, without building its IR."""
    drv = recognizer()
    source = body.span.source
    diagnostics: list[Diagnostic] = []
    lexer = drv.new_lexer(source, body.symbols, diagnostics, start=body.span.start, end=body.span.end,
                          pp_depth=body.pp_depth)
    try:
        drv.parse_fragment(lexer, "block")
    except SyntaxFailure as failure:
        diagnostics.append(failure.diagnostic)
    return diagnostics


def parse_expression(text: str) -> ir.Expr:
    """Parse one expression (tests and tools).

    >>> parse_expression("a = b and c")
    Binary(op='=', left=Name(value='a'), right=Binary(op='and', left=Name(value='b'), right=Name(value='c')))
    """
    drv = driver()
    source = SourceFile("<expr>", text)
    diagnostics: list[Diagnostic] = []
    lexer = drv.new_lexer(source, frozenset(), diagnostics)
    drv.transformer.begin_file(source, diagnostics, lexer)
    try:
        value = drv.parse_fragment(lexer, "expr")
    except SyntaxFailure as failure:
        raise ValueError(failure.diagnostic.message) from None
    if diagnostics:
        raise ValueError(diagnostics[0].message)
    return value
