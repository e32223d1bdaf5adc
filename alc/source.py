"""Source text: decoding AL files and mapping offsets to lines and columns.

AL files are UTF-8, with or without a byte order mark; a few real files are
UTF-16 (LE or BE, with a BOM) and at least one carries a doubled UTF-8 BOM.

>>> src = SourceFile.from_bytes("a.al", b"\\xef\\xbb\\xbfcodeunit 1 X\\r\\n{\\r\\n}")
>>> src.text[:10]
'codeunit 1'
>>> src.line_col(src.text.index("{"))
(2, 1)
"""

from __future__ import annotations

import bisect
import codecs
import errno
import functools
import os
import stat
from typing import NamedTuple, Optional

__all__ = ["SourceFile", "Span", "decode", "DecodeError", "read_regular", "open_regular", "file_kind"]


MAX_SOURCE_SIZE = 64 * 1024 * 1024
"""The largest source file (or app.json) alc reads: a budget far above real files
(the largest AL file of the W1 Base Application is about 1 MB)."""


class DecodeError(ValueError):
    """The bytes of a source file are not text in any encoding AL allows."""


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes) -> str:
    """Decode AL source bytes by their byte order mark (UTF-8 when there is none).

    Every leading BOM is dropped, so a doubled BOM decodes cleanly.

    >>> decode(b"\\xff\\xfeA\\x00")
    'A'
    >>> decode(b"\\xef\\xbb\\xbf\\xef\\xbb\\xbfX")
    'X'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"not valid {encoding} text at byte {exc.start + len(bom)}") from None
            return text.lstrip("\ufeff")
    try:
        return data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        # Old NAV exports are Windows-1252; accept them rather than refuse the file.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise DecodeError(f"not valid UTF-8 text at byte {exc.start}") from None


def file_kind(mode: int) -> str:
    """What a file that is not regular is, in words.

    >>> import stat
    >>> file_kind(stat.S_IFIFO), file_kind(stat.S_IFCHR)
    ('a FIFO', 'a character device')
    """
    for test, text in ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return text
    return "not a regular file"


def open_regular(path: str):
    """Open a file for reading in binary mode, refusing anything but a regular
    file (after links) before reading a byte: a FIFO would block the reader for
    ever, `/dev/zero` would never end. OSError (EINVAL) names what it is."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, f"not a regular file ({file_kind(mode)})", path)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str, max_size: Optional[int] = None) -> bytes:
    """The bytes of a regular file (see :func:`open_regular`); OSError (EFBIG)
    when it holds more than ``max_size`` bytes, found without reading them."""
    with open_regular(path) as f:
        if max_size is not None:
            size = os.fstat(f.fileno()).st_size
            if size > max_size:
                raise OSError(errno.EFBIG, f"{size} bytes, over the limit of {max_size}", path)
            # Read what the file holds (read(max_size + 1) would allocate the whole limit, 2 GB for a
            # package, for every file), and on when it grew meanwhile, up to the limit.
            data = f.read(size + 1)
            if len(data) > size:
                data += f.read(max_size + 1 - len(data))
            if len(data) > max_size:
                raise OSError(errno.EFBIG, f"{len(data)} bytes, over the limit of {max_size}", path)
            return data
        return f.read()


def read_problem(exc: OSError) -> str:
    """An OSError of reading as one short phrase (no errno number, no repeated path).

    >>> read_problem(PermissionError(13, "Permission denied", "/x"))
    'permission denied'
    """
    text = exc.strerror or str(exc)
    return text[:1].lower() + text[1:]


class SourceFile:
    """One decoded source file with a lazily built line table.

    Offsets everywhere in alc are indexes into ``text`` (after BOM removal).
    """

    __slots__ = ("path", "_text", "_line_starts", "_from_disk")

    def __init__(self, path: str, text: Optional[str]):
        self.path = path
        self._text = text
        self._line_starts: Optional[list[int]] = None
        self._from_disk = False

    @property
    def text(self) -> str:
        if self._text is None:
            try:
                self._text = decode(read_regular(self.path, MAX_SOURCE_SIZE))
            except (OSError, DecodeError):
                self._text = ""
        return self._text

    @classmethod
    def from_bytes(cls, path: str, data: bytes) -> "SourceFile":
        src = cls(path, decode(data))
        src._from_disk = True
        return src

    @classmethod
    def read(cls, path: str) -> "SourceFile":
        return cls.from_bytes(path, read_regular(path, MAX_SOURCE_SIZE))

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            text = self.text
            starts = [0]
            find = text.find
            i = find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._line_starts = starts
        return self._line_starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        starts = self.line_starts
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    def span(self, start: int, end: int) -> "Span":
        return Span(self, start, end)

    def __repr__(self) -> str:
        return f"SourceFile({self.path!r})"

    def __reduce__(self):
        # Between processes a file on disk travels as its path; its text is read
        # again on first use (parsed IR would otherwise carry every source text).
        if self._text is None or (self.path and os.path.isfile(self.path) and self._from_disk):
            return (_reopen, (self.path,))
        return (SourceFile, (self.path, self.text))


def _reopen(path: str) -> SourceFile:
    src = SourceFile(path, None)
    src._from_disk = True
    return src


class Span(NamedTuple):
    """A range of a source file: character offsets plus lazily computed lines.

    Spans never take part in IR equality (nodes declare them ``eq=False``).

    >>> s = SourceFile("x.al", "ab\\ncd").span(3, 5)
    >>> (s.line, s.col, s.end_line, s.end_col)
    (2, 1, 2, 3)
    """

    source: Optional[SourceFile]
    start: int
    end: int

    @property
    def file(self) -> str:
        return self.source.path if self.source is not None else ""

    @property
    def line(self) -> int:
        return self.source.line_col(self.start)[0] if self.source else 0

    @property
    def col(self) -> int:
        return self.source.line_col(self.start)[1] if self.source else 0

    @property
    def end_line(self) -> int:
        return self.source.line_col(self.end)[0] if self.source else 0

    @property
    def end_col(self) -> int:
        return self.source.line_col(self.end)[1] if self.source else 0

    @property
    def text(self) -> str:
        return self.source.text[self.start:self.end] if self.source else ""

    def to(self, other: "Span") -> "Span":
        """The span from the start of this one to the end of ``other``."""
        return Span(self.source, self.start, other.end)

    def display_path(self, cwd: Optional[str] = None) -> str:
        """The file path relative to ``cwd`` (the current folder by default)."""
        path = self.file
        if not path:
            return ""
        try:
            rel = os.path.relpath(path, cwd or os.getcwd())
        except ValueError:  # another drive on Windows
            return path
        return path if rel.startswith(".." + os.sep + "..") else rel

    def __repr__(self) -> str:
        return f"Span({self.file}:{self.line}:{self.col}-{self.end_line}:{self.end_col})"


NO_SPAN = Span(None, 0, 0)

# Span((source, start, end)) without the Python-level __new__ of NamedTuple (hot in the parser).
new_span = functools.partial(tuple.__new__, Span)
