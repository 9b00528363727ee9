"""Source reliability and the most likely values: truth discovery over the fact base.

The methods themselves are pure functions in ``truth.py`` (TruthFinder, CRH, vote, name
lists); this module builds their input from the base and turns their output into trust per
publication, confidence per claim and the most likely value per subject and predicate.

Each active claim is a fact provided by the publications of the documents it cites, in the
slot where its competitors are:

* single-valued predicates: one slot per (subject, predicate), so different values
  compete ("4526 43rd Street" vs "4516 43rd Street");
* other predicates (events, multi-valued states and attributes): one slot per
  (subject, predicate, object/value), so only times and polarity compete
  (Uzbekistan left the CSTO in 1999 vs in 1995-1997). Numbers are grouped by base
  unit, so that values within the predicate's tolerance meet in one slot.

A fact is the claim's polarity, normalised object/value (``rules.normalize_value``,
``rules.normalize_quantity``; a literal that reads as people's names is its
``truth.name_key``, so "Knuth, Donald E." and "D. E. Knuth" are one fact) and time interval;
claims with the same fact key are one fact with several sources. imp(f′ → f):

* a reviewer's decision first: when every conflict recorded between the claims of two facts
  was dismissed they do not count against each other (0); a confirmed one counts −1;
* name lists that can hold at once (same polarity, overlapping times):
  ``truth.name_support(f′, f)`` − ``truth.BASE_SIMILARITY`` (a truncated list supports the
  full one, strangers exclude each other);
* otherwise the conflict rules: −1 when ``rules.conflicts`` fires for the pair (negation,
  single value, numeric, event date), +1 when they agree as corroborating claims do (same
  polarity, same value within tolerance, overlapping times: "2006" and "August 2006"),
  0 otherwise (Sergeev as defence minister in 1999 and Ivanov in 2004 are different facts,
  not rivals).

CRH's distance is (1 − imp) / 2, and ``truth.name_distance`` between name lists. The methods
run through ``truth.discover``: per connected component and over the slots with evidence
only, which is why documents about other subjects leave existing trust unchanged.
Declared-exclusive predicates are not modelled (they would join slots across predicates).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .conflicts import blocks, vocabulary_rules
from .errors import FactbaseError
from .models import Claim, ClaimSpan, Conflict, Corroboration, Document, Publication, Span
from .rules import (
    ClaimFacts,
    PredicateInfo,
    conflicts,
    normalize_quantity,
    normalize_value,
    same_value,
    times_overlap,
)
from .truth import (
    BASE_SIMILARITY,
    INITIAL_TRUST,
    METHODS,
    TruthResult,
    discover,
    is_name_list,
    name_distance,
    name_key,
    name_support,
)
from .values import value_dict
from .vocabulary import get_entity, get_predicate


class UnknownMethod(FactbaseError):
    "No such truth-discovery method"


# Slots of the fact base -------------------------------------------------------------------


def _value_fact(claim: ClaimFacts) -> tuple[Hashable, ...]:
    """A claim's object/value, normalised as the rules compare it."""
    if claim.object is not None:
        return ("object", claim.object)
    if claim.number is not None:
        return ("number", *normalize_quantity(claim.number, claim.unit))
    if claim.date_value is not None:
        return ("date", claim.date_value)
    if claim.value is not None:
        if is_name_list(claim.value):
            return ("names", name_key(claim.value))
        return ("value", normalize_value(claim.value))
    return ("none",)


def _slot_value(value: tuple[Hashable, ...]) -> tuple[Hashable, ...]:
    """The part of a value that places a claim of a multi-valued predicate in its slot."""
    return ("number", value[2]) if value[0] == "number" else value


