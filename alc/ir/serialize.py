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

from typing import Any

import attrs

from ..source import SourceFile, Span
from . import nodes as ir

__all__ = ["to_json", "from_json", "SerializationError"]


class SerializationError(ValueError):
    """The JSON does not describe alc IR (a damaged or foreign package)."""


def _node_classes() -> dict[str, type]:
    return {name: cls for name, cls in vars(ir).items()
            if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == ir.__name__}


_CLASSES = _node_classes()
_FIELDS = {name: tuple(f for f in attrs.fields(cls) if f.name != "span") for name, cls in _CLASSES.items()}


def to_json(node: Any) -> Any:
    """A JSON-ready value (dicts, lists, str, int, bool, None) for IR ``node``."""
    t = type(node)
    if node is None or t in (str, int, bool, float):
        return node
    if t is tuple or t is list:
        return [to_json(x) for x in node]
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
        out[f.name] = to_json(value)
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
        text = data.get("text")
        if not isinstance(text, str):
            raise SerializationError("code without text")
        symbols = data.get("symbols", [])
        depth = data.get("pp_depth", 0)
        if not isinstance(symbols, list) or not all(isinstance(s, str) for s in symbols) or not isinstance(depth, int):
            raise SerializationError("code with malformed preprocessor state")
        source = SourceFile(path, text)
        return ir.LazyBody(Span(source, 0, len(text)), depth, frozenset(symbols))
    cls = _CLASSES.get(tag) if isinstance(tag, str) else None
    if cls is None:
        raise SerializationError(f"unknown node type {tag!r}")
    kwargs = {}
    for f in _FIELDS[tag]:
        if f.name in data:
            kwargs[f.name] = from_json(data[f.name], path)
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise SerializationError(f"{tag}: {exc}") from None
