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
    # 04xx: project manifest (app.json), packages (.app) and emit
    Code("ALC0400", "app.json cannot be read",
         "The project's app.json is missing, unreadable, or not UTF-8 text."),
    Code("ALC0401", "app.json is not valid JSON",
         "app.json must be one JSON object. The position points at the first character the JSON reader "
         "could not accept (a missing comma or quote, a trailing comma, a comment)."),
    Code("ALC0402", "required app.json field missing",
         "`id`, `name`, `publisher` and `version` are required in app.json; each dependency needs "
         "`id` (or the legacy `appId`) and `version`, and each id range `from` and `to`."),
    Code("ALC0403", "app.json field has the wrong type",
         "A field holds a JSON value of the wrong kind: a number where a string is expected, an object "
         "where an array is expected, and so on."),
    Code("ALC0404", "malformed GUID",
         "App ids (`id`, dependency `id`/`appId`, `internalsVisibleTo` ids) are GUIDs written as "
         "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx with hexadecimal digits."),
    Code("ALC0405", "malformed version",
         "`version`, `platform`, `application` and dependency versions are four non-negative integers "
         "Major.Minor.Build.Revision (such as 1.0.0.0); `runtime` is Major.Minor (such as 13.0)."),
    Code("ALC0406", "invalid id range",
         "An id range needs 1 <= from <= to <= 2147483647."),
    Code("ALC0407", "overlapping id ranges",
         "Two entries of `idRanges` (or `idRange` and an entry of `idRanges`) share object ids. "
         "Merge them into one range."),
    Code("ALC0408", "both idRange and idRanges",
         "`idRange` is the legacy single range; a project gives either it or `idRanges`, not both."),
    Code("ALC0409", "showMyCode ignored",
         "`resourceExposurePolicy` replaced the legacy `showMyCode` flag. When both are present the policy "
         "applies and `showMyCode` is ignored."),
    Code("ALC0410", "invalid app.json value",
         "A field has a value the compiler does not accept: an empty `name` or `publisher`, a `target` "
         "other than Cloud or OnPrem, a preprocessor symbol that is not an identifier, or a dependency "
         "whose `id` and `appId` disagree."),
    Code("ALC0411", "unknown feature",
         "`features` lists a name the AL compiler does not know; it has no effect. Known features are "
         "ExcludeGeneratedTranslations, GenerateCaptions, GenerateLockedTranslations, NoImplicitWith, "
         "NoPromotedActionProperties and TranslationFile."),
    Code("ALC0412", "duplicate dependency",
         "Two entries of `dependencies` name the same app id. Keep one, with the higher minimum version."),
    Code("ALC0413", "app depends on itself",
         "A dependency names the app's own id."),
    Code("ALC0420", "package cannot be read",
         "The .app file could not be opened or read from disk."),
    Code("ALC0421", "not a .app package",
         "A .app file starts with a 40-byte header: `NAVX`, header size 40, header version 2, the package "
         "GUID, the payload length and `NAVX` again. This file's header does not match."),
    Code("ALC0422", "truncated or inconsistent package",
         "The payload length in the header does not match the file: the file was cut short, or has "
         "unexpected bytes after the payload (only a signature block, `NXSB`, may follow)."),
    Code("ALC0423", "runtime package",
         "The payload starts with `.NEA`: this is a runtime package made by a Business Central server "
         "(Get-NAVAppRuntimePackage). Its content is encrypted with Microsoft's proprietary scheme, which "
         "alc does not read. Use the app's ordinary package or its symbol package instead."),
    Code("ALC0424", "corrupt package payload",
         "The payload after the header is not a readable zip archive, or an entry is corrupt "
         "(bad checksum, unsupported compression, encryption)."),
    Code("ALC0425", "package exceeds limits",
         "alc refuses packages that would expand beyond safe limits (a zip bomb): too many entries, too "
         "much uncompressed data in total or in one entry, an entry with an extreme compression ratio, "
         "or a manifest or symbol file too large to parse."),
    Code("ALC0426", "unsafe entry name",
         "A zip entry name is absolute, contains `..` segments, backslashes, drive letters or control "
         "characters. Such names could write outside a folder when the package is extracted."),
    Code("ALC0427", "duplicate package entry",
         "Two zip entries have the same name (package part names compare case-insensitively)."),
    Code("ALC0428", "invalid manifest XML",
         "NavxManifest.xml is not well-formed XML, or its root is not a `Package` element."),
    Code("ALC0429", "forbidden XML construct",
         "Package XML must not contain a DOCTYPE, entity declarations or external references; "
         "alc rejects them to rule out entity-expansion and external-entity attacks."),
    Code("ALC0430", "invalid SymbolReference.json",
         "SymbolReference.json is not valid UTF-8 JSON of the expected shape. The message names the "
         "element path (such as `Tables[3].Fields[2].Id`) whose value has the wrong type."),
    Code("ALC0431", "missing package entry",
         "A required entry (NavxManifest.xml) is not in the package."),
    Code("ALC0432", "invalid manifest value",
         "A NavxManifest.xml attribute has a malformed value: an app id that is not a GUID, a version "
         "that is not Major.Minor.Build.Revision, an id range that is not a pair of integers."),
    Code("ALC0440", "package cannot be written",
         "The .app file could not be written: the target folder is missing or not writable, or the "
         "disk is full. No partial package is left behind."),
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
