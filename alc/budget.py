r"""Decoding untrusted JSON within a budget: size, nesting depth, number of
containers and of values, checked on the bytes before a single Python object
is built (a 300 KB file of `[[],[],...]` would otherwise cost gigabytes,
hundreds of nested levels would crash every recursive walker after it).

The shape is found with a few passes at C speed (escapes removed, everything
but quotes, brackets and commas dropped, strings cut out) and costs about a
fifth of ``json.loads``. Numbers beyond Python's digit limit, lone surrogates
and invalid JSON are refused with one message too.

>>> shape(b'{"a[": ["\\\\", "\\"]", [[{}]]], "n": 1}')
Shape(depth=5, containers=5, values=9)
>>> loads(b'[[[1]]]', JsonBudget(max_depth=2), "x.json")
Traceback (most recent call last):
alc.budget.BudgetError: x.json nests 3 levels deep, over the limit of 2
>>> loads(b'["\\ud800"]', JsonBudget(), "x.json")
Traceback (most recent call last):
alc.budget.BudgetError: x.json is not valid JSON: a lone surrogate `\ud800`
"""

from __future__ import annotations

import array
import itertools
import json
import re
from typing import Any, NamedTuple, Union

import attrs

__all__ = ["BudgetError", "JsonBudget", "Shape", "shape", "loads", "SMALL_JSON"]

MiB = 1024 * 1024


class BudgetError(ValueError):
    """Input over its budget (``over_limit``), or not decodable: one line of text."""

    def __init__(self, message: str, over_limit: bool = False):
        super().__init__(message)
        self.over_limit = over_limit


@attrs.frozen
class JsonBudget:
    """What one JSON document may cost. ``max_values`` counts every value
    (containers, strings, numbers, literals: commas plus containers bound it)."""
    max_size: int = 64 * MiB
    max_depth: int = 64
    max_containers: int = 1_000_000
    max_values: int = 4_000_000


SMALL_JSON = JsonBudget(max_size=16 * MiB, max_depth=64, max_containers=200_000, max_values=1_000_000)
"""app.json and license files: real ones are a few KB, nest 3 levels and hold a few hundred values."""


class Shape(NamedTuple):
    depth: int
    containers: int
    values: int


_KEEP = b'"[]{},'
_DROP = bytes(c for c in range(256) if c not in _KEEP)
_SIGN = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


def shape(data: bytes) -> Shape:
    """Depth, containers and values of JSON bytes (exact for valid JSON;
    for invalid JSON, whatever it is, ``json.loads`` refuses it after)."""
    if b"\\" in data:
        # Escapes pair from the left, so `\\` then `\"` removes exactly the escaped quotes.
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    reduced = data.translate(None, _DROP).replace(b'""', b"")   # removing `""` keeps what is inside strings
    outside = b"".join(reduced.split(b'"')[0::2])
    commas = outside.count(b",")
    brackets = outside.replace(b",", b"") if commas else outside
    depth = max(itertools.accumulate(array.array("b", brackets.translate(_SIGN))), default=0)
    containers = len(brackets) // 2
    values = commas + containers + (1 if data.strip() else 0)
    return Shape(depth, containers, values)


_LONE = re.compile(rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
                   rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def check(data: bytes, budget: JsonBudget, what: str) -> None:
    """BudgetError when ``data`` is over ``budget`` (see :func:`shape`)."""
    if len(data) > budget.max_size:
        raise BudgetError(f"{what} is {len(data)} bytes, over the limit of {budget.max_size}", True)
    found = shape(data)
    if found.depth > budget.max_depth:
        raise BudgetError(f"{what} nests {found.depth} levels deep, over the limit of {budget.max_depth}", True)
    if found.containers > budget.max_containers:
        raise BudgetError(f"{what} holds {found.containers} arrays and objects, over the limit of "
                          f"{budget.max_containers}", True)
    if found.values > budget.max_values:
        raise BudgetError(f"{what} holds {found.values} values, over the limit of {budget.max_values}", True)
    if b"\\ud" in data or b"\\uD" in data:   # a surrogate escape at all (rare): then look closer
        lone = _LONE.search(data)
        if lone:
            raise BudgetError(f"{what} is not valid JSON: a lone surrogate `{lone.group().decode('ascii')}`")


def loads(data: Union[bytes, str], budget: JsonBudget, what: str, **kwargs: Any) -> Any:
    """``json.loads`` of untrusted bytes (UTF-8, an optional BOM) within ``budget``;
    BudgetError with one line naming ``what`` when over it or not valid JSON."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    check(data, budget, what)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BudgetError(f"{what} is not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text, **kwargs)
    except json.JSONDecodeError as exc:
        raise BudgetError(f"{what} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise BudgetError(f"{what} nests too deeply", True) from None
    except ValueError as exc:
        if type(exc) is not ValueError:   # raised by a hook: its own error
            raise
        # a number past Python's digit limit
        raise BudgetError(f"{what} is not valid JSON: {str(exc).split(';')[0]}") from None
