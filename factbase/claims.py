"""Claims: atomic statements tied to the exact spans that state them.

Adding and importing go through `factbase.importer` (validate everything,
then insert set-based, inside the caller's transaction, so an import is all or
nothing); this module holds the claim's input and output shapes, queries,
retraction and display.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    ScalarSelect,
    Select,
    String,
    bindparam,
    select,
)
from sqlalchemy.orm import Session, selectinload

from . import audit, conflicts, fulltext, importer
from .display import context_parts
from .errors import FactbaseError, InvalidClaim, UnknownClaim
from .ingest import Progress, document_dict, get_document
from .inputs import ClaimInput
from .models import (
    Claim,
    ClaimSpan,
    Document,
    Entity,
    EntityAlias,
    Predicate,
    PredicateAlias,
    Publication,
    Span,
)
from .reading.timex import parse_time
from .values import value_shape
from .vocabulary import Notify, alias_key, get_entity, get_predicate

__all__ = ["ClaimFilter", "ClaimInput"]  # ClaimInput lives in `inputs`; callers import it here


def add_claim(
    session: Session, inp: ClaimInput, notify: Notify | None = None
) -> tuple[Claim, bool]:
    """Validate and store one claim with its spans, in the caller's transaction.

    Returns the claim and whether it was a duplicate: a claim with the same fields and
    spans as a stored one adds nothing and returns the stored claim, as import does.
    """
    resolver = importer.Resolver(session, notify)
    prepared = importer.prepare(resolver, inp)
    ids, repeats = importer.store(session, resolver, [prepared], skip_duplicates=True)
    if repeats:
        if notify:
            notify(f"claim {repeats[0]} already states this with the same quote: nothing added")
        return get_claim(session, repeats[0]), True
    if notify:
        for problem in prepared.unstated:
            notify(f"{problem}; the claim is stored (claim {ids[0]})")
    return get_claim(session, ids[0]), False


def get_claim(session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise UnknownClaim(f"no claim with id {claim_id}")
    return claim


def retract_claim(session: Session, claim_id: int, reason: str) -> Claim:
    """Mark a claim retracted with its reason; it stays, but drops out of checks."""
    if not reason.strip():
        raise InvalidClaim("a retraction needs a reason")
    claim = get_claim(session, claim_id)
    if claim.status == "retracted":
        raise InvalidClaim(f"claim {claim_id} is already retracted ({claim.status_reason})")
    before = claim_dict(claim)
    claim.status, claim.status_reason = "retracted", reason.strip()
    session.flush()
    conflicts.resolve_for_claim(session, claim.id, f"claim {claim.id} retracted: {reason.strip()}")
    audit.record(session, "retract", "claim", claim.id, before=before, after=claim_dict(claim))
    return claim


@dataclass
class ClaimFilter:
    """Filters of `claim list`; a time range keeps claims whose interval overlaps it."""

    subject: str | None = None
    predicate: str | None = None
    object: str | None = None
    doc: str | None = None
    publication: str | None = None
    since: str | None = None
    until: str | None = None
    text: str | None = None
    status: str | None = "active"
    limit: int | None = None


_CLAIMS = Claim.__table__
_CLAIM_SPANS = ClaimSpan.__table__
_SPANS = Span.__table__
_DOCUMENTS = Document.__table__
_PUBLICATIONS = Publication.__table__
_ENTITY_ALIASES = EntityAlias.__table__.c
_PREDICATE_ALIASES = PredicateAlias.__table__.c
_ENTITIES = Entity.__table__
_PREDICATES = Predicate.__table__


def _bind_values(session: Session, f: ClaimFilter) -> dict[str, Any] | None:
    """The filter's bind parameters by name (the names are the statement's shape).

    Names are resolved inside the statement: an alias that names nothing makes its
    scalar subquery NULL and the listing empty, and only then does `_check_names` look
    the names up to report it. `SLUG@N` is checked first, since its version must exist
    even where claims cite the slug's other versions. None: the filter matches nothing
    (full text without a word).
    """
    if f.doc and "@" in f.doc:
        _check_names(session, f)
    values: dict[str, Any] = {}
    for key in ("subject", "predicate", "object"):
        if name := getattr(f, key):
            values[key] = alias_key(name)
    if f.doc:
        values["doc"] = f.doc.partition("@")[0]
    if f.publication:
        values["publication"] = f.publication
    try:
        if f.since:
            values["since"] = parse_time(f.since).earliest
        if f.until:
            values["until"] = parse_time(f.until).latest
    except FactbaseError:
        _check_names(session, f)  # an unknown name is reported before a bad time
        raise
    if f.text:
        values["text"] = fulltext.terms(session.get_bind().dialect.name, f.text)
        if values["text"] is None:
            _check_names(session, f)
            return None
    if f.status:
        values["status"] = f.status
    if f.limit:
        values["limit"] = f.limit
    return values


def _check_names(session: Session, f: ClaimFilter) -> None:
    """Raise the error (with suggestions) for the first name in `f` that names nothing."""
    if f.subject:
        get_entity(session, f.subject)
    if f.predicate:
        get_predicate(session, f.predicate)
    if f.object:
        get_entity(session, f.object)
    if f.doc:
        get_document(session, f.doc)


def _named(owner_id: ColumnElement[int], key: ColumnElement[str], param: str) -> ScalarSelect[int]:
    """The id the alias in bind parameter `param` names (alias keys are unique), else NULL."""
    return select(owner_id).where(key == bindparam(param)).scalar_subquery()


def _conditions(dialect: str, shape: frozenset[str]) -> list[ColumnElement[bool]]:
    """WHERE clauses on `claims` for the filters in `shape`, each value a bind parameter."""
    claims = _CLAIMS.c
    where: list[ColumnElement[bool]] = []
    if "subject" in shape:
        where.append(
            claims.subject_id == _named(_ENTITY_ALIASES.entity_id, _ENTITY_ALIASES.key, "subject")
        )
    if "predicate" in shape:
        where.append(
            claims.predicate_id
            == _named(_PREDICATE_ALIASES.predicate_id, _PREDICATE_ALIASES.key, "predicate")
        )
    if "object" in shape:
        where.append(
            claims.object_id == _named(_ENTITY_ALIASES.entity_id, _ENTITY_ALIASES.key, "object")
        )
    if "doc" in shape or "publication" in shape:
        documents = _DOCUMENTS.c
        cited = (
            select(_CLAIM_SPANS.c.claim_id)
            .join(_SPANS, _SPANS.c.id == _CLAIM_SPANS.c.span_id)
            .join(_DOCUMENTS, documents.id == _SPANS.c.document_id)
        )
        if "doc" in shape:
            cited = cited.where(documents.slug == bindparam("doc"))
        if "publication" in shape:
            cited = cited.join(_PUBLICATIONS, _PUBLICATIONS.c.id == documents.publication_id)
            cited = cited.where(_PUBLICATIONS.c.name == bindparam("publication"))
        where.append(claims.id.in_(cited))
    if "since" in shape:
        where.append(claims.time_latest >= bindparam("since"))
    if "until" in shape:
        where.append(claims.time_earliest <= bindparam("until"))
    if "text" in shape:
        where.append(fulltext.matching(dialect, bindparam("text", type_=String)))
    if "status" in shape:
        where.append(claims.status == bindparam("status"))
    return where


def list_claims(session: Session, f: ClaimFilter | None = None) -> list[Claim]:
    """The filtered claims as ORM objects, by id; `claim_dicts` is the fast JSON path."""
    f = f or ClaimFilter()
    values = _bind_values(session, f)
    if values is None:
        return []
    where = _conditions(session.get_bind().dialect.name, frozenset(values))
    query = select(Claim).where(*where).order_by(Claim.id)
    if "limit" in values:
        query = query.limit(bindparam("limit"))
    options = (
        selectinload(Claim.subject),
        selectinload(Claim.predicate),
        selectinload(Claim.object),
        selectinload(Claim.attributed_to),
        selectinload(Claim.spans).selectinload(Span.document).selectinload(Document.publication),
    )
    found = list(session.scalars(query.options(*options), values))
    if not found:
        _check_names(session, f)
    return found


def _name_of(table: FromClause, key: ColumnElement[int]) -> ScalarSelect[str]:
    """The name `key` refers to, as a correlated scalar subquery: four fewer joins for
    PostgreSQL's planner, which otherwise spends milliseconds ordering them per call."""
    return select(table.c.name).where(table.c.id == key).scalar_subquery()


