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
from typing import Any, Iterable, NamedTuple, Union

import attrs

__all__ = ["BudgetError", "JsonBudget", "Shape", "shape", "check", "check_parts", "loads", "SMALL_JSON"]

MiB = 1024 * 1024


class BudgetError(ValueError):
    """Input over its budget (``over_limit``: then ``limit`` says which, `size`, `depth`, `containers` or
    `values`, and ``value`` what was found), or not decodable: one line of text."""

    def __init__(self, message: str, over_limit: bool = False, limit: str = "", value: int = 0):
        super().__init__(message)
        self.over_limit, self.limit, self.value = over_limit, limit, value


@attrs.frozen
class JsonBudget:
    """What one JSON document may cost. ``max_values`` counts every value
    (containers, strings, numbers, literals: commas plus containers bound it).

    ``bytes_per_container`` and ``bytes_per_value``, when set, let a larger
    document hold more: up to one container per that many bytes (and one value
    per that many), whichever allows more. What a decoder builds grows with
    the containers and values, so this bounds its memory by a multiple of the
    document's size, while a small document shaped to cost many bytes of
    Python per byte (`[[],[],...]`: 3 bytes a container) stays within the
    fixed counts.

    >>> JsonBudget(max_containers=10, bytes_per_container=100).containers_for(5_000)
    50
    """
    max_size: int = 64 * MiB
    max_depth: int = 64
    max_containers: int = 1_000_000
    max_values: int = 4_000_000
    bytes_per_container: int = 0
    bytes_per_value: int = 0

    def containers_for(self, size: int) -> int:
        return max(self.max_containers, size // self.bytes_per_container if self.bytes_per_container else 0)

    def values_for(self, size: int) -> int:
        return max(self.max_values, size // self.bytes_per_value if self.bytes_per_value else 0)


SMALL_JSON = JsonBudget(max_size=16 * MiB, max_depth=64, max_containers=200_000, max_values=1_000_000)
"""app.json and license files: real ones are a few KB, nest 3 levels and hold a few hundred values."""


class Shape(NamedTuple):
    depth: int
    containers: int
    values: int


_KEEP = b'"[]{},'
_DROP = bytes(c for c in range(256) if c not in _KEEP)
_SIGN = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_CHUNK = 4 * MiB


class _Shaper:
    """Depth, containers and values of JSON bytes fed in parts; a part never ends inside a run of
    backslashes (escapes pair from its left)."""

    __slots__ = ("depth", "containers", "commas", "level", "inside", "seen")

    def __init__(self) -> None:
        self.depth = self.containers = self.commas = self.level = 0
        self.inside = self.seen = False   # whether the part starts inside a string; whether anything but blanks was seen

    def feed(self, part: bytes) -> None:
        if b"\\" in part:
            # Escapes pair from the left, so `\\` then `\"` removes exactly the escaped quotes.
            part = part.replace(b"\\\\", b"").replace(b'\\"', b"")
        self.seen = self.seen or bool(part.strip())
        reduced = part.translate(None, _DROP).replace(b'""', b"")   # a pair of quotes keeps in and out apart
        pieces = reduced.split(b'"')
        outside = b"".join(pieces[1::2] if self.inside else pieces[0::2])
        if len(pieces) % 2 == 0:
            self.inside = not self.inside
        found = outside.count(b",")
        self.commas += found
        brackets = outside.replace(b",", b"") if found else outside
        if brackets:
            signs = array.array("b", brackets.translate(_SIGN))
            self.depth = max(self.depth, max(itertools.accumulate(signs, initial=self.level)))
            self.level += sum(signs)
            self.containers += len(brackets)

    def shape(self) -> Shape:
        return Shape(self.depth, self.containers // 2, self.commas + self.containers // 2 + (1 if self.seen else 0))


def shape(data) -> Shape:
    """Depth, containers and values of JSON bytes (exact for valid JSON;
    for invalid JSON, whatever it is, ``json.loads`` refuses it after).
    ``data`` may be any bytes-like object; it is read in slices of a few MB,
    so the pass needs a few MB whatever the size of the document."""
    view = memoryview(data).cast("B")
    shaper = _Shaper()
    start, end = 0, len(view)
    while start < end:
        stop = min(start + _CHUNK, end)
        while stop < end and view[stop - 1] == 0x5C:   # never end inside a run of backslashes (escapes pair from
            stop += 1                                  # its left): the slice ends with the byte they escape
        shaper.feed(bytes(view[start:stop]))
        start = stop
    return shaper.shape()


_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")
_LONE = re.compile(rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
                   rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def check(data, budget: JsonBudget, what: str) -> None:
    """BudgetError when ``data`` (bytes-like) is over ``budget`` (see :func:`shape`)."""
    size = len(data)
    _check_size(size, budget, what)
    _check_shape(shape(data), size, budget, what)
    if _SURROGATE.search(data):   # a surrogate escape at all (rare): then look closer
        lone = _LONE.search(data)
        if lone:
            raise BudgetError(f"{what} is not valid JSON: a lone surrogate `{lone.group().decode('ascii')}`")


def check_parts(parts: Iterable[bytes], budget: JsonBudget, what: str) -> bool:
    """:func:`check` of the bytes ``parts`` make, read once in order and never joined (a package's
    SymbolReference.json of hundreds of MB). False when the bytes hold a surrogate escape: then only
    :func:`check` of the whole tells whether it is a lone one."""
    shaper = _Shaper()
    size = 0
    carry = b""
    surrogate = False
    for part in parts:
        size += len(part)
        _check_size(size, budget, what)
        if carry:
            part = carry + part
        # never end a part inside a run of backslashes: the run goes on with the next part
        kept = len(part) - len(part.rstrip(b"\\"))
        carry, part = (part[len(part) - kept:], part[:len(part) - kept]) if kept else (b"", part)
        surrogate = surrogate or _SURROGATE.search(part) is not None
        shaper.feed(part)
    if carry:
        shaper.feed(carry)
    _check_shape(shaper.shape(), size, budget, what)
    return not surrogate


def _check_size(size: int, budget: JsonBudget, what: str) -> None:
    if size > budget.max_size:
        raise BudgetError(f"{what} is {size} bytes, over the limit of {budget.max_size}", True, "size", size)


def _check_shape(found: Shape, size: int, budget: JsonBudget, what: str) -> None:
    if found.depth > budget.max_depth:
        raise BudgetError(f"{what} nests {found.depth} levels deep, over the limit of {budget.max_depth}", True,
                          "depth", found.depth)
    if found.containers > budget.containers_for(size):
        raise BudgetError(f"{what} holds {found.containers} arrays and objects, over the limit of "
                          f"{budget.containers_for(size)}", True, "containers", found.containers)
    if found.values > budget.values_for(size):
        raise BudgetError(f"{what} holds {found.values} values, over the limit of {budget.values_for(size)}", True,
                          "values", found.values)


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
