"""Migrations: one head, up → down → up on both backends, models in sync with the DDL."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from factbase.models import Base
from factbase.store import (
    SCHEMA_REVISION,
    alembic_config,
    current_revision,
    downgrade,
    ensure_schema,
    make_engine,
    upgrade,
)

from .conftest import schema_diff
from .test_migrations_data import SEARCH_TRIGGERS

FTS_OBJECTS = {
    "sqlite": "SELECT name FROM sqlite_master WHERE name LIKE 'claims_fts%' ORDER BY name",
    "postgresql": "SELECT indexname FROM pg_indexes WHERE tablename = 'claims_fts'",
}


def test_single_head(empty_url: str) -> None:
    engine = make_engine(empty_url)
    script = ScriptDirectory.from_config(alembic_config(engine))
    assert script.get_heads() == [SCHEMA_REVISION]
    engine.dispose()


def test_commands_accept_a_base_downgraded_to_nothing(empty_url: str) -> None:
    """After `downgrade base` only an empty alembic_version is left: opening upgrades it."""
    engine = make_engine(empty_url)
    upgrade(engine)
    downgrade(engine, "base")
    ensure_schema(engine)
    assert current_revision(engine) == SCHEMA_REVISION
    engine.dispose()


def test_upgrade_downgrade_upgrade_matches_models(empty_url: str) -> None:
    engine = make_engine(empty_url)
    assert upgrade(engine) == (None, SCHEMA_REVISION)
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert schema_diff(engine) == []
    with engine.connect() as connection:
        fts = connection.execute(text(FTS_OBJECTS[engine.dialect.name])).scalars().all()
    assert fts, "full-text objects missing after upgrade"

    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}

    upgrade(engine)
    assert current_revision(engine) == SCHEMA_REVISION
    assert schema_diff(engine) == []
    engine.dispose()


def test_sqlite_fts_triggers_survive_upgrade(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    upgrade(engine)
    with engine.connect() as connection:
        triggers = (
            connection.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            )
            .scalars()
            .all()
        )
    assert triggers == sorted(SEARCH_TRIGGERS)
    engine.dispose()
