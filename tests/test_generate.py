"""`alc generate`: determinism, counts, the dependency DAG, zero parse
diagnostics, and conflicts that are exactly the planned ones."""

import hashlib
import json
import os

import attrs
import pytest

from alc import parse_source
from alc.cli import main
from alc.generate import MANIFEST, Options, generate
from alc.ir import nodes as ir
from alc.source import SourceFile

SMALL = Options(tables=14, pages=20, codeunits=8, extensions=9, deltas=12, depth=3, conflict_rate=0.3, seed=11)


def tree_hashes(root):
    out = {}
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, root)] = hashlib.sha256(f.read()).hexdigest()
    return out


def al_files(root):
    return sorted(p for p in tree_hashes(root) if p.endswith(".al"))


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """The SMALL graph, generated and parsed once: (root, manifest, {app: [(path, object)]})."""
    root = str(tmp_path_factory.mktemp("gen"))
    manifest = generate(root, SMALL)
    objects = {}
    for rel in al_files(root):
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            result = parse_source(SourceFile(rel, f.read()))
        assert result.diagnostics == [], (rel, [d.message for d in result.diagnostics])
        assert len(result.objects) == 1, rel
        objects.setdefault(rel.split(os.sep)[0], []).append((rel, result.objects[0]))
    return root, manifest, objects


def apps_by_key(manifest):
    return {a["key"]: a for a in manifest["apps"]}


def ancestors(manifest, key):
    apps, seen, todo = apps_by_key(manifest), set(), list(apps_by_key(manifest)[key]["depends_on"])
    while todo:
        k = todo.pop()
        if k not in seen:
            seen.add(k)
            todo += apps[k]["depends_on"]
    return seen


def unrelated(manifest, a, b):
    return a not in ancestors(manifest, b) and b not in ancestors(manifest, a)


# ------------------------------------------------------------ determinism --

def test_same_seed_gives_the_same_bytes(tmp_path):
    opts = Options(tables=8, pages=10, codeunits=5, extensions=4, deltas=6, conflict_rate=0.3, seed=3)
    generate(str(tmp_path / "a"), opts)
    generate(str(tmp_path / "b"), opts)
    a, b = tree_hashes(tmp_path / "a"), tree_hashes(tmp_path / "b")
    assert a == b and len(a) > 20
    generate(str(tmp_path / "c"), attrs.evolve(opts, seed=4))
    assert tree_hashes(tmp_path / "c") != a


def test_files_use_lf_and_no_timestamps(tree):
    root, manifest, _ = tree
    for rel in al_files(root)[:50] + [MANIFEST]:
        with open(os.path.join(root, rel), "rb") as f:
            data = f.read()
        assert b"\r" not in data and data.endswith(b"\n")
    assert "time" not in json.dumps(manifest["totals"])


# ----------------------------------------------------------------- counts --

def test_counts_honour_the_arguments(tree):
    root, manifest, objects = tree
    base = apps_by_key(manifest)["base"]
    assert base["objects"] == {"codeunit": SMALL.codeunits, "enum": SMALL.enum_count, "page": SMALL.pages,
                               "table": SMALL.tables}
    exts = [a for a in manifest["apps"] if a["key"] != "base"]
    assert [a["key"] for a in exts] == [f"ext{i:03d}" for i in range(1, SMALL.extensions + 1)]
    assert all(a["deltas"] == SMALL.deltas for a in exts)
    assert manifest["totals"]["objects"] == sum(len(v) for v in objects.values())
    for app in manifest["apps"]:
        kinds = {}
        for _, obj in objects[app["key"]]:
            kinds[obj.kind] = kinds.get(obj.kind, 0) + 1
        assert kinds == app["objects"]


def _delta_count(members) -> int:
    """A new member or a move is one delta; `modify` counts its properties, `add*` what it adds."""
    count = 0
    for m in members:
        if not isinstance(m, ir.Change) or m.op.startswith("move"):
            count += 1
        else:
            count += len(m.properties) if m.op == "modify" else len(m.members)
    return count


def test_deltas_in_the_files_match_the_manifest(tree):
    _, manifest, objects = tree
    for app in manifest["apps"][1:]:
        count = 0
        for rel, obj in objects[app["key"]]:
            members = {"tableextension": "fields", "pageextension": "layout", "enumextension": "values"}
            if obj.kind in members:
                count += _delta_count(getattr(obj, members[obj.kind]))
            if obj.kind == "pageextension":
                count += _delta_count(obj.actions)
                for section in (obj.layout, obj.actions):
                    blocks = [(m.op, m.anchor) for m in section if not m.op.startswith("move")]
                    assert len(blocks) == len(set(blocks)), rel     # one block per anchor and per modified name
        assert count == app["deltas"], app["key"]


# -------------------------------------------------------------------- DAG --

