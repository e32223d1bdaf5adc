"""The `.app` container: a 40-byte NAVX header followed by a zip (OPC) payload.

Writing is deterministic: entries in a fixed order, one timestamp, fixed
attributes, and a package GUID derived from the bytes of the zip, so the same
entries give the same file. Files are written to a temporary name in the
target folder and renamed, so a failed write leaves nothing behind.

Reading checks everything: header fields, lengths, the signature trailer,
entry count and sizes (zip bombs), entry names (path traversal), duplicate
names, compression methods. Each failure is one ``PackageError``.

>>> data = app_bytes({"NavxManifest.xml": b"<Package/>", "src/Table Extension/x.al": b"table 1 X { }"})
>>> data[:4], len(data) > 40
(b'NAVX', True)
>>> c = read_container(data)
>>> c.names
('NavxManifest.xml', 'src/Table Extension/x.al', '[Content_Types].xml')
>>> c.raw_names[1]
'src/Table%2520Extension/x.al'
>>> c.read("src/Table Extension/x.al")
b'table 1 X { }'
>>> app_bytes({"a.xml": b"1"}) == app_bytes({"a.xml": b"1"})
True
"""

from __future__ import annotations

import copy
import errno
import hashlib
import io
import os
import re
import struct
import uuid
import zipfile
import zlib
from typing import Iterable, Iterator, Mapping, NamedTuple, Optional, Union
from urllib.parse import quote, unquote

import attrs

from ..output import OutputError, write_atomic
from ..source import read_problem, read_regular
from .errors import DEFAULT_LIMITS, Limits, PackageError, RuntimePackageError

__all__ = ["HEADER_SIZE", "MAGIC", "Header", "Container", "app_bytes", "write_app", "write_bytes", "read_container",
           "open_container", "encode_entry_name", "decode_entry_name", "entry_order", "content_types_xml",
           "package_guid", "pack_entry", "pack_pieces"]

MAGIC = b"NAVX"
SIGNATURE_MAGIC = b"NXSB"
RUNTIME_MAGIC = b".NEA"
HEADER_SIZE = 40
HEADER_VERSION = 2
_HEADER = struct.Struct("<4sII16sq4s")
assert _HEADER.size == HEADER_SIZE

CONTENT_TYPES = "[Content_Types].xml"
MANIFEST = "NavxManifest.xml"
_CT_NAMESPACE = "http://schemas.openxmlformats.org/package/2006/content-types"
_PACKAGE_NAMESPACE = uuid.UUID("6c1f3a52-8d2e-5b7a-9c44-2f6e0a1d7b35")
"""Namespace of the package GUIDs alc derives (uuid5 over the payload's SHA-256)."""

# One fixed timestamp for every entry: 1980-01-01 00:00:00, the first DOS date.
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1
_UTF8_FLAG = 0x0800
_ZIP_VERSION = 20
_SAFE_CHARS = "!$&'()*+,;=:@~"   # RFC 3986 pchar, besides unreserved characters


# ------------------------------------------------------------------- names --

SOURCE_FOLDER = "src/"


def _quote(name: str) -> str:
    return "/".join(quote(part, safe=_SAFE_CHARS) for part in name.split("/"))


def encode_entry_name(name: str) -> str:
    """Percent-encode each segment of an entry name, as real packages do:
    once, and the path of a source file under `src/` twice (every real
    package in the public repositories looked at writes a space in a source
    path as `%2520`, 34,999 entries, and one anywhere else as `%20`, as in
    `layout/`, `Translations/` and `entitlement/`; `&` is kept in both).

    >>> encode_entry_name("src/Table Extension/50% off.al")
    'src/Table%2520Extension/50%2525%2520off.al'
    >>> encode_entry_name("layout/Sales Invoice.rdlc"), encode_entry_name("[Content_Types].xml")
    ('layout/Sales%20Invoice.rdlc', '[Content_Types].xml')
    """
    if name == CONTENT_TYPES:
        return name
    if name.startswith(SOURCE_FOLDER):
        return SOURCE_FOLDER + _quote(_quote(name[len(SOURCE_FOLDER):]))
    return _quote(name)


