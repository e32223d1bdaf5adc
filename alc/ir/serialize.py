"""IR <-> JSON: the compiled metadata stored in .app packages.

Every node becomes an object tagged with its class (``"$": "Table"``);
tuples become lists; fields equal to their default are left out; spans are
dropped (a package carries no source positions). Code bodies are stored as
their AL text (``{"$": "Code", "text": "begin ... end"}``) and come back as
``LazyBody`` nodes that parse on demand, so packages stay small and merge and
deployment need no source files.

>>> from alc import parse_text
>>> t = parse_text("table 50100 T { fields { field(1; A; Integer) { } } }").unit.objects[0]
>>> from_json(to_json(t)) == t
True
"""

from __future__ import annotations

import functools
import json
import sys
import typing
from typing import Any, Optional, Union

import attrs

from ..source import SourceFile, Span
from . import nodes as ir

__all__ = ["to_json", "from_json", "loads", "node_hook", "SerializationError", "NestingError", "MAX_DEPTH"]

MAX_DEPTH = 128
"""How deep the JSON of one object may nest (objects and arrays): the deepest object
of the W1 apps (a table of the Base Application) nests 35 levels. Writers refuse
deeper IR (a diagnostic at the node), readers deeper JSON; every walker of the
IR (merge, printer, checks) thus recurses a bounded number of levels."""


class SerializationError(ValueError):
    """The JSON does not describe alc IR (a damaged or foreign package)."""


class NestingError(SerializationError):
    """IR nested deeper than :data:`MAX_DEPTH` JSON levels; ``node`` is the
    outermost node at the limit (its span says where)."""

    def __init__(self, node: Any):
        super().__init__(f"declarations nested more than {MAX_DEPTH} levels deep")
        self.node = node


def _node_classes() -> dict[str, type]:
    return {name: cls for name, cls in vars(ir).items()
            if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == ir.__name__}


_CLASSES = _node_classes()
_FIELDS = {name: tuple(f for f in attrs.fields(cls) if f.name != "span") for name, cls in _CLASSES.items()}


def to_json(node: Any, depth: int = 0) -> Any:
    """A JSON-ready value (dicts, lists, str, int, bool, None) for IR ``node``;
    NestingError when it would nest more than :data:`MAX_DEPTH` levels."""
    t = type(node)
    if node is None or t in (str, int, bool, float):
        return node
    depth += 1
    if depth > MAX_DEPTH:
        raise NestingError(None if t is tuple or t is list else node)
    if t is tuple or t is list:
        return [to_json(x, depth) for x in node]
    if t is ir.LazyBody:
        # The source text, with what is needed to read its #if groups the same way again.
        out = {"$": "Code", "text": node.text}
        if node.symbols:
            out["symbols"] = sorted(node.symbols)
        if node.pp_depth:
            out["pp_depth"] = node.pp_depth
        return out
    if t is ir.Block:
        from ..printer import print_statement  # a parsed body: its text after preprocessing
        return {"$": "Code", "text": print_statement(node)}
    name = t.__name__
    if name not in _FIELDS:
        raise SerializationError(f"not an IR node: {t.__name__}")
    out: dict[str, Any] = {"$": name}
    for f in _FIELDS[name]:
        value = getattr(node, f.name)
        if f.default is not attrs.NOTHING and value == f.default and not isinstance(f.default, attrs.Factory):
            continue
        try:
            out[f.name] = to_json(value, depth)
        except NestingError as exc:
            if exc.node is None:  # a tuple past the limit: the node holding it is the place
                exc.node = node
            raise
    return out


def from_json(data: Any, path: str = "<package>") -> Any:
    """The IR described by ``data`` (the inverse of ``to_json``)."""
    t = type(data)
    if data is None or t in (str, int, bool, float):
        return data
    if t is list:
        return tuple(from_json(x, path) for x in data)
    if t is not dict:
        raise SerializationError(f"unexpected JSON value of type {t.__name__}")
    tag = data.get("$")
    if tag == "Code":
        return _code(data, path)
    build = _builders().get(tag) if isinstance(tag, str) else None
    if build is None:
        raise SerializationError(f"unknown node type {tag!r}")
    return build({f.name: from_json(data[f.name], path) for f in _FIELDS[tag] if f.name in data})


