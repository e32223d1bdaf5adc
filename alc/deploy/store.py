"""Where a server's state lives: SQLite files in a folder, or one PostgreSQL database.

SQLite: ``DB/application.db`` is the application database; each tenant is
its own file under ``DB/tenants/``, a copy of ``DB/template-tenant.db``
(made at init, as the platform copies a template tenant database). A
transaction that touches a tenant attaches the tenant's file to the
connection under the schema name ``tenant``; in rollback-journal mode
(never WAL) SQLite commits attached files atomically, through a super-journal.
Write transactions start with ``BEGIN IMMEDIATE``.

PostgreSQL: the application tables are in the URL's database; each tenant
is a schema of its own (``tenant_<T>``) in that database, so one transaction
covers both; the tenant tables' schema ``tenant`` is translated to it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import time
import uuid
from typing import Iterator, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from . import schema
from .errors import DeployUsageError

__all__ = ["Store", "open_store", "is_url"]

APPLICATION_DB = "application.db"
TEMPLATE_DB = "template-tenant.db"
TENANTS = "tenants"
# Temporary files this module makes (a template being built, a tenant file being copied): a run
# killed before its rename leaves one behind; the next run that makes one removes those older
# than STALE_SECONDS (no live run keeps one that long: each is renamed within one file copy).
TEMP_PREFIXES = (".template-", ".new-", ".mount-")
STALE_SECONDS = 3600


def is_url(db: str) -> bool:
    return db.startswith(("postgresql://", "postgresql+psycopg://", "postgres://"))


def open_store(db: str) -> "Store":
    """The store of ``db``: a PostgreSQL URL or a folder."""
    if is_url(db):
        return PostgresStore(db)
    if db.startswith(("sqlite:", "mysql", "mssql", "oracle")) or "://" in db:
        raise DeployUsageError(f"unsupported database `{db}`: give a folder or a postgresql:// URL")
    return SqliteStore(db)


class Store:
    backend = ""

    def exists(self) -> bool:
        raise NotImplementedError

    def create(self) -> None:
        raise NotImplementedError

    @contextlib.contextmanager
    def begin(self, write: bool, tenant_db: Optional[str] = None) -> Iterator[Connection]:
        raise NotImplementedError
        yield  # pragma: no cover

    def reader(self) -> Connection:
        """A connection for reads outside the command's transactions (roll back after each)."""
        return self.engine.connect().execution_options(alc_write=False)

    def new_tenant_db(self, tenant: str) -> str:
        """Prepare a tenant database before the transaction that registers it: its name."""
        raise NotImplementedError

    def create_tenant_tables(self, conn: Connection, name: str) -> None:
        """Inside the registering transaction (PostgreSQL creates the schema there)."""

    def drop_tenant_db(self, conn: Optional[Connection], name: str) -> None:
        """Inside the transaction (PostgreSQL), or after it committed (SQLite, conn None)."""

    def import_tenant_db(self, tenant: str, source: str) -> tuple[str, Optional[dict]]:
        """A dismounted tenant database to mount: its name here, and, when it comes from
        another database (another backend or PostgreSQL database), its rows to copy
        into it in the mounting transaction (table name -> rows)."""
        raise NotImplementedError

    def tenant_db_exists(self, name: str) -> bool:
        raise NotImplementedError

    def tenant_location(self, name: str) -> str:
        """Where a tenant database is, for messages: a file, or a schema."""
        return name

    def dispose(self) -> None:
        pass


