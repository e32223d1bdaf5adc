"""The `alc` command line: argparse -> library calls -> rendered output -> exit code.

Exit codes: 0 success (warnings allowed), 1 diagnostics or conflicts found,
2 unusable input (bad arguments, missing paths, unreadable packages).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from typing import Optional, Sequence

import attrs

from .diagnostics import explain
from .version import __version__

EXIT_OK, EXIT_DIAGNOSTICS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input from the user: reported in one line, exit code 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="alc", description="A toolchain for AL, the language of Business Central.",
        epilog="exit codes: 0 success (warnings allowed), 1 diagnostics, conflicts or a failed build, "
               "2 unusable input (bad arguments, missing paths, unreadable packages, app.json or license). "
               "`alc COMMAND --help` describes a command; `alc explain --list` lists the diagnostic codes.")
    parser.add_argument("--version", action="version", version=f"alc {__version__}")
    parser.add_argument(TRUST_OPTION, action="store_true",
                        help="read packages with the larger limits of trusted packages (files up to 2 GiB, "
                             "SymbolReference.json up to 1 GiB: generated benchmark bases) instead of the fixed "
                             "limits that keep any package under 1 GB and a few seconds; accepted after the "
                             "command too, `alc server` included; same as ALC_TRUSTED_PACKAGES=1")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("parse", help="parse AL files and report syntax diagnostics")
    p.add_argument("paths", nargs="+", metavar="PATH", help="AL files or folders (searched recursively for *.al)")
    p.add_argument("--stats", action="store_true", help="print counts, time and throughput")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--define", "-D", action="append", default=[], metavar="SYMBOL",
                   help="preprocessor symbol (repeatable); added to app.json preprocessorSymbols")
    p.add_argument("--declarations-only", action="store_true",
                   help="keep code bodies as text (faster; what merge and checks need)")
    p.add_argument("--roundtrip", action="store_true",
                   help="also check that parse -> print -> parse gives the same IR")
    p.add_argument("--jobs", "-j", type=int, default=None, help="worker processes (default: one per core)")
    p.set_defaults(run=cmd_parse)

    p = sub.add_parser("generate", help="write a large generated base app and extensions (benchmarks, tests)")
    p.add_argument("out", metavar="OUT", help="folder to write base/, ext001/... and generated.json into")
    for name, default, text in (("tables", 50, "tables in the base app"), ("pages", 50, "pages in the base app"),
                                ("codeunits", 25, "codeunits in the base app"),
                                ("extensions", 5, "extension apps"), ("deltas", 10, "deltas per extension"),
                                ("depth", 3, "longest dependency chain of extensions (1: on the base only)"),
                                ("seed", 0, "random seed; the same seed gives the same files")):
        p.add_argument(f"--{name}", type=int, default=default, metavar="N", help=f"{text} (default {default})")
    p.add_argument("--enums", type=int, default=None, metavar="N", help="enums in the base app (default tables/8)")
    p.add_argument("--conflict-rate", type=float, default=0.05, metavar="R",
                   help="share of deltas that collide on purpose (default 0.05)")
    p.add_argument("--force", action="store_true", help="replace what an earlier run wrote in OUT")
    p.add_argument("--jobs", "-j", type=int, default=None, help="worker processes (default: one per core)")
    p.set_defaults(run=cmd_generate)

    p = sub.add_parser("compile", help="compile a project folder into a .app package",
                       epilog='license file (--license): JSON, {"ranges": [{"from": 50000, "to": 50199}, '
                              '{"from": 70000, "to": 70099, "type": "table"}]}: the object ids a runtime package '
                              'may hold, optionally per object type.')
    p.add_argument("project_dir", nargs="?", metavar="DIR", help="the project folder (the same as --project DIR)")
    p.add_argument("--project", default=None, metavar="DIR", help="the project folder, with app.json (default: .)")
    p.add_argument("--packagecachepath", action="append", default=[], metavar="DIR",
                   help="folder of dependency packages (repeatable; default: <project>/.alpackages)")
    p.add_argument("--out", metavar="FILE", help="the package to write (default: <Publisher>_<Name>_<Version>.app)")
    p.add_argument("--runtime", action="store_true", help="build a runtime package (no source)")
    p.add_argument("--include-source", action="store_true", help="keep the source in a runtime package")
    p.add_argument("--license", metavar="FILE",
                   help="licensed object id ranges (JSON, see below), checked for --runtime")
    p.add_argument("--define", "-D", action="append", default=[], metavar="SYMBOL",
                   help="preprocessor symbol (repeatable); added to app.json preprocessorSymbols")
    p.add_argument("--errorlog", metavar="FILE", help="write the diagnostics as SARIF 2.1.0")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--jobs", "-j", type=int, default=None, help="worker processes (default: one per core)")
    _warning_options(p)
    p.add_argument("--no-code-analysis", dest="code_analysis", action="store_false",
                   help="check the syntax of code bodies only (no binding of names, members and calls)")
    p.add_argument("--cache-dir", metavar="DIR", default=None,
                   help="the build cache of incremental compiles (default: <project>/.alc)")
    p.add_argument("--no-cache", action="store_true", help="compile everything anew; read and write no build cache")
    p.add_argument("--watch", action="store_true",
                   help="compile, then compile again each time a file of the project changes (Ctrl-C stops)")
    p.set_defaults(run=cmd_compile)

    p = sub.add_parser("xliff", help="write the generated translation file (Translations/<App>.g.xlf) of a project")
    p.add_argument("--project", default=".", metavar="DIR", help="the project folder, with app.json (default: .)")
    p.add_argument("--out", metavar="FILE", help="the file to write (default: <project>/Translations/<App>.g.xlf)")
    p.add_argument("--define", "-D", action="append", default=[], metavar="SYMBOL", help="preprocessor symbol")
    p.set_defaults(run=cmd_xliff)

    p = sub.add_parser("unpack", help="turn a package with source back into a project folder")
    p.add_argument("app", metavar="APP", help="a .app file that carries its source")
    p.add_argument("folder", metavar="DIR", help="the project folder to write (must not exist or be empty)")
    p.set_defaults(run=cmd_unpack)

    p = sub.add_parser("build", help="compile every project under some folders, in dependency order, in parallel")
    p.add_argument("folders", nargs="*", metavar="DIR", help="folders searched for projects (app.json) (default: .)")
    p.add_argument("--packagecachepath", action="append", default=[], metavar="DIR",
                   help="folder of packages the projects depend on but do not build (repeatable; default: each "
                        "project's .alpackages)")
    p.add_argument("--out", default="alc-build", metavar="DIR",
                   help="where the packages are written, and found by the projects built after (default: alc-build)")
    p.add_argument("--jobs", "-j", type=int, default=None, help="cores to use (default: all)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--progress", choices=("auto", "live", "plain"), default="auto",
                   help="a live table (a terminal), plain lines (logs), or auto: live on a terminal")
    _warning_options(p)
    p.set_defaults(run=cmd_build)

    p = sub.add_parser("graph", help="the dependency graph of packages or projects (dot, mermaid, json, svg)")
    p.add_argument("paths", nargs="+", metavar="APP|DIR",
                   help=".app packages, project folders, or folders searched for projects (else for packages)")
    p.add_argument("--format", choices=("dot", "mermaid", "json", "svg"), default="dot",
                   help="dot (Graphviz), mermaid, json, or svg (drawn by Graphviz's dot) (default: dot)")
    p.add_argument("--output", "-o", metavar="FILE", help="write the graph to FILE instead of the standard output")
    p.add_argument("--reduce", action="store_true",
                   help="leave out the edges a longer path implies (A -> C when A -> B -> C): readable pictures of "
                        "large workspaces")
    p.set_defaults(run=cmd_graph)

    p = sub.add_parser("check", help="will these apps coexist on one tenant? merge them and report conflicts")
    p.add_argument("apps", nargs="+", metavar="APP",
                   help="the .app packages installed together (base included), or folders of them")
    p.add_argument("--packagecachepath", action="append", default=[], metavar="DIR",
                   help="where dependencies that are not given are taken from (repeatable)")
    p.add_argument("--policy", choices=("strict", "last-wins"), default="strict",
                   help="strict: conflicting property changes fail (NAV); last-wins: the app applied last wins, "
                        "reported as warnings (Business Central)")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text", help="output format (default: text)")
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("merged", help="show an object as a tenant with these apps sees it")
    p.add_argument("object", metavar="OBJECT", help='KIND:ID or KIND:NAME, e.g. page:21 or page:"Customer Card"')
    p.add_argument("apps", nargs="+", metavar="APP", help="the .app packages installed together, or folders of them")
    p.add_argument("--packagecachepath", action="append", default=[], metavar="DIR",
                   help="where dependencies that are not given are taken from (repeatable)")
    p.add_argument("--policy", choices=("strict", "last-wins"), default="strict",
                   help="strict: conflicting changes are conflicts; last-wins: the app applied last wins")
    p.add_argument("--format", choices=("al", "json"), default="al", help="output format (default: al)")
    p.set_defaults(run=cmd_merged)

    p = sub.add_parser("compare", help="before deploying: will NEW sync over OLD, and what does it break?")
    p.add_argument("old", metavar="OLD.app", help="the version deployed now")
    p.add_argument("new", metavar="NEW.app", help="the version to deploy")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text", help="output format (default: text)")
    p.set_defaults(run=cmd_compare)

    p = sub.add_parser("explain", help="explain a diagnostic code")
    p.add_argument("code", nargs="?", help="a code such as ALC0101")
    p.add_argument("--list", action="store_true", help="list every code with its title")
    p.set_defaults(run=cmd_explain)

    sub.add_parser("server", help="an offline server: publish, install, upgrade ... per tenant (alc server --help)",
                   add_help=False)

    p = sub.add_parser("inspect", help="show the manifest and objects of a .app package")
    p.add_argument("app", metavar="APP", help="a .app file")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.set_defaults(run=cmd_inspect)
    return parser


def _warning_options(p: argparse.ArgumentParser) -> None:
    """The AL compiler's warning switches (see alc/build/ruleset.py for their precedence)."""
    p.add_argument("--nowarn", action="append", default=[], metavar="CODE[,CODE...]",
                   help="suppress these warnings (repeatable; also /nowarn:CODE;CODE)")
    p.add_argument("--warnaserror", action="append", default=[], metavar="+|-|+:CODES|-:CODES",
                   help="--warnaserror or --warnaserror+: every warning is an error; --warnaserror+:CODES: "
                        "these are; --warnaserror-[:CODES]: not (also /warnaserror+ ...)")
    p.add_argument("--ruleset", metavar="FILE",
                   help="a ruleset JSON file (name, rules [{id, action, justification}], includedRuleSets); "
                        "default: app.json ruleSetPath")


