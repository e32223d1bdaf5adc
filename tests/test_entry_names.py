"""Entry names as real packages write them: a source path under `src/` is
percent-encoded twice (a space is `%2520` in every real package looked at),
every other entry once (`layout/`, `Translations/`, `entitlement/`: `%20`);
packages that encoded sources once still read the same."""

import io
import json
import struct
import uuid
import zipfile

import pytest

from alc.build.compiler import CompileOptions, compile_project
from alc.cli import main
from alc.package.container import HEADER_SIZE, decode_entry_name, encode_entry_name, read_container
from alc.package.errors import PackageError


def _navx(entries) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(zipfile.ZipInfo(name), data)     # raw names exactly as given
    payload = buf.getvalue()
    return struct.pack("<4sII16sq4s", b"NAVX", HEADER_SIZE, 2, uuid.uuid4().bytes_le, len(payload), b"NAVX") + payload


def test_sources_twice_the_rest_once():
    assert encode_entry_name("src/Extension Management/src/WaitSpinner.ControlAddIn.al") == \
        "src/Extension%2520Management/src/WaitSpinner.ControlAddIn.al"
    assert encode_entry_name("src/Page Extensions/Sales&Receivables.al") == \
        "src/Page%2520Extensions/Sales&Receivables.al"
    assert encode_entry_name("layout/src/reports/WebEP Monthly Report.rdl") == \
        "layout/src/reports/WebEP%20Monthly%20Report.rdl"
    assert encode_entry_name("Translations/Business Foundation.g.xlf") == "Translations/Business%20Foundation.g.xlf"


def test_real_and_once_encoded_sources_read_the_same():
    for raw in ("src/Extension%2520Management/x.al", "src/Extension%20Management/x.al"):
        c = read_container(_navx([("NavxManifest.xml", b"<Package/>"), (raw, b"codeunit 1 X { }")]))
        assert c.names[1] == "src/Extension Management/x.al" and c.read("src/Extension Management/x.al")
    assert decode_entry_name("layout/A%2520B.rdl") == "layout/A%20B.rdl"     # only sources are decoded twice


@pytest.mark.parametrize("raw", ["src/%252E%252E/x.al", "src/a%252F..%252F..%252Fx.al", "src/%2500.al"])
def test_what_the_second_decoding_gives_is_checked(raw):
    with pytest.raises(PackageError) as info:
        decode_entry_name(raw)
    assert info.value.code == "ALC0426"


def test_unpack_gives_the_folders_back_and_the_same_bytes(tmp_path):
    root = tmp_path / "p"
    (root / "Extension Management" / "src").mkdir(parents=True)
    (root / "app.json").write_text(json.dumps({
        "id": "5a1b2c3d-0000-4000-8000-00000000ee01", "name": "Names Demo", "publisher": "alc tests",
        "version": "1.0.0.0", "idRanges": [{"from": 50990, "to": 50999}], "runtime": "14.0"}))
    (root / "Extension Management" / "src" / "Hello World.Codeunit.al").write_text("codeunit 50990 Hello { }")
    out = tmp_path / "p.app"
    assert compile_project(CompileOptions(project=str(root), package_cache=(), out=str(out), jobs=1)).ok
    with zipfile.ZipFile(io.BytesIO(out.read_bytes()[HEADER_SIZE:])) as z:
        assert "src/Extension%2520Management/src/Hello%2520World.Codeunit.al" in z.namelist()
    folder = tmp_path / "u"
    assert main(["unpack", str(out), str(folder)]) == 0
    assert (folder / "Extension Management" / "src" / "Hello World.Codeunit.al").read_text() == \
        "codeunit 50990 Hello { }"
    again = tmp_path / "again.app"
    assert compile_project(CompileOptions(project=str(folder), package_cache=(), out=str(again), jobs=1)).ok
    assert again.read_bytes() == out.read_bytes()
