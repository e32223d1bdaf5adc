"""SymbolReference.json read within bounded memory and time (issue 14, item 1): the budget's shape pass in
slices, the object-by-object decoder, the identities-only reading of `alc inspect`, the limit of one object's
size, budgets that grow with the file, and peak memory and time at the limits measured in a child process."""

from __future__ import annotations

import copy
import json
import os
import random
import subprocess
import sys

import pytest

import alc.budget as budget_module
from alc import parse_text
from alc.budget import JsonBudget, shape
from alc.package import PackageError
from alc.package.errors import Limits
from alc.package.symbols_ir import symbols_from_ir
from alc.package.symbols_json import read_symbols, symbols_to_json
from hardkit import ROOT, alc, sample_entries, stored_package, symbols_at_the_limits

SOURCE = """
namespace Demo.Sales;
table 50100 Item { fields { field(1; No; Code[20]) { } field(2; Qty; Decimal) { TableRelation = Item.No; } }
  keys { key(PK; No) { Clustered = true; } } }
page 50100 Items { SourceTable = Item; layout { area(Content) { group(G) { field(No; Rec.No) { } } } }
  actions { area(Processing) { action(Go) { trigger OnAction() begin end; } } } }
enum 50100 Kind { value(0; None) { } value(1; Some) { Caption = 'Some'; } }
codeunit 50100 Work { procedure Run(x: Integer): Integer begin exit(x); end; }
tableextension 50101 ItemExt extends Item { fields { field(50100; Extra; Text[30]) { } } }
"""


# --------------------------------------------------------- the shape pass --

def _reference_shape(data: bytes) -> tuple:
    """Depth, containers and values as :func:`alc.budget.shape` defines them (containers: brackets outside
    strings over two; values: commas outside strings, plus containers, plus one), one byte at a time."""
    depth = level = brackets = commas = 0
    inside = escaped = False
    for c in data:
        if inside:
            if escaped:
                escaped = False
            elif c == 0x5C:
                escaped = True
            elif c == 0x22:
                inside = False
        elif c == 0x22:
            inside = True
        elif c in b"[{":
            level += 1
            brackets += 1
            depth = max(depth, level)
        elif c in b"]}":
            level -= 1
            brackets += 1
        elif c == 0x2C:
            commas += 1
    return depth, brackets // 2, commas + brackets // 2 + (1 if data.strip() else 0)


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 1 << 20])
def test_the_shape_pass_reads_in_slices_and_counts_exactly(monkeypatch, chunk):
    """Slices cut anywhere (inside strings, between a backslash and what it escapes) count the same."""
    monkeypatch.setattr(budget_module, "_CHUNK", chunk)
    rng = random.Random(chunk)
    pieces = ['"a\\\\"', '"\\""', '"[,{"', '"\\\\\\""', "[", "]", "{", "}", ",", '"x"', "1", " ", '""', '"\\\\"']
    for _ in range(1500):
        doc = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        for data in (doc.encode(), json.dumps([doc, {"k": [doc]}]).encode()):
            expected = _reference_shape(data)
            assert tuple(shape(data)) == expected, data


def test_the_shape_of_parts_never_joined_is_the_shape_of_the_whole():
    """check_parts (a package's symbols checked as they are inflated) cuts nowhere wrongly: the parts
    may end anywhere, between a backslash and what it escapes included."""
    from alc.budget import BudgetError, check_parts
    rng = random.Random(5)
    pieces = ['"a\\\\"', '"\\""', '"[,{"', '"\\\\\\""', "[", "]", "{", "}", ",", '"x"', "1", " ", '""']
    tight = JsonBudget(max_size=1 << 20, max_depth=3, max_containers=4, max_values=9)
    for _ in range(1500):
        data = json.dumps(["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))),
                           [[[]]] * rng.randint(0, 3)]).encode()
        cuts = sorted(rng.sample(range(len(data) + 1), min(len(data) + 1, rng.randint(0, 6))))
        parts = [data[a:b] for a, b in zip([0] + cuts, cuts + [len(data)])]
        seen = []
        try:
            check_parts(iter(parts), tight, "x")
        except BudgetError as exc:
            seen.append(str(exc))
        whole = []
        try:
            budget_module.check(data, tight, "x")
        except BudgetError as exc:
            whole.append(str(exc))
        assert seen == whole, (data, parts)
    assert check_parts([b'["\\ud800"]'], tight, "x") is False    # a surrogate escape: the caller looks closer
    assert check_parts([b'["\\', b'u0041"]'], tight, "x") is True


