"""kill -9 at any moment of `alc server install`, `upgrade` and `publish` (of two packages
at once) leaves every database of the server exactly as before the command or exactly as
after it.

On both backends, on fresh copies of a prepared server (tenant `one` runs the base, an
extension and version 1.0 of an app; tenant `two` nothing):
- a plain `alc server ...` process runs the command to completion: the *after* state;
- the command runs in forked children of a process that imported alc once
  (tests/deploykit.py, ``Forker``): a listener on SQLAlchemy's engine and pool events,
  set up there, outside alc, counts the statements, commits and connection check-ins
  of the run, and the child kills itself with SIGKILL at one of them: the first, the
  commit of the write transaction, the check-in right after it, and others picked at
  random (seeded);
- a forked child is killed with SIGKILL from outside at a random moment of its run.
After each kill the databases are opened with the backend's own client (sqlite3,
psycopg): SQLite's ``PRAGMA integrity_check`` passes on every file, every table reads,
and the rows are exactly the *before* or the *after* state; killed before the commit
it is *before*, after it *after*. On a copy killed halfway the command then runs to
completion and gives the *after* state (nothing left locked or half-done).
``ALC_CRASH_SEED`` changes the seed, ``ALC_CRASH_ROUNDS`` the kills at statements per
command (default 5), ``ALC_CRASH_TIMED`` the kills at random moments (default 2).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest

from alc.deploy import open_server
from deploykit import EXTENSIONS, describe, forker, kit_apps, name, snapshot, statements  # noqa: F401  (fixtures)

SEED = int(os.environ.get("ALC_CRASH_SEED", "9"))
ROUNDS = int(os.environ.get("ALC_CRASH_ROUNDS", "5"))
TIMED = int(os.environ.get("ALC_CRASH_TIMED", "2"))

OPERATIONS = {
    # tenant `two` has nothing installed: the base is synced and installed first, then ext2
    "install": lambda apps: ["install", name("ext2"), "--tenant", "two"],
    "upgrade": lambda apps: ["upgrade", name("up2"), "--version", "2.0.0.0", "--tenant", "one"],
    # two packages in one command: both published, or neither
    "publish": lambda apps: ["publish", apps["red"], apps["blue"]],
}


class Copies:
    """Fresh copies of the prepared server: folders (SQLite) or databases (PostgreSQL)."""

    def __init__(self, pristine: str, tmp_path, pg_server):
        self.pristine, self.tmp_path, self.pg_server = pristine, tmp_path, pg_server
        self.made: list = []
        self.backend = "sqlite" if pg_server is None else "postgresql"

    def new(self) -> str:
        if self.pg_server is not None:
            db = self.pg_server.clone_database(self.pristine)
        else:
            db = str(self.tmp_path / f"copy{len(self.made)}")
            shutil.copytree(self.pristine, db)
        self.made.append(db)
        return db

    def drop(self) -> None:
        for db in self.made:
            if self.pg_server is not None:
                self.pg_server.drop_database(db)


def prepare(db: str, apps: dict) -> None:
    """Tenant `one` runs the base, ext1 and Kit Upgrade 1.0; tenant `two` has nothing;
    `red` and `blue` are not published."""
    server = open_server(db)
    try:
        server.publish([apps["base"]] + [apps[k] for k in EXTENSIONS] + [apps["up1"], apps["up2"]])
        server.add_tenant("one")
        server.add_tenant("two")
        for key in ("ext1", "up1"):
            server.install(name(key), "one", version="1.0.0.0" if key == "up1" else None)
    finally:
        server.close()


@pytest.fixture
def prepared(server_db, kit_apps, tmp_path, request):
    prepare(server_db, kit_apps)
    pg = request.getfixturevalue("pg_server") if server_db.startswith("postgresql") else None
    copies = Copies(server_db, tmp_path, pg)
    copies.apps = kit_apps
    yield copies
    copies.drop()


def kill_loop(prepared, forker, args: list, rng: random.Random) -> list:
    """Run ``alc server ARGS`` on fresh copies of the prepared database: to completion (the after state), then
    killed at statement boundaries and at random moments, each copy left in the state before or after; then a
    copy killed halfway runs again to completion. The outcomes, one per kill."""
    before = snapshot(prepared.pristine)

    # a plain `alc` process runs the command to completion: the after state
    full = prepared.new()
    done = subprocess.run([sys.executable, "-m", "alc", "server", *args, "--db", full], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    after = snapshot(full)
    assert after != before

    # the same command in a forked child, counting its statements, commits and check-ins
    (code, output, seconds), = forker.run([["server", *args, "--db", prepared.new()]])
    assert code == 0, output
    count = statements(output)
    assert count >= 4                              # at least: begin, a write, the commit, the check-in

    def killed(**how) -> str:
        db = prepared.new()
        (code, output, _), = forker.run([["server", *args, "--db", db]], **how)
        state = snapshot(db)
        assert state in (before, after), f"killed ({how}): {describe(before, after, state)}"
        return "after" if state == after else "before"

    # killed by itself at statement boundaries: the first, the last two (the write
    # transaction's commit, then the check-in of its connection), others at random
    points = sorted({1, count - 1, count} | set(rng.sample(range(2, count - 1), min(ROUNDS - 3, count - 3))))
    outcomes = [(f"{point}/{count}", killed(crash_at=point)) for point in points]
    # the first statement changes nothing yet; after the last check-in everything is committed
    assert outcomes[0][1] == "before" and outcomes[-1][1] == "after", outcomes
    # killed from outside at random moments of its run
    for _ in range(TIMED):
        delay = rng.uniform(0.0, seconds)
        outcomes.append((f"{delay:.3f}/{seconds:.3f} s", killed(kill_after=delay)))

    # on a copy killed halfway, the command runs again to completion
    db = prepared.new()
    forker.run([["server", *args, "--db", db]], crash_at=count // 2)
    (code, output, _), = forker.run([["server", *args, "--db", db]])
    assert code == 0, output
    assert snapshot(db) == after
    return outcomes


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_kill_9_leaves_the_state_before_or_after(prepared, forker, operation):
    rng = random.Random(f"{SEED}-{operation}-{prepared.backend}")
    args = OPERATIONS[operation](prepared.apps)
    outcomes = kill_loop(prepared, forker, args, rng)
    print(operation, prepared.backend, outcomes)
