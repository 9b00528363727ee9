"""Migrations: one head, up → down → up on both backends, models in sync with the DDL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from factbase.models import Base
from factbase.store import (
    SCHEMA_REVISION,
    alembic_config,
    current_revision,
    downgrade,
    ensure_schema,
    head_revision,
    make_engine,
    upgrade,
)

FTS_OBJECTS = {
    "sqlite": "SELECT name FROM sqlite_master WHERE name LIKE 'claims_fts%' ORDER BY name",
    "postgresql": "SELECT indexname FROM pg_indexes WHERE indexname = 'ix_claims_fts'",
}


def _include(name: str | None, _type: str, _parents: dict) -> bool:
    return not (name and "_fts" in name)


def _diff(engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_name": _include, "compare_type": True}
        )
        return compare_metadata(context, Base.metadata)


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
    assert upgrade(engine) == (None, head_revision(engine))
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert _diff(engine) == []
    with engine.connect() as connection:
        fts = connection.execute(text(FTS_OBJECTS[engine.dialect.name])).scalars().all()
    assert fts, "full-text objects missing after upgrade"

    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}

    upgrade(engine)
    assert current_revision(engine) == head_revision(engine)
    assert _diff(engine) == []
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
    assert triggers == ["claims_fts_ad", "claims_fts_ai", "claims_fts_au"]
    engine.dispose()