class SqliteStore(Store):
    backend = "sqlite"

    def __init__(self, folder: str):
        self.folder = os.path.abspath(folder)
        self.app_path = os.path.join(self.folder, APPLICATION_DB)
        self.template = os.path.join(self.folder, TEMPLATE_DB)
        self.tenants = os.path.join(self.folder, TENANTS)
        self._engine: Optional[sa.Engine] = None

    def exists(self) -> bool:
        return os.path.isfile(self.app_path)

    @property
    def engine(self) -> sa.Engine:
        if self._engine is None:
            self._engine = _sqlite_engine(self.app_path)
        return self._engine

    def create(self) -> None:
        if os.path.exists(self.folder) and not os.path.isdir(self.folder):
            raise DeployUsageError(f"not a folder: {self.folder}")
        try:
            os.makedirs(self.tenants, exist_ok=True)
            self._create_template()
        except OSError as exc:
            raise DeployUsageError(f"cannot create the server database in {self.folder}: "
                                   f"{exc.strerror or exc}") from None
        schema.APP.create_all(self.engine)

    def _create_template(self) -> None:
        if os.path.isfile(self.template):
            return
        sweep_temporaries(self.folder)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".template-", suffix=".db")
        os.close(fd)
        try:
            engine = _sqlite_engine(tmp)
            with engine.begin() as conn:
                conn.execute(sa.text("PRAGMA main.user_version = 1"))
                schema.TENANT.create_all(conn.execution_options(schema_translate_map={schema.TENANT_SCHEMA: None}))
            engine.dispose()
            os.replace(tmp, self.template)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def tenant_path(self, name: str) -> str:
        return os.path.join(self.tenants, name)

    @contextlib.contextmanager
    def begin(self, write: bool, tenant_db: Optional[str] = None) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            if tenant_db is not None:
                path = self.tenant_path(tenant_db)
                if not os.path.isfile(path):
                    raise DeployUsageError(f"the tenant database `{path}` is missing")
                raw.execute("ATTACH DATABASE ? AS tenant", (path,))
                # A sync creates thousands of tables in one transaction: with SQLite's default
                # 2 MiB page cache, the changed pages spill to the file (a journal sync each time).
                raw.execute(f"PRAGMA tenant.cache_size = -{TENANT_CACHE_KIB}")
            conn = conn.execution_options(alc_write=write)
            with conn.begin():
                yield conn

    def new_tenant_db(self, tenant: str) -> str:
        """A copy of the template: `<T>.db`, or `<T>.<random>.db` when a file of that name
        exists (a leftover, or another process adding the same tenant); never overwritten."""
        sweep_temporaries(self.tenants)
        fd, tmp = tempfile.mkstemp(dir=self.tenants, prefix=".new-", suffix=".db")
        os.close(fd)
        try:
            shutil.copyfile(self.template, tmp)
            for name in (f"{tenant}.db", f"{tenant}.{uuid.uuid4().hex[:8]}.db"):
                try:
                    os.link(tmp, self.tenant_path(name))  # fails when the name exists
                    return name
                except FileExistsError:
                    continue
            raise DeployUsageError(f"cannot create a tenant database for `{tenant}` in {self.tenants}")
        except OSError as exc:
            raise DeployUsageError(f"cannot create a tenant database in {self.tenants}: {exc.strerror or exc}") \
                from None
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def drop_tenant_db(self, conn: Optional[Connection], name: str) -> None:
        if conn is None:
            with contextlib.suppress(OSError):
                os.unlink(self.tenant_path(name))

    def import_tenant_db(self, tenant: str, source: str) -> tuple[str, Optional[dict]]:
        if is_url(source):  # a tenant schema of a PostgreSQL server: its rows into a new file
            rows = read_tenant_rows(source)
            return self.new_tenant_db(tenant), rows
        if not os.path.isfile(source):
            raise DeployUsageError(f"no such tenant database: {source}")
        try:
            with open(source, "rb") as f:
                if f.read(16) != b"SQLite format 3\x00":
                    raise DeployUsageError(f"not a tenant database: {source}")
        except OSError as exc:
            raise DeployUsageError(f"cannot read {source}: {exc.strerror or exc}") from None
        if os.path.abspath(source) == os.path.abspath(self.tenant_path(f"{tenant}.db")):
            return f"{tenant}.db", None
        name = f"{tenant}.{uuid.uuid4().hex[:8]}.db"
        sweep_temporaries(self.tenants)
        fd, tmp = tempfile.mkstemp(dir=self.tenants, prefix=".mount-", suffix=".db")
        os.close(fd)
        try:
            shutil.copyfile(source, tmp)
            os.replace(tmp, self.tenant_path(name))
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return name, None

    def tenant_db_exists(self, name: str) -> bool:
        return os.path.isfile(self.tenant_path(name))

    def tenant_location(self, name: str) -> str:
        return self.tenant_path(name)

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def sweep_temporaries(folder: str, now: Optional[float] = None) -> list:
    """Remove this module's temporary files in ``folder`` older than STALE_SECONDS (left by
    killed runs); return their names. Only regular files with our prefixes and `.db` are touched.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> for name in (".new-a.db", ".new-b.db", "t.db"):
    ...     open(os.path.join(d, name), "w").close()
    >>> os.utime(os.path.join(d, ".new-a.db"), (0, 0))
    >>> sweep_temporaries(d)
    ['.new-a.db']
    >>> sorted(os.listdir(d))
    ['.new-b.db', 't.db']
    """
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in sorted(entries, key=lambda e: e.name):
        if not (entry.name.startswith(TEMP_PREFIXES) and entry.name.endswith(".db")):
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_SECONDS:
                os.unlink(entry.path)
                removed.append(entry.name)
    return removed


TENANT_CACHE_KIB = 512 * 1024   # the most the tenant file's page cache may take (grows as needed)


def _sqlite_engine(path: str) -> sa.Engine:
    engine = sa.create_engine(f"sqlite:///{path}", poolclass=NullPool)

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # alc issues BEGIN itself (below)
        dbapi_conn.execute("PRAGMA busy_timeout = 60000")
        dbapi_conn.execute("PRAGMA journal_mode = DELETE")  # atomic commits across attached files
        dbapi_conn.execute("PRAGMA synchronous = FULL")

    @sa.event.listens_for(engine, "begin")
    def _begin(conn):
        write = conn.get_execution_options().get("alc_write", True)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


