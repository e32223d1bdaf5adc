"""The compiler's work on a share of the project's files, in-process or in a
forked worker that keeps its IR between two phases.

Phase 1 parses the files (code bodies syntax-checked, kept as text) and
returns what the parent needs from them: diagnostics, the symbols of the
objects, their metadata entries (bytes), light object headers, capabilities
and prerequisites. Phase 2 receives every app's symbols, builds the symbol
table and runs the semantic rules on the objects it holds.

Only symbols and bytes cross the process boundary: parsed IR costs as much
to pickle as to parse. Each worker pickles its own symbols; the parent
forwards those bytes to the other workers, which build the project's
symbols themselves.
"""

from __future__ import annotations

import gc
import os
import pickle
from typing import Optional, Sequence

import attrs

from ..diagnostics import Diagnostic
from ..memory import gc_paused
from ..source import MAX_SOURCE_SIZE, Span, read_regular

__all__ = ["ObjectHeader", "PhaseOne", "Share", "run_shares", "project_app_symbols"]


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
class PhaseOne:
    diagnostics: tuple
    symbols: tuple            # SymbolObject items of the share's objects (moved-out stubs left out)
    metadata: dict            # entry name -> PackedEntry
    sources: dict             # path relative to the project -> PackedEntry (when asked for)
    headers: tuple
    capabilities: frozenset
    prerequisites: tuple
    files: int
    bytes: int
    resources: object = None  # emit.resources.ShareResources: layouts, translations, doc comments, entitlements


class Share:
    """The files one worker owns, and its IR once parsed."""

    def __init__(self, paths: Sequence[str], symbols: frozenset, manifest, project: Optional[str] = None,
                 dependencies: Sequence = (), code_analysis: bool = False):
        self.paths = list(paths)
        # With code analysis the bodies are parsed and bound in phase two (their syntax checked then).
        self.code_analysis = code_analysis
        self.bodies: list = []
        # The dependencies' symbols: a forked worker inherits them, nothing is sent.
        self.dependencies = list(dependencies)
        self.symbols = symbols
        self.manifest = manifest
        self.project = project      # when given, the share also packs its source files for `src/`
        self.objects: list = []
        self.own_symbols: tuple = ()
        self.forked = False         # set in a forked worker, which keeps its IR to the end

    def phase_one(self) -> PhaseOne:
        from ..emit.resources import share_resources
        from ..package.metadata import entry_name, moves_out, object_entries
        from ..package.capabilities import capabilities, prerequisites
        from ..package.container import pack_entry
        from ..package.symbols_ir import symbols_from_ir
        from ..semantic.checks.objects import is_moved
        from ..syntax.api import check_body
        from ..syntax.files import parse_unit
        diagnostics: list = []
        size = 0
        for path in self.paths:
            parsed = parse_unit(path, self.symbols)
            size += parsed.size
            diagnostics.extend(parsed.diagnostics)
            if self.code_analysis:
                self.bodies.extend(parsed.bodies)
            else:
                for body in parsed.bodies:
                    diagnostics.extend(check_body(body))
            if parsed.unit is not None:
                self.objects.extend(parsed.unit.objects)
            if self.forked:
                # The IR stays until the worker ends: move it out of the collector's
                # sight, so that collections do not walk the growing tree again and again.
                gc.freeze()
        # Entries are compressed here, in parallel, rather than by the parent. An object
        # nested deeper than readers accept is refused here, at its deepest node.
        refused: list = []
        metadata = {name: pack_entry(data) for name, data in object_entries(self.objects, refused).items()}
        if refused:
            diagnostics.extend(Diagnostic.error("ALC0108", str(exc), exc.node.span or obj.span)
                               for obj, exc in refused)
            dropped = {id(obj) for obj, _ in refused}
            self.objects = [o for o in self.objects if id(o) not in dropped]
        live = [o for o in self.objects if not is_moved(o)]
        headers = tuple(ObjectHeader(o.kind, getattr(o, "id", None), o.name, o.namespace,
                                     getattr(o, "target", None), o.span, is_moved(o), moves_out(o),
                                     None if o.name else entry_name(o))
                        for o in self.objects)
        sources = {}
        if self.project is not None:
            for path in self.paths:
                rel = os.path.relpath(path, self.project).replace(os.sep, "/")
                try:
                    sources[rel] = pack_entry(read_regular(path, MAX_SOURCE_SIZE))
                except OSError:
                    pass  # reported when the file was parsed
        self.own_symbols = tuple(symbols_from_ir(live).objects())
        return PhaseOne(
            diagnostics=tuple(diagnostics),
            symbols=self.own_symbols,
            metadata=metadata,
            sources=sources,
            headers=headers,
            capabilities=frozenset(capabilities(self.objects)),
            prerequisites=tuple(prerequisites(self.objects)),
            files=len(self.paths),
            bytes=size,
            resources=share_resources(self.objects, self.manifest),
        )

    def phase_two(self, project_app, platform_available: bool) -> tuple:
        """The rules, given the project's own symbols (``project_app``): (diagnostics, code counts)."""
        apps = [project_app] + self.dependencies
        from ..semantic.checks import SHARE_RULES
        from ..semantic.context import CheckContext
        from ..semantic.model import SymbolTable
        ctx = CheckContext(tuple(self.objects), SymbolTable(apps, platform_available), self.manifest)
        for rule in SHARE_RULES:
            rule(ctx)
        counts: dict = {}
        if self.code_analysis:
            from ..semantic.code import analyze_code
            counts = analyze_code(ctx, self.bodies)
        return ctx.diagnostics, counts


