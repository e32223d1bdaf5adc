"""The compiled metadata of a package: every object's complete IR as JSON,
extension deltas and code included, so that merge and deployment need no
source. One entry per object under `metadata/`, plus an index.

>>> from alc import parse_text
>>> objs = parse_text("table 50100 T { } codeunit 50100 C { }").objects
>>> sorted(metadata_entries(objs))
['metadata/codeunit/50100.json', 'metadata/index.json', 'metadata/table/50100.json']
>>> entries = metadata_entries(objs)
>>> read_metadata(entries.__getitem__, entries[INDEX]) == sorted(objs, key=entry_name)
True
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Callable, Iterable, Optional

from ..ir.moved import without_moved_out
from ..budget import BudgetError, loads as budget_loads
from ..ir.serialize import NestingError, node_hook, to_json
from ..memory import gc_paused
from .errors import DEFAULT_LIMITS, Limits, PackageError

__all__ = ["metadata_entries", "object_entries", "index_entry", "entry_name", "read_metadata", "INDEX",
           "FORMAT_VERSION", "moves_out", "read_index", "decode_object"]

INDEX = "metadata/index.json"
FORMAT_VERSION = 2
READABLE_FORMATS = (1, 2)   # 1: the index has no `moved` flags
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def _dumps(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_name(obj) -> str:
    """`metadata/<kind>/<id>.json`, or a name-based key for kinds without ids."""
    if getattr(obj, "id", None) is not None:
        return f"metadata/{obj.kind}/{obj.id}.json"
    name = obj.full_name if getattr(obj, "name", None) else obj.kind
    digest = hashlib.sha1(name.casefold().encode("utf-8")).hexdigest()[:8]
    return f"metadata/{obj.kind}/{_UNSAFE.sub('_', name)[:60]}-{digest}.json"


def object_entries(objects: Iterable, refused: Optional[list] = None) -> dict[str, bytes]:
    """One entry per object (deterministic bytes: sorted keys, no spaces).
    An object nested too deep raises NestingError, or, when ``refused`` is a
    list, is left out and appended to it as (object, error)."""
    entries: dict[str, bytes] = {}
    for obj in objects:
        try:
            data = _dumps(to_json(obj))
        except NestingError as exc:
            if refused is None:
                raise
            refused.append((obj, exc))
            continue
        name = entry_name(obj)
        if name in entries:  # two objects with one key (a duplicate the checks reported)
            name = name[:-5] + f"-{len(entries)}.json"
        entries[name] = data
    return entries


def index_entry(objects: Iterable) -> bytes:
    """`metadata/index.json`: kind, id, name, namespace, target and entry of each object
    (anything with those attributes: IR objects or object headers), and
    whether it moves anything out (see :func:`moves_out`)."""
    index = [{"kind": o.kind, "id": getattr(o, "id", None), "name": getattr(o, "name", None),
              "namespace": getattr(o, "namespace", None), "entry": entry_name(o),
              "target": getattr(o, "target", None), "moved": moves_out(o)} for o in objects]
    index.sort(key=lambda e: e["entry"])
    return _dumps({"format": FORMAT_VERSION, "objects": index})


def moves_out(obj) -> bool:
    """Whether the object, or one of its fields, is a stub of what moved to
    another app (`ObsoleteState = Moved`): readers that decode objects on
    demand decode these at once (the merge drops what moved out)."""
    flag = getattr(obj, "moves_out", None)
    if flag is None:  # an IR object, not a header
        flag = without_moved_out(obj) is not obj
    return flag


def metadata_entries(objects: Iterable) -> dict[str, bytes]:
    """Every object's entry plus the index."""
    objects = list(objects)
    entries = object_entries(objects)
    entries[INDEX] = index_entry(objects)
    return entries


def read_index(index_bytes: bytes, limits: Limits = DEFAULT_LIMITS, entry_count: Optional[int] = None) -> list:
    """The entries of `metadata/index.json`; SerializationError when malformed
    or with more rows than ``entry_count`` (PackageError ALC0425 when over the budget)."""
    from ..ir.serialize import SerializationError
    index = _loads(index_bytes, INDEX, limits)
    if (not isinstance(index, dict) or index.get("format") not in READABLE_FORMATS
            or not isinstance(index.get("objects"), list)):
        raise SerializationError("unknown metadata format")
    for e in index["objects"]:
        if not (isinstance(e, dict) and isinstance(e.get("entry"), str) and isinstance(e.get("kind"), str)
                and type(e.get("id")) in (int, type(None)) and type(e.get("moved")) in (bool, type(None))
                and all(type(e.get(k)) in (str, type(None)) for k in ("name", "namespace", "target"))):
            raise SerializationError("malformed metadata index")
    if entry_count is not None and len(index["objects"]) > 2 * entry_count:
        # Rows may share an entry (alc writes one entry name for the unnamed dotnet objects of an app: the
        # System Application has 19 rows on one entry), but not many more rows than entries.
        raise SerializationError(f"the index has {len(index['objects'])} rows for {entry_count} object entries")
    return index["objects"]


def _loads(data: bytes, what: str, limits: Limits, **kwargs):
    """JSON within the metadata budget: PackageError ALC0425 when over it, SerializationError when invalid."""
    from ..ir.serialize import SerializationError
    try:
        return budget_loads(data, limits.metadata_budget(), f"`{what}`", **kwargs)
    except BudgetError as exc:
        if exc.over_limit:
            raise PackageError("ALC0425", str(exc)) from None
        raise SerializationError(str(exc)) from None


def decode_object(read: Callable[[str], bytes], entry: dict, path: str = "<package>",
                  limits: Limits = DEFAULT_LIMITS):
    """The IR of the object an index entry names; SerializationError when
    its metadata entry holds something else, PackageError ALC0425 when over the budget."""
    from ..ir.serialize import SerializationError
    data = read(entry["entry"])
    obj = _loads(data, entry["entry"], limits, object_hook=node_hook(path))
    if ((getattr(obj, "kind", None), getattr(obj, "id", None), getattr(obj, "name", None))
            != (entry["kind"], entry.get("id"), entry.get("name"))):
        raise SerializationError(f"`{entry['entry']}` does not hold the object the index names")
    return obj


def read_metadata(read: Callable[[str], bytes], index_bytes: bytes, path: str = "<package>",
                  limits: Limits = DEFAULT_LIMITS) -> list:
    """The IR objects of a package, given a function reading its entries."""
    entries = read_index(index_bytes, limits)
    decoded: dict = {}
    # Every node built here lives as long as the package's IR: collections
    # while building would only walk the growing tree again and again.
    with gc_paused():
        return [decoded.setdefault(e["entry"], decode_object(read, e, path, limits)) if e["entry"] not in decoded
                else decoded[e["entry"]] for e in entries]
