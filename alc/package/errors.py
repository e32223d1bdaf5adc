"""The one error type of package reading and writing, and the safety limits.

Reading a package never trusts it: every way a file can be wrong ends in a
``PackageError`` carrying an ALC04xx code and one line of text. The command
line reports it and exits with 2; the compiler turns it into a diagnostic.

>>> str(PackageError("ALC0421", "not a .app package: wrong magic `PK\\\\x03\\\\x04`", "x.app"))
'x.app: error ALC0421: not a .app package: wrong magic `PK\\\\x03\\\\x04`'
"""

from __future__ import annotations

from typing import Optional

import attrs

from ..diagnostics import Diagnostic
from ..source import SourceFile, Span

__all__ = ["PackageError", "RuntimePackageError", "Limits", "DEFAULT_LIMITS"]

MiB = 1024 * 1024


class PackageError(Exception):
    """A package that cannot be read (or written); ``code`` is ALC04xx."""

    def __init__(self, code: str, message: str, path: Optional[str] = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.path = path

    def with_path(self, path: str) -> "PackageError":
        if self.path is None:
            self.path = path
        return self

    def __str__(self) -> str:
        prefix = f"{self.path}: " if self.path else ""
        return f"{prefix}error {self.code}: {self.message}"

    def to_diagnostic(self) -> Diagnostic:
        span = Span(SourceFile(self.path, ""), 0, 0) if self.path else None
        return Diagnostic.error(self.code, self.message, span)


class RuntimePackageError(PackageError):
    """A Business Central runtime package (encrypted `.NEA` payload)."""


@attrs.frozen
class Limits:
    """How much a package may expand when read. The defaults leave room for
    the largest real packages (the Base Application with its sources and a
    symbol file of a few hundred MB) and stop zip bombs long before memory
    runs out; tests pass small limits."""
    max_file_size: int = 2048 * MiB
    max_entries: int = 250_000
    max_total_size: int = 4096 * MiB
    max_entry_size: int = 1024 * MiB
    max_ratio: int = 200
    ratio_floor: int = 1 * MiB       # entries smaller than this may compress better than max_ratio
    max_json_size: int = 1024 * MiB
    max_xml_size: int = 16 * MiB


DEFAULT_LIMITS = Limits()
