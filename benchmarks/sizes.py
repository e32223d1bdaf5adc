"""The three benchmark sizes: about 1,000, 10,000 and 100,000 objects in
total (base and extensions together; `generated.json` has the exact counts),
and ``check-10k``, used only by ``bench_check.py``: the benchmark issue's
`alc check` target, 1,000 extensions with 20 deltas each on a base of
exactly 10,000 objects (3,600 tables, 3,600 pages, 2,350 codeunits and 450
enums)."""

from __future__ import annotations

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
