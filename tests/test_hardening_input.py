"""Bad input is a diagnostic or one clear error with its code, never
"internal error" (issue 14, item 6), and the decoders' budgets and types
(items 1 and 2). Every input is generated here."""

from __future__ import annotations

import json
import os
import re
import time

import pytest

from alc.cli import main
from alc.package.container import app_bytes
from hardkit import APP_ID, alc, navx, sample_entries, write_project, zip_of
from alc.package.container import encode_entry_name


@pytest.fixture(scope="module")
def entries():
    return sample_entries()


def _project(tmp_path, source: str, **app) -> str:
    project = write_project(str(tmp_path / "p"), objects=0, **app)
    with open(os.path.join(project, "x.al"), "w", encoding="utf-8") as f:
        f.write(source)
    return project


def _run(capsys, args) -> tuple:
    code = main(args)
    out, err = capsys.readouterr()
    assert "internal error" not in out + err, out + err
    return code, out + err


# ------------------------------------------------------------------ sources --

def _groups(n):
    return ("page 50100 A { layout { area(Content) { " + "".join(f"group(G{i}) {{ " for i in range(n)) + "}" * n
            + " } } }")


def _dataitems(n):
    return ("table 50101 A { fields { field(1; F; Integer) { } } }\nreport 50100 R { dataset { "
            + "".join(f"dataitem(D{i}; A) {{ " for i in range(n)) + "}" * n + " } }")


def _relations(n):
    return ("table 50101 B { fields { field(1; F; Code[20]) { } } }\n"
            "table 50100 A { fields { field(1; F; Code[20]) { TableRelation = "
            + " else ".join(f"if (F = const('{i}')) B" for i in range(n)) + " else B; } } }")


@pytest.mark.parametrize("source, element", [(_groups(250), "group("), (_dataitems(300), "dataitem("),
                                             (_relations(1000), "F = const(")])
def test_deep_declarations_are_refused_at_their_place_by_compile(tmp_path, capsys, source, element):
    project = _project(tmp_path, source)
    code, text = _run(capsys, ["compile", "--project", project, "--out", str(tmp_path / "x.app"), "-j", "1"])
    assert code == 1
    m = re.search(r"x\.al\((\d+),(\d+)\): error ALC0108: declarations nested more than 128 levels deep", text)
    assert m, text
    line, col = int(m.group(1)), int(m.group(2))
    at = sum(len(x) + 1 for x in source.split("\n")[:line - 1]) + col - 1
    assert source[at:].startswith(element) and source[:at].count(element) > 40  # deep inside, at an element


def test_declarations_as_deep_as_real_ones_compile(tmp_path, capsys):
    relations = _relations(50).replace("50100", "50102").replace("50101", "50103")
    project = _project(tmp_path, _groups(40) + "\n" + relations)
    assert _run(capsys, ["compile", "--project", project, "--out", str(tmp_path / "x.app"), "-j", "1"])[0] == 0


def test_nesting_the_parser_cannot_take_is_a_diagnostic_at_the_nesting(tmp_path, capsys):
    project = _project(tmp_path, _groups(700))
    for args in (["parse", project, "-j", "1"], ["compile", "--project", project, "--out", str(tmp_path / "x.app")]):
        code, text = _run(capsys, args + ["-j", "1"] if args[0] == "compile" else args)
        assert code == 1 and "error ALC0108: nesting too deep to parse" in text, text
        assert "x.al(1,1):" not in text   # the place, not the start of the file


@pytest.mark.parametrize("condition", ["(" * 3000 + "A" + ")" * 3000, "not " * 5000 + "A"])
def test_deep_if_conditions(tmp_path, capsys, condition):
    project = _project(tmp_path, f"#if {condition}\ncodeunit 50100 A {{ }}\n#endif\n")
    for args in (["parse", project], ["compile", "--project", project, "--out", str(tmp_path / "x.app")]):
        code, text = _run(capsys, args + ["-j", "1"])
        assert code == 1 and "x.al(1,1): error ALC0104: malformed `#if` condition: nested more than 64 levels deep" \
            in text


