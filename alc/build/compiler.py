"""`alc compile`: a project folder (app.json + .al files) -> a .app package.

The pipeline is a sequence of stages, each returning values plus
diagnostics: read app.json; resolve dependencies from the package cache;
read their symbols; parse the sources (both cores, code bodies checked but
kept as text); build the symbol table; run the semantic rules; and, when no
error was found, emit the package (manifest, symbols, metadata, sources) to
a temporary file renamed into place.

With ``CompileOptions.cache_dir`` (`alc compile` gives `<project>/.alc`) the
compile is incremental: see build.incremental for what is kept and when it
is used.
"""

from __future__ import annotations

import functools
import json
import os
import time
from typing import Optional

import attrs

from ..diagnostics import Diagnostic, Severity, has_errors
from ..output import output_problem
from ..budget import SMALL_JSON, loads as budget_loads
from ..source import MAX_SOURCE_SIZE, SourceFile, Span, read_regular

__all__ = ["CompileOptions", "CompileResult", "compile_project", "default_output_name", "LicenseError"]


@attrs.frozen
class CompileOptions:
    project: str = "."
    package_cache: tuple = ()          # folders; default: <project>/.alpackages
    out: Optional[str] = None          # default: <project>/<Publisher>_<Name>_<Version>.app
    runtime: bool = False              # a runtime package: no src/ unless include_source
    include_source: bool = False
    license: Optional[str] = None      # JSON file of licensed id ranges (runtime packages)
    defines: tuple = ()
    jobs: Optional[int] = None
    symbol_cache: object = None        # a build.symcache.SymbolCache shared by several compiles
    warnings: object = None            # a ruleset.WarningPolicy (--nowarn, --warnaserror, --ruleset)
    progress: object = None            # called as progress(stage, files) when a stage starts (see STAGES)
    code_analysis: bool = True         # bind and check code bodies (False: syntax only, `--no-code-analysis`)
    cache_dir: Optional[str] = None    # the build cache of incremental compiles (`alc compile`: <project>/.alc)


@attrs.frozen
class CompileResult:
    diagnostics: tuple
    output: Optional[str] = None       # the package written, None when there were errors
    usable: bool = True                # False: the input itself is unusable (exit 2)
    objects: tuple = ()
    timings: dict = attrs.Factory(dict)
    code: dict = attrs.Factory(dict)   # code analysis counts of this run: bodies, references; cached_files
    files: int = 0
    bytes: int = 0
    suppressed: tuple = ()             # (reason, Diagnostic) the warning policy suppressed
    serial: float = 0.0                # seconds of ``timings`` during which no worker process was running

    @property
    def ok(self) -> bool:
        return self.usable and not has_errors(self.diagnostics)


class LicenseError(ValueError):
    """The license file cannot be read."""


def default_output_name(manifest) -> str:
    """`<Publisher>_<Name>_<Version>.app`, as alc.exe names it."""
    return f"{manifest.publisher}_{manifest.name}_{manifest.version}.app".replace("/", "_").replace("\\", "_")


def project_sources(project: str) -> list[str]:
    """The project's .al files, recursively, skipping hidden folders such as
    .alpackages; subfolders that cannot be listed are in the list too (their
    diagnostic comes from reading them)."""
    from ..syntax.files import walk_sources
    return walk_sources(project, skip_hidden=True)


STAGES = ("manifest", "dependencies", "parse", "check", "emit", "done")
"""The stages of a compile, in order, as ``CompileOptions.progress`` names them."""


def compile_project(options: CompileOptions) -> CompileResult:
    import gc
    try:
        return _compile_project(options)
    finally:
        # What the compile froze (its results, the state of an incremental build: see below) is collectable
        # again. Always, not "when the freeze count grew": gc.get_freeze_count() walks the whole frozen
        # list, which in a process that compiles many projects (one symbol cache) held millions of objects.
        gc.unfreeze()


