"""Engines, sessions and the schema's life cycle (Alembic) for SQLite and PostgreSQL."""

from __future__ import annotations

import getpass
import os
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeEngine

from .errors import SchemaOutOfDate

DEFAULT_URL = "sqlite:///factbase.db"
# The migrations' head. Every command compares the stored revision with this constant
# instead of loading Alembic's script directory (~0.3 s a command); a test asserts that
# it equals Alembic's head, so a new migration cannot forget it.
SCHEMA_REVISION = "0004"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def normalize_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and route them to psycopg 3."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def current_user() -> str:
    """Who is changing the base: FACTBASE_USER, else the login name."""
    return os.environ.get("FACTBASE_USER") or getpass.getuser()


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself: pysqlite's implicit
    # transactions would otherwise defer it and break all-or-nothing imports.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _sqlite_on_begin(connection) -> None:
    # Write transactions take the lock up front (IMMEDIATE), so they never fail later
    # trying to upgrade a read lock (SQLITE_BUSY that busy_timeout cannot wait out);
    # reads begin DEFERRED and, under WAL, run alongside a writer.
    options = connection.get_execution_options()
    if options.get("isolation_level") != "AUTOCOMMIT":
        connection.exec_driver_sql(f"BEGIN {options.get('sqlite_begin', 'DEFERRED')}")


WRITE_ATTEMPTS = 8
_TRANSIENT_SQLSTATES = {"40001", "40P01", "23505"}  # serialization, deadlock, unique race


def is_transient(error: DBAPIError) -> bool:
    """Whether the database asks the transaction to be run again."""
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in _TRANSIENT_SQLSTATES
    message = str(error.orig).lower()
    return "database is locked" in message or "database is busy" in message


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


def make_engine(url: str | None = None) -> Engine:
    """An engine for `url` (default: FACTBASE_DB, else ./factbase.db)."""
    url = normalize_url(url or os.environ.get("FACTBASE_DB") or DEFAULT_URL)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
    return engine


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

    before = current_revision(engine)
    try:
        command.upgrade(alembic_config(engine), revision)
    except CommandError as error:  # e.g. a revision this factbase does not know
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


def ensure_schema(engine: Engine) -> None:
    """Create the schema in an empty database; refuse one that is out of date."""
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
        upgrade(engine)
    elif revisions != {SCHEMA_REVISION}:
        raise SchemaOutOfDate(
            f"database schema is at revision {', '.join(sorted(revisions))}, "
            f"this factbase needs {SCHEMA_REVISION}: run `factbase init` to upgrade it"
        )


class Store:
    """An engine plus a session factory whose sessions commit all or nothing."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._reads = sessionmaker(engine, expire_on_commit=False)
        self._writes = sessionmaker(
            engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False
        )

    @contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any exception.

        `write=True` takes SQLite's write lock when the transaction begins.
        """
        with (self._writes if write else self._reads)() as session, session.begin():
            yield session

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name
