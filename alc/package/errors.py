"""The one error type of package reading and writing, and the safety limits.

Reading a package never trusts it: every way a file can be wrong ends in a
``PackageError`` carrying an ALC04xx code and one line of text. The command
line reports it and exits with 2; the compiler turns it into a diagnostic.

>>> str(PackageError("ALC0421", "not a .app package: wrong magic `PK\\\\x03\\\\x04`", "x.app"))
'x.app: error ALC0421: not a .app package: wrong magic `PK\\\\x03\\\\x04`'
"""

from __future__ import annotations

import os
from typing import Optional

import attrs

from ..budget import JsonBudget
from ..diagnostics import Diagnostic
from ..source import SourceFile, Span

__all__ = ["PackageError", "RuntimePackageError", "Limits", "DEFAULT_LIMITS", "TRUSTED_LIMITS",
           "TRUST_VARIABLE", "trusts_packages"]

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


TRUST_VARIABLE = "ALC_TRUSTED_PACKAGES"
TRUST_HINT = f"if you trust the package, read it with --trusted-packages (or {TRUST_VARIABLE}=1)"


@attrs.frozen
class Limits:
    """How much a package may cost to read. The defaults are fixed, whatever the
    package: each leaves a margin of about 2x or more over the largest real
    package measured (the W1 Base Application with its sources, built by alc
    from BCApps; the largest of 270 packages built from BCApps and 7
    Microsoft-compiled ones), so that reading any package takes well under
    1 GB and a few seconds. :data:`TRUSTED_LIMITS` (``--trusted-packages``,
    ``ALC_TRUSTED_PACKAGES=1``) are for larger packages of one's own, such as
    generated benchmark bases; tests pass small limits."""
    max_file_size: int = 256 * MiB         # 54,287,485 bytes (W1 Base Application 29 with its sources)
    max_entries: int = 250_000             # 16,701 entries (the same)
    max_total_size: int = 1024 * MiB       # 353,759,663 bytes, all entries expanded (the same)
    max_entry_size: int = 128 * MiB        # 61,185,905 bytes (its SymbolReference.json)
    max_ratio: int = 200                   # 31 (entries over 1 MB)
    ratio_floor: int = 1 * MiB       # entries smaller than this may compress better than max_ratio
    # Budgets of the decoders (Microsoft-compiled System Application 27: 521,457 bytes, depth 18):
    max_json_size: int = 128 * MiB         # SymbolReference.json: 61,185,905 bytes
    max_json_depth: int = 128              # SymbolReference.json: 35 levels (one object: 27); metadata: 13;
    # declarations nest up to 128 levels (ALC0108), and depth costs a decoder no more than its containers
    max_json_containers: int = 3_000_000   # SymbolReference.json: 1,526,223 arrays and objects
    max_json_values: int = 8_000_000       # SymbolReference.json: 3,725,158 values
    # Only trusted limits let a larger file hold more (see JsonBudget): one container per that many bytes,
    # one value per that many (the Base Application has one per 40 and per 16.4 bytes, generated bases one
    # per 38 and per 15.9).
    json_bytes_per_container: int = 0
    json_bytes_per_value: int = 0
    max_symbol_object_size: int = 4 * MiB  # one object's JSON in SymbolReference.json: 422,148 bytes (a codeunit)
    # One metadata entry (the index grows with the objects: 8,063 rows here; generated apps have 100,000):
    max_metadata_size: int = 64 * MiB      # 1,353,065 bytes (the index)
    max_metadata_containers: int = 400_000  # 8,065 (the index: one per object)
    max_metadata_values: int = 2_000_000   # 64,507 (the index: 8 per object)
    max_xml_size: int = 2 * MiB            # NavxManifest.xml: 25,273 bytes
    max_symbol_objects: int = 250_000      # SymbolReference.json: 8,029 objects (generated benchmark apps: 100,000)
    trusted: bool = False                  # whether these are the limits of trusted packages (no hint to opt in)

    def symbols_budget(self) -> JsonBudget:
        return JsonBudget(self.max_json_size, self.max_json_depth, self.max_json_containers, self.max_json_values,
                          self.json_bytes_per_container, self.json_bytes_per_value)

    def metadata_budget(self) -> JsonBudget:
        return JsonBudget(self.max_metadata_size, self.max_json_depth, self.max_metadata_containers,
                          self.max_metadata_values)

    def over(self, message: str, field: Optional[str] = None, value: int = 0, size: int = 0) -> str:
        """The message of a refusal over the limit ``field`` (``value`` found; ``size``: the document's, for
        the counts of trusted limits that grow with it), naming the opt-in when the trusted limits take it.

        >>> Limits(max_entry_size=4).over("entry `x` expands to 5 bytes, over the limit of 4", "max_entry_size", 5)
        'entry `x` expands to 5 bytes, over the limit of 4 (if you trust the package, read it with \
--trusted-packages (or ALC_TRUSTED_PACKAGES=1))'
        >>> Limits().over("the package has 300000 entries, over the limit of 250000", "max_entries", 300_000)
        'the package has 300000 entries, over the limit of 250000'
        """
        if self.trusted or field is None:
            return message
        budget = TRUSTED_LIMITS.symbols_budget()
        allowed = {"max_json_containers": budget.containers_for(size),
                   "max_json_values": budget.values_for(size)}.get(field)
        allowed = getattr(TRUSTED_LIMITS, field) if allowed is None else allowed
        return f"{message} ({TRUST_HINT})" if value <= allowed else message

    def resolved(self, environ=None) -> "Limits":
        """These limits, or :data:`TRUSTED_LIMITS` when these are the defaults and the environment
        (``ALC_TRUSTED_PACKAGES=1``, which ``--trusted-packages`` sets for one command) trusts packages.

        >>> Limits().resolved({"ALC_TRUSTED_PACKAGES": "1"}) is TRUSTED_LIMITS
        True
        >>> Limits(max_entries=4).resolved({"ALC_TRUSTED_PACKAGES": "1"}).max_entries
        4
        """
        if self == DEFAULT_LIMITS and trusts_packages(os.environ if environ is None else environ):
            return TRUSTED_LIMITS
        return self


def trusts_packages(environ) -> bool:
    """Whether ``environ`` asks for the limits of trusted packages (``ALC_TRUSTED_PACKAGES`` set, not 0)."""
    return environ.get(TRUST_VARIABLE, "").strip().lower() not in ("", "0", "no", "false")


DEFAULT_LIMITS = Limits()
TRUSTED_LIMITS = Limits(max_file_size=2048 * MiB, max_total_size=4096 * MiB, max_entry_size=1024 * MiB,
                        max_json_size=1024 * MiB, json_bytes_per_container=32,
                        json_bytes_per_value=14, trusted=True)
"""Limits for packages one trusts (one's own generated benchmark bases: 575 MB of symbols at 100,000 objects):
files up to 2 GiB, entries and SymbolReference.json up to 1 GiB, and past 96 and 112 MB one
container per 32 bytes and one value per 14, so what the decoder builds stays within ~6x the file's size
(at most ~80 bytes of model per value) -- no longer under 1 GB whatever the content."""
