"""Source reliability: per-publication counts and a TruthFinder trust score.

``truthfinder`` is a pure implementation of TruthFinder (Yin, Han & Yu, "Truth
Discovery with Multiple Conflicting Information Providers on the Web", KDD 2007;
IEEE TKDE 20(6), 2008). Sources (here: publications) provide facts about objects
(here: conflict *slots*); a source is trustworthy when the facts it provides are
probably true, and a fact is probably true when trustworthy sources provide it and
the facts competing with it are weakly supported. The two are computed in turn:

* trustworthiness score   τ(w) = −ln(1 − t(w))
* confidence score        σ(f) = Σ τ(w) over the sources w that provide f
* adjusted by the other facts f′ of the same slot
                          σ*(f) = σ(f) + ρ · Σ_{f′ ≠ f} σ(f′) · imp(f′ → f)
* fact confidence         s(f)  = 1 / (1 + e^(−γ · σ*(f)))
* source trustworthiness  t(w)  = the mean of s(f) over the facts w provides

starting from t(w) = t0 for every source, until the trust vector stops changing
direction: cos(t_before, t_after) ≥ 1 − δ, or after ``max_iterations`` updates.

Parameters (the paper's defaults; the iteration cap is ours):

============== ======= ===============================================================
parameter      default meaning
============== ======= ===============================================================
initial_trust  0.9     t0, every source's trust before the first iteration
gamma          0.3     γ, dampening: compensates for sources that copy each other
                       (σ* grows with every source, s should not saturate at once)
rho            0.5     ρ, weight of the influence between facts of one slot
delta          0.001   δ, convergence: stop when 1 − cos(t_before, t_after) ≤ δ
max_iterations 20      stop after this many trust updates even when not converged
============== ======= ===============================================================

imp(f′ → f) ∈ [−1, 1] is how much f′ implies f. The paper derives it from a
similarity of facts minus a base similarity; ``truthfinder`` takes it as a function
``implication(slot, f_prime, f)`` and by default treats all facts of a slot as
mutually exclusive (−1), the paper's basic case of one true value per object.

Two numerical details the paper leaves open: t(w) is kept within
[1e−9, 1 − 1e−9], so τ stays finite when a source's facts all reach confidence
1.0 in floating point (and the sigmoid is evaluated without overflow); and every
sum is ``math.fsum``, exact and independent of the order of summation, so the
result does not depend on the iteration order of sets or dicts (relabelling the
sources permutes the result exactly). Note that the convergence test measures the
*direction* of the trust vector: when all sources move together (or there is only
one source) the iteration stops after one update, as in the paper.

``source_report`` applies it to the fact base. Each active claim is a fact
provided by the publications of the documents it cites, in the slot where its
competitors are:

* single-valued predicates: one slot per (subject, predicate), so different values
  compete ("4526 43rd Street" vs "4516 43rd Street");
* other predicates (events, multi-valued states and attributes): one slot per
  (subject, predicate, object/value), so only times and polarity compete
  (Uzbekistan left the CSTO in 1999 vs in 1995-1997). Numbers are grouped by base
  unit, so that values within the predicate's tolerance meet in one slot.

A fact is the claim's polarity, normalised object/value (``rules.normalize_value``,
``rules.normalize_quantity``) and time interval [earliest, latest]; claims with the
same fact key are one fact with several sources. imp(f′ → f) comes from the conflict
rules themselves: −1 when ``rules.conflicts`` fires for the pair (negation, single
value, numeric, event date), +1 when they agree as corroborating claims do (same
polarity, same value within tolerance, overlapping times: "2006" and "August
2006"), 0 otherwise (Sergeev as defence minister in 1999 and Ivanov in 2004 are
different facts, not rivals). Triage overrides the rules: two facts whose recorded
conflicts were all dismissed do not count against each other (imp 0), so dismissing
a conflict raises both sides' trust; confirming one keeps −1. Slots with a single
fact count too: they raise the confidence of what their sources say.
Declared-exclusive predicates are not modelled (they would join slots across
predicates).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Hashable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .conflicts import blocks, vocabulary_rules
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

INITIAL_TRUST = 0.9
GAMMA = 0.3
RHO = 0.5
DELTA = 0.001
MAX_ITERATIONS = 20
_EPSILON = 1e-9  # t(w) stays in [ε, 1 − ε] so that τ(w) is finite

Implication = Callable[[Hashable, Hashable, Hashable], float]


class TruthFinderResult(NamedTuple):
    """What ``truthfinder`` returns; unpacks as ``trust, confidence, iterations``."""

    trust: dict[Hashable, float]  # source -> t(w)
    confidence: dict[Hashable, dict[Hashable, float]]  # slot -> fact -> s(f)
    iterations: int  # trust updates performed (0 only when there is no source)


def _exclusive(_slot: Hashable, _f_prime: Hashable, _f: Hashable) -> float:
    """The default imp(f′ → f): the facts of one slot exclude each other."""
    return -1.0


def _sigmoid(x: float) -> float:
    """1 / (1 + e^−x), without overflow for large |x|."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _cosine(a: list[float], b: list[float]) -> float:
    norms = math.sqrt(math.fsum(x * x for x in a)) * math.sqrt(math.fsum(y * y for y in b))
    return math.fsum(x * y for x, y in zip(a, b, strict=True)) / norms if norms else 1.0


