"""Mutation test of code analysis: inject single faults into copies of a real
project's code bodies and count how many alc reports on the faulty line.

    python -m benchmarks.mutation <project> --packagecachepath DIR [--count 100] [--seed 1] [--json out.json]

The project is read as `alc compile` reads it (its dependencies' symbols
from the package cache, its own symbols from its sources). Faults, drawn with
a seeded random generator from the code bodies of randomly chosen files:

- ``identifier``: a name in an expression misspelled (a letter doubled);
- ``field``: the member of `X.Member` (not called) misspelled;
- ``argument``: the last argument of a call dropped, only where the callee's signature is known and no
  overload takes the shorter call (dropping an optional argument is no fault);
- ``type``: an integer literal assigned with `:=` replaced by a text literal;
- ``text``: the value assigned with `:=` to an Integer (a variable or field alc knows to be one) wrapped
  in `Format(...)`, a Text expression assigned to an Integer.

Each mutant is the file's text with one fault; it is parsed and bound alone
(against the unchanged symbol table), and counts as found when an error is
reported on the faulty line (for a dropped argument, the line of the call, where compilers report
it). The unmodified files must give no error at all.
Prints the rate per kind. Nothing is written into the project.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import sys
from typing import Iterator

import attrs

from alc.ir import nodes as ir


@attrs.frozen
class Mutant:
    kind: str
    path: str
    start: int
    end: int
    replacement: str
    at: int = -1        # where the faulty line is (default: ``start``): a dropped argument's call

    def line(self, text: str) -> int:
        return text.count("\n", 0, self.at if self.at >= 0 else self.start) + 1

    def apply(self, text: str) -> str:
        return text[:self.start] + self.replacement + text[self.end:]


def load(project: str, caches: tuple):
    """(SymbolTable, source paths) of a project, as the compiler builds them."""
    from alc.build.compiler import _dependency_symbols, project_sources
    from alc.build.deps import resolve
    from alc.package.symbols_ir import symbols_from_ir
    from alc.package.cache import scan_package_cache
    from alc.build.project import load_app_json
    from alc.semantic.checks.objects import is_moved
    from alc.semantic.model import SymbolTable
    from alc.syntax.files import parse_unit
    from alc.build.workers import project_app_symbols
    manifest, diags = load_app_json(os.path.join(project, "app.json"))
    if manifest is None:
        raise SystemExit(f"cannot read {project}/app.json: {[str(d) for d in diags]}")
    index = scan_package_cache([c for c in caches if os.path.isdir(c)])
    resolution = resolve(manifest, index)
    diagnostics: list = []
    deps = _dependency_symbols(resolution, diagnostics)
    paths = project_sources(project)
    symbols = frozenset(manifest.preprocessor_symbols)
    objects = [o for p in paths for o in (parse_unit(p, symbols).unit or ir.CompilationUnit(p)).objects]
    own = project_app_symbols(manifest, list(symbols_from_ir([o for o in objects if not is_moved(o)]).objects()))
    return SymbolTable([own] + deps, resolution.has_platform), paths, symbols


def _nodes(node) -> Iterator:
    """Every IR node under ``node`` (statements and expressions)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, tuple):
            stack.extend(n)
        elif hasattr(n, "_field_names"):
            yield n
            stack.extend(getattr(n, f) for f in n._field_names)


def _bodies(obj) -> Iterator[ir.Block]:
    for n in _nodes(obj):
        if type(n) in (ir.Procedure, ir.Trigger) and type(n.body) is ir.Block:
            yield n.body


def _misspell(text: str, rng: random.Random) -> str:
    """Double one letter of a name (quotes kept)."""
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    i = rng.choice(letters)
    return text[:i + 1] + text[i] + text[i + 1:]


KINDS = ("identifier", "field", "argument", "type", "text")


