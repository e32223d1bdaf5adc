"""Compiling on several cores: the package and the diagnostics do not depend on the number of
workers, nor on whether a share kept a file's IR in memory between the two phases or compressed it
(``workers.HELD_IR``, what lets a very large project fit in memory)."""

import os
import shutil

import pytest

from alc.build import workers
from alc.build.compiler import CompileOptions, compile_project
from alc.generate import Options, generate

SMALL = Options(tables=20, pages=20, codeunits=16, extensions=1, deltas=2, depth=1, conflict_rate=0.0, seed=5)

# Errors only phase two finds: a name declared nowhere (code analysis) and a page on a table that does not exist.
BROKEN = """
codeunit 50990 "Broken Code"
{
    procedure P()
    begin
        Undeclared := 1;
    end;
}

page 50991 "Broken Page"
{
    SourceTable = "No Such Table";
}
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The base app of a small generated graph (more files than one worker takes)."""
    root = str(tmp_path_factory.mktemp("gen"))
    generate(root, SMALL)
    folder = os.path.join(root, "base")
    count = sum(name.endswith(".al") for _, _, names in os.walk(folder) for name in names)
    assert count > 40
    return folder


def _compile(project: str, out: str, jobs: int, held=None, monkeypatch=None):
    if held is not None:
        monkeypatch.setattr(workers, "HELD_IR", held)
    result = compile_project(CompileOptions(project=project, out=out, jobs=jobs))
    if held is not None:
        monkeypatch.undo()
    return result


def _shown(result) -> list:
    return [(d.code, str(d.severity), d.message, d.location()) for d in result.diagnostics]


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


@pytest.mark.parametrize("jobs,held", [(2, None), (3, None), (1, 0), (2, 0), (2, 40_000)])
def test_the_package_is_the_same_whatever_the_workers_and_the_ir_kept(base, tmp_path, monkeypatch, jobs, held):
    one = _compile(base, str(tmp_path / "one.app"), 1)
    assert one.ok, _shown(one)[:5]
    other = _compile(base, str(tmp_path / "other.app"), jobs, held, monkeypatch)
    assert other.ok
    assert _read(one.output) == _read(other.output)
    assert _shown(one) == _shown(other)
    assert one.code == other.code and one.code["bodies"] > 0


@pytest.mark.parametrize("jobs,held", [(2, None), (1, 0), (2, 0), (2, 40_000)])
def test_phase_two_diagnostics_are_the_same_whatever_the_workers_and_the_ir_kept(base, tmp_path, monkeypatch,
                                                                                   jobs, held):
    project = str(tmp_path / "base")
    shutil.copytree(base, project)
    with open(os.path.join(project, "src", "Broken.Codeunit.al"), "w", encoding="utf-8") as f:
        f.write(BROKEN)
    one = _compile(project, str(tmp_path / "one.app"), 1)
    codes = {d.code for d in one.diagnostics if d.is_error}
    assert {"ALC0231"} <= codes and len(codes) >= 2, codes
    assert one.output is None and not os.path.exists(tmp_path / "one.app")
    other = _compile(project, str(tmp_path / "other.app"), jobs, held, monkeypatch)
    assert _shown(one) == _shown(other)
    assert other.output is None and not os.path.exists(tmp_path / "other.app")   # made early, never written


