"""The compiler's work on a share of the project's files, in-process or in a
forked worker that keeps its IR between two phases.

Phase 1 parses the files (code bodies syntax-checked, kept as text) and
returns, file by file (``FileResult``), what the parent needs from them:
diagnostics, the symbols of the objects, their metadata entries (bytes),
light object headers, capabilities and prerequisites. Phase 2 receives every
file's symbols, builds the symbol table and runs the semantic rules on the
objects it holds; its diagnostics come back sorted out by file
(``PhaseTwo``). File by file, so that the parent assembles the package in the
project's order whatever the partition, and so that the build cache
(build.incremental) can keep each file's results.

Only symbols and bytes cross the process boundary: parsed IR costs as much
to pickle as to parse. Each worker pickles its own symbols; the parent
forwards those bytes (or the build cache's) to the other workers, which
build the project's symbols themselves.
"""

from __future__ import annotations

import gc
import os
import pickle
import time
import zlib
from typing import Iterator, Optional, Sequence

import attrs

from ..diagnostics import Diagnostic
from ..memory import gc_paused
from ..source import MAX_SOURCE_SIZE, Span, read_regular

__all__ = ["ObjectHeader", "FileResult", "PhaseTwo", "Share", "run_shares", "project_app_symbols", "split_by_file"]


@attrs.frozen
class ObjectHeader:
    """What the object-level rules and the command line need of an object."""
    kind: str
    id: Optional[int]
    name: Optional[str]
    namespace: Optional[str]
    target: Optional[str]
    span: Optional[Span]
    moved: bool = False            # the object moved out (ObsoleteState = Moved)
    moves_out: bool = False        # the object or one of its fields did (package.metadata.moves_out)
    entry: Optional[str] = None    # its metadata entry, when its kind, id and name do not name it (package.metadata)

    @property
    def full_name(self) -> str:
        return f"{self.namespace}.{self.name}" if self.namespace else (self.name or "")


@attrs.frozen
class FileResult:
    """Phase one's results for one file: what the parent (and the build cache) keeps of it."""
    path: str
    diagnostics: tuple
    symbols: tuple            # SymbolObject items of the file's objects (moved-out stubs left out)
    metadata: dict            # entry name -> PackedEntry
    source: Optional[object]  # the file as a PackedEntry for `src/` (when asked for and readable)
    headers: tuple
    capabilities: frozenset
    prerequisites: tuple
    size: int
    resources: object = None  # emit.resources.ShareResources: layouts, translations, doc comments, entitlements
    declarations: str = ""    # digest of what the file declares to the rest of the project (declarations_digest)


@attrs.frozen
class PhaseTwo:
    """Phase two's results for the files of a share: diagnostics per file (path -> tuple), those that
    belong to no file of the share (``loose``), and the code analysis counts."""
    by_file: dict
    loose: tuple
    counts: dict


