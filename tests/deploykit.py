"""Small apps for the server's crash and concurrency tests, written here and
compiled with alc into real packages (session fixture ``kit_apps``).

- ``base`` (1.0.0.0): table 70000 "Kit Item", page 70000 "Kit Item Card".
- ``ext1`` ... ``ext6`` (1.0.0.0): each adds a field and a control of its own
  (no conflict with one another or with anything else).
- ``red`` and ``blue`` (1.0.0.0): both set ``Visible`` of the card's
  ``Description`` control, to different values: installing both on one tenant
  is a conflict.
- ``up1`` and ``up2``: versions 1.0.0.0 and 2.0.0.0 of one app (2.0 adds a field).

Each app's name is "Kit <key>"; ``APPS[key]`` has its id.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid

import pytest

from alc.build.compiler import CompileOptions, compile_project

PUBLISHER = "alc tests"
_NS = uuid.UUID("d2d2d2d2-0000-4000-8000-00000000d2d2")
EXTENSIONS = tuple(f"ext{i}" for i in range(1, 7))


def app_id(key: str) -> str:
    return str(uuid.uuid5(_NS, key.rstrip("0123456789") if key.startswith("up") else key))


def name(key: str) -> str:
    return "Kit Upgrade" if key.startswith("up") else f"Kit {key}"


BASE_AL = """
table 70000 "Kit Item"
{
    fields
    {
        field(1; "No."; Code[20]) { Caption = 'No.'; }
        field(2; Description; Text[100]) { Caption = 'Description'; }
        field(3; Price; Decimal) { Caption = 'Price'; }
    }
    keys { key(PK; "No.") { Clustered = true; } }
}

page 70000 "Kit Item Card"
{
    PageType = Card;
    SourceTable = "Kit Item";
    layout
    {
        area(Content)
        {
            group(General)
            {
                field("No."; Rec."No.") { ApplicationArea = All; }
                field(Description; Rec.Description) { ApplicationArea = All; }
                field(Price; Rec.Price) { ApplicationArea = All; }
            }
        }
    }
}
"""


def _extension_al(key: str, n: int, fields: int = 1, visible: str = "") -> str:
    new = "\n".join(f'        field({70000 + 10 * n + 1 + i}; "{key} Field {i}"; Integer) {{ }}' for i in range(fields))
    controls = "\n".join(f'                field("{key} Field {i}"; Rec."{key} Field {i}") {{ ApplicationArea = All; }}'
                         for i in range(fields))
    modify = f"\n        modify(Description) {{ Visible = {visible}; }}" if visible else ""
    return f"""
tableextension {70000 + 10 * n} "{key} Item" extends "Kit Item"
{{
    fields
    {{
{new}
    }}
}}