def decode_entry_name(raw: str) -> str:
    """The entry name with percent-escapes decoded; PackageError when unsafe.

    The path of a source file under `src/` is decoded twice (real packages
    encode it twice, :func:`encode_entry_name`; a package that encoded it
    once decodes the same), and checked once decoded.

    >>> decode_entry_name("src/Codeunit%2520Ext/a.al"), decode_entry_name("src/Codeunit%20Ext/a.al")
    ('src/Codeunit Ext/a.al', 'src/Codeunit Ext/a.al')
    >>> decode_entry_name("src/a..b/.x/x.al"), decode_entry_name("src/./a.al")
    Traceback (most recent call last):
    alc.package.errors.PackageError: error ALC0426: unsafe entry name `src/./a.al`: `.` segment
    >>> decode_entry_name("src/../../etc/passwd")
    Traceback (most recent call last):
    alc.package.errors.PackageError: error ALC0426: unsafe entry name `src/../../etc/passwd`: `..` segment
    >>> decode_entry_name("src/%252E%252E/x.al")
    Traceback (most recent call last):
    alc.package.errors.PackageError: error ALC0426: unsafe entry name `src/%252E%252E/x.al`: `..` segment
    """
    if _PLAIN_NAME.match(raw):
        return raw
    try:
        name = raw if raw == CONTENT_TYPES or "%" not in raw else unquote(raw, errors="strict")
        if name.startswith(SOURCE_FOLDER) and "%" in name:
            name = SOURCE_FOLDER + unquote(name[len(SOURCE_FOLDER):], errors="strict")
    except UnicodeDecodeError:
        raise PackageError("ALC0426", f"unsafe entry name `{_printable(raw)}`: not UTF-8 once its %-escapes "
                                      "are decoded") from None
    problem = _name_problem(raw) or (name is not raw and _name_problem(name))
    if problem:
        raise PackageError("ALC0426", f"unsafe entry name `{_printable(raw)}`: {problem}")
    return name


_CONTROL = re.compile("[\x00-\x1f\x7f]")
_SEGMENT = r"(?!\.\.?(?:/|\Z))[A-Za-z0-9_.\-\[\]() ~!$&'+,;=@]+"
_PLAIN_NAME = re.compile(rf"(?:{_SEGMENT}/)*{_SEGMENT}\Z")
"""Names with nothing to decode or refuse (most): safe characters, no empty, `.` or `..` segment."""


def _name_problem(name: str) -> Optional[str]:
    if not name:
        return "empty name"
    if "\\" in name:
        return "backslash"
    if _CONTROL.search(name):
        return "control character"
    if name.startswith("/"):
        return "absolute path"
    if len(name) >= 2 and name[1] == ":":
        return "drive letter"
    parts = name.split("/")
    if any(p in ("..", ".") for p in parts):
        return "`..` segment" if ".." in parts else "`.` segment"
    if any(p == "" for p in parts[:-1]):
        return "empty path segment"
    return None


def _printable(text: str) -> str:
    out = "".join(c if 32 <= ord(c) < 127 else f"\\x{ord(c):02x}" for c in text[:200])
    return out + ("..." if len(text) > 200 else "")


_RANKS = (("NavxManifest.xml", 0), ("src/", 1), ("DocComments.xml", 2), ("entitlement/", 3), ("perm/", 4),
          ("SymbolReference.json", 5), ("MediaIdListing.xml", 6), ("logo/", 7), ("Translations/", 8), ("addin/", 9),
          ("navigation.xml", 10), ("layout/", 11))
_GIVEN_ORDER = ("layout/", "addin/")


def entry_order(name: str) -> tuple:
    """Sort key giving real alc output's entry order: the manifest, sources,
    doc comments, entitlements, permissions, symbols, media, logo,
    translations, control add-ins, navigation, layouts, anything else, and
    `[Content_Types].xml` last (Microsoft_System Application 21: logo,
    addin/, navigation.xml; Business Foundation 24-25, MayBeCloud WebEP,
    Kuara Campos Servitec: logo, Translations/, navigation.xml, layout/;
    translations before add-ins is INFERRED: no real package has both);
    names sorted (ordinally) within each group, except layouts and add-ins,
    which keep the order they are given in (the reports' and the add-ins'
    declaration order, as real packages have them).

    >>> sorted(["SymbolReference.json", "[Content_Types].xml", "src/b.al", "NavxManifest.xml", "src/a.al"],
    ...        key=entry_order)
    ['NavxManifest.xml', 'src/a.al', 'src/b.al', 'SymbolReference.json', '[Content_Types].xml']
    """
    if name == CONTENT_TYPES:
        return (99, name)
    for prefix, rank in _RANKS:
        if name == prefix or (prefix.endswith("/") and name.startswith(prefix)):
            return (rank, "" if prefix in _GIVEN_ORDER else name)
    return (50, name)


