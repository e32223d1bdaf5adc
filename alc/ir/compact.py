"""IR <-> compact rows: the object entries of metadata format 3.

An object is a JSON array of rows, children before parents, the object last.
A row is a node's class name and its fields in declaration order (span left
out, trailing defaults left out): ``["Name", "Amount"]``. A field holding a
node or a tuple holds the number of its row instead; a tuple is a row
``["T", ...]`` of numbers and plain values; a code body is ``["Code", text,
pp_depth, symbol...]``. Equal subtrees are written once (the rows of one
object are hash-consed; elements such as fields and controls excepted), so a `Caption`, a `Code[20]` or an empty tuple
repeated a hundred times costs one row and one node when read: the nodes
are frozen, sharing them is safe.

Decoding reads the array with msgspec (C) and builds each row once, in
order, with the type of every field and tuple element checked as in
:mod:`alc.ir.serialize` (typed decoding), the depth of the tree bounded by
:data:`~alc.ir.serialize.MAX_DEPTH`, and a row referring only to rows
before it (so the IR is a tree of bounded depth, never a cycle). The rows
are built by a compiled twin of the pure-Python builder where it is built
(alc/ir/_compact_accel.pyx: the same checks, the slots set in C, the nodes
left to reference counting rather than the cyclic collector); rows it
refuses are decoded again in Python, which names the error.

>>> from alc import parse_text
>>> t = parse_text("table 50100 T { fields { field(1; A; Integer) { } field(2; B; Integer) { } } }").unit.objects[0]
>>> data = encode(t)
>>> data[:40]
b'[["TypeRef","Integer"],["TableField",1,"'
>>> decode(data) == t
True
>>> decode(b'[["Name",true]]')
Traceback (most recent call last):
alc.ir.serialize.SerializationError: Name: field 'value' has a value of the wrong type (bool)
>>> decode(b'[["Unary","not",0]]')
Traceback (most recent call last):
alc.ir.serialize.SerializationError: row 0 is malformed or refers to a row that is not before it
"""

from __future__ import annotations

import functools
import os
from typing import Any, Optional

import attrs
import msgspec

from ..source import SourceFile, Span
from . import nodes as ir
from .serialize import (MAX_DEPTH, _CLASSES, _FIELDS, _NULLABLE, NestingError, SerializationError, _elements,
                        _field_types)

__all__ = ["encode", "decode", "is_compact", "TUPLE", "CODE"]

TUPLE = "T"
CODE = "Code"
INT = "I"       # an int where a field holds nodes (not written by alc: kept for round trips)
_encode_row = msgspec.json.encode
_decode = msgspec.json.decode


def is_compact(data: bytes) -> bool:
    """Whether metadata bytes hold rows (format 3) rather than one JSON object (formats 1 and 2).

    >>> is_compact(b' [["Name","a"]]'), is_compact(b'{"$":"Name","value":"a"}')
    (True, False)
    """
    return data.lstrip()[:1] == b"["


def _int_slot(allowed) -> bool:
    """A field whose value is a plain int (an id), never a row number."""
    return allowed is not None and int in allowed and allowed <= {int, type(None)}


_SCALARS = frozenset({str, bool, int, float, type(None)})


@functools.lru_cache(maxsize=None)
def _types(cls: type) -> dict:
    return _field_types(cls)


@functools.lru_cache(maxsize=None)
def _int_slots(tag: str) -> tuple:
    """For each field of the node type ``tag``, whether it holds a plain int (an id), never a row number."""
    return tuple(_int_slot(_types(_CLASSES[tag]).get(f.name)) for f in _FIELDS[tag])