@pytest.mark.parametrize("object_id", ["9" * 5000, "2147483648", "99999999999"])
def test_numbers_past_al_integers(tmp_path, capsys, object_id):
    project = _project(tmp_path, f"codeunit {object_id} A {{ }}")
    code, text = _run(capsys, ["parse", project, "-j", "1"])
    assert code == 1 and "x.al(1,10): error ALC0107:" in text and "is not an AL Integer" in text


@pytest.mark.parametrize("spec", ["page:²", "page:" + "9" * 5000, "page:١٢"])
def test_object_specs_with_unicode_digits_or_too_many(tmp_path, capsys, spec):
    path = tmp_path / "x.app"
    path.write_bytes(app_bytes(sample_entries()))
    code, text = _run(capsys, ["merged", spec, str(path)])
    assert code == 2 and "is not a number AL allows" in text


def test_app_json_and_license_past_their_budgets(tmp_path, capsys):
    deep = "[" * 50_000 + "]" * 50_000
    project = write_project(str(tmp_path / "p"))
    with open(os.path.join(project, "app.json"), "w") as f:
        f.write(deep)
    code, text = _run(capsys, ["compile", "--project", project, "-j", "1"])
    assert code == 2 and "error ALC0401: app.json nests 50000 levels deep, over the limit of 64" in text
    project = write_project(str(tmp_path / "q"))
    for license_text, message in ((deep, "the license file nests 50000 levels deep"),
                                  ('{"ranges": [{"from": ' + "9" * 5000 + ', "to": 1}]}', "digits"),
                                  ('{"ranges": [{"from": "²", "to": 1}]}', "is not an object id"),
                                  ('{"ranges": [{"from": 1, "to": 99999, "type": 5}]}', None)):
        (tmp_path / "license.json").write_text(license_text, encoding="utf-8")
        code, text = _run(capsys, ["compile", "--project", project, "--runtime", "--license",
                                   str(tmp_path / "license.json"), "--out", str(tmp_path / "x.app"), "-j", "1"])
        if message is None:
            assert code == 1 and "ALC0451" in text    # a number as type: no range matches, no crash
        else:
            assert code == 2 and "error ALC0450: license file" in text and message in text, text


# ----------------------------------------------------------------- packages --

def _write(tmp_path, name, data) -> str:
    path = str(tmp_path / f"{name}.app")
    with open(path, "wb") as f:
        f.write(data)
    return path


def _mutated(entries, name, change) -> bytes:
    out = dict(entries)
    out[name] = change(out[name])
    return app_bytes(out)


def _raw(entries, extra) -> bytes:
    return navx(zip_of([(encode_entry_name(n), d) for n, d in entries.items()] + extra))


# How each damage to the table's metadata entry is made in each format (3: compact rows, 2: one JSON
# object per node, still read), and what the error says.
_DAMAGE = {
    3: {"digits": (b'["Table",50100', b'["Table",' + b"9" * 5000, "Integer value out of range"),
        "field": (b'"T",2]', b'true,2]', "Table: field 'name' has a value of the wrong type (bool)"),
        "node": (b'"T",2]', b'"T",0]', "Table: field 'fields' has a value of the wrong type (TypeRef)"),
        "arrays": b'[["TypeRef"'},
    2: {"digits": (b'"id":50100', b'"id":' + b"9" * 5000, "value has 5000 digits"),
        "field": (b'"name":"T"', b'"name":5', "Table: field 'name' has a value of the wrong type (int)"),
        "node": (b'"fields":[', b'"fields":"', None),
        "arrays": b'"fields":['},
}


