"""Fixed limits by default, larger ones only for trusted packages (issue 14, item 1): whatever its content, a
package is read in under 1 GB and a few seconds; a package over the default limits is refused with a message
naming the opt-in (`--trusted-packages`, `ALC_TRUSTED_PACKAGES=1`, or ``TRUSTED_LIMITS`` through the API),
which reads it. Peak memory and CPU time of the worst cases at the default limits are measured in a child."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest

from alc.package import PackageError
from alc.package.container import read_container
from alc.package.errors import DEFAULT_LIMITS, TRUSTED_LIMITS, Limits, trusts_packages
from alc.package.reader import read_package
from alc.package.symbols_json import read_symbols
from hardkit import ROOT, alc, navx, sample_entries, stored_package, symbols_at_the_limits, write_project

OPT_IN = "--trusted-packages (or ALC_TRUSTED_PACKAGES=1)"
MiB = 1024 * 1024


def _oversized(symbols: bytes) -> bytes:
    """``symbols`` followed by blanks up to 129 MiB: over the default size of an entry and of
    SymbolReference.json, and nothing in it to cost a trusted reader more than the symbols themselves."""
    return symbols + b" " * (129 * MiB - len(symbols))


def _deep_symbols(levels: int) -> bytes:
    """A small SymbolReference.json whose one page nests its controls ``levels`` deep (2 JSON levels each)."""
    controls = {"Kind": 8, "Name": "Leaf"}
    for _ in range(levels):
        controls = {"Kind": 1, "Controls": [controls]}
    return json.dumps({"Tables": [{"Id": 50100, "Name": "T"}],
                       "Pages": [{"Id": 50100, "Name": "P", "Controls": [controls]}]}).encode()


def _package(tmp_path, symbols: bytes, name: str = "deep.app") -> str:
    path = str(tmp_path / name)
    with open(path, "wb") as f:
        f.write(stored_package(dict(sample_entries(), **{"SymbolReference.json": symbols})))
    return path


def test_the_default_limits_are_fixed_and_only_trusted_ones_grow_with_the_file():
    budget = DEFAULT_LIMITS.symbols_budget()
    assert (budget.containers_for(10 ** 9), budget.values_for(10 ** 9)) == (3_000_000, 8_000_000)
    assert (DEFAULT_LIMITS.max_json_size, DEFAULT_LIMITS.max_entry_size, DEFAULT_LIMITS.max_file_size) == \
        (128 * MiB, 128 * MiB, 256 * MiB)
    assert DEFAULT_LIMITS.max_json_depth == 128 and not DEFAULT_LIMITS.trusted
    trusted = TRUSTED_LIMITS.symbols_budget()
    assert trusted.containers_for(640 * MiB) == 640 * MiB // 32 and trusted.values_for(640 * MiB) == 640 * MiB // 14
    assert TRUSTED_LIMITS.max_json_size == 1024 * MiB and TRUSTED_LIMITS.trusted


def test_the_environment_trusts_only_the_default_limits():
    assert DEFAULT_LIMITS.resolved({}) is DEFAULT_LIMITS
    assert Limits().resolved({"ALC_TRUSTED_PACKAGES": "1"}) is TRUSTED_LIMITS
    for off in ("", "0", "no", "false", " False "):
        assert DEFAULT_LIMITS.resolved({"ALC_TRUSTED_PACKAGES": off}) is DEFAULT_LIMITS
    small = Limits(max_entries=3)
    assert small.resolved({"ALC_TRUSTED_PACKAGES": "1"}) is small      # limits one passes are kept as they are
    assert trusts_packages({"ALC_TRUSTED_PACKAGES": "yes"}) and not trusts_packages({})


def test_refusals_over_a_limit_name_the_opt_in_unless_the_limits_are_trusted():
    data = _oversized(_deep_symbols(3))
    with pytest.raises(PackageError) as info:
        read_symbols(data)
    assert info.value.code == "ALC0425" and f"is {129 * MiB} bytes, over the limit of {128 * MiB}" in \
        info.value.message
    assert info.value.message.endswith(f"(if you trust the package, read it with {OPT_IN})")
    assert read_symbols(data, TRUSTED_LIMITS).pages[0].name == "P"
    data = _deep_symbols(40)   # 85 levels deep
    with pytest.raises(PackageError) as info:
        read_symbols(data, Limits(max_json_depth=64))
    assert "nests 85 levels deep, over the limit of 64" in info.value.message and OPT_IN in info.value.message
    with pytest.raises(PackageError) as info:
        read_symbols(data, Limits(max_json_depth=10, trusted=True))
    assert "over the limit of 10" in info.value.message and "trust" not in info.value.message
    with pytest.raises(PackageError) as info:   # as deep for trusted limits: no opt-in offered
        read_symbols(_deep_symbols(70))
    assert "nests 145 levels deep, over the limit of 128" in info.value.message and "trust" not in \
        info.value.message
    many = Limits(max_entries=2).over("the package has 300000 entries, over the limit of 2", "max_entries", 300_000)
    assert many == "the package has 300000 entries, over the limit of 2"
    with pytest.raises(PackageError) as info:   # not over a limit, not valid: no opt-in offered
        read_symbols(b'{"Tables": [}')
    assert info.value.code == "ALC0430" and "trust" not in info.value.message


def test_an_entry_over_the_default_size_is_refused_naming_the_opt_in():
    """129 MiB of symbols (deflated to a few hundred KB): over the default 128 MiB before anything is
    expanded; the trusted limits take its size (and then refuse its ratio: a zip bomb stays one)."""
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("NavxManifest.xml", sample_entries()["NavxManifest.xml"])
        zf.writestr("SymbolReference.json", b"{" + b" " * (129 * MiB) + b"}")
    data = navx(buf.getvalue())
    with pytest.raises(PackageError) as info:
        read_container(data)
    assert info.value.code == "ALC0425" and f"over the limit of {128 * MiB}" in info.value.message
    assert OPT_IN in info.value.message
    with pytest.raises(PackageError) as info:
        read_container(data, TRUSTED_LIMITS)
    assert "a zip bomb" in info.value.message and "trust" not in info.value.message


def test_the_command_line_opt_in_reads_a_package_over_the_default_limits(tmp_path):
    path = _package(tmp_path, _oversized(_deep_symbols(3)))
    refused = alc(["inspect", path])
    assert refused.code == 2 and "ALC0425" in refused.err and OPT_IN in refused.err, refused
    assert len(refused.err.strip().splitlines()) == 1, refused
    for args in (["inspect", "--trusted-packages", path], ["--trusted-packages", "inspect", path]):
        run = alc(args)
        assert run.code == 0 and "P" in run.out, (args, run)
    os.environ["ALC_TRUSTED_PACKAGES"] = "1"
    try:
        run = alc(["inspect", "--format", "json", path])
    finally:
        del os.environ["ALC_TRUSTED_PACKAGES"]
    assert run.code == 0 and [o["name"] for o in json.loads(run.out)["objects"]] == ["T", "P"], run
    with pytest.raises(PackageError):
        read_package(path)
    assert read_package(path, TRUSTED_LIMITS).symbols.pages[0].name == "P"


def test_compile_against_a_dependency_over_the_default_limits_needs_the_opt_in(tmp_path, monkeypatch):
    """The dependency's symbols are read by the compiler (through its symbol cache, in each worker); the
    trusted reading is cached apart, so a later default compile refuses the package again."""
    monkeypatch.setenv("ALC_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("ALC_TRUSTED_PACKAGES", raising=False)
    cache = tmp_path / "packages"
    cache.mkdir()
    entries = sample_entries(name="Deep")
    symbols = json.loads(entries["SymbolReference.json"].decode("utf-8-sig"))
    page = symbols["Pages"][0]
    page["Controls"] = json.loads(_deep_symbols(3))["Pages"][0]["Controls"]
    entries["SymbolReference.json"] = _oversized(json.dumps(symbols).encode())
    (cache / "Me_Deep_1.0.0.0.app").write_bytes(stored_package(entries))
    project = write_project(str(tmp_path / "p"), objects=0, name="User", id="0f3b2c1a-0000-4000-8000-000000000002",
                            dependencies=[{"id": "0f3b2c1a-0000-4000-8000-000000000001", "name": "Deep",
                                           "publisher": "Me", "version": "1.0.0.0"}],
                            idRanges=[{"from": 60000, "to": 60100}])
    with open(os.path.join(project, "U.Codeunit.al"), "w") as f:
        f.write("codeunit 60000 U\n{\n    procedure P()\n    var\n        t: Record T;\n    begin\n"
                "        t.A := 1;\n    end;\n}\n")
    out = str(tmp_path / "user.app")
    args = ["compile", "--project", project, "--packagecachepath", str(cache), "--out", out, "--no-cache"]
    for trusted in (False, True, False):
        run = alc(args + ["-j", "2"] + (["--trusted-packages"] if trusted else []))
        if trusted:
            assert run.code == 0 and os.path.isfile(out), run
            os.remove(out)
        else:
            assert run.code in (1, 2) and OPT_IN in run.out + run.err and not os.path.exists(out), run


# ------------------------------------------------ the worst cases at the limits --

_READ = ("import sys; from alc.package.reader import read_package\n"
         "p = read_package(sys.argv[1], symbols=sys.argv[2] == 'all' or 'headers')\n"
         "print(sum(1 for _ in p.symbols.objects()))")

_MIDDLE = r"""
import json, resource, subprocess, sys
p = subprocess.run([sys.executable, "-c"] + sys.argv[1:], capture_output=True, text=True)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": p.returncode, "out": p.stdout, "err": p.stderr[-500:],
                  "cpu": r.ru_utime + r.ru_stime, "peak_mb": r.ru_maxrss / 1024}))
