"""The metadata decoder's compiled accelerator (alc/ir/_compact_accel.pyx) against
its pure-Python twin (alc.ir.compact._build_rows): the same rows give the same IR
(the same types all the way down, the same subtrees shared) or the same error.

Where the accelerator is not built (no C compiler at install time) the decoder
runs in pure Python and the comparisons have nothing to compare: they are
skipped, except in CI (CI=true), where the accelerator must be built.
"""

from __future__ import annotations

import gc
import json
import os
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from alc.ir import compact
from alc.ir.serialize import MAX_DEPTH, SerializationError
from test_serialize import _objects, _same

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
OBJECTS = [o for o in _objects()]


def _accel():
    accel = compact.accelerator()
    if accel is None:
        if IN_CI:
            pytest.fail("the metadata decoder's compiled accelerator is not built in CI (or ALC_PURE_PYTHON is set)")
        pytest.skip("the metadata decoder's compiled accelerator is not built here")
    return accel


def _outcome(data: bytes, accelerated: bool):
    try:
        return "ok", compact.decode(data, "x.app", accelerated=accelerated)
    except SerializationError as exc:
        return "error", str(exc)


def _sharing(node) -> list:
    """For each node and tuple met walking ``node``, the index of its first meeting:
    equal lists mean the same subtrees are shared (one object) in both."""
    seen: dict = {}
    out: list = []

    def walk(x):
        if type(x) is tuple or hasattr(type(x), "__attrs_attrs__"):
            out.append(seen.setdefault(id(x), len(seen)))
            items = x if type(x) is tuple else [getattr(x, f.name) for f in type(x).__attrs_attrs__]
            for y in items:
                walk(y)

    walk(node)
    return out


def test_every_object_decodes_the_same_both_ways():
    _accel()
    assert len(OBJECTS) > 50
    for obj in OBJECTS:
        data = compact.encode(obj)
        fast = compact.decode(data, "x.app", accelerated=True)
        pure = compact.decode(data, "x.app", accelerated=False)
        assert _same(fast, pure), obj
        assert not gc.is_tracked(fast)   # built by the accelerator, not decoded again in Python
        assert _sharing(fast) == _sharing(pure)
        assert compact.encode(fast) == data
        bodies = [(b.span.source.path, b.text, b.pp_depth, b.symbols) for b in _bodies(fast)]
        assert bodies == [(b.span.source.path, b.text, b.pp_depth, b.symbols) for b in _bodies(pure)]


def _bodies(node) -> list:
    from alc.ir import nodes as ir
    from alc.ir.visit import walk
    return [getattr(n, "body") for n in walk(node) if type(getattr(n, "body", None)) is ir.LazyBody]


def _deep(levels: int) -> bytes:
    rows = ['["Name","a"]'] + [f'["Unary","not",{i}]' for i in range(levels - 1)]
    return ("[" + ",".join(rows) + "]").encode()


MALFORMED = [
    b'[["Name","a"],["Unary","not",2]]', b'[["Name","a"],["Unary","not",-1]]', b'[["Nope","a"]]', b'[5]',
    b'[["Name","a","b"]]', b'[["Name"]]', b'[["Name","a"],["T",0,[1]]]', b'[["Name","a"],["T",0,{}]]',
    b'[["Name","a"],["T",0],["Property","P",1]]', b'[["Code",5]]', b'[["Code","x","y"]]', b'[["Code"]]',
    b'[["Code","x",0,5]]', b'[["I",true]]', b'[["I"]]', b'[["I",1,2]]', b'[["Name",true]]', b'[["Name",null]]',
    b'[["Name","a"],["Unary","not",99999999999999999999999]]', b'[["Name","a"],["T",-1]]', b'[["Name","a"],["T",7]]',
    b'[["Name","a"],["Unary","not",true]]', b'[["Name","a"],["Unary",0,0]]', b'[[["Name"]]]', b'[[]]', b'[[null]]',
    b'[["Name","a"],["T",0,1]]', b'[["T","a"],["Values",0]]', b'[["Name","a"],"Name"]', b'[{"$":"Name"}]',
    b'[["Literal","string","x"],["T",0],["TypeRef","Code",null,0,false,1]]', b'[["TableField","1","A"]]',
    _deep(MAX_DEPTH + 1), b'[["Name","a"],["T",0],["T",1],["Values",2]]', b'[["Code","x",1]]',
    b'[["Code","x",2,"A","B"]]', b'[["Code","x",true]]', b'[["Code","x",1,2]]', b'[["Code",null]]',
]


@pytest.mark.parametrize("data", MALFORMED)
def test_malformed_rows_fail_alike_both_ways(data):
    _accel()
    fast, pure = _outcome(data, True), _outcome(data, False)
    assert fast[0] == pure[0] and (fast[1] == pure[1] if fast[0] == "error" else _same(fast[1], pure[1]))


def test_a_chain_as_deep_as_allowed_decodes_both_ways():
    _accel()
    assert _same(compact.decode(_deep(MAX_DEPTH), accelerated=True), compact.decode(_deep(MAX_DEPTH), accelerated=False))


_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 40), st.text(max_size=3), st.floats(allow_nan=False),
                    st.just([]), st.just({}), st.just(["T"]), st.just(2 ** 70))
_SEEDS = [json.loads(compact.encode(o)) for o in OBJECTS[:40]]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(range(len(_SEEDS))), st.lists(st.tuples(st.integers(0, 10 ** 6), st.integers(0, 40), _VALUES),
                                                    min_size=1, max_size=4))
def test_damaged_rows_give_the_same_outcome_both_ways(seed, damages):
    """Valid rows with values replaced at random (row numbers, types, shapes): the same IR or the same error."""
    _accel()
    rows = json.loads(json.dumps(_SEEDS[seed]))
    for at, field, value in damages:
        row = rows[at % len(rows)]
        if type(row) is list and row:
            row[field % len(row)] = value
    data = json.dumps(rows).encode()
    fast, pure = _outcome(data, True), _outcome(data, False)
    assert fast[0] == pure[0], (fast, pure)
    assert fast[1] == pure[1] if fast[0] == "error" else _same(fast[1], pure[1]) and _sharing(fast[1]) == _sharing(pure[1])


def test_accelerated_nodes_are_left_to_reference_counting():
    """The IR is a tree of frozen nodes: the accelerator untracks what it builds from the cyclic
    collector (nothing for it to find), and the nodes are still freed when no longer used."""
    _accel()
    data = compact.encode(OBJECTS[0])
    fast, pure = compact.decode(data, accelerated=True), compact.decode(data, accelerated=False)
    assert not gc.is_tracked(fast) and gc.is_tracked(pure)
    tracemalloc.start()
    try:
        compact.decode(data, accelerated=True)
        base = tracemalloc.get_traced_memory()[0]
        for _ in range(300):
            compact.decode(data, accelerated=True)
        assert tracemalloc.get_traced_memory()[0] - base < 64 * 1024
    finally:
        tracemalloc.stop()


def test_pure_python_when_asked(monkeypatch):
    monkeypatch.setenv(compact.PURE_PYTHON_ENV, "1")
    assert compact.accelerator() is None
    data = compact.encode(OBJECTS[0])
    assert gc.is_tracked(compact.decode(data))   # built in Python
    with pytest.raises(RuntimeError):
        compact.decode(data, accelerated=True)
