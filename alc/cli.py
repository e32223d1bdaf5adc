"""The `alc` command line: argparse -> library calls -> rendered output -> exit code.

Exit codes: 0 success (warnings allowed), 1 diagnostics or conflicts found,
2 unusable input (bad arguments, missing paths, unreadable packages).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Optional, Sequence

from .version import __version__
from .diagnostics import explain

EXIT_OK, EXIT_DIAGNOSTICS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input from the user: reported in one line, exit code 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="alc", description="A toolchain for AL, the language of Business Central.")
    parser.add_argument("--version", action="version", version=f"alc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("parse", help="parse AL files and report syntax diagnostics")
    p.add_argument("paths", nargs="+", metavar="PATH", help="AL files or folders (searched recursively for *.al)")
    p.add_argument("--stats", action="store_true", help="print counts, time and throughput")
    p.add_argument("--format", choices=("text", "json"), default="text")
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

    p = sub.add_parser("compile", help="compile a project folder into a .app package")
    p.add_argument("--project", default=".", metavar="DIR", help="the project folder, with app.json (default: .)")
    p.add_argument("--packagecachepath", action="append", default=[], metavar="DIR",
                   help="folder of dependency packages (repeatable; default: <project>/.alpackages)")
    p.add_argument("--out", metavar="FILE", help="the package to write (default: <Publisher>_<Name>_<Version>.app)")
    p.add_argument("--runtime", action="store_true", help="build a runtime package (no source)")
    p.add_argument("--include-source", action="store_true", help="keep the source in a runtime package")
    p.add_argument("--license", metavar="FILE", help="licensed object id ranges (JSON), checked for --runtime")
    p.add_argument("--define", "-D", action="append", default=[], metavar="SYMBOL", help="preprocessor symbol")
    p.add_argument("--errorlog", metavar="FILE", help="write the diagnostics as SARIF 2.1.0")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--jobs", "-j", type=int, default=None, help="worker processes (default: one per core)")
    p.set_defaults(run=cmd_compile)

    p = sub.add_parser("check", help="will these apps coexist on one tenant? merge them and report conflicts")
    p.add_argument("apps", nargs="+", metavar="APP", help="the .app packages installed together (base included)")
    p.add_argument("--packagecachepath", action="append", default=[], metavar="DIR",
                   help="where dependencies that are not given are taken from (repeatable)")
    p.add_argument("--policy", choices=("strict", "last-wins"), default="strict",
                   help="strict: conflicting property changes fail (NAV); last-wins: the app applied last wins, "
                        "reported as warnings (Business Central)")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("merged", help="show an object as a tenant with these apps sees it")
    p.add_argument("object", metavar="OBJECT", help='KIND:ID or KIND:NAME, e.g. page:21 or page:"Customer Card"')
    p.add_argument("apps", nargs="+", metavar="APP", help="the .app packages installed together")
    p.add_argument("--packagecachepath", action="append", default=[], metavar="DIR")
    p.add_argument("--policy", choices=("strict", "last-wins"), default="strict")
    p.add_argument("--format", choices=("al", "json"), default="al")
    p.set_defaults(run=cmd_merged)

    p = sub.add_parser("explain", help="explain a diagnostic code")
    p.add_argument("code")
    p.set_defaults(run=cmd_explain)

    sub.add_parser("server", help="an offline server: publish, install, upgrade ... per tenant (alc server --help)",
                   add_help=False)

    p = sub.add_parser("inspect", help="show the manifest and objects of a .app package")
    p.add_argument("app", metavar="APP", help="a .app file")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=cmd_inspect)
    return parser


# alc.exe spells switches `/project:DIR`; alc accepts them next to `--project DIR`.
_ALC_EXE_SWITCHES = frozenset(("project", "packagecachepath", "out", "errorlog", "define", "d"))


def _translate_switches(argv: Sequence[str]) -> list[str]:
    """`/project:App` -> `--project=App` (only for alc.exe's switch names, so paths stay paths).

    >>> _translate_switches(["compile", "/project:App", "/d:CLEAN27", "/work/x"])
    ['compile', '--project=App', '--define=CLEAN27', '/work/x']
    """
    out = []
    for arg in argv:
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


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
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
        if os.environ.get("ALC_DEBUG"):
            raise
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
        if os.environ.get("ALC_DEBUG"):
            raise
        print(f"alc: internal error: {type(exc).__name__}: {exc} (this is a bug in alc; "
              "run with ALC_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_USAGE


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
    from .build.compiler import CompileOptions, compile_project
    from .diagnostics import render_sarif, sort_key, to_dict
    if not os.path.isdir(args.project):
        raise UsageError(f"no such project folder: {args.project}")
    for folder in args.packagecachepath:
        if not os.path.isdir(folder):
            raise UsageError(f"no such package cache folder: {folder}")
    if args.license and not os.path.isfile(args.license):
        raise UsageError(f"no such license file: {args.license}")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    _check_output(args.errorlog)
    options = CompileOptions(project=args.project, package_cache=tuple(args.packagecachepath), out=args.out,
                             runtime=args.runtime, include_source=args.include_source, license=args.license,
                             defines=tuple(args.define), jobs=args.jobs)
    result = compile_project(options)
    diagnostics = sorted(result.diagnostics, key=sort_key)
    if args.errorlog:
        _write_text(args.errorlog, render_sarif(diagnostics))
    if args.format == "json":
        print(json.dumps({"output": result.output, "files": result.files, "objects": len(result.objects),
                          "bytes": result.bytes, "seconds": round(sum(result.timings.values()), 3),
                          "timings": result.timings, "diagnostics": [to_dict(d) for d in diagnostics]}, indent=2))
    else:
        for d in diagnostics:
            path, line, col = d.location()
            prefix = f"{path}({line},{col}): " if path else ""
            print(f"{prefix}{d.severity} {d.code}: {d.message}")
        errors = sum(1 for d in diagnostics if d.is_error)
        warnings = len(diagnostics) - errors
        seconds = sum(result.timings.values())
        if result.output:
            print(f"wrote {result.output}: {len(result.objects)} objects from {result.files} files "
                  f"in {seconds:.1f} s ({warnings} warnings)")
        elif result.usable:
            print(f"compilation failed: {errors} errors, {warnings} warnings; no package written")
    if not result.usable:
        return EXIT_USAGE
    return EXIT_OK if result.ok else EXIT_DIAGNOSTICS


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


def _load_apps(args: argparse.Namespace):
    from .merge.load import load_apps
    from .package.errors import PackageError
    for path in args.apps:
        if not os.path.isfile(path):
            raise UsageError(f"no such package: {path}")
    for folder in args.packagecachepath:
        if not os.path.isdir(folder):
            raise UsageError(f"no such package cache folder: {folder}")
    try:
        return load_apps(args.apps, args.packagecachepath)
    except PackageError as exc:
        raise UsageError(str(exc)) from None


def _merge(args: argparse.Namespace):
    """Load and merge the apps; objects are decoded during the merge, so a
    damaged object is found there."""
    from .merge import merge
    from .package.errors import PackageError
    apps = _load_apps(args)
    try:
        return merge(apps, policy=args.policy)
    except PackageError as exc:
        raise UsageError(str(exc)) from None


def cmd_check(args: argparse.Namespace) -> int:
    from .diagnostics import render_sarif
    result = _merge(args)
    if args.format == "json":
        print(json.dumps(result.to_dict(), indent=2))
    elif args.format == "sarif":
        print(render_sarif(result.diagnostics()))
    else:
        names = {a.id: a.name for a in result.apps}
        print("apps, in the order they apply: " + " --> ".join(names.get(i, i) for i in result.order))
        lines = []  # one write: thousands of conflicts print in linear time
        for severity, found in (("error", result.conflicts), ("warning", result.warnings)):
            for c in found:
                where = f"{c.object}" if c.object is not None else "apps"
                lines.append(f"{where}: {severity} {c.code}: {c.message}")
                lines.extend(f"    app `{a.name}` by {a.publisher} {a.version} ({a.id})" for a in c.apps)
        if lines:
            print("\n".join(lines))
        print(f"{len(result.conflicts)} conflicts, {len(result.warnings)} warnings")
    return EXIT_DIAGNOSTICS if result.conflicts else EXIT_OK


def _object_spec(text: str) -> tuple:
    """`page:21` -> ('page', 21); `page:"Customer Card"` -> ('page', 'Customer Card')."""
    kind, sep, ident = text.partition(":")
    if not sep or not kind or not ident:
        raise UsageError(f"OBJECT must be KIND:ID or KIND:NAME, got `{text}`")
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
    from .package.errors import PackageError
    kind, ident = _object_spec(args.object)
    result = _merge(args)
    try:
        obj = result.find(kind, ident)
    except PackageError as exc:
        raise UsageError(str(exc)) from None
    if obj is None:
        raise UsageError(f"no {kind} `{ident}` in these apps")
    if args.format == "json":
        print(json.dumps(merged_json(obj, result.provenance), indent=2))
    else:
        print(render_merged(obj, result.provenance))
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    text = explain(args.code)
    if text is None:
        raise UsageError(f"unknown diagnostic code `{args.code}`")
    print(text)
    return EXIT_OK


def cmd_inspect(args: argparse.Namespace) -> int:
    from .package import PackageError, read_package
    from .package.inspect import render_text, to_json
    try:
        package = read_package(args.app)
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
