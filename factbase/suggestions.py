"""The suggestion queue: claims `suggest` read in a document, for a reviewer to decide.

Reading is pure (`factbase.reading.suggest`); this module stores what it proposes,
keeps a re-run from proposing again what a reviewer decided (or what a claim citing the
same passage already states), and turns an accepted suggestion into a claim through
`claims.add_claim`, the code of `claim add`, so the same validation and audit apply.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import audit, claims
from .errors import InvalidClaim, SuggestionDecided, UnknownSuggestion
from .ingest import get_document
from .inputs import ClaimInput
from .models import (
    SUGGESTION_STATUSES,
    Claim,
    ClaimSpan,
    Document,
    Entity,
    Predicate,
    Span,
    Suggestion,
)
from .reading import suggest as reading
from .spans import find_quote
from .store import current_user
from .values import value_shape
from .vocabulary import Notify, alias_key, reading_vocabulary

# What a suggestion proposes, independent of its wording, time and score: two proposals
# with the same content over overlapping passages are the same suggestion.
Content = tuple[str, str, str, str, bool]


def _content(subject: str, predicate: str, obj: str | None, value: Any, negated: bool) -> Content:
    """The content key; a number is keyed as a float whatever its type, since a JSON
    column gives back 46000000.0 as 46000000."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = float(value)
    shown = "" if value is None else json.dumps(value, ensure_ascii=False)
    return (alias_key(subject), alias_key(predicate), alias_key(obj or ""), shown, negated)


