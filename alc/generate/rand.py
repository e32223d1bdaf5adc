"""Fast draws from ``random.Random``: `Random.choice` and `randint` go
through `_randbelow` and cost several times more than one `random()` call,
which matters at millions of draws.

>>> import random
>>> r = random.Random(1)
>>> pick(r, "abc") in "abc", 1 <= between(r, 1, 3) <= 3
(True, True)
"""

from __future__ import annotations

import random
from typing import Sequence, TypeVar

__all__ = ["pick", "between"]

T = TypeVar("T")


def pick(rng: random.Random, seq: Sequence[T]) -> T:
    """One element of a non-empty sequence."""
    return seq[int(rng.random() * len(seq))]


def between(rng: random.Random, lo: int, hi: int) -> int:
    """An integer in ``lo..hi``, both included."""
    return lo + int(rng.random() * (hi - lo + 1))