@functools.cache
def _listing(dialect: str, shape: frozenset[str]) -> Select[Any]:
    """The `claim_dicts` statement for one filter shape, built once per process.

    Building this select (its subquery's column proxies above all) and generating its
    cache key cost more than running it; reusing one object per shape, with the values
    as bind parameters, leaves only execution (SQLAlchemy memoizes the cache key).
    """
    listed = select(_CLAIMS).where(*_conditions(dialect, shape))
    if "limit" in shape:
        listed = listed.order_by(_CLAIMS.c.id).limit(bindparam("limit"))
    listed_claims = listed.subquery("c")
    c, spans, documents = listed_claims.c, _SPANS.c, _DOCUMENTS.c
    return (
        select(
            c.id,
            c.text,
            _name_of(_ENTITIES, c.subject_id),
            _name_of(_PREDICATES, c.predicate_id),
            _name_of(_ENTITIES, c.object_id),
            c.value_number,
            c.value_unit,
            c.value_date,
            c.value_text,
            c.polarity,
            c.modality,
            _name_of(_ENTITIES, c.attributed_to_id),
            c.time_raw,
            c.time_earliest,
            c.time_latest,
            c.time_precision,
            c.time_anchor,
            c.status,
            c.status_reason,
            c.created_at,
            c.created_by,
            spans.id,
            documents.slug,
            documents.version,
            spans.start,
            spans.end,
            spans.exact,
            spans.prefix,
            spans.suffix,
        )
        .select_from(listed_claims)
        .outerjoin(_CLAIM_SPANS, _CLAIM_SPANS.c.claim_id == c.id)
        .outerjoin(_SPANS, spans.id == _CLAIM_SPANS.c.span_id)
        .outerjoin(_DOCUMENTS, documents.id == spans.document_id)
        .order_by(c.id, spans.id)
    )


