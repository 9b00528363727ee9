"""bulk links indexed once

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

SQLite only. 0005's per-row triggers on claim_spans made a bulk import 30-50% slower: FTS5
writes its pending terms out as a new segment at every statement that touches the index
(its xSavepoint flushes) and whenever a rowid comes out of order, so an executemany of N
links wrote N one-row segments for FTS5 to merge, and a claim citing k spans was indexed,
deleted and re-indexed k times. An import now links a batch's new claims with the
insert triggers standing aside, then indexes those claims in one INSERT ... SELECT from
`claims_search` (see `fulltext.link_new_claims`).

The insert triggers stand aside while `claims_fts_bulk` holds a row. Only that writer's
transaction ever sees one: it adds the row, inserts the links, deletes the row and indexes
the claims, all before it commits. PostgreSQL already indexes a COPY in one statement
(0005's statement-level triggers): nothing changes there.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 0005's insert triggers on claim_spans, spelled out: a migration never imports another.
_QUOTES = (
    "(SELECT group_concat(exact, char(10)) FROM (SELECT s.exact FROM claim_spans cs"
    " JOIN spans s ON s.id = cs.span_id WHERE cs.claim_id = claims.id ORDER BY cs.id))"
)
_CITED = "EXISTS (SELECT 1 FROM claim_spans WHERE claim_id = new.claim_id)"
_UNINDEX = (
    "INSERT INTO claims_fts(claims_fts, rowid, text, quotes)"
    f" SELECT 'delete', id, text, {_QUOTES} FROM claims WHERE id = new.claim_id AND {_CITED};"
)
_INDEX = (
    "INSERT INTO claims_fts(rowid, text, quotes)"
    f" SELECT id, text, {_QUOTES} FROM claims WHERE id = new.claim_id AND {_CITED};"
)
_UNLESS_BULK = " WHEN NOT EXISTS (SELECT 1 FROM claims_fts_bulk)"


def _insert_triggers(when: str) -> list[str]:
    return [
        "DROP TRIGGER claim_spans_fts_bi",
        "DROP TRIGGER claim_spans_fts_ai",
        f"CREATE TRIGGER claim_spans_fts_bi BEFORE INSERT ON claim_spans{when}"
        f" BEGIN {_UNINDEX} END",
        f"CREATE TRIGGER claim_spans_fts_ai AFTER INSERT ON claim_spans{when} BEGIN {_INDEX} END",
    ]


SQLITE_UP = [
    "CREATE TABLE claims_fts_bulk (linking INTEGER NOT NULL)",
    *_insert_triggers(_UNLESS_BULK),
]
SQLITE_DOWN = [*_insert_triggers(""), "DROP TABLE claims_fts_bulk"]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