"""


def _reading(path: str, what: str) -> dict:
    """Peak memory and CPU time of reading a package's symbols (``all`` or ``headers``) in a child (a small
    middle process measures it: a child's peak starts from the memory of the process that forked it)."""
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop("ALC_TRUSTED_PACKAGES", None)
    proc = subprocess.run([sys.executable, "-c", _MIDDLE, _READ, path, what], capture_output=True, text=True,
                          env=env, timeout=600)
    return json.loads(proc.stdout.strip().splitlines()[-1])


# CPU seconds allowed per reading: about twice what each takes on the CI machine (2 cores, shared), whose
# figures are in the README's table of limits.
_CPU = {"strings": 6, "properties": 8, "empty": 6, "deep": 8}


@pytest.mark.parametrize("kind", ["strings", "properties", "empty", "deep"])
def test_the_worst_cases_at_the_default_limits_read_under_1_gb_and_a_few_seconds(tmp_path, kind):
    """Each shape fills the default budget (128 MiB, 3,000,000 containers, 8,000,000 values, depth 64) as
    costly as it can be made: the whole model stays under 1 GB and a few seconds of CPU; the identities
    (what `alc inspect` reads) far less."""
    data = symbols_at_the_limits(kind)
    path = _package(tmp_path, data, f"{kind}.app")
    del data
    whole = _reading(path, "all")
    assert whole["code"] == 0 and int(whole["out"]) > 2, whole
    assert whole["peak_mb"] < 1000 and whole["cpu"] < _CPU[kind], whole
    heads = _reading(path, "headers")
    assert heads["code"] == 0 and heads["out"] == whole["out"], heads
    assert heads["peak_mb"] < 600 and heads["cpu"] < 4, heads