def test_budgets_grow_with_the_size_of_the_document():
    budget = JsonBudget(max_containers=10, max_values=20, bytes_per_container=32, bytes_per_value=12)
    assert (budget.containers_for(100), budget.values_for(100)) == (10, 20)
    assert (budget.containers_for(32_000), budget.values_for(12_000)) == (1000, 1000)
    limits = Limits(max_json_containers=10, max_json_values=1000, json_bytes_per_container=32)
    roomy = json.dumps({"Tables": [{"Id": i, "Name": f"Table number {i:06d} with a long name"}
                                   for i in range(40)]}).encode()
    assert len(roomy) // 32 > 42 and len(read_symbols(roomy, limits).tables) == 40   # 42 containers
    dense = json.dumps({"Tables": [{"Id": i} for i in range(40)]}).encode()
    with pytest.raises(PackageError) as info:   # 42 containers in 491 bytes: 15 allowed
        read_symbols(dense, limits)
    assert info.value.code == "ALC0425"
    assert f"holds 42 arrays and objects, over the limit of {len(dense) // 32}" in info.value.message


# ----------------------------------------------------------- the decoder --

def test_one_object_larger_than_its_limit_is_refused_before_it_is_decoded():
    doc = {"Namespaces": [{"Name": "A", "Tables": [{"Id": 1, "Name": "T", "Fields": [{"Id": i} for i in range(50)]}]}]}
    data = json.dumps(doc).encode()
    assert read_symbols(data, Limits(max_symbol_object_size=len(data))).tables[0].namespace == "A"
    with pytest.raises(PackageError) as info:
        read_symbols(data, Limits(max_symbol_object_size=200))
    assert info.value.code == "ALC0425"
    assert "`Namespaces[0].Tables[0]` is" in info.value.message and "over the limit of 200 for one object" in \
        info.value.message


def _identities(ref) -> list:
    return [(o.kind, o.id, o.name, o.namespace, getattr(o, "target", None), getattr(o, "target_app", None))
            for o in ref.objects()]


def test_identities_only_are_those_of_the_whole_model():
    ref = symbols_from_ir(parse_text(SOURCE).objects)
    data = json.dumps(symbols_to_json(ref)).encode()
    heads = read_symbols(data, members=False)
    assert _identities(heads) == _identities(read_symbols(data)) and len(_identities(heads)) == 5
    assert all(not getattr(o, "fields", ()) for o in heads.objects())


def test_identities_only_refuse_what_the_whole_model_refuses():
    """Seeded damage: whatever the whole reading refuses, the identities-only reading refuses with the same
    message (the typed schema checks what the codecs check; what it refuses the full decoder reads again for
    the message); whatever the whole reading takes, it takes with the same identities."""
    rng = random.Random(11)
    docs = [symbols_to_json(symbols_from_ir(parse_text(SOURCE).objects))]
    values = [None, True, 0, -1, 2 ** 40, 1.5, 7.0, "", "x", "#12", " 12 ", "two", "TRUE", "addafter", "field",
              [], [1], {}, {"a": 1}]

    def slots(x, acc):
        items = x.items() if isinstance(x, dict) else enumerate(x) if isinstance(x, list) else ()
        for k, v in items:
            acc.append((x, k))
            slots(v, acc)
        return acc

    counts = {"both": 0, "neither": 0, "identities only": 0, "same message": 0}
    for _ in range(600):
        doc = copy.deepcopy(rng.choice(docs))
        targets = slots(doc, [])
        for _ in range(rng.randint(1, 3)):
            parent, key = rng.choice(targets)
            parent[key] = copy.deepcopy(rng.choice(values))
        data = json.dumps(doc).encode()
        outcomes = []
        for members in (True, False):
            try:
                outcomes.append(read_symbols(data, members=members))
            except PackageError as exc:
                outcomes.append(exc)
        whole, heads = outcomes
        if not isinstance(whole, PackageError):
            assert not isinstance(heads, PackageError) and _identities(heads) == _identities(whole), doc
            counts["both"] += 1
        elif isinstance(heads, PackageError):
            assert heads.code == whole.code == "ALC0430"
            counts["neither"] += 1
            counts["same message"] += str(heads) == str(whole)
        else:
            counts["identities only"] += 1
    assert counts["both"] > 50 and counts["neither"] > 300 and counts["identities only"] == 0, counts
    assert counts["same message"] == counts["neither"], counts


