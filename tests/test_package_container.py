"""The .app container: deterministic writing, and reading that trusts nothing."""

import io
import os
import struct
import uuid
import zipfile

import pytest

from alc.package.container import (HEADER_SIZE, app_bytes, content_types_xml, decode_entry_name,
                                   encode_entry_name, open_container, read_container, write_app)
from alc.package.errors import Limits, PackageError, RuntimePackageError

ENTRIES = {
    "NavxManifest.xml": b"<Package />",
    "SymbolReference.json": b"\xef\xbb\xbf{}",
    "src/Table Extension/Customer.TableExt.al": b"tableextension 50100 X extends Customer { }",
    "src/Codeunits/Hello.al": b"codeunit 50100 Hello { }",
    "src/50% off/\u00e9t\u00e9.al": b"codeunit 50101 Summer { }",
    "DocComments.xml": b"<doc />",
    "logo/Logo.png": b"\x89PNG",
}


def navx(payload: bytes, *, magic=b"NAVX", size=HEADER_SIZE, version=2, length=None, end=b"NAVX") -> bytes:
    """A NAVX header around any payload, with any field wrong on request."""
    n = len(payload) if length is None else length
    return struct.pack("<4sII16sq4s", magic, size, version, uuid.uuid4().bytes_le, n, end) + payload


def zip_of(entries, method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name)          # names kept exactly as given (no sanitizing)
            info.compress_type = method
            zf.writestr(info, data)
    return buf.getvalue()


def error_of(data: bytes, limits: Limits = Limits()) -> PackageError:
    with pytest.raises(PackageError) as info:
        c = read_container(data, limits)
        for name in c.names:
            c.read(name)
    return info.value


# ------------------------------------------------------------------ writing --

def test_write_and_read_back():
    data = app_bytes(ENTRIES)
    c = read_container(data)
    assert c.names == ("NavxManifest.xml", "src/50% off/\u00e9t\u00e9.al", "src/Codeunits/Hello.al",
                       "src/Table Extension/Customer.TableExt.al", "DocComments.xml", "SymbolReference.json",
                       "logo/Logo.png", "[Content_Types].xml")
    for name, content in ENTRIES.items():
        assert c.read(name) == content
    # Source paths are encoded twice, as in real packages (a space is `%2520`).
    assert c.raw_names[1] == "src/50%2525%2520off/%25C3%25A9t%25C3%25A9.al"
    assert c.raw_names[3] == "src/Table%2520Extension/Customer.TableExt.al"
    assert c.header.package_id == uuid.UUID(bytes_le=data[12:28])
    assert c.header.signed is False


def test_header_layout():
    data = app_bytes(ENTRIES)
    magic, size, version, guid, length, end = struct.unpack_from("<4sII16sq4s", data)
    assert (magic, size, version, end) == (b"NAVX", 40, 2, b"NAVX")
    assert length == len(data) - 40
    assert data[40:44] == b"PK\x03\x04"
    # other zip readers accept the payload
    with zipfile.ZipFile(io.BytesIO(data[40:])) as zf:
        assert zf.testzip() is None
        infos = zf.infolist()
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
        assert {i.flag_bits & 0x800 for i in infos} == {0x800}
        assert {i.external_attr for i in infos} == {0}
        assert infos[-1].filename == "[Content_Types].xml"


def test_content_types_has_bom_and_one_empty_default_per_extension():
    xml = content_types_xml(["NavxManifest.xml", "src/a.al", "src/b.al", "SymbolReference.json", "logo/x.PNG",
                             "README"]).decode("utf-8")
    assert xml.startswith("\ufeff<?xml")
    assert '<Default Extension="xml" ContentType="" />' in xml
    assert '<Default Extension="al" ContentType="" />' in xml
    assert '<Default Extension="json" ContentType="" />' in xml
    assert '<Default Extension="png" ContentType="" />' in xml
    assert xml.count("<Default ") == 4
    assert '<Override PartName="/README" ContentType="" />' in xml


