"""The `alc` command line: argparse -> library calls -> rendered output -> exit code.

Exit codes: 0 success (warnings allowed), 1 diagnostics or conflicts found,
2 unusable input (bad arguments, missing paths, unreadable packages).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Optional, Sequence

from . import __version__
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

    p = sub.add_parser("explain", help="explain a diagnostic code")
    p.add_argument("code")
    p.set_defaults(run=cmd_explain)

    p = sub.add_parser("inspect", help="show the manifest and objects of a .app package")
    p.add_argument("app", metavar="APP", help="a .app file")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=cmd_inspect)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"alc: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    text = explain(args.code)
    if text is None:
        raise UsageError(f"unknown diagnostic code `{args.code}`")
    print(text)
    return EXIT_OK


def cmd_inspect(args: argparse.Namespace) -> int:
    from .package import PackageError, read_package
    from .package.inspect import render_text
    try:
        package = read_package(args.app)
    except PackageError as exc:
        print(str(exc.with_path(args.app)), file=sys.stderr)
        return EXIT_USAGE
    print(json.dumps(package.to_json(), indent=2) if args.format == "json" else render_text(package))
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