@pytest.mark.parametrize("depth", [1, 2, 4])
def test_dependency_dag_respects_depth(tmp_path, depth):
    manifest = generate(str(tmp_path), Options(tables=6, pages=6, codeunits=3, extensions=25, deltas=2,
                                               depth=depth, conflict_rate=0.0, seed=depth))
    apps = apps_by_key(manifest)
    order = [a["key"] for a in manifest["apps"]]
    for app in manifest["apps"][1:]:
        assert app["depends_on"][0] == "base"
        deps = app["depends_on"][1:]
        assert all(order.index(d) < order.index(app["key"]) for d in deps)   # acyclic: only earlier apps
        assert app["depth"] == 1 + max((apps[d]["depth"] for d in deps), default=0)
        assert app["depth"] <= depth
        with open(tmp_path / app["key"] / "app.json") as f:
            app_json = json.load(f)
        assert [d["id"] for d in app_json["dependencies"]] == [apps[d]["id"] for d in app["depends_on"]]
    if depth == 1:
        assert manifest["totals"]["max_depth"] == 1
    else:
        assert manifest["totals"]["max_depth"] >= 2


# -------------------------------------------------------------- validity --

def test_every_file_parses_without_diagnostics(tree):
    _, _, objects = tree           # the fixture asserts no diagnostics and one object per file
    assert {k for k in objects} == {"base"} | {f"ext{i:03d}" for i in range(1, SMALL.extensions + 1)}


def test_object_field_and_value_ids_inside_id_ranges(tree):
    _, manifest, objects = tree
    for app in manifest["apps"]:
        ranges = app["id_ranges"]
        inside = lambda n: any(lo <= n <= hi for lo, hi in ranges)  # noqa: E731
        for rel, obj in objects[app["key"]]:
            assert inside(obj.id), rel
            if obj.kind == "tableextension":
                assert all(inside(f.id) for f in obj.fields if isinstance(f, ir.TableField)), rel
            if obj.kind == "enumextension":
                assert all(inside(v.id) for v in obj.values), rel


def test_names_are_short_and_unique(tree):
    _, _, objects = tree
    seen = set()
    for app, objs in objects.items():
        for rel, obj in objs:
            assert len(obj.name) <= 30, obj.name
            key = (obj.kind, obj.name.casefold())
            assert key not in seen, key
            seen.add(key)
    for rel, obj in objects["base"]:
        if obj.kind == "table":
            assert all(len(f.name) <= 30 for f in obj.fields)


def _base_index(objects):
    return {(o.kind, o.name.casefold()): o for _, o in objects["base"]}


def _layout_names(controls):
    for c in controls:
        yield c.name.casefold()
        yield from _layout_names(c.controls)


def _action_names(actions):
    for a in actions:
        yield a.name.casefold()
        yield from _action_names(a.actions)


def test_extensions_anchor_on_real_members(tree):
    """Every anchor, modified field or control and extended enum exists in the
    base or was added by a dependency: what the compiler will check."""
    _, manifest, objects = tree
    base = _base_index(objects)
    added: dict = {}              # (app, page) -> control and action names it added
    for app in manifest["apps"][1:]:
        deps = app["depends_on"][1:]
        for rel, obj in objects[app["key"]]:
            if obj.kind == "tableextension":
                table = base[("table", obj.target.casefold())]
                names = {f.name.casefold() for f in table.fields}
                for m in obj.fields:
                    if isinstance(m, ir.Change):
                        assert m.op == "modify" and m.anchor.casefold() in names, (rel, m.anchor)
                    else:
                        assert m.name.casefold() not in names, (rel, m.name)
            elif obj.kind == "enumextension":
                enum = base[("enum", obj.target.casefold())]
                assert enum.get_property("Extensible").value.single.value is True
            elif obj.kind == "pageextension":
                page = base[("page", obj.target.casefold())]
                known = set(_layout_names(page.layout)) | set(_action_names(page.actions))
                for d in deps:
                    known |= added.get((d, obj.target.casefold()), set())
                mine = added.setdefault((app["key"], obj.target.casefold()), set())
                for change in obj.layout + obj.actions:
                    assert change.anchor.casefold() in known | mine, (rel, change.op, change.anchor)
                    for t in change.targets:
                        assert t.casefold() in known, (rel, t)
                    for m in change.members:
                        assert m.name.casefold() not in known | mine, (rel, m.name)
                        mine.add(m.name.casefold())


def test_subscribers_reference_real_publishers(tree):
    _, manifest, objects = tree
    publishers = {}               # (app, codeunit) -> integration event names
    for app, objs in objects.items():
        for _, obj in objs:
            if obj.kind == "codeunit":
                publishers[(app, obj.name.casefold())] = {
                    p.name for p in obj.procedures if p.attribute("IntegrationEvent")}
    count = 0
    for app in manifest["apps"]:
        visible = [app["key"]] + app["depends_on"]
        for rel, obj in objects[app["key"]]:
            for proc in getattr(obj, "procedures", ()):
                sub = proc.attribute("EventSubscriber")
                if sub is None or sub.arguments[0].name != "Codeunit":
                    continue
                codeunit, event = sub.arguments[1].name.casefold(), sub.arguments[2].value
                assert any(event in publishers.get((k, codeunit), ()) for k in visible), (rel, codeunit, event)
                count += 1
    assert count > 5


# -------------------------------------------------------------- conflicts --