def _when(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass
class Slots:
    """The fact base as truth-discovery input, with the rules (and triage) as imp(f′ → f)."""

    facts: dict[Hashable, dict[Hashable, set[Hashable]]]
    claims: dict[tuple[Hashable, Hashable], list[ClaimFacts]]  # (slot, fact) -> its claims
    predicates: dict[int, PredicateInfo]
    decisions: dict[tuple[int, int], set[str]]  # (lower, higher claim id) -> conflict statuses

    def implication(self, slot: Hashable, f_prime: Hashable, f: Hashable) -> float:
        """imp(f′ → f) in [−1, 1]: a decision, else name support, else the rules (module doc)."""
        decided = self._decided(slot, f_prime, f)
        if decided == {"dismissed"}:
            return 0.0
        if "confirmed" in decided:
            return -1.0
        a, b = self.claims[(slot, f_prime)][0], self.claims[(slot, f)][0]
        value_a, value_b = f_prime[1], f[1]
        if value_a[0] == value_b[0] == "names":
            if a.negated != b.negated or not times_overlap(a, b):
                return 0.0
            return name_support(value_a[1], value_b[1]) - BASE_SIMILARITY
        if conflicts(a, b, self.predicates, frozenset()):
            return -1.0
        tolerance = self.predicates[a.predicate].tolerance
        both_bare = value_a == value_b == ("none",)
        agree = both_bare or same_value(a, b, tolerance) is True
        return 1.0 if a.negated == b.negated and agree and times_overlap(a, b) else 0.0

    def distance(self, slot: Hashable, f: Hashable, g: Hashable) -> float:
        """CRH's d(f, g) in [0, 1]: name distance between name lists, else (1 − imp) / 2."""
        value_f, value_g = f[1], g[1]
        if value_f[0] == value_g[0] == "names" and not self._decided(slot, f, g):
            return name_distance(value_f[1], value_g[1])
        return (1.0 - self.implication(slot, f, g)) / 2

    def _decided(self, slot: Hashable, f_prime: Hashable, f: Hashable) -> set[str]:
        """The statuses of the conflicts recorded between the claims of two facts."""
        statuses: set[str] = set()
        for x in self.claims[(slot, f_prime)]:
            for y in self.claims[(slot, f)]:
                statuses |= self.decisions.get((min(x.id, y.id), max(x.id, y.id)), set())
        statuses -= {"resolved", "open"}  # resolved: no longer detected; open: undecided
        return statuses

    def run(self, method: str = "truthfinder") -> TruthResult:
        """Truth discovery by *method* (truthfinder, crh or vote) over these slots."""
        if method not in METHODS:
            raise UnknownMethod(f"unknown method {method!r}: use one of {', '.join(METHODS)}")
        return discover(self.facts, method, implication=self.implication, distance=self.distance)


def conflict_slots(session: Session) -> Slots:
    """Active claims as {slot: {fact: {source}}}; a source is a publication id.

    A cited document without a publication is a source of its own, ("document", id).
    """
    predicates, _pairs = vocabulary_rules(session)
    publication_of = {
        document_id: publication_id if publication_id is not None else ("document", document_id)
        for document_id, publication_id in session.execute(
            select(Document.id, Document.publication_id)
        )
    }
    decisions: dict[tuple[int, int], set[str]] = {}
    for a, b, status in session.execute(
        select(Conflict.claim_a_id, Conflict.claim_b_id, Conflict.status)
    ):
        decisions.setdefault((a, b), set()).add(status)
    slots = Slots({}, {}, predicates, decisions)
    for block in blocks(session.connection()):
        for claim in block:
            value = _value_fact(claim)
            if predicates[claim.predicate].single_valued:
                slot: Hashable = (claim.subject, claim.predicate)
            else:
                slot = (claim.subject, claim.predicate, _slot_value(value))
            fact = (claim.negated, value, _when(claim.earliest), _when(claim.latest))
            sources = slots.facts.setdefault(slot, {}).setdefault(fact, set())
            sources.update(publication_of[d] for d in claim.documents)
            slots.claims.setdefault((slot, fact), []).append(claim)
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


def claim_confidence(session: Session, method: str = "truthfinder") -> dict[int, float]:
    """The confidence of every active claim: that of the fact it states, in [0, 1]."""
    slots = conflict_slots(session)
    result = slots.run(method)
    return {
        claim.id: result.confidence[slot][fact]
        for (slot, fact), claims in slots.claims.items()
        for claim in claims
    }


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
    corroborated = {
        claim_id
        for pair in session.execute(select(Corroboration.claim_a_id, Corroboration.claim_b_id))
        for claim_id in pair
    }
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
