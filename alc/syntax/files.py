"""Parsing many files: discovery, app.json preprocessor symbols, and a
process pool that sends back compact summaries instead of trees.

>>> import tempfile, os
>>> d = tempfile.mkdtemp()
>>> _ = open(os.path.join(d, "a.al"), "w").write("codeunit 50100 A { }")
>>> s = parse_files(discover([d]), jobs=1)
>>> s.files, s.objects, s.files_with_errors
(1, {'codeunit': 1}, 0)
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from typing import Iterable, Iterator, Optional, Sequence

import attrs

from ..budget import SMALL_JSON, loads as budget_loads
from ..diagnostics import Diagnostic, Severity
from ..source import MAX_SOURCE_SIZE, DecodeError, SourceFile, Span, read_problem, read_regular

__all__ = ["discover", "walk_sources", "FileSummary", "ParseSummary", "parse_files", "project_symbols", "PathError"]


class PathError(Exception):
    """A path given on the command line does not exist or cannot be read."""


def discover(paths: Sequence[str]) -> list[str]:
    """Files to parse: each file given, and every ``*.al`` under each folder,
    sorted. A folder that cannot be listed and a ``*.al`` that is not a
    regular file stay in the list: reading them gives their diagnostic
    (nothing is skipped silently, nothing special is read)."""
    out: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            out.extend(walk_sources(path))
        elif os.path.lexists(path):
            out.append(path)
        else:
            raise PathError(f"no such file or folder: {path}")
    return out


def walk_sources(folder: str, skip_hidden: bool = False) -> list[str]:
    """Every ``*.al`` under ``folder`` (sorted), plus each subfolder that
    could not be listed (reading it as a file then reports why).

    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> os.makedirs(os.path.join(d, ".hidden")); _ = open(os.path.join(d, ".hidden", "a.al"), "w")
    >>> [os.path.relpath(p, d) for p in walk_sources(d)], walk_sources(d, skip_hidden=True)
    (['.hidden/a.al'], [])
    """
    found: list[str] = []
    for root, dirs, files in os.walk(folder, onerror=lambda exc: found.append(exc.filename or folder)):
        dirs[:] = sorted(d for d in dirs if not (skip_hidden and d.startswith(".")))
        found.extend(os.path.join(root, f) for f in files if f.lower().endswith(".al"))
    return sorted(found)


def read_failure(path: str, exc: Exception) -> str:
    """The message of a source path that cannot be read."""
    if isinstance(exc, OSError):
        what = "folder" if os.path.isdir(path) else "file"
        return f"cannot read {what}: {read_problem(exc)}"
    return f"cannot read file: {exc}"


def project_symbols(path: str, cache: Optional[dict] = None) -> frozenset:
    """``preprocessorSymbols`` of the nearest app.json above ``path`` (empty when none)."""
    cache = {} if cache is None else cache
    folder = os.path.dirname(os.path.abspath(path))
    seen = []
    symbols: frozenset = frozenset()
    while True:
        if folder in cache:
            symbols = cache[folder]
            break
        seen.append(folder)
        app_json = os.path.join(folder, "app.json")
        if os.path.isfile(app_json):
            symbols = _read_symbols(app_json)
            break
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    for f in seen:
        cache[f] = symbols
    return symbols


def _read_symbols(app_json: str) -> frozenset:
    try:
        data = budget_loads(read_regular(app_json, MAX_SOURCE_SIZE), SMALL_JSON, "app.json")
        symbols = data.get("preprocessorSymbols") or []
        return frozenset(s for s in symbols if isinstance(s, str))
    except (OSError, ValueError, AttributeError, TypeError):
        return frozenset()  # a broken app.json is the compiler's business, not the parser's


@attrs.frozen
class FileSummary:
    path: str
    bytes: int
    lines: int
    objects: dict
    diagnostics: tuple          # dicts: code, severity, message, file, line, column
    roundtrip: Optional[bool] = None

    @property
    def has_errors(self) -> bool:
        return any(d["severity"] == "error" for d in self.diagnostics)


@attrs.frozen
class ParseSummary:
    files: int
    files_with_errors: int
    objects: dict
    lines: int
    bytes: int
    seconds: float
    diagnostics: tuple
    roundtrip_failures: tuple = ()
    roundtrip_checked: int = 0

    def to_json(self) -> dict:
        return {"files": self.files, "files_with_errors": self.files_with_errors,
                "objects": dict(sorted(self.objects.items())), "lines": self.lines, "bytes": self.bytes,
                "seconds": round(self.seconds, 3), "diagnostics": list(self.diagnostics)}


def _diag_dict(d: Diagnostic, cwd: Optional[str]) -> dict:
    path, line, col = d.location(cwd)
    return {"code": d.code, "severity": str(d.severity), "message": d.message, "file": path,
            "line": line, "column": col}


def summarize_file(path: str, symbols: frozenset, lazy: bool, roundtrip: bool, cwd: Optional[str]) -> FileSummary:
    """Parse one file and keep only what a report needs (cheap to send between processes)."""
    from .api import parse_source
    try:
        data = read_regular(path, MAX_SOURCE_SIZE)
        source = SourceFile.from_bytes(path, data)
    except (OSError, DecodeError) as exc:
        diag = Diagnostic(code="ALC0100", severity=Severity.ERROR, message=read_failure(path, exc),
                          span=Span(SourceFile(path, ""), 0, 0))
        return FileSummary(path, 0, 0, {}, (_diag_dict(diag, cwd),))
    try:
        result = parse_source(source, symbols, lazy_bodies=lazy)
    except RecursionError:
        return _failed(path, len(data), source, "ALC0108", "nesting too deep to parse", cwd, deep_point(source.text))
    except Exception as exc:  # a bug in alc must not hide the other files' results
        return _failed(path, len(data), source, "ALC0199", f"internal error: {type(exc).__name__}: {exc}", cwd)
    kinds = Counter(obj.kind for obj in result.unit.objects)
    rt = None
    if roundtrip and result.ok:
        from .roundtrip import check_roundtrip
        rt = check_roundtrip(result, symbols)
    return FileSummary(path, len(data), result.lines, dict(kinds),
                       tuple(_diag_dict(d, cwd) for d in sorted(result.diagnostics, key=lambda d: d.span.start if d.span else 0)),
                       rt)


def _failed(path: str, size: int, source: SourceFile, code: str, message: str, cwd: Optional[str],
            at: int = 0) -> FileSummary:
    diag = Diagnostic(code=code, severity=Severity.ERROR, message=message, span=Span(source, at, at))
    return FileSummary(path, size, source.text.count("\n") + 1, {}, (_diag_dict(diag, cwd),))


_NESTING_RE = re.compile(r"'(?:[^']|'')*'|\"[^\"\n]*\"|//[^\n]*|/\*.*?\*/|[(\[{]|[)\]}]", re.S)
DEEP = 100


def deep_point(text: str, limit: int = DEEP) -> int:
    """Where brackets of any kind (strings and comments aside) first nest
    ``limit`` deep: the place to report nesting too deep to parse (0 when
    they never do: the depth is elsewhere, such as `not not ...`).

    >>> deep_point("x := ((('(')));", 3)
    7
    """
    depth = 0
    for m in _NESTING_RE.finditer(text):
        c = m.group()
        if c in "([{":
            depth += 1
            if depth >= limit:
                return m.start()
        elif c in ")]}":
            depth -= 1
    return 0


def _work(batch: list) -> list:
    return [summarize_file(*args) for args in batch]


def parse_files(paths: Iterable[str], defines: Iterable[str] = (), jobs: Optional[int] = None,
                lazy: bool = False, roundtrip: bool = False, cwd: Optional[str] = None) -> ParseSummary:
    """Parse files (in ``jobs`` processes; default: one per core) and sum up."""
    started = time.perf_counter()
    paths = list(paths)
    defines = frozenset(defines)
    cache: dict = {}
    tasks = [(p, project_symbols(p, cache) | defines, lazy, roundtrip, cwd) for p in paths]
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(tasks) < 8:
        summaries = _work(tasks)
    else:
        # Interleave files into batches so that big and small files spread evenly.
        nbatches = min(len(tasks), jobs * 8)
        batches = [tasks[i::nbatches] for i in range(nbatches)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_work, batches))
        by_path = {s.path: s for batch in results for s in batch}
        summaries = [by_path[p] for p in paths]
    objects: Counter = Counter()
    diagnostics: list = []
    for s in summaries:
        objects.update(s.objects)
        diagnostics.extend(s.diagnostics)
    return ParseSummary(
        files=len(summaries),
        files_with_errors=sum(1 for s in summaries if s.has_errors),
        objects=dict(objects),
        lines=sum(s.lines for s in summaries),
        bytes=sum(s.bytes for s in summaries),
        seconds=time.perf_counter() - started,
        diagnostics=tuple(diagnostics),
        roundtrip_failures=tuple(s.path for s in summaries if s.roundtrip is False),
        roundtrip_checked=sum(1 for s in summaries if s.roundtrip is not None),
    )


# -- parsing for the compiler -------------------------------------------------
# The compiler's workers (alc/build/workers.py) parse their files with parse_unit:
# declarations eagerly, code bodies kept as text and syntax-checked apart.

@attrs.frozen
class ParsedFile:
    path: str
    unit: Optional[object]          # CompilationUnit, None when unreadable
    diagnostics: tuple
    size: int = 0
    bodies: tuple = ()              # the LazyBody nodes, for the body check


def parse_unit(path: str, symbols: frozenset) -> ParsedFile:
    """Parse one file's declarations; code bodies stay text (LazyBody)."""
    from .api import parse_source
    try:
        data = read_regular(path, MAX_SOURCE_SIZE)
        source = SourceFile.from_bytes(path, data)
    except (OSError, DecodeError) as exc:
        diag = Diagnostic(code="ALC0100", severity=Severity.ERROR, message=read_failure(path, exc),
                          span=Span(SourceFile(path, ""), 0, 0))
        return ParsedFile(path, None, (diag,))
    try:
        result = parse_source(source, symbols, lazy_bodies=True)
    except RecursionError:
        at = deep_point(source.text)
        diag = Diagnostic.error("ALC0108", "nesting too deep to parse", Span(source, at, at))
        return ParsedFile(path, None, (diag,), len(data))
    except Exception as exc:  # a bug in alc must not hide the other files' results
        diag = Diagnostic(code="ALC0199", severity=Severity.ERROR,
                          message=f"internal error: {type(exc).__name__}: {exc}", span=Span(source, 0, 0))
        return ParsedFile(path, None, (diag,), len(data))
    return ParsedFile(path, result.unit, tuple(result.diagnostics), len(data), result.lazy_bodies)
