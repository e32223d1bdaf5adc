"""The two ways a server command fails.

:class:`DeployError` is a refusal by a rule of the platform: it carries one
Diagnostic with an ALC05xx code and prints as ``error ALC05xx: message``
(exit 1). :class:`DeployUsageError` is unusable input (an unknown tenant,
app or version, an unreadable package, bad flags): one line, exit 2.

>>> str(DeployError("ALC0506", "The Extension cannot be unpublished because it is in use by the following tenants: t1"))
'error ALC0506: The Extension cannot be unpublished because it is in use by the following tenants: t1'
"""

from __future__ import annotations

from typing import Optional, Sequence

from ..diagnostics import Diagnostic

__all__ = ["DeployError", "DeployUsageError"]


class DeployError(Exception):
    """A refusal by a rule: nothing was changed."""

    def __init__(self, code: str, message: str, *, notes: Sequence[str] = (), help: Optional[str] = None):
        super().__init__(message)
        self.diagnostic = Diagnostic.error(code, message, notes=tuple(notes), help=help)

    @property
    def code(self) -> str:
        return self.diagnostic.code

    @property
    def message(self) -> str:
        return self.diagnostic.message

    def __str__(self) -> str:
        return f"error {self.code}: {self.message}"


class DeployUsageError(Exception):
    """Bad input: reported in one line, exit code 2."""
