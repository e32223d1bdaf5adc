"""A throwaway PostgreSQL server for the tests: one per test session.

``PgServer.start()`` runs ``initdb`` into a fresh temporary folder and starts
``postgres`` with ``pg_ctl``, listening on 127.0.0.1 at a free port (and on a
unix socket in that folder), with ``fsync`` off; ``stop()`` stops it and
removes the folder. A watchdog process stops it too when the process that
started it dies without stopping it (killed by a CI timeout, say). PostgreSQL refuses to run as root, so when the tests run
as root (CI, these machines) the server runs as the unprivileged ``postgres``
user that Debian's package creates (or, when there is none, a system user
``alc-postgres`` created for the purpose), and the folder is made its own.

The binaries are found by :func:`find_bindir`: ``ALC_PG_BINDIR`` when set,
then ``pg_config --bindir``, then the newest ``/usr/lib/postgresql/*/bin``
(Debian, Ubuntu), then ``initdb`` on ``PATH``. ``.ci/run`` installs Debian's
``postgresql`` package when none is found.

Each test gets a database of its own (``create_database``: an empty database
made from ``template0``), dropped afterwards with ``WITH (FORCE)``, which also
ends connections a killed process left behind.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from typing import Optional

__all__ = ["PgServer", "PgUnavailable", "find_bindir", "server_user"]

SUPERUSER = "alc"
FALLBACK_USER = "alc-postgres"
SETTINGS = {                      # a test server: fast, nothing worth keeping
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "listen_addresses": "127.0.0.1",
}


# Stops the server when the process that started it is gone without stopping it
# (killed, say): polls that process once a second; ends by itself once the server's
# folder is removed (a normal stop).
WATCHDOG = r"""
import os, shutil, subprocess, sys, time
parent, pg_ctl, datadir, root, uid, gid = sys.argv[1:]
while os.path.isdir(root):
    try:
        os.kill(int(parent), 0)
    except ProcessLookupError:
        as_user = {"user": int(uid), "group": int(gid), "extra_groups": []} if int(uid) >= 0 else {}
        subprocess.run([pg_ctl, "stop", "-m", "immediate", "-D", datadir], capture_output=True, cwd=root,
                       **as_user)
        shutil.rmtree(root, ignore_errors=True)
        break
    time.sleep(1)
