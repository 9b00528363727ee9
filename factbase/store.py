"""Engines, sessions and the schema's life cycle (Alembic) for SQLite and PostgreSQL."""

from __future__ import annotations

import getpass
import math
import os
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from .errors import InvalidSetting, NoFactBase, SchemaOutOfDate, SchemaTooNew

DEFAULT_URL = "sqlite:///factbase.db"
# Every revision of the migrations, oldest first; the last is the head. Every command
# compares the stored revision with these constants instead of loading Alembic's script
# directory (~0.3 s a command); a test asserts that they match Alembic's, so a new
# migration cannot forget them. A stored revision not listed was written by a newer factbase.
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010")
SCHEMA_REVISION = KNOWN_REVISIONS[-1]
DEFAULT_BUSY_TIMEOUT = 30.0  # seconds a writer waits for another writer's lock
LOCK_NOTICE_AFTER = 2.0  # seconds of waiting before a writer says that it waits


def normalize_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and route them to psycopg 3."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def resolve_url(url: str | None = None) -> str:
    """`url`, else FACTBASE_DB, else ./factbase.db, as a SQLAlchemy URL.

    As in sqlite-utils, anything without `://` is a SQLite file path (`notes.db`).
    """
    url = url or os.environ.get("FACTBASE_DB") or DEFAULT_URL
    if "://" not in url:
        url = "sqlite:///" + url
    return normalize_url(url)


def busy_timeout() -> float:
    """Seconds a writer waits for another writer's lock: FACTBASE_BUSY_TIMEOUT, else 30."""
    raw = os.environ.get("FACTBASE_BUSY_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_BUSY_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise InvalidSetting(f"FACTBASE_BUSY_TIMEOUT must be a number of seconds, not {raw!r}")
    return seconds


# A server acting for several people at once names each request's reviewer here: the
# environment is one per process, a context variable is one per request (thread or task).
_ACTOR: ContextVar[str | None] = ContextVar("factbase_actor", default=None)


def current_user() -> str:
    """Who is changing the base: the `acting_as` name, else FACTBASE_USER, else the login."""
    return _ACTOR.get() or os.environ.get("FACTBASE_USER") or getpass.getuser()


@contextmanager
def acting_as(name: str | None) -> Iterator[None]:
    """Record `name` as the actor of every change made inside the block (None: the default)."""
    token = _ACTOR.set(name or None)
    try:
        yield
    finally:
        _ACTOR.reset(token)


def _sqlite_listeners(busy_ms: int) -> tuple[Callable[..., None], Callable[..., None]]:
    """The "connect" and "begin" listeners of a SQLite engine whose lock waits last `busy_ms`."""

    def on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself: pysqlite's implicit
        # transactions would otherwise defer it and break all-or-nothing imports.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    def on_begin(connection) -> None:
        # Write transactions take the lock up front (IMMEDIATE), so they never fail later
        # trying to upgrade a read lock (SQLITE_BUSY that busy_timeout cannot wait out);
        # reads begin DEFERRED and, under WAL, run alongside a writer. A write attempt
        # may wait less than the engine's default (`lock_wait_ms`, see FactBase._write);
        # the pragma is set on every begin so that a pooled connection never keeps it.
        options = connection.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {options.get('lock_wait_ms', busy_ms)}")
        connection.exec_driver_sql(f"BEGIN {options.get('sqlite_begin', 'DEFERRED')}")

    return on_connect, on_begin


WRITE_ATTEMPTS = 8
_TRANSIENT_SQLSTATES = {"40001", "40P01", "23505"}  # serialization, deadlock, unique race
_LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL: lock_timeout expired


def is_lock_wait(error: DBAPIError) -> bool:
    """Whether a statement gave up waiting for another transaction's lock."""
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate == _LOCK_NOT_AVAILABLE
    message = str(error.orig).lower()
    return "database is locked" in message or "database is busy" in message


def is_transient(error: DBAPIError) -> bool:
    """Whether the database asks the transaction to be run again."""
    return is_lock_wait(error) or getattr(error.orig, "sqlstate", None) in _TRANSIENT_SQLSTATES


def backoff(attempt: int) -> None:
    """Sleep before retry `attempt`: exponential with jitter, from ~50 ms up to ~3 s."""
    time.sleep(min(3.0, 0.05 * 2 ** (attempt - 1)) * random.uniform(0.5, 1.5))


def insert_rows(
    connection: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert plain tuples through the driver: executemany on SQLite, COPY on PostgreSQL.

    SQLAlchemy's executemany runs every parameter of every row through Python-level
    processing; for the hundreds of thousands of rows a check or an import writes, that
    costs more than the insert itself. Values must already be what the driver takes
    (see `driver_processor`). Driver errors are raised as SQLAlchemy's, so `is_transient`
    and the retry around writes see them as they see any other statement's.
    """
    if not rows:
        return
    names = ", ".join(f'"{column}"' for column in columns)
    if connection.dialect.name != "postgresql":
        marks = ", ".join("?" * len(columns))
        connection.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        return
    statement = f"COPY {table} ({names}) FROM STDIN"
    dbapi_error = connection.dialect.loaded_dbapi.Error
    try:
        driver = connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except dbapi_error as error:
        raise DBAPIError.instance(
            statement, None, error, dbapi_error, dialect=connection.dialect
        ) from error


def driver_processor(connection: Connection, type_: TypeEngine[Any]) -> Callable[[Any], Any]:
    """How SQLAlchemy turns a `type_` value into what this dialect's driver takes (SQLite
    stores dates and timestamps as its own ISO text; psycopg takes the objects)."""
    dialect = connection.dialect
    return type_.dialect_impl(dialect).bind_processor(dialect) or _unchanged


def _unchanged(value: Any) -> Any:
    return value


def make_engine(url: str | None = None, lock_wait: float | None = None) -> Engine:
    """An engine for `url` (see `resolve_url`); nothing connects, so no file is created yet.

    On SQLite a statement waits up to `lock_wait` seconds (default: `busy_timeout()`)
    for another writer's lock.
    """
    engine = create_engine(resolve_url(url))
    if engine.dialect.name == "sqlite":
        wait = busy_timeout() if lock_wait is None else lock_wait
        on_connect, on_begin = _sqlite_listeners(round(wait * 1000))
        event.listen(engine, "connect", on_connect)
        event.listen(engine, "begin", on_begin)
    return engine


def describe(engine: Engine) -> str:
    """The database's URL as messages show it (no password)."""
    return engine.url.render_as_string(hide_password=True)


def is_missing_file(engine: Engine) -> bool:
    """Whether `engine` names a SQLite file that does not exist or is empty (0 bytes, no
    write-ahead log): connecting would create it, so a command that only reads must not."""
    if engine.dialect.name != "sqlite" or engine.url.query.get("uri"):
        return False
    database = engine.url.database
    if not database or database == ":memory:":
        return False
    path, wal = Path(database), Path(database + "-wal")
    return not path.is_file() or (
        path.stat().st_size == 0 and not (wal.is_file() and wal.stat().st_size)
    )


def package_data_dir(installed: str, checkout: str) -> Path:
    """A data directory shipped in the package (installed) or at the checkout's root."""
    here = Path(__file__).resolve().parent
    shipped = here / installed
    return shipped if shipped.is_dir() else here.parent / checkout


def migrations_dir() -> Path:
    """Alembic scripts: factbase/_migrations when installed, ./migrations in a checkout."""
    return package_data_dir("_migrations", "migrations")


def alembic_config(engine: Engine):
    """An Alembic Config bound to `engine`, independent of the working directory."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Create or upgrade the schema; returns (revision before, revision after)."""
    from alembic import command
    from alembic.util import CommandError

    with engine.connect() as connection:
        refuse_newer(engine, stored_revisions(connection))
    before = current_revision(engine)
    try:
        command.upgrade(alembic_config(engine), revision)
    except CommandError as error:  # e.g. a target revision that does not exist
        raise SchemaOutOfDate(f"cannot upgrade schema revision {before}: {error}") from None
    return before, current_revision(engine)


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(engine), revision)


