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
    max_json_size: int = 1024 * MiB        # SymbolReference.json: 61,062,107 bytes (generated 100k base: ~575 MB)
    max_json_depth: int = 128              # SymbolReference.json: 35 levels; metadata: 35
    max_json_containers: int = 3_000_000   # SymbolReference.json: 1,523,646 arrays and objects
    max_json_values: int = 8_000_000       # SymbolReference.json: 3,719,296 values
    # ... or more in a larger file: one container per 32 bytes, one value per 14 (the Base Application has one
    # per 40 and per 16.4 bytes, generated bases one per 38 and per 15.9): the fixed counts hold up to 96 and
    # 112 MB; past them what the decoder builds stays within a multiple of the file's size (at most ~80 bytes
    # of model per value, so < 6x; the Base Application's model is 2.1x its file).
    json_bytes_per_container: int = 32
    json_bytes_per_value: int = 14
    max_symbol_object_size: int = 4 * MiB  # one object's JSON in SymbolReference.json: 422,148 bytes (a codeunit)
    # One metadata entry (the index grows with the objects: 8,063 rows here; generated apps have 100,000):
    max_metadata_size: int = 64 * MiB      # 1,353,061 bytes (the index)
    max_metadata_containers: int = 400_000  # 13,345 (table 39); the index: one per object
    max_metadata_values: int = 2_000_000   # 64,507 (the index: 8 per object)
    max_xml_size: int = 2 * MiB            # NavxManifest.xml: 22,997 bytes
    max_symbol_objects: int = 250_000      # SymbolReference.json: 8,063 objects (generated benchmark apps: 100,000)

    def symbols_budget(self) -> JsonBudget:
        return JsonBudget(self.max_json_size, self.max_json_depth, self.max_json_containers, self.max_json_values,
                          self.json_bytes_per_container, self.json_bytes_per_value)

    def metadata_budget(self) -> JsonBudget:
        return JsonBudget(self.max_metadata_size, self.max_json_depth, self.max_metadata_containers,
                          self.max_metadata_values)


DEFAULT_LIMITS = Limits()
