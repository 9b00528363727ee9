"""Curation: fixing what is already in the base, with history.

Entities are renamed, merged and given or relieved of aliases; a claim's fields and
quotes are edited in place (its id stays); a document's metadata is corrected (never
its text). Each function runs in the caller's transaction and writes audit events with
the state before and after, so `FactBase` makes each one command all or nothing.

What an edit means for triage: a claim's *compared* fields are those the conflict
rules read (subject, predicate, object/value, polarity, time interval). When they
change, decided conflicts of the claim reopen — the reviewer decided on other facts —
and open ones stay open until the next `check` resolves those whose rule no longer
fires. Other fields (text, quote, modality, attribution) leave decisions alone.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import Session

from . import audit, conflicts, importer
from .claims import ClaimInput, claim_dict, get_claim
from .errors import (
    DuplicateName,
    InvalidClaim,
    MetadataError,
    TimeExpressionError,
    UndatedDocument,
)
from .ingest import document_dict, get_document
from .models import Claim, ClaimSpan, Document, EntityAlias, Publication, Span
from .reading.timex import parse_date, parse_time, time_context
from .spans import make_match
from .vocabulary import (
    Notify,
    alias_key,
    checked_name,
    entity_dict,
    find_entity,
    get_entity,
)

# Entities -----------------------------------------------------------------------------


def rename_entity(
    session: Session, name: str, new_name: str, keep_old: bool = True
) -> dict[str, Any]:
    """Give an entity a new canonical name; the old one stays an alias unless `keep_old`
    is false, so scripts and imports that use it keep resolving."""
    entity = get_entity(session, name)
    new = checked_name(new_name, "entity")
    owner = find_entity(session, new)
    if owner is not None and owner is not entity:
        raise DuplicateName(
            f"{new!r} already names entity {owner.name!r}; if they are the same: "
            f"factbase entity merge {shlex.quote(entity.name)} --into {shlex.quote(owner.name)}"
        )
    if new == entity.name:
        raise MetadataError(f"entity {entity.name!r} is already called that")
    before = entity_dict(entity)
    old_key = alias_key(entity.name)
    by_key = {alias.key: alias for alias in entity.aliases}
    if alias_key(new) in by_key:  # an alias already (or the same name in other case)
        by_key[alias_key(new)].alias = new
    else:
        entity.aliases.append(EntityAlias(alias=new, key=alias_key(new)))
    if not keep_old and old_key != alias_key(new):
        entity.aliases.remove(by_key[old_key])
    entity.name = new
    session.flush()
    after = entity_dict(entity)
    audit.record(session, "rename", "entity", entity.id, before=before, after=after)
    conflicts.refresh_explanations(session, _claims_of(session, entity.id))
    return after


def merge_entities(
    session: Session, duplicate: str, canonical: str, notify: Notify | None = None
) -> dict[str, Any]:
    """Fold `duplicate` into `canonical`: its claims (as subject, object or attribution)
    and aliases move, its name becomes an alias, and the entity itself is deleted.

    Conflicts and corroborations of the moved claims are re-derived by the next check.
    """
    dup, into = get_entity(session, duplicate), get_entity(session, canonical)
    if dup is into:
        raise MetadataError(f"{duplicate!r} and {canonical!r} are the same entity {into.name!r}")
    before = {"duplicate": entity_dict(dup), "canonical": entity_dict(into)}
    moved = _claims_of(session, dup.id)
    for column in (Claim.subject_id, Claim.object_id, Claim.attributed_to_id):
        session.execute(
            update(Claim)
            .where(column == dup.id)
            .values({column.key: into.id})
            .execution_options(synchronize_session="fetch")
        )
    for alias in list(dup.aliases):
        into.aliases.append(alias)
    if dup.external_id and into.external_id and dup.external_id != into.external_id and notify:
        notify(
            f"kept {into.name!r}'s external id {into.external_id}; "
            f"{dup.name!r} had {dup.external_id}"
        )
    into.kind = into.kind or dup.kind
    into.external_id = into.external_id or dup.external_id
    session.flush()
    session.delete(dup)
    session.flush()
    after = entity_dict(into) | {"claims_moved": moved}
    audit.record(session, "merge", "entity", into.id, before=before, after=after)
    conflicts.refresh_explanations(session, moved)
    if notify and moved:
        notify(f"moved {len(moved)} claims; run `factbase check` to re-derive their conflicts")
    return after


def add_alias(session: Session, name: str, alias: str, notify: Notify | None = None) -> dict:
    """Give an entity another name it can be found by (case-insensitive, unique)."""
    entity = get_entity(session, name)
    alias = checked_name(alias, "alias")
    owner = find_entity(session, alias)
    if owner is entity:
        if notify:
            notify(f"{alias!r} already names entity {entity.name!r}: nothing changed")
        return entity_dict(entity)
    if owner is not None:
        raise DuplicateName(f"alias {alias!r} already names entity {owner.name!r}")
    before = entity_dict(entity)
    entity.aliases.append(EntityAlias(alias=alias, key=alias_key(alias)))
    session.flush()
    after = entity_dict(entity)
    audit.record(session, "alias add", "entity", entity.id, before=before, after=after)
    return after


def remove_alias(session: Session, name: str, alias: str) -> dict[str, Any]:
    """Take an alias away from an entity; its canonical name cannot be removed."""
    entity = get_entity(session, name)
    key = alias_key(alias)
    if key == alias_key(entity.name):
        raise MetadataError(
            f"{alias!r} is the name of entity {entity.name!r}: rename it instead "
            "(factbase entity rename)"
        )
    found = next((a for a in entity.aliases if a.key == key), None)
    if found is None:
        raise MetadataError(f"{alias!r} is not an alias of entity {entity.name!r}")
    before = entity_dict(entity)
    entity.aliases.remove(found)
    session.flush()
    after = entity_dict(entity)
    audit.record(session, "alias remove", "entity", entity.id, before=before, after=after)
    return after


def _claims_of(session: Session, entity_id: int) -> list[int]:
    """Claims naming the entity as subject, object or who says it."""
    return list(
        session.scalars(
            select(Claim.id)
            .where(
                or_(
                    Claim.subject_id == entity_id,
                    Claim.object_id == entity_id,
                    Claim.attributed_to_id == entity_id,
                )
            )
            .order_by(Claim.id)
        )
    )


# Claims ---------------------------------------------------------------------------------


@dataclass
class ClaimEdit:
    """The fields `claim edit` may change; None leaves a field as it is.

    An empty string clears `when` and `attributed_to`. `object` and `value` replace each
    other; `quote` replaces every span (quotes are looked up in the claim's document).
    """

    text: str | None = None
    subject: str | None = None
    predicate: str | None = None
    object: str | None = None
    value: str | float | None = None
    unit: str | None = None
    when: str | None = None
    negated: bool | None = None
    modality: str | None = None
    attributed_to: str | None = None
    quote: list[str] | None = None
    occurrence: int | None = None

    def given(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name) is not None]


# What the conflict rules compare: a change here may unmake a reviewer's decision.
COMPARED = (
    "subject_id",
    "predicate_id",
    "object_id",
    "value_text",
    "value_number",
    "value_unit",
    "value_date",
    "polarity",
    "time_earliest",
    "time_latest",
)
_DATE_COLUMNS = {"value_date", "time_earliest", "time_latest", "time_anchor"}


def _merged_input(claim: Claim, edit: ClaimEdit, slug: str) -> ClaimInput:
    """The claim as it will be: its stored fields overridden by the edit's."""
    if edit.object is not None and edit.value is not None:
        raise InvalidClaim("give either an object or a value, not both")
    obj: str | None = claim.object.name if claim.object else None
    value: str | float | None = None
    unit = claim.value_unit
    if claim.value_number is not None:
        value = claim.value_number
    elif claim.value_date is not None:
        value = claim.value_date.isoformat()
    elif claim.value_text is not None:
        value = claim.value_text
    if edit.object is not None:
        obj, value, unit = edit.object, None, None
    elif edit.value is not None:
        obj, value, unit = None, edit.value, edit.unit
    elif edit.unit is not None:
        unit = edit.unit
    when = claim.time_raw if edit.when is None else edit.when
    attributed = claim.attributed_to.name if claim.attributed_to else None
    if edit.attributed_to is not None:
        attributed = edit.attributed_to or None
    return ClaimInput(
        text=claim.text if edit.text is None else edit.text,
        doc=slug,
        quote=edit.quote or [span.exact for span in claim.spans],
        subject=claim.subject.name if edit.subject is None else edit.subject,
        predicate=claim.predicate.name if edit.predicate is None else edit.predicate,
        object=obj,
        value=value,
        unit=unit,
        when=when or None,
        negated=(claim.polarity == "negated") if edit.negated is None else edit.negated,
        modality=claim.modality if edit.modality is None else edit.modality,
        attributed_to=attributed,
        occurrence=edit.occurrence,
    )


def _python(column: str, value: Any) -> Any:
    """A prepared (driver-ready) value as the ORM takes it: SQLite's dates are ISO text."""
    if column in _DATE_COLUMNS and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def edit_claim(
    session: Session, claim_id: int, edit: ClaimEdit, notify: Notify | None = None
) -> dict[str, Any]:
    """Change a claim in place, validated exactly as `claim add` validates a new one.

    Returns the claim's JSON with `changed` (the fields that changed) and `reopened`
    (ids of decided conflicts sent back to the queue because compared fields changed).
    """
    if not edit.given():
        raise InvalidClaim("nothing to change: give at least one field to edit")
    if edit.occurrence is not None and edit.quote is None:
        raise InvalidClaim("--occurrence picks among the occurrences of a new --quote")
    claim = get_claim(session, claim_id)
    if not claim.spans:
        raise InvalidClaim(f"claim {claim_id} cites no span to edit")
    document = claim.spans[0].document
    before = claim_dict(claim)
    inp = _merged_input(claim, edit, f"{document.slug}@{document.version}")
    resolver = importer.Resolver(session, notify)
    kept = None if edit.quote else [make_match(document.text, s.start, s.end) for s in claim.spans]
    prepared = importer.prepare(resolver, inp, matches=kept)
    importer.resolve_names(resolver, [prepared])
    values = {k: v for k, v in prepared.values.items() if k != "status"}  # edits keep it
    changed = [
        column
        for column, value in values.items()
        if getattr(claim, column) != _python(column, value)
    ]
    old_spans = [span.id for span in claim.spans]
    if edit.quote:
        importer.assign_spans(resolver, [prepared])
        if sorted(prepared.spans) != sorted(old_spans):
            changed.append("spans")
    if not changed:
        if notify:
            notify(f"claim {claim_id} unchanged: it already says that")
        return before | {"changed": [], "reopened": []}
    for column in changed:
        if column != "spans":
            setattr(claim, column, _python(column, values[column]))
    session.flush()
    session.expire(claim)  # its relationships (subject, spans…) follow the new ids
    if "spans" in changed:
        session.execute(delete(ClaimSpan).where(ClaimSpan.claim_id == claim.id))
        session.add_all(ClaimSpan(claim_id=claim.id, span_id=s) for s in prepared.spans)
        session.flush()
        _drop_uncited(session, old_spans)
        session.expire(claim)
    reopened: list[int] = []
    compared = [c for c in changed if c in COMPARED]
    if compared:
        names = ", ".join(dict.fromkeys(_field_name(c) for c in compared))
        why = f"claim {claim.id} edited: {names} changed"
        reopened = [c.id for c in conflicts.reopen_for_claims(session, [claim.id], why)]
        if notify:
            for conflict_id in reopened:
                notify(f"conflict {conflict_id} reopened: {why}")
    conflicts.refresh_explanations(session, [claim.id])
    after = claim_dict(claim)
    audit.record(session, "edit", "claim", claim.id, before=before, after=after)
    if notify:
        for problem in prepared.unstated:
            notify(f"{problem}; the claim is stored")
    names = sorted({_field_name(c) for c in changed})
    return after | {"changed": names, "reopened": reopened}


def _field_name(column: str) -> str:
    """The user's word for a column ("value_number" → "value", "time_latest" → "when")."""
    if column.startswith("value_"):
        return "value"
    if column.startswith("time_"):
        return "when"
    return {"subject_id": "subject", "predicate_id": "predicate", "object_id": "object"}.get(
        column, column.removesuffix("_id")
    )


def _drop_uncited(session: Session, span_ids: list[int]) -> None:
    """Delete spans no claim cites any more: a span exists to anchor a claim's quote."""
    cited = exists().where(ClaimSpan.span_id == Span.id)
    session.execute(delete(Span).where(Span.id.in_(span_ids), ~cited))


# Documents --------------------------------------------------------------------------------


@dataclass
class DocumentEdit:
    """Metadata `doc edit` may change; None leaves it, an empty string clears it."""

    date: str | None = None
    title: str | None = None
    publication: str | None = None
    volume: str | None = None
    issue: str | None = None
    authors: str | None = None
    url: str | None = None

    def given(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name) is not None]


