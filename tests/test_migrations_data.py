"""Migrations with data (issue 5, item 6), on SQLite and PostgreSQL.

On a base holding the seed corpus, checked (so conflicts and corroborations exist):

* head → previous revision → head keeps every row the older schema has a place for
  (0002's downgrade drops the corroborations table and conflicts.internal; `check`
  rebuilds the corroborations), fsck passes, and on SQLite the full-text triggers
  survive Alembic's batch mode (which recreates tables) and still index new claims;
* head → base → head drops everything and rebuilds the schema with no difference from
  the models; a dump taken before comes back byte for byte through `restore`;
* pytest-alembic's default checks (single head, upgrade, models match the DDL, up/down
  consistency) run against the same two backends.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from pytest_alembic.tests import (
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import Engine, inspect, select, text

from factbase import FactBase
from factbase.claims import ClaimFilter, ClaimInput
from factbase.models import Base
from factbase.store import (
    alembic_config as factbase_alembic_config,
)
from factbase.store import (
    current_revision,
    downgrade,
    head_revision,
    make_engine,
    upgrade,
)

__all__ = [  # pytest-alembic's checks, collected here with this module's fixtures
    "test_model_definitions_match_ddl",
    "test_single_head_revision",
    "test_up_down_consistency",
    "test_upgrade",
]

# What the newest revision's downgrade removes: whole tables, and columns of kept tables.
DROPPED_TABLES = {"corroborations"}
DROPPED_COLUMNS = {"conflicts": {"internal"}}
FTS_TRIGGERS = ["claims_fts_ad", "claims_fts_ai", "claims_fts_au"]
SEARCH = "military-technical assistance"  # words of several seed claims


def _rows(engine: Engine, keep_dropped: bool = True) -> dict[str, list[dict[str, Any]]]:
    """Every row of every model table, by primary key; optionally without what the
    previous revision cannot hold."""
    snapshot = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if not keep_dropped and table.name in DROPPED_TABLES:
                continue
            skip = set() if keep_dropped else DROPPED_COLUMNS.get(table.name, set())
            columns = [column for column in table.columns if column.name not in skip]
            query = select(*columns).order_by(*table.primary_key.columns)
            snapshot[table.name] = [dict(row._mapping) for row in connection.execute(query)]
    return snapshot


def _diff(engine: Engine) -> list:
    """What `alembic revision --autogenerate` would write (full-text objects excluded)."""

    def include(name: str | None, _type: str, _parents: dict) -> bool:
        return not (name and "_fts" in name)

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_name": include, "compare_type": True}
        )
        return compare_metadata(context, Base.metadata)


def _triggers(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(
            connection.scalars(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            )
        )


def _fulltext_ids(fb: FactBase, words: str = SEARCH) -> list[int]:
    return sorted(claim["id"] for claim in fb.claims(ClaimFilter(text=words)))


def _pairs(fb: FactBase) -> set[tuple[int, int]]:
    with fb.store.session() as session:
        return {
            (a, b)
            for a, b in session.execute(text("SELECT claim_a_id, claim_b_id FROM corroborations"))
        }


@pytest.fixture
def checked(seeded: FactBase) -> FactBase:
    """The seed corpus, checked: conflicts and corroborations stored."""
    seeded.check()
    counts = seeded.counts()
    assert counts["conflicts"] and counts["corroborations"], "nothing for the test to keep"
    return seeded


def test_one_step_down_and_up_keeps_every_row_the_schema_keeps(
    checked: FactBase, db_url: str, backend: str
) -> None:
    fb = checked
    engine = make_engine(db_url)
    full = _rows(engine)
    kept = _rows(engine, keep_dropped=False)
    pairs = _pairs(fb)
    found = _fulltext_ids(fb)
    assert len(found) >= 2, "the full-text search should find seed claims"
    if backend == "sqlite":
        assert _triggers(engine) == FTS_TRIGGERS
    fb.close()  # no idle pooled connection while tables are dropped and recreated

    head = head_revision(engine)
    previous = ScriptDirectory.from_config(factbase_alembic_config(engine)).get_revision(head)
    assert previous is not None and isinstance(previous.down_revision, str)
    downgrade(engine, previous.down_revision)
    assert current_revision(engine) == previous.down_revision
    tables = set(inspect(engine).get_table_names())
    assert not tables & DROPPED_TABLES
    assert {c["name"] for c in inspect(engine).get_columns("conflicts")}.isdisjoint(
        DROPPED_COLUMNS["conflicts"]
    )
    assert _rows(engine, keep_dropped=False) == kept, "the downgrade lost or changed rows"
    if backend == "sqlite":
        assert _triggers(engine) == FTS_TRIGGERS, "a batch operation dropped FTS triggers"

    assert upgrade(engine) == (previous.down_revision, head)
    assert _diff(engine) == []
    assert _rows(engine, keep_dropped=False) == kept, "the upgrade lost or changed rows"
    after = _rows(engine)
    assert after["corroborations"] == []
    assert {row["internal"] for row in after["conflicts"]} == {False}  # the column's default
    if backend == "sqlite":
        assert _triggers(engine) == FTS_TRIGGERS, "a batch operation dropped FTS triggers"
    engine.dispose()

    assert fb.fsck() == []
    assert _fulltext_ids(fb) == found
    result = fb.check()  # rebuilds the corroborations; the conflicts are all known
    assert (result["new"], result["resolved"]) == (0, 0)
    assert _pairs(fb) == pairs
    assert len(_rows(fb.store.engine)["conflicts"]) == len(full["conflicts"])

    # The triggers (or the PostgreSQL expression index) index claims added afterwards.
    claim = fb.add_claim(
        ClaimInput(
            text="Kyrgyzstan sought zanzibarian military-technical assistance after migrating",
            doc="fir-6-17",
            quote="having abandoned it last year in favor of bilateral arrangements with Russia",
            subject="Kyrgyzstan",
            predicate="requested assistance from",
            object="Russia",
        )
    )
    assert _fulltext_ids(fb, "zanzibarian") == [claim["id"]]
    assert _fulltext_ids(fb) == sorted([*found, claim["id"]])
    assert fb.fsck() == []


def test_down_to_base_and_up_then_restore_gives_the_same_base(
    checked: FactBase, db_url: str, tmp_path: Path
) -> None:
    fb = checked
    engine = make_engine(db_url)
    before = fb.counts()
    rows = _rows(engine)
    dump = tmp_path / "before.jsonl"
    fb.dump(dump)
    fb.close()

    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert current_revision(engine) == head_revision(engine)
    assert _diff(engine) == []
    assert all(n == 0 for n in fb.counts().values()), "base → head must give an empty base"
    if engine.dialect.name == "sqlite":
        assert _triggers(engine) == FTS_TRIGGERS

    assert fb.restore(dump) == before
    assert fb.counts() == before
    assert _rows(engine) == rows
    again = tmp_path / "after.jsonl"
    fb.dump(again)
    assert again.read_bytes() == dump.read_bytes()
    assert fb.fsck() == []
    assert _fulltext_ids(fb), "full-text search finds the restored claims"
    engine.dispose()


# pytest-alembic: its fixtures, pointed at an empty database of each backend ------------


@pytest.fixture
def alembic_engine(empty_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_url)
    yield engine
    engine.dispose()


@pytest.fixture
def alembic_config(alembic_engine: Engine):
    """factbase's own Alembic config: env.py runs on the engine it carries."""
    return factbase_alembic_config(alembic_engine)
