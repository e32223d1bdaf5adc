"""Helpers of the hardening tests: run alc in a child process (exit code,
output, peak memory, time), write small projects, build packages from
entries."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from typing import Optional, Sequence

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

APP_ID = "0f3b2c1a-0000-4000-8000-000000000001"

# Runs `alc` in a grandchild and reports its peak RSS as RUSAGE_CHILDREN of a small middle process:
# a child's own ru_maxrss starts from the memory of whatever process forked it (Linux keeps the
# high-water mark across execve), so the test process's memory would count otherwise.
_MEASURE = r"""
import json, os, resource, subprocess, sys, time
t = time.perf_counter()
code = subprocess.call([sys.executable, "-c", "import sys; sys.argv = ['alc'] + sys.argv[1:]; "
                        "from alc.cli import run; run()"] + json.loads(sys.argv[1]))
sys.stderr.write("\n@@measure " + json.dumps({"code": code, "seconds": time.perf_counter() - t,
                 "peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}) + "\n")
sys.exit(code)
"""


class Run:
    def __init__(self, code: int, out: str, err: str, seconds: float, peak_mb: float):
        self.code, self.out, self.err, self.seconds, self.peak_mb = code, out, err, seconds, peak_mb

    def __repr__(self) -> str:
        return f"Run(code={self.code}, out={self.out[-500:]!r}, err={self.err[-500:]!r})"


def alc(args: Sequence[str], cwd: Optional[str] = None, timeout: float = 120, prefix: Sequence[str] = ()) -> Run:
    """Run `alc ARGS` in a child process: its exit code, stdout, stderr, time and peak memory."""
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop("ALC_DEBUG", None)
    started = time.perf_counter()
    proc = subprocess.run(list(prefix) + [sys.executable, "-c", _MEASURE, json.dumps(list(args))], cwd=cwd,
                          env=env, capture_output=True, timeout=timeout)
    seconds = time.perf_counter() - started
    err = proc.stderr.decode("utf-8", "backslashreplace")
    peak = 0.0
    if "\n@@measure " in err:
        err, _, tail = err.rpartition("\n@@measure ")
        facts = json.loads(tail)
        peak, seconds = facts["peak_kb"] / 1024, facts["seconds"]
        err = err.lstrip("\n") if err.strip() else ""
    return Run(proc.returncode, proc.stdout.decode("utf-8", "backslashreplace"), err, seconds, peak)


def write_project(folder: str, objects: int = 2, name: str = "H", **app) -> str:
    """A small AL project: app.json and ``objects`` codeunits."""
    os.makedirs(folder, exist_ok=True)
    manifest = {"id": APP_ID, "name": name, "publisher": "Me", "version": "1.0.0.0",
                "idRanges": [{"from": 50100, "to": 50999}]}
    manifest.update(app)
    with open(os.path.join(folder, "app.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f)
    for i in range(objects):
        with open(os.path.join(folder, f"C{i}.Codeunit.al"), "w", encoding="utf-8") as f:
            f.write(f"codeunit {50100 + i} C{i}\n{{\n    procedure P()\n    begin\n    end;\n}}\n")
    return folder


def without_dac(command_prefix: bool = True) -> list:
    """A command prefix under which root obeys file permissions (the tests
    run as root in CI): setpriv drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    assert setpriv, "root needs setpriv (util-linux) to test unreadable files"
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]


def temp_files(folder: str) -> list:
    return sorted(n for n in os.listdir(folder) if n.endswith(".alc-tmp") or n.endswith(".tmp"))


# ----------------------------------------------------------------- packages --

def navx(payload: bytes) -> bytes:
    """A NAVX header around a zip payload."""
    import struct
    import uuid
    return struct.pack("<4sII16sq4s", b"NAVX", 40, 2, uuid.UUID(int=7).bytes_le, len(payload), b"NAVX") + payload


def zip_of(entries) -> bytes:
    """A zip of (raw name, bytes) pairs, names kept exactly as given."""
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def sample_entries(objects: str = "table 50100 T { fields { field(1; A; Integer) { } } } "
                                  "page 50100 P { SourceTable = T; layout { area(Content) { field(A; Rec.A) { } } } }",
                   name: str = "H", **app) -> dict:
    """The entries of a small real package compiled from ``objects`` (logical names -> bytes)."""
    import tempfile
    from alc.build.compiler import CompileOptions, compile_project
    from alc.package.container import read_container
    with tempfile.TemporaryDirectory() as d:
        write_project(os.path.join(d, "p"), objects=0, name=name, **app)
        with open(os.path.join(d, "p", "x.al"), "w") as f:
            f.write(objects)
        out = os.path.join(d, "x.app")
        result = compile_project(CompileOptions(project=os.path.join(d, "p"), out=out, jobs=1))
        assert result.ok, [str(x) for x in result.diagnostics]
        with open(out, "rb") as f:
            c = read_container(f.read())
        return {n: c.read(n) for n in c.names if n != "[Content_Types].xml"}


# ------------------------------------------------------ symbols at the limits --

def symbols_at_the_limits(shape: str, size: int = 120 * 1024 * 1024, per_object: int = 3 * 1024 * 1024) -> bytes:
    """A SymbolReference.json of at most about ``size`` bytes shaped to cost a decoder as much as the default
    budget lets it (128 MiB, 3,000,000 containers, 8,000,000 values, depth 128), cut into objects of about
    ``per_object`` bytes: ``strings`` (distinct key field names: the most values), ``properties``
    (distinct name/value pairs: a container and three values each), ``empty`` (empty fields: the most
    containers for the fewest bytes), ``deep`` (pages of controls nested 60 levels, 121 containers each)."""
    # (items of one object, containers, values) of each shape
    cost = {"strings": (0, 1), "properties": (1, 3), "empty": (1, 2), "deep": (121, 122)}[shape]
    heads = {"strings": (b'{"Id":%d,"Name":"T%d","Keys":[{"Name":"K","FieldNames":[', b"]}]}"),
             "properties": (b'{"Id":%d,"Name":"T%d","Fields":[{"Name":"F","Properties":[', b"]}]}"),
             "empty": (b'{"Id":%d,"Name":"T%d","Fields":[', b"]}"),
             "deep": (b'{"Id":%d,"Name":"P%d","Controls":[', b"]}")}[shape]
    deep = b'{"Kind":1,"Controls":[' * 60 + b'{"Kind":8}' + b"]}" * 60
    objects, part, part_size, used = [], [], 0, 0
    containers = values = serial = 0
    while containers + cost[0] < 2_990_000 and values + cost[1] < 7_990_000 and used < size:
        serial += 1
        if shape == "strings":
            item = b'"%013x"' % serial
        elif shape == "properties":
            item = b'{"Name":"n%011x","Value":"v%011x"}' % (serial, serial)
        else:
            item = b"{}" if shape == "empty" else deep
        part.append(item)
        part_size += len(item) + 1
        used += len(item) + 1
        containers, values = containers + cost[0], values + cost[1]
        if part_size >= per_object:
            objects.append(heads[0] % (len(objects), len(objects)) + b",".join(part) + heads[1])
            part, part_size = [], 0
    if part:
        objects.append(heads[0] % (len(objects), len(objects)) + b",".join(part) + heads[1])
    return b'\xef\xbb\xbf{"%s":[%s]}' % (b"Pages" if shape == "deep" else b"Tables", b",".join(objects))


def stored_package(entries: dict) -> bytes:
    """A .app of ``entries`` (logical names -> bytes) without compression (no ratio limit applies)."""
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return navx(buf.getvalue())