class Share:
    """The files one worker owns, and its IR once parsed."""

    def __init__(self, paths: Sequence[str], symbols: frozenset, manifest, project: Optional[str] = None,
                 dependencies: Sequence = (), code_analysis: bool = False, held: Optional[int] = None):
        self.paths = list(paths)
        # The IR of files read beyond ``held`` source bytes is kept compressed until phase two (``spilled``).
        self.held = held
        self.held_bytes = 0
        self.spilled: list = []     # (pickled and compressed (objects, bodies) of one file, its source bytes)
        # With code analysis the bodies are parsed and bound in phase two (their syntax checked then).
        self.code_analysis = code_analysis
        self.bodies: list = []
        # The dependencies' symbols: a forked worker inherits them, nothing is sent.
        self.dependencies = list(dependencies)
        self.symbols = symbols
        self.manifest = manifest
        self.project = project      # when given, the share also packs its source files for `src/`
        self.objects: list = []
        self.forked = False         # set in a forked worker, which keeps its IR to the end
        self.compressed = False     # a large project's worker sends its symbols compressed (ShareRun)

    def phase_one(self) -> list:
        """One FileResult per file, in the share's order."""
        return list(self.results())

    def results(self) -> Iterator[FileResult]:
        """Phase one, file by file."""
        from ..syntax.api import check_body
        from ..syntax.files import parse_unit
        for path in self.paths:
            parsed = parse_unit(path, self.symbols)
            diagnostics = list(parsed.diagnostics)
            bodies = list(parsed.bodies) if self.code_analysis else []
            if not self.code_analysis:
                for body in parsed.bodies:
                    diagnostics.extend(check_body(body))
            objects = list(parsed.unit.objects) if parsed.unit is not None else []
            result, objects = self._file_result(path, objects, diagnostics, parsed.size)
            if self.held is not None and self.held_bytes + parsed.size > self.held:
                self.spilled.append((_spill(objects, bodies), parsed.size))
            else:
                self.held_bytes += parsed.size
                self.objects.extend(objects)
                self.bodies.extend(bodies)
            del objects, bodies, parsed
            if self.forked:
                # The IR stays until the worker ends: move it out of the collector's
                # sight, so that collections do not walk the growing tree again and again.
                gc.freeze()
            yield result

    def _file_result(self, path: str, objects: list, diagnostics: list, size: int) -> tuple:
        """(the file's FileResult, its objects less those refused)"""
        from ..emit.resources import share_resources
        from ..package.capabilities import capabilities, prerequisites
        from ..package.container import pack_entry
        from ..package.metadata import entry_name, moves_out, object_entries
        from ..package.symbols_ir import symbols_from_ir
        from ..semantic.checks.objects import is_moved
        # Entries are compressed here, in parallel, rather than by the parent. An object
        # nested deeper than readers accept is refused here, at its deepest node.
        refused: list = []
        metadata = {name: pack_entry(data) for name, data in object_entries(objects, refused).items()}
        if refused:
            diagnostics.extend(Diagnostic.error("ALC0108", str(exc), exc.node.span or obj.span)
                               for obj, exc in refused)
            dropped = {id(obj) for obj, _ in refused}
            objects = [o for o in objects if id(o) not in dropped]
        live = [o for o in objects if not is_moved(o)]
        headers = tuple(ObjectHeader(o.kind, getattr(o, "id", None), o.name, o.namespace,
                                     getattr(o, "target", None), o.span, is_moved(o), moves_out(o),
                                     None if o.name else entry_name(o))
                        for o in objects)
        source = None
        if self.project is not None:
            try:
                source = pack_entry(read_regular(path, MAX_SOURCE_SIZE))
            except OSError:
                pass  # reported when the file was parsed
        own = tuple(symbols_from_ir(live).objects())
        return FileResult(path=path, diagnostics=tuple(diagnostics), symbols=own, metadata=metadata, source=source,
                          headers=headers, capabilities=frozenset(capabilities(objects)),
                          prerequisites=tuple(prerequisites(objects)), size=size,
                          resources=share_resources(objects, self.manifest),
                          declarations=declarations_digest(own, headers)), objects

    def phase_two(self, project_app, platform_available: bool) -> PhaseTwo:
        """The rules, given the project's own symbols (``project_app``)."""
        from ..semantic.model import SymbolTable
        table = SymbolTable([project_app] + self.dependencies, platform_available)
        if self.forked:
            self.kept_table = table     # freed by the worker's end, not object by object before it replies
        diagnostics: list = []
        counts: dict = {}
        self._check(self.objects, self.bodies, table, diagnostics, counts)
        if self.spilled:
            self.objects, self.bodies = [], []     # checked: their memory serves the spilled files
        # The spilled files a few at a time, each group's IR dropped before the next is read back.
        group: list = []
        size = 0
        while self.spilled:
            blob, bytes_ = self.spilled.pop(0)
            objects, bodies = _unspill(blob)
            group.append((objects, bodies))
            size += bytes_
            if size >= SPILL_GROUP or not self.spilled:
                self._check([o for objs, _ in group for o in objs], [b for _, bs in group for b in bs], table,
                            diagnostics, counts)
                group, size = [], 0
        return split_by_file(diagnostics, self.paths, counts)

    def _check(self, objects: list, bodies: list, table, diagnostics: list, counts: dict) -> None:
        """The rules (and code analysis) on ``objects``; diagnostics and counts added to those given.
        Each rule looks at one object at a time, so the files may be checked in groups."""
        from ..semantic.checks import SHARE_RULES
        from ..semantic.context import CheckContext
        ctx = CheckContext(tuple(objects), table, self.manifest)
        for rule in SHARE_RULES:
            rule(ctx)
        if self.code_analysis:
            from ..semantic.code import analyze_code
            for key, value in analyze_code(ctx, bodies).items():
                counts[key] = counts.get(key, 0) + value
        diagnostics.extend(ctx.diagnostics)