"""


class PgUnavailable(Exception):
    """PostgreSQL cannot be found or started here; the message says why, in one line."""


def _version_key(path: str) -> tuple:
    """Sort key of a /usr/lib/postgresql/<version>/bin folder: numerically by version."""
    match = re.search(r"/postgresql/([0-9.]+)/bin", path)
    return tuple(int(p) for p in match.group(1).split(".") if p) if match else ()


def find_bindir() -> str:
    """The folder of ``initdb``, ``pg_ctl`` and ``postgres``; PgUnavailable when there is none."""
    candidates = []
    if os.environ.get("ALC_PG_BINDIR"):
        candidates.append(os.environ["ALC_PG_BINDIR"])
    if shutil.which("pg_config"):
        try:
            out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10)
            if out.returncode == 0:
                candidates.append(out.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    if shutil.which("initdb"):
        candidates.append(os.path.dirname(shutil.which("initdb")))
    for folder in candidates:
        if all(os.access(os.path.join(folder, tool), os.X_OK) for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    raise PgUnavailable("PostgreSQL not found: no initdb, pg_ctl and postgres in ALC_PG_BINDIR, `pg_config --bindir`, "
                        "/usr/lib/postgresql/*/bin or PATH (Debian: apt-get install postgresql)")


def server_user() -> Optional[pwd.struct_passwd]:
    """The unprivileged user to run the server as: None when not root (the current user
    runs it), else ``postgres`` or, failing that, ``alc-postgres`` (created here)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", FALLBACK_USER):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            pass
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    made = subprocess.run([useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", FALLBACK_USER],
                          capture_output=True, text=True)
    if made.returncode != 0:
        raise PgUnavailable(f"running as root and no unprivileged user for PostgreSQL: useradd {FALLBACK_USER} "
                            f"failed: {made.stderr.strip() or made.returncode}")
    return pwd.getpwnam(FALLBACK_USER)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """One throwaway server. ``url(db)`` is a SQLAlchemy/psycopg URL of database ``db``."""

    def __init__(self, bindir: Optional[str] = None, settings: Optional[dict] = None) -> None:
        self.bindir = bindir or find_bindir()
        self.settings = {**SETTINGS, **(settings or {})}   # e.g. max_locks_per_transaction
        self.user = server_user()
        self.root: Optional[str] = None
        self.port: Optional[int] = None
        self._names = itertools.count(1)

    # ------------------------------------------------------------ running --

    @property
    def datadir(self) -> str:
        return os.path.join(self.root, "data")

    @property
    def logfile(self) -> str:
        return os.path.join(self.root, "server.log")

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """Run a PostgreSQL tool as the server's user, in the server's folder."""
        kwargs = {}
        if self.user is not None:
            kwargs = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
        env = dict(os.environ, LC_ALL="C", LANG="C")
        env.pop("PGDATA", None)
        return subprocess.run([os.path.join(self.bindir, args[0]), *args[1:]], cwd=self.root, env=env,
                              capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL, **kwargs)

    def start(self) -> "PgServer":
        """initdb and start; PgUnavailable (with the tool's own words) when that fails."""
        self.root = tempfile.mkdtemp(prefix="alc-pg-")
        os.chmod(self.root, 0o700)
        if self.user is not None:
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)
        try:
            made = self._run("initdb", "-D", self.datadir, "-U", SUPERUSER, "--auth=trust", "--no-locale",
                             "--encoding=UTF8", "--no-sync")
            if made.returncode != 0:
                raise PgUnavailable(f"initdb failed: {_last_line(made)}")
            options = " ".join(f"-c {k}={v}" for k, v in self.settings.items())
            for _ in range(3):               # a free port may be taken between the probe and the start
                self.port = free_port()
                started = self._run("pg_ctl", "start", "-w", "-t", "60", "-D", self.datadir, "-l", self.logfile,
                                    "-o", f"{options} -c port={self.port} -c unix_socket_directories={self.root}")
                if started.returncode == 0:
                    self._watch()
                    return self
            raise PgUnavailable(f"pg_ctl start failed: {_last_line(started)}; {self._log_tail()}")
        except (OSError, subprocess.SubprocessError) as e:
            self.stop()
            raise PgUnavailable(f"PostgreSQL did not start: {e}") from e
        except PgUnavailable:
            self.stop()
            raise

    def _watch(self) -> None:
        uid, gid = (self.user.pw_uid, self.user.pw_gid) if self.user is not None else (-1, -1)
        subprocess.Popen([sys.executable, "-c", WATCHDOG, str(os.getpid()), os.path.join(self.bindir, "pg_ctl"),
                          self.datadir, self.root, str(uid), str(gid)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def stop(self) -> None:
        """Stop the server (immediately: its data is thrown away) and remove its folder."""
        if self.root is None:
            return
        try:
            if os.path.isfile(os.path.join(self.datadir, "postmaster.pid")):
                self._run("pg_ctl", "stop", "-w", "-t", "60", "-m", "immediate", "-D", self.datadir, timeout=90)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def _log_tail(self) -> str:
        try:
            with open(self.logfile, encoding="utf-8", errors="replace") as f:
                lines = [line.strip() for line in f if line.strip()]
            return "server log: " + " | ".join(lines[-3:])
        except OSError:
            return "no server log"

    # ---------------------------------------------------------- databases --

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres"):
        """A psycopg connection in autocommit mode."""
        import psycopg
        return psycopg.connect(self.url(database), autocommit=True, connect_timeout=30)

    def create_database(self, prefix: str = "t") -> str:
        """A new empty database; returns its URL."""
        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        with self.connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def clone_database(self, url: str, prefix: str = "c") -> str:
        """A new database that is a copy of the one of ``url`` (whose connections are ended
        first: PostgreSQL copies only a template nobody is connected to); its URL."""
        source = url.rsplit("/", 1)[1]
        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        with self.connect() as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (source,))
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop the database of ``url``, ending any connection still open on it."""
        name = url.rsplit("/", 1)[1]
        with self.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def __enter__(self) -> "PgServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _last_line(done: subprocess.CompletedProcess) -> str:
    lines = [line.strip() for line in (done.stderr or done.stdout or "").splitlines() if line.strip()]
    return lines[-1] if lines else f"exit {done.returncode}"