def test_deterministic_bytes_and_guid_derived_from_content():
    first = app_bytes(ENTRIES)
    second = app_bytes(dict(reversed(list(ENTRIES.items()))))
    assert first == second
    changed = app_bytes({**ENTRIES, "src/Codeunits/Hello.al": b"codeunit 50100 Hello2 { }"})
    assert changed[12:28] != first[12:28]


def test_write_app_is_atomic_and_byte_identical(tmp_path):
    target = tmp_path / "App.app"
    guid = write_app(str(target), ENTRIES)
    first = target.read_bytes()
    write_app(str(target), ENTRIES)
    assert target.read_bytes() == first
    assert uuid.UUID(bytes_le=first[12:28]) == guid
    assert os.listdir(tmp_path) == ["App.app"]          # no temporary files left behind


def test_failed_write_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "App.app"
    target.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(PackageError) as info:
        write_app(str(target), ENTRIES)
    assert info.value.code == "ALC0440"
    assert os.listdir(tmp_path) == ["App.app"] and target.read_bytes() == b"old"


def test_write_into_missing_folder_is_alc0440(tmp_path):
    with pytest.raises(PackageError) as info:
        write_app(str(tmp_path / "no" / "App.app"), ENTRIES)
    assert info.value.code == "ALC0440"


def test_writer_refuses_unsafe_names():
    with pytest.raises(PackageError) as info:
        app_bytes({"../evil.al": b""})
    assert info.value.code == "ALC0440"


def test_entry_name_encoding_round_trip():
    for name in ("src/Table Extension/x.al", "src/a+b (1)/x&y.al", "src/100%/\u00fc.al", "src/#1.al"):
        assert decode_entry_name(encode_entry_name(name)) == name


# ------------------------------------------------------------------ reading --

def test_open_container_from_disk(tmp_path):
    path = tmp_path / "x.app"
    path.write_bytes(app_bytes(ENTRIES))
    assert open_container(str(path)).read("NavxManifest.xml") == b"<Package />"


def test_missing_file_is_alc0420(tmp_path):
    with pytest.raises(PackageError) as info:
        open_container(str(tmp_path / "nope.app"))
    assert info.value.code == "ALC0420" and str(tmp_path) in str(info.value)


@pytest.mark.parametrize("data, code, text", [
    (b"PK\x03\x04" + b"\0" * 60, "ALC0421", "wrong magic"),
    (navx(b"", magic=b"NAVY"), "ALC0421", "wrong magic `NAVY`"),
    (navx(b"", size=44), "ALC0421", "header size 44"),
    (navx(b"", version=3), "ALC0421", "header version 3"),
    (navx(b"", end=b"XVAN"), "ALC0421", "does not end with `NAVX`"),
    (b"NAVX\x28\0\0\0", "ALC0422", "shorter than the 40-byte header"),
    (b"", "ALC0422", "shorter than the 40-byte header"),
    (navx(b"PK", length=1000), "ALC0422", "announces 1000 payload bytes"),
    (navx(b"PK", length=-5), "ALC0422", "announces -5 payload bytes"),
    (navx(b"hello"), "ALC0424", "not a valid zip"),
    (navx(b".NEA\x00\x00\x00\x01" + os.urandom(64)), "ALC0423", "runtime package"),
])
def test_malformed_header_and_payload(data, code, text):
    err = error_of(data)
    assert err.code == code and text in err.message


def test_truncated_real_package():
    data = app_bytes(ENTRIES)
    err = error_of(data[:-10])
    assert err.code == "ALC0422"


def test_zip_length_mismatch_with_trailing_garbage():
    err = error_of(app_bytes(ENTRIES) + b"garbage!")
    assert err.code == "ALC0422" and "8 unexpected bytes" in err.message


def test_runtime_package_has_its_own_error_type():
    with pytest.raises(RuntimePackageError):
        read_container(navx(b".NEA\x00\x00\x00\x01" + b"\x17" * 100))