def truthfinder(
    sources_facts: Mapping[Hashable, Mapping[Hashable, Collection[Hashable]]],
    *,
    initial_trust: float = INITIAL_TRUST,
    gamma: float = GAMMA,
    rho: float = RHO,
    delta: float = DELTA,
    max_iterations: int = MAX_ITERATIONS,
    implication: Implication | None = None,
) -> TruthFinderResult:
    """Source trust and fact confidence by TruthFinder (see the module docstring).

    *sources_facts* maps each slot (an object whose facts compete) to its facts, each
    fact to the sources that provide it: ``{slot: {fact: {source, ...}}}``. A fact key
    needs to be unique only within its slot. *implication(slot, f_prime, f)* gives
    imp(f′ → f) in [−1, 1] for two different facts of a slot (default −1).

    Returns the trust of every source, the confidence of every fact (in the input's
    shape) and the number of iterations. Pure and deterministic; empty input gives
    empty results after 0 iterations.
    """
    if not 0 < initial_trust < 1:
        raise ValueError(f"initial_trust must be in (0, 1), not {initial_trust!r}")
    if not gamma > 0:
        raise ValueError(f"gamma must be > 0, not {gamma!r}")
    if not rho >= 0:
        raise ValueError(f"rho must be >= 0, not {rho!r}")
    if not 0 <= delta < 1:
        raise ValueError(f"delta must be in [0, 1), not {delta!r}")
    if max_iterations < 1:
        raise ValueError(f"max_iterations must be >= 1, not {max_iterations!r}")
    imp = implication or _exclusive

    # Index everything once: facts as (slot, fact) positions, sources as positions.
    keys: list[tuple[Hashable, Hashable]] = []
    providers: list[list[int]] = []  # fact -> source positions
    influences: list[list[tuple[int, float]]] = []  # fact -> [(f′ position, imp(f′ → f))]
    source_index: dict[Hashable, int] = {}
    for slot, facts in sources_facts.items():
        first = len(keys)
        for fact, sources in facts.items():
            if not sources:
                raise ValueError(f"fact {fact!r} of slot {slot!r} has no source")
            keys.append((slot, fact))
            providers.append(
                sorted({source_index.setdefault(w, len(source_index)) for w in sources})
            )
        positions = range(first, len(keys))
        for i in positions:
            row = []
            for j in positions:
                if i == j:
                    continue
                weight = float(imp(slot, keys[j][1], keys[i][1]))
                if not -1.0 <= weight <= 1.0:
                    raise ValueError(
                        f"implication({slot!r}, {keys[j][1]!r}, {keys[i][1]!r}) = {weight!r}"
                        " is not in [-1, 1]"
                    )
                if weight:
                    row.append((j, weight))
            influences.append(row)
    provided: list[list[int]] = [[] for _ in source_index]  # source -> fact positions
    for i, sources in enumerate(providers):
        for w in sources:
            provided[w].append(i)

    trust = [initial_trust] * len(source_index)
    confidence = [0.0] * len(keys)
    iterations = 0
    while source_index and iterations < max_iterations:
        iterations += 1
        tau = [-math.log1p(-t) for t in trust]
        sigma = [math.fsum(tau[w] for w in sources) for sources in providers]
        confidence = [
            _sigmoid(gamma * math.fsum([sigma[i], *(rho * sigma[j] * x for j, x in row)]))
            for i, row in enumerate(influences)
        ]
        updated = [
            min(max(math.fsum(confidence[i] for i in facts) / len(facts), _EPSILON), 1 - _EPSILON)
            for facts in provided
        ]
        converged = _cosine(trust, updated) >= 1 - delta
        trust = updated
        if converged:
            break

    by_slot: dict[Hashable, dict[Hashable, float]] = {slot: {} for slot in sources_facts}
    for (slot, fact), s in zip(keys, confidence, strict=True):
        by_slot[slot][fact] = s
    sources = list(source_index)
    return TruthFinderResult(dict(zip(sources, trust, strict=True)), by_slot, iterations)


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
        return ("value", normalize_value(claim.value))
    return ("none",)


