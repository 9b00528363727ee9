"""Migrations with data (issue 5, item 6), on SQLite and PostgreSQL.

On a base holding the seed corpus, checked (so conflicts and corroborations exist):

* head → each older revision → head keeps every row the older schema has a place for
  (0002's downgrade drops the corroborations table and conflicts.internal; `check`
  rebuilds the corroborations; 0003's only swaps an index; 0004's narrows the predicates'
  value types back; 0005's brings back the index of claim texts only; 0007's drops the trust
  `check` stored, which the next check recomputes), fsck passes, and on SQLite
  the full-text triggers survive Alembic's batch mode (which recreates tables) and
  still index new claims;
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
    SCHEMA_REVISION,
    current_revision,
    downgrade,
    make_engine,
    upgrade,
)
from factbase.store import (
    alembic_config as factbase_alembic_config,
)

from .conftest import schema_diff

__all__ = [  # pytest-alembic's checks, collected here with this module's fixtures
    "test_model_definitions_match_ddl",
    "test_single_head_revision",
    "test_up_down_consistency",
    "test_upgrade",
]

# What each revision's downgrade removes: whole tables, and columns of kept tables.
DROPS: dict[str, tuple[set[str], dict[str, set[str]]]] = {
    "0002": (set(), {"conflicts": {"internal"}}),  # and the pairs table 0008 converts
    "0003": (set(), {}),
    "0004": (set(), {}),  # widens a CHECK; "any" predicates go back to "entity"
    "0005": (set(), {}),  # search over quotes: the old index comes back
    "0006": (set(), {}),  # bulk links: claims_fts_bulk is no model table
    "0007": ({"source_trust"}, {}),  # trust stored by check: the next check recomputes it
    "0008": ({"corroborated_claims"}, {}),  # corroboration groups: back to (and from) pairs
    "0009": ({"suggestions"}, {}),  # the suggestion queue; accepted claims stay
    "0010": (set(), {"source_trust": {"claims", "corroborated"}}),  # counts: the next check
}
# Tables a downgrade turns into an older table and the upgrade converts back, row for row.
CONVERTED = {"corroborated_claims": "0002"}  # … as long as the pairs table (0002) exists


def _dropped(down_to: str | None) -> tuple[set[str], dict[str, set[str]]]:
    """Tables and columns gone after downgrading from head to `down_to` (None: nothing)."""
    tables: set[str] = set()
    columns: dict[str, set[str]] = {}
    for revision, (gone, gone_columns) in DROPS.items():
        if down_to is not None and revision > down_to:
            tables |= gone
            for table, names in gone_columns.items():
                columns.setdefault(table, set()).update(names)
    return tables, columns


FTS_TRIGGERS = ["claims_fts_ad", "claims_fts_ai", "claims_fts_au"]  # 0001-0004: claims.text
SEARCH_TRIGGERS = [  # 0005: text and quotes, indexed when a claim cites a span
    "claim_spans_fts_ad",
    "claim_spans_fts_ai",
    "claim_spans_fts_au",
    "claim_spans_fts_bd",
    "claim_spans_fts_bi",
    "claim_spans_fts_bu",
    "claims_fts_au",
]
SEARCH = "military-technical assistance"  # words of several seed claims
QUOTED = "abandoned"  # in claim texts and in a quote whose claim's text does not say it


def _text_search(engine: Engine, word: str) -> set[int]:
    """Claims the index of revisions 0001-0004 finds: a match on claims.text alone."""
    query = {
        "sqlite": "SELECT rowid FROM claims_fts WHERE claims_fts MATCH :word",
        "postgresql": "SELECT id FROM claims"
        " WHERE to_tsvector('english', text) @@ plainto_tsquery('english', :word)",
    }[engine.dialect.name]
    with engine.connect() as connection:
        return set(connection.scalars(text(query), {"word": word}))


def _rows(engine: Engine, down_to: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every row of every model table, by primary key; with `down_to`, without what that
    older revision cannot hold."""
    dropped_tables, dropped_columns = _dropped(down_to)
    snapshot = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in dropped_tables:
                continue
            skip = dropped_columns.get(table.name, set())
            columns = [column for column in table.columns if column.name not in skip]
            query = select(*columns).order_by(*table.primary_key.columns)
            snapshot[table.name] = [dict(row._mapping) for row in connection.execute(query)]
    return snapshot


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
    """Corroborated claims with their groups."""
    with fb.store.session() as session:
        return {
            (a, b)
            for a, b in session.execute(text("SELECT claim_id, group_id FROM corroborated_claims"))
        }


