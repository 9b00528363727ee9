"""Source reliability and the most likely values: truth discovery over the fact base.

The methods themselves are pure functions in ``truth.py`` (TruthFinder, CRH, vote, name
lists) and the claims become their input in ``slots.py``; this module reads the base and
turns their output into trust per publication, confidence per claim and the most likely
value per subject and predicate.

``sources`` and ``truth`` are analyses and run truth discovery over the whole base when
asked. A claim's confidence (``claim show``, ``claim list --json``) is read on a hot path
instead: it comes from the claim's slot alone and the trust ``factbase check`` stored
(``claim_confidence``).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable
from typing import Any

from sqlalchemy import case, func, select, tuple_
from sqlalchemy.orm import Session, selectinload

from .conflicts import blocks, decisions, document_sources, facts_query, vocabulary_rules
from .models import (
    Claim,
    ClaimSpan,
    Conflict,
    CorroboratedClaim,
    Document,
    Event,
    Publication,
    SourceTrust,
    Span,
)
from .slots import Slots, Source
from .truth import INITIAL_TRUST
from .values import value_dict
from .vocabulary import get_entity, get_predicate


def conflict_slots(session: Session) -> Slots:
    """Active claims as {slot: {fact: {source}}}; a source is a publication id.

    A cited document without a publication is a source of its own, ("document", id).
    """
    predicates, _pairs = vocabulary_rules(session)
    source_of = document_sources(session)
    slots = Slots(predicates, decisions(session))
    for block in blocks(session.connection()):
        for claim in block:
            slots.add(claim, (source_of[d] for d in claim.documents))
    return slots


def publication_trust(session: Session, method: str = "truthfinder") -> dict[int, float]:
    """Trust per publication id by *method*; publications without evidence get t0."""
    result = conflict_slots(session).run(method)
    return {
        publication_id: result.trust.get(publication_id, INITIAL_TRUST)
        for publication_id in session.scalars(select(Publication.id))
    }


def publication_trust_by_name(session: Session) -> dict[str, float]:
    """TruthFinder trust per publication name, rounded to 4 places (as reports show it)."""
    names = dict(session.execute(select(Publication.id, Publication.name)).all())
    return {names[pid]: round(t, 4) for pid, t in publication_trust(session).items()}


def stored_trust(session: Session) -> dict[Source, float]:
    """The trust per source that the last ``factbase check`` stored ({} before any)."""
    return {
        publication_id if publication_id is not None else ("document", document_id): trust
        for publication_id, document_id, trust in session.execute(
            select(SourceTrust.publication_id, SourceTrust.document_id, SourceTrust.trust)
        )
    }


def claim_confidence(session: Session, claim_ids: Collection[int]) -> dict[int, float | None]:
    """The TruthFinder confidence of the active claims among *claim_ids*, from stored trust.

    Reads the claims of the listed claims' slots (same subject and predicate) in one query,
    then computes each slot alone (``Slots.confidence``): the cost grows with those slots,
    not with the base. None where a slot has a source without stored trust (no check
    since it came); claims that are not active are left out.
    """
    trust = stored_trust(session)
    if not trust or not claim_ids:
        return {}
    predicates, _pairs = vocabulary_rules(session)
    listed = select(Claim.subject_id, Claim.predicate_id).where(Claim.id.in_(claim_ids))
    # A cited document's source, coded as one integer: its publication id, or minus the
    # document's id when it has none (ids are positive).
    source = case(
        (Document.publication_id.is_(None), -Span.document_id), else_=Document.publication_id
    )
    query = (
        select(*facts_query().selected_columns[:-1], source)
        .join(ClaimSpan, ClaimSpan.claim_id == Claim.id)
        .join(Span, Span.id == ClaimSpan.span_id)
        .join(Document, Document.id == Span.document_id)
        .where(
            Claim.status == "active",
            tuple_(Claim.subject_id, Claim.predicate_id).in_(listed),
        )
        .order_by(Claim.subject_id, Claim.id)
    )
    slots = Slots(predicates, decisions(session))
    for block in blocks(session.connection(), query):
        for claim in block:
            slots.add(claim, (w if w > 0 else ("document", -w) for w in claim.documents))
    wanted = set(claim_ids)
    return {cid: score for cid, score in slots.confidence(trust).items() if cid in wanted}


# The most likely values --------------------------------------------------------------------


def truth_values(
    session: Session,
    method: str = "truthfinder",
    subject: str | None = None,
    predicate: str | None = None,
) -> list[dict[str, Any]]:
    """The most likely values of single-valued predicates, per subject and predicate.

    In each slot, facts are taken by confidence, highest first; a fact is shown unless a
    fact already shown is its rival (imp < 0 either way, or another name list), and a fact
    that agrees with one shown (imp > 0 both ways: "2006" and "August 2006") adds its claims
    to it. Facts that neither agree nor compete (one office holder in 1999, another in 2004)
    are both shown. Sorted by subject and predicate name, then by confidence.
    """
    subject_id = get_entity(session, subject).id if subject else None
    predicate_id = get_predicate(session, predicate).id if predicate else None
    slots = conflict_slots(session)
    result = slots.run(method)
    chosen: list[tuple[float, list[int]]] = []
    for slot, facts in slots.facts.items():
        if (
            len(slot) != 2
            or subject_id not in (None, slot[0])
            or predicate_id not in (None, slot[1])
        ):
            continue  # not a single-valued predicate's slot, or filtered out
        confidence = result.confidence[slot]
        shown: list[tuple[Hashable, list[int]]] = []
        for fact in sorted(facts, key=lambda f: (-confidence[f], repr(f))):
            ids = [claim.id for claim in slots.claims[(slot, fact)]]
            imp = [
                (slots.implication(slot, k, fact), slots.implication(slot, fact, k))
                for k, _ in shown
            ]
            if any(
                x < 0 or y < 0 or fact[1][0] == k[1][0] == "names"
                for (k, _), (x, y) in zip(shown, imp, strict=True)
            ):
                continue
            for (_fact, claim_ids), (x, y) in zip(shown, imp, strict=True):
                if x > 0 and y > 0:
                    claim_ids.extend(ids)
                    break
            else:
                shown.append((fact, ids))
        chosen += [(confidence[fact], sorted(ids)) for fact, ids in shown]
    return _value_rows(session, chosen)


def _value_rows(session: Session, chosen: list[tuple[float, list[int]]]) -> list[dict[str, Any]]:
    """The JSON rows of the chosen facts, each shown by its first claim's words."""
    first = {ids[0] for _, ids in chosen}
    claims = {
        claim.id: claim
        for claim in session.scalars(
            select(Claim)
            .where(Claim.id.in_(first))
            .options(
                selectinload(Claim.subject),
                selectinload(Claim.predicate),
                selectinload(Claim.object),
            )
        )
    }
    rows = []
    for confidence, ids in chosen:
        claim = claims[ids[0]]
        row: dict[str, Any] = {"subject": claim.subject.name, "predicate": claim.predicate.name}
        if claim.object is not None:
            row["object"] = claim.object.name
        else:
            row["value"] = value_dict(claim)
        if claim.polarity == "negated":
            row["negated"] = True
        if claim.time_raw is not None:
            row["when"] = claim.time_raw
        rows.append(row | {"confidence": round(confidence, 4), "claims": ids})
    rows.sort(key=lambda r: (r["subject"], r["predicate"], -r["confidence"], r["claims"]))
    return rows