def edit_document(
    session: Session, slug: str, edit: DocumentEdit, notify: Notify | None = None
) -> dict[str, Any]:
    """Correct a document's metadata; a new date re-resolves the times of its claims.

    Returns the document's JSON with `changed` and `retimed`: each claim whose time
    interval moved, with its time before and after.
    """
    if not edit.given():
        raise MetadataError("nothing to change: give at least one field to edit")
    document = get_document(session, slug)
    before = document_dict(document)
    for key in ("title", "volume", "issue", "authors", "url"):
        value = getattr(edit, key)
        if value is not None:
            setattr(document, key, value.strip() or None)
    if edit.publication is not None:
        document.publication = _publication(session, edit.publication.strip())
    if edit.date is not None:
        _set_date(document, edit.date.strip())
    session.flush()
    after = document_dict(document)
    changed = [key for key in after if after[key] != before[key]]
    if not changed:
        if notify:
            notify(f"document {document.slug!r} unchanged")
        return after | {"changed": [], "retimed": []}
    audit.record(session, "edit", "document", document.id, before=before, after=after)
    citing = _cited_by(session, document.id)
    redated = "date" in changed or "date_precision" in changed
    retimed = _retime(session, document, citing, notify) if redated else []
    conflicts.refresh_explanations(session, citing)
    return after | {"changed": changed, "retimed": retimed}