class _Encoder:
    """The rows of one object, each distinct row once (keyed by its bytes)."""

    def __init__(self) -> None:
        self.rows: list = []
        self.numbers: dict = {}

    def row(self, row: list, distinct: bool = False) -> int:
        data = _encode_row(row)
        if distinct:
            self.rows.append(data)
            return len(self.rows) - 1
        number = self.numbers.get(data)
        if number is None:
            number = self.numbers[data] = len(self.rows)
            self.rows.append(data)
        return number

    def value(self, value: Any, depth: int, int_slot: bool = False) -> Any:
        t = type(value)
        if value is None or t is str or t is bool or t is float:
            return value
        if t is int:
            return value if int_slot else self.row([INT, value])
        return self.node(value, depth)

    def node(self, node: Any, depth: int) -> int:
        depth += 1
        t = type(node)
        if depth > MAX_DEPTH:
            raise NestingError(None if t is tuple or t is list else node)
        if t is tuple or t is list:
            return self.row([TUPLE] + [self.value(x, depth) for x in node])
        if t is ir.LazyBody or t is ir.Block:
            if t is ir.Block:
                from ..printer import print_statement  # a parsed body: its text after preprocessing
                return self.row([CODE, print_statement(node)])
            row = [CODE, node.text]
            if node.pp_depth or node.symbols:
                row += [node.pp_depth] + sorted(node.symbols)
            return self.row(row)
        name = t.__name__
        fields = _FIELDS.get(name)
        if fields is None or _CLASSES[name] is not t:
            raise SerializationError(f"not an IR node: {name}")
        slots = _int_slots(name)
        values = [getattr(node, f.name) for f in fields]
        last = len(fields)
        while last and _is_default(fields[last - 1], values[last - 1]):
            last -= 1   # trailing defaults are left out
        row = [name]
        for i in range(last):
            try:
                row.append(self.value(values[i], depth, slots[i]))
            except NestingError as exc:
                if exc.node is None:  # a tuple past the limit: the node holding it is the place
                    exc.node = node
                raise
        return self.row(row, t in _ELEMENTS)


_ELEMENTS = frozenset({ir.Control, ir.Action, ir.DataNode, ir.View, ir.TableField, ir.EnumValue, ir.Key,
                       ir.FieldGroup, ir.ReportLayout})
"""Elements of a section, which the merge tells apart by identity (:class:`alc.merge.tree.Tree`):
never shared, even when two are equal (a duplicate the checks report)."""


def _is_default(field, value) -> bool:
    return field.default is not attrs.NOTHING and not isinstance(field.default, attrs.Factory) \
        and value == field.default and type(value) is type(field.default)


def encode(node: Any) -> bytes:
    """The rows of ``node`` (deterministic bytes: the same IR gives the same rows);
    NestingError when it nests more than :data:`~alc.ir.serialize.MAX_DEPTH` levels."""
    encoder = _Encoder()
    encoder.node(node, 0)
    return b"[" + b",".join(encoder.rows) + b"]"


# ------------------------------------------------------------------ decoding --

def _wrong_type(tag: str, name: str, value: Any) -> None:
    raise SerializationError(f"{tag}: field {name!r} has a value of the wrong type "
                             f"({type(value).__name__ if not isinstance(value, tuple) else 'list'})")


def _missing_field(tag: str, name: str) -> None:
    raise SerializationError(f"{tag}: missing field {name!r}")


def _bad_row(what: str) -> None:
    raise SerializationError(what)


def _builder(tag: str, cls: type):
    """A function (row, built, depths) that appends the node of ``row`` to
    ``built`` and its depth to ``depths``; fields are set directly (as in
    :func:`alc.ir.serialize._builder`), each value's type checked."""
    fields = _FIELDS[tag]
    types = _types(cls)
    env: dict = {"_new": object.__new__, "_cls": cls, "_missing": functools.partial(_missing_field, tag),
                 "_wrong": functools.partial(_wrong_type, tag), "_bad": _bad_row, "_tuple": tuple,
                 "_MAX": MAX_DEPTH}
    lines = ["def build(row, built, depths):",
             "    n = len(row)",
             f"    if n > {len(fields) + 1}: _bad('{tag}: more fields than it has')",
             "    d = 0",
             "    o = _new(_cls)"]
    span = getattr(cls, "span", None)
    if span is not None:
        env["_setspan"] = span.__set__
        lines.append("    _setspan(o, None)")
    slots = _int_slots(tag)
    for i, f in enumerate(fields):
        k = i + 1
        env[f"_set{i}"] = getattr(cls, f.name).__set__
        required = f.default is attrs.NOTHING
        env[f"_def{i}"] = None if required else f.default
        if required:
            lines += [f"    if n <= {k}: _missing({f.name!r})", f"    v = row[{k}]"]
        else:
            lines.append(f"    v = row[{k}] if n > {k} else _def{i}")
        allowed = types.get(f.name)
        if not slots[i] and (allowed is None or not allowed <= _SCALARS):   # a field that may hold a node or tuple
            lines += ["    if type(v) is int:",
                      "        if v < 0: _bad('a row refers to a row that is not before it')",
                      "        e = depths[v]",
                      "        if e > d: d = e",
                      "        v = built[v]"]
            elements = _elements(tag, f.name) if allowed is not None and tuple in allowed else None
            if elements is not None:  # a tuple: each element's type is checked too
                env[f"_el{i}"] = elements
                lines.append(f"    if type(v) is _tuple and not _el{i}.issuperset(map(type, v)): _wrong({f.name!r}, v)")
        if allowed is not None:  # typed decoding: the value's type is checked as it is set
            ok = allowed | {type(None)} if (tag, f.name) in _NULLABLE else allowed
            if not required and f.default is None:
                ok = ok | {type(None)}
            env[f"_ok{i}"] = frozenset(ok)
            cond = f"type(v) not in _ok{i}" if required or f.default is None else \
                f"type(v) not in _ok{i} and v is not _def{i}"
            lines.append(f"    if {cond}: _wrong({f.name!r}, v)")
        lines.append(f"    _set{i}(o, v)")
    lines += ["    d += 1",
              "    if d > _MAX: _bad(f'declarations nested more than {_MAX} levels deep')",
              "    built.append(o)",
              "    depths.append(d)"]
    exec("\n".join(lines), env)  # noqa: S102 - generated from the IR catalogue only
    return env["build"]


