"""Packages are merged from their metadata index: objects no extension
changes are never decoded, and the result is the same as from decoded IR."""

import json
import os

import pytest

from alc.build.compiler import CompileOptions, compile_project
from alc.merge import App, merge
from alc.merge.load import lazy_objects, load_apps
from alc.merge.model import ObjectStub
from alc.package.container import open_container, write_app
from alc.package.errors import PackageError
from alc.package.reader import read_package

from apps import compile_samples

BASE = """
table 50100 "Lazy Customer"
{
    fields
    {
        field(1; "No."; Code[20]) { }
        field(2; Name; Text[100]) { }
        field(3; "Old Field"; Integer) { ObsoleteState = Moved; MovedTo = '0f3b2c1a-0000-4000-8000-0000000000aa'; }
    }
}

table 50101 "Lazy Moved"
{
    ObsoleteState = Moved;
    MovedTo = '0f3b2c1a-0000-4000-8000-0000000000aa';
    fields { field(1; "No."; Code[20]) { } }
}

table 50102 "Lazy Untouched"
{
    fields { field(1; "No."; Code[20]) { } }
}
"""


def _project(folder, files: dict) -> str:
    os.makedirs(folder, exist_ok=True)
    app = {"id": "0f3b2c1a-0000-4000-8000-000000000077", "name": "Lazy Base", "publisher": "Tests",
           "version": "1.0.0.0", "idRanges": [{"from": 50100, "to": 50199}]}
    with open(os.path.join(folder, "app.json"), "w") as f:
        json.dump(app, f)
    for name, text in files.items():
        with open(os.path.join(folder, name), "w") as f:
            f.write(text)
    return folder


@pytest.fixture(scope="module")
def lazy_base(tmp_path_factory):
    root = tmp_path_factory.mktemp("lazy")
    project = _project(str(root / "base"), {"Tables.al": BASE})
    out = str(root / "base.app")
    result = compile_project(CompileOptions(project=project, out=out, jobs=1))
    assert result.ok, [str(d) for d in result.diagnostics]
    return out


def test_objects_that_move_out_are_decoded_at_once(lazy_base):
    objects = {o.name: o for o in lazy_objects(read_package(lazy_base))}
    assert type(objects["Lazy Untouched"]) is ObjectStub
    assert type(objects["Lazy Customer"]) is not ObjectStub      # a field moved out
    assert type(objects["Lazy Moved"]) is not ObjectStub
    (app,) = load_apps([lazy_base])
    result = merge([app])
    assert [o.name for o in result.objects] == ["Lazy Customer", "Lazy Untouched"]   # the moved table is dropped
    assert [f.name for f in result.find("table", 50100).fields] == ["No.", "Name"]


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    return compile_samples(str(tmp_path_factory.mktemp("cache")))


def test_lazy_merge_equals_eager_merge(packages):
    paths = [packages[k] for k in ("base", "loyalty", "loyalty-rewards", "shipping")]
    lazy = load_apps(paths)
    eager = [App(read_package(p).app, tuple(read_package(p).ir_objects())) for p in paths]
    a, b = merge(lazy), merge(eager)
    assert a.objects == b.objects
    assert [c.to_dict() for c in a.conflicts] == [c.to_dict() for c in b.conflicts]
    # Objects no extension changes stay undecoded until asked for.
    untouched = [o for o in a._objects if type(o) is ObjectStub]
    assert untouched and all(o._loader is not None or o._value is not None for o in untouched)


def test_untouched_objects_are_not_decoded(packages):
    apps = load_apps([packages["base"], packages["loyalty"]])
    result = merge(apps)
    stubs = [o for o in result._objects if type(o) is ObjectStub]
    assert stubs and all(o._value is None for o in stubs)
    assert result.find(stubs[0].kind, stubs[0].id) is stubs[0].load()


def test_index_disagreeing_with_an_entry_is_damaged_metadata(packages, tmp_path):
    container = open_container(packages["base"])
    entries = {n: container.read(n) for n in container.names if n != "[Content_Types].xml"}
    index = json.loads(entries["metadata/index.json"])
    stub = next(e for e in index["objects"] if e["kind"] == "table")
    stub["name"] = "Something Else"
    entries["metadata/index.json"] = json.dumps(index).encode()
    path = str(tmp_path / "damaged.app")
    write_app(path, entries)
    objects = lazy_objects(read_package(path))
    bad = next(o for o in objects if o.name == "Something Else")
    with pytest.raises(PackageError, match="ALC0434|damaged metadata"):
        bad.load()


def test_malformed_index_is_reported_when_loading(packages, tmp_path):
    container = open_container(packages["base"])
    entries = {n: container.read(n) for n in container.names if n != "[Content_Types].xml"}
    entries["metadata/index.json"] = json.dumps({"format": 2, "objects": [{"kind": "table", "id": "x"}]}).encode()
    path = str(tmp_path / "damaged.app")
    write_app(path, entries)
    with pytest.raises(PackageError, match="malformed metadata index"):
        load_apps([path])


def test_check_reports_a_damaged_object_as_unusable_input(packages, tmp_path, capsys):
    from alc.cli import main
    container = open_container(packages["base"])
    entries = {n: container.read(n) for n in container.names if n != "[Content_Types].xml"}
    index = json.loads(entries["metadata/index.json"])
    # The table the loyalty extension extends: its entry is decoded during the merge.
    target = next(e for e in index["objects"] if e["kind"] == "table" and e["id"] == 50000)
    entries[target["entry"]] = b'{"$": "Table", "id": 50000'
    path = str(tmp_path / "damaged.app")
    write_app(path, entries)
    assert main(["check", path, packages["loyalty"]]) == 2
    assert "damaged metadata" in capsys.readouterr().err
