"""The one Diagnostic type, the code registry, and renderers.

Codes are ``ALC`` plus four digits, banded by phase: 01xx syntax, 02xx
semantic, 03xx merge, 04xx emit/package, 05xx deploy, 09xx usage. A code is
never renumbered or reused; retired codes stay in the registry.

>>> from alc.source import SourceFile
>>> src = SourceFile("t.al", "table 1 X\\n{ bad }")
>>> d = Diagnostic.error("ALC0101", "unexpected `bad`", src.span(12, 15))
>>> render_concise([d], cwd=".")
't.al(2,3): error ALC0101: unexpected `bad`'
"""

from __future__ import annotations

import enum
import json
from typing import Iterable, Optional, Sequence

import attrs

from .source import Span

__all__ = ["Severity", "Label", "Diagnostic", "CODES", "Code", "explain",
           "render_concise", "render_json", "sort_key", "has_errors"]


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class Code:
    code: str
    title: str
    explanation: str
    retired: bool = False


def _codes(*entries: Code) -> dict[str, Code]:
    table: dict[str, Code] = {}
    for entry in entries:
        if entry.code in table:
            raise AssertionError(f"duplicate diagnostic code {entry.code}")
        table[entry.code] = entry
    return table


CODES: dict[str, Code] = _codes(
    # 01xx: reading and syntax
    Code("ALC0100", "unreadable source",
         "The file could not be read or decoded. AL files are UTF-8 (with or without BOM) or UTF-16 with a BOM."),
    Code("ALC0101", "syntax error",
         "The parser met a token that AL does not allow at that place. The object containing it is skipped; "
         "the other objects of the file are still read."),
    Code("ALC0102", "unterminated construct",
         "A string, quoted identifier, comment or object body runs to the end of the file."),
    Code("ALC0103", "unexpected character",
         "A character that is not part of any AL token."),
    Code("ALC0104", "preprocessor directive error",
         "An `#if`, `#elif`, `#else` or `#endif` is unbalanced, or its condition is malformed. "
         "Conditions may use symbols, `not`, `and`, `or` and parentheses."),
    Code("ALC0105", "unknown preprocessor directive",
         "Only #if, #elif, #else, #endif, #define, #undef, #region, #endregion and #pragma are AL directives."),
    Code("ALC0106", "misplaced #define or #undef",
         "`#define` and `#undef` are allowed only before the first token of a file."),
    Code("ALC0107", "malformed declaration",
         "An element is not allowed where it stands (a `key` outside `keys`, a `field` without a type, "
         "an action inside `layout`) or lacks a required argument."),
    Code("ALC0199", "internal error",
         "alc met a condition it does not handle while reading this file. This is a bug in alc; "
         "the message names the exception. The other files are still read."),
)


def explain(code: str) -> Optional[str]:
    """The explanation of a diagnostic code, or None when the code is unknown.

    >>> print(explain("ALC0101").splitlines()[0])
    ALC0101: syntax error
    """
    entry = CODES.get(code.upper())
    return None if entry is None else f"{entry.code}: {entry.title}\n\n{entry.explanation}"


@attrs.frozen
class Label:
    span: Span
    text: str = ""


@attrs.frozen
class Diagnostic:
    code: str
    severity: Severity
    message: str
    span: Optional[Span] = None
    labels: tuple[Label, ...] = attrs.field(default=(), converter=tuple)
    notes: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    help: Optional[str] = None

    @classmethod
    def error(cls, code: str, message: str, span: Optional[Span] = None, **kw) -> "Diagnostic":
        return cls(code, Severity.ERROR, message, span, **kw)

    @classmethod
    def warning(cls, code: str, message: str, span: Optional[Span] = None, **kw) -> "Diagnostic":
        return cls(code, Severity.WARNING, message, span, **kw)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self, cwd: Optional[str] = None) -> tuple[str, int, int]:
        if self.span is None or self.span.source is None:
            return ("", 0, 0)
        line, col = self.span.source.line_col(self.span.start)
        return (self.span.display_path(cwd), line, col)


def sort_key(d: Diagnostic):
    path = d.span.file if d.span is not None else ""
    start = d.span.start if d.span is not None else -1
    return (path, start, d.code, d.message)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def render_concise(diagnostics: Sequence[Diagnostic], cwd: Optional[str] = None) -> str:
    """One line per diagnostic, in alc.exe's ``path(line,col): error CODE: message`` form."""
    lines = []
    for d in sorted(diagnostics, key=sort_key):
        path, line, col = d.location(cwd)
        prefix = f"{path}({line},{col}): " if path else ""
        lines.append(f"{prefix}{d.severity} {d.code}: {d.message}")
    return "\n".join(lines)


def to_dict(d: Diagnostic, cwd: Optional[str] = None) -> dict:
    path, line, col = d.location(cwd)
    return {"code": d.code, "severity": str(d.severity), "message": d.message,
            "file": path, "line": line, "column": col}


def render_json(diagnostics: Sequence[Diagnostic], cwd: Optional[str] = None) -> str:
    return json.dumps([to_dict(d, cwd) for d in sorted(diagnostics, key=sort_key)], indent=2)