def claim_dicts(session: Session, f: ClaimFilter | None = None) -> list[dict[str, Any]]:
    """`claim_dict` of every filtered claim, by id, from one cached Core SELECT.

    Listing is the hot path (issue 5): the ORM load with its selectin chains cost
    ~10 ms per call; this reads plain rows (one per cited span) into the same dicts.
    """
    f = f or ClaimFilter()
    values = _bind_values(session, f)
    if values is None:
        return []
    query = _listing(session.get_bind().dialect.name, frozenset(values))
    found: list[dict[str, Any]] = []
    last_id = None
    for row in session.connection().execute(query, values):
        if row[0] != last_id:
            last_id = row[0]
            found.append(_claim_shape(row[:21], []))
        if row[21] is not None:  # a claim without spans has one row, its span columns NULL
            found[-1]["spans"].append(_span_shape(row[21:]))
    if not found:
        _check_names(session, f)
    return found


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


_SPAN_KEYS = ("id", "document", "version", "start", "end", "exact", "prefix", "suffix")


def _span_shape(columns: Sequence[Any]) -> dict[str, Any]:
    """A span's JSON shape from its columns in `_listing`'s order."""
    return dict(zip(_SPAN_KEYS, columns, strict=True))


def span_dict(span: Span) -> dict[str, Any]:
    document = span.document
    return _span_shape(
        (
            span.id,
            document.slug,
            document.version,
            span.start,
            span.end,
            span.exact,
            span.prefix,
            span.suffix,
        )
    )