def test_a_stored_entry_is_read_in_place_and_its_checksum_checked():
    """A stored SymbolReference.json is a view of the package's bytes (no second copy of up to 128 MiB);
    a byte changed in it, or sizes that disagree, are still ALC0424."""
    symbols = _deep_symbols(2)
    data = stored_package(dict(sample_entries(), **{"SymbolReference.json": symbols}))
    buffer = read_container(data).read_buffer("SymbolReference.json")
    assert isinstance(buffer, memoryview) and bytes(buffer) == symbols
    assert read_package(data).symbols.pages[0].name == "P"
    at = data.index(symbols) + 10
    broken = data[:at] + bytes([data[at] ^ 1]) + data[at + 1:]
    with pytest.raises(PackageError) as info:
        read_package(broken)
    assert info.value.code == "ALC0424" and "SymbolReference.json" in info.value.message and "CRC" in \
        info.value.message


def test_a_package_at_every_size_limit_at_once_reads_under_1_gb(tmp_path):
    """The largest file the defaults take (256 MiB, stored: nothing to inflate) holding the costliest
    SymbolReference.json (8,000,000 distinct strings in 128 MiB) beside an entry of 128 MiB: the file is
    held once and the symbols are read in place, so the whole model stays under 1 GB (was 951 MB)."""
    import random
    symbols = symbols_at_the_limits("strings", size=127 * MiB)
    entries = dict(sample_entries(), **{"SymbolReference.json": symbols,
                                        "resources/pad.bin": random.Random(5).randbytes(128 * MiB - 1000)})
    del symbols
    path = str(tmp_path / "at-the-limits.app")
    with open(path, "wb") as f:
        f.write(stored_package(entries))
    del entries
    assert 249 * MiB < os.path.getsize(path) <= 256 * MiB
    whole = _reading(path, "all")
    assert whole["code"] == 0 and whole["peak_mb"] < 900 and whole["cpu"] < 6, whole