class PostgresStore(Store):
    backend = "postgresql"

    def __init__(self, url: str):
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://"):]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        self.url = url
        try:
            self.engine = sa.create_engine(url, pool_pre_ping=False)
        except (sa.exc.ArgumentError, ImportError, ValueError) as exc:
            raise DeployUsageError(f"unusable database URL: {exc}") from None

    def exists(self) -> bool:
        try:
            with self.engine.connect() as conn:
                return sa.inspect(conn).has_table(schema.dbproperty.name)
        except sa.exc.OperationalError as exc:
            raise DeployUsageError(f"cannot connect to the database: {_first_line(exc)}") from None

    def create(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(7262100)"))
            schema.APP.create_all(conn)

    @contextlib.contextmanager
    def begin(self, write: bool, tenant_db: Optional[str] = None) -> Iterator[Connection]:
        try:
            conn_cm = self.engine.connect()
            conn = conn_cm.__enter__()
        except sa.exc.OperationalError as exc:
            raise DeployUsageError(f"cannot connect to the database: {_first_line(exc)}") from None
        try:
            if tenant_db is not None:
                conn = conn.execution_options(schema_translate_map={schema.TENANT_SCHEMA: tenant_db})
            with conn.begin():
                yield conn
        finally:
            conn_cm.__exit__(None, None, None)

    def new_tenant_db(self, tenant: str) -> str:
        return pg_schema(tenant)

    def create_tenant_tables(self, conn: Connection, name: str) -> None:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
        schema.TENANT.create_all(conn.execution_options(schema_translate_map={schema.TENANT_SCHEMA: name}))

    def drop_tenant_db(self, conn: Optional[Connection], name: str) -> None:
        if conn is not None:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))

    def import_tenant_db(self, tenant: str, source: str) -> tuple[str, Optional[dict]]:
        """`--from SCHEMA`: a schema of this database (a dismounted tenant's is
        `tenant_<T>`), mounted as it is. `--from URL#SCHEMA` (another PostgreSQL
        database) or `--from FILE` (a SQLite tenant database): its rows are copied
        into a new schema."""
        if is_url(source) or os.path.isfile(source):
            return pg_schema(tenant, uuid.uuid4().hex[:8]), read_tenant_rows(source)
        _schema_name(source)
        if not self.tenant_db_exists(source):
            raise DeployUsageError(f"no tenant schema `{source}` in this database, and no such file")
        return source, None

    def tenant_location(self, name: str) -> str:
        return f"the schema {name}"

    def tenant_db_exists(self, name: str) -> bool:
        with self.engine.connect() as conn:
            return sa.inspect(conn).has_table(schema.installed_app.name, schema=name)

    def dispose(self) -> None:
        self.engine.dispose()


def pg_schema(tenant: str, suffix: str = "") -> str:
    """The PostgreSQL schema of a tenant: `tenant_<T>` (`_<suffix>` added), shortened with a
    hash of the tenant id to PostgreSQL's 63-character identifiers.

    >>> pg_schema("t1"), len(pg_schema("x" * 63, "0123abcd"))
    ('tenant_t1', 63)
    """
    import hashlib
    name = f"tenant_{tenant}" + (f"_{suffix}" if suffix else "")
    if len(name) <= 63:
        return name
    digest = hashlib.sha1(tenant.encode()).hexdigest()[:10]
    tail = f"_{digest}" + (f"_{suffix}" if suffix else "")
    return f"tenant_{tenant}"[:63 - len(tail)] + tail


def _schema_name(name: str) -> str:
    """A tenant schema name: letters, digits, `_` and `-` (it is quoted in DDL)."""
    import re
    if not re.match(r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$", name):
        raise DeployUsageError(f"not a tenant schema name: `{name}`")
    return name


@contextlib.contextmanager
def tenant_source(source: str) -> Iterator[Connection]:
    """A read connection to another tenant database, its tenant tables where alc's
    tables say (schema ``tenant``): a SQLite file, or `postgresql://.../db#SCHEMA`."""
    if is_url(source):
        url, sep, name = source.partition("#")
        if not sep or not name:
            raise DeployUsageError("give the tenant's schema after the URL: postgresql://.../db#tenant_T")
        _schema_name(name)
        store = PostgresStore(url)
        engine, translate = store.engine, name
    else:
        if not os.path.isfile(source):
            raise DeployUsageError(f"no such tenant database: {source}")
        engine, translate = sa.create_engine(f"sqlite:///{os.path.abspath(source)}", poolclass=NullPool), None
    try:
        with engine.connect() as conn:
            yield conn.execution_options(schema_translate_map={schema.TENANT_SCHEMA: translate})
    finally:
        engine.dispose()


def read_tenant_rows(source: str) -> dict:
    """Every row of the tenant tables of another tenant database (its system tables and its
    apps' schema snapshots): a SQLite file, or `postgresql://.../db#SCHEMA`.
    DeployUsageError when it is not one."""
    from .transfer import snapshot_table, source_snapshots
    try:
        with tenant_source(source) as conn:
            rows = {t.name: [dict(r) for r in conn.execute(sa.select(t)).mappings()]
                    for t in schema.TENANT.sorted_tables}
            rows[snapshot_table.name] = source_snapshots(conn)
            return rows
    except sa.exc.SQLAlchemyError as exc:
        raise DeployUsageError(f"not a tenant database: {source} ({_first_line(exc)})") from None


def _first_line(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__