def _cases(entries, metadata_format=3):
    table = entries["metadata/table/50100.json"].decode()
    index = json.loads(entries["metadata/index.json"])
    navx_xml = entries["NavxManifest.xml"]
    damage = _DAMAGE[metadata_format]

    def replaced(key, more=lambda d: d):
        old, new, message = damage[key]
        assert old in entries["metadata/table/50100.json"]
        return (_mutated(entries, "metadata/table/50100.json", lambda d: more(d.replace(old, new, 1))), "ALC0434",
                message)

    arrays = damage["arrays"]
    return {
        "xml encoding": (_mutated(entries, "NavxManifest.xml", lambda d: b'<?xml version="1.0" encoding="x-none"?>'
                                  + d), "ALC0428", "unknown encoding: x-none"),
        "unicode digits in version": (_mutated(entries, "NavxManifest.xml", lambda d: d.replace(
            b'Version="1.0.0.0"', 'Version="١.0.0.0"'.encode(), 1)), "ALC0432", "is not a version"),
        "entry name not UTF-8": (_raw(entries, [("src/%FF.al", b"x")]), "ALC0426",
                                 "`src/%FF.al`: not UTF-8 once its %-escapes are decoded"),
        "empty entry name": (_raw(entries, [("", b"x")]), "ALC0426", "empty name"),
        "lone surrogate in symbols": (_mutated(entries, "SymbolReference.json", lambda d: d.replace(
            b'"T"', b'"\\ud800"', 1)), "ALC0430", "a lone surrogate `\\ud800`"),
        "lone surrogate in metadata": (_mutated(entries, "metadata/table/50100.json", lambda d: d.replace(
            b'"A"', b'"\\udc00"', 1)), "ALC0434", "`metadata/table/50100.json` is not valid JSON: a lone surrogate"),
        "number past the digit limit": replaced("digits"),
        "wrong type of a field": replaced("field"),
        "wrong type of a node": replaced("node", lambda d: d.replace(b'}]', b'"]', 1)),
        "repeated index rows": (_mutated(entries, "metadata/index.json", lambda d: json.dumps(
            dict(index, objects=index["objects"] * 3000)).encode()), "ALC0434", "rows for 2 object entries"),
        "deep metadata": (_mutated(entries, "metadata/table/50100.json", lambda d: b"[" * 100_000 + d
                                   + b"]" * 100_000), "ALC0425", "levels deep, over the limit of 128"),
        "empty arrays": (_mutated(entries, "metadata/table/50100.json", lambda d: d.replace(
            arrays, arrays[:1] + b"".join(b"[%d]," % i for i in range(450_000)) + arrays[1:], 1)), "ALC0425",
            "arrays and objects, over the limit of 400000"),
        "symbols of numbered arrays": (_mutated(entries, "SymbolReference.json", lambda d: b'{"Tables":['
                                               + b",".join(b"[%d]" % i for i in range(3_100_000)) + b"]}"),
                                       "ALC0425", "SymbolReference.json holds 3100002 arrays and objects, over the "
                                                  "limit of 3000000"),
        "no manifest root": (_mutated(entries, "NavxManifest.xml", lambda d: navx_xml.replace(b"<Package", b"<Pkg", 1)
                                      .replace(b"</Package>", b"</Pkg>")), "ALC0428", None),
        "table nobody reads": (app_bytes(dict(entries, **{"metadata/table/50100.json": table.encode()})), None, None),
    }


def in_format_2(entries: dict) -> dict:
    """The same package with its metadata as alc wrote it before format 3."""
    from alc.package.metadata import INDEX, decode_entry, metadata_entries
    objects = [decode_entry(d, n) for n, d in sorted(entries.items()) if n.startswith("metadata/") and n != INDEX]
    out = {n: d for n, d in entries.items() if not n.startswith("metadata/")}
    out.update(metadata_entries(objects, format=2))
    assert out["metadata/table/50100.json"].startswith(b"{") and b'"format":2' in out[INDEX]
    return out


@pytest.fixture(scope="module")
def cases(entries):
    return _cases(entries)


@pytest.fixture(scope="module")
def cases_format_2(entries):
    return _cases(in_format_2(entries), 2)


CASES = ("xml encoding", "unicode digits in version", "entry name not UTF-8", "empty entry name",
         "lone surrogate in symbols", "lone surrogate in metadata", "number past the digit limit",
         "wrong type of a field", "wrong type of a node", "repeated index rows", "deep metadata", "empty arrays",
         "symbols of numbered arrays", "no manifest root", "table nobody reads")
HEAVY = ("deep metadata", "empty arrays", "symbols of numbered arrays")