def project_app_symbols(manifest, symbols: Sequence) -> "AppSymbols":  # noqa: F821
    """The project's own AppSymbols, from its objects' symbols in share order
    (the parent and every worker build it alike)."""
    from ..package.symbols import SymbolReference
    from ..semantic.model import AppSymbols
    reference = SymbolReference.from_objects(list(symbols), app_id=manifest.id, name=manifest.name,
                                             publisher=manifest.publisher, version=str(manifest.version))
    return AppSymbols(manifest.id, manifest.name, reference, is_project=True, publisher=manifest.publisher,
                      version=str(manifest.version))


def _worker(conn, share: Share) -> None:
    """A forked worker: phase one, then phase two when the other shares' symbols arrive.

    The worker pickles its own symbols (in parallel with the others); the
    parent unpickles each share's for itself and forwards the bytes to the
    other workers, so no symbols are pickled twice or sent back to their
    own worker."""
    try:
        share.forked = True
        part = share.phase_one()
        blob = pickle.dumps(part.symbols, protocol=pickle.HIGHEST_PROTOCOL)
        conn.send(("ok", (attrs.evolve(part, symbols=()), blob)))
        del part
        gc.freeze()  # the IR lives until the worker ends: no collection walks it again
        data = conn.recv_bytes()
        if not data:
            return
        with gc_paused():
            index, platform, blobs = pickle.loads(data)
            symbols = [o for i, b in enumerate(blobs)
                       for o in (share.own_symbols if i == index else pickle.loads(b))]
            project_app = project_app_symbols(share.manifest, symbols)
            conn.send(("ok", share.phase_two(project_app, platform)))  # (diagnostics, counts)
    except BaseException as exc:  # report, never hang the parent
        try:
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
        except Exception:
            pass
    finally:
        conn.close()


def _partition(paths: Sequence[str], n: int) -> list[list[str]]:
    """Split files into ``n`` shares of about equal size (largest first, greedy)."""
    sized = sorted(((os.path.getsize(p) if os.path.exists(p) else 0, p) for p in paths), reverse=True)
    shares: list[list[str]] = [[] for _ in range(n)]
    totals = [0] * n
    for size, path in sized:
        i = totals.index(min(totals))
        shares[i].append(path)
        totals[i] += size
    return [sorted(s) for s in shares if s]


class ShareRun:
    """Shares running in forked workers (or in this process when ``jobs`` is 1)."""

    def __init__(self, paths: Sequence[str], symbols: frozenset, manifest, jobs: Optional[int],
                 project: Optional[str] = None, dependencies: Sequence = (), code_analysis: bool = False):
        jobs = jobs or os.cpu_count() or 1
        import multiprocessing
        try:
            ctx = multiprocessing.get_context("fork")
        except ValueError:  # no fork on this platform: one process
            ctx, jobs = None, 1
        self.local: Optional[Share] = None
        self._pending: Optional[tuple] = None
        self._blobs: list = []            # each worker's symbols, pickled by the worker
        self.workers: list = []
        self.counts: dict = {}            # code analysis counts, summed over the shares
        if jobs <= 1 or len(paths) < 16:
            self.local = Share(paths, symbols, manifest, project, dependencies, code_analysis)
            return
        for part in _partition(paths, jobs):
            parent, child = ctx.Pipe()
            share = Share(part, symbols, manifest, project, dependencies, code_analysis)
            proc = ctx.Process(target=_worker, args=(child, share), daemon=True)
            proc.start()
            child.close()
            self.workers.append((proc, parent))

    def phase_one(self) -> list[PhaseOne]:
        if self.local is not None:
            return [self.local.phase_one()]
        parts = []
        for _, conn in self.workers:
            part, blob = self._receive(conn)
            self._blobs.append(blob)
            with gc_paused():
                parts.append(attrs.evolve(part, symbols=pickle.loads(blob)))
        return parts

    def start_phase_two(self, project_app, platform: bool) -> None:
        """Start the rules: the workers get the other shares' symbols and
        build ``project_app`` themselves, while this process goes on
        (``finish_phase_two`` collects their diagnostics)."""
        if self.local is not None:
            self._pending = (project_app, platform)
            return
        for index, (_, conn) in enumerate(self.workers):
            blobs = [b"" if i == index else b for i, b in enumerate(self._blobs)]
            conn.send_bytes(pickle.dumps((index, platform, blobs), protocol=pickle.HIGHEST_PROTOCOL))

    def finish_phase_two(self) -> list:
        """The workers' diagnostics (with one job, the rules run now); their code counts in ``self.counts``."""
        results = [self.local.phase_two(*self._pending)] if self.local is not None else \
            [self._receive(conn) for _, conn in self.workers]
        out: list = []
        for diagnostics, counts in results:
            out.extend(diagnostics)
            for key, value in counts.items():
                self.counts[key] = self.counts.get(key, 0) + value
        return out

    def close(self) -> None:
        for proc, conn in self.workers:
            try:
                conn.close()
            except OSError:
                pass
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()

    @staticmethod
    def _receive(conn):
        try:
            status, value = conn.recv()
        except EOFError:
            raise RuntimeError("a compile worker stopped unexpectedly") from None
        if status != "ok":
            raise RuntimeError(f"a compile worker failed: {value}")
        return value


def run_shares(paths: Sequence[str], symbols: frozenset, manifest, jobs: Optional[int],
               project: Optional[str] = None, dependencies: Sequence = (), code_analysis: bool = False) -> ShareRun:
    return ShareRun(paths, symbols, manifest, jobs, project, dependencies, code_analysis)