def _compile_project(options: CompileOptions) -> CompileResult:
    from .deps import resolve
    from ..package.cache import scan_package_cache
    from .project import load_app_json

    timings: dict = {}
    clock = time.perf_counter()

    def lap(stage: str, files: int = 0) -> None:
        """``stage`` is over; tell ``options.progress`` that the next one starts."""
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = round(now - clock, 3)
        clock = now
        following = STAGES[STAGES.index(stage) + 1]
        if options.progress is not None and following != "parse":  # parse is announced with its file count
            options.progress(following, files)

    project = options.project
    diagnostics: list[Diagnostic] = []
    app_json = os.path.join(project, "app.json")
    if not os.path.isfile(app_json):
        diagnostics.append(Diagnostic.error("ALC0400", f"no app.json in `{project}`"))
        return CompileResult(tuple(diagnostics), usable=False)
    manifest, diags = load_app_json(app_json)
    diagnostics.extend(diags)
    if manifest is None:
        return CompileResult(tuple(diagnostics), usable=False)
    from .ruleset import RuleSetError, WarningPolicy
    try:
        policy = (options.warnings or WarningPolicy()).for_project(manifest, project)
    except RuleSetError as exc:
        diagnostics.append(Diagnostic.error("ALC0414", str(exc)))
        return CompileResult(tuple(diagnostics), usable=False)
    license_ranges: list = []
    if options.runtime and options.license:
        try:
            license_ranges = _read_license(options.license)
        except LicenseError as exc:
            diagnostics.append(Diagnostic.error("ALC0450", str(exc), Span(SourceFile(options.license, ""), 0, 0)))
            return CompileResult(tuple(diagnostics), usable=False)
    out = options.out or os.path.join(project, default_output_name(manifest))
    problem = output_problem(out)
    if problem:  # found before the work, not after it
        return CompileResult((Diagnostic.error("ALC0440", f"cannot write `{out}`: {problem}"),), usable=False)
    lap("manifest")

    cache = options.package_cache or (os.path.join(project, ".alpackages"),)
    store = _open_cache(options)
    scan = scan_package_cache
    if options.symbol_cache is not None:
        scan = functools.partial(scan_package_cache, read=options.symbol_cache.manifest)
    index = _scan(scan, [c for c in cache if os.path.isdir(c)], store)
    diagnostics.extend(index.diagnostics)
    resolution = resolve(manifest, index, _read_text(app_json))
    diagnostics.extend(_note_missing_cache(resolution.diagnostics, cache, bool(options.package_cache)))
    fresh = len(diagnostics)   # what every compile says anew; the rest may come from the build cache

    symbols = frozenset(manifest.preprocessor_symbols) | frozenset(options.defines)
    paths = project_sources(project)
    include_source = options.include_source or not options.runtime
    build = _incremental(store, options, manifest, app_json, symbols, resolution, paths, include_source)
    whole_key = None
    if build is not None:
        whole_key = build.whole_key(project, out)
        last = build.reuse(whole_key, out)
        applied = policy.apply(diagnostics + list(last.diagnostics)) if last is not None else None
        failed = applied is not None and has_errors(applied.diagnostics)
        if applied is not None and (last.output is not None or failed):
            # Nothing changed, and the package is there as it was written (or still cannot be).
            lap("dependencies")
            timings.update(parse=0.0, check=0.0)
            return CompileResult(tuple(applied.diagnostics), output=None if failed else last.output,
                                 objects=last.objects, timings=timings, files=last.files, bytes=last.bytes,
                                 suppressed=applied.suppressed, code={"cached_files": last.files})
    dep_symbols = _dependency_symbols(resolution, diagnostics, options.symbol_cache)
    lap("dependencies")

    if options.progress is not None:
        options.progress("parse", len(paths))
    diagnostics.extend(_unnamed_files(paths))
    from ..package.container import pack_entry, pack_pieces
    from ..memory import gc_paused
    from ..package.symbols_json import iter_symbols
    from ..semantic.checks.objects import check_objects
    from ..semantic.context import CheckContext
    from ..semantic.model import SymbolTable, name_numbered_targets
    from .workers import project_app_symbols, run_shares
    cached = build.cached() if build is not None else {}
    runs = [run_shares([p for p in paths if p not in cached], symbols, manifest, options.jobs,
                       project if include_source else None, dep_symbols, options.code_analysis)]
    try:
        files = _phase_one(runs[0], cached, paths, build)
        lap("parse")
        platform = resolution.has_platform
        surface = build.surface([f.declarations for f in files.values()], platform) if build is not None else ""
        checked: dict = {}      # path -> phase two's diagnostics, from the cache
        if build is not None:
            checked = build.reusable_checks(cached, files, surface)
            again = [p for p in cached if p not in checked]
            if again:  # the declarations changed: phase two again, on the files parsed anew
                runs.append(run_shares(again, symbols, manifest, options.jobs, None, dep_symbols,
                                       options.code_analysis))
                runs[1].phase_one()
        results = [f.result for f in files.values()]
        headers = tuple(h for r in results for h in r.headers)
        for r in results:
            diagnostics.extend(r.diagnostics)
        # The workers start the rules at once, with every file's symbols as pickled; meanwhile this
        # process builds the project's symbols too, runs the whole-app checks, and writes the symbols
        # entry of the package (unless errors already rule it out).
        with gc_paused():
            blobs = [(path, f.blob(runs[0])) for path, f in files.items()] if any(r.workers for r in runs) else []
            for run in runs:
                run.start_phase_two(platform, blobs)
            del blobs
            waited: dict = {}     # id(run) -> its PhaseTwo results
            for run in runs:
                if run.workers and not _emit_early(runs, results):
                    # A large project: the workers end before this process builds its own copy of the
                    # project's symbols and table, so that they are not all in memory at once.
                    waited[id(run)] = run.finish_phase_two(None, platform)
                    run.close()
            # Objects moved out to another app (`ObsoleteState = Moved`) are stubs:
            # their symbols belong to the app they moved to (the shares leave them out).
            equal: dict = {}
            for f in files.values():   # a worker's file: its symbols unpickled once, the same objects for all
                if f.record is None and not f.result.symbols:
                    f.result = attrs.evolve(f.result, symbols=runs[0].symbols_of(f.result, equal))
            del equal
            apps = [project_app_symbols(manifest, [o for f in files.values() for o in f.result.symbols])]
            apps += dep_symbols
            if build is None:
                for run in runs:
                    run.blobs.clear()   # only the build cache wants them still
            table = SymbolTable(apps, platform_available=platform)
            ctx = CheckContext(headers, table, manifest)
            check_objects(ctx)
            diagnostics.extend(ctx.diagnostics)
            symbols_entry = None
            if not has_errors(diagnostics):
                state = build.state if build is not None else None
                if state is not None and state.symbols_key == surface and state.symbols_entry is not None:
                    symbols_entry = state.symbols_entry
                else:
                    named = name_numbered_targets(apps[0].symbols, table)
                    symbols_entry = (pack_entry(build.project_symbols(named, files)) if build is not None
                                     else pack_pieces(iter_symbols(named)))
            from ..emit.resources import project_resources
            resources, resource_diags = project_resources(project, manifest, [r.resources for r in results],
                                                          _resolver(table))
            early = None
            if symbols_entry is not None and not has_errors(resource_diags) and _emit_early(runs, results):
                # The package's bytes depend on nothing phase two finds: made now, written if it finds no error.
                early = _package(None, manifest, headers, results, project, build, resources, symbols_entry,
                                 table, options, include_source)
            two = [result for run in runs
                   for result in (waited[id(run)] if id(run) in waited else run.finish_phase_two(apps[0], platform))]
            import gc
            gc.freeze()     # the same for the symbols, the table and the package, made while collections paused
    finally:
        for run in runs:
            run.close()
    parallel = sum(run.parallel for run in runs)
    by_file = dict(checked)
    loose: list = []
    unsplit: set = set()
    for result in two:
        by_file.update(result.by_file)
        loose.extend(result.loose)
        if result.loose:
            unsplit.update(result.by_file)
    for path in paths:
        diagnostics.extend(by_file.get(path, ()))
    diagnostics.extend(loose)
    if options.runtime and options.license:
        diagnostics.extend(_license_check(license_ranges, headers))
    diagnostics.extend(resource_diags)
    lap("check")

    counts = dict(runs[0].counts)
    for run in runs[1:]:
        for key, value in run.counts.items():
            counts[key] = counts.get(key, 0) + value
    if build is not None:
        counts["cached_files"] = len(cached)
        counts["cached_checks"] = len(checked)
        records = _records(build, files, by_file, unsplit)
    applied = policy.apply(diagnostics)
    result_kw = dict(objects=headers, timings=timings, code=counts, files=len(results),
                     bytes=sum(r.size for r in results), suppressed=applied.suppressed)
    if has_errors(applied.diagnostics):
        if build is not None:
            build.save(records, surface, symbols_entry, len(records) == len(files))
            build.remember(whole_key, None, diagnostics[fresh:], headers, len(results), result_kw["bytes"])
        return CompileResult(tuple(applied.diagnostics), **result_kw)
    from ..package.errors import PackageError
    try:
        if early is None:
            written = _package(out, manifest, headers, results, project, build, resources, symbols_entry, table,
                               options, include_source)
        else:
            written = early
            if isinstance(written, PackageError):
                raise written
            from ..package.container import write_bytes
            write_bytes(out, written)
    except PackageError as exc:  # reported; the package is never half-written
        if build is not None:
            build.save(records, surface, symbols_entry, len(records) == len(files))
        return CompileResult(tuple(applied.diagnostics) + (exc.to_diagnostic(),), **result_kw)
    if build is not None:
        build.save(records, surface, symbols_entry, len(records) == len(files))
        build.remember(whole_key, out, diagnostics[fresh:], headers, len(results), result_kw["bytes"], written)
    lap("emit")
    serial = round(max(0.0, sum(timings.values()) - parallel), 3)
    return CompileResult(tuple(applied.diagnostics), output=out, serial=serial, **result_kw)