pageextension {70000 + 10 * n} "{key} Item Card" extends "Kit Item Card"
{{
    layout
    {{
        addlast(Content)
        {{
            group("{key} Group")
            {{
{controls}
            }}
        }}{modify}
    }}
}}
"""


def _app_json(key: str, version: str, n: int, dependencies: list) -> dict:
    return {"id": app_id(key), "name": name(key), "publisher": PUBLISHER, "version": version,
            "idRanges": [{"from": 70000 + 10 * n, "to": 70000 + 10 * n + 9} if n else {"from": 70000, "to": 70009}],
            "runtime": "14.0", "dependencies": dependencies}


def _specs() -> list:
    """(key, version, n, AL) of every app, base first."""
    specs = [("base", "1.0.0.0", 0, BASE_AL)]
    for i, key in enumerate(EXTENSIONS, start=1):
        specs.append((key, "1.0.0.0", i, _extension_al(key, i)))
    specs.append(("red", "1.0.0.0", 20, _extension_al("red", 20, visible="false")))
    specs.append(("blue", "1.0.0.0", 21, _extension_al("blue", 21, visible="true")))
    specs.append(("up1", "1.0.0.0", 30, _extension_al("up", 30, fields=1)))
    specs.append(("up2", "2.0.0.0", 30, _extension_al("up", 30, fields=2)))
    return specs


def compile_kit(folder: str) -> dict:
    """Compile every kit app into ``folder/packages``; key -> package path."""
    packages = os.path.join(folder, "packages")
    cache = os.path.join(packages, "cache")      # the base alone: what every extension compiles against
    os.makedirs(cache, exist_ok=True)
    base_dep = [{"id": app_id("base"), "name": name("base"), "publisher": PUBLISHER, "version": "1.0.0.0"}]
    out = {}
    for key, version, n, text in _specs():
        project = os.path.join(folder, "src", key)
        os.makedirs(project, exist_ok=True)
        with open(os.path.join(project, "app.json"), "w", encoding="utf-8") as f:
            json.dump(_app_json(key, version, n, base_dep if n else []), f)
        with open(os.path.join(project, f"{key}.al"), "w", encoding="utf-8") as f:
            f.write(text)
        path = os.path.join(packages, f"{key}.app")
        result = compile_project(CompileOptions(project=project, package_cache=(cache,), out=path, jobs=1))
        assert result.ok, [str(d) for d in result.diagnostics]
        if key == "base":
            shutil.copyfile(path, os.path.join(cache, "base.app"))
        out[key] = path
    return out


@pytest.fixture(scope="session")
def kit_apps(tmp_path_factory) -> dict:
    return compile_kit(str(tmp_path_factory.mktemp("kit")))


# ------------------------------------------------------------------ state --

def snapshot(db: str) -> dict:
    """Every row of every table of a server's databases, read with the backend's own
    client (not alc), after checking each database's integrity: {database: {table: rows}}.
    SQLite: ``DB/*.db`` and ``DB/tenants/*.db`` (opening a file rolls back a hot journal a
    killed writer left, as any SQLite client does); PostgreSQL: every schema of the
    URL's database. Byte strings are replaced by their SHA-256, the values of the
    ``MOMENTS`` columns (timestamps) by ``<moment>``."""
    return _pg_snapshot(db) if db.startswith("postgresql") else _sqlite_snapshot(db)


def _value(v):
    return hashlib.sha256(v).hexdigest() if isinstance(v, (bytes, memoryview)) else v


# Columns whose value is the moment of the command (two runs of one command differ there).
MOMENTS = {"Published On"}


def _rows(cursor) -> list:
    moment = [d[0] in MOMENTS for d in cursor.description]
    return sorted((tuple("<moment>" if m else _value(v) for m, v in zip(moment, row)) for row in cursor.fetchall()),
                  key=repr)


def _sqlite_snapshot(folder: str) -> dict:
    out: dict = {}
    paths = sorted(glob.glob(os.path.join(folder, "*.db")) + glob.glob(os.path.join(folder, "tenants", "*.db")))
    assert paths, f"no database under {folder}"
    for path in paths:
        conn = sqlite3.connect(path, timeout=60)
        try:
            check = conn.execute("PRAGMA integrity_check").fetchall()
            assert check == [("ok",)], f"{path}: {check}"
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")]
            out[os.path.relpath(path, folder)] = {t: _rows(conn.execute(f'SELECT * FROM "{t}"')) for t in tables}
        finally:
            conn.close()
    # A journal may stay behind with a zeroed header (killed between a commit and the
    # journal's deletion): SQLite does not count it as hot and ignores it. A WAL never.
    assert not glob.glob(os.path.join(folder, "**", "*-wal"), recursive=True)
    return out


def _pg_snapshot(url: str) -> dict:
    import psycopg
    out: dict = {}
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=30) as conn:
        tables = conn.execute("SELECT table_schema, table_name FROM information_schema.tables "
                              "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') "
                              "ORDER BY 1, 2").fetchall()
        for schema, table in tables:
            rows = conn.execute(f'SELECT * FROM "{schema}"."{table}"')
            out.setdefault(schema, {})[table] = _rows(rows)
    assert out, f"no table in {url}"
    return out


def describe(before: dict, after: dict, state: dict) -> str:
    """Which tables of ``state`` differ from both ``before`` and ``after`` (for a failure message)."""
    odd = []
    for db in sorted(set(before) | set(after) | set(state)):
        for table in sorted(set(before.get(db, {})) | set(after.get(db, {})) | set(state.get(db, {}))):
            rows = state.get(db, {}).get(table)
            if rows != before.get(db, {}).get(table) and rows != after.get(db, {}).get(table):
                odd.append(f"{db}/{table}: {len(rows or [])} rows (before {len(before.get(db, {}).get(table) or [])}, "
                           f"after {len(after.get(db, {}).get(table) or [])})")
    return "; ".join(odd)


# ---------------------------------------------------------------- processes --

# A process that has imported alc once and forks one child per `alc server ...`
# command it is given (its stdin: one JSON list of jobs per line; its stdout: one
# JSON list of exit statuses per line, after every child of the line ended). The
# children of one line start together. Each child runs the CLI's main() with
# its output in a file; it counts the SQL statements, commits and connection
# check-ins that go through SQLAlchemy (a listener on every engine and pool, set up
# here, outside alc) and kills itself with SIGKILL at number `crash_at` (0: never),
# and reports the count at the end of its output. A job with `kill_after` seconds
# is killed with SIGKILL from the forking process that long after it started; one
# with `pause_at` sleeps `pause_s` seconds at that count, or, with `pause_on` (a list
# of strings), before the first statement containing one; `start_after` delays it.
FORKER = r"""
import json, os, signal, sys, time
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool
import alc.deploy.cli, alc.deploy.server, alc.merge, psycopg
from alc.cli import main

state = {"crash_at": 0, "count": 0}

def tick(*args, **kwargs):
    state["count"] += 1
    if state["count"] == state["crash_at"]:
        os.kill(os.getpid(), signal.SIGKILL)
    if state["count"] == state.get("pause_at"):
        time.sleep(state["pause_s"])

def statement(conn, cursor, text, *args):
    if state.get("pause_on") and any(p in text for p in state["pause_on"]):
        state["pause_on"] = None                # the first such statement only
        time.sleep(state["pause_s"])
    tick()

event.listen(Engine, "before_cursor_execute", statement)
event.listen(Engine, "commit", tick)
event.listen(Pool, "checkin", tick)

def child(job):
    fd = os.open(job["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    state["crash_at"] = job.get("crash_at", 0)
    state["pause_at"], state["pause_on"], state["pause_s"] = job.get("pause_at"), job.get("pause_on"), \
        job.get("pause_s", 0)
    time.sleep(job.get("start_after") or 0)
    code = main(job["args"])
    sys.stdout.flush()
    sys.stderr.write(f"\nSTATEMENTS {state['count']}\n")
    sys.stderr.flush()
    os._exit(code)

for line in sys.stdin:
    jobs, pids = json.loads(line), []
    started = time.perf_counter()
    for job in jobs:
        pid = os.fork()
        if pid == 0:
            try:
                child(job)
            finally:
                os._exit(70)
        pids.append(pid)
    for job, pid in sorted(zip(jobs, pids), key=lambda j: j[0].get("kill_after") or 0):
        if job.get("kill_after") is not None:
            time.sleep(max(0.0, started + job["kill_after"] - time.perf_counter()))
            os.kill(pid, signal.SIGKILL)      # an ended child is a zombie until reaped: no effect
    out = []
    for pid in pids:
        status = os.waitpid(pid, 0)[1]
        out.append([os.waitstatus_to_exitcode(status), round(time.perf_counter() - started, 4)])
    print(json.dumps(out), flush=True)
"""


class Forker:
    """Runs `alc server ...` commands in forked children of one warm process."""

    def __init__(self, folder: str):
        self.folder = folder
        self.jobs = 0
        self.process = subprocess.Popen([sys.executable, "-c", FORKER], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)

    def run(self, commands: list, crash_at: int = 0, kill_after=None) -> list:
        """Start every command (a list of `alc` arguments, or a dict with "args" and the
        options of one job: start_after, pause_at or pause_on and pause_s, crash_at, kill_after) at
        once; [(exit code, output, seconds)] when all ended (exit code -9: killed)."""
        jobs = []
        for args in commands:
            self.jobs += 1
            job = args if isinstance(args, dict) else {"args": args}
            jobs.append({"crash_at": crash_at, "kill_after": kill_after, **job,
                         "out": os.path.join(self.folder, f"job{self.jobs}.out")})
        self.process.stdin.write(json.dumps(jobs) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the forking process died"
        out = []
        for job, (status, seconds) in zip(jobs, json.loads(line)):
            with open(job["out"], encoding="utf-8", errors="replace") as f:
                out.append((status, f.read(), seconds))
        return out

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


def statements(output: str) -> int:
    """The number of statements, commits and check-ins a child reported."""
    return int(output.rsplit("STATEMENTS ", 1)[1].split()[0])


@pytest.fixture(scope="session")
def forker(tmp_path_factory):
    f = Forker(str(tmp_path_factory.mktemp("forker")))
    yield f
    f.close()
