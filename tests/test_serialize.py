"""IR <-> JSON: ``loads`` (the one-pass decoder packages are read with) gives
exactly what ``from_json(json.loads(...))`` gives, and rejects what it rejects."""

import json
import os

import pytest

from alc import parse_text
from alc.ir.serialize import SerializationError, from_json, loads, to_json
from alc.source import SourceFile
from alc.syntax.api import parse_source
from apps import SAMPLES
from golden import cases_in


def _objects():
    for case in cases_in("syntax"):
        if "xfail" not in case.meta:
            yield from parse_text(case.source).unit.objects
    yield from _sample_objects()


def _sample_objects():
    for root, _, files in os.walk(SAMPLES):
        for name in sorted(files):
            if name.endswith(".al"):
                yield from parse_source(SourceFile.read(os.path.join(root, name)), lazy_bodies=True).objects


def _same(a, b) -> bool:
    """Equal, and of the same types all the way down (tuples stay tuples)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if hasattr(type(a), "__attrs_attrs__"):
        return a == b and all(_same(getattr(a, f.name), getattr(b, f.name))
                              for f in type(a).__attrs_attrs__ if f.name != "span")
    return a == b


def test_loads_equals_from_json_on_every_object():
    objects = list(_objects())
    assert len(objects) > 50
    for obj in objects:
        text = json.dumps(to_json(obj), sort_keys=True)
        assert _same(loads(text), from_json(json.loads(text)))


def test_lazily_parsed_objects_come_back_equal():
    for obj in _sample_objects():      # parsed with lazy bodies, as the compiler stores them
        assert loads(json.dumps(to_json(obj))) == obj


def test_top_level_lists_and_nested_lists_become_tuples():
    text = json.dumps([[1, [2]], {"$": "Name", "value": "a"}])
    assert _same(loads(text), from_json(json.loads(text)))


@pytest.mark.parametrize("data", [
    {"$": "Nope"}, {"value": "a"}, {"$": "Code"}, {"$": "Code", "text": "x", "symbols": "A"},
    {"$": "Name"}, {"$": "Property", "name": "A", "value": {"$": "Nope"}},
])
def test_both_reject_the_same_damage(data):
    text = json.dumps(data)
    with pytest.raises(SerializationError):
        from_json(json.loads(text))
    with pytest.raises(SerializationError):
        loads(text)


def test_unknown_keys_are_ignored_by_both():
    text = json.dumps({"$": "Name", "value": "a", "later": 1})
    assert _same(loads(text), from_json(json.loads(text)))