EARLY_EMIT = 256 << 20
"""Source bytes up to which the package is made while the workers still run phase two (see ``_emit_early``)."""


def _emit_early(runs: list, results: list) -> bool:
    """Whether to make the package while the workers run phase two: only when there are workers (the
    work then overlaps theirs), and not for a large project, whose package would be held in memory at
    the time the workers hold the most."""
    return any(run.workers for run in runs) and sum(r.size for r in results) <= EARLY_EMIT


def _package(out: Optional[str], manifest, headers: tuple, results: list, project: str, build, resources: dict,
             symbols_entry, table, options, include_source: bool):
    """The package's bytes, written to ``out`` unless it is None; with ``out`` None, a PackageError
    is returned rather than raised (the caller decides later whether it counts)."""
    from ..emit.package import emit_package
    from ..package.errors import PackageError
    metadata: dict = {}
    sources: dict = {}
    for r in results:
        metadata.update(r.metadata)
        if r.source is not None:
            sources[os.path.relpath(r.path, project).replace(os.sep, "/")] = r.source
    capabilities = frozenset().union(*(r.capabilities for r in results))
    prerequisites = tuple(dict.fromkeys(q for r in results for q in r.prerequisites))
    if build is not None:
        resources = build.packed(resources)
    try:
        return emit_package(out, manifest, headers, metadata, capabilities, prerequisites, symbols_entry, sources,
                            table, runtime=options.runtime, include_source=include_source, resources=resources,
                            verified=build.verified if build is not None else None)
    except PackageError as exc:
        if out is not None:
            raise
        return exc


