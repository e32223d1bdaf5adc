"""Incremental compiles (alc/build/incremental.py, cache.py, watch.py): a build that uses the build
cache writes the same bytes and reports the same diagnostics as a cold build of the same files,
after any edit; a corrupt, truncated or foreign cache is ignored; `alc compile --watch` compiles
again when a file is saved."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

from alc.build.cache import BuildCache, default_cache_dir
from alc.build.compiler import CompileOptions, compile_project
from alc.cli import main
from alc.diagnostics import render_concise, sort_key

from apps import SAMPLE_ORDER, SAMPLES

JOBS = (1, 2)
EXTRA_FIELD = "fields\n    {\n        field(77; Extra; Integer) { }"


@pytest.fixture(autouse=True)
def _user_cache(tmp_path_factory, monkeypatch):
    """Each test module gets its own user cache folder (the key of the build cache lives there)."""
    monkeypatch.setenv("ALC_CACHE", str(tmp_path_factory.getbasetemp() / "user-cache"))


def _compile(project, out, packages=(), cache=None, jobs=1, **kw):
    return compile_project(CompileOptions(project=str(project), package_cache=tuple(packages), out=str(out),
                                          jobs=jobs, cache_dir=cache, **kw))


def _shown(result, root) -> list:
    return render_concise(sorted(result.diagnostics, key=sort_key), cwd=str(root)).splitlines()


def _same_as_cold(project, packages, tmp_path, cache, jobs=1, tag="x"):
    """Compile with the cache and without it; the same package bytes, the same diagnostics."""
    warm_out, cold_out = tmp_path / f"warm-{tag}.app", tmp_path / f"cold-{tag}.app"
    warm = _compile(project, warm_out, packages, cache, jobs)
    cold = _compile(project, cold_out, packages, None, jobs)
    assert _shown(warm, project) == _shown(cold, project)
    assert (warm.output is None) == (cold.output is None)
    assert [(h.kind, h.id, h.name) for h in warm.objects] == [(h.kind, h.id, h.name) for h in cold.objects]
    if cold.output is not None:
        assert warm_out.read_bytes() == cold_out.read_bytes()
    return warm


def _edit(path, old, new, count=1):
    with open(path, encoding="utf-8-sig") as f:
        text = f.read()
    assert old in text, (path, old)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new, count))


# ----------------------------------------------------------------------------------- samples --

@pytest.fixture
def samples(tmp_path):
    """The samples copied, and the packages of their dependencies compiled cold."""
    root = tmp_path / "samples"
    shutil.copytree(SAMPLES, root)
    packages = tmp_path / "packages"
    packages.mkdir()
    for name in SAMPLE_ORDER:
        assert _compile(root / name, packages / f"{name}.app", [packages]).ok
    return root, packages


def test_samples_rebuilt_from_the_cache_are_byte_identical(samples, tmp_path):
    root, packages = samples
    for name in SAMPLE_ORDER:
        cache = str(tmp_path / f"cache-{name}")
        first = _same_as_cold(root / name, [packages], tmp_path, cache, tag=f"{name}1")
        again = _same_as_cold(root / name, [packages], tmp_path, cache, tag=f"{name}2")
        assert first.code.get("cached_files") == 0 and again.code["cached_files"] == first.files


def test_samples_after_body_and_declaration_edits(samples, tmp_path):
    root, packages = samples
    project = root / "base"
    cache = str(tmp_path / "cache")
    table = project / "src" / "DemoCustomer.Table.al"
    _same_as_cold(project, [packages], tmp_path, cache, tag="0")
    _edit(table, '"Search Name" := CopyStr(UpperCase(Name), 1, MaxStrLen("Search Name"));',
          '"Search Name" := CopyStr(UpperCase(Name), 1, MaxStrLen("Search Name"));\n'
          '                    "Search Name" := CopyStr(LowerCase(Name), 1, 100);')
    body = _same_as_cold(project, [packages], tmp_path, cache, tag="body")
    assert body.code["cached_files"] == body.files - 1
    assert os.path.isfile(os.path.join(cache, "delta.bin"))   # one file changed: the state is not written again
    _edit(table, "field(4; Blocked; Boolean)",
          'field(7; "Phone No."; Text[30]) { }\n        field(4; Blocked; Boolean)')
    declaration = _same_as_cold(project, [packages], tmp_path, cache, tag="decl")
    assert declaration.code["cached_files"] == declaration.files - 1
    assert any(o.name == "Demo Customer" for o in declaration.objects)


def test_an_error_and_its_fix(samples, tmp_path):
    root, packages = samples
    project = root / "loyalty"
    cache = str(tmp_path / "cache")
    _same_as_cold(project, [packages], tmp_path, cache, tag="0")
    source = next(p for p in sorted(project.rglob("*.al")) if "begin" in p.read_text(encoding="utf-8-sig"))
    original = source.read_text(encoding="utf-8-sig")
    _edit(source, "begin", "begin\n        NoSuchThing := 1;")
    broken = _same_as_cold(project, [packages], tmp_path, cache, tag="1")
    assert broken.output is None and any(d.code == "ALC0231" for d in broken.diagnostics)
    again = _same_as_cold(project, [packages], tmp_path, cache, tag="2")    # nothing changed: from the cache
    assert again.output is None and again.code["cached_files"] == again.files
    source.write_text(original, encoding="utf-8")
    fixed = _same_as_cold(project, [packages], tmp_path, cache, tag="3")
    assert fixed.ok and fixed.output is not None


def test_the_package_is_written_again_when_it_is_gone_or_changed(samples, tmp_path):
    root, packages = samples
    project, cache, out = root / "base", str(tmp_path / "cache"), tmp_path / "out.app"
    assert _compile(project, out, [packages], cache).ok
    written = out.read_bytes()
    out.unlink()
    assert _compile(project, out, [packages], cache).ok and out.read_bytes() == written
    out.write_bytes(b"something else")
    assert _compile(project, out, [packages], cache).ok and out.read_bytes() == written


def test_options_and_app_json_are_part_of_the_key(samples, tmp_path):
    root, packages = samples
    project, cache = root / "hello", str(tmp_path / "cache")
    _same_as_cold(project, [packages], tmp_path, cache, tag="0")
    warm = _compile(project, tmp_path / "d.app", [packages], cache, defines=("OTHER",))
    cold = _compile(project, tmp_path / "e.app", [packages], None, defines=("OTHER",))
    assert warm.code["cached_files"] == 0 and (tmp_path / "d.app").read_bytes() == (tmp_path / "e.app").read_bytes()
    _edit(project / "app.json", '"version": "1.0.0.0"', '"version": "1.0.0.1"')
    bumped = _same_as_cold(project, [packages], tmp_path, cache, tag="1")
    assert bumped.code["cached_files"] == 0


# ------------------------------------------------------------------------ a generated base --

@pytest.fixture(scope="module")
def generated_base(tmp_path_factory):
    from alc.generate import Options, generate
    root = str(tmp_path_factory.mktemp("generated"))
    manifest = generate(root, Options(tables=24, pages=24, codeunits=20, extensions=0, deltas=0, seed=3))
    return os.path.join(root, manifest["apps"][0]["path"])


@pytest.mark.parametrize("jobs", JOBS)
def test_generated_base_through_edits(generated_base, tmp_path, jobs):
    project = tmp_path / "base"
    shutil.copytree(generated_base, project)
    cache = str(tmp_path / "cache")
    files = sorted(project.rglob("*.al"))
    assert len(files) > 40      # enough for two workers
    cold = _same_as_cold(project, [], tmp_path, cache, jobs, tag="0")
    assert cold.ok, _shown(cold, project)
    codeunit = next(p for p in files if p.name.endswith(".Codeunit.al") and "IsHandled := false;" in p.read_text())
    _edit(codeunit, "IsHandled := false;", "IsHandled := false;\n        IsHandled := true;")
    body = _same_as_cold(project, [], tmp_path, cache, jobs, tag="body")
    assert body.code["cached_files"] == body.files - 1
    table = next(p for p in files if p.name.endswith(".Table.al"))
    _edit(table, "    fields\n    {\n", '    fields\n    {\n        field(99001; "Incr Test"; Integer) { }\n')
    declaration = _same_as_cold(project, [], tmp_path, cache, jobs, tag="decl")
    assert declaration.code["cached_files"] == declaration.files - 1
    moved = files[3]
    shutil.move(moved, project / "src" / ("Renamed" + moved.name))   # a file renamed: a new path
    _same_as_cold(project, [], tmp_path, cache, jobs, tag="move")
    os.unlink(files[5])                                              # a file deleted
    _same_as_cold(project, [], tmp_path, cache, jobs, tag="del")
    nothing = _same_as_cold(project, [], tmp_path, cache, jobs, tag="same")
    assert nothing.code["cached_files"] == nothing.files


# --------------------------------------------------------------------- a cache not to trust --

def _damage_truncate(path):
    data = open(path, "rb").read()
    open(path, "wb").write(data[: len(data) // 2])


def _damage_flip(path):
    data = bytearray(open(path, "rb").read())
    data[len(data) // 2] ^= 0x40
    open(path, "wb").write(bytes(data))


def _damage_foreign(path):
    """The same entry signed with another key: as if brought from another machine."""
    folder, name = os.path.split(path)
    own = BuildCache(folder, b"\0" * 32)
    value = BuildCache.open(folder).load(name[:-4])
    assert value is not None
    own.store(name[:-4], value)


def _damage_header(path):
    data = open(path, "rb").read()
    open(path, "wb").write(b"NOTALC00" + data[8:])


def _damage_empty(path):
    open(path, "wb").close()


@pytest.mark.parametrize("damage", [_damage_truncate, _damage_flip, _damage_foreign, _damage_header, _damage_empty])
def test_a_damaged_cache_is_ignored(samples, tmp_path, damage):
    root, packages = samples
    project, cache = root / "base", str(tmp_path / "cache")
    _same_as_cold(project, [packages], tmp_path, cache, tag="0")
    _edit(project / "src" / "DemoItem.Table.al", "fields\n    {", EXTRA_FIELD)
    for name in sorted(os.listdir(cache)):
        if name.endswith(".bin"):
            damage(os.path.join(cache, name))
    rebuilt = _same_as_cold(project, [packages], tmp_path, cache, tag="1")
    assert rebuilt.code["cached_files"] == 0
    # ...and the cache written anew is used by the next build
    assert _same_as_cold(project, [packages], tmp_path, cache, tag="2").code["cached_files"] == rebuilt.files


def test_a_pickle_that_would_run_code_is_never_loaded(tmp_path):
    """A forged entry (valid header, payload that executes code when unpickled) is refused by its digest."""
    import pickle
    import struct
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (open, (str(marker), "w"))
    folder = tmp_path / "c"
    folder.mkdir()
    payload = pickle.dumps(Evil())
    (folder / "state.bin").write_bytes(struct.pack("<8sI32s", b"ALCBUILD", 1, b"\0" * 32) + payload)
    assert BuildCache.open(str(folder)).load("state") is None and not marker.exists()


# ------------------------------------------------------------------------------ command line --

def test_cli_cache_folder_and_no_cache(samples, tmp_path, capsys):
    root, packages = samples
    project = root / "base"
    out = tmp_path / "a.app"
    assert main(["compile", str(project), "--packagecachepath", str(packages), "--out", str(out)]) == 0
    folder = default_cache_dir(str(project))
    assert os.path.isfile(os.path.join(folder, "state.bin"))
    assert open(os.path.join(folder, ".gitignore")).read().splitlines()[-1] == "*"
    shutil.rmtree(folder)
    assert main(["compile", str(project), "--packagecachepath", str(packages), "--out", str(out), "--no-cache"]) == 0
    assert not os.path.exists(folder)
    elsewhere = tmp_path / "elsewhere"
    assert main(["compile", str(project), "--packagecachepath", str(packages), "--out", str(out),
                 "--cache-dir", str(elsewhere)]) == 0
    assert (elsewhere / "state.bin").is_file() and not os.path.exists(folder)
    capsys.readouterr()
    assert main(["compile", str(project), "--out", str(out), "--no-cache", "--cache-dir", str(elsewhere)]) == 2
    assert "--no-cache" in capsys.readouterr().err


def test_watch_compiles_again_when_a_file_is_saved(samples, tmp_path):
    root, packages = samples
    project = root / "hello"
    out = tmp_path / "hello.app"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "alc", "compile", str(project), "--out", str(out), "--watch",
                             "--packagecachepath", str(packages)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env)
    lines: list = []

    def wait_for(pattern: str, count: int) -> None:
        deadline = time.monotonic() + 60
        while sum(1 for line in lines if re.search(pattern, line)) < count:
            assert time.monotonic() < deadline, lines
            line = proc.stdout.readline()
            assert line, lines
            lines.append(line)
    try:
        wait_for(r"\[watch\] waiting", 1)
        first = out.read_bytes()
        source = next(project.rglob("*.al"))
        _edit(source, "begin", "begin\n        Message('saved again');")
        wait_for(r"\[watch\] waiting", 2)
        assert sum(1 for line in lines if line.startswith("wrote ")) == 2
        assert out.read_bytes() != first
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        rest = proc.stdout.read()
        assert "[watch] stopped" in rest and "Traceback" not in rest + "".join(lines)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_the_package_does_not_depend_on_the_number_of_workers(generated_base, tmp_path):
    """Files are assembled in the project's order whatever the partition: -j 1 and -j 2 write the same bytes."""
    one, two = tmp_path / "one.app", tmp_path / "two.app"
    assert _compile(generated_base, one, jobs=1).ok and _compile(generated_base, two, jobs=2).ok
    assert one.read_bytes() == two.read_bytes()


