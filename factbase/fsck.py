"""Integrity check: every invariant the base promises, verified against the stored rows."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from . import fulltext
from .models import Claim, ClaimSpan, Document, EntityAlias, PredicateAlias, Span
from .spans import CONTEXT
from .vocabulary import alias_key


def _documents(session: Session) -> Iterator[str]:
    rows = session.execute(select(Document.id, Document.slug, Document.text, Document.sha256))
    for doc_id, slug, body, sha in rows:
        if hashlib.sha256(body.encode("utf-8")).hexdigest() != sha:
            yield f"document {doc_id} ({slug}): sha256 does not match its text"
        if unicodedata.normalize("NFC", body) != body:
            yield f"document {doc_id} ({slug}): text is not Unicode NFC"
        if "\r" in body:
            yield f"document {doc_id} ({slug}): text holds carriage returns"


def _spans(session: Session) -> Iterator[str]:
    """Spans in document order, so each document's text is loaded once."""
    body, current = "", None
    rows = session.execute(
        select(
            Span.id, Span.document_id, Span.start, Span.end, Span.exact, Span.prefix, Span.suffix
        ).order_by(Span.document_id, Span.id)
    )
    for span_id, doc_id, start, end, exact, prefix, suffix in rows:
        if doc_id != current:
            body = session.scalar(select(Document.text).where(Document.id == doc_id)) or ""
            current = doc_id
        if body[start:end] != exact:
            yield f"span {span_id}: text at {start}:{end} of document {doc_id} differs from exact"
        if body[max(0, start - CONTEXT) : start] != prefix or body[end : end + CONTEXT] != suffix:
            yield f"span {span_id}: prefix/suffix differ from the document's text"


def _aliases(session: Session) -> Iterator[str]:
    for model in (EntityAlias, PredicateAlias):
        for alias_id, alias, key in session.execute(select(model.id, model.alias, model.key)):
            if alias_key(alias) != key:
                yield f"{model.__tablename__} {alias_id}: key {key!r} does not match {alias!r}"


def _claims(session: Session) -> Iterator[str]:
    uncited = session.scalars(
        select(Claim.id).where(~Claim.id.in_(select(ClaimSpan.claim_id))).limit(20)
    ).all()
    for claim_id in uncited:
        yield f"claim {claim_id}: cites no span"


def _foreign_keys(session: Session) -> Iterator[str]:
    if session.get_bind().dialect.name == "sqlite":
        for table, rowid, parent, _fk in session.execute(text("PRAGMA foreign_key_check")):
            yield f"{table} row {rowid}: dangling reference to {parent}"


def _fulltext(session: Session) -> Iterator[str]:
    """The index against what it should hold: each cited claim's text and quotes."""
    if session.get_bind().dialect.name != "sqlite":
        for claim_id in fulltext.stale(session):
            yield f"full-text index: claim {claim_id}'s entry is missing, extra or out of date"
        return
    check = "INSERT INTO claims_fts(claims_fts, rank) VALUES ('integrity-check', 1)"
    try:
        with session.begin_nested():
            session.execute(text(check))
    except DBAPIError as error:  # SQLite reports a stale index as a corrupt database
        yield f"full-text index: {str(error).splitlines()[0]}"


def fsck(session: Session) -> list[str]:
    """Every violated invariant as one line each; an empty list means the base is sound."""
    checks = (_documents, _spans, _aliases, _claims, _foreign_keys, _fulltext)
    return [problem for check in checks for problem in check(session)]