def mutants(path: str, text: str, objects, rng: random.Random, trace: dict) -> dict:
    """kind -> [Mutant] for one file; ``trace`` is what binding the unmodified file recorded (the argument
    counts of the calls whose signatures are known, the types of assignment targets)."""
    out: dict = collections.defaultdict(list)
    scope_targets = set()
    for obj in objects:
        for body in _bodies(obj):
            for n in _nodes(body):
                t = type(n)
                if t is ir.Scope and n.target is not None:
                    scope_targets.add(id(n.target))
                span = n.span
                if span is None:
                    continue
                if t is ir.Name and id(n) not in scope_targets:
                    src = text[span.start:span.end]
                    if any(c.isalpha() for c in src):
                        out["identifier"].append(Mutant("identifier", path, span.start, span.end, _misspell(src, rng)))
                elif t is ir.Member:
                    src = text[span.start:span.end]
                    tail = src.rsplit(".", 1)[-1] if not src.endswith('"') else '"' + src.rsplit('"', 2)[-2] + '"'
                    start = span.end - len(tail)
                    if tail.strip('"') == n.name and any(c.isalpha() for c in tail):
                        out["field"].append(Mutant("field", path, start, span.end, _misspell(tail, rng)))
                elif t is ir.Call and n.arguments and n.arguments[-1].span is not None \
                        and _drop_is_fault(n, trace):
                    last = n.arguments[-1].span
                    if len(n.arguments) == 1:
                        start = n.arguments[0].span.start
                    else:
                        prev = n.arguments[-2].span
                        start = prev.end if prev is not None else last.start
                    out["argument"].append(Mutant("argument", path, start, last.end, "", n.target.span.start))
                elif t is ir.Assignment and n.op == ":=" and type(n.value) is ir.Literal \
                        and n.value.kind == "integer" and n.value.span is not None:
                    v = n.value.span
                    out["type"].append(Mutant("type", path, v.start, v.end, "'abc'"))
                if t is ir.Assignment and n.op == ":=" and n.value.span is not None \
                        and getattr(trace.get(("assign", n.value.span.start)), "name", None) == "integer":
                    v = n.value.span
                    out["text"].append(Mutant("text", path, v.start, v.end, f"Format({text[v.start:v.end]})"))
    return out


def _drop_is_fault(call, trace: dict) -> bool:
    """Whether dropping the last argument of ``call`` leaves a call no known overload takes."""
    span = call.target.span
    ranges = trace.get(("arity", span.start, span.end)) if span is not None else None
    if not ranges:
        return False
    n = len(call.arguments) - 1
    return not any(lo <= n and (hi is None or n <= hi) for lo, hi in ranges)


def _errors(text: str, path: str, symbols, table, trace=None) -> list:
    from alc.semantic.code.bind import check_code
    from alc.source import SourceFile
    from alc.syntax.api import parse_source
    result = parse_source(SourceFile(path, text), symbols)
    diags, _ = check_code(result.unit.objects, table, trace=trace)
    return [d for d in list(result.diagnostics) + diags if d.is_error]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project")
    parser.add_argument("--packagecachepath", action="append", default=[])
    parser.add_argument("--count", type=int, default=100, help="mutants per kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json")
    parser.add_argument("--show-missed", action="store_true", help="print every mutant alc did not report")
    args = parser.parse_args(argv)
    from alc.source import SourceFile
    from alc.syntax.api import parse_source
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 8000))
    table, paths, symbols = load(args.project, tuple(args.packagecachepath))
    rng = random.Random(args.seed)
    pool: dict = collections.defaultdict(list)
    texts: dict = {}
    clean_errors = 0
    for path in rng.sample(paths, len(paths)):
        with open(path, "rb") as f:
            text = SourceFile.from_bytes(path, f.read()).text
        result = parse_source(SourceFile(path, text), symbols)
        trace: dict = {}
        errors = _errors(text, path, symbols, table, trace)
        if errors:       # a false error on real code: reported, and the file is not mutated
            clean_errors += len(errors)
            print(f"unmodified {path}: {errors[0].code} {errors[0].message}", file=sys.stderr)
            continue
        texts[path] = text
        for kind, found in mutants(path, text, result.unit.objects, rng, trace).items():
            pool[kind].extend(found)
        if all(len(pool[k]) >= 5 * args.count for k in KINDS):
            break
    report: dict = {"project": args.project, "seed": args.seed, "files_clean": len(texts),
                    "errors_on_unmodified_files": clean_errors, "kinds": {}}
    for kind in KINDS:
        chosen = rng.sample(pool[kind], min(args.count, len(pool[kind])))
        found = 0
        for m in chosen:
            text = m.apply(texts[m.path])
            line = m.line(text)
            if any(d.span is not None and d.span.line == line for d in _errors(text, m.path, symbols, table)):
                found += 1
            elif args.show_missed:
                original = texts[m.path]
                start = original.rfind("\n", 0, m.start) + 1
                end = original.find("\n", m.end)
                print(f"missed {kind} {m.path}({line}): {original[start:end].strip()!r} -> "
                      f"{text[start:end - (m.end - m.start) + len(m.replacement)].strip()!r}", file=sys.stderr)
        report["kinds"][kind] = {"mutants": len(chosen), "found": found,
                                 "rate": round(found / len(chosen), 3) if chosen else None}
    print(json.dumps(report, indent=1))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