def _publication(session: Session, name: str) -> Publication | None:
    if not name:
        return None
    found = session.scalar(select(Publication).where(Publication.name == name))
    if found is None:
        found = Publication(name=name)
        session.add(found)
        session.flush()
        audit.record(session, "create", "publication", found.id, after={"name": name})
    return found


def _set_date(document: Document, text: str) -> None:
    if not text:
        document.date = document.date_precision = document.date_source = None
        document.date_note = None
        return
    try:
        document.date, document.date_precision = parse_date(text)
    except TimeExpressionError as error:
        raise MetadataError(f"bad date {text!r}: {error}") from None
    document.date_source, document.date_note = "given", "given with `factbase doc edit`"


def _cited_by(session: Session, document_id: int) -> list[int]:
    return list(
        session.scalars(
            select(ClaimSpan.claim_id)
            .join(Span, Span.id == ClaimSpan.span_id)
            .where(Span.document_id == document_id)
            .distinct()
        )
    )


def _retime(
    session: Session, document: Document, citing: list[int], notify: Notify | None
) -> list[dict]:
    """Resolve again the time of every claim citing the document, against its new date."""
    claims = session.scalars(
        select(Claim).where(Claim.id.in_(citing), Claim.time_raw.is_not(None)).order_by(Claim.id)
    ).all()
    retimed = []
    for claim in claims:
        assert claim.time_raw is not None
        old = claim_dict(claim)
        try:
            time = parse_time(
                claim.time_raw,
                anchor=document.date,
                anchor_precision=document.date_precision or "day",
                context=time_context(claim.time_raw, [span.exact for span in claim.spans]),
            )
        except (TimeExpressionError, UndatedDocument) as error:  # the date was cleared
            raise MetadataError(
                f"claim {claim.id}'s time {claim.time_raw!r} needs the document's date: {error}"
            ) from None
        new = (time.earliest, time.latest, time.precision, time.anchor)
        if new == (claim.time_earliest, claim.time_latest, claim.time_precision, claim.time_anchor):
            continue
        interval_moved = (time.earliest, time.latest) != (claim.time_earliest, claim.time_latest)
        claim.time_earliest, claim.time_latest, claim.time_precision, claim.time_anchor = new
        session.flush()
        after = claim_dict(claim)
        audit.record(session, "retime", "claim", claim.id, before=old, after=after)
        if interval_moved:
            retimed.append({"id": claim.id, "before": old["time"], "after": after["time"]})
            why = f"claim {claim.id} edited: when changed (document {document.slug!r} redated)"
            for conflict in conflicts.reopen_for_claims(session, [claim.id], why):
                if notify:
                    notify(f"conflict {conflict.id} reopened: {why}")
    return retimed
