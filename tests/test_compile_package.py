"""alc compile end to end: packages are deterministic, carry what the source
declares, and are never written (not even in part) when there are errors."""

import json
import os
import shutil
import zipfile

import pytest

from alc.build.compiler import CompileOptions, compile_project, default_output_name
from alc.cli import main
from alc.package.reader import read_package
from alc.syntax.api import parse_source
from alc.source import SourceFile

from apps import SAMPLES, compile_samples


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("cache"))
    compile_samples(folder)
    return folder


def _compile(project, cache, out, **kw):
    return compile_project(CompileOptions(project=project, package_cache=(cache,), out=str(out), jobs=1, **kw))


def test_building_twice_gives_identical_bytes(cache, tmp_path):
    project = os.path.join(SAMPLES, "loyalty")
    a, b = tmp_path / "a.app", tmp_path / "b.app"
    assert _compile(project, cache, a).ok and _compile(project, cache, b).ok
    assert a.read_bytes() == b.read_bytes()


def test_header_and_entries(cache, tmp_path):
    out = tmp_path / "base.app"
    assert _compile(os.path.join(SAMPLES, "base"), cache, out).ok
    data = out.read_bytes()
    assert data[:4] == b"NAVX" and data[36:40] == b"NAVX"
    assert int.from_bytes(data[4:8], "little") == 40 and int.from_bytes(data[8:12], "little") == 2
    assert int.from_bytes(data[28:36], "little") == len(data) - 40
    with zipfile.ZipFile(out.open("rb")) as z:  # zipfile finds the zip after the header
        names = z.namelist()
    assert names[0] == "NavxManifest.xml" and names[-1] == "[Content_Types].xml"
    assert "SymbolReference.json" in names and "metadata/index.json" in names
    assert "src/src/DemoCustomer.Table.al" in names


def test_package_objects_equal_the_source(cache, tmp_path):
    project = os.path.join(SAMPLES, "loyalty")
    out = tmp_path / "loyalty.app"
    assert _compile(project, cache, out).ok
    source_objects = []
    for root, _, files in os.walk(project):
        for f in sorted(files):
            if f.endswith(".al"):
                source_objects.extend(parse_source(SourceFile.read(os.path.join(root, f)), lazy_bodies=True).objects)
    pkg = read_package(str(out))
    listed = sorted((o["type"], o["id"], o["name"], o["target"]) for o in pkg.objects())
    expected = sorted((o.kind, o.id, o.name, getattr(o, "target", None)) for o in source_objects)
    assert listed == expected
    by_key = {(o.kind, o.id): o for o in pkg.ir_objects()}
    for obj in source_objects:
        assert by_key[(obj.kind, obj.id)] == obj  # the complete IR, code bodies included as text


def test_runtime_package_leaves_out_the_source(cache, tmp_path):
    project = os.path.join(SAMPLES, "base")
    out = tmp_path / "rt.app"
    assert _compile(project, cache, out, runtime=True).ok
    pkg = read_package(str(out))
    assert pkg.runtime_package and not pkg.has_source and pkg.has_metadata
    out2 = tmp_path / "rt-src.app"
    assert _compile(project, cache, out2, runtime=True, include_source=True).ok
    assert read_package(str(out2)).has_source


def test_license_restricts_runtime_packages(cache, tmp_path):
    lic = tmp_path / "license.json"
    lic.write_text(json.dumps({"ranges": [{"from": 50000, "to": 50001}]}))
    out = tmp_path / "x.app"
    result = _compile(os.path.join(SAMPLES, "base"), cache, out, runtime=True, license=str(lic))
    assert {d.code for d in result.diagnostics if d.is_error} == {"ALC0451"}
    assert not out.exists()
    lic.write_text(json.dumps({"ranges": [{"from": 50000, "to": 50099}]}))
    assert _compile(os.path.join(SAMPLES, "base"), cache, out, runtime=True, license=str(lic)).ok


def test_errors_write_no_package_and_exit_1(cache, tmp_path, capsys):
    project = tmp_path / "broken"
    shutil.copytree(os.path.join(SAMPLES, "hello"), project)
    (project / "Broken.Codeunit.al").write_text("codeunit 50101 Broken { procedure X() begin if then; end; }")
    out = tmp_path / "broken.app"
    code = main(["compile", "--project", str(project), "--packagecachepath", cache, "--out", str(out)])
    assert code == 1 and not out.exists()
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
    assert "error ALC0101" in capsys.readouterr().out


def test_bad_app_json_exits_2(tmp_path, capsys):
    (tmp_path / "app.json").write_text('{"id": "not-a-guid", "name": "X", "publisher": "P", "version": "1.0.0.0"}')
    assert main(["compile", "--project", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert "app.json" in out and "`id`" in out


def test_missing_project_exits_2(tmp_path, capsys):
    assert main(["compile", "--project", str(tmp_path / "nope")]) == 2
    assert "no such project folder" in capsys.readouterr().err


def test_default_output_name_and_alc_exe_switches(cache, tmp_path, monkeypatch):
    project = tmp_path / "hello"
    shutil.copytree(os.path.join(SAMPLES, "hello"), project)
    assert main(["compile", f"/project:{project}", f"/packagecachepath:{cache}"]) == 0
    assert (project / "alc samples_Hello alc_1.0.0.0.app").exists()


def test_errorlog_is_sarif(cache, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(os.path.join(SAMPLES, "hello"), project)
    (project / "Bad.al").write_text("codeunit 50102 Bad { var x: Record \"Nope\"; }")
    log = tmp_path / "log.sarif"
    main(["compile", "--project", str(project), "--packagecachepath", cache, "--errorlog", str(log)])
    sarif = json.loads(log.read_text())
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert results and results[0]["ruleId"].startswith("ALC")
    assert results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 1


def test_extensions_naming_their_target_by_id(cache, tmp_path):
    """`extends 50000`: compiled against the target, written to the symbols by the target's name, and
    merged by `alc check`/`alc merged` into the object with that id."""
    project = tmp_path / "byid"
    project.mkdir()
    (project / "app.json").write_text(json.dumps({
        "id": "11111111-0000-4000-8000-0000000000b1", "name": "By Id", "publisher": "alc tests",
        "version": "1.0.0.0", "idRanges": [{"from": 60900, "to": 60909}],
        "dependencies": [{"id": "0d3e1f52-7a5c-4c1b-9e8a-6f2b3c4d5e61", "name": "Demo Base",
                          "publisher": "alc samples", "version": "1.0.0.0"}]}))
    (project / "Ext.al").write_text("""
tableextension 60900 "By Id Customer" extends 50000
{
    fields { field(60900; "By Id Points"; Integer) { } }
}
pageextension 60900 "By Id Card" extends 50000
{
    layout { addlast(General) { field("By Id Points"; Rec."By Id Points") { } } }
}
""")
    out = tmp_path / "byid.app"
    result = _compile(str(project), cache, out)
    assert result.ok, [str(d) for d in result.diagnostics]
    symbols = read_package(str(out)).symbols
    assert [e.target for e in symbols.table_extensions + symbols.page_extensions] == \
        ["Demo Customer", "Demo Customer Card"]
    from alc.merge import merge
    from alc.merge.load import load_apps
    merged = merge(load_apps([os.path.join(cache, "base.app"), str(out)]))
    assert merged.conflicts == () and merged.warnings == ()
    assert "By Id Points" in [f.name for f in merged.find("table", 50000).fields]