def stored_revisions(connection: Connection) -> set[str]:
    """The revisions in `alembic_version`, read with one query and without Alembic."""
    if not inspect(connection).has_table("alembic_version"):
        return set()
    return set(connection.scalars(text("SELECT version_num FROM alembic_version")))


def refuse_newer(engine: Engine, revisions: set[str]) -> None:
    """Raise SchemaTooNew when a stored revision is one this factbase's migrations lack."""
    unknown = sorted(revisions - set(KNOWN_REVISIONS))
    if unknown:
        raise SchemaTooNew(
            f"the fact base at {describe(engine)} was written by a newer factbase "
            f"(schema revision {', '.join(unknown)}; this one knows up to {SCHEMA_REVISION}): "
            "upgrade factbase"
        )


def ensure_schema(engine: Engine, create: bool = True) -> bool:
    """Create the schema in an empty database; refuse one that is out of date or newer.

    An empty database is a missing or 0-byte SQLite file, or one without tables. With
    `create=False` it raises NoFactBase instead, before connecting to a SQLite file, so
    that a command that only reads leaves no file behind. Returns whether it created.
    """
    if not create and is_missing_file(engine):
        raise _no_fact_base(engine)
    with engine.connect() as connection:
        revisions = stored_revisions(connection)
        foreign = not revisions and bool(
            set(inspect(connection).get_table_names()) - {"alembic_version"}
        )
    if foreign:
        raise SchemaOutOfDate(
            "this database has tables but no factbase schema: "
            "point --db at a factbase database or an empty one"
        )
    if not revisions:
        if not create:
            raise _no_fact_base(engine)
        upgrade(engine)
        return True
    refuse_newer(engine, revisions)
    if revisions != {SCHEMA_REVISION}:
        raise SchemaOutOfDate(
            f"database schema is at revision {', '.join(sorted(revisions))}, "
            f"this factbase needs {SCHEMA_REVISION}: run `factbase init` to upgrade it"
        )
    return False


def _no_fact_base(engine: Engine) -> NoFactBase:
    return NoFactBase(f"no fact base at {describe(engine)} (run `factbase init` to create one)")


class Store:
    """An engine plus sessions that commit all or nothing."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._write_engine = engine.execution_options(sqlite_begin="IMMEDIATE")

    @contextmanager
    def session(self, write: bool = False, lock_wait: float | None = None) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any exception.

        `write=True` takes SQLite's write lock when the transaction begins. `lock_wait`
        bounds, in seconds, how long this transaction waits for another's lock (SQLite's
        busy_timeout, PostgreSQL's lock_timeout) instead of the engine's default.
        """
        bind = self._write_engine if write else self.engine
        wait_ms = None if lock_wait is None else max(1, round(lock_wait * 1000))  # 0: forever
        if wait_ms is not None:
            bind = bind.execution_options(lock_wait_ms=wait_ms)
        with Session(bind, expire_on_commit=False) as session, session.begin():
            if wait_ms is not None and self.dialect == "postgresql":
                session.execute(text(f"SET LOCAL lock_timeout = {wait_ms}"))
            yield session

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name