@attrs.define
class _File:
    """A file's phase one: its result (symbols included) and where it came from."""
    result: object
    declarations: str
    record: object = None      # its FileRecord, when it came from the build cache

    def blob(self, run) -> bytes:
        own = self.record.symbols if self.record is not None else None
        return own if type(own) is bytes else run.blob(self.result.path, self.result.symbols)


def _records(build, files: dict, by_file: dict, unsplit: set) -> dict:
    """The FileRecords of this build: a file read anew is kept only if it still has the content its
    key names (an editor may have saved it again while it was being compiled)."""
    from .incremental import FileRecord
    out = {}
    for path, f in files.items():
        key = build.file_key(path)
        unchanged, names = build.fresh_names(path) if f.record is None else (True, f.record.names)
        if key is None or not unchanged:
            continue
        checks = by_file.get(path)
        checks_key = build.checks_key(path) if checks is not None and path not in unsplit else ""
        if f.record is not None and f.record.checks_key == checks_key and f.record.checks == (checks or ()):
            out[path] = f.record      # as it was: the same object, so that a delta leaves it out
            continue
        result = f.record.result if f.record is not None else attrs.evolve(f.result, symbols=())
        out[path] = FileRecord(key, result, f.result.symbols, f.declarations, checks_key,
                               checks if checks_key else (), names,
                               f.record.json if f.record is not None else build.json_of(path))
    return out