def test_inspect_shows_the_same_objects_as_before(tmp_path, capsys):
    """`alc inspect` reads identities only: its listing is that of the whole model."""
    from alc.cli import main
    from alc.package.reader import read_package
    path = tmp_path / "x.app"
    path.write_bytes(stored_package(sample_entries(SOURCE)))
    assert main(["inspect", "--format", "json", str(path)]) == 0
    shown = json.loads(capsys.readouterr().out)["objects"]
    assert shown == read_package(str(path)).objects() and len(shown) == 5


# ---------------------------------------------------- memory at the limits --

_READ = ("import sys, time; from alc.package.reader import read_package\n"
         "p = read_package(sys.argv[1]); print(sum(1 for _ in p.symbols.objects()))")

_MIDDLE = r"""
import json, resource, subprocess, sys
p = subprocess.run([sys.executable, "-c", sys.argv[1], sys.argv[2]], capture_output=True, text=True)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": p.returncode, "out": p.stdout, "err": p.stderr[-500:],
                  "cpu": r.ru_utime + r.ru_stime, "peak_mb": r.ru_maxrss / 1024}))
"""


def _read_whole(path: str) -> dict:
    """Peak memory and CPU time of reading a package's whole symbol model, in a child (a small middle process
    measures it: a child's peak starts from the memory of the process that forked it)."""
    proc = subprocess.run([sys.executable, "-c", _MIDDLE, _READ, path], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=ROOT), timeout=600)
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("kind", ["properties", "empty", "deep"])
def test_symbols_shaped_at_the_limits_read_in_bounded_memory_and_time(tmp_path, kind):
    """Each shape fills the default budget (3,000,000 containers or 8,000,000 values, depth 128) in up to
    40 MB: before this decoder the whole model took 1,299 MB (properties at 125 MB), 510 MB (empty) and
    732 MB (deep); now the whole model stays well under 1 GB and `alc inspect` near the size of the file
    (test_hardening_limits.py: the same shapes at up to 128 MiB)."""
    path = str(tmp_path / f"{kind}.app")
    data = symbols_at_the_limits(kind, size=40 * 1024 * 1024)
    with open(path, "wb") as f:
        f.write(stored_package(dict(sample_entries(), **{"SymbolReference.json": data})))
    del data
    run = alc(["inspect", path])
    assert run.code == 0 and run.peak_mb < 300 and run.seconds < 120, (run, run.peak_mb, run.seconds)
    whole = _read_whole(path)
    assert whole["code"] == 0 and int(whole["out"]) > 2, whole
    assert whole["peak_mb"] < 700 and whole["cpu"] < 30, whole


def test_a_large_entry_is_read_into_one_buffer(tmp_path):
    """Container.read_buffer: the entry's bytes, filled a MB at a time; a corrupt entry is still ALC0424."""
    from alc.package.container import read_container
    from hardkit import navx, zip_of
    payload = json.dumps({"Tables": [{"Id": i, "Name": f"T{i}"} for i in range(200_000)]}).encode()
    data = navx(zip_of([("NavxManifest.xml", sample_entries()["NavxManifest.xml"]), ("SymbolReference.json", payload)]))
    container = read_container(data)
    assert container.read_buffer("SymbolReference.json") == payload == container.read("SymbolReference.json")
    broken = bytearray(data)
    at = broken.rindex(b"SymbolReference.json") - 30   # the CRC of the entry in the central directory
    broken[at:at + 4] = b"\0\0\0\0"
    with pytest.raises(PackageError) as info:
        read_container(bytes(broken)).read_buffer("SymbolReference.json")
    assert info.value.code == "ALC0424"