def test_signed_package_trailer_is_tolerated():
    data = app_bytes(ENTRIES)
    der = b"\x30\x03\x02\x01\x01"       # stands in for the CMS SignedData
    signed = data + b"NXSB" + der + struct.pack("<I", len(data)) + b"NXSB"
    c = read_container(signed)
    assert c.header.signed is True and c.read("NavxManifest.xml") == b"<Package />"
    broken = data + b"NXSB" + der + struct.pack("<I", 12345) + b"NXSB"
    assert error_of(broken).code == "ALC0422"


@pytest.mark.parametrize("name, problem", [
    ("../evil.al", "`..` segment"),
    ("src/../../evil.al", "`..` segment"),
    ("src/%2E%2E/%2E%2E/evil.al", "`..` segment"),
    ("/etc/passwd", "absolute path"),
    ("%2Fetc%2Fpasswd", "absolute path"),
    ("src\\..\\evil.al", "backslash"),
    ("src%5Cevil.al", "backslash"),
    ("C:/Windows/evil.dll", "drive letter"),
    ("src/a\x01.al", "control character"),
    ("src//a.al", "empty path segment"),
])
def test_entry_names_that_escape_a_folder_are_rejected(name, problem):
    err = error_of(navx(zip_of([("NavxManifest.xml", b"<Package/>"), (name, b"x")])))
    assert err.code == "ALC0426" and problem in err.message


def test_duplicate_entries_are_rejected():
    err = error_of(navx(zip_of([("src/a.al", b"1"), ("SRC/A.al", b"2")])))
    assert err.code == "ALC0427"


def test_zip_bomb_by_ratio():
    bomb = navx(zip_of([("NavxManifest.xml", b"<Package/>"), ("SymbolReference.json", b"\0" * (4 << 20))]))
    err = error_of(bomb)
    assert err.code == "ALC0425" and "zip bomb" in err.message


def test_zip_bomb_by_total_size():
    data = navx(zip_of([(f"src/{i}.al", os.urandom(2000)) for i in range(10)]))
    err = error_of(data, Limits(max_total_size=10_000))
    assert err.code == "ALC0425" and "in total" in err.message


def test_zip_bomb_by_entry_size_and_count():
    data = navx(zip_of([(f"src/{i}.al", b"x" * 3000) for i in range(5)]))
    assert "over the limit of 1000" in error_of(data, Limits(max_entry_size=1000)).message
    assert "5 entries" in error_of(data, Limits(max_entries=4)).message


def test_directory_larger_than_its_claimed_count_is_refused():
    payload = bytearray(zip_of([(f"a{i}", b"") for i in range(1500)], method=zipfile.ZIP_STORED))
    struct.pack_into("<HH", payload, payload.rindex(b"PK\x05\x06") + 8, 1, 1)    # claim one entry
    err = error_of(navx(bytes(payload)), Limits(max_entries=2))
    assert err.code == "ALC0425" and "zip directory" in err.message
    # with room in the directory, the real count is still checked after parsing
    assert "1500 entries" in error_of(navx(bytes(payload)), Limits(max_entries=200)).message


def test_entry_lying_about_its_size_is_corrupt():
    payload = bytearray(zip_of([("src/a.al", b"A" * 5000)]))
    # shrink the uncompressed size in the local and central headers: the data now expands beyond it
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = payload.index(sig)
        struct.pack_into("<I", payload, at + offset, 100)
    c = read_container(navx(bytes(payload)))
    with pytest.raises(PackageError) as info:
        c.read("src/a.al")
    assert info.value.code == "ALC0424"


def test_unsupported_compression_and_encryption():
    payload = bytearray(zip_of([("src/a.al", b"data")], method=zipfile.ZIP_STORED))
    for sig, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        struct.pack_into("<H", payload, payload.index(sig) + offset, 14)     # LZMA
    assert "compression method 14" in error_of(navx(bytes(payload))).message
    payload = bytearray(zip_of([("src/a.al", b"data")], method=zipfile.ZIP_STORED))
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        struct.pack_into("<H", payload, payload.index(sig) + offset, 1)      # encrypted
    assert "encrypted" in error_of(navx(bytes(payload))).message