def loads(text: Union[str, bytes], path: str = "<package>") -> Any:
    """``from_json(json.loads(text))`` in one pass: the decoder hands every
    JSON object to :func:`_node` as soon as it is read, so no intermediate
    tree of dicts is built and walked again (a third of the time saved on a
    large package).

    >>> from alc import parse_text
    >>> import json
    >>> t = parse_text("table 50100 T { fields { field(1; A; Code[20]) { } } }").unit.objects[0]
    >>> loads(json.dumps(to_json(t))) == t
    True

    The compact rows of metadata format 3 (:mod:`alc.ir.compact`, an array
    whose first row starts with its node type) are decoded as such:

    >>> from alc.ir.compact import encode
    >>> loads(encode(t)) == t
    True
    """
    head = text.lstrip()[:3]
    if head in (b'[["', '[["'):
        from .compact import decode
        return decode(text.encode("utf-8") if isinstance(text, str) else text, path)
    value = json.loads(text, object_hook=functools.partial(_node, path=path))
    return _tuples(value) if type(value) is list else value


def node_hook(path: str = "<package>"):
    """The ``object_hook`` that builds IR nodes as ``json.loads`` reads them
    (see :func:`loads`); a top-level list still needs ``_tuples``."""
    return functools.partial(_node, path=path)


def _tuples(value: list) -> tuple:
    """A list (already holding finished nodes) as a tuple, nested lists included."""
    items = tuple(value)
    if list in map(type, items):
        return tuple(_tuples(x) if type(x) is list else x for x in items)
    return items


def _node(data: dict, path: str) -> Any:
    """One JSON object whose values are already IR -> its node."""
    tag = data.pop("$", None)
    if tag == "Code":
        return _code(data, path)
    build = _builders().get(tag) if isinstance(tag, str) else None
    if build is None:
        raise SerializationError(f"unknown node type {tag!r}")
    return build(data)


class _Missing:
    """Stands for a required field the JSON object lacks."""


def _allowed(hint: Any) -> Optional[frozenset]:
    """The types a field's value may have in JSON-built IR (after lists became
    tuples), from its annotation; None when anything goes.

    >>> sorted(t.__name__ for t in _allowed(Optional[str]))
    ['NoneType', 'str']
    """
    if hint is Any or hint is Span or hint is frozenset:
        return None
    origin = typing.get_origin(hint)
    if origin is Union:
        out: set = set()
        for arg in typing.get_args(hint):
            more = _allowed(arg)
            if more is None:
                return None
            out |= more
        return frozenset(out)
    if hint is type(None):
        return frozenset({type(None)})
    if hint is tuple or origin is tuple:
        return frozenset({tuple})
    if hint in (str, int, bool):
        return frozenset({hint})
    if isinstance(hint, type) and attrs.has(hint):
        # a code body may be stored for any Block: it comes back as a LazyBody
        return frozenset({hint, ir.LazyBody}) if hint is ir.Block else frozenset({hint})
    return None


def _field_types(cls: type) -> dict:
    hints = typing.get_type_hints(cls, vars(ir))
    return {name: _allowed(hint) for name, hint in hints.items()}


def _elements(tag: str, name: str) -> frozenset:
    """The types the elements of a tuple field may have (see :mod:`alc.ir.schema`)."""
    from .schema import ELEMENTS
    families = {"Expr": ir.Expr, "Stmt": ir.Stmt, "PropertyValue": ir.PropertyValue}
    kinds = ELEMENTS.get(f"{tag}.{name}")
    if kinds is None:
        return frozenset(_CLASSES.values()) | {str, ir.LazyBody}
    out: set = set()
    for kind in kinds:
        if kind in families:
            out |= set(typing.get_args(families[kind]))
        elif kind == "Code":
            out.add(ir.LazyBody)
        else:
            out.add({"list": tuple, "NoneType": type(None), "str": str, "int": int, "bool": bool}.get(kind)
                    or _CLASSES[kind])
    return frozenset(out)