def _slot_value(value: tuple[Hashable, ...]) -> tuple[Hashable, ...]:
    """The part of a value that places a claim of a multi-valued predicate in its slot."""
    return ("number", value[2]) if value[0] == "number" else value


def _when(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass
class Slots:
    """The fact base as TruthFinder input, with the rules (and triage) as imp(f′ → f)."""

    facts: dict[Hashable, dict[Hashable, set[Hashable]]]
    claims: dict[tuple[Hashable, Hashable], list[ClaimFacts]]  # (slot, fact) -> its claims
    predicates: dict[int, PredicateInfo]
    decisions: dict[tuple[int, int], set[str]]  # (lower, higher claim id) -> conflict statuses

    def implication(self, slot: Hashable, f_prime: Hashable, f: Hashable) -> float:
        """−1 when a conflict rule fires for the two facts, +1 when they agree, else 0.

        A human decision overrides the rules: when every conflict recorded between the
        claims of the two facts was dismissed, they do not count against each other.
        """
        a, b = self.claims[(slot, f_prime)][0], self.claims[(slot, f)][0]
        if conflicts(a, b, self.predicates, frozenset()):
            return 0.0 if self._dismissed(slot, f_prime, f) else -1.0
        tolerance = self.predicates[a.predicate].tolerance
        both_bare = _value_fact(a) == _value_fact(b) == ("none",)
        agree = both_bare or same_value(a, b, tolerance) is True
        return 1.0 if a.negated == b.negated and agree and times_overlap(a, b) else 0.0

    def _dismissed(self, slot: Hashable, f_prime: Hashable, f: Hashable) -> bool:
        statuses: set[str] = set()
        for x in self.claims[(slot, f_prime)]:
            for y in self.claims[(slot, f)]:
                statuses |= self.decisions.get((min(x.id, y.id), max(x.id, y.id)), set())
        statuses.discard("resolved")  # no longer detected: not a judgement about the pair
        return statuses == {"dismissed"}


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


def publication_trust(session: Session, **parameters: Any) -> dict[int, float]:
    """TruthFinder trust per publication id (publications without claims get t0).

    *parameters* are passed to ``truthfinder`` (initial_trust, gamma, rho, ...).
    """
    slots = conflict_slots(session)
    result = truthfinder(slots.facts, implication=slots.implication, **parameters)
    initial = parameters.get("initial_trust", INITIAL_TRUST)
    return {
        publication_id: result.trust.get(publication_id, initial)
        for publication_id in session.scalars(select(Publication.id))
    }


def publication_trust_by_name(session: Session) -> dict[str, float]:
    """TruthFinder trust per publication name, rounded to 4 places (as reports show it)."""
    names = dict(session.execute(select(Publication.id, Publication.name)).all())
    return {names[pid]: round(t, 4) for pid, t in publication_trust(session).items()}


# The report --------------------------------------------------------------------------------


def source_report(session: Session) -> list[dict[str, Any]]:
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
    * ``trust`` — the TruthFinder trust over the conflict slots of the whole base
      (module docstring), rounded to 4 places; t0 for a publication without claims.

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
    trust = publication_trust(session)
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
