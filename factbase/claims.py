"""Claims: atomic statements tied to the exact spans that state them.

Adding and importing go through `factbase.importer` (validate everything,
then insert set-based, inside the caller's transaction, so an import is all or
nothing); this module holds the claim's input and output shapes, queries,
retraction and display.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from . import audit, conflicts, fulltext, importer
from .errors import (
    InvalidClaim,
    UnknownClaim,
)
from .ingest import Progress, document_dict, get_document
from .models import Claim, ClaimSpan, Document, Publication, Span
from .spans import context
from .timeexpr import parse_date, parse_time
from .vocabulary import Notify, get_entity, get_predicate

_NUMBER = re.compile(r"^\s*(?P<number>[-+]?\d[\d,]*(?:\.\d+)?)\s*(?P<unit>\S.*)?$")


@dataclass
class ClaimInput:
    """The fields of `claim add` and of one line of `claim import`."""

    text: str
    doc: str
    quote: str | list[str]
    subject: str
    predicate: str
    object: str | None = None
    value: str | float | int | None = None
    unit: str | None = None
    when: str | None = None
    negated: bool = False
    modality: str = "asserted"
    attributed_to: str | None = None
    occurrence: int | None = None

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> ClaimInput:
        """Build from a JSON/YAML object, rejecting unknown or missing keys."""
        names = {f.name for f in fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise InvalidClaim(f"unknown keys {sorted(unknown)}")
        missing = [
            key for key in ("text", "doc", "quote", "subject", "predicate") if key not in data
        ]
        if missing:
            raise InvalidClaim(f"missing keys {missing}")
        for key, kind in (("negated", bool), ("occurrence", int)):
            if data.get(key) is not None and type(data[key]) is not kind:
                raise InvalidClaim(f"{key!r} must be {kind.__name__}: {data[key]!r}")
        for key in ("text", "doc", "subject", "predicate", "object", "unit", "when"):
            if data.get(key) is not None and not isinstance(data[key], str):
                raise InvalidClaim(f"{key!r} must be a string: {data[key]!r}")
        return cls(**data)

    @property
    def quotes(self) -> list[str]:
        return [self.quote] if isinstance(self.quote, str) else list(self.quote)


def parse_number(text: str | None) -> tuple[float, str | None] | None:
    """ "130 servicemen" → (130.0, "servicemen"); None when the text is not a number."""
    found = _NUMBER.match(text or "")
    if not found:
        return None
    return float(found["number"].replace(",", "")), found["unit"]


def value_fields(predicate_value_type: str, inp: ClaimInput) -> dict[str, Any]:
    """Map `--value` onto the typed value columns the predicate asks for."""
    if inp.object is not None and inp.value is not None:
        raise InvalidClaim("give either an object or a value, not both")
    if inp.object is not None and predicate_value_type != "entity":
        raise InvalidClaim(
            f"predicate {inp.predicate!r} takes a {predicate_value_type} value (--value), "
            "not an object"
        )
    if inp.value is None:
        return {}
    if predicate_value_type == "entity":
        raise InvalidClaim(f"predicate {inp.predicate!r} takes an object entity (--object)")
    if predicate_value_type == "number":
        if isinstance(inp.value, bool):
            raise InvalidClaim(f"not a number: {inp.value!r}")
        if isinstance(inp.value, int | float):
            number, unit = float(inp.value), inp.unit
        else:
            quantity = parse_number(str(inp.value))
            if quantity is None:
                raise InvalidClaim(f"predicate {inp.predicate!r} takes a number: {inp.value!r}")
            number, unit = quantity[0], inp.unit or quantity[1]
        if not math.isfinite(number):
            raise InvalidClaim(f"not a finite number: {inp.value!r}")
        return {"value_number": number, "value_unit": unit}
    if predicate_value_type == "date":
        day, _precision = parse_date(str(inp.value))
        return {"value_date": day}
    value = str(inp.value).strip()
    if not value:
        raise InvalidClaim("the value is empty")
    return {"value_text": value}


def add_claim(session: Session, inp: ClaimInput, notify: Notify | None = None) -> Claim:
    """Validate and store one claim with its spans, in the caller's transaction."""
    resolver = importer.Resolver(session, notify)
    ids, _ = importer.store(
        session, resolver, [importer.prepare(resolver, inp)], skip_duplicates=False
    )
    return get_claim(session, ids[0])


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