def test_a_package_cache_change_is_seen(samples, tmp_path):
    """The scan of the package cache is kept while no `.app` in it changed: one removed, or replaced, is seen."""
    root, packages = samples
    project, cache = root / "loyalty", str(tmp_path / "cache")
    assert _compile(project, tmp_path / "a.app", [packages], cache).ok
    moved = tmp_path / "base.app"
    shutil.move(packages / "base.app", moved)
    missing = _same_as_cold(project, [packages], tmp_path, cache, tag="gone")
    assert missing.output is None and any(d.code == "ALC0240" for d in missing.diagnostics)
    shutil.move(moved, packages / "base.app")
    assert _same_as_cold(project, [packages], tmp_path, cache, tag="back").ok
    _edit(root / "base" / "src" / "DemoItem.Table.al", "fields\n    {", EXTRA_FIELD)
    assert _compile(root / "base", packages / "base.app", [packages]).ok      # the dependency rebuilt in place
    rebuilt = _same_as_cold(project, [packages], tmp_path, cache, tag="rebuilt")
    assert rebuilt.ok


def test_a_cache_folder_inside_the_project_is_no_input(samples, tmp_path):
    """`--cache-dir` may name a visible folder of the project: the cache's own files do not count as changes."""
    root, packages = samples
    project = root / "base"
    cache = str(project / "build-cache")
    assert _compile(project, tmp_path / "a.app", [packages], cache).ok
    again = _compile(project, tmp_path / "a.app", [packages], cache)
    assert again.ok and again.timings["parse"] == 0.0 and again.code["cached_files"] == again.files