def _build_tuple(row: list, built: list, depths: list) -> None:
    if type(row) is not list:
        _bad_row("a tuple row that is not a row")
    items = row[1:]
    kinds = set(map(type, items))
    if kinds == _ROW_NUMBERS:   # a tuple of nodes (the common case): resolved at C speed
        if min(items) < 0:
            _bad_row("a row refers to a row that is not before it")
        d = max([depths[x] for x in items]) + 1
        out = tuple([built[x] for x in items])
    elif int not in kinds:      # plain values: names, None
        if list in kinds or dict in kinds:
            _bad_row("a tuple holds a list or an object")
        d = 1
        out = tuple(items)
    else:
        d = 0
        for i, x in enumerate(items):
            if type(x) is int:
                if x < 0:
                    _bad_row("a row refers to a row that is not before it")
                e = depths[x]
                if e > d:
                    d = e
                items[i] = built[x]
            elif type(x) is list or type(x) is dict:
                _bad_row("a tuple holds a list or an object")
        d += 1
        out = tuple(items)
    if d > MAX_DEPTH:
        _bad_row(f"declarations nested more than {MAX_DEPTH} levels deep")
    built.append(out)
    depths.append(d)


_ROW_NUMBERS = {int}


def _build_int(row: list, built: list, depths: list) -> None:
    if type(row) is not list or len(row) != 2 or type(row[1]) is not int:
        _bad_row("malformed int row")
    built.append(row[1])
    depths.append(0)


def _build_code(row: list, built: list, depths: list, path: str = "<package>") -> None:
    built.append(_code_body(row, path))
    depths.append(1)


def _code_body(row: list, path: str) -> Any:
    """The LazyBody of a code row ``["Code", text, pp_depth, symbol...]``."""
    if type(row) is not list:
        _bad_row("a code row that is not a row")
    n = len(row)
    text = row[1] if n > 1 else None
    depth = row[2] if n > 2 else 0
    symbols = row[3:]
    if type(text) is not str:
        raise SerializationError("code without text")
    if type(depth) is not int or not all(type(s) is str for s in symbols):
        raise SerializationError("code with malformed preprocessor state")
    body = _new(_LazyBody)
    _set_body_span(body, Span(SourceFile(path, text), 0, len(text)))
    _set_body_depth(body, depth)
    _set_body_symbols(body, frozenset(symbols) if symbols else _NO_SYMBOLS)
    return body


_new = object.__new__
_LazyBody = ir.LazyBody
_set_body_span, _set_body_depth, _set_body_symbols = (getattr(_LazyBody, f.name).__set__
                                                      for f in attrs.fields(_LazyBody))
_NO_SYMBOLS: frozenset = frozenset()


@functools.lru_cache(maxsize=None)
def _builders() -> dict:
    """Row tag -> its pure-Python builder, generated on first use (the accelerator needs none)."""
    builders = {tag: _builder(tag, cls) for tag, cls in _CLASSES.items()}
    builders[TUPLE] = _build_tuple
    builders[INT] = _build_int
    return builders


