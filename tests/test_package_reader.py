"""Whole packages: write_package -> read_package, and `alc inspect`."""

import json
import struct
import uuid

import pytest

from alc import parse_text
from alc.cli import main
from alc.package import PackageError, RuntimePackageError, read_package, write_package
from alc.package.container import app_bytes
from alc.package.manifest import NavxManifest, Prerequisite, RuntimePackageInfo, write_manifest
from alc.package.symbols import symbols_from_ir, write_symbols
from alc.appmodel import AppManifest, Dependency, IdRange, Version

APP = AppManifest("0f3b2c1a-0000-4000-8000-000000000001", "Loyalty", "Fabrikam", Version(1, 0, 0, 0),
                  dependencies=(Dependency("437dbf0e-84ff-417a-965d-ed2bb9650972", "Base Application", "Microsoft",
                                           Version(24, 0, 0, 0)),),
                  id_ranges=(IdRange(50100, 50199),), runtime="13.0", target="Cloud")

SOURCES = {
    "Loyalty Entry.Table.al": b'table 50100 "Loyalty Entry" { fields { field(1; "Entry No."; Integer) { } } }',
    "Table Extension/Customer.TableExt.al":
        b'tableextension 50101 "Loyalty Customer" extends Customer { fields { field(50100; Points; Decimal) { } } }',
    "Codeunits/Mgt.Codeunit.al": b'codeunit 50102 "Loyalty Mgt." { procedure Award() begin end; }',
    "Enums/Level.Enum.al": b'enum 50103 "Loyalty Level" { value(0; None) { } }',
    "Interfaces/ILoyalty.Interface.al": b'interface ILoyalty { procedure Multiplier(): Decimal; }',
}


def objects_of(sources):
    return [o for text in sources.values() for o in parse_text(text.decode()).objects]


def build(path=None, sources=SOURCES, manifest=None):
    manifest = manifest or NavxManifest(APP, capabilities=("schemaAdds", "schemaChanges", "codeAdds"),
                                        prerequisites=(Prerequisite("Table", "Customer", 18),))
    return write_package(path, manifest, symbols_from_ir(objects_of(sources), APP, "13.0"), sources)


def test_write_then_read(tmp_path):
    path = tmp_path / "Fabrikam_Loyalty_1.0.0.0.app"
    data = build(str(path))
    assert path.read_bytes() == data
    pkg = read_package(str(path))
    assert pkg.app == APP
    assert pkg.manifest.capabilities == ("schemaAdds", "schemaChanges", "codeAdds")
    assert pkg.symbols == symbols_from_ir(objects_of(SOURCES), APP, "13.0")
    assert pkg.entries == ("NavxManifest.xml", "src/Codeunits/Mgt.Codeunit.al", "src/Enums/Level.Enum.al",
                           "src/Interfaces/ILoyalty.Interface.al", "src/Loyalty Entry.Table.al",
                           "src/Table Extension/Customer.TableExt.al", "SymbolReference.json", "[Content_Types].xml")
    assert pkg.has_source and not pkg.runtime_package and not pkg.signed
    assert pkg.read("src/Table Extension/Customer.TableExt.al") == SOURCES["Table Extension/Customer.TableExt.al"]
    assert pkg.package_id == uuid.UUID(bytes_le=data[12:28])


def test_rebuild_is_byte_identical(tmp_path):
    first, second = tmp_path / "a.app", tmp_path / "b.app"
    build(str(first))
    build(str(second), sources=dict(reversed(list(SOURCES.items()))))
    assert first.read_bytes() == second.read_bytes()


def test_runtime_package_marker_and_no_source():
    manifest = NavxManifest(APP, runtime_package=RuntimePackageInfo(Version(24, 0, 0, 0)))
    pkg = read_package(write_package(None, manifest, symbols_from_ir(objects_of(SOURCES), APP), {}))
    assert pkg.runtime_package and not pkg.has_source
    assert pkg.manifest.runtime_package.platform == Version(24, 0, 0, 0)


def test_inspect_objects_equal_the_source():
    pkg = read_package(build())
    listed = {(o["type"], o["id"], o["name"], o["target"]) for o in pkg.objects()}
    source = {(o.kind, o.id, o.name, getattr(o, "target", None)) for o in objects_of(SOURCES)}
    assert listed == source


def test_server_made_symbol_package_with_padding():
    entries = {"NavxManifest.xml": write_manifest(NavxManifest(APP)),
               "SymbolReference.json": b'\xef\xbb\xbf{"Tables":[{"Id":18,"Name":"Customer"}]}' + b"\0" * 1000,
               "DocComments.xml": b"<doc />"}
    pkg = read_package(app_bytes(entries))
    assert pkg.objects() == [{"type": "table", "id": 18, "name": "Customer", "target": None}]
    assert not pkg.has_source


def test_package_without_symbols_has_no_objects():
    pkg = read_package(app_bytes({"NavxManifest.xml": write_manifest(NavxManifest(APP))}))
    assert pkg.objects() == []