@pytest.fixture
def checked(seeded: FactBase) -> FactBase:
    """The seed corpus, checked: conflicts and corroborations stored."""
    seeded.check()
    counts = seeded.counts()
    assert counts["conflicts"] and counts["corroborated_claims"], "nothing for the test to keep"
    return seeded


def test_every_revision_declares_what_its_downgrade_drops(empty_url: str) -> None:
    engine = make_engine(empty_url)
    script = ScriptDirectory.from_config(factbase_alembic_config(engine))
    revisions = {revision.revision for revision in script.walk_revisions()}
    assert set(DROPS) == revisions - {"0001"}


@pytest.mark.parametrize(
    "down_to", ["0009", "0008", "0007", "0005", "0004", "0003", "0002", "0001"]
)  # via 0006
def test_down_and_up_keeps_every_row_the_schema_keeps(
    checked: FactBase, db_url: str, backend: str, down_to: str
) -> None:
    fb = checked
    engine = make_engine(db_url)
    full = _rows(engine)
    kept = _rows(engine, down_to)
    dropped_tables, dropped_columns = _dropped(down_to)
    pairs = _pairs(fb)
    found = _fulltext_ids(fb)
    assert len(found) >= 2, "the full-text search should find seed claims"
    quoted = _fulltext_ids(fb, QUOTED)
    if backend == "sqlite":
        assert _triggers(engine) == SEARCH_TRIGGERS
    fb.close()  # no idle pooled connection while tables are dropped and recreated

    head = SCHEMA_REVISION
    downgrade(engine, down_to)
    assert current_revision(engine) == down_to
    tables = set(inspect(engine).get_table_names())
    assert not tables & dropped_tables
    assert {c["name"] for c in inspect(engine).get_columns("conflicts")}.isdisjoint(
        dropped_columns.get("conflicts", set())
    )
    assert _rows(engine, down_to) == kept, "the downgrade lost or changed rows"
    if backend == "sqlite":
        triggers = SEARCH_TRIGGERS if down_to >= "0005" else FTS_TRIGGERS
        assert _triggers(engine) == triggers, "a batch operation dropped FTS triggers"

    if down_to < "0005":
        assert _text_search(engine, QUOTED) < set(quoted), "0001's index holds claim texts only"

    assert upgrade(engine) == (down_to, head)
    assert schema_diff(engine) == []
    assert _rows(engine, down_to) == kept, "the upgrade lost or changed rows"
    after = _rows(engine)
    converted = {table for table, since in CONVERTED.items() if down_to >= since}
    assert all(after[table] == full[table] for table in converted), "conversion changed rows"
    dropped_tables -= converted
    assert all(after[table] == [] for table in dropped_tables)
    if down_to < "0002":
        assert {row["internal"] for row in after["conflicts"]} == {False}  # the default
    else:
        # a dropped column of a kept table comes back empty (NULL), until the code fills it
        emptied = {
            table: [row | dict.fromkeys(columns) for row in full[table]]
            for table, columns in dropped_columns.items()
            if table not in dropped_tables
        }
        expected = full | emptied | dict.fromkeys(dropped_tables, [])
        assert after | dict.fromkeys(dropped_tables, []) == expected
    if backend == "sqlite":
        assert _triggers(engine) == SEARCH_TRIGGERS, "a batch operation dropped FTS triggers"
    engine.dispose()

    assert fb.fsck() == []
    assert _fulltext_ids(fb) == found
    assert _fulltext_ids(fb, QUOTED) == quoted
    result = fb.check()  # rebuilds the corroborations; the conflicts are all known
    assert (result["new"], result["resolved"]) == (0, 0)
    assert _pairs(fb) == pairs
    trust = [
        (row["publication_id"], row["document_id"], row["trust"]) for row in full["source_trust"]
    ]
    assert [
        (row["publication_id"], row["document_id"], row["trust"])
        for row in _rows(fb.store.engine)["source_trust"]
    ] == trust, "the check stores the same trust again"
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
    assert current_revision(engine) == SCHEMA_REVISION
    assert schema_diff(engine) == []
    assert all(n == 0 for n in fb.counts().values()), "base → head must give an empty base"
    if engine.dialect.name == "sqlite":
        assert _triggers(engine) == SEARCH_TRIGGERS

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