def _filtered(session: Session, f: ClaimFilter) -> Select[tuple[Claim]]:
    query = select(Claim)
    if f.subject:
        query = query.where(Claim.subject_id == get_entity(session, f.subject).id)
    if f.predicate:
        query = query.where(Claim.predicate_id == get_predicate(session, f.predicate).id)
    if f.object:
        query = query.where(Claim.object_id == get_entity(session, f.object).id)
    if f.doc or f.publication:
        cited = select(ClaimSpan.claim_id).join(Span).join(Document)
        if f.doc:
            document = get_document(session, f.doc)
            cited = cited.where(Document.slug == document.slug)
        if f.publication:
            cited = cited.join(Publication).where(Publication.name == f.publication)
        query = query.where(Claim.id.in_(cited))
    if f.since:
        query = query.where(Claim.time_latest >= parse_time(f.since).earliest)
    if f.until:
        query = query.where(Claim.time_earliest <= parse_time(f.until).latest)
    if f.text:
        query = query.where(fulltext.matches(session.get_bind().dialect.name, f.text))
    if f.status:
        query = query.where(Claim.status == f.status)
    return query


def list_claims(session: Session, f: ClaimFilter | None = None) -> list[Claim]:
    query = _filtered(session, f or ClaimFilter()).order_by(Claim.id)
    if f and f.limit:
        query = query.limit(f.limit)
    options = (
        selectinload(Claim.subject),
        selectinload(Claim.predicate),
        selectinload(Claim.object),
        selectinload(Claim.attributed_to),
        selectinload(Claim.spans).selectinload(Span.document).selectinload(Document.publication),
    )
    return list(session.scalars(query.options(*options)))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def value_dict(claim: Claim) -> dict[str, Any] | None:
    if claim.value_number is not None:
        return {"number": claim.value_number, "unit": claim.value_unit}
    if claim.value_date is not None:
        return {"date": _iso(claim.value_date)}
    if claim.value_text is not None:
        return {"text": claim.value_text}
    return None


def value_label(claim: Claim) -> str:
    """The object or value in words, for tables and explanations."""
    if claim.object is not None:
        return claim.object.name
    value = value_dict(claim) or {}
    if "number" in value:
        number = f"{value['number']:g}"
        return f"{number} {value['unit']}" if value["unit"] else number
    return str(value.get("date") or value.get("text") or "")


def span_dict(span: Span) -> dict[str, Any]:
    return {
        "id": span.id,
        "document": span.document.slug,
        "version": span.document.version,
        "start": span.start,
        "end": span.end,
        "exact": span.exact,
        "prefix": span.prefix,
        "suffix": span.suffix,
    }


def claim_dict(claim: Claim) -> dict[str, Any]:
    """The claim's JSON shape (DESIGN.md §4), stable for scripts."""
    return {
        "id": claim.id,
        "text": claim.text,
        "subject": claim.subject.name,
        "predicate": claim.predicate.name,
        "object": claim.object.name if claim.object else None,
        "value": value_dict(claim),
        "polarity": claim.polarity,
        "modality": claim.modality,
        "attributed_to": claim.attributed_to.name if claim.attributed_to else None,
        "time": None
        if claim.time_raw is None
        else {
            "raw": claim.time_raw,
            "earliest": _iso(claim.time_earliest),
            "latest": _iso(claim.time_latest),
            "precision": claim.time_precision,
            "anchor": _iso(claim.time_anchor),
        },
        "status": claim.status,
        "status_reason": claim.status_reason,
        "created_at": claim.created_at.isoformat(),
        "created_by": claim.created_by,
        "spans": [span_dict(span) for span in claim.spans],
    }


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
        shown["context"] = context(span.document.text, span.start, span.end)
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
