"""The compiled metadata of a package: every object's complete IR,
extension deltas and code included, so that merge and deployment need no
source. One entry per object under `metadata/`, plus an index.

Format 3 (written since issue 15) stores each object as compact rows
(:mod:`alc.ir.compact`: positional fields, equal subtrees once, decoded with
msgspec); formats 1 and 2 stored it as one JSON object per node
(:mod:`alc.ir.serialize`) and are still read: :func:`decode_object` tells
them apart by their first byte. The index is JSON in every format.

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

from ..ir import compact
from ..ir.moved import without_moved_out
from ..budget import BudgetError, check as budget_check, loads as budget_loads
from ..ir.serialize import NestingError, node_hook, to_json
from ..memory import gc_paused
from ..ir.serialize import SerializationError
from .errors import DEFAULT_LIMITS, Limits, PackageError

__all__ = ["metadata_entries", "object_entries", "index_entry", "entry_name", "read_metadata", "INDEX",
           "FORMAT_VERSION", "moves_out", "read_index", "decode_object", "decode_entry", "encode_object"]

INDEX = "metadata/index.json"
FORMAT_VERSION = 3
READABLE_FORMATS = (1, 2, 3)   # 1: the index has no `moved` flags; 3: object entries are compact rows
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def _dumps(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_name(obj, data: Optional[bytes] = None) -> str:
    """`metadata/<kind>/<id>.json`, or a name-based key for kinds without ids.
    An object without id or name (a `dotnet` package) is named by a digest of
    its entry (``data``, or its IR encoded, or the ``entry`` its header
    carries), so that each has an entry of its own.

    >>> from alc import parse_text
    >>> a, b = parse_text("dotnet { assembly(A) { } } dotnet { assembly(B) { } }").objects
    >>> entry_name(a) != entry_name(b), entry_name(a).startswith("metadata/dotnet/dotnet-")
    (True, True)
    """
    if getattr(obj, "id", None) is not None:
        return f"metadata/{obj.kind}/{obj.id}.json"
    if getattr(obj, "name", None):
        name = obj.full_name
        digest = hashlib.sha1(name.casefold().encode("utf-8")).hexdigest()[:8]
        return f"metadata/{obj.kind}/{_UNSAFE.sub('_', name)[:60]}-{digest}.json"
    given = getattr(obj, "entry", None)
    if given is not None and data is None:   # an object header
        return given
    if data is None:
        data = compact.encode(obj)
    name = obj.full_name if getattr(obj, "namespace", None) else obj.kind
    return f"metadata/{obj.kind}/{_UNSAFE.sub('_', name)[:60]}-{hashlib.sha1(data).hexdigest()[:12]}.json"


def encode_object(obj, format: int = FORMAT_VERSION) -> bytes:
    """The bytes of one object's entry: compact rows (format 3), or the JSON of
    formats 1 and 2 (kept for tests of the older readers); NestingError when too deep."""
    return compact.encode(obj) if format >= 3 else _dumps(to_json(obj))


def object_entries(objects: Iterable, refused: Optional[list] = None,
                   format: int = FORMAT_VERSION) -> dict[str, bytes]:
    """One entry per object (deterministic bytes). An object nested too deep
    raises NestingError, or, when ``refused`` is a list, is left out and
    appended to it as (object, error)."""
    entries: dict[str, bytes] = {}
    for obj in objects:
        try:
            data = encode_object(obj, format)
        except NestingError as exc:
            if refused is None:
                raise
            refused.append((obj, exc))
            continue
        name = entry_name(obj, compact.encode(obj) if format < 3 and not getattr(obj, "name", None) else data)
        if name in entries and entries[name] != data:  # two objects with one key (a duplicate the checks reported)
            name = name[:-5] + f"-{len(entries)}.json"
        entries[name] = data
    return entries


def index_entry(objects: Iterable, format: int = FORMAT_VERSION) -> bytes:
    """`metadata/index.json`: kind, id, name, namespace, target and entry of each object
    (anything with those attributes: IR objects or object headers), and
    whether it moves anything out (see :func:`moves_out`)."""
    index = [{"kind": o.kind, "id": getattr(o, "id", None), "name": getattr(o, "name", None),
              "namespace": getattr(o, "namespace", None), "entry": entry_name(o),
              "target": getattr(o, "target", None), "moved": moves_out(o)} for o in objects]
    index.sort(key=lambda e: e["entry"])
    return _dumps({"format": format, "objects": index})


def moves_out(obj) -> bool:
    """Whether the object, or one of its fields, is a stub of what moved to
    another app (`ObsoleteState = Moved`): readers that decode objects on
    demand decode these at once (the merge drops what moved out)."""
    flag = getattr(obj, "moves_out", None)
    if flag is None:  # an IR object, not a header
        flag = without_moved_out(obj) is not obj
    return flag


def metadata_entries(objects: Iterable, format: int = FORMAT_VERSION) -> dict[str, bytes]:
    """Every object's entry plus the index (``format`` 2 writes what alc wrote
    before format 3, for tests of the older readers)."""
    objects = list(objects)
    entries = object_entries(objects, format=format)
    entries[INDEX] = index_entry(objects, format)
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
        # Rows may share an entry (before format 3 alc wrote one entry name for the unnamed dotnet objects of
        # an app: the System Application has 19 rows on one entry), but not many more rows than entries.
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
    data = read(entry["entry"])
    obj = decode_entry(data, entry["entry"], path, limits)
    if ((getattr(obj, "kind", None), getattr(obj, "id", None), getattr(obj, "name", None))
            != (entry["kind"], entry.get("id"), entry.get("name"))):
        raise SerializationError(f"`{entry['entry']}` does not hold the object the index names")
    return obj


def decode_entry(data: bytes, name: str, path: str = "<package>", limits: Limits = DEFAULT_LIMITS):
    """The IR in one object entry of any readable format, within the metadata budget
    (PackageError ALC0425 when over it, SerializationError when malformed)."""
    if not compact.is_compact(data):
        return _loads(data, name, limits, object_hook=node_hook(path))
    budget = limits.metadata_budget()
    if not _surely_within(data, budget):
        _check_budget(data, budget, name)
    try:
        return compact.decode(data, path)
    except SerializationError as exc:
        if str(exc).startswith("not valid JSON"):   # the exact check names what (a lone surrogate, ...)
            _check_budget(data, budget, name)
        raise SerializationError(f"`{name}`: {exc}") from None
    except RecursionError:   # msgspec's own limit on nesting (about a thousand levels)
        _check_budget(data, budget, name)
        raise SerializationError(f"`{name}` nests too deeply") from None


def _surely_within(data: bytes, budget) -> bool:
    """Whether ``data`` is within ``budget`` by bounds that cost a few counts at C speed
    (every bracket and comma counted, those inside strings too): when not, the exact
    :func:`alc.budget.check` decides. Nesting is left to the decoder, which stops
    far below what would exhaust memory or the stack, and so is invalid JSON (a lone
    surrogate): the decoder refuses it, then the exact check says why.

    >>> from alc.budget import JsonBudget
    >>> _surely_within(b'[["Name","a,b"]]', JsonBudget(max_containers=3, max_values=5))
    True
    >>> _surely_within(b'[["Name","[[a"]]', JsonBudget(max_containers=3))
    False
    >>> _surely_within(b'[["Name","a"]]', JsonBudget(max_containers=7, max_values=14))  # too short to be over
    True
    """
    size = len(data)
    if size > budget.max_size:
        return False
    if size // 2 <= budget.max_containers and size <= budget.max_values:
        return True   # each container takes two bytes and each value one at least: nothing to count
    containers = data.count(b"[") + data.count(b"{")
    return containers <= budget.max_containers and containers + data.count(b",") + 1 <= budget.max_values


def _check_budget(data: bytes, budget, name: str) -> None:
    try:
        budget_check(data, budget, f"`{name}`")
    except BudgetError as exc:
        if exc.over_limit:
            raise PackageError("ALC0425", str(exc)) from None
        raise SerializationError(str(exc)) from None


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