def test_a_share_over_its_budget_keeps_the_ir_compressed(base):
    """The share's own view: files beyond the budget are spilled, and phase two checks them all."""
    from alc.build.project import load_app_json
    from alc.build.compiler import project_sources
    manifest, _ = load_app_json(os.path.join(base, "app.json"))
    paths = project_sources(base)
    sizes = [os.path.getsize(p) for p in paths]
    share = workers.Share(paths, frozenset(), manifest, None, (), True, held=sum(sizes) // 2)
    results = share.phase_one()
    assert 0 < len(share.spilled) < len(paths)
    assert share.held_bytes <= sum(sizes) // 2
    app = workers.project_app_symbols(manifest, [o for r in results for o in r.symbols])
    two = share.phase_two(app, False)
    assert not share.spilled                       # read back and dropped
    whole = workers.Share(paths, frozenset(), manifest, None, (), True)
    whole.phase_one()
    assert two == whole.phase_two(app, False)


def test_serial_time_is_part_of_the_compile(base, tmp_path):
    result = _compile(base, str(tmp_path / "a.app"), 2)
    total = sum(result.timings.values())
    assert result.ok and 0 < result.serial < total
    alone = _compile(base, str(tmp_path / "b.app"), 1)
    assert alone.serial == pytest.approx(sum(alone.timings.values()), abs=0.01)   # no worker: all serial


@pytest.mark.parametrize("broken", [False, True])
def test_a_large_project_waits_for_the_workers_and_gives_the_same(base, tmp_path, monkeypatch, broken):
    """Over ``EARLY_EMIT`` the parent builds its symbols and the package after the workers ended."""
    from alc.build import compiler
    project = str(tmp_path / "base")
    shutil.copytree(base, project)
    if broken:
        with open(os.path.join(project, "src", "Broken.Codeunit.al"), "w", encoding="utf-8") as f:
            f.write(BROKEN)
    one = _compile(project, str(tmp_path / "one.app"), 1)
    monkeypatch.setattr(compiler, "EARLY_EMIT", 0)
    # and as a large project's workers do it: no IR held between the phases, symbols sent compressed
    monkeypatch.setattr(workers, "LARGE_SOURCE", 0)
    sent = []
    real = workers.ShareRun.start_phase_two

    def start(run, platform, blobs=()):
        sent.extend(blobs)
        return real(run, platform, blobs)
    monkeypatch.setattr(workers.ShareRun, "start_phase_two", start)
    other = compile_project(CompileOptions(project=project, out=str(tmp_path / "other.app"), jobs=2))
    assert sent and all(blob[:1] == b"\x78" for _, blob in sent)     # zlib streams
    assert _shown(one) == _shown(other)
    assert one.ok == other.ok == (not broken)
    if not broken:
        assert _read(one.output) == _read(other.output)


def test_symbols_written_in_pieces_are_the_symbols_written_whole(base, tmp_path):
    """The compile writes SymbolReference.json object by object (iter_symbols, pack_pieces): the same
    bytes as the whole document written at once, and as its entry in the package."""
    from alc.package.container import open_container, pack_entry, pack_pieces
    from alc.package.symbols import read_symbols, write_symbols
    from alc.package.symbols_json import iter_symbols
    result = _compile(base, str(tmp_path / "a.app"), 2)
    data = open_container(result.output).read("SymbolReference.json")
    ref = read_symbols(data)
    assert len(ref.tables) > 10
    pieces = list(iter_symbols(ref))
    assert b"".join(pieces) == write_symbols(ref) == data
    assert pack_pieces(pieces) == pack_entry(data)


def test_symbols_decoded_together_share_their_equal_parts(base, tmp_path):
    """loads_shared: the files' symbols decoded with one table are equal to those decoded apart, and
    an equal part (a type, a property) is one object for all of them."""
    from alc.build.cache import compress_shared, dumps_shared, loads_shared
    from alc.package.container import open_container
    from alc.package.symbols import read_symbols
    result = _compile(base, str(tmp_path / "a.app"), 1)
    objects = list(read_symbols(open_container(result.output).read("SymbolReference.json")).objects())
    blobs = [dumps_shared((o,)) for o in objects]
    equal: dict = {}
    shared = [loads_shared(b if i % 2 else compress_shared(b), equal)[0] for i, b in enumerate(blobs)]
    assert shared == objects
    types = {}
    for obj in shared:
        for field in getattr(obj, "fields", ()):
            types.setdefault(field.type, []).append(field.type)
    assert any(len(same) > 1 for same in types.values())
    assert all(all(t is same[0] for t in same) for same in types.values())
