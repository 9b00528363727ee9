"""Full-text search over each claim's text and the exact text of its cited spans.

The index objects are created by the migrations (0005, 0006): on both dialects a table
`claims_fts` with one row per cited claim, kept in sync by triggers on claim_spans and
claims.text (an FTS5 table over the view `claims_search` on SQLite; a tsvector column with
the GIN index ix_claims_fts on PostgreSQL). This module builds the matching WHERE clauses,
indexes an import's new claims in bulk and rebuilds the index. User input is treated as
plain words, never as query syntax, so punctuation cannot break or widen a search.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import ColumnElement, Connection, column, func, literal_column, select, table, text
from sqlalchemy.orm import Session

from .models import Claim
from .store import insert_rows

_WORD = re.compile(r"\w+")
_CLAIMS = Claim.__table__.c
# A literal regconfig: a bound one (`$1::REGCONFIG`) would make the query's text search
# configuration a parameter PostgreSQL cannot check against the index's in a generic plan.
_ENGLISH = literal_column("'english'")
_PG_TABLE = table("claims_fts", column("claim_id"), column("search"))
_PG_INDEX = _PG_TABLE.c


def words(query: str) -> list[str]:
    return _WORD.findall(query)


def terms(dialect: str, query: str, any_word: bool = False) -> str | None:
    """The query as the dialect's search string (an FTS5 query, or `to_tsquery` text) matching
    claims with all (or any) of its words; None when it has no word."""
    found = words(query)
    if not found:
        return None
    if dialect == "sqlite":  # each word quoted, so FTS5 reads it as a term, never an operator
        return (" OR " if any_word else " ").join(f'"{word}"' for word in found)
    return (" | " if any_word else " & ").join(found)


def matching(dialect: str, search: ColumnElement[str]) -> ColumnElement[bool]:
    """A WHERE clause: claims whose text matches `search`, a string from `terms`."""
    if dialect == "sqlite":
        fts = literal_column("claims_fts")
        return _CLAIMS.id.in_(
            select(literal_column("rowid"))
            .select_from(text("claims_fts"))
            .where(fts.op("MATCH")(search))
        )
    return _CLAIMS.id.in_(
        select(_PG_INDEX.claim_id).where(
            _PG_INDEX.search.op("@@")(func.to_tsquery(_ENGLISH, search))
        )
    )


def ranked(session: Session, query: str, limit: int) -> list[int]:
    """Active claims sharing any word with the query, best match first (bm25 / ts_rank)."""
    dialect = session.get_bind().dialect.name
    search = terms(dialect, query, any_word=True)
    if search is None:
        return []
    if dialect == "sqlite":
        rows = session.execute(
            text(
                "SELECT claims.id FROM claims_fts JOIN claims ON claims.id = claims_fts.rowid"
                " WHERE claims_fts MATCH :q AND claims.status = 'active'"
                " ORDER BY bm25(claims_fts), claims.id LIMIT :limit"
            ),
            {"q": search, "limit": limit},
        )
        return [row[0] for row in rows]
    tsquery, vector = func.to_tsquery(_ENGLISH, search), _PG_INDEX.search
    rows = session.execute(
        select(_CLAIMS.id)
        .join_from(_PG_TABLE, Claim.__table__, _CLAIMS.id == _PG_INDEX.claim_id)
        .where(vector.op("@@")(tsquery), _CLAIMS.status == "active")
        .order_by(func.ts_rank(vector, tsquery).desc(), _CLAIMS.id)
        .limit(limit)
    )
    return [row[0] for row in rows]


def present(session: Session) -> bool:
    """Whether the base has the index of revision 0005 (a restore may target an older one)."""
    if session.get_bind().dialect.name == "sqlite":
        found = "SELECT 1 FROM sqlite_master WHERE name = 'claims_search' AND type = 'view'"
    else:
        found = "SELECT 1 WHERE to_regclass('claims_search') IS NOT NULL"
    return session.scalar(text(found)) is not None


def link_new_claims(connection: Connection, links: Sequence[tuple[int, int]]) -> None:
    """Insert the claim_spans rows (claim_id, span_id) of new claims and index each claim once.

    Every claim with an id between the smallest and the largest of `links` must be new and
    cite no span yet (an import's ids, reserved above the largest). On SQLite the per-row
    insert triggers would flush FTS5's pending terms to a one-row segment per link (and
    re-index a claim for each further span), so they stand aside while `claims_fts_bulk`
    holds a row (0006) and one INSERT ... SELECT from the view indexes the claims. On
    PostgreSQL the COPY's statement-level triggers already index them in one statement.
    """
    if not links:
        return
    if connection.dialect.name != "sqlite":
        insert_rows(connection, "claim_spans", ("claim_id", "span_id"), links)
        return
    connection.exec_driver_sql("INSERT INTO claims_fts_bulk (linking) VALUES (1)")
    try:
        insert_rows(connection, "claim_spans", ("claim_id", "span_id"), links)
    finally:  # even after an error: a row left to commit would stop the triggers for good
        if not connection.invalidated:  # else rolled back, and touching it hides the error
            connection.exec_driver_sql("DELETE FROM claims_fts_bulk")
    claims = [claim for claim, _span in links]
    connection.exec_driver_sql(
        "INSERT INTO claims_fts(rowid, text, quotes)"
        " SELECT id, text, quotes FROM claims_search WHERE id BETWEEN ? AND ?",
        (min(claims), max(claims)),
    )


def rebuild(session: Session) -> None:
    """Re-derive the whole index from the claims and their cited spans (after a restore)."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("INSERT INTO claims_fts(claims_fts) VALUES ('rebuild')"))
    else:
        session.execute(text("DELETE FROM claims_fts"))
        session.execute(text("SELECT claims_fts_refresh(ARRAY(SELECT id FROM claims_search))"))


def stale(session: Session, limit: int = 20) -> list[int]:
    """PostgreSQL: ids of claims whose index row is missing, extra or differs from
    `claims_search` (SQLite's FTS5 `integrity-check` makes the same comparison)."""
    rows = session.execute(
        text(
            "SELECT COALESCE(v.id, f.claim_id) FROM claims_search v"
            " FULL JOIN claims_fts f ON f.claim_id = v.id"
            " WHERE f.search IS DISTINCT FROM to_tsvector('english', v.text || E'\\n' || v.quotes)"
            " ORDER BY 1 LIMIT :limit"
        ),
        {"limit": limit},
    )
    return [row[0] for row in rows]