@pytest.mark.parametrize("entries, code", [
    ({"SymbolReference.json": b"{}"}, "ALC0431"),
    ({"NavxManifest.xml": b'<!DOCTYPE x [<!ENTITY a "b">]><Package />'}, "ALC0429"),
    ({"NavxManifest.xml": write_manifest(NavxManifest(APP)), "SymbolReference.json": b'{"Tables": 5}'}, "ALC0430"),
])
def test_bad_packages(tmp_path, entries, code):
    path = tmp_path / "bad.app"
    path.write_bytes(app_bytes(entries))
    with pytest.raises(PackageError) as info:
        read_package(str(path))
    assert info.value.code == code and str(info.value).startswith(str(path) + ": error " + code)


# ------------------------------------------------------------------- the CLI --

def test_inspect_json(tmp_path, capsys):
    path = tmp_path / "x.app"
    build(str(path))
    assert main(["inspect", str(path), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert list(doc) == ["id", "name", "publisher", "version", "package_id", "runtime_package", "has_source",
                         "dependencies", "capabilities", "objects", "resources", "implicit_entitlements",
                         "entitlements"]
    assert doc["package_id"] == str(read_package(str(path)).package_id)
    assert (doc["id"], doc["name"], doc["publisher"], doc["version"]) == (APP.id, "Loyalty", "Fabrikam", "1.0.0.0")
    assert doc["runtime_package"] is False and doc["has_source"] is True
    assert doc["dependencies"] == [{"id": "437dbf0e-84ff-417a-965d-ed2bb9650972", "name": "Base Application",
                                    "publisher": "Microsoft", "version": "24.0.0.0"}]
    assert doc["capabilities"] == ["schemaAdds", "schemaChanges", "codeAdds"]
    assert {"type": "tableextension", "id": 50101, "name": "Loyalty Customer", "target": "Customer"} in doc["objects"]
    assert {"type": "interface", "id": None, "name": "ILoyalty", "target": None} in doc["objects"]
    assert {"type": "table", "id": 50100, "name": "Loyalty Entry", "target": None} == doc["objects"][0]


def test_inspect_text(tmp_path, capsys):
    path = tmp_path / "x.app"
    build(str(path))
    assert main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Loyalty 1.0.0.0 by Fabrikam\n")
    assert "  runtime package: no\n" in out and "  source:          yes (5 files)\n" in out
    assert "  Base Application 24.0.0.0 by Microsoft (437dbf0e-84ff-417a-965d-ed2bb9650972)\n" in out
    assert '  tableextension 50101 "Loyalty Customer" extends Customer\n' in out
    assert "  interface ILoyalty\n" in out


def test_inspect_microsoft_runtime_package_is_one_line_exit_2(tmp_path, capsys):
    path = tmp_path / "rt.app"
    payload = b".NEA\x00\x00\x00\x01" + bytes(range(256)) * 4
    path.write_bytes(struct.pack("<4sII16sq4s", b"NAVX", 40, 2, uuid.uuid4().bytes_le, len(payload), b"NAVX")
                     + payload)
    with pytest.raises(RuntimePackageError):
        read_package(str(path))
    assert main(["inspect", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"{path}: error ALC0423: this is a runtime package")


@pytest.mark.parametrize("content", [b"", b"not a package", b"NAVX" + b"\0" * 100])
def test_inspect_bad_input_exit_2(tmp_path, capsys, content):
    path = tmp_path / "bad.app"
    path.write_bytes(content)
    assert main(["inspect", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "error ALC04" in err and "Traceback" not in err


def test_inspect_missing_file_exit_2(tmp_path, capsys):
    assert main(["inspect", str(tmp_path / "missing.app")]) == 2
    assert "error ALC0420" in capsys.readouterr().err


def test_inspect_zip_bomb_exit_2(tmp_path, capsys):
    path = tmp_path / "bomb.app"
    path.write_bytes(app_bytes({"NavxManifest.xml": write_manifest(NavxManifest(APP)),
                                "SymbolReference.json": b" " * (8 << 20)}))
    assert main(["inspect", str(path)]) == 2
    assert "zip bomb" in capsys.readouterr().err


def test_every_package_code_is_registered():
    import pathlib
    import re
    from alc.diagnostics import CODES
    root = pathlib.Path(__file__).parent.parent / "alc"
    used = set()
    for path in [root / "build" / "project.py", *sorted((root / "package").glob("*.py"))]:
        used |= set(re.findall(r'"(ALC04\d\d)"', path.read_text()))
    assert used and all(code in CODES and CODES[code].explanation for code in used)
    assert {"ALC0420", "ALC0421", "ALC0422", "ALC0423", "ALC0424", "ALC0425", "ALC0426", "ALC0427", "ALC0428",
            "ALC0429", "ALC0430", "ALC0431", "ALC0432", "ALC0440"} <= used


def test_damaged_packages_only_ever_raise_package_error():
    """Seeded random damage to a valid package: every outcome is a read or a PackageError."""
    import random
    base = build()
    rng = random.Random(20261121)
    for _ in range(300):
        data = bytearray(base)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.2:
            data = data[:rng.randrange(len(data))]
        try:
            pkg = read_package(bytes(data))
            for name in pkg.entries:
                pkg.read(name)
        except PackageError:
            pass
