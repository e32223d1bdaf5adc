"""`alc build`: every project (`app.json`) under some folders, compiled in dependency order,
independent projects in parallel, each against the packages built before it and the package caches.

The plan (:func:`plan`) orders the projects by their dependencies: a dependency on another
project's app id, and the `application` dependency on the projects that are Microsoft's
application (Base Application, System Application, the Application umbrella). A cycle is one
error naming its path (`A --> B --> A`); the projects on it fail, and so does every project that
depends on a failed one, while the others still build.

:func:`build` runs the plan: each project compiles in a child process of its own (so that the
compiles of independent projects run at the same time, and each can fork its own parse workers);
the parent only schedules and reports. ``jobs`` is the number of cores to use: a project that
starts while few others are ready gets several of them for its parse workers. Events go to
``on_event(kind, project, data)`` as they happen (``start``, ``stage``, ``done``) for a progress
display; see alc/build/view.py.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from multiprocessing.connection import wait
from typing import Callable, Optional, Sequence

import attrs
import networkx as nx

from ..diagnostics import Diagnostic, sort_key, to_dict

__all__ = ["Project", "Plan", "ProjectResult", "BuildResult", "discover_projects", "plan", "build"]

_APPLICATION_IDS = frozenset((
    "c1335042-3002-4257-bf8a-75c898ccb1b8",   # Application (umbrella)
    "437dbf0e-84ff-417a-965d-ed2bb9650972",   # Base Application
    "63ca2fa4-4f03-4f2b-a480-172fef340d3f",   # System Application
))
_MICROSOFT_APPLICATION = _APPLICATION_IDS | {"f3552374-a1f2-4356-848e-196002525837",   # Business Foundation
                                              "8874ed3a-0643-4247-9ced-7a7002f7135d"}   # System (platform)


@attrs.frozen
class Project:
    path: str                           # the project folder
    manifest: object = None             # AppManifest, None when app.json is unusable
    diagnostics: tuple = ()             # app.json problems found while planning

    @property
    def name(self) -> str:
        return self.manifest.name if self.manifest is not None else os.path.basename(self.path)

    @property
    def label(self) -> str:
        return f"{self.name} {self.manifest.version}" if self.manifest is not None else self.name


@attrs.frozen
class Plan:
    projects: tuple                     # every project, in build order (a topological order, by name)
    needs: dict                         # project path -> paths of the projects it depends on
    failed: dict                        # project path -> why it cannot be built (a cycle, a duplicate id)
    weight: dict = attrs.field(factory=dict)  # project path -> how many projects wait for it (directly or not)


@attrs.frozen
class ProjectResult:
    path: str
    name: str
    status: str                         # ok, failed, skipped (a dependency failed), unusable (exit 2 input)
    objects: int = 0
    files: int = 0
    errors: int = 0
    warnings: int = 0
    suppressed: int = 0
    seconds: float = 0.0
    output: Optional[str] = None
    message: str = ""
    diagnostics: tuple = ()             # dicts (alc.diagnostics.to_dict), sorted
    lines: tuple = ()                   # the same, as `path(line,col): error CODE: message`

    def to_json(self) -> dict:
        return {"project": self.path, "name": self.name, "status": self.status, "objects": self.objects,
                "files": self.files, "errors": self.errors, "warnings": self.warnings,
                "suppressed": self.suppressed, "seconds": self.seconds, "output": self.output,
                "message": self.message, "diagnostics": list(self.diagnostics)}


@attrs.frozen
class BuildResult:
    results: tuple                      # ProjectResult, in build order
    seconds: float
    jobs: int

    @property
    def ok(self) -> bool:
        return all(r.status == "ok" for r in self.results)

    @property
    def usable(self) -> bool:
        return not any(r.status == "unusable" for r in self.results)


# ------------------------------------------------------------------ planning --

def discover_projects(folders: Sequence[str]) -> list[Project]:
    """Every folder with an app.json under ``folders`` (hidden folders and package caches skipped).

    An app.json below a project's folder is part of that project, not one of its own: the compiler
    takes every .al file under the project folder (the System Application keeps an app.json in each
    module folder, for working on one module alone)."""
    from .project import load_app_json
    seen: set = set()
    out = []
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
            if "app.json" in files:
                dirs[:] = []
                real = os.path.realpath(root)
                if real in seen:
                    continue
                seen.add(real)
                manifest, diags = load_app_json(os.path.join(root, "app.json"))
                out.append(Project(os.path.normpath(root), manifest, tuple(diags)))
    return out


def plan(projects: Sequence[Project]) -> Plan:
    """Order the projects by their dependencies; mark cycles and duplicate app ids."""
    by_id: dict = {}
    failed: dict = {}
    for p in projects:
        if p.manifest is None:
            continue
        other = by_id.get(p.manifest.id)
        if other is not None:
            for q in (other, p):
                failed[q.path] = (f"app id {p.manifest.id} is used by two projects: `{other.path}` and `{p.path}`")
            continue
        by_id[p.manifest.id] = p
    graph = nx.DiGraph()
    for p in projects:
        graph.add_node(p.path)
    needs: dict = {p.path: [] for p in projects}
    for p in projects:
        m = p.manifest
        if m is None:
            continue
        wanted = [d.id for d in m.dependencies]
        if m.application is not None and m.id not in _MICROSOFT_APPLICATION:
            wanted += sorted(_APPLICATION_IDS)
        for dep_id in dict.fromkeys(wanted):
            q = by_id.get(dep_id)
            if q is not None and q.path != p.path:
                graph.add_edge(q.path, p.path)       # q before p
                needs[p.path].append(q.path)
    names = {p.path: p.name for p in projects}
    for cycle in nx.simple_cycles(graph):
        shown = " --> ".join(names[x] for x in reversed(cycle + cycle[:1]))
        for path in cycle:
            failed.setdefault(path, f"dependency cycle: {shown}")
    if failed and any(m.startswith("dependency cycle") for m in failed.values()):
        acyclic = graph.copy()
        acyclic.remove_edges_from([(a, b) for a, b in graph.edges if a in failed and b in failed])
    else:
        acyclic = graph
    order = list(nx.lexicographical_topological_sort(acyclic, key=lambda path: (names[path].casefold(), path)))
    by_path = {p.path: p for p in projects}
    weight = {x: len(nx.descendants(acyclic, x)) for x in order}
    return Plan(tuple(by_path[x] for x in order), {k: tuple(v) for k, v in needs.items()}, failed, weight)


# ------------------------------------------------------------------ building --

def build(folders: Sequence[str], caches: Sequence[str] = (), out: str = "alc-build", jobs: Optional[int] = None,
          warnings=None, on_event: Optional[Callable] = None, projects: Optional[Sequence[Project]] = None,
          ) -> BuildResult:
    """Build every project under ``folders`` into ``out`` (see the module docstring)."""
    started = time.perf_counter()
    jobs = max(1, jobs or os.cpu_count() or 1)
    emit = on_event or (lambda kind, project, data: None)
    the_plan = plan(projects if projects is not None else discover_projects(folders))
    os.makedirs(out, exist_ok=True)
    _warm_up()
    symbols = _shared_symbols()
    results: dict = {}
    pending = list(the_plan.projects)
    running: dict = {}                       # connection -> (project, process, slots, start, state)
    ctx = _context()
    for p in the_plan.projects:
        emit("planned", p, {})
    while pending or running:
        pending = _settle(pending, the_plan, results, emit)
        free = jobs - sum(r[2] for r in running.values())
        ready = [p for p in pending if all(results.get(d, _NONE).status == "ok" for d in the_plan.needs[p.path])]
        ready.sort(key=lambda p: -the_plan.weight.get(p.path, 0))  # what others wait for first (stable)
        while ready and free > 0:
            p = ready.pop(0)
            if _gates(the_plan, p, pending) and free < jobs:
                break  # it gets every core once the running ones end: what waits for it waits longest
            pending.remove(p)
            if _gates(the_plan, p, pending):
                slots = free
            else:
                slots = max(1, free // (len(ready) + 1)) if len(ready) + 1 < free else 1
            conn = _launch(ctx, p, caches, out, slots, warnings, symbols if ctx.get_start_method() == "fork" else None)
            running[conn] = (p, conn.process, slots, time.perf_counter())
            free -= slots
            emit("start", p, {"slots": slots})
        if not running:
            continue
        for conn in wait(list(running), timeout=0.25):
            p, proc, slots, t0 = running[conn]
            try:
                message = conn.recv()
            except (EOFError, OSError):
                message = ("done", _crashed(p, proc, time.perf_counter() - t0))
            if message[0] == "stage":
                emit("stage", p, {"stage": message[1], "files": message[2], "elapsed": time.perf_counter() - t0})
                continue
            result = message[1]
            results[p.path] = result
            del running[conn]
            conn.close()
            proc.join(timeout=10)
            emit("done", p, {"result": result})
            if result.status == "ok" and result.output and the_plan.weight.get(p.path) and symbols is not None:
                _keep_symbols(symbols, result.output)
        emit("tick", None, {})
    ordered = tuple(results[p.path] for p in the_plan.projects)
    return BuildResult(ordered, round(time.perf_counter() - started, 3), jobs)


def _warm_up() -> None:
    """Import what a compile needs and build the parse tables once, here, so that every forked
    compile process starts with them (else each spends about a second on it)."""
    from . import compiler, deps, workers  # noqa: F401
    from ..package import cache  # noqa: F401
    from ..emit import package  # noqa: F401
    from ..semantic.checks import objects  # noqa: F401
    from ..syntax.grammar import load_grammar
    from ..syntax.parse import Driver  # noqa: F401
    load_grammar()


def _gates(the_plan: Plan, p: Project, pending: list) -> bool:
    """Does most of what is left wait for ``p`` (the System or Base Application of a workspace)?
    Then it gets all the cores for its parse workers rather than one beside small projects."""
    weight = the_plan.weight.get(p.path, 0)
    return weight >= 4 and weight * 2 >= len(pending)


def _shared_symbols():
    """A symbol cache in this process: the symbols of a package that other projects depend on are
    read here once, after it is built, and every compile process forked later inherits them (the
    Base Application's take seconds to load; two hundred apps depend on it)."""
    from .symcache import SymbolCache
    return SymbolCache()


def _keep_symbols(cache, package: str) -> None:
    import gc
    from ..package import PackageError
    try:
        cache.app_symbols(package).index()
    except (PackageError, OSError):
        return  # each compile reads it itself, and reports what is wrong
    gc.collect()
    gc.freeze()  # long-lived: keep the collector (here and in the forked processes) off them


class _Missing:
    status = "missing"


_NONE = _Missing()


def _settle(pending: list, the_plan: Plan, results: dict, emit) -> list:
    """Projects that cannot be built: unusable app.json, in a cycle, or behind a failed dependency."""
    changed = True
    while changed:
        changed = False
        for p in list(pending):
            reason = status = None
            if p.manifest is None:
                status, reason = "unusable", "app.json cannot be used"
            elif p.path in the_plan.failed:
                status, reason = "failed", the_plan.failed[p.path]
            else:
                bad = [d for d in the_plan.needs[p.path] if results.get(d, _NONE).status not in ("ok", "missing")]
                if bad:
                    status, reason = "skipped", f"not built: dependency `{results[bad[0]].name}` " \
                                                f"{'was skipped' if results[bad[0]].status == 'skipped' else 'failed'}"
            if status is None:
                continue
            diags = [to_dict(d) for d in sorted(p.diagnostics, key=sort_key)]
            result = ProjectResult(p.path, p.name, status, message=reason, diagnostics=tuple(diags),
                                   errors=sum(1 for d in p.diagnostics if d.is_error) + (status == "failed"),
                                   lines=tuple(_line(d) for d in sorted(p.diagnostics, key=sort_key)))
            results[p.path] = result
            pending.remove(p)
            emit("done", p, {"result": result})
            changed = True
    return pending


def _context():
    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform (Windows): spawn re-imports alc in each child
        return multiprocessing.get_context("spawn")


def _launch(ctx, p: Project, caches: Sequence[str], out: str, slots: int, warnings, symbols):
    parent, child = ctx.Pipe(duplex=False)
    own = os.path.join(p.path, ".alpackages")
    cache = (out,) + tuple(caches or ((own,) if os.path.isdir(own) else ()))
    proc = ctx.Process(target=_child, args=(child, p.path, cache, out, slots, warnings, symbols), daemon=False)
    proc.start()
    child.close()
    return _Conn(parent, proc)


class _Conn:
    """A pipe end with its process; `wait` needs the fileno."""

    def __init__(self, conn, proc):
        self.conn, self.process = conn, proc

    def fileno(self) -> int:
        return self.conn.fileno()

    def recv(self):
        return self.conn.recv()

    def close(self) -> None:
        self.conn.close()


def _child(conn, path: str, cache: tuple, out: str, slots: int, warnings, symbols=None) -> None:
    """In the child: compile one project, report its stages and a compact result."""
    from .compiler import CompileOptions, compile_project, default_output_name
    t0 = time.perf_counter()
    name = os.path.basename(path)
    try:
        from .project import load_app_json
        manifest, _ = load_app_json(os.path.join(path, "app.json"))
        name = manifest.name if manifest is not None else name
        target = os.path.join(out, default_output_name(manifest)) if manifest is not None else None

        def progress(stage: str, files: int) -> None:
            conn.send(("stage", stage, files))

        result = compile_project(CompileOptions(project=path, package_cache=cache, out=target, jobs=slots,
                                                warnings=warnings, progress=progress, symbol_cache=symbols))
        diags = sorted(result.diagnostics, key=sort_key)
        errors = sum(1 for d in diags if d.is_error)
        status = "ok" if result.ok else ("unusable" if not result.usable else "failed")
        conn.send(("done", ProjectResult(
            path, name, status, objects=len(result.objects), files=result.files, errors=errors,
            warnings=len(diags) - errors, suppressed=len(result.suppressed),
            seconds=round(time.perf_counter() - t0, 2), output=result.output,
            message="" if result.ok else (f"{errors} errors" if errors else "not built"),
            diagnostics=tuple(to_dict(d) for d in diags), lines=tuple(_line(d) for d in diags))))
    except BaseException as exc:  # report, never leave the parent waiting
        try:
            conn.send(("done", ProjectResult(path, name, "failed", errors=1, seconds=round(time.perf_counter() - t0, 2),
                                             message=f"internal error: {type(exc).__name__}: {exc}")))
        except Exception:
            pass
    finally:
        conn.close()


def _crashed(p: Project, proc, seconds: float) -> ProjectResult:
    proc.join(timeout=10)
    return ProjectResult(p.path, p.name, "failed", errors=1, seconds=round(seconds, 2),
                         message=f"the compile process stopped unexpectedly (exit code {proc.exitcode})")


def _line(d: Diagnostic) -> str:
    path, line, col = d.location()
    prefix = f"{path}({line},{col}): " if path else ""
    return f"{prefix}{d.severity} {d.code}: {d.message}"