_NULLABLE = frozenset({("PairValue", "second")})
"""Fields that hold None although their annotation does not say so (the only one in the
metadata of the 217 W1 apps: a property value `A, ` without its second part)."""


def _wrong_type(tag: str, name: str, value: Any) -> None:
    raise SerializationError(f"{tag}: field {name!r} has a value of the wrong type "
                             f"({type(value).__name__ if not isinstance(value, tuple) else 'list'})")


def _builder(tag: str, cls: type):
    """A function dict -> node of ``cls`` that sets the slots directly
    (several times faster than ``cls(**data)`` for frozen attrs classes;
    the nodes have no validators or converters to skip). Missing fields take
    their defaults, required ones raise SerializationError, lists become
    tuples, keys of no field are ignored (as by ``from_json``)."""
    fields = attrs.fields(cls)
    types = _field_types(cls)
    env: dict = {"_new": object.__new__, "_cls": cls, "_tuples": _tuples, "_Missing": _Missing, "_list": list,
                 "_missing": functools.partial(_missing_field, tag), "_str": str, "_intern": sys.intern,
                 "_wrong": functools.partial(_wrong_type, tag)}
    lines = ["def build(d):", "    o = _new(_cls)", "    get = d.get"]
    for i, f in enumerate(fields):
        env[f"_set{i}"] = getattr(cls, f.name).__set__
        if f.name == "span":
            lines.append(f"    _set{i}(o, None)")
            continue
        env[f"_def{i}"] = _Missing if f.default is attrs.NOTHING else f.default
        lines += [f"    v = get({f.name!r}, _def{i})",
                  "    t = type(v)",
                  "    if t is _list: v = _tuples(v)",
                  "    elif t is _str and len(v) < 40: v = _intern(v)"]
        if f.default is attrs.NOTHING:
            lines.append(f"    if v is _Missing: _missing({f.name!r})")
        elements = _elements(tag, f.name) if types.get(f.name) is not None and tuple in types[f.name] else None
        if elements is not None:  # a tuple: each element's type is checked too
            env[f"_el{i}"] = elements
            lines.append(f"    if type(v) is tuple and not all(type(x) in _el{i} for x in v): _wrong({f.name!r}, v)")
        allowed = types.get(f.name)
        if allowed is not None:  # typed decoding: the value's type is checked as it is set
            env[f"_ok{i}"] = allowed | {type(None)} if (tag, f.name) in _NULLABLE else allowed
            lines.append(f"    if type(v) not in _ok{i} and v is not _def{i}: _wrong({f.name!r}, v)")
        lines.append(f"    _set{i}(o, v)")
    lines.append("    return o")
    exec("\n".join(lines), env)  # noqa: S102 - generated from the IR catalogue only
    return env["build"]


def _missing_field(tag: str, name: str) -> None:
    raise SerializationError(f"{tag}: missing field {name!r}")


@functools.lru_cache(maxsize=None)
def _builders() -> dict:
    """Node type -> its builder, generated on first use (a process reading format 3 only needs none)."""
    return {tag: _builder(tag, cls) for tag, cls in _CLASSES.items()}


def _code(data: dict, path: str) -> ir.LazyBody:
    text = data.get("text")
    if not isinstance(text, str):
        raise SerializationError("code without text")
    symbols = data.get("symbols", [])
    depth = data.get("pp_depth", 0)
    if (not isinstance(symbols, list) or not all(isinstance(s, str) for s in symbols)
            or not isinstance(depth, int)):
        raise SerializationError("code with malformed preprocessor state")
    return ir.LazyBody(Span(SourceFile(path, text), 0, len(text)), depth, frozenset(symbols))