def decode(data: bytes, path: str = "<package>", accelerated: Optional[bool] = None) -> Any:
    """The IR the rows in ``data`` describe (the last row's node); SerializationError
    when they are malformed, of the wrong types, or nested too deeply. The bytes are
    expected to be within their budget already (:func:`alc.budget.check`).

    The rows are built by the compiled accelerator (alc/ir/_compact_accel.pyx) where
    it is built, unless ``accelerated`` is False or ``ALC_PURE_PYTHON=1``; the IR is
    the same either way, and so are the errors (rows it refuses are decoded again
    here, which raises the error)."""
    try:
        rows = _decode(data)
    except msgspec.MsgspecError as exc:
        raise SerializationError(f"not valid JSON: {exc}") from None
    if type(rows) is not list or not rows:
        raise SerializationError("metadata without rows")
    accel = accelerator() if accelerated is not False else None
    if accelerated and accel is None:
        raise RuntimeError("the metadata decoder's compiled accelerator is not built (or ALC_PURE_PYTHON is set)")
    if accel is not None:
        try:
            node = accel.build_rows(rows, _specs(accel), functools.partial(_code_body, path=path), MAX_DEPTH, path)
        except (SerializationError, TypeError, ValueError):
            node = None   # decoded again below, for the error
        if node is not None:
            return node
    return _build_rows(rows, path)


def _build_rows(rows: list, path: str) -> Any:
    """The node of the last row, each row built in order (the pure-Python builder)."""
    builders = dict(_builders())
    builders[CODE] = functools.partial(_build_code, path=path)
    built: list = []
    depths: list = []
    try:
        for row in rows:
            builders[row[0]](row, built, depths)
    except KeyError:
        row = rows[len(built)]
        tag = row[0] if type(row) is list else None
        raise SerializationError(f"unknown node type {tag!r}" if type(tag) is str
                                 else f"row {len(built)} is not a row") from None
    except IndexError:
        raise SerializationError(f"row {len(built)} is malformed or refers to a row that is not before it") from None
    except TypeError as exc:
        raise SerializationError(f"row {len(built)} is malformed ({exc})") from None
    return built[-1]


PURE_PYTHON_ENV = "ALC_PURE_PYTHON"
"""Set to 1 to decode in pure Python even where the compiled accelerator is built (as for the parser)."""


def accelerator() -> Any:
    """The compiled twin of :func:`_build_rows` (alc/ir/_compact_accel.pyx), or None where it was
    not built (no C compiler at install time) or ``ALC_PURE_PYTHON=1`` asks for pure Python."""
    if os.environ.get(PURE_PYTHON_ENV, "") not in ("", "0"):
        return None
    try:
        from . import _compact_accel
    except ImportError:
        return None
    return _compact_accel


@functools.lru_cache(maxsize=None)
def _specs(accel) -> dict:
    """Row tag -> the accelerator's Spec: what :func:`_builder` generates for each node class, as data."""
    specs = {TUPLE: accel.special(1), INT: accel.special(3)}
    body_fields, source_fields = ("span", "pp_depth", "symbols"), ("path", "_text", "_line_starts", "_from_disk")
    if tuple(f.name for f in attrs.fields(_LazyBody)) == body_fields and SourceFile.__slots__ == source_fields:
        try:   # what _code_body builds, its slots set directly
            specs[CODE] = accel.code_spec(_LazyBody, [getattr(_LazyBody, n) for n in body_fields], SourceFile,
                                          [getattr(SourceFile, n) for n in source_fields], Span, _NO_SYMBOLS)
        except ValueError:
            pass   # code rows left to the pure-Python builder
    for tag, cls in _CLASSES.items():
        if cls.__new__ is not object.__new__:
            continue   # not built from its slots: the pure-Python builder's rows (none in the catalogue)
        types = _types(cls)
        fields = []
        for i, f in enumerate(_FIELDS[tag]):
            allowed = types.get(f.name)
            required = f.default is attrs.NOTHING
            default = None if required else f.default
            node_slot = not _int_slots(tag)[i] and (allowed is None or not allowed <= _SCALARS)
            elements = _elements(tag, f.name) if node_slot and allowed is not None and tuple in allowed else None
            ok = None
            if allowed is not None:
                ok = allowed | {type(None)} if (tag, f.name) in _NULLABLE else allowed
                if not required and default is None:
                    ok = ok | {type(None)}
                ok = frozenset(ok)
            exempt = not required and default is not None
            fields.append((getattr(cls, f.name), required, node_slot, exempt, default, ok, elements))
        try:
            specs[tag] = accel.node_spec(cls, getattr(cls, "span", None), fields)
        except ValueError:
            continue   # a field that is not a plain slot: left to the pure-Python builder
    return specs