def content_types_xml(names: Iterable[str]) -> bytes:
    """The OPC `[Content_Types].xml`: one empty-typed Default per extension
    (an Override for names without one), UTF-8 with a BOM, as real packages."""
    defaults: list[str] = []
    overrides: list[str] = []
    for name in names:
        base = name.rsplit("/", 1)[-1]
        if "." in base.strip("."):
            ext = base.rsplit(".", 1)[1].lower()
            if ext not in defaults:
                defaults.append(ext)
        else:
            overrides.append(encode_entry_name(name))
    body = "".join(f'<Default Extension="{_xml_attr(e)}" ContentType="" />' for e in defaults)
    body += "".join(f'<Override PartName="/{_xml_attr(n)}" ContentType="" />' for n in overrides)
    text = f'<?xml version="1.0" encoding="utf-8"?><Types xmlns="{_CT_NAMESPACE}">{body}</Types>'
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def _xml_attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


# ------------------------------------------------------------------ writing --

class PackedEntry(NamedTuple):
    """An entry compressed beforehand (in a worker process): raw deflate data,
    the CRC-32 and size of the original bytes."""
    size: int
    crc: int
    packed: bytes


def pack_entry(data: bytes) -> PackedEntry:
    """Compress an entry the way the package writer does (deflate, level 6)."""
    return pack_pieces((data,))


def pack_pieces(pieces: Iterable[bytes]) -> PackedEntry:
    """``pack_entry(b"".join(pieces))``, without the joined bytes: an entry written in pieces (a large
    project's SymbolReference.json) is compressed as they come.

    >>> pack_pieces([b"ab", b"", b"c"]) == pack_entry(b"abc")
    True
    """
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    size, crc, out = 0, 0, []
    for piece in pieces:
        size += len(piece)
        crc = zlib.crc32(piece, crc)
        out.append(comp.compress(piece))
    out.append(comp.flush())
    return PackedEntry(size, crc, b"".join(out))


def _zip_bytes(entries: list) -> bytes:
    """A minimal deflate zip with fixed metadata (see _zip_into)."""
    out = io.BytesIO()
    _zip_into(out, entries, 0)
    return out.getvalue()


def _zip_into(out: io.BytesIO, entries: list, head: int) -> None:
    """A minimal deflate zip with fixed metadata (our own writer, because
    zipfile does not let every field be fixed: flags, versions, attributes).
    An entry's data is bytes or a PackedEntry. The zip starts ``head`` bytes into ``out`` (after the
    package header: its offsets count from there)."""
    central = []
    for name, data in entries:
        raw_name = name.encode("utf-8")
        size, crc, packed = data if type(data) is PackedEntry else pack_entry(data)
        if size >= 0xFFFFFFFF or len(packed) >= 0xFFFFFFFF or out.tell() - head >= 0xFFFFFFFF:
            raise PackageError("ALC0440", f"entry `{name}` is too large: entries and offsets past 4 GB are not "
                                          f"supported")
        offset = out.tell() - head
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, _ZIP_VERSION, _UTF8_FLAG, 8, _DOS_TIME, _DOS_DATE,
                              crc, len(packed), size, len(raw_name), 0))
        out.write(raw_name)
        out.write(packed)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, _ZIP_VERSION, _ZIP_VERSION, _UTF8_FLAG, 8,
                                   _DOS_TIME, _DOS_DATE, crc, len(packed), size, len(raw_name), 0, 0, 0, 0,
                                   0, offset) + raw_name)
    start = out.tell() - head
    for record in central:
        out.write(record)
    size = out.tell() - head - start
    count = len(entries)
    if count >= 0xFFFF or size >= 0xFFFFFFFF or start >= 0xFFFFFFFF:
        # Zip64 end of central directory record and locator (APPNOTE 4.3.14-15):
        # more than 65,534 entries (a generated 100,000-object app) or a directory past 4 GB.
        at = out.tell() - head
        out.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, size, start))
        out.write(struct.pack("<IIQI", 0x07064B50, 0, at, 1))
        count, size, start = 0xFFFF, min(size, 0xFFFFFFFF), min(start, 0xFFFFFFFF)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, size, start, 0))