METADATA_CASES = ("lone surrogate in metadata", "number past the digit limit", "wrong type of a field",
                  "wrong type of a node", "deep metadata", "empty arrays", "table nobody reads")


@pytest.mark.parametrize("case", CASES)
def test_bad_packages_are_one_clear_error(tmp_path, cases, capsys, case):
    _one_clear_error(tmp_path, cases, capsys, case)


@pytest.mark.parametrize("case", METADATA_CASES)
def test_bad_metadata_of_format_2_is_one_clear_error(tmp_path, cases_format_2, capsys, case):
    """Packages alc wrote before metadata format 3 are still read, with the same guarantees."""
    _one_clear_error(tmp_path, cases_format_2, capsys, case)


def _one_clear_error(tmp_path, cases, capsys, case):
    data, code, message = cases[case]
    path = _write(tmp_path, "bad", data)
    for args in (["inspect", path], ["check", path], ["merged", "table:50100", path]):
        exit_code, text = _run(capsys, args)
        if code is None:
            assert exit_code == 0, (args, text)
        elif exit_code != 0:
            lines = [line for line in text.splitlines() if line.strip()]
            assert exit_code == 2 and len(lines) == 1 and path in lines[0] and code in lines[0], (args, text)
            assert message is None or message in lines[0], (args, text)


@pytest.mark.parametrize("case", HEAVY)
def test_amplifying_packages_are_refused_in_bounded_memory_and_time(tmp_path, cases, case):
    """Peak memory of the refusing process (measured in a child) and its time, on a loaded machine."""
    data, code, message = cases[case]
    path = _write(tmp_path, "bad", data)
    commands = [["inspect", path]] if "symbols" in case else [["merged", "table:50100", path]]
    for args in commands:
        run = alc(args)
        assert run.code == 2 and code in run.err and message in run.err, run
        assert run.peak_mb < 400 and run.seconds < 30, (args, run.peak_mb, run.seconds)


def test_a_bad_package_in_the_cache_is_named_and_the_others_still_count(tmp_path, entries):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "dep.app").write_bytes(_mutated(entries, "SymbolReference.json", lambda d: b"[" * 100_000
                                             + b"]" * 100_000))
    (cache / "other.app").write_bytes(_mutated(entries, "NavxManifest.xml", lambda d: b'<?xml version="1.0" '
                                               b'encoding="x-none"?>' + d))
    project = write_project(str(tmp_path / "p"), id=APP_ID.replace("0001", "0002"),
                            dependencies=[{"id": APP_ID, "name": "H", "publisher": "Me", "version": "1.0.0.0"}])
    run = alc(["compile", "--project", project, "--packagecachepath", str(cache), "--out", str(tmp_path / "x.app"),
               "-j", "1"])
    assert run.code == 1, run
    rel = os.path.relpath(cache / "dep.app")   # diagnostics show paths relative unless that climbs two levels
    shown = str(cache / "dep.app") if rel.startswith(os.path.join("..", "..")) else rel
    assert (f"{shown}(1,1): error ALC0425: cannot read `dep.app`: SymbolReference.json nests 100000 "
            "levels deep, over the limit of 128") in run.out
    assert "`other.app` in the package cache is skipped, unreadable: NavxManifest.xml is not well-formed XML: " \
           "unknown encoding: x-none (ALC0428)" in run.out
    assert "internal error" not in run.out + run.err


# ------------------------------------------------------------- one identity --

def _two_faced(entries, other_manifest: bytes) -> bytes:
    """A zip whose first local header is a `NavxManifest.xml` (of another app) that the central directory
    does not list: the directory names that entry `AAAAAAAAAAAAAAAA` and lists the real manifest later."""
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("A" * 16, other_manifest)
        for name, data in entries.items():
            zf.writestr(encode_entry_name(name), data)
    data = bytearray(buf.getvalue())
    assert data[30:46] == b"A" * 16
    data[30:46] = b"NavxManifest.xml"   # the local header only
    return navx(bytes(data))