SPILL_GROUP = 8 << 20
"""Source bytes of the spilled files checked together in phase two (their IR read back at once)."""


def _spill(objects: list, bodies: list) -> bytes:
    """A file's IR (objects and lazy bodies, which they share) as compressed pickle bytes: a tenth of its
    size in memory, and read back in a fifth of the time its parse takes. Source files travel as paths."""
    return zlib.compress(pickle.dumps((objects, bodies), protocol=pickle.HIGHEST_PROTOCOL), 1)


def _unspill(blob: bytes) -> tuple:
    with gc_paused():
        return pickle.loads(zlib.decompress(blob))


def declarations_digest(symbols: tuple, headers: tuple) -> str:
    """A digest of what a file declares to the rest of the project: its symbols and object headers
    (positions left out, so that an edit inside a body keeps it)."""
    from .cache import digest
    heads = [(h.kind, h.id, h.name, h.namespace, h.target, h.moved, h.moves_out) for h in headers]
    return digest(repr(symbols), heads)


def split_by_file(diagnostics, paths: Sequence[str], counts: dict) -> PhaseTwo:
    """Diagnostics sorted out to the files they point into (kept in their order)."""
    by_file: dict = {p: [] for p in paths}
    loose = []
    for d in diagnostics:
        span = getattr(d, "span", None)
        found = by_file.get(span.file) if span is not None and span.source is not None else None
        (found if found is not None else loose).append(d)
    return PhaseTwo({p: tuple(ds) for p, ds in by_file.items()}, tuple(loose), counts)


def project_app_symbols(manifest, symbols: Sequence) -> "AppSymbols":  # noqa: F821
    """The project's own AppSymbols, from its objects' symbols in share order
    (the parent and every worker build it alike)."""
    from ..package.symbols import SymbolReference
    from ..semantic.model import AppSymbols
    reference = SymbolReference.from_objects(list(symbols), app_id=manifest.id, name=manifest.name,
                                             publisher=manifest.publisher, version=str(manifest.version))
    return AppSymbols(manifest.id, manifest.name, reference, is_project=True, publisher=manifest.publisher,
                      version=str(manifest.version))


BATCH = 1 << 20
"""Source bytes of the files whose phase-one results a worker sends together (as it goes, so that the
parent takes them in while the workers parse)."""


def _worker(conn, share: Share) -> None:
    """A forked worker: phase one, then phase two when the project's symbols arrive.

    The worker sends its files' results as it goes, their symbols pickled (in parallel with the
    others); the parent unpickles them for itself and sends every other file's pickle to every
    worker, which decodes the project's symbols from them, equal parts as one object (loads_shared).
    A large project's worker keeps none of its own symbols and is sent those too.
    The worker ends with ``os._exit`` once its work is sent: freeing its memory object by object
    would only delay the compile."""
    from .cache import compress_shared, dumps_shared, loads_shared
    code = 0
    try:
        share.forked = True
        batch: list = []
        size = 0
        mine: dict = {}     # path -> the symbols of a file of this share (kept unless the project is large)
        r = blob = None
        for r in share.results():
            blob = dumps_shared(r.symbols)
            if not share.compressed:
                mine[r.path] = r.symbols
            batch.append((attrs.evolve(r, symbols=()), compress_shared(blob) if share.compressed else blob))
            size += r.size
            if size >= BATCH:
                conn.send(("part", batch, 0.0))
                batch, size = [], 0
        conn.send(("ok", batch, time.perf_counter()))
        del batch, r, blob
        gc.freeze()  # the IR lives until the worker ends: no collection walks it again
        head = conn.recv_bytes()
        if head:
            with gc_paused():
                platform, paths = pickle.loads(head)
                equal: dict = {}
                symbols: list = []
                part: Iterator = iter(())
                for path in paths:      # every file's pickle, b"" for those of this share it kept
                    blob = next(part, None)
                    if blob is None:
                        part = iter(pickle.loads(conn.recv_bytes()))
                        blob = next(part)
                    symbols.extend(loads_shared(blob, equal) if blob else mine[path])
                del equal, mine, part
                share.kept = project_app_symbols(share.manifest, symbols)
                del symbols
                conn.send(("ok", share.phase_two(share.kept, platform), time.perf_counter()))
    except BaseException as exc:  # report, never hang the parent
        code = 1
        try:
            conn.send(("error", f"{type(exc).__name__}: {exc}", 0.0))
        except Exception:
            pass
    finally:
        conn.close()
    os._exit(code)


