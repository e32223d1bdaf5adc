"""`alc unpack`: a package with source back into a project; compile, unpack,
compile gives identical bytes; packages without source are refused."""

import json
import os

import pytest

from alc.appmodel import AppManifest, Version
from alc.cli import main
from alc.build.compiler import CompileOptions, compile_project
from alc.package.manifest import NavxManifest
from alc.package.reader import read_package
from alc.package.writer import write_package
from alc.package.symbols import Codeunit, SymbolReference
from alc.package.unpack import app_json_of
from alc.build.project import parse_app_json

from apps import SAMPLES, compile_samples
from test_layouts import make_project as layout_project
from test_xliff import _project as xliff_project

FULL_APP = {
    "id": "5a1b2c3d-0000-4000-8000-00000000cc01", "name": "Full Demo", "publisher": "alc tests",
    "version": "2.3.4.5", "brief": "Brief", "description": "Description", "privacyStatement": "https://p",
    "EULA": "https://e", "help": "https://h", "url": "https://u", "contextSensitiveHelpUrl": "https://c/",
    "helpBaseUrl": "https://hb", "applicationInsightsConnectionString": "InstrumentationKey=1",
    "internalsVisibleTo": [{"id": "5a1b2c3d-0000-4000-8000-00000000cc02", "name": "Full Demo Tests",
                            "publisher": "alc tests"}],
    "platform": "1.0.0.0", "application": "24.0.0.0", "runtime": "13.0", "target": "OnPrem",
    "idRanges": [{"from": 50500, "to": 50549}, {"from": 50600, "to": 50600}],
    "features": ["TranslationFile", "NoImplicitWith"], "preprocessorSymbols": ["CLEAN24"],
    "suppressWarnings": ["AL0432"], "supportedLocales": ["da-DK"], "keyVaultUrls": ["https://kv"],
    "resourceFolders": ["Resources"], "propagateDependencies": True,
    "resourceExposurePolicy": {"allowDebugging": True, "allowDownloadingSource": False,
                               "includeSourceInSymbolFile": True, "applyToDevExtension": False},
    "source": {"repositoryUrl": "https://github.com/x/y", "commit": "abc123"},
    "build": {"by": "ci", "url": "https://ci/1"},
}


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("cache"))
    compile_samples(folder)
    return folder


def _compile(project, out, cache=None):
    return compile_project(CompileOptions(project=str(project), package_cache=(cache,) if cache else (),
                                          out=str(out), jobs=1))


def _round_trip(app_path, tmp_path, cache=None):
    folder = tmp_path / "unpacked"
    assert main(["unpack", str(app_path), str(folder)]) == 0
    again = tmp_path / "again.app"
    result = _compile(folder, again, cache)
    assert result.ok, result.diagnostics
    return folder, again


@pytest.mark.parametrize("sample", ["base", "loyalty", "loyalty-rewards", "shipping"])
def test_samples_round_trip_to_identical_bytes(sample, cache, tmp_path):
    app = os.path.join(cache, f"{sample}.app")
    folder, again = _round_trip(app, tmp_path, cache)
    assert again.read_bytes() == open(app, "rb").read()
    assert (folder / "app.json").is_file()


def test_layouts_and_translations_round_trip(tmp_path):
    project = layout_project(tmp_path / "p")   # the layout demo's report, extension and layout files
    xliff_project(project, app=dict(FULL_APP, idRanges=[{"from": 50300, "to": 50499}]))  # more objects, app.json
    (project / "Translations").mkdir()
    (project / "Translations" / "Full Demo.da-DK.xlf").write_text('<xliff version="1.2"/>')
    (project / "Resources" / "Data").mkdir(parents=True)
    (project / "Resources" / "Data" / "setup.json").write_text('{"demo": true}')
    first = tmp_path / "first.app"
    result = _compile(project, first)
    assert result.ok, result.diagnostics
    folder, again = _round_trip(first, tmp_path)
    assert again.read_bytes() == first.read_bytes()
    assert (folder / "Layouts" / "Summary.rdlc").read_bytes() == (project / "Layouts" / "Summary.rdlc").read_bytes()
    assert (folder / "Translations" / "Full Demo.da-DK.xlf").is_file()
    assert (folder / "Translations" / "Full Demo.g.xlf").is_file()
    assert (folder / "Resources" / "Data" / "setup.json").read_text() == '{"demo": true}'
    assert (folder / "src" / "DemoDocPrint.Report.al").read_bytes() == \
        (project / "src" / "DemoDocPrint.Report.al").read_bytes()
    assert json.loads((folder / "app.json").read_text()) == FULL_APP | {"idRanges": [{"from": 50300, "to": 50499}]}


def _manifest(data: dict) -> AppManifest:
    manifest, diagnostics = parse_app_json(json.dumps(data))
    assert manifest is not None and not diagnostics, diagnostics
    return manifest


@pytest.mark.parametrize("data", [
    FULL_APP,
    {"id": "5a1b2c3d-0000-4000-8000-00000000cc03", "name": "Legacy", "publisher": "P", "version": "1.0.0.0",
     "showMyCode": True, "idRange": {"from": 50000, "to": 50010},
     "dependencies": [{"appId": "5a1b2c3d-0000-4000-8000-00000000cc04", "name": "D", "publisher": "P",
                       "version": "1.0.0.0"}]},
    {"id": "5a1b2c3d-0000-4000-8000-00000000cc05", "name": "Bare", "publisher": "P", "version": "1.0.0.0"},
])
def test_app_json_of_gives_back_the_manifest(data):
    manifest = _manifest(data)
    assert _manifest(app_json_of(manifest)) == manifest


def test_a_package_without_source_is_refused(tmp_path, capsys):
    app = AppManifest("5a1b2c3d-0000-4000-8000-00000000cc06", "Symbols", "P", Version(1, 0, 0, 0))
    path = tmp_path / "symbols.app"
    write_package(str(path), NavxManifest(app), SymbolReference(codeunits=(Codeunit(id=50100, name="C"),)))
    assert main(["unpack", str(path), str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "error ALC0435" in err and "no source" in err
    assert not (tmp_path / "out").exists()


def test_an_occupied_folder_is_refused_and_left_alone(cache, tmp_path, capsys):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "mine.txt").write_text("keep")
    assert main(["unpack", os.path.join(cache, "base.app"), str(target)]) == 2
    assert "error ALC0436" in capsys.readouterr().err
    assert os.listdir(target) == ["mine.txt"]
    assert [n for n in os.listdir(tmp_path) if n.startswith(".")] == []   # no temporary folder left
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["unpack", os.path.join(cache, "base.app"), str(empty)]) == 0
    assert (empty / "app.json").is_file()


def test_not_a_package(tmp_path, capsys):
    bad = tmp_path / "bad.app"
    bad.write_bytes(b"not a package at all, just text")
    assert main(["unpack", str(bad), str(tmp_path / "out")]) == 2
    assert "error ALC0421" in capsys.readouterr().err


def test_unpacked_files_match_the_package_entries(cache, tmp_path):
    pkg = read_package(os.path.join(cache, "loyalty.app"))
    folder = tmp_path / "u"
    assert main(["unpack", pkg.path, str(folder)]) == 0
    for name in pkg.source_files:
        assert (folder / name[len("src/"):]).read_bytes() == pkg.read(name)
    written = sorted(os.path.relpath(os.path.join(r, f), folder).replace(os.sep, "/")
                     for r, _, fs in os.walk(folder) for f in fs)
    assert written == sorted(["app.json"] + [n[len("src/"):] for n in pkg.source_files])
