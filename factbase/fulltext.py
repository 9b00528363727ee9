"""Full-text search over claim texts: SQLite FTS5 and PostgreSQL tsvector.

The index objects are created by the migrations (claims_fts + triggers on
SQLite, a GIN expression index on PostgreSQL); this module builds the
matching WHERE clauses. User input is treated as plain words, never as query
syntax, so punctuation cannot break or widen a search.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, func, literal_column, select, text
from sqlalchemy.orm import Session

from .models import Claim

_WORD = re.compile(r"\w+")
_CLAIMS = Claim.__table__.c
_ENGLISH = literal_column("'english'")


def _vector() -> ColumnElement[Any]:
    """`to_tsvector('english', claims.text)`, textually the GIN index ix_claims_fts's expression.

    PostgreSQL uses an expression index only for an identical expression. A bound
    regconfig (`to_tsvector($1::REGCONFIG, text)`) matches it only in a custom plan,
    where the value is folded in; a generic plan of the prepared statement (psycopg
    prepares after five runs) scans every row computing the vector. A literal always
    matches.
    """
    return func.to_tsvector(_ENGLISH, _CLAIMS.text)


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
    return _vector().op("@@")(func.to_tsquery(_ENGLISH, search))


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
    tsquery, vector = func.to_tsquery(_ENGLISH, search), _vector()
    rows = session.execute(
        select(_CLAIMS.id)
        .where(vector.op("@@")(tsquery), _CLAIMS.status == "active")
        .order_by(func.ts_rank(vector, tsquery).desc(), _CLAIMS.id)
        .limit(limit)
    )
    return [row[0] for row in rows]