def _phase_one(run, cached: dict, paths: list, build) -> dict:
    """path -> _File of every file, in the project's order: fresh from ``run`` or from the cache."""
    from ..memory import gc_paused
    out = {}
    with gc_paused():
        fresh = run.phase_one()
        for path in paths:
            record = cached.get(path)
            if record is not None:
                result = attrs.evolve(record.result, symbols=build.symbols_of(record))
                out[path] = _File(result, record.declarations, record)
            else:
                result = fresh[path]
                out[path] = _File(result, result.declarations)
        # The results (cached or not) live to the end of the compile: out of the collector's sight (frozen
        # before it runs again), so that its full collections do not walk them again and again.
        import gc
        gc.freeze()
    return out


def _open_cache(options):
    """The build cache of this compile, or None."""
    if not options.cache_dir:
        return None
    from .cache import BuildCache
    return BuildCache.open(options.cache_dir)


def _scan(scan, folders: list, store):
    """The index of the package cache folders; through the build cache while no `.app` in them changed
    (name, size, inode, times of change), since reading 250 manifests takes a while."""
    if store is None:
        return scan(folders)
    from .cache import digest
    listing = []
    for folder in folders:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
            found = []
            for e in entries:
                if e.name.lower().endswith(".app"):
                    st = e.stat()
                    found.append((e.name, st.st_mode, st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns))
        except OSError:
            return scan(folders)
        listing.append((os.path.abspath(folder), found))
    key = digest(folders, listing)
    kept = store.load("packages")
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == key:
        return kept[1]
    index = scan(folders)
    store.store("packages", (key, index))
    return index


def _incremental(store, options, manifest, app_json: str, defines: frozenset, resolution, paths: list,
                 include_source: bool):
    """The build cache's view of this compile, or None without a cache."""
    if store is None:
        return None
    from .incremental import Incremental
    try:
        manifest_bytes = read_regular(app_json, MAX_SOURCE_SIZE)
    except OSError:
        return None
    visible = {p.id for p in resolution.visible}
    used = [p for p in resolution.packages if p.id in visible or _is_platform(resolution, p)]
    return Incremental(store, options, manifest, manifest_bytes, defines, used, paths, include_source)


def _resolver(table):
    """(kind, name) -> the id of an object the app or its dependencies declare, or None."""
    def resolve(kind: str, name: str) -> Optional[int]:
        ids = [e.obj.id for e in table.find(kind, name) if getattr(e.obj, "id", None) is not None]
        return ids[0] if ids else None
    return resolve


def _unnamed_files(paths: list) -> list[Diagnostic]:
    """Files whose names are not UTF-8 (bytes the file system allows): they are
    compiled, but a package cannot name them, so the compile fails, naming them."""
    out = []
    for path in paths:
        try:
            path.encode("utf-8")
        except UnicodeEncodeError:
            shown = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            out.append(Diagnostic.error("ALC0100", f"the file name `{os.path.basename(shown)}` is not UTF-8; a "
                                        "package cannot hold it: rename the file", Span(SourceFile(path, ""), 0, 0)))
    return out


