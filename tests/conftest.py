"""Fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL tests use throwaway databases on the server FACTBASE_TEST_PG names
(default: the local one), created here and dropped at the end. Without a
server they skip, unless FACTBASE_REQUIRE_PG=1 (as .ci/run sets) makes that a
failure instead of a silent skip.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import Result
from hypothesis import HealthCheck, settings
from sqlalchemy import Engine, create_engine, make_url, text
from typer.testing import CliRunner

os.environ["TERMINAL_WIDTH"] = "3000"
os.environ["_TYPER_FORCE_DISABLE_TERMINAL"] = "1"
os.environ.pop("FACTBASE_DB", None)

# Property tests judge answers, not speed: on a shared 2-core machine running
# the suite in parallel, a slow example is load, not a bug.
settings.register_profile("factbase", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("factbase")

from factbase import FactBase  # noqa: E402  (after the environment is pinned)
from factbase.cli import app  # noqa: E402
from factbase.models import Base  # noqa: E402
from factbase.store import make_engine, upgrade  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
PG_SERVER = os.environ.get(
    "FACTBASE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_PG = os.environ.get("FACTBASE_REQUIRE_PG") == "1"
BACKENDS = ["sqlite", "postgresql"]


def _require_pg() -> None:
    """Skip (laptop without a server) or fail (CI) when PostgreSQL is unreachable."""
    try:
        with create_engine(PG_SERVER).connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any connection problem means "no server here"
        message = f"PostgreSQL unreachable at {PG_SERVER}: {str(error).splitlines()[0]}"
        if REQUIRE_PG:
            pytest.fail(f"{message} (FACTBASE_REQUIRE_PG=1)")
        pytest.skip(message)


@contextmanager
def pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards."""
    _require_pg()
    name = f"factbase_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _build(url: str, seeded: bool) -> None:
    """Bring a database to the schema head, with the seed corpus when asked."""
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    if seeded:
        with FactBase(url) as base:
            base.load_corpus(SEEDS)


@pytest.fixture(scope="session")
def pg_templates() -> Iterator[dict[bool, str]]:
    """Template databases (empty at head; seeded) that each test's database is cloned from."""
    with pg_database() as head, pg_database() as seeded:
        _build(head, seeded=False)
        _build(seeded, seeded=True)
        yield {False: head, True: seeded}


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    """SQLite files (empty at head; seeded) copied for each test: faster than rebuilding."""
    templates = {}
    for seeded in (False, True):
        path = tmp_path_factory.mktemp("template") / "factbase.db"
        _build(f"sqlite:///{path}", seeded)
        engine = make_engine(f"sqlite:///{path}").execution_options(isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:  # a checkpoint cannot run inside a transaction
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        templates[seeded] = path
    return templates


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh fact base at the schema head, holding the seed corpus if the test is `seeded`."""
    seeded = "seeded" in request.fixturenames
    if backend == "sqlite":
        path = tmp_path / "factbase.db"
        shutil.copy(request.getfixturevalue("sqlite_templates")[seeded], path)
        yield f"sqlite:///{path}"
        return
    template = make_url(request.getfixturevalue("pg_templates")[seeded]).database
    name = f"factbase_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def empty_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database with no schema at all, for migration tests."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        with pg_database() as url:
            yield url


@pytest.fixture
def fb(db_url: str) -> Iterator[FactBase]:
    base = FactBase(db_url)
    yield base
    base.close()


@pytest.fixture
def seeded(fb: FactBase) -> FactBase:
    """The fact base with the seed corpus loaded (cloned from a template, see db_url)."""
    return fb


Invoke = Callable[..., Result]


@pytest.fixture
def cli(db_url: str) -> Invoke:
    """Run the CLI against the test database: cli("claim", "list", "--json")."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, ["--db", db_url, *args], input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def seeded_cli(seeded: FactBase, cli: Invoke) -> Invoke:
    return cli


def schema_diff(engine: Engine) -> list:
    """What `alembic revision --autogenerate` would write (full-text objects excluded)."""

    def include(name: str | None, _type: str, _parents: dict) -> bool:
        return not (name and "_fts" in name)

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_name": include, "compare_type": True}
        )
        return compare_metadata(context, Base.metadata)