def zip_bytes(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of ``entries`` (names as given, in the order given) as the
    package writer writes one: deflate, fixed metadata (a control add-in's
    zip inside a package)."""
    return _zip_bytes(list(entries))


def package_guid(payload: bytes) -> uuid.UUID:
    """The package GUID alc writes: derived from the payload, so rebuilding the
    same content gives the same GUID (real alc draws a random one)."""
    return uuid.uuid5(_PACKAGE_NAMESPACE, hashlib.sha256(payload).hexdigest())


def app_bytes(entries: Union[Mapping[str, bytes], Iterable[tuple[str, bytes]]],
              package_id: Optional[uuid.UUID] = None) -> bytes:
    """The bytes of a `.app`: header + zip of ``entries`` (logical, unencoded
    names) plus a generated `[Content_Types].xml`."""
    items = dict(entries.items() if isinstance(entries, Mapping) else entries)
    items.pop(CONTENT_TYPES, None)
    for name in items:
        if _name_problem(name):
            raise PackageError("ALC0440", f"cannot write entry `{_printable(name)}`: {_name_problem(name)}")
    names = sorted(items, key=entry_order)
    ordered = [(encode_entry_name(n), items[n]) for n in names]
    ordered.append((CONTENT_TYPES, content_types_xml(names)))
    out = io.BytesIO()
    out.write(bytes(HEADER_SIZE))     # the header, written once the payload's GUID is known
    _zip_into(out, ordered, HEADER_SIZE)
    with out.getbuffer() as view, view[HEADER_SIZE:] as payload:
        guid = package_id if package_id is not None else package_guid(payload)
        header = _HEADER.pack(MAGIC, HEADER_SIZE, HEADER_VERSION, guid.bytes_le, len(payload), MAGIC)
    out.seek(0)
    out.write(header)
    return out.getvalue()    # the buffer itself, not a copy: a package of hundreds of MB is held once


def write_app(path: str, entries: Union[Mapping[str, bytes], Iterable[tuple[str, bytes]]],
              package_id: Optional[uuid.UUID] = None) -> uuid.UUID:
    """Write a `.app` atomically (temporary file in the same folder, then
    rename); returns the package GUID. PackageError ALC0440 when it cannot."""
    data = app_bytes(entries, package_id)
    write_bytes(path, data)
    return uuid.UUID(bytes_le=data[12:28])


def write_bytes(path: str, data: bytes) -> None:
    """Write a package's bytes atomically (see :func:`alc.output.write_atomic`:
    only over a regular file or nothing, temporary file, fsync, rename);
    PackageError ALC0440 when it cannot."""
    try:
        write_atomic(path, data)
    except OutputError as exc:
        raise PackageError("ALC0440", f"cannot write package: {exc.problem}", path) from None


# ------------------------------------------------------------------ reading --

@attrs.frozen
class Header:
    package_id: uuid.UUID
    payload_length: int
    signed: bool = False


@attrs.frozen
class _Entry:
    name: str
    info: zipfile.ZipInfo = attrs.field(eq=False, repr=False)


@attrs.frozen(eq=False)
class Container:
    """An opened package: header facts and the zip's entries, read on demand."""
    header: Header
    entries: tuple[_Entry, ...]
    zip: Optional[zipfile.ZipFile] = attrs.field(repr=False)   # the zipfile that read a zip not plain (or None)
    limits: Limits = attrs.field(default=DEFAULT_LIMITS, repr=False)
    _index: dict = attrs.field(factory=dict, repr=False)
    payload: Optional[memoryview] = attrs.field(default=None, repr=False, kw_only=True)
    """The zip's bytes, whose local headers :func:`read_container` checked against the
    directory: entries are inflated from them directly (see :meth:`read`)."""

    def __attrs_post_init__(self) -> None:
        if not self._index:   # (read_container passes the index it built while checking the names)
            for entry in self.entries:
                self._index[entry.name.casefold()] = entry

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.entries)

    @property
    def raw_names(self) -> tuple[str, ...]:
        return tuple(e.info.filename for e in self.entries)

    def has(self, name: str) -> bool:
        return name.casefold() in self._index

    def size(self, name: str) -> int:
        return self._entry(name).info.file_size

    def _stored(self, name: str, info: zipfile.ZipInfo) -> memoryview:
        """The bytes of a stored entry, in place (its local header was checked against the directory)."""
        head = bytes(self.payload[info.header_offset:info.header_offset + _LOCAL.size])
        start = info.header_offset + _LOCAL.size + sum(struct.unpack_from("<HH", head, 26)) if \
            len(head) == _LOCAL.size else len(self.payload) + 1
        if start + info.file_size > len(self.payload) or info.compress_size != info.file_size:
            raise PackageError("ALC0424", f"entry `{name}` is corrupt: it lies outside the payload")
        view = self.payload[start:start + info.file_size]
        if zlib.crc32(view) != info.CRC:
            raise PackageError("ALC0424", f"entry `{name}` is corrupt: Bad CRC-32 for file {info.filename!r}")
        return view

    def _entry(self, name: str) -> _Entry:
        entry = self._index.get(name.casefold())
        if entry is None:
            raise PackageError("ALC0431", f"the package has no `{name}`")
        return entry

    def read(self, name: str, max_size: Optional[int] = None, field: Optional[str] = None) -> bytes:
        """The bytes of one entry; PackageError when corrupt or too large (than ``max_size``, default the
        limit of an entry; ``field``: the limit it is, for the message naming the opt-in)."""
        return _inflate(self.payload, self._limited(name, max_size, field), name)

    def _limited(self, name: str, max_size: Optional[int], field: Optional[str]):
        """The entry's info; PackageError when it expands to more than ``max_size`` (default the limit of
        an entry; ``field``: the limit it is, for the message naming the opt-in)."""
        info = self._entry(name).info
        limit = self.limits.max_entry_size if max_size is None else max_size
        field = "max_entry_size" if max_size is None else field
        if info.file_size > limit:
            raise PackageError("ALC0425", self.limits.over(f"entry `{name}` expands to {info.file_size} bytes, "
                                                           f"over the limit of {limit}", field, info.file_size))
        return info

    def read_parts(self, name: str) -> Iterator[bytes]:
        """The bytes of one entry (as :meth:`read`), a MB at a time and never joined (a package's own
        SymbolReference.json measured before it is written)."""
        return _checked_chunks(self.payload, self._limited(name, None, None), name)

    def read_buffer(self, name: str, max_size: Optional[int] = None,
                    field: Optional[str] = None) -> Union[bytearray, memoryview]:
        """The bytes of one entry (as :meth:`read`) in a buffer of its size, filled 1 MB at a time:
        :meth:`read` holds the entry twice while zlib joins its output, which for a large entry
        (a SymbolReference.json of hundreds of MB) is most of a reader's peak memory. A stored
        (uncompressed) entry is a view of the package's bytes, its checksum checked: no copy at all."""
        info = self._limited(name, max_size, field)
        if info.compress_type == zipfile.ZIP_STORED and self.payload is not None:
            return self._stored(name, info)
        buffer = bytearray(info.file_size)
        filled = 0
        with memoryview(buffer) as view:
            for chunk in _checked_chunks(self.payload, info, name):
                view[filled:filled + len(chunk)] = chunk
                filled += len(chunk)
        return buffer


