"""The three benchmark sizes: about 1,000, 10,000 and 100,000 objects in
total (base and extensions together; `generated.json` has the exact counts),
and ``check-10k``, used only by ``bench_check.py``: the benchmark issue's
`alc check` target, 1,000 extensions with 20 deltas each on a base of
exactly 10,000 objects (3,600 tables, 3,600 pages, 2,350 codeunits and 450
enums)."""

from __future__ import annotations

import contextlib
import os

import pytest

from alc.generate import Options

SIZES = {
    "1k": Options(tables=300, pages=300, codeunits=200, extensions=15, deltas=20, depth=3,
                  conflict_rate=0.05, seed=1),
    "10k": Options(tables=3000, pages=3000, codeunits=2000, extensions=150, deltas=20, depth=3,
                   conflict_rate=0.05, seed=1),
    "100k": Options(tables=30000, pages=30000, codeunits=20000, extensions=1500, deltas=20, depth=3,
                    conflict_rate=0.05, seed=1),
    "check-10k": Options(tables=3600, pages=3600, codeunits=2350, extensions=1000, deltas=20, depth=3,
                         conflict_rate=0.05, seed=1),
}
SIZE_PARAMS = [pytest.param("1k"), pytest.param("10k"), pytest.param("100k", marks=pytest.mark.slow)]

TRUSTED_SIZES = frozenset({"100k"})
"""Sizes whose base is over the default limits of package readers (575 MB of SymbolReference.json at 100k):
read as trusted packages (our own generated input), with ``ALC_TRUSTED_PACKAGES=1``."""


@contextlib.contextmanager
def trusting(size: str):
    """``ALC_TRUSTED_PACKAGES=1`` while the inputs of ``size`` are made and read, when it needs it (the
    package readers of this process and of the processes it starts then take the trusted limits)."""
    from alc.package.errors import TRUST_VARIABLE
    if size not in TRUSTED_SIZES or os.environ.get(TRUST_VARIABLE) == "1":
        yield
        return
    before = os.environ.get(TRUST_VARIABLE)
    os.environ[TRUST_VARIABLE] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ[TRUST_VARIABLE]
        else:
            os.environ[TRUST_VARIABLE] = before