def _warning_policy(args: argparse.Namespace):
    from .build.ruleset import WarningPolicy
    if args.ruleset and not os.path.isfile(args.ruleset):
        raise UsageError(f"no such ruleset file: {args.ruleset}")
    try:
        return WarningPolicy.from_options(args.nowarn, args.warnaserror, args.ruleset)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


# alc.exe spells switches `/project:DIR`; alc accepts them next to `--project DIR`.
_ALC_EXE_SWITCHES = frozenset(("project", "packagecachepath", "out", "errorlog", "define", "d", "nowarn", "ruleset"))
_WARNASERROR = re.compile(r"^(?:/|--?)warnaserror([+-]?)(?::(.*))?$", re.IGNORECASE)


def _translate_switches(argv: Sequence[str]) -> list[str]:
    """`/project:App` -> `--project=App` (only for alc.exe's switch names, so paths stay paths).

    >>> _translate_switches(["compile", "/project:App", "/d:CLEAN27", "/work/x"])
    ['compile', '--project=App', '--define=CLEAN27', '/work/x']
    >>> _translate_switches(["/warnaserror+", "--warnaserror", "--warnaserror-:ALC0221", "/nowarn:AL0432"])
    ['--warnaserror=+', '--warnaserror=+', '--warnaserror=-:ALC0221', '--nowarn=AL0432']
    """
    out = []
    for arg in argv:
        m = _WARNASERROR.match(arg)
        if m:
            out.append(f"--warnaserror={m.group(1) or '+'}" + (f":{m.group(2)}" if m.group(2) else ""))
            continue
        name, sep, value = arg[1:].partition(":")
        if arg.startswith("/") and sep and name.lower() in _ALC_EXE_SWITCHES:
            name = "define" if name.lower() == "d" else name.lower()
            out.append(f"--{name}={value}")
        else:
            out.append(arg)
    return out