def _checked_chunks(payload: memoryview, info, name: str) -> Iterator[bytes]:
    """An entry's bytes, a MB at a time; PackageError as soon as they run past its size, when they end
    short of it, when its data is damaged, and when its CRC-32 differs."""
    size, crc = 0, 0
    try:
        for chunk in _inflated_chunks(_packed(payload, info, name), info):
            size += len(chunk)
            if size > info.file_size:
                break
            crc = zlib.crc32(chunk, crc)
            yield chunk
    except zlib.error as exc:
        raise PackageError("ALC0424", f"entry `{name}` is corrupt: {exc}") from None
    if size != info.file_size:
        raise PackageError("ALC0424", f"entry `{name}` is corrupt: size differs from its header")
    if crc != info.CRC:
        raise PackageError("ALC0424", f"entry `{name}` is corrupt: Bad CRC-32 for file {info.filename!r}")


_CHUNK = 1 << 20


def _inflated_chunks(packed: memoryview, info):
    """The entry's bytes, at most a MB at a time (zlib.error when its data is damaged)."""
    if info.compress_type == zipfile.ZIP_STORED:
        for at in range(0, len(packed), _CHUNK):
            yield bytes(packed[at:at + _CHUNK])
        return
    inflater = zlib.decompressobj(-15)
    at = 0
    while not inflater.eof:
        if inflater.unconsumed_tail:
            data = inflater.unconsumed_tail
        else:
            data, at = packed[at:at + _CHUNK], at + _CHUNK
        out = inflater.decompress(data, _CHUNK)
        if not out and not data:
            return   # the data ends before the deflate stream does
        yield out


_LOCAL_LENGTHS = struct.Struct("<HH")


def _packed(payload: memoryview, info, name: str) -> memoryview:
    """The stored (compressed) bytes of an entry: after its local header, whose name and
    fields :func:`read_container` checked against the directory."""
    at = info.header_offset + _LOCAL.size
    name_len, extra_len = _LOCAL_LENGTHS.unpack_from(payload, at - 4)
    start = at + name_len + extra_len
    raw = payload[start:start + info.compress_size]
    if len(raw) != info.compress_size:
        raise PackageError("ALC0424", f"entry `{name}` is corrupt: its data runs past the payload")
    return raw


def _inflate(payload: memoryview, info, name: str) -> bytes:
    """The bytes of one entry, inflated straight from the payload (what ``zipfile`` reads,
    without its file object per entry); the size and CRC-32 are checked here."""
    raw = _packed(payload, info, name)
    if info.compress_type == zipfile.ZIP_STORED:
        data = bytes(raw)
    else:
        try:
            data = zlib.decompressobj(-15).decompress(raw, info.file_size + 1)
        except zlib.error as exc:
            raise PackageError("ALC0424", f"entry `{name}` is corrupt: {exc}") from None
    if len(data) != info.file_size:
        raise PackageError("ALC0424", f"entry `{name}` is corrupt: size differs from its header")
    if zlib.crc32(data) != info.CRC:
        raise PackageError("ALC0424", f"entry `{name}` is corrupt: Bad CRC-32 for file {info.filename!r}")
    return data


