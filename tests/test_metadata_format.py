"""Metadata format 3 (issue 15, item 2): compact rows per object, decoded with
the typed guarantees of issue 14; packages of format 2 still read the same;
every object, unnamed dotnet ones included, has an entry of its own."""

from __future__ import annotations

import os

import pytest

from alc import parse_text
from alc.build.compiler import CompileOptions, compile_project
from alc.ir import nodes as ir
from alc.ir.compact import decode, encode
from alc.ir.serialize import MAX_DEPTH, SerializationError, from_json, loads, to_json
from alc.merge import merge
from alc.merge.load import load_apps
from alc.package.container import app_bytes, open_container, CONTENT_TYPES
from alc.package.errors import PackageError
from alc.package.metadata import INDEX, decode_entry, metadata_entries, read_index
from alc.package.reader import read_package
from apps import compile_samples
from hardkit import write_project
from test_serialize import _objects, _same


def test_every_object_round_trips_with_its_types():
    objects = list(_objects())
    assert len(objects) > 50
    for obj in objects:
        data = encode(obj)
        expected = from_json(to_json(obj))   # parsed code bodies come back as their text, as in format 2
        assert _same(decode(data), expected)
        assert _same(loads(data.decode("utf-8")), expected)   # what deploy reads stored entries with
        assert encode(decode(data)) == data                # same IR, same bytes


def test_equal_subtrees_are_written_and_built_once():
    table = parse_text("table 50100 T { fields { " + " ".join(
        f"field({i}; F{i}; Code[20]) {{ DataClassification = CustomerContent; }}" for i in range(1, 200))
        + " } }").objects[0]
    data = encode(table)
    assert data.count(b'["TypeRef","Code"') == 1 and data.count(b'"DataClassification"') == 1
    back = decode(data)
    assert back == table and len({id(f.type) for f in back.fields}) == 1
    assert len(data) * 3 < len(metadata_entries([table], format=2)["metadata/table/50100.json"])


def _deep(levels: int) -> bytes:
    rows = ['["Name","a"]'] + [f'["Unary","not",{i}]' for i in range(levels - 1)]
    return ("[" + ",".join(rows) + "]").encode()


@pytest.mark.parametrize("data, message", [
    (b'[["Name","a"],["Unary","not",2]]', "refers to a row that is not before it"),
    (b'[["Name","a"],["Unary","not",-1]]', "refers to a row that is not before it"),
    (b'[["Nope","a"]]', "unknown node type 'Nope'"),
    (b'[5]', "row 0 is malformed"),
    (b'[]', "metadata without rows"),
    (b'{"$":"Name"}', "metadata without rows"),
    (b'[["Name","a","b"]]', "Name: more fields than it has"),
    (b'[["Name"]]', "Name: missing field 'value'"),
    (b'[["Name","a"],["T",0,[1]]]', "a tuple holds a list or an object"),
    (b'[["Name","a"],["T",0],["Property","P",1]]', "Property: field 'value' has a value of the wrong type (list)"),
    (b'[["Code",5]]', "code without text"),
    (b'[["Code","x","y"]]', "malformed preprocessor state"),
    (b'[["I",true]]', "malformed int row"),
    (_deep(MAX_DEPTH + 1), f"nested more than {MAX_DEPTH} levels deep"),
])
def test_malformed_rows_are_one_error(data, message):
    with pytest.raises(SerializationError) as info:
        decode(data)
    assert message in str(info.value)


def test_a_chain_as_deep_as_allowed_decodes():
    assert isinstance(decode(_deep(MAX_DEPTH)), ir.Unary)