def test_corrupt_deflate_data():
    payload = bytearray(zip_of([("src/a.al", os.urandom(3000))]))
    start = payload.index(b"src/a.al") + len("src/a.al")
    payload[start:start + 200] = b"\xff" * 200
    c = read_container(navx(bytes(payload)))
    with pytest.raises(PackageError) as info:
        c.read("src/a.al")
    assert info.value.code == "ALC0424"


def test_file_size_limit(tmp_path):
    path = tmp_path / "big.app"
    path.write_bytes(app_bytes(ENTRIES))
    with pytest.raises(PackageError) as info:
        open_container(str(path), Limits(max_file_size=100))
    assert info.value.code == "ALC0425"


def test_more_than_65535_entries_use_zip64_end_records(tmp_path):
    entries = {f"src/f{i}.al": b"" for i in range(70_000)}
    path = str(tmp_path / "big.app")
    write_app(path, entries)
    data = open(path, "rb").read()
    assert b"PK\x06\x06" in data[-200:] and b"PK\x06\x07" in data[-200:]   # zip64 end record and locator
    container = open_container(path)
    assert len([n for n in container.names if n.startswith("src/")]) == 70_000
    assert container.read("src/f69999.al") == b""
    assert zipfile.ZipFile(io.BytesIO(data[40:])).testzip() is None


# ------------------------------------------------- the plain directory reader --

_INFO_FIELDS = ("filename", "orig_filename", "flag_bits", "compress_type", "CRC", "compress_size", "file_size",
                "header_offset")


def _facts(infos) -> list:
    return [tuple(getattr(i, f) for f in _INFO_FIELDS) + (i.is_dir(),) for i in infos]


def test_the_plain_directory_reader_says_what_zipfile_says():
    """alc's zips are read from their central directory without zipfile: the same entries, field for field."""
    from alc.package.container import _plain_directory
    entries = dict(ENTRIES, **{f"src/f{i}.al": os.urandom(i * 7) for i in range(50)}, **{"src/empty.al": b""})
    payload = app_bytes(entries)[HEADER_SIZE:]
    plain = _plain_directory(memoryview(payload))
    assert plain is not None and len(plain) == len(entries) + 1
    assert _facts(plain) == _facts(zipfile.ZipFile(io.BytesIO(payload)).infolist())
    c = read_container(app_bytes(entries))
    assert c.zip is None and all(c.read(n) == entries[n] for n in entries)


@pytest.mark.parametrize("change", ["comment", "extra", "zipfile"])
def test_other_zips_are_left_to_zipfile(change):
    from alc.package.container import _plain_directory
    if change == "zipfile":
        payload = zip_of([("a.al", b"x" * 100), ("dir/", b"")])
    else:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            info = zipfile.ZipInfo("a.al")
            if change == "extra":
                info.extra = struct.pack("<HH4s", 0xCAFE, 4, b"abcd")
            zf.writestr(info, b"x" * 100)
            if change == "comment":
                zf.comment = b"hello"
        payload = buf.getvalue()
    if _plain_directory(memoryview(payload)) is not None:    # zipfile's own output may be plain: then the same
        assert _facts(_plain_directory(memoryview(payload))) == _facts(zipfile.ZipFile(io.BytesIO(payload)).infolist())
    assert read_container(navx(payload)).read("a.al") == b"x" * 100


def test_read_buffer_inflates_a_large_entry_a_chunk_at_a_time():
    text = b"".join(b"line %d of a large symbol file\n" % i for i in range(200_000))   # 6 MB, several chunks
    c = read_container(app_bytes({"SymbolReference.json": text, "b.bin": os.urandom(3 << 20)}))
    assert c.read_buffer("SymbolReference.json") == text == c.read("SymbolReference.json")
    assert c.read_buffer("b.bin") == c.read("b.bin")
    stored = read_container(navx(zip_of([("s.bin", text)], method=zipfile.ZIP_STORED)))
    assert stored.read_buffer("s.bin") == text