def _read_text(path: str) -> Optional[SourceFile]:
    try:
        return SourceFile.read(path)
    except (OSError, ValueError):
        return None


def _dependency_symbols(resolution, diagnostics: list, cache=None) -> list:
    """The symbols of the packages the app sees (its direct dependencies and what they propagate)."""
    from ..package.errors import PackageError
    from .symcache import SymbolCache
    cache = cache or SymbolCache()
    out = []
    visible = {p.id for p in resolution.visible}
    for pkg in resolution.packages:
        if pkg.id not in visible and not _is_platform(resolution, pkg):
            continue
        try:
            out.append(cache.app_symbols(pkg.path))
        except PackageError as exc:
            diagnostics.append(Diagnostic.error(exc.code, f"cannot read `{os.path.basename(pkg.path)}`: {exc.message}",
                                                Span(SourceFile(pkg.path, ""), 0, 0)))
    return out


def _note_missing_cache(diagnostics, cache: tuple, given: bool) -> list:
    """A dependency not found while the package cache folder does not exist: say so in the help."""
    missing = [c for c in cache if not os.path.isdir(c)]
    if not missing:
        return list(diagnostics)
    note = (f"the default package cache `{missing[0]}` does not exist; put the dependency packages there or "
            "give --packagecachepath DIR" if not given else
            "these package cache folders do not exist: " + ", ".join(f"`{m}`" for m in missing))
    return [attrs.evolve(d, help=f"{note} ({d.help})" if d.help else note) if d.code == "ALC0240" else d
            for d in diagnostics]


def _is_platform(resolution, pkg) -> bool:
    return resolution.platform is not None and resolution.platform.id == pkg.id


_LICENSE_FORM = '{"ranges": [{"from": 50000, "to": 50199}, {"from": 70000, "to": 70099, "type": "table"}]}'


def _license_int(value) -> int:
    """An id of a license range: an integer or a string of digits (AL ids fit 31 bits)."""
    if type(value) is int or (isinstance(value, str) and value.isascii() and value.strip().isdigit()):
        number = int(value)
        if 0 <= number <= 2147483647:
            return number
    raise ValueError(f"`{str(value)[:40]}` is not an object id")


def _read_license(path: str) -> list:
    """The ranges of a license file, (from, to, object type or None); LicenseError when unusable.

    The license is a JSON file: ``{"ranges": [{"from": 50000, "to": 99999}, ...]}``
    (optionally per object type: ``{"from", "to", "type": "table"}``)."""
    try:
        data = budget_loads(read_regular(path, MAX_SOURCE_SIZE), SMALL_JSON, "the license file")
    except OSError as exc:
        raise LicenseError(f"cannot read license file `{path}`: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise LicenseError(f"license file `{path}` is not valid JSON: {exc}") from None
    try:
        ranges = data["ranges"] if isinstance(data, dict) else data
        parsed = [(_license_int(r["from"]), _license_int(r["to"]), str(r.get("type") or "").lower() or None)
                  for r in ranges]
    except ValueError as exc:
        raise LicenseError(f"license file `{path}`: {exc}; it must look like {_LICENSE_FORM}") from None
    except (KeyError, TypeError, AttributeError):
        raise LicenseError(f"license file `{path}` must look like {_LICENSE_FORM}") from None
    return parsed


def _license_check(parsed: list, objects) -> list[Diagnostic]:
    """A runtime package may hold only objects whose ids the license covers."""
    out = []
    for obj in objects:
        oid = getattr(obj, "id", None)
        if oid is None:
            continue
        if not any(lo <= oid <= hi and (kind is None or kind == obj.kind) for lo, hi, kind in parsed):
            out.append(Diagnostic.error("ALC0451", f"{obj.kind} `{obj.name}` (id {oid}) is outside the licensed "
                                        "ranges; a runtime package may only hold licensed objects", obj.span))
    return out