def fingerprint(start: int, end: int, content: Content) -> str:
    """A stable key of one proposal in its document (the unique key with document_id)."""
    raw = json.dumps([start, end, *content], ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def role_kinds(session: Session) -> reading.RoleKinds:
    """Per predicate, the kinds of the entities its active claims have as subject and as
    object, with counts: the role fit the reader ranks candidates by."""
    subject = Entity.__table__.alias("subject")
    obj = Entity.__table__.alias("obj")
    rows = session.execute(
        select(Predicate.name, subject.c.kind, obj.c.kind, func.count())
        .select_from(Claim)
        .join(Predicate, Predicate.id == Claim.predicate_id)
        .join(subject, subject.c.id == Claim.subject_id)
        .outerjoin(obj, obj.c.id == Claim.object_id)
        .where(Claim.status == "active")
        .group_by(Predicate.name, subject.c.kind, obj.c.kind)
    )
    kinds: dict[str, tuple[Counter[str], Counter[str]]] = {}
    for name, subject_kind, object_kind, count in rows:
        subjects, objects = kinds.setdefault(name, (Counter(), Counter()))
        subjects[subject_kind or ""] += count
        if object_kind is not None:
            objects[object_kind] += count
    return kinds


@dataclass
class Reader:
    """What reading a document needs from the base, gathered once for many documents."""

    vocabulary: reading.Vocabulary
    roles: reading.RoleKinds

    @classmethod
    def of(cls, session: Session) -> Reader:
        return cls(reading_vocabulary(session), role_kinds(session))


def _anchor(document: Document) -> tuple[date | None, str]:
    return document.date, document.date_precision or "day"


def _known(session: Session, document: Document) -> list[tuple[int, int, Content]]:
    """Passages and contents already decided or queued, or stated by a claim citing them."""
    found = [
        (s.start, s.end, _content(s.subject, s.predicate, s.object, s.value, s.negated))
        for s in session.scalars(select(Suggestion).where(Suggestion.document_id == document.id))
    ]
    subject = Entity.__table__.alias("subject")
    obj = Entity.__table__.alias("obj")
    rows = session.execute(
        select(
            Span.start,
            Span.end,
            subject.c.name,
            Predicate.name,
            obj.c.name,
            Claim.value_number,
            Claim.value_unit,
            Claim.value_date,
            Claim.value_text,
            Claim.polarity,
        )
        .join(ClaimSpan, ClaimSpan.span_id == Span.id)
        .join(Claim, Claim.id == ClaimSpan.claim_id)
        .join(subject, subject.c.id == Claim.subject_id)
        .join(Predicate, Predicate.id == Claim.predicate_id)
        .outerjoin(obj, obj.c.id == Claim.object_id)
        .where(Span.document_id == document.id, Claim.status == "active")
    )
    for start, end, subj, pred, obj_name, number, unit, day, text, polarity in rows:
        shape = value_shape(number, unit, day, text)
        value = None if shape is None else _plain_value(shape)
        found.append((start, end, _content(subj, pred, obj_name, value, polarity == "negated")))
    return found


def _plain_value(shape: dict[str, Any]) -> Any:
    """A stored claim's value as a proposal carries it (number, ISO date or text)."""
    for key in ("number", "date", "text"):
        if shape.get(key) is not None:
            return shape[key]
    return None


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def suggest(session: Session, slug: str, reader: Reader | None = None) -> list[Suggestion]:
    """Read a document, queue what is new, and return its pending suggestions in order.

    A proposal is new unless a suggestion (pending or decided) or an active claim citing
    an overlapping passage of this document already says the same thing.
    """
    document = get_document(session, slug)
    reader = reader or Reader.of(session)
    anchor, precision = _anchor(document)
    known = _known(session, document)
    now, who = audit.now(), current_user()
    for proposal in reading.read_document(
        document.text, anchor, precision, reader.vocabulary, reader.roles
    ):
        content = _content(
            proposal.subject, proposal.predicate, proposal.object, proposal.value, proposal.negated
        )
        span = (proposal.start, proposal.end)
        if any(c == content and _overlaps(span, (s, e)) for s, e, c in known):
            continue
        known.append((proposal.start, proposal.end, content))
        session.add(_row(document, proposal, content, now, who))
    session.flush()
    return list_suggestions(session, document=document, status="suggested")


def _row(
    document: Document, p: reading.Proposal, content: Content, now: Any, who: str
) -> Suggestion:
    when = p.when
    return Suggestion(
        document_id=document.id,
        fingerprint=fingerprint(p.start, p.end, content),
        start=p.start,
        end=p.end,
        quote=p.quote,
        text=p.text,
        subject=p.subject,
        predicate=p.predicate,
        object=p.object,
        value=p.value,
        unit=p.unit,
        time_raw=when.raw if when else None,
        time_earliest=when.earliest if when else None,
        time_latest=when.latest if when else None,
        time_precision=when.precision if when else None,
        negated=p.negated,
        modality=p.modality,
        attributed_to=p.attributed_to,
        score=round(p.score, 4),
        new_entities=list(p.new_entities),
        alternatives={key: list(names) for key, names in p.alternatives.items()},
        status="suggested",
        created_at=now,
        created_by=who,
    )


def list_suggestions(
    session: Session,
    doc: str | None = None,
    status: str | None = None,
    document: Document | None = None,
) -> list[Suggestion]:
    """Suggestions by id (their reading order), of one document (SLUG: every version)."""
    if status is not None and status not in SUGGESTION_STATUSES:
        raise InvalidClaim(
            f"status must be one of {', '.join(SUGGESTION_STATUSES)}, not {status!r}"
        )
    query = select(Suggestion).order_by(Suggestion.id)
    if document is not None:
        query = query.where(Suggestion.document_id == document.id)
    elif doc is not None:
        found = get_document(session, doc)
        if "@" in doc:
            query = query.where(Suggestion.document_id == found.id)
        else:
            versions = select(Document.id).where(Document.slug == found.slug)
            query = query.where(Suggestion.document_id.in_(versions))
    if status is not None:
        query = query.where(Suggestion.status == status)
    return list(session.scalars(query))


def get_suggestion(session: Session, suggestion_id: int) -> Suggestion:
    suggestion = session.get(Suggestion, suggestion_id)
    if suggestion is None:
        raise UnknownSuggestion(f"no suggestion with id {suggestion_id}")
    return suggestion


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def suggestion_dict(s: Suggestion) -> dict[str, Any]:
    """The SUGGESTION shape of issue 11 (stable for scripts and the desk)."""
    document = s.document
    return {
        "id": s.id,
        "document": document.slug,
        "version": document.version,
        "quote": s.quote,
        "start": s.start,
        "end": s.end,
        "text": s.text,
        "subject": s.subject,
        "predicate": s.predicate,
        "object": s.object,
        "value": s.value,
        "unit": s.unit,
        "when": None
        if s.time_raw is None
        else {
            "raw": s.time_raw,
            "earliest": _iso(s.time_earliest),
            "latest": _iso(s.time_latest),
            "precision": s.time_precision,
        },
        "negated": s.negated,
        "modality": s.modality,
        "attributed_to": s.attributed_to,
        "score": s.score,
        "new_entities": list(s.new_entities),
        "alternatives": dict(s.alternatives),
        "status": s.status,
        "reason": s.reason,
        "claim_id": s.claim_id,
        "created_at": s.created_at.isoformat(),
        "created_by": s.created_by,
        "decided_at": s.decided_at.isoformat() if s.decided_at else None,
        "decided_by": s.decided_by,
    }


def _pending(session: Session, suggestion_id: int) -> Suggestion:
    suggestion = get_suggestion(session, suggestion_id)
    if suggestion.status != "suggested":
        linked = f" as claim {suggestion.claim_id}" if suggestion.claim_id else ""
        why = f" ({suggestion.reason})" if suggestion.reason else ""
        raise SuggestionDecided(
            f"suggestion {suggestion_id} is already {suggestion.status}{linked}{why}"
        )
    return suggestion


def _occurrence(text: str, quote: str, start: int) -> int | None:
    """Which occurrence of `quote` (1-based) starts at `start`, for an ambiguous quote."""
    matches = find_quote(text, quote)
    if len(matches) <= 1:
        return None
    for number, match in enumerate(matches, start=1):
        if match.start == start:
            return number
    return None


# The fields `accept` lets a reviewer correct, as keyword arguments.
OVERRIDES = frozenset({"text", "subject", "predicate", "object", "value", "unit", "when",
                       "negated", "modality", "attributed_to"})  # fmt: skip


def claim_input(s: Suggestion, overrides: dict[str, Any]) -> ClaimInput:
    """The `claim add` input a suggestion stands for, with the reviewer's corrections.

    An object given clears the value and a value clears the object (a claim has one);
    `when=""` drops the suggested time.
    """
    unknown = overrides.keys() - OVERRIDES
    if unknown:
        raise InvalidClaim(f"cannot override {', '.join(sorted(unknown))} of a suggestion")
    given = {key: value for key, value in overrides.items() if value is not None}
    if given.get("object") is not None and given.get("value") is not None:
        raise InvalidClaim("give an object or a value, not both")
    fields: dict[str, Any] = {
        "text": s.text,
        "subject": s.subject,
        "predicate": s.predicate,
        "object": s.object,
        "value": s.value,
        "unit": s.unit,
        "when": s.time_raw,
        "negated": s.negated,
        "modality": s.modality,
        "attributed_to": s.attributed_to,
    }
    if "object" in given:
        fields["value"] = fields["unit"] = None
    if "value" in given:
        fields["object"] = None
        fields["unit"] = None
    fields.update(given)
    if fields["when"] is not None and not str(fields["when"]).strip():
        fields["when"] = None
    document = s.document
    return ClaimInput(
        doc=f"{document.slug}@{document.version}",
        quote=s.quote,
        occurrence=_occurrence(document.text, s.quote, s.start),
        **fields,
    )


def accept(
    session: Session,
    suggestion_id: int,
    overrides: dict[str, Any],
    reviewer: str | None = None,
    notify: Notify | None = None,
) -> tuple[Claim, bool, Suggestion]:
    """Make the claim a pending suggestion stands for and link it; the claim and whether
    it duplicated a stored one (then that claim is linked)."""
    suggestion = _pending(session, suggestion_id)
    before = suggestion_dict(suggestion)
    claim, duplicate = claims.add_claim(session, claim_input(suggestion, overrides), notify)
    _decide(suggestion, "accepted", None, reviewer)
    suggestion.claim_id = claim.id
    session.flush()
    audit.record(
        session,
        "accept",
        "suggestion",
        suggestion.id,
        before=before,
        after=suggestion_dict(suggestion),
        actor=suggestion.decided_by,
    )
    return claim, duplicate, suggestion


def reject(
    session: Session, suggestion_id: int, reason: str, reviewer: str | None = None
) -> Suggestion:
    """Reject a pending suggestion with the reviewer's reason; it is never proposed again."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidClaim("a rejection needs a reason")
    suggestion = _pending(session, suggestion_id)
    before = suggestion_dict(suggestion)
    _decide(suggestion, "rejected", reason, reviewer)
    session.flush()
    audit.record(
        session,
        "reject",
        "suggestion",
        suggestion.id,
        before=before,
        after=suggestion_dict(suggestion),
        actor=suggestion.decided_by,
    )
    return suggestion


def _decide(s: Suggestion, status: str, reason: str | None, reviewer: str | None) -> None:
    s.status, s.reason = status, reason
    s.decided_at, s.decided_by = audit.now(), reviewer or current_user()


def read_span(
    session: Session,
    slug: str,
    start: int,
    end: int,
    reader: Reader | None = None,
) -> dict[str, Any]:
    """The best reading of a passage a reviewer selected, to pre-fill a claim form.

    `{"document", "start", "end", "quote", "suggestion": SUGGESTION-like dict | None,
    "others": [...]}`: the selection itself is the quote (trimmed of surrounding space),
    so the form cites what the reviewer chose.
    """
    document = get_document(session, slug)
    text = document.text
    if not 0 <= start < end <= len(text):
        raise InvalidClaim(
            f"the selection {start}:{end} is outside the document ({len(text)} characters)"
        )
    anchor, precision = _anchor(document)
    reader = reader or Reader.of(session)
    proposals = reading.read_span(
        text, start, end, anchor, precision, reader.vocabulary, reader.roles
    )
    shapes = [proposal_dict(p) | {"document": document.slug} for p in proposals]
    start, end = reading.trimmed(text, start, end)
    return {
        "document": document.slug,
        "version": document.version,
        "start": start,
        "end": end,
        "quote": text[start:end],
        "suggestion": shapes[0] if shapes else None,
        "others": shapes[1:],
    }


def proposal_dict(p: reading.Proposal) -> dict[str, Any]:
    """An unstored proposal in the SUGGESTION shape (no id, status or claim)."""
    when = p.when
    return {
        "quote": p.quote,
        "start": p.start,
        "end": p.end,
        "text": p.text,
        "subject": p.subject,
        "predicate": p.predicate,
        "object": p.object,
        "value": p.value,
        "unit": p.unit,
        "when": None
        if when is None
        else {
            "raw": when.raw,
            "earliest": _iso(when.earliest),
            "latest": _iso(when.latest),
            "precision": when.precision,
        },
        "negated": p.negated,
        "modality": p.modality,
        "attributed_to": p.attributed_to,
        "score": round(p.score, 4),
        "new_entities": list(p.new_entities),
        "alternatives": {key: list(names) for key, names in p.alternatives.items()},
    }


def suggestion_dicts(found: Iterable[Suggestion]) -> list[dict[str, Any]]:
    return [suggestion_dict(s) for s in found]