def plain_entry(read, length: int, wanted: str) -> Optional[tuple]:
    """(the entries named ``wanted`` once unquoted, whatever their case; a function giving the bytes
    of one of them) of a plain zip of ``length`` bytes read through ``read(offset, size)``, reading
    only its directory: None when the zip is not plain (see :func:`_plain_directory`). The package
    cache reads a manifest this way: zipfile would build an object per entry of the directory."""
    if length < _END.size:
        return None
    tail = read(length - _END.size, _END.size)
    if len(tail) != _END.size:
        return None
    size, offset = _END.unpack_from(tail)[5:7]
    if offset + size + _END.size != length:      # then not plain (the rest is _plain_directory's to judge)
        return None
    directory = read(offset, size) + tail
    infos = _plain_directory(memoryview(directory), offset)
    if infos is None:
        return None
    wanted = wanted.casefold()
    found = [i for i in infos if (unquote(i.filename) if "%" in i.filename else i.filename).casefold() == wanted]

    def entry(info) -> bytes:
        local = read(info.header_offset, _LOCAL.size)
        if len(local) == _LOCAL.size:
            local += read(info.header_offset + _LOCAL.size, sum(_LOCAL_LENGTHS.unpack_from(local, 26)))
        local_header_problem(local, info, at=0)
        here = copy.copy(info)     # located in the bytes read: its local header first
        here.header_offset = 0
        return _inflate(memoryview(local + read(info.header_offset + len(local), info.compress_size)), here,
                        info.filename)
    return found, entry


def open_container(path: str, limits: Limits = DEFAULT_LIMITS) -> Container:
    """Open a `.app` file (see :func:`read_container`)."""
    limits = limits.resolved()
    try:
        data = read_regular(path, limits.max_file_size)
    except OSError as exc:
        if exc.errno == errno.EFBIG:
            size = exc.strerror.split()[0] if exc.strerror else ""   # "N bytes, over the limit of M"
            raise PackageError("ALC0425", limits.over(f"file is {exc.strerror}", "max_file_size",
                                                      int(size) if size.isdigit() else 0), path) from None
        raise PackageError("ALC0420", f"cannot read package: {read_problem(exc)}", path) from None
    try:
        return read_container(data, limits)
    except PackageError as exc:
        raise exc.with_path(path)


def read_header(data: bytes) -> Header:
    """Check the NAVX header and what follows the payload."""
    if len(data) < HEADER_SIZE:
        if data[:4] != MAGIC[:len(data[:4])]:
            raise PackageError("ALC0421", f"not a .app package: wrong magic `{_printable(data[:4].decode('latin-1'))}`")
        raise PackageError("ALC0422", f"truncated package: {len(data)} bytes, shorter than the 40-byte header")
    magic, size, version, guid, length, magic2 = _HEADER.unpack_from(data)
    if magic != MAGIC:
        raise PackageError("ALC0421", f"not a .app package: wrong magic `{_printable(magic.decode('latin-1'))}`")
    if size != HEADER_SIZE:
        raise PackageError("ALC0421", f"not a .app package: header size {size}, expected {HEADER_SIZE}")
    if version != HEADER_VERSION:
        raise PackageError("ALC0421", f"unsupported .app header version {version}, expected {HEADER_VERSION}")
    if magic2 != MAGIC:
        raise PackageError("ALC0421", "not a .app package: the header does not end with `NAVX`")
    if length < 0 or HEADER_SIZE + length > len(data):
        raise PackageError("ALC0422", f"truncated package: the header announces {length} payload bytes, "
                                      f"the file holds {len(data) - HEADER_SIZE}")
    trailer = data[HEADER_SIZE + length:]
    signed = False
    if trailer:
        offset_ok = len(trailer) >= 12 and struct.unpack_from("<I", trailer, len(trailer) - 8)[0] == HEADER_SIZE + length
        if not (trailer[:4] == SIGNATURE_MAGIC and trailer[-4:] == SIGNATURE_MAGIC and offset_ok):
            raise PackageError("ALC0422", f"payload length mismatch: {len(trailer)} unexpected bytes after the "
                                          f"{length}-byte payload")
        signed = True
    return Header(uuid.UUID(bytes_le=guid), length, signed)