def run() -> None:
    """The `alc` command: ``main`` and exit without tearing the heap down.

    A compile of the Base Application leaves a gigabyte of objects that the
    interpreter would free one by one at exit (seconds); the package is
    already written, fsynced and renamed, and the output is flushed here.
    SIGTERM and SIGHUP end the command like Ctrl-C (an exception), so that
    no temporary file outlives it."""
    _terminate_on_signals()
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: nothing more can be said
        code = code or 1
    os._exit(code)


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP: unwinds like Ctrl-C (``finally`` blocks remove temporary files)."""


def _terminate_on_signals() -> None:
    import signal

    def handler(signum, frame):
        raise Terminated(signum)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), handler)


TRUST_OPTION = "--trusted-packages"


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if TRUST_OPTION in argv[:argv.index("--") if "--" in argv else len(argv)]:
        argv.remove(TRUST_OPTION)
        return _trusting_packages(lambda: main(argv))
    return _main(argv)


def _trusting_packages(command) -> int:
    """Run ``command`` with ALC_TRUSTED_PACKAGES=1 (the package readers' default limits become the trusted
    ones; worker processes inherit it), restored after."""
    from .package.errors import TRUST_VARIABLE
    before = os.environ.get(TRUST_VARIABLE)
    os.environ[TRUST_VARIABLE] = "1"
    try:
        return command()
    finally:
        if before is None:
            os.environ.pop(TRUST_VARIABLE, None)
        else:
            os.environ[TRUST_VARIABLE] = before


def _main(argv: list) -> int:
    for stream in (sys.stdout, sys.stderr):  # file names that are not UTF-8 print as escapes
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if argv[:1] == ["server"]:  # `alc server ...` has its own parser (alc/deploy/cli.py)
        return _server(argv[1:])
    parser = _parser()
    args = parser.parse_args(_translate_switches(argv))
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"alc: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Terminated as exc:
        return 128 + (exc.args[0] if exc.args else 15)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug in alc: one clear line, never a traceback (ALC_DEBUG=1 shows it)
        return _internal_error(exc)


def _internal_error(exc: Exception) -> int:
    """A bug in alc as one line on stderr (exit 2); with ALC_DEBUG set, the traceback instead."""
    if os.environ.get("ALC_DEBUG"):
        raise exc
    print(f"alc: internal error: {type(exc).__name__}: {exc} (this is a bug in alc; "
          "run with ALC_DEBUG=1 for details)", file=sys.stderr)
    return EXIT_USAGE


def _server(argv: list) -> int:
    from .deploy.cli import main as server_main
    try:
        return server_main(argv)
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug in alc: one clear line, never a traceback (ALC_DEBUG=1 shows it)
        return _internal_error(exc)


def cmd_generate(args: argparse.Namespace) -> int:
    import time
    from .generate import Options, clean_output, generate
    options = Options(tables=args.tables, pages=args.pages, codeunits=args.codeunits, extensions=args.extensions,
                      deltas=args.deltas, depth=args.depth, conflict_rate=args.conflict_rate, seed=args.seed,
                      enums=args.enums)
    problems = options.problems()
    if problems:
        raise UsageError("; ".join(problems))
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if os.path.isfile(args.out):
        raise UsageError(f"not a folder: {args.out}")
    if os.path.isdir(args.out) and os.listdir(args.out):
        if not args.force:
            raise UsageError(f"{args.out} is not empty (use --force to replace an earlier run)")
        clean_output(args.out)
    start = time.perf_counter()
    manifest = generate(args.out, options, jobs=args.jobs)
    seconds = time.perf_counter() - start
    totals = manifest["totals"]
    kinds = ", ".join(f"{k} {v}" for k, v in totals["objects_by_kind"].items())
    print(f"apps: {totals['apps']} (max depth {totals['max_depth']})")
    print(f"objects: {totals['objects']} ({kinds})")
    print(f"deltas: {totals['deltas']}  conflicts: {totals['conflicts']}")
    print(f"bytes: {totals['bytes']}  time: {seconds:.2f} s  ({totals['objects'] / seconds:.0f} objects/s)")
    return EXIT_OK


def cmd_compile(args: argparse.Namespace) -> int:
    from .build.cache import default_cache_dir
    from .build.compiler import CompileOptions
    if args.project_dir and args.project and os.path.abspath(args.project_dir) != os.path.abspath(args.project):
        raise UsageError(f"two project folders given: {args.project_dir} and --project {args.project}")
    args.project = args.project_dir or args.project or "."
    if not os.path.isdir(args.project):
        raise UsageError(f"no such project folder: {args.project}")
    if args.out and not os.path.exists(os.path.dirname(os.path.abspath(args.out))):
        raise UsageError(f"the folder of --out does not exist: {os.path.dirname(os.path.abspath(args.out))}")
    for report in filter(None, (args.errorlog,)):
        if not os.path.exists(os.path.dirname(os.path.abspath(report))):
            raise UsageError(f"the folder of --errorlog does not exist: {os.path.dirname(os.path.abspath(report))}")
    for folder in args.packagecachepath:
        if not os.path.isdir(folder):
            raise UsageError(f"no such package cache folder: {folder}")
    if args.license and not os.path.isfile(args.license):
        raise UsageError(f"no such license file: {args.license}")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.no_cache and args.cache_dir:
        raise UsageError("--no-cache and --cache-dir go not together")
    _check_output(args.errorlog)
    options = CompileOptions(project=args.project, package_cache=tuple(args.packagecachepath), out=args.out,
                             runtime=args.runtime, include_source=args.include_source, license=args.license,
                             defines=tuple(args.define), jobs=args.jobs, warnings=_warning_policy(args),
                             code_analysis=args.code_analysis,
                             cache_dir=None if args.no_cache else (args.cache_dir or default_cache_dir(args.project)))
    if args.watch:
        from .build.watch import watch
        return watch(lambda: _compile_once(args, options), args.project, (args.out, args.errorlog, options.cache_dir))
    return _compile_once(args, options)


def _compile_once(args: argparse.Namespace, options) -> int:
    """One compile of `alc compile`, reported; its exit code."""
    from .build.compiler import compile_project
    from .diagnostics import render_sarif, sort_key, to_dict
    if args.format == "text" and sys.stdout.isatty():
        from .build.view import CompileProgress
        with CompileProgress(sys.stdout, os.path.basename(os.path.abspath(args.project))) as shown:
            result = compile_project(attrs.evolve(options, progress=shown.stage))
    else:
        result = compile_project(options)
    diagnostics = sorted(result.diagnostics, key=sort_key)
    suppressed: dict = {}
    for reason, _ in result.suppressed:
        suppressed[reason] = suppressed.get(reason, 0) + 1
    if args.errorlog:
        _write_text(args.errorlog, render_sarif(diagnostics))
    if args.format == "json":
        print(json.dumps({"output": result.output, "files": result.files, "objects": len(result.objects),
                          "bytes": result.bytes, "seconds": round(sum(result.timings.values()), 3),
                          "timings": result.timings, "diagnostics": [to_dict(d) for d in diagnostics],
                          "suppressed": {"total": len(result.suppressed), "by": suppressed}}, indent=2))
    else:
        for d in diagnostics:
            path, line, col = d.location()
            prefix = f"{path}({line},{col}): " if path else ""
            print(f"{prefix}{d.severity} {d.code}: {d.message}")
            if d.help and (d.is_error or d.code.startswith(("ALC04", "ALC023"))):
                print(f"    help: {d.help}")
        errors = sum(1 for d in diagnostics if d.is_error)
        warnings = len(diagnostics) - errors
        seconds = sum(result.timings.values())
        hidden = f", {len(result.suppressed)} suppressed" if result.suppressed else ""
        if result.output:
            print(f"wrote {result.output}: {len(result.objects)} objects from {result.files} files "
                  f"in {seconds:.1f} s ({warnings} warnings{hidden})")
        elif result.usable:
            print(f"compilation failed: {errors} errors, {warnings} warnings{hidden}; no package written")
    if not result.usable:
        return EXIT_USAGE
    return EXIT_OK if result.ok else EXIT_DIAGNOSTICS


def cmd_compare(args: argparse.Namespace) -> int:
    """`alc compare OLD.app NEW.app`: exit 1 when anything breaks."""
    from .deploy.compare import compare_files
    from .diagnostics import render_sarif
    from .package import PackageError
    try:
        changes = compare_files(args.old, args.new)
    except OSError as exc:
        raise UsageError(f"cannot read {exc.filename}: {exc.strerror}") from None
    except PackageError as exc:
        raise UsageError(str(exc)) from None
    breaking = [c for c in changes if c.breaking]
    if args.format == "json":
        print(json.dumps({"breaking": [c.to_json() for c in breaking],
                          "changes": [c.to_json() for c in changes if not c.breaking]}, indent=2))
    elif args.format == "sarif":
        print(render_sarif([c.diagnostic() for c in changes]))
    else:
        for c in changes:
            print(f"{args.new}: {'error' if c.breaking else 'info'} {c.code}: {c.message}")
        print(f"{len(breaking)} breaking changes, {len(changes) - len(breaking)} other changes")
    return EXIT_DIAGNOSTICS if breaking else EXIT_OK


def cmd_unpack(args: argparse.Namespace) -> int:
    from .package import PackageError, read_package
    from .package.unpack import unpack_package
    try:
        result = unpack_package(read_package(args.app), args.folder)
    except PackageError as exc:
        print(str(exc.with_path(args.app)), file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {result.folder}: {len(result.files)} files ({len(result.skipped)} entries the compiler "
          f"derives left out)")
    return EXIT_OK


def cmd_xliff(args: argparse.Namespace) -> int:
    from .diagnostics import has_errors, sort_key
    from .build.translate import project_xliff
    if not os.path.isdir(args.project):
        raise UsageError(f"no such project folder: {args.project}")
    target, data, diagnostics = project_xliff(args.project, tuple(args.define))
    for d in sorted(diagnostics, key=sort_key):
        path, line, col = d.location()
        prefix = f"{path}({line},{col}): " if path else ""
        print(f"{prefix}{d.severity} {d.code}: {d.message}")
    if target is None:
        return EXIT_USAGE
    if data is None or has_errors(diagnostics):
        print("no translation file written")
        return EXIT_DIAGNOSTICS
    out = args.out or target
    folder = os.path.dirname(os.path.abspath(out))
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from None
    _write_bytes(out, data)
    units = data.count(b"<trans-unit ")
    print(f"wrote {out}: {units} trans-units")
    return EXIT_OK


def _write_bytes(path: str, data: bytes) -> None:
    """Write a file next to its final name, then rename (never half-written)."""
    import tempfile
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".alc-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def cmd_build(args: argparse.Namespace) -> int:
    from .build.view import make_view, print_summary
    from .build.workspace import build, discover_projects
    folders = args.folders or ["."]
    for folder in folders:
        if not os.path.isdir(folder):
            raise UsageError(f"no such folder: {folder}")
    for folder in args.packagecachepath:
        if not os.path.isdir(folder):
            raise UsageError(f"no such package cache folder: {folder}")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if not os.path.isdir(os.path.dirname(os.path.abspath(args.out))):
        raise UsageError(f"the folder of --out does not exist: {os.path.dirname(os.path.abspath(args.out))}")
    policy = _warning_policy(args)
    projects = discover_projects(folders)
    if not projects:
        raise UsageError("no projects (app.json) in " + ", ".join(folders))
    if args.format == "json":
        result = build(folders, args.packagecachepath, args.out, args.jobs, policy, projects=projects)
        print(json.dumps({"ok": result.ok, "seconds": result.seconds, "jobs": result.jobs,
                          "projects": [r.to_json() for r in result.results]}, indent=2))
    else:
        terminal = sys.stdout.isatty() if args.progress == "auto" else args.progress == "live"
        with make_view(sys.stdout, terminal) as view:
            result = build(folders, args.packagecachepath, args.out, args.jobs, policy, on_event=view.event,
                           projects=projects)
        print_summary(result, sys.stdout, terminal)
    if not result.usable:
        return EXIT_USAGE
    return EXIT_OK if result.ok else EXIT_DIAGNOSTICS


def cmd_graph(args: argparse.Namespace) -> int:
    from .build.graph import GraphError, build_graph, load_nodes, reduced, to_dot, to_json, to_mermaid, to_svg
    try:
        graph = build_graph(load_nodes(args.paths))
        if args.reduce:
            graph = reduced(graph)
        render = {"dot": to_dot, "mermaid": to_mermaid, "json": to_json, "svg": to_svg}[args.format]
        text = render(graph)
    except GraphError as exc:
        raise UsageError(str(exc)) from None
    for warning in graph.warnings:
        print(f"alc: warning: {warning}", file=sys.stderr)
    if args.output:
        _write_text(args.output, text if text.endswith("\n") else text + "\n")
    else:
        print(text)
    return EXIT_OK


def _check_output(path: Optional[str]) -> None:
    """Refuse an output path before any work is done (exit 2, one line)."""
    from .output import output_problem
    problem = output_problem(path) if path else None
    if problem:
        raise UsageError(f"cannot write `{path}`: {problem}")


def _write_text(path: str, text: str) -> None:
    """Write a report next to its final name, then rename (never half-written,
    never over anything but a regular file)."""
    from .output import OutputError, write_atomic
    try:
        write_atomic(path, text.encode("utf-8"), fsync=False)
    except OutputError as exc:
        raise UsageError(str(exc)) from None


def _app_paths(paths: Sequence[str], read=None) -> list[str]:
    """The packages given: files as they are, every `*.app` of a folder (sorted); one version per app.
    ``read(path)`` reads a package (once per command: see :func:`_package_reader`)."""
    out = []
    for path in paths:
        if os.path.isdir(path):
            found = sorted(os.path.join(path, f) for f in os.listdir(path)
                           if f.lower().endswith(".app") and os.path.isfile(os.path.join(path, f)))
            if not found:
                raise UsageError(f"no .app packages in folder: {path}")
            out.extend((p, False) for p in found)
        elif os.path.isfile(path):
            out.append((path, True))
        else:
            raise UsageError(f"no such package: {path}")
    return _one_version_each(out, read)


def _package_reader():
    """``read(path)``: the package at ``path`` without its symbols, read once for the whole command
    (the apps are chosen, loaded and their conflicts located from the same packages)."""
    from .package import read_package
    opened: dict = {}

    def read(path: str):
        package = opened.get(path)
        if package is None:
            package = opened[path] = read_package(path, symbols=False)
        return package

    return read


def _package_ids(paths: Sequence[str], caches: Sequence[str], read=None) -> dict:
    """App id -> package path, for the packages given and those of the package caches (to find
    where a conflict is written)."""
    from .package import PackageError, read_package
    read = read or (lambda path: read_package(path, symbols=False))
    out: dict = {}
    if caches:
        from .package.cache import scan_package_cache
        index = scan_package_cache([c for c in caches if os.path.isdir(c)])
        for app_id, versions in index.by_id.items():
            if versions:
                out[str(app_id)] = versions[0].path
    for path in paths:
        try:
            out[read(path).app.id] = path
        except PackageError:
            pass
    return out


def _one_version_each(paths: list, read=None) -> list[str]:
    """Two versions of one app: the highest, with a warning (the package cache's rule), unless both
    were named on the command line, which is a contradiction the user must settle (exit 2)."""
    from .package import PackageError, read_package
    read = read or (lambda path: read_package(path, symbols=False))
    chosen: dict = {}
    order = []
    for path, explicit in paths:
        try:
            app = read(path).app
        except PackageError as exc:
            raise UsageError(str(exc.with_path(path))) from None
        have = chosen.get(app.id)
        if have is None:
            chosen[app.id] = (path, explicit, app)
            order.append(app.id)
            continue
        other_path, other_explicit, other = have
        if explicit and other_explicit:
            raise UsageError(f"`{app.name}` is given twice: {other.version} ({other_path}) and {app.version} "
                             f"({path}); give one of them")
        keep = (path, explicit, app) if app.version > other.version else have
        low, high = sorted(((other.version, other_path), (app.version, path)))
        print(f"alc: warning: `{app.name}` is given twice ({low[0]} in {low[1]}, {high[0]} in {high[1]}); "
              f"using {keep[2].version} from {keep[0]}, the highest", file=sys.stderr)
        chosen[app.id] = keep
    return [chosen[i][0] for i in order]


def _load_apps(args: argparse.Namespace):
    from .merge.load import load_apps
    from .package.errors import PackageError
    args.read_package = read = _package_reader()
    args.apps = _app_paths(args.apps, read)
    args.package_ids = _package_ids(args.apps, args.packagecachepath, read)
    for folder in args.packagecachepath:
        if not os.path.isdir(folder):
            raise UsageError(f"no such package cache folder: {folder}")
    try:
        return load_apps(args.apps, args.packagecachepath, read=read)
    except PackageError as exc:
        raise UsageError(str(exc)) from None


def _merge(args: argparse.Namespace):
    """Load and merge the apps; objects are decoded during the merge, so a
    damaged object is found there."""
    from .merge import merge
    from .package.errors import PackageError
    apps = args.loaded = _load_apps(args)
    try:
        return merge(apps, policy=args.policy)
    except PackageError as exc:
        raise UsageError(str(exc)) from None


def cmd_check(args: argparse.Namespace) -> int:
    from .diagnostics import render_sarif
    from .merge.locate import locate_conflicts
    result = _merge(args)
    if result.conflicts or result.warnings:
        result = locate_conflicts(result, args.package_ids, args.read_package)
    if args.format == "json":
        print(json.dumps(result.to_dict(), indent=2))
    elif args.format == "sarif":
        print(render_sarif(result.diagnostics()))
    else:
        names = {a.id: a.name for a in result.apps}
        print("apps, in the order they apply: " + " --> ".join(names.get(i, i) for i in result.order))
        lines = []  # one write: thousands of conflicts print in linear time
        for severity, c in [("error", c) for c in result.conflicts] + [("warning", c) for c in result.warnings]:
            where = f"{c.object}" if c.object is not None else "apps"
            spans = list(c.spans) + [None] * (len(c.apps) - len(c.spans))
            if any(s is not None and s.source is not None for s in spans):
                for a, span in zip(c.apps, spans):  # one line per side, where it is written
                    line, col = span.source.line_col(span.start) if span is not None else (0, 0)
                    prefix = f"{span.display_path()}({line},{col})" if span is not None else where
                    lines.append(f"{prefix}: {severity} {c.code}: {c.message} [`{a.name}` {a.version}]")
                continue
            lines.append(f"{where}: {severity} {c.code}: {c.message}")
            lines.extend(f"    app `{a.name}` by {a.publisher} {a.version} ({a.id})" for a in c.apps)
        if lines:
            print("\n".join(lines))
        print(f"{len(result.conflicts)} conflicts, {len(result.warnings)} warnings")
    return EXIT_DIAGNOSTICS if result.conflicts else EXIT_OK


def _object_spec(text: str) -> tuple:
    """`page:21` -> ('page', 21); `page:"Customer Card"` -> ('page', 'Customer Card')."""
    from .ir.nodes import OBJECT_CLASSES
    kind, sep, ident = text.partition(":")
    if not sep or not kind or not ident:
        raise UsageError(f"OBJECT must be KIND:ID or KIND:NAME, got `{text}`")
    if kind.strip().lower() not in OBJECT_CLASSES:
        import difflib
        near = difflib.get_close_matches(kind.strip().lower(), sorted(OBJECT_CLASSES), n=1)
        raise UsageError(f"unknown object kind `{kind.strip()}`" + (f"; did you mean `{near[0]}`?" if near else "")
                         + " (kinds: " + ", ".join(sorted(OBJECT_CLASSES)) + ")")
    ident = ident.strip()
    if ident.isdigit():
        if not ident.isascii() or len(ident) > 10:
            raise UsageError(f"object id `{ident}` is not a number AL allows")
        return kind.strip().lower(), int(ident)
    if len(ident) >= 2 and ident[0] == ident[-1] and ident[0] in "\"'":
        ident = ident[1:-1]
    return kind.strip().lower(), ident


def cmd_merged(args: argparse.Namespace) -> int:
    from .merge import merged_json, render_merged
    from .merge.show import added_code, conflict_marks, object_conflicts
    from .package.errors import PackageError
    kind, ident = _object_spec(args.object)
    result = _merge(args)
    try:
        obj = result.find(kind, ident)
    except PackageError as exc:
        raise UsageError(str(exc)) from None
    if obj is None:
        raise UsageError(f"no {kind} `{ident}` in these apps")
    conflicts = object_conflicts(result, obj)
    if args.format == "json":
        doc = merged_json(obj, result.provenance)
        doc["conflicts"] = [c.to_dict() for c in conflicts]
        print(json.dumps(doc, indent=2))
    else:
        print(render_merged(obj, result.provenance, conflict_marks(conflicts), added_code(result, args.loaded, obj)))
        if conflicts:
            print(f"// {len(conflicts)} conflict{'s' if len(conflicts) > 1 else ''} in this object "
                  "(alc check lists where each side is written)")
    return EXIT_DIAGNOSTICS if conflicts else EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from .diagnostics import CODES
    if args.list:
        for code in sorted(CODES):
            entry = CODES[code]
            print(f"{code}  {entry.title}" + ("  (retired)" if entry.retired else ""))
        return EXIT_OK
    if not args.code:
        raise UsageError("give a code (alc explain ALC0101) or --list")
    text = explain(args.code)
    if text is None:
        raise UsageError(f"unknown diagnostic code `{args.code}`")
    print(text)
    return EXIT_OK


def cmd_inspect(args: argparse.Namespace) -> int:
    from .package import PackageError, read_package
    from .package.inspect import render_text, to_json
    try:
        package = read_package(args.app, symbols="headers")   # inspect shows the objects, not their members
    except PackageError as exc:
        print(str(exc.with_path(args.app)), file=sys.stderr)
        return EXIT_USAGE
    print(json.dumps(to_json(package), indent=2) if args.format == "json" else render_text(package))
    return EXIT_OK


def cmd_parse(args: argparse.Namespace) -> int:
    from .syntax.files import PathError, discover, parse_files
    try:
        files = discover(args.paths)
    except PathError as exc:
        raise UsageError(str(exc)) from None
    if not files:
        raise UsageError("no .al files in " + ", ".join(args.paths))
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    summary = parse_files(files, defines=args.define, jobs=args.jobs, lazy=args.declarations_only,
                          roundtrip=args.roundtrip)
    if args.format == "json":
        out = summary.to_json()
        if args.roundtrip:
            out["roundtrip"] = {"checked": summary.roundtrip_checked, "failures": list(summary.roundtrip_failures)}
        print(json.dumps(out, indent=2))
    else:
        for d in sorted(summary.diagnostics, key=lambda d: (d["file"], d["line"], d["column"], d["code"])):
            print(f"{d['file']}({d['line']},{d['column']}): {d['severity']} {d['code']}: {d['message']}")
        if args.stats:
            mb = summary.bytes / 1e6
            rate = mb / summary.seconds if summary.seconds else 0.0
            kinds = ", ".join(f"{k} {v}" for k, v in sorted(summary.objects.items()))
            print(f"files: {summary.files} ({summary.files_with_errors} with errors)")
            print(f"objects: {sum(summary.objects.values())} ({kinds})")
            print(f"lines: {summary.lines}  bytes: {summary.bytes}")
            print(f"time: {summary.seconds:.2f} s  ({rate:.2f} MB/s)")
            if args.roundtrip:
                print(f"round trip: {summary.roundtrip_checked - len(summary.roundtrip_failures)}"
                      f"/{summary.roundtrip_checked} files give the same IR after printing")
                for path in summary.roundtrip_failures:
                    print(f"  round trip differs: {path}")
    has_errors = summary.files_with_errors > 0 or bool(summary.roundtrip_failures)
    return EXIT_DIAGNOSTICS if has_errors else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