def _sized(paths: Sequence[str]) -> list[tuple[int, str]]:
    """(size, path) of the files, largest first."""
    return sorted(((os.path.getsize(p) if os.path.exists(p) else 0, p) for p in paths), reverse=True)


def _partition(sized: list, n: int) -> list[list[str]]:
    """Split files (``_sized``) into ``n`` shares of about equal size (largest first, greedy)."""
    shares: list[list[str]] = [[] for _ in range(n)]
    totals = [0] * n
    for size, path in sized:
        i = totals.index(min(totals))
        shares[i].append(path)
        totals[i] += size
    return [sorted(s) for s in shares if s]


HELD_IR = 160 << 20
"""Source bytes whose parsed IR the shares of a compile keep in memory between the two phases, all
together (IR takes about twelve times its source): a larger project's other files keep theirs
compressed (``Share.spilled``), so that compiling 100,000 objects fits in memory."""

LARGE_SOURCE = 256 << 20
HELD_IR_LARGE = 0
"""A project of more than ``LARGE_SOURCE`` bytes of source keeps the IR of only ``HELD_IR_LARGE`` bytes
(there, every worker also holds the whole project's symbols in phase two: its files are all checked in
groups), and its workers send their symbols compressed (the parent keeps every file's until the end)."""


class ShareRun:
    """Shares running in forked workers (or in this process when ``jobs`` is 1).

    ``parallel`` sums the seconds during which the workers were running (phase one from the fork to
    the end of the last worker's parse, phase two from sending the symbols to the end of the last
    worker's rules): the rest of a compile is its serial part."""

    def __init__(self, paths: Sequence[str], symbols: frozenset, manifest, jobs: Optional[int],
                 project: Optional[str] = None, dependencies: Sequence = (), code_analysis: bool = False,
                 held: Optional[int] = None):
        jobs = jobs or os.cpu_count() or 1
        sized = _sized(paths)
        large = sum(size for size, _ in sized) > LARGE_SOURCE
        if held is None:
            held = HELD_IR_LARGE if large else HELD_IR
        import multiprocessing
        try:
            ctx = multiprocessing.get_context("fork")
        except ValueError:  # no fork on this platform: one process
            ctx, jobs = None, 1
        self.paths = list(paths)
        self.large = large            # a large project's workers keep none of their symbols (see _worker)
        self.local: Optional[Share] = None
        self._pending: Optional[tuple] = None
        self.blobs: dict = {}             # path -> the file's symbols, pickled by its worker
        self.workers: list = []
        self._sender = None               # the thread sending the project's symbols (start_phase_two)
        self.counts: dict = {}            # code analysis counts, summed over the shares
        self.parallel = 0.0               # seconds during which the workers ran (both phases)
        self._started = 0.0
        self._finished: list = []         # when each worker ended the current phase (time.perf_counter)
        if not paths:
            return
        if jobs <= 1 or len(paths) < 16:
            self.local = Share(paths, symbols, manifest, project, dependencies, code_analysis, held)
            return
        self._started = time.perf_counter()
        parts = _partition(sized, jobs)
        for part in parts:
            parent, child = ctx.Pipe()
            share = Share(part, symbols, manifest, project, dependencies, code_analysis,
                          held // len(parts))
            share.compressed = large    # and send them compressed: the parent holds them until the end
            proc = ctx.Process(target=_worker, args=(child, share), daemon=True)
            proc.start()
            child.close()
            self.workers.append((proc, parent, share.paths))

    def phase_one(self) -> dict:
        """path -> FileResult of every file of the run. From workers, a result's symbols stay pickled
        (``symbols`` is empty; ``symbols_of`` unpickles them), so that phase two can start first."""
        if self.local is not None:
            return {r.path: r for r in self.local.phase_one()}
        from multiprocessing.connection import wait
        out = {}
        pending = [conn for _, conn, _ in self.workers]
        while pending:
            for conn in wait(pending):
                status, batch = self._receive(conn)
                for result, blob in batch:
                    self.blobs[result.path] = blob
                    out[result.path] = result
                if status == "ok":
                    pending.remove(conn)
        self._ended()
        return out

    def symbols_of(self, result, equal: dict) -> tuple:
        """The symbols of a FileResult of ``phase_one`` (parts equal to those of earlier calls with the
        same ``equal`` given back as those: see ``cache.loads_shared``)."""
        from .cache import loads_shared
        blob = self.blobs.get(result.path)
        if blob is None or result.symbols:
            return result.symbols
        with gc_paused():
            return loads_shared(blob, equal)

    def blob(self, path: str, symbols: tuple) -> bytes:
        """The file's symbols pickled (by its worker, or now)."""
        from .cache import dumps_shared
        blob = self.blobs.get(path)
        if blob is None:
            blob = self.blobs[path] = dumps_shared(symbols)
        return blob

    def start_phase_two(self, platform: bool, blobs: Sequence = ()) -> None:
        """Start the rules in the workers: they get the project's symbols (``blobs``: (path, pickled
        symbols) of every file of the project, in order) and build the project's AppSymbols themselves,
        while this process goes on (``finish_phase_two`` collects their diagnostics). The pickles go in
        parts, to all the workers in turn, from a thread: each worker decodes a part while the next is
        sent, and never holds them all at once."""
        self._started = time.perf_counter()
        if not self.workers:
            return
        import threading
        head = pickle.dumps((platform, [path for path, _ in blobs]), protocol=pickle.HIGHEST_PROTOCOL)
        targets = [(conn, frozenset() if self.large else frozenset(paths)) for _, conn, paths in self.workers]
        self._sender = threading.Thread(target=_send_symbols, args=(targets, head, list(blobs)), daemon=True)
        self._sender.start()

    def finish_phase_two(self, project_app, platform: bool) -> list:
        """Each share's PhaseTwo (with one job, the rules run now, on ``project_app``); their code counts
        summed in ``self.counts``."""
        if self.local is None and not self.workers:
            return []
        if self.local is not None:
            results = [self.local.phase_two(project_app, platform)]
        else:
            self._join_sender()
            results = [self._receive(conn)[1] for _, conn, _ in self.workers]
            self._ended()
        for result in results:
            for key, value in result.counts.items():
                self.counts[key] = self.counts.get(key, 0) + value
        return results

    def _join_sender(self) -> None:
        if self._sender is not None:
            self._sender.join()
            self._sender = None

    def close(self) -> None:
        for proc, conn, _ in self.workers:
            try:
                conn.close()
            except OSError:
                pass
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)     # reaped, so that its CPU time counts among the children's

    def _ended(self) -> None:
        """A phase is over in every worker: count its time (the clock is the same in every process)."""
        if self._finished:
            self.parallel += max(self._finished) - self._started
        self._finished = []

    def _receive(self, conn):
        try:
            status, value, finished = conn.recv()
        except EOFError:
            raise RuntimeError("a compile worker stopped unexpectedly") from None
        if status == "error":
            raise RuntimeError(f"a compile worker failed: {value}")
        if status == "ok":
            self._finished.append(finished)
        return status, value