def test_a_cache_entry_that_is_no_regular_file_is_never_read(samples, tmp_path):
    """A FIFO (or device) in place of a cache entry would block or never end a read: it is ignored unread."""
    import threading
    root, packages = samples
    project, cache = root / "hello", str(tmp_path / "cache")
    assert _compile(project, tmp_path / "a.app", [packages], cache).ok
    for name in ("state.bin", "build.bin"):
        os.unlink(os.path.join(cache, name))
        os.mkfifo(os.path.join(cache, name))
    done: list = []
    worker = threading.Thread(target=lambda: done.append(_same_as_cold(project, [packages], tmp_path, cache)),
                              daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert done and done[0].ok and done[0].code["cached_files"] == 0


# ------------------------------------------------------------ declarations and who uses them --

DEMO = {
    "app.json": '{ "id": "3a1b5c2d-0000-4000-8000-00000000abcd", "name": "Deps Demo", "publisher": "alc tests", '
                '"version": "1.0.0.0", "idRanges": [ { "from": 50100, "to": 50199 } ], "runtime": "11.0" }\n',
    "Item.Table.al": '''table 50100 "Demo Item"
{
    fields
    {
        field(1; "No."; Code[20]) { }
        field(2; Amount; Decimal) { }
        field(3; Quantity; Integer) { }
    }
    keys { key(PK; "No.") { Clustered = true; } }

    procedure Calc(): Decimal
    begin
        exit(Amount * Quantity);
    end;
}
''',
    "ItemExt.TableExt.al": '''tableextension 50100 "Demo Item Ext" extends "Demo Item"
{
    fields
    {
        field(10; Extra; Integer) { }
    }
}
''',
    "ItemCard.Page.al": '''page 50100 "Demo Item Card"
{
    PageType = Card;
    SourceTable = "Demo Item";
    layout
    {
        area(Content)
        {
            field("No."; Rec."No.") { }
        }
    }
    var
        Total: Decimal;

    trigger OnAfterGetRecord()
    begin
        Total := Quantity;
    end;
}
''',
    "ItemByNumber.Page.al": '''page 50101 "Demo Item By Number"
{
    PageType = List;
    SourceTable = 50100;
    layout
    {
        area(Content)
        {
            repeater(Lines) { field(Qty; Rec.Quantity) { } }
        }
    }
}
''',
    "Other.Table.al": '''table 50102 "Demo Other"
{
    fields
    {
        field(1; Code; Code[10]) { }
    }
}
''',
    "ItemCardExt.PageExt.al": '''pageextension 50100 "Demo Item Card Ext" extends "Demo Item Card"
{
    layout
    {
        addlast(Content)
        {
            field(Amt; Rec.Amount) { }
            field(Ext; Rec.Extra) { }
        }
    }
}
''',
    "Calc.Codeunit.al": '''codeunit 50101 "Demo Calc"
{
    procedure Run()
    var
        Item: Record "Demo Item";
    begin
        Item.Amount := 1;
        Item.Calc();
    end;

    procedure Old()
    var
        Item: Record "Demo Item";
        Note: Text[30];
    begin
        with Item do begin
            Quantity := 2;
            Note := 'x';
        end;
    end;
}
''',
    "Runner.Codeunit.al": '''codeunit 50102 "Demo Runner"
{
    procedure Go()
    var
        Calc: Codeunit "Demo Calc";
    begin
        Calc.Old();
    end;
}
''',
}

FIELDS_OF_ITEM = "field(3; Quantity; Integer) { }"
# (file, old, new, the diagnostics the edit must cause in *other* files: (file, code), files whose checks
# may come from the cache)
DECLARATION_EDITS = [
    ("Item.Table.al", FIELDS_OF_ITEM, FIELDS_OF_ITEM + "\n        field(4; Extra; Decimal) { }",
     {("ItemExt.TableExt.al", "ALC0207")}, 5),                     # a field added whose name an extension has
    ("Item.Table.al", FIELDS_OF_ITEM, FIELDS_OF_ITEM + "\n        field(10; Other; Decimal) { }",
     {("ItemExt.TableExt.al", "ALC0206")}, 5),                     # ... whose number an extension has
    ("Item.Table.al", "field(2; Amount; Decimal) { }", "",
     {("Calc.Codeunit.al", "ALC0230"), ("ItemCardExt.PageExt.al", "ALC0213")}, 5),   # a field removed
    ("Item.Table.al", "field(3; Quantity; Integer) { }", "",        # ... that `with` and a page's Rec bind bare
     {("Calc.Codeunit.al", "ALC0231"), ("ItemCard.Page.al", "ALC0231"), ("ItemByNumber.Page.al", "ALC0213")}, 4),
    ("Item.Table.al", "procedure Calc()", "procedure Calc2()", {("Calc.Codeunit.al", "ALC0232")}, 5),
    ("Item.Table.al", "table 50100", "table 50105", {("ItemByNumber.Page.al", "ALC0221")}, None),  # renumbered
    ("Item.Table.al", 'table 50100 "Demo Item"', 'table 50100 "Demo Item Two"',                    # renamed
     {("Calc.Codeunit.al", "ALC0221"), ("ItemCard.Page.al", "ALC0221")}, None),
    ("Calc.Codeunit.al", "procedure Old()", "procedure Older()", {("Runner.Codeunit.al", "ALC0232")}, 6),
    ("ItemExt.TableExt.al", 'extends "Demo Item"', 'extends "Demo Other"',          # an extension retargeted
     {("ItemCardExt.PageExt.al", "ALC0213")}, None),
    ("ItemCard.Page.al", 'SourceTable = "Demo Item";', 'SourceTable = "Demo Other";',  # a page's Rec: its extension
     {("ItemCardExt.PageExt.al", "ALC0213")}, None),
    ("Calc.Codeunit.al", "codeunit 50101", "namespace Demo.Calcs;\n\ncodeunit 50101", set(), None),  # a namespace
]


@pytest.mark.parametrize("jobs", JOBS)
def test_a_declaration_edit_reaches_the_files_that_use_it(tmp_path, jobs):
    """Each edit of a declaration makes new diagnostics in other files, found with the cache as without
    it; the files that do not mention what changed keep their checks from the cache; undoing the edit
    takes the diagnostics away again."""
    project = tmp_path / "demo"
    project.mkdir()
    for name, text in DEMO.items():
        (project / name).write_text(text, encoding="utf-8")
    cache = str(tmp_path / "cache")
    first = _same_as_cold(project, [], tmp_path, cache, jobs, tag="0")
    assert first.ok and not first.diagnostics
    for n, (name, old, new, expected, reused) in enumerate(DECLARATION_EDITS):
        original = (project / name).read_text(encoding="utf-8")
        _edit(project / name, old, new)
        edited = _same_as_cold(project, [], tmp_path, cache, jobs, tag=f"{n}e")
        found = {(os.path.basename(d.span.file), d.code) for d in edited.diagnostics if d.span is not None}
        assert expected <= found, (name, new, found)
        if reused is not None:
            assert edited.code["cached_checks"] == reused, (name, new)
        (project / name).write_text(original, encoding="utf-8")
        undone = _same_as_cold(project, [], tmp_path, cache, jobs, tag=f"{n}u")
        assert undone.ok and not undone.diagnostics, (name, new, _shown(undone, project))


def test_what_a_file_mentions():
    from alc.build.incremental import mentioned, mentions
    names = mentions("""x := Rec."Sales Header" + Codeunit::"Démo"; // 0050100\nMessage('It''s');""".encode())
    assert all(mentioned(names, {w}) for w in ("sales header", "démo", "50100", "rec", "message", "it's", "x"))
    assert not any(mentioned(names, {w}) for w in ("header2", "y", "50101"))
    assert mentions(b"\xff\xfe\x00\xd8") is None          # not text: depends on everything


def test_an_object_added_and_removed(tmp_path):
    """A file that names an object no file declares is checked again when one does, and when it goes."""
    project = tmp_path / "demo"
    project.mkdir()
    for name, text in DEMO.items():
        (project / name).write_text(text.replace("Calc: Codeunit \"Demo Calc\";", "Calc: Codeunit \"Demo Calc\";\n"
                                                 "        Later: Codeunit \"Demo Later\";"), encoding="utf-8")
    cache = str(tmp_path / "cache")
    missing = _same_as_cold(project, [], tmp_path, cache, tag="0")
    assert {(os.path.basename(d.span.file), d.code) for d in missing.diagnostics} == {("Runner.Codeunit.al", "ALC0221")}
    (project / "Later.Codeunit.al").write_text('codeunit 50120 "Demo Later" { }\n', encoding="utf-8")
    added = _same_as_cold(project, [], tmp_path, cache, tag="1")
    assert added.ok and not added.diagnostics and added.code["cached_checks"] >= 1
    (project / "Later.Codeunit.al").unlink()
    removed = _same_as_cold(project, [], tmp_path, cache, tag="2")
    assert _shown(removed, project) == _shown(missing, project)
