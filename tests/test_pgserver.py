"""The throwaway PostgreSQL server of the tests (tests/pgserver.py) and its fixtures."""

import os
import socket

import psycopg
import pytest

from pgserver import PgServer, find_bindir

SEEN_URLS: list = []


def _user_tables(url: str) -> list:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT table_schema, table_name FROM information_schema.tables "
                            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')").fetchall()


def _schemas(url: str) -> list:
    with psycopg.connect(url) as conn:
        return [r[0] for r in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
                                           "AND nspname <> 'information_schema' ORDER BY 1")]


def test_the_server_answers_on_localhost(pg_url):
    assert pg_url.startswith("postgresql://") and "@127.0.0.1:" in pg_url
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT 1 + 1").fetchone() == (2,)
        assert conn.execute("SHOW fsync").fetchone() == ("off",)
        assert int(conn.execute("SHOW server_version_num").fetchone()[0]) >= 120000


def test_the_server_runs_as_an_unprivileged_user(pg_server):
    with open(os.path.join(pg_server.datadir, "postmaster.pid")) as f:
        pid = int(f.readline())
    with open(f"/proc/{pid}/status") as f:
        uid = next(int(line.split()[1]) for line in f if line.startswith("Uid:"))
    assert uid != 0
    assert os.stat(pg_server.datadir).st_uid == uid


@pytest.mark.parametrize("round", [1, 2])
def test_each_test_gets_a_fresh_empty_database(pg_url, round):
    """Whichever round runs second sees none of the first's table or schema."""
    assert pg_url not in SEEN_URLS
    SEEN_URLS.append(pg_url)
    assert _user_tables(pg_url) == []
    assert _schemas(pg_url) == ["public"]
    with psycopg.connect(pg_url) as conn:
        conn.execute('CREATE SCHEMA "tenant one"')
        conn.execute('CREATE TABLE "tenant one"."NAV App Installed App" ("App ID" text PRIMARY KEY)')
        conn.execute('INSERT INTO "tenant one"."NAV App Installed App" VALUES (%s)', (f"round {round}",))
    assert _user_tables(pg_url) == [("tenant one", "NAV App Installed App")]


def test_the_database_is_dropped_after_the_test(pg_server):
    url = pg_server.create_database()
    with psycopg.connect(url) as conn:       # a connection left open is ended by the drop
        pg_server.drop_database(url)
        with pytest.raises(psycopg.OperationalError):
            conn.execute("SELECT 1")
    with pg_server.connect() as conn:
        assert conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s",
                            (url.rsplit("/", 1)[1],)).fetchone() == (0,)


def test_server_db_gives_a_new_folder_or_a_fresh_database(server_db, tmp_path):
    if server_db.startswith("postgresql://"):
        assert _user_tables(server_db) == []
    else:
        assert server_db.startswith(str(tmp_path)) and not os.path.exists(server_db)


def test_a_stopped_server_is_gone(pg_server):
    server = PgServer().start()
    root, port = server.root, server.port
    with psycopg.connect(server.url()) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    server.stop()
    assert not os.path.exists(root)
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


def test_the_binaries_are_found_through_alc_pg_bindir(pg_server, monkeypatch, tmp_path):
    real = find_bindir()
    monkeypatch.setenv("ALC_PG_BINDIR", real)
    assert find_bindir() == real
    monkeypatch.setenv("ALC_PG_BINDIR", str(tmp_path))      # no initdb there: the next place is used
    assert find_bindir() != str(tmp_path)