SYMBOLS_PART = 1 << 20
"""Bytes of pickled symbols sent to the workers in one message (``start_phase_two``)."""


def _send_symbols(targets: list, head: bytes, blobs: list) -> None:
    """Send ``head``, then the pickles of ``blobs`` ((path, pickle)) in parts, to every worker in turn:
    ``targets`` are (connection, the paths whose symbols the worker kept: b"" is sent for those). A
    worker gone is left to the reader (``_receive`` reports it)."""
    live = list(targets)

    def send(part: list) -> None:
        for target in list(live):
            conn, kept = target
            try:
                conn.send_bytes(head if part is None else pickle.dumps(
                    [b"" if path in kept else blob for path, blob in part], protocol=pickle.HIGHEST_PROTOCOL))
            except OSError:
                live.remove(target)

    send(None)
    part: list = []
    size = 0
    for path, blob in blobs:
        part.append((path, blob))
        size += len(blob)
        if size >= SYMBOLS_PART:
            send(part)
            part, size = [], 0
    if part:
        send(part)


def run_shares(paths: Sequence[str], symbols: frozenset, manifest, jobs: Optional[int],
               project: Optional[str] = None, dependencies: Sequence = (), code_analysis: bool = False,
               held: Optional[int] = None) -> ShareRun:
    return ShareRun(paths, symbols, manifest, jobs, project, dependencies, code_analysis, held)
