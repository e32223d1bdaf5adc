"""Structural mutation of packages: metadata and SymbolReference.json are
decoded, one of their nodes is replaced, removed, retyped or multiplied, and
the package is written again; every command that reads packages must then
answer with its result or one clear error, never an internal error.

Used by tests/test_hardening_fuzz.py (hypothesis) and, for a long run,
``python tests/fuzzkit.py N`` (counts printed; failures saved under /tmp).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import sys
import tempfile
from typing import Any, Callable

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from alc.cli import main  # noqa: E402
from alc.package.container import app_bytes  # noqa: E402

SOURCE = """
table 50100 Item { fields { field(1; No; Code[20]) { } field(2; Qty; Decimal) { TableRelation = Item.No; } }
  keys { key(PK; No) { Clustered = true; } } }
page 50100 Items { SourceTable = Item; layout { area(Content) { group(G) { field(No; Rec.No) { } } } }
  actions { area(Processing) { action(Go) { trigger OnAction() begin end; } } } }
enum 50100 Kind { value(0; None) { } value(1; Some) { Caption = 'Some'; } }
codeunit 50100 Work { procedure Run(x: Integer): Integer begin exit(x); end; }
tableextension 50101 ItemExt extends Item { fields { field(50100; Extra; Text[30]) { } } }
"""

PATHS = ("SymbolReference.json",)


def nodes(value: Any, path=()):
    """Every (path, value) of a JSON document."""
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from nodes(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from nodes(v, path + (i,))


def replace(doc: Any, path: tuple, new: Any, delete: bool = False) -> Any:
    if not path:
        return new
    parent = doc
    for p in path[:-1]:
        parent = parent[p]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return doc


SCALARS = [None, True, False, 0, -1, 2 ** 31, 2 ** 63, 1.5, "", "x", "Table", "table", "#1", "-5", "²", "\ud800",
           "a" * 300, {}, [], [[]], {"$": "Table"}, {"$": "Code"}, {"$": "Nope"}, {"$": 5}, [None], ["x"]]


def mutate(doc: Any, rng: random.Random, value: Callable[[random.Random], Any] = None) -> Any:
    """One structural change at a random node: replace by another value (of
    another type, or a node taken from elsewhere in the document), delete a
    key or an item, multiply a list, or nest a node inside itself."""
    doc = json.loads(json.dumps(doc))
    everything = list(nodes(doc))
    path, node = rng.choice(everything)
    how = rng.randrange(6)
    if how == 0 and path:
        return replace(doc, path, None, delete=True)
    if how == 1:
        return replace(doc, path, value(rng) if value else rng.choice(SCALARS))
    if how == 2:
        return replace(doc, path, json.loads(json.dumps(rng.choice(everything)[1])))
    if how == 3 and isinstance(node, list) and node:
        return replace(doc, path, node * rng.randrange(2, 50))
    if how == 4:
        return replace(doc, path, [node] if rng.random() < 0.5 else {"$": rng.choice(["Table", "Field", "Code"]),
                                                                      "x": node})
    if isinstance(node, dict) and node:
        key = rng.choice(list(node))
        node[key + rng.choice(["", "x"])] = rng.choice(SCALARS)
        return doc
    return replace(doc, path, rng.choice(SCALARS))


def mutated_package(entries: dict, rng: random.Random, value=None) -> tuple[bytes, str]:
    """A package with one JSON entry (metadata or symbols) mutated 1-3 times; (bytes, entry name)."""
    names = [n for n in entries if n.endswith(".json")]
    name = rng.choice(names)
    doc = json.loads(entries[name].decode("utf-8-sig"))
    for _ in range(rng.randrange(1, 4)):
        doc = mutate(doc, rng, value)
    out = dict(entries)
    try:
        out[name] = json.dumps(doc, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")
    except (TypeError, ValueError):
        out[name] = json.dumps(doc).encode()
    return app_bytes(out), name


def read_whole(path: str) -> tuple:
    """("read", 0 or 2, text) of reading the whole package, every symbol built (what compile and the server
    read): 2 for a PackageError, any other exception an internal error."""
    from alc.package import PackageError
    from alc.package.reader import read_package
    try:
        package = read_package(path)
        return "read", 0, str(sum(1 for _ in package.symbols.objects()))
    except PackageError as exc:
        return "read", 2, str(exc)
    except Exception as exc:  # noqa: BLE001 (what the fuzzer looks for)
        return "read", 3, f"internal error: {type(exc).__name__}: {exc}"


def run_commands(path: str, dependency: str) -> list:
    """(command, exit code, output) of every reading command on a package, and of a reading of its whole
    symbol model; a failure is an exit code outside 0-2 or an internal error."""
    results = [read_whole(path)]
    for args in (["inspect", path], ["inspect", path, "--format", "json"], ["check", dependency, path],
                 ["merged", "table:50100", dependency, path], ["merged", "page:50100", path],
                 ["merged", "enum:50100", path, "--format", "json"]):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
        results.append((args[0], code, out.getvalue() + err.getvalue()))
    return results


def failures(results) -> list:
    return [(c, code, text[-300:]) for c, code, text in results
            if code not in (0, 1, 2) or "internal error" in text or "Traceback" in text]


def base_entries() -> tuple[dict, dict]:
    """The entries of the fuzzed package and of a second app that extends it."""
    from hardkit import sample_entries
    ext = ("tableextension 50200 ItemMore extends Item { fields { field(50200; More; Integer) { } } }\n"
           "pageextension 50200 ItemsMore extends Items { layout { addlast(G) { field(More; Rec.More) { } } } }")
    from hardkit import APP_ID
    return sample_entries(SOURCE), sample_entries(SOURCE.replace("50100", "50300").replace("50101", "50301") + ext,
                                                  name="Other", id=APP_ID.replace("0001", "0077"))


def long_run(count: int, seed: int = 0) -> None:
    import time
    entries, other = base_entries()
    rng = random.Random(seed)
    folder = tempfile.mkdtemp(prefix="alc-fuzz-")
    dependency = os.path.join(folder, "other.app")
    with open(dependency, "wb") as f:
        f.write(app_bytes(other))
    outcomes: dict = {}
    failed = 0
    started = time.perf_counter()
    for i in range(count):
        data, name = mutated_package(entries, rng)
        path = os.path.join(folder, "fuzz.app")
        with open(path, "wb") as f:
            f.write(data)
        results = run_commands(path, dependency)
        for command, code, _ in results:
            outcomes[(command, code)] = outcomes.get((command, code), 0) + 1
        bad = failures(results)
        if bad:
            failed += 1
            keep = os.path.join(folder, f"failure-{i}.app")
            os.replace(path, keep)
            print(f"FAILURE {i} ({name}): {bad[0]} -> {keep}", flush=True)
        if (i + 1) % 500 == 0:
            print(f"{i + 1} packages, {failed} failures, {time.perf_counter() - started:.0f} s", flush=True)
    print(f"packages: {count}, commands run: {sum(outcomes.values())}, failures: {failed}")
    for (command, code), n in sorted(outcomes.items()):
        print(f"  {command:8} exit {code}: {n}")


if __name__ == "__main__":
    long_run(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, int(sys.argv[2]) if len(sys.argv) > 2 else 0)