def read_container(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Container:
    """Check a package's bytes and index its zip entries; nothing is expanded yet. The default
    ``limits`` are the trusted ones when the environment says so (:meth:`Limits.resolved`)."""
    limits = limits.resolved()
    if len(data) > limits.max_file_size:
        raise PackageError("ALC0425", limits.over(f"file is {len(data)} bytes, over the limit of "
                                                  f"{limits.max_file_size}", "max_file_size", len(data)))
    header = read_header(data)
    payload = memoryview(data)[HEADER_SIZE:HEADER_SIZE + header.payload_length]
    if bytes(payload[:4]) == RUNTIME_MAGIC:
        raise RuntimePackageError("ALC0423", "this is a runtime package made by a Business Central server "
                                             "(encrypted `.NEA` payload); alc cannot read it")
    _check_directory(payload, limits)
    zf = None
    infos = _plain_directory(payload)
    if infos is None:   # anything but the plain zips alc writes: zipfile reads it (or says what is wrong)
        try:
            # The zip is read through a window on the file's bytes (BytesIO shares a bytes object): a BytesIO
            # of the payload alone would hold a second copy of the whole file while the package is read.
            zf = zipfile.ZipFile(Window(io.BytesIO(data if isinstance(data, bytes) else bytes(data)), HEADER_SIZE,
                                        header.payload_length))
            infos = zf.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, struct.error,
                UnicodeDecodeError, NotImplementedError, OverflowError) as exc:
            raise PackageError("ALC0424", f"the payload is not a valid zip archive: {exc}") from None
    entries, index = _check_entries(infos, limits)
    for entry in entries:
        local_header_problem(payload, entry.info)
    return Container(header, entries, zf, limits, index, payload=payload)


class _Info:
    """What :class:`zipfile.ZipInfo` says of an entry, for the entries :func:`_plain_directory` reads."""

    __slots__ = ("filename", "orig_filename", "raw_name", "flag_bits", "compress_type", "CRC", "compress_size",
                 "file_size", "header_offset")

    def is_dir(self) -> bool:
        return self.filename[-1] == "/"


_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")


def _plain_directory(payload: memoryview, base: int = 0) -> Optional[list]:
    """The entries of a plain zip, as alc writes them, read straight from its central directory
    (zipfile builds far more per entry): one disk, no archive comment, no extra fields, no zip64,
    the directory right before its end record. None for any other zip, which zipfile then reads
    (the answer is the same for a plain one: tests/test_package_container.py compares them).
    ``payload``: the zip's bytes from ``base`` on (its directory and end record at least)."""
    end = base + len(payload) - _END.size
    if end < base:
        return None
    sig, disk, cd_disk, here, count, size, offset, comment = _END.unpack_from(payload, end - base)
    if sig != 0x06054B50 or disk or cd_disk or here != count or comment or count == 0xFFFF or \
            offset + size != end or offset < base:
        return None
    out = []
    at = offset
    names = payload[offset - base:end - base].tobytes()
    for _ in range(count):
        at_local = at - offset
        if at_local + _CENTRAL.size > size:
            return None
        (sig, _, _, flags, method, _, _, crc, packed, length, name_len, extra_len, comment_len, _, _, _,
         header_offset) = _CENTRAL.unpack_from(names, at_local)
        if sig != 0x02014B50 or extra_len or comment_len or 0xFFFFFFFF in (packed, length, header_offset):
            return None
        raw = names[at_local + _CENTRAL.size:at_local + _CENTRAL.size + name_len]
        if len(raw) != name_len or b"\x00" in raw:
            return None
        try:
            name = raw.decode("utf-8" if flags & _UTF8_FLAG else "cp437")
        except UnicodeDecodeError:
            return None
        info = _Info()
        info.filename = info.orig_filename = name
        info.raw_name = raw
        info.flag_bits, info.compress_type, info.CRC = flags, method, crc
        info.compress_size, info.file_size, info.header_offset = packed, length, header_offset
        out.append(info)
        at += _CENTRAL.size + name_len
    return out if at == end else None


class Window:
    """A read-only file view of ``length`` bytes from ``start``: the zip
    payload, so that zipfile never sees the header or a signature block."""

    def __init__(self, f, start: int, length: int):
        self.f, self.start, self.length, self.pos = f, start, length, 0

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self.pos, self.length)[whence]
        self.pos = max(0, min(self.length, base + offset))
        return self.pos

    def read(self, n: int = -1) -> bytes:
        n = self.length - self.pos if n is None or n < 0 else min(n, self.length - self.pos)
        self.f.seek(self.start + self.pos)
        data = self.f.read(n)
        self.pos += len(data)
        return data


_LOCAL = struct.Struct("<IHHHHHIIIHH")


