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

from ..budget import JsonBudget
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
    # Budgets of the decoders, each with the largest real value measured (W1 Base Application 29,
    # built by alc; the other 216 W1 apps stay below it) and a margin of about 2x or more:
    max_json_size: int = 128 * MiB         # SymbolReference.json: 61,062,107 bytes
    max_json_depth: int = 128              # SymbolReference.json: 35 levels; metadata: 35
    max_json_containers: int = 3_000_000   # SymbolReference.json: 1,523,646 arrays and objects
    max_json_values: int = 8_000_000       # SymbolReference.json: 3,719,296 values
    # One metadata entry (the index grows with the objects: 8,063 rows here; generated apps have 100,000):
    max_metadata_size: int = 64 * MiB      # 1,353,061 bytes (the index)
    max_metadata_containers: int = 400_000  # 13,345 (table 39); the index: one per object
    max_metadata_values: int = 2_000_000   # 64,507 (the index: 8 per object)
    max_xml_size: int = 2 * MiB            # NavxManifest.xml: 22,997 bytes
    max_symbol_objects: int = 250_000      # SymbolReference.json: 8,063 objects (generated benchmark apps: 100,000)

    def symbols_budget(self) -> JsonBudget:
        return JsonBudget(self.max_json_size, self.max_json_depth, self.max_json_containers, self.max_json_values)

    def metadata_budget(self) -> JsonBudget:
        return JsonBudget(self.max_metadata_size, self.max_json_depth, self.max_metadata_containers,
                          self.max_metadata_values)


DEFAULT_LIMITS = Limits()
