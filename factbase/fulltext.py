"""Full-text search over claim texts: SQLite FTS5 and PostgreSQL tsvector.

The index objects are created by the migrations (claims_fts + triggers on
SQLite, a GIN expression index on PostgreSQL); this module builds the
matching WHERE clauses. User input is treated as plain words, never as query
syntax, so punctuation cannot break or widen a search.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, false, func, literal_column, select, text
from sqlalchemy.orm import Session

from .models import Claim

_WORD = re.compile(r"\w+")


def words(query: str) -> list[str]:
    return _WORD.findall(query)


def _fts5_query(query: str, any_word: bool) -> str:
    """Quote each word so FTS5 reads it as a term, never as an operator."""
    joiner = " OR " if any_word else " "
    return joiner.join(f'"{word}"' for word in words(query))


def matches(dialect: str, query: str, any_word: bool = False) -> ColumnElement[bool]:
    """A WHERE clause: claims whose text contains all (or any) of the query's words."""
    if not words(query):
        return false()
    if dialect == "sqlite":
        ids = (
            select(literal_column("rowid"))
            .select_from(text("claims_fts"))
            .where(
                text("claims_fts MATCH :fts_query").bindparams(
                    fts_query=_fts5_query(query, any_word)
                )
            )
        )
        return Claim.id.in_(ids)
    joiner = " | " if any_word else " & "
    tsquery = func.to_tsquery("english", joiner.join(words(query)))
    return func.to_tsvector("english", Claim.text).op("@@")(tsquery)


def ranked(session: Session, query: str, limit: int) -> list[int]:
    """Active claims sharing any word with the query, best match first (bm25 / ts_rank)."""
    if not words(query):
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        rows = session.execute(
            text(
                "SELECT claims.id FROM claims_fts JOIN claims ON claims.id = claims_fts.rowid"
                " WHERE claims_fts MATCH :q AND claims.status = 'active'"
                " ORDER BY bm25(claims_fts), claims.id LIMIT :limit"
            ),
            {"q": _fts5_query(query, any_word=True), "limit": limit},
        )
        return [row[0] for row in rows]
    tsquery = func.to_tsquery("english", " | ".join(words(query)))
    vector = func.to_tsvector("english", Claim.text)
    rows = session.execute(
        select(Claim.id)
        .where(vector.op("@@")(tsquery), Claim.status == "active")
        .order_by(func.ts_rank(vector, tsquery).desc(), Claim.id)
        .limit(limit)
    )
    return [row[0] for row in rows]
