"""`alc graph`: nodes with name and version, edges with the minimum version, missing apps and
cycles marked; dot, mermaid, json, and svg through Graphviz."""

import json
import os
import shutil
import xml.dom.minidom

import pytest

from alc.cli import main

from apps import SAMPLES, compile_samples


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("cache"))
    compile_samples(folder)
    return folder


def _graph(capsys, *argv):
    code = main(["graph", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _app(folder, name, app_id, deps=(), **extra):
    folder.mkdir(parents=True)
    (folder / "app.json").write_text(json.dumps({
        "id": app_id, "name": name, "publisher": "alc tests", "version": "1.0.0.0",
        "dependencies": [{"id": i, "name": n, "publisher": "alc tests", "version": v} for n, i, v in deps], **extra}))


A, B, C = (f"33333333-0000-4000-8000-00000000000{i}" for i in (1, 2, 3))


def test_json_of_packages(cache, capsys):
    code, out, _ = _graph(capsys, cache, "--format", "json")
    assert code == 0
    g = json.loads(out)
    names = {n["id"]: n["name"] for n in g["nodes"]}
    assert sorted(names.values()) == ["Demo Base", "Demo Loyalty", "Demo Loyalty Rewards", "Demo Shipping"]
    edges = {(names[e["from"]], names[e["to"]], e["min_version"]) for e in g["edges"]}
    assert ("Demo Loyalty Rewards", "Demo Loyalty", "1.0.0.0") in edges
    assert ("Demo Shipping", "Demo Base", "1.0.0.0") in edges
    assert g["cycles"] == [] and not any(n["missing"] for n in g["nodes"])
    assert {n["kind"] for n in g["nodes"]} == {"package"}


def test_missing_dependencies_and_cycles_are_marked(tmp_path, capsys):
    _app(tmp_path / "a", "Alpha", A, deps=[("Beta", B, "2.0.0.0"), ("Nowhere", C, "1.5.0.0")])
    _app(tmp_path / "b", "Beta", B, deps=[("Alpha", A, "1.0.0.0")])
    code, out, _ = _graph(capsys, str(tmp_path), "--format", "json")
    g = json.loads(out)
    missing = [n for n in g["nodes"] if n["missing"]]
    assert [(n["name"], n["kind"], n["version"]) for n in missing] == [("Nowhere", "missing", None)]
    assert sorted(g["cycles"][0]) == sorted([A, B])
    assert {(e["from"], e["to"]): e["cycle"] for e in g["edges"]} == {(A, B): True, (A, C): False, (B, A): True}
    code, dot, _ = _graph(capsys, str(tmp_path), "--format", "dot")
    assert f'"{C}" [label="Nowhere\\n(missing)", style="rounded,dashed", color=red, fontcolor=red];' in dot
    assert f'"{A}" -> "{B}" [label=">= 2.0.0.0", color=red, penwidth=2];' in dot
    code, mermaid, _ = _graph(capsys, str(tmp_path), "--format", "mermaid")
    assert 'n2["Nowhere<br/>(missing)"]:::missing' in mermaid
    assert "linkStyle 0,2 stroke:#c00,stroke-width:2px" in mermaid


def test_application_dependency_points_at_the_application(tmp_path, capsys):
    _app(tmp_path / "base", "Base Application", "437dbf0e-84ff-417a-965d-ed2bb9650972")
    _app(tmp_path / "ext", "Ext", A, application="1.0.0.0")
    g = json.loads(_graph(capsys, str(tmp_path), "--format", "json")[1])
    assert [(e["from"], e["to"]) for e in g["edges"]] == [(A, "437dbf0e-84ff-417a-965d-ed2bb9650972")]
    g = json.loads(_graph(capsys, str(tmp_path / "ext"), "--format", "json")[1])
    assert [n["name"] for n in g["nodes"] if n["missing"]] == ["Application"]


def test_two_versions_of_one_app_show_the_highest_with_a_warning(cache, tmp_path, capsys):
    _app(tmp_path / "loyalty-next", "Demo Loyalty", "7b1c9d44-2e3f-4a5b-8c6d-1e2f3a4b5c62",
         deps=[("Demo Base", "0d3e1f52-7a5c-4c1b-9e8a-6f2b3c4d5e61", "1.0.0.0")])
    (tmp_path / "loyalty-next" / "app.json").write_text(
        (tmp_path / "loyalty-next" / "app.json").read_text().replace('"1.0.0.0", "dep', '"9.0.0.0", "dep'))
    code, out, err = _graph(capsys, os.path.join(cache, "loyalty.app"), str(tmp_path / "loyalty-next"),
                            "--format", "json")
    assert code == 0 and "`Demo Loyalty` is given twice (1.2.0.0 from" in err and "the graph shows 9.0.0.0" in err
    assert [n["version"] for n in json.loads(out)["nodes"] if n["name"] == "Demo Loyalty"] == ["9.0.0.0"]


def test_svg_through_graphviz(tmp_path, capsys):
    if shutil.which("dot") is None and os.environ.get("CI") != "true":   # .ci/run installs Graphviz
        pytest.skip("Graphviz's dot is not installed (apt-get install graphviz)")
    out = tmp_path / "g.svg"
    assert main(["graph", SAMPLES, "--format", "svg", "-o", str(out)]) == 0
    doc = xml.dom.minidom.parse(str(out))
    texts = [t.firstChild.data for t in doc.getElementsByTagName("text") if t.firstChild]
    assert "Demo Loyalty Rewards" in texts and ">= 1.0.0.0" in texts
    assert len([g for g in doc.getElementsByTagName("g") if g.getAttribute("class") == "node"]) == 5


def test_svg_without_graphviz_is_a_clear_message(monkeypatch, capsys):
    monkeypatch.setenv("PATH", "")
    assert main(["graph", SAMPLES, "--format", "svg"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("alc: error: --format svg needs Graphviz's `dot` program on the PATH")


def test_bad_input(tmp_path, capsys):
    assert main(["graph", str(tmp_path / "nope")]) == 2
    assert main(["graph", str(tmp_path)]) == 2
    assert "no projects (app.json) or packages (.app) in" in capsys.readouterr().err


def test_reduce_leaves_out_implied_edges(tmp_path, capsys):
    _app(tmp_path / "a", "Alpha", A)
    _app(tmp_path / "b", "Beta", B, deps=[("Alpha", A, "1.0.0.0")])
    _app(tmp_path / "c", "Gamma", C, deps=[("Beta", B, "1.0.0.0"), ("Alpha", A, "1.0.0.0")])
    full = json.loads(_graph(capsys, str(tmp_path), "--format", "json")[1])
    short = json.loads(_graph(capsys, str(tmp_path), "--format", "json", "--reduce")[1])
    assert len(full["edges"]) == 3
    assert sorted((e["from"], e["to"]) for e in short["edges"]) == sorted([(B, A), (C, B)])
    dot = _graph(capsys, str(tmp_path), "--reduce")[1]
    assert f'"{C}" -> "{B}";' in dot  # no label: it asks for the version Beta has