def _claim_shape(columns: Sequence[Any], spans: list[dict[str, Any]]) -> dict[str, Any]:
    """The claim's JSON shape from its columns in `_listing`'s order.

    `claim_dict` (ORM objects) and `claim_dicts` (Core rows) both build it here, so
    the two cannot drift apart in keys, order or formatting.
    """
    (
        claim_id, text, subject, predicate, obj, number, unit, day, value_text, polarity,
        modality, attributed_to, time_raw, earliest, latest, precision, anchor, status,
        status_reason, created_at, created_by,
    ) = columns  # fmt: skip
    return {
        "id": claim_id,
        "text": text,
        "subject": subject,
        "predicate": predicate,
        "object": obj,
        "value": value_shape(number, unit, day, value_text),
        "polarity": polarity,
        "modality": modality,
        "attributed_to": attributed_to,
        "time": None
        if time_raw is None
        else {
            "raw": time_raw,
            "earliest": _iso(earliest),
            "latest": _iso(latest),
            "precision": precision,
            "anchor": _iso(anchor),
        },
        "status": status,
        "status_reason": status_reason,
        "created_at": created_at.isoformat(),
        "created_by": created_by,
        "spans": spans,
    }


def claim_dict(claim: Claim) -> dict[str, Any]:
    """The claim's JSON shape (DESIGN.md §4), stable for scripts."""
    columns = (
        claim.id, claim.text, claim.subject.name, claim.predicate.name,
        claim.object.name if claim.object else None,
        claim.value_number, claim.value_unit, claim.value_date, claim.value_text,
        claim.polarity, claim.modality,
        claim.attributed_to.name if claim.attributed_to else None,
        claim.time_raw, claim.time_earliest, claim.time_latest, claim.time_precision,
        claim.time_anchor, claim.status, claim.status_reason, claim.created_at, claim.created_by,
    )  # fmt: skip
    return _claim_shape(columns, [span_dict(span) for span in claim.spans])


def citation_text(document: Document) -> str:
    """A short human citation: publication volume/issue, title, date (and how it is known)."""
    parts = []
    if document.publication:
        parts.append(document.publication.name)
    if document.volume or document.issue:
        parts.append(f"{document.volume or '?'}/{document.issue or '?'}")
    if document.title:
        parts.append(f"“{document.title}”")
    if document.date:
        shown = {"year": "%Y", "month": "%B %Y"}.get(document.date_precision or "", "%d %B %Y")
        note = "" if document.date_source == "stated" else f", {document.date_source}"
        parts.append(f"({document.date.strftime(shown)}{note})")
    else:
        parts.append("(undated)")
    return " ".join(parts) if parts else document.slug


def show_claim(session: Session, claim_id: int) -> dict[str, Any]:
    """The claim with each quote in context and the citation of its document."""
    claim = get_claim(session, claim_id)
    result = claim_dict(claim)
    result["corroborated_by"] = conflicts.corroborating(session, claim.id)
    result["conflicts"] = conflicts.conflicting(session, claim.id)
    for shown, span in zip(result["spans"], claim.spans, strict=True):
        left, quote, right = context_parts(span.document.text, span.start, span.end)
        shown["context"] = left + quote + right
        shown["context_quote"] = [len(left), len(left) + len(quote)]
        shown["citation"] = citation_text(span.document)
        shown["document_info"] = document_dict(span.document)
    return result


# Import ------------------------------------------------------------------------------------


def import_claims(
    session: Session,
    path: Path,
    notify: Notify | None = None,
    progress: Progress | None = None,
) -> importer.ImportResult:
    """Add every claim of a JSONL/YAML file, or none (see factbase.importer)."""
    return importer.import_file(session, path, notify, progress)