# The report --------------------------------------------------------------------------------


def source_report(session: Session, method: str = "truthfinder") -> list[dict[str, Any]]:
    """One row per publication, by name: what the base holds from it and how it fares.

    * ``documents`` — documents (slugs; versions count once) of the publication;
    * ``claims`` — active claims citing its documents;
    * ``corroborated`` — those of its active claims in a corroborating pair;
    * ``in_open_conflict`` — those of its active claims in an open conflict (claims,
      like the report's "in open conflict" column);
    * ``decided_for`` — conflicts involving its claims that were *dismissed*: judged not
      a real disagreement, so the publication's claim stands;
    * ``decided_against`` — conflicts involving its claims that were *confirmed*: the
      sources really disagree, so at least one of them is wrong. Which side is wrong is
      not recorded, so a confirmed conflict counts against both publications;
    * ``trust`` — the trust *method* (TruthFinder by default) gives it over the slots of the
      whole base (module docstring), rounded to 4 places; t0 (0.9) for a publication whose
      claims nobody else corroborates or contradicts.

    ``decided_for`` and ``decided_against`` count conflicts (once each, also when both
    claims come from the same publication), whatever the claims' status now; resolved
    conflicts (no longer detected) count in neither.
    """
    names = dict(session.execute(select(Publication.id, Publication.name)).all())
    documents = dict(
        session.execute(
            select(Document.publication_id, func.count(func.distinct(Document.slug)))
            .where(Document.publication_id.is_not(None))
            .group_by(Document.publication_id)
        ).all()
    )
    cited = session.execute(
        select(Document.publication_id, Claim.id, Claim.status)
        .join(Span, Span.document_id == Document.id)
        .join(ClaimSpan, ClaimSpan.span_id == Span.id)
        .join(Claim, Claim.id == ClaimSpan.claim_id)
        .where(Document.publication_id.is_not(None))
        .distinct()
    ).all()
    active: dict[int, set[int]] = {pid: set() for pid in names}
    publications_of: dict[int, set[int]] = {}
    for publication_id, claim_id, status in cited:
        publications_of.setdefault(claim_id, set()).add(publication_id)
        if status == "active":
            active[publication_id].add(claim_id)
    corroborated = set(session.scalars(select(CorroboratedClaim.claim_id)))
    in_open: set[int] = set()
    decided = {"dismissed": dict.fromkeys(names, 0), "confirmed": dict.fromkeys(names, 0)}
    for a, b, status in session.execute(
        select(Conflict.claim_a_id, Conflict.claim_b_id, Conflict.status)
    ):
        if status == "open":
            in_open.update((a, b))
        elif status in decided:
            for publication_id in publications_of.get(a, set()) | publications_of.get(b, set()):
                decided[status][publication_id] += 1
    trust = publication_trust(session, method)
    return [
        {
            "publication": name,
            "documents": documents.get(publication_id, 0),
            "claims": len(active[publication_id]),
            "corroborated": len(active[publication_id] & corroborated),
            "in_open_conflict": len(active[publication_id] & in_open),
            "decided_for": decided["dismissed"][publication_id],
            "decided_against": decided["confirmed"][publication_id],
            "trust": round(trust[publication_id], 4),
        }
        for publication_id, name in sorted(names.items(), key=lambda item: item[1])
    ]