def test_local_headers_that_disagree_with_the_directory_are_refused_by_every_reader(tmp_path, entries, capsys):
    other = entries["NavxManifest.xml"].replace(b'Name="H"', b'Name="Impostor"')
    cache = tmp_path / "cache"
    cache.mkdir()
    path = cache / "two.app"
    path.write_bytes(_two_faced(entries, other))
    for args in (["inspect", str(path)], ["check", str(path)]):
        code, text = _run(capsys, args)
        assert code == 2 and "error ALC0424: entry `AAAAAAAAAAAAAAAA`: its local header names another entry" in text
    project = write_project(str(tmp_path / "p"), id=APP_ID.replace("0001", "0002"),
                            dependencies=[{"id": APP_ID, "name": "H", "publisher": "Me", "version": "1.0.0.0"}])
    code, text = _run(capsys, ["compile", "--project", project, "--packagecachepath", str(cache),
                               "--out", str(tmp_path / "x.app"), "-j", "1"])
    assert code == 1 and "Impostor" not in text
    assert "cannot read `two.app`: entry `AAAAAAAAAAAAAAAA`: its local header names another entry" in text


def test_a_manifest_whose_local_header_lies_is_skipped_by_the_cache_scan(tmp_path, entries, capsys):
    from alc.package.cache import scan_package_cache
    data = bytearray(app_bytes(entries))
    at = 40 + 14                      # the CRC-32 of the first local header: NavxManifest.xml
    data[at:at + 4] = b"\0\0\0\0"
    (tmp_path / "lie.app").write_bytes(bytes(data))
    index = scan_package_cache(str(tmp_path))
    assert [d.message for d in index.diagnostics] == [
        "`lie.app` in the package cache is skipped, unreadable: entry `NavxManifest.xml`: its local header gives "
        "another checksum or size than the directory (ALC0424)"]
    code, text = _run(capsys, ["inspect", str(tmp_path / "lie.app")])
    assert code == 2 and "its local header gives another checksum or size than the directory" in text


def test_symbols_declaring_more_objects_than_the_budget_are_refused_before_building_them():
    from alc.package import PackageError
    from alc.package.errors import Limits
    from alc.package.symbols_json import read_symbols
    nested = {"Namespaces": [{"Name": "A", "Tables": [{"Id": i, "Name": f"T{i}"} for i in range(60)]},
                             {"Name": "B", "Codeunits": [{"Id": i, "Name": f"C{i}"} for i in range(60)]}]}
    assert len(list(read_symbols(json.dumps(nested).encode(), Limits(max_symbol_objects=120)).objects())) == 120
    with pytest.raises(PackageError) as info:
        read_symbols(json.dumps(nested).encode(), Limits(max_symbol_objects=100))
    assert info.value.code == "ALC0425" and "over the limit of 100" in info.value.message


@pytest.mark.parametrize("option", ["--tables", "--extensions", "--depth", "--enums"])
def test_generate_counts_have_a_budget(tmp_path, capsys, option):
    started = time.perf_counter()
    code, text = _run(capsys, ["generate", str(tmp_path / "g"), option, "100000000000000000000"])
    assert code == 2 and text.strip() == f"alc: error: {option} must be at most 1000000"
    assert time.perf_counter() - started < 5 and not (tmp_path / "g").exists()


@pytest.mark.parametrize("target", ["²", "٣", "9" * 5000])
def test_extension_targets_that_look_like_numbers(tmp_path, capsys, target):
    """Found by the fuzzer: `isdigit` lets `²` through to `int`."""
    entries = sample_entries("table 50100 T { fields { field(1; A; Integer) { } } }\n"
                             "tableextension 50101 X extends T { fields { field(50100; B; Integer) { } } }")
    name = "metadata/tableextension/50101.json"
    path = _write(tmp_path, "ext", _mutated(entries, name, lambda d: d.replace(b'"X","T"', b'"X",' + json.dumps(
        target).encode(), 1)))
    code, text = _run(capsys, ["check", path])
    assert code == 0 and "warning ALC0310: tableextension `X` of `H` extends table" in text, text
    code, text = _run(capsys, ["merged", "table:50100", path])
    assert code == 0 and "field(1; A; Integer)" in text and "B;" not in text