def test_damaged_entries_name_the_entry_and_budgets_still_hold():
    from alc.package.errors import Limits
    with pytest.raises(SerializationError, match=r"^`metadata/table/1.json`: Name: missing field 'value'$"):
        decode_entry(b'[["Name"]]', "metadata/table/1.json")
    rows = b"[" + b",".join(b'["Name","a"]' for _ in range(300)) + b"]"
    assert decode_entry(rows, "x").value == "a"
    with pytest.raises(PackageError) as info:
        decode_entry(rows, "x", limits=Limits(max_metadata_containers=100))
    assert info.value.code == "ALC0425" and "301 arrays and objects, over the limit of 100" in info.value.message
    with pytest.raises(PackageError) as info:   # past msgspec's own nesting limit: the budget's message
        decode_entry(b"[" * 5000 + b"]" * 5000, "x")
    assert info.value.code == "ALC0425" and "5000 levels deep, over the limit of 128" in info.value.message


def _rewritten(path: str, out: str, format: int) -> str:
    """The package at ``path`` with its metadata written again in ``format``."""
    container = open_container(path)
    entries = {n: container.read(n) for n in container.names if n != CONTENT_TYPES}
    objects = [decode_entry(entries[e["entry"]], e["entry"]) for e in read_index(entries[INDEX])]
    kept = {n: d for n, d in entries.items() if not n.startswith("metadata/")}
    kept.update(metadata_entries(objects, format=format))
    with open(out, "wb") as f:
        f.write(app_bytes(kept))
    return out


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    return compile_samples(str(tmp_path_factory.mktemp("samples")))


def test_format_2_packages_read_and_merge_as_before(samples, tmp_path):
    paths = list(samples.values())
    old = [_rewritten(p, str(tmp_path / os.path.basename(p)), 2) for p in paths]
    for new_path, old_path in zip(paths, old):
        assert b'"format":2' in open_container(old_path).read(INDEX)
        assert b'"format":3' in open_container(new_path).read(INDEX)
        assert read_package(old_path).ir_objects() == read_package(new_path).ir_objects()
    now, before = merge(load_apps(paths)), merge(load_apps(old))
    assert [c.to_dict() for c in now.conflicts] == [c.to_dict() for c in before.conflicts]
    assert [str(w) for w in now.warnings] == [str(w) for w in before.warnings]
    assert now.order == before.order


def test_packages_are_deterministic(samples, tmp_path):
    for path in samples.values():
        again = _rewritten(path, str(tmp_path / "again.app"), 3)
        container, other = open_container(path), open_container(again)
        for name in container.names:
            if name.startswith("metadata/"):
                assert container.read(name) == other.read(name), name


DOTNET = """
dotnet
{
    assembly("mscorlib") { type("System.DateTime"; DotNetDateTime) { } }
}
dotnet
{
    assembly("System.Xml") { type("System.Xml.XmlDocument"; DotNetXmlDocument) { } }
}
codeunit 50100 Uses { }
"""


def test_unnamed_dotnet_objects_have_an_entry_each(tmp_path):
    project = write_project(str(tmp_path / "p"), objects=0)
    with open(os.path.join(project, "x.al"), "w", encoding="utf-8") as f:
        f.write(DOTNET)
    out = str(tmp_path / "x.app")
    result = compile_project(CompileOptions(project=project, out=out, jobs=1))
    assert result.ok, [str(d) for d in result.diagnostics]
    package = read_package(out)
    rows = [e for e in package.metadata_index() if e["kind"] == "dotnet"]
    assert len(rows) == 2 and len({e["entry"] for e in rows}) == 2
    assemblies = sorted(package.decode_object(e).assemblies[0].name for e in rows)
    assert assemblies == ["System.Xml", "mscorlib"]
    assert sum(1 for n in package.entries if n.startswith("metadata/dotnet/")) == 2


def test_equal_elements_stay_distinct_nodes():
    """The merge tells the elements of a section apart by identity: equal ones are not shared."""
    page = parse_text("page 50100 P { layout { area(Content) { group(G) { field(A; A) { } } } "
                      "area(Content) { group(G) { field(A; A) { } } } } }").objects[0]
    back = decode(encode(page))
    assert back == page and back.layout[0] is not back.layout[1]
    assert back.layout[0].controls[0] is not back.layout[1].controls[0]