def local_header_problem(payload, info: zipfile.ZipInfo, at: Optional[int] = None) -> None:
    """PackageError ALC0424 when the local header of an entry disagrees with
    its central directory record (name, compression, CRC, sizes): a reader
    going by the local headers would see another package than one going by
    the directory. ``payload`` is the zip's bytes (or a memoryview of them),
    or the bytes from ``at`` on."""
    at = info.header_offset if at is None else at
    if at < 0 or at + _LOCAL.size > len(payload):
        raise PackageError("ALC0424", f"entry `{_printable(info.filename)}` lies outside the payload")
    magic, _, flags, method, _, _, crc, packed, size, name_len, _ = _LOCAL.unpack_from(payload, at)
    name = payload[at + _LOCAL.size:at + _LOCAL.size + name_len]
    central = info.raw_name if type(info) is _Info else \
        info.orig_filename.encode("utf-8" if info.flag_bits & _UTF8_FLAG else "cp437", "replace")
    problem = None
    if magic != 0x04034B50:
        problem = "no local header where the directory points"
    elif name != central:
        problem = "its local header names another entry"
    elif method != info.compress_type:
        problem = "its local header gives another compression method"
    elif not flags & 0x08 and 0xFFFFFFFF not in (packed, size) and \
            (crc, packed, size) != (info.CRC, info.compress_size, info.file_size):
        problem = "its local header gives another checksum or size than the directory"
    if problem:
        raise PackageError("ALC0424", f"entry `{_printable(info.filename)}`: {problem}")


_DIRECTORY_BYTES_PER_ENTRY = 512


def _check_directory(payload, limits: Limits) -> None:
    """Bound the central directory before zipfile parses it: zipfile builds
    an object per record of the directory, whatever count the zip claims."""
    tail = bytes(payload[-(0xFFFF + 22):])
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise PackageError("ALC0424", "the payload is not a valid zip archive: no end of central directory")
    count, size = struct.unpack_from("<HI", tail, at + 10)
    locator = at - 20
    if (count == 0xFFFF or size == 0xFFFFFFFF) and locator >= 0 and tail[locator:locator + 4] == b"PK\x06\x07":
        offset = struct.unpack_from("<Q", tail, locator + 8)[0]
        record = bytes(payload[offset:offset + 56]) if offset < len(payload) else b""
        if len(record) == 56 and record[:4] == b"PK\x06\x06":
            count, size = struct.unpack_from("<QQ", record, 32)
    if count > limits.max_entries:
        raise PackageError("ALC0425", limits.over(f"the package has {count} entries, over the limit of "
                                                  f"{limits.max_entries}", "max_entries", count))
    if size > limits.max_entries * _DIRECTORY_BYTES_PER_ENTRY + 0xFFFF:
        raise PackageError("ALC0425", f"the zip directory is {size} bytes, too large for "
                                      f"{limits.max_entries} entries")


def _check_entries(infos: list, limits: Limits) -> tuple[tuple[_Entry, ...], dict]:
    """The entries, checked, and the same by casefolded name."""
    if len(infos) > limits.max_entries:
        raise PackageError("ALC0425", limits.over(f"the package has {len(infos)} entries, over the limit of "
                                                  f"{limits.max_entries}", "max_entries", len(infos)))
    total = 0
    index: dict[str, _Entry] = {}
    entries = []
    max_size, floor, ratio, max_total = limits.max_entry_size, limits.ratio_floor, limits.max_ratio, \
        limits.max_total_size
    methods = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
    for info in infos:
        filename, size = info.filename, info.file_size
        if not filename:
            raise PackageError("ALC0426", "unsafe entry name ``: empty name")
        if filename[-1] == "/" and size == 0:    # a folder
            decode_entry_name(filename.rstrip("/"))
            continue
        name = decode_entry_name(filename)
        if info.flag_bits & 0x1:
            raise PackageError("ALC0424", f"entry `{name}` is encrypted")
        if info.compress_type not in methods:
            raise PackageError("ALC0424", f"entry `{name}` uses unsupported compression method {info.compress_type}")
        if size > max_size:
            raise PackageError("ALC0425", limits.over(f"entry `{name}` expands to {size} bytes, over the limit of "
                                                      f"{max_size}", "max_entry_size", size))
        if size > floor and size > ratio * max(info.compress_size, 1):
            raise PackageError("ALC0425", f"entry `{name}` expands {size // max(info.compress_size, 1)} "
                                          f"times (limit {ratio}): a zip bomb")
        total += size
        if total > max_total:
            raise PackageError("ALC0425", limits.over(f"the entries expand to more than {max_total} bytes in total",
                                                      "max_total_size", total))
        key = name.casefold()
        if key in index:
            raise PackageError("ALC0427", f"entry `{_printable(name)}` appears twice")
        entry = index[key] = _Entry(name, info)
        entries.append(entry)
    return tuple(entries), index
