"""Shared test options: ``pytest --update-goldens`` rewrites golden outputs
(tests/data/syntax/*.txt expected dumps, tests/data/diagnostics/*.stderr) from
what alc produces now, for a human to review with ``git diff``.

PostgreSQL fixtures (the server itself is tests/pgserver.py): ``pg_server``, one
throwaway server per session, run as an unprivileged user; ``pg_url``, a fresh empty
database on it per test; ``server_db``, parametrized ["sqlite", "postgresql"], a fresh
``--db`` value for `alc server` per test."""

import atexit
import os

import pytest

from pgserver import PgServer, PgUnavailable


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite golden files from the current output instead of comparing")


@pytest.fixture
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


# ------------------------------------------------ PostgreSQL (tests/pgserver.py) --

def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def serve_pg(settings=None):
    """A throwaway PostgreSQL server for a fixture to yield (``yield from serve_pg(...)``), stopped at the end
    (also after failures). Unavailable: the run fails in CI (CI=true), the test is skipped elsewhere, with the
    reason."""
    try:
        server = PgServer(settings=settings).start() if settings else PgServer().start()
        atexit.register(server.stop)          # also when the session ends without finalizers
    except PgUnavailable as e:
        if _in_ci():
            pytest.fail(f"PostgreSQL is required in CI (CI=true) and unavailable: {e}", pytrace=False)
        pytest.skip(f"PostgreSQL unavailable: {e}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_server():
    """The session's throwaway PostgreSQL server."""
    yield from serve_pg()


@pytest.fixture
def pg_url(pg_server):
    """The URL of a fresh, empty database on the session's server, dropped after the test."""
    url = pg_server.create_database()
    try:
        yield url
    finally:
        pg_server.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def server_db(request, tmp_path):
    """A fresh ``--db`` value for `alc server`: a folder that does not exist yet under the
    test's tmp_path (SQLite), or the URL of a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "server")
    else:
        yield request.getfixturevalue("pg_url")