# Stored trust, for screens ------------------------------------------------------------------


def trust_state(session: Session) -> dict[str, Any]:
    """When the stored trust was computed and whether the base changed since.

    ``{"checked_at": ISO time | None, "stale": bool}``: ``checked_at`` is None before any
    full ``factbase check``; ``stale`` is true when any audited change (a claim, a document,
    a decision…) came after the last full check, so the numbers may no longer be what truth
    discovery would give. Reads the newest events only: checks are recent in the log.
    """
    checked_at = session.scalar(select(func.max(SourceTrust.checked_at)))
    if checked_at is None:
        return {"checked_at": None, "stale": False}
    last_full = None
    checks = select(Event.id, Event.after).where(Event.action == "check").order_by(Event.id.desc())
    for event_id, after in session.execute(checks):
        if (after or {}).get("full"):
            last_full = event_id
            break
    later = select(Event.id).where(Event.id > (last_full or 0)).limit(1)
    return {
        "checked_at": checked_at.isoformat(),
        "stale": last_full is None or session.scalar(later) is not None,
    }


def _publications_of_claims(claim_ids: Any, active_only: bool) -> Any:
    """(publication id, claim id) of the claims in the *claim_ids* subquery that cite a
    publication's document: a join that starts from those claims (the claim_spans index)."""
    query = (
        select(Document.publication_id.label("pid"), ClaimSpan.claim_id.label("claim_id"))
        .join(Span, Span.id == ClaimSpan.span_id)
        .join(Document, Document.id == Span.document_id)
        .where(ClaimSpan.claim_id.in_(claim_ids), Document.publication_id.is_not(None))
    )
    if active_only:
        query = query.join(Claim, Claim.id == ClaimSpan.claim_id).where(Claim.status == "active")
    return query.subquery()