def test_manifest_lists_conflicts_between_unrelated_apps(tree):
    root, manifest, _ = tree
    conflicts = manifest["conflicts"]
    expected = round(SMALL.conflict_rate * SMALL.extensions * SMALL.deltas / 2)
    assert 0 < len(conflicts) <= expected
    assert {c["kind"] for c in conflicts} >= {"property", "field_name"}
    for c in conflicts:
        a, b = c["apps"]
        assert unrelated(manifest, a, b)
        assert c["values"][0] != c["values"][1] or c["kind"] == "field_name"
        for app, path, value in zip(c["apps"], c["files"], c["values"]):
            assert path.startswith(app + "/")
            with open(os.path.join(root, path), encoding="utf-8") as f:
                text = f.read()
            assert value in text and (c["member"] in text)
            if c["number"] is not None:
                assert f"({c['number']};" in text


def _collision_keys(objects, app):
    """What an app adds or sets that another app must not add or set too."""
    keys = set()
    for _, obj in objects[app]:
        target = obj.target.casefold() if obj.is_extension else None
        if obj.kind == "tableextension":
            for m in obj.fields:
                if isinstance(m, ir.Change):
                    keys |= {("table", target, m.anchor.casefold(), p.name.casefold()) for p in m.properties}
                else:
                    keys |= {("field_name", target, m.name.casefold()), ("field_id", target, m.id)}
        elif obj.kind == "pageextension":
            for m in obj.layout + obj.actions:
                if m.op == "modify":
                    keys |= {("page", target, m.anchor.casefold(), p.name.casefold()) for p in m.properties}
        elif obj.kind == "enumextension":
            keys |= {("enum_ordinal", target, v.id) for v in obj.values}
    return keys


def _planned_key(c):
    obj = c["object"].casefold()
    if c["kind"] == "property":
        return (c["object_type"], obj, c["member"].casefold(), c["property"].casefold())
    if c["kind"] == "field_name":
        return ("field_name", obj, c["member"].casefold())
    return (c["kind"], obj, c["number"])


def test_collisions_are_exactly_the_planned_conflicts(tree):
    _, manifest, objects = tree
    keys = {a["key"]: _collision_keys(objects, a["key"]) for a in manifest["apps"][1:]}
    found = set()
    apps = sorted(keys)
    for i, a in enumerate(apps):
        for b in apps[i + 1:]:
            if unrelated(manifest, a, b):
                found |= {(a, b, k) for k in keys[a] & keys[b]}
    planned = {(*c["apps"], _planned_key(c)) for c in manifest["conflicts"]}
    assert found == planned


def test_no_conflicts_at_rate_zero(tmp_path):
    manifest = generate(str(tmp_path), Options(tables=5, pages=5, codeunits=2, extensions=6, deltas=5,
                                               conflict_rate=0.0, seed=2))
    assert manifest["conflicts"] == [] and manifest["totals"]["conflicts"] == 0


# -------------------------------------------------------------------- CLI --

def test_cli_generate(tmp_path, capsys):
    out = str(tmp_path / "g")
    args = ["generate", out, "--tables", "4", "--pages", "4", "--codeunits", "2", "--extensions", "2",
            "--deltas", "3", "--depth", "2", "--conflict-rate", "0.5", "--seed", "9"]
    assert main(args) == 0
    assert "objects:" in capsys.readouterr().out
    first = tree_hashes(out)
    assert main(args) == 2                          # refuses to write over an earlier run
    assert "not empty" in capsys.readouterr().err
    assert main(args + ["--force"]) == 0
    assert tree_hashes(out) == first
    assert main(["generate", out, "--depth", "0", "--force"]) == 2


def test_workers_write_the_same_files(tmp_path, monkeypatch):
    import alc.generate.base as base
    monkeypatch.setattr(base, "PARALLEL_MIN_OBJECTS", 0)
    opts = Options(tables=9, pages=12, codeunits=6, extensions=3, deltas=5, conflict_rate=0.3, seed=5)
    one = generate(str(tmp_path / "one"), opts, jobs=1)
    two = generate(str(tmp_path / "two"), opts, jobs=2)
    assert one == two
    assert tree_hashes(tmp_path / "one") == tree_hashes(tmp_path / "two")


def test_every_generated_app_compiles_without_errors(tree, tmp_path):
    """The base, then each extension after its dependencies, against one package cache."""
    from alc.build.compiler import CompileOptions, compile_project
    root, manifest, _ = tree
    cache = tmp_path / "cache"
    cache.mkdir()
    apps = apps_by_key(manifest)
    done: set = set()

    def build(key: str) -> None:
        if key in done:
            return
        for dep in apps[key]["depends_on"]:
            build(dep)
        result = compile_project(CompileOptions(project=os.path.join(root, apps[key]["path"]),
                                                package_cache=(str(cache),), out=str(cache / f"{key}.app"), jobs=1))
        assert result.ok and not [d for d in result.diagnostics if d.is_error], \
            (key, [str(d) for d in result.diagnostics][:5])
        done.add(key)

    for key in apps:
        build(key)
    assert len(done) == len(manifest["apps"])