def claims_in_conflict(session: Session, status: str) -> dict[int, int]:
    """Per publication id: its active claims in a conflict of *status*.

    Starts from the conflicts (thousands at 1M claims), not from the cited spans."""
    involved = (
        select(Conflict.claim_a_id)
        .where(Conflict.status == status)
        .union(select(Conflict.claim_b_id).where(Conflict.status == status))
    )
    cited = _publications_of_claims(involved, active_only=True)
    query = select(cited.c.pid, func.count(func.distinct(cited.c.claim_id))).group_by(cited.c.pid)
    return dict(session.execute(query).all())


def _decided(session: Session) -> dict[str, dict[int, int]]:
    """Per decision (dismissed, confirmed): conflicts per publication id of either claim,
    each conflict once per publication, whatever the claims' status now."""
    decided = Conflict.status.in_(("dismissed", "confirmed"))
    involved = (
        select(Conflict.claim_a_id).where(decided).union(select(Conflict.claim_b_id).where(decided))
    )
    cited = _publications_of_claims(involved, active_only=False)
    sides = (
        select(Conflict.id, Conflict.status, cited.c.pid)
        .join(cited, cited.c.claim_id == Conflict.claim_a_id)
        .where(decided)
        .union(
            select(Conflict.id, Conflict.status, cited.c.pid)
            .join(cited, cited.c.claim_id == Conflict.claim_b_id)
            .where(decided)
        )
        .subquery()
    )
    counts: dict[str, dict[int, int]] = {"dismissed": {}, "confirmed": {}}
    for pid, status, n in session.execute(
        select(sides.c.pid, sides.c.status, func.count()).group_by(sides.c.pid, sides.c.status)
    ):
        counts[status][pid] = n
    return counts


def source_counts(session: Session) -> dict[int, dict[str, int | None]]:
    """``source_report``'s evidence counts per publication id, without reading every
    cited claim: active and corroborated claims as the last full check stored them (None
    where it stored none), the rest by grouped queries over the documents and conflicts."""
    stored = {
        pid: (claims, corroborated)
        for pid, claims, corroborated in session.execute(
            select(SourceTrust.publication_id, SourceTrust.claims, SourceTrust.corroborated).where(
                SourceTrust.publication_id.is_not(None)
            )
        )
    }
    documents = dict(
        session.execute(
            select(Document.publication_id, func.count(func.distinct(Document.slug)))
            .where(Document.publication_id.is_not(None))
            .group_by(Document.publication_id)
        ).all()
    )
    in_open = claims_in_conflict(session, "open")
    decided = _decided(session)
    return {
        pid: {
            "documents": documents.get(pid, 0),
            "claims": stored.get(pid, (None, None))[0],
            "corroborated": stored.get(pid, (None, None))[1],
            "in_open_conflict": in_open.get(pid, 0),
            "decided_for": decided["dismissed"].get(pid, 0),
            "decided_against": decided["confirmed"].get(pid, 0),
        }
        for pid in session.scalars(select(Publication.id))
    }


def stored_source_report(session: Session) -> dict[str, Any]:
    """``source_report``'s rows with the TruthFinder trust ``factbase check`` stored.

    For screens that must answer at once on a large base: no truth discovery here, and
    the claim counts are the check's too (``source_counts``).
    ``{"rows": [...], "checked_at", "stale"}`` (``trust_state``); a row's ``trust`` is
    None where no check stored one (a publication added since, or no check yet).
    """
    names = dict(session.execute(select(Publication.id, Publication.name)).all())
    trust = stored_trust(session)
    counts = source_counts(session)
    rows = [
        {"publication": name}
        | counts[publication_id]
        | {"trust": round(trust[publication_id], 4) if publication_id in trust else None}
        for publication_id, name in sorted(names.items(), key=lambda item: item[1])
    ]
    return {"rows": rows} | trust_state(session)
