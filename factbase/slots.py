"""The fact base's active claims as truth-discovery slots, and imp(f′ → f) between facts.

No database here: ``sources.py`` (analyses, listings) and ``conflicts.py`` (the check, which
stores the trust that listings use) both feed claims in, so the two cannot place a claim or
weigh a pair of facts differently.

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
  ``truth.name_implication(f′, f)`` (a truncated list supports the full one, the full one
  counts against the truncated one, strangers exclude each other);
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

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field

from .errors import FactbaseError
from .rules import (
    ClaimFacts,
    PredicateInfo,
    conflicts,
    normalize_value,
    same_value,
    times_overlap,
)
from .truth import (
    METHODS,
    TruthResult,
    discover,
    fact_confidence,
    has_evidence,
    is_name_list,
    name_distance,
    name_implication,
    name_key,
    truthfinder_trust,
)

# A publication id, or ("document", id) for a cited document without a publication.
Source = int | tuple[str, int]


class UnknownMethod(FactbaseError):
    "No such truth-discovery method"


def _value_fact(claim: ClaimFacts) -> tuple[Hashable, ...]:
    """A claim's object/value, normalised as the rules compare it (``ClaimFacts.key``, with
    the number itself rather than only its unit, and a name list as its ``name_key``)."""
    if claim.quantity is not None:
        return ("number", *claim.quantity)
    if claim.key[0] == "value" and claim.value is not None:
        if is_name_list(claim.value):
            return ("names", name_key(claim.value))
        # The key only groups ("Paris, France" and "Paris, Texas" share one); a fact is
        # the whole normalised value.
        return ("value", normalize_value(claim.value))
    return claim.key


def _slot_value(value: tuple[Hashable, ...]) -> tuple[Hashable, ...]:
    """The part of a value that places a claim of a multi-valued predicate in its slot."""
    return ("number", value[2]) if value[0] == "number" else value


# The claims that reviewers' decisions name, for the last decisions mapping seen: a check
# builds one Slots per block with the same mapping, and collecting its claims for each
# block would cost blocks × decisions.
_decided_for: tuple[dict[tuple[int, int], set[str]], frozenset[int]] | None = None


def _decided_claims(decisions: dict[tuple[int, int], set[str]]) -> frozenset[int]:
    global _decided_for
    if _decided_for is None or _decided_for[0] is not decisions:
        _decided_for = (decisions, frozenset(claim_id for pair in decisions for claim_id in pair))
    return _decided_for[1]


@dataclass
class Slots:
    """The fact base as truth-discovery input, with the rules (and triage) as imp(f′ → f).

    *decisions* is read, never changed, while its Slots live (its claims are collected once).
    """

    predicates: dict[int, PredicateInfo]
    # (lower, higher claim id) -> reviewers' decisions: "confirmed", "dismissed"
    decisions: dict[tuple[int, int], set[str]]
    facts: dict[Hashable, dict[Hashable, set[Source]]] = field(default_factory=dict)
    # (slot, fact) -> its claims
    claims: dict[tuple[Hashable, Hashable], list[ClaimFacts]] = field(default_factory=dict)
    _decided_claims: frozenset[int] = field(init=False, repr=False)  # the claims of *decisions*

    def __post_init__(self) -> None:
        self._decided_claims = _decided_claims(self.decisions)

    def add(self, claim: ClaimFacts, sources: Iterable[Source]) -> None:
        """Place an active claim, provided by *sources*, in its slot (module docstring).

        A check places every claim, so this is written for speed: one look-up per level,
        and the time interval as the dates themselves (a fact key is only hashed).
        """
        value = _value_fact(claim)
        if self.predicates[claim.predicate].single_valued:
            slot: Hashable = (claim.subject, claim.predicate)
        else:
            slot = (claim.subject, claim.predicate, _slot_value(value))
        fact = (claim.negated, value, claim.earliest, claim.latest)
        facts = self.facts.get(slot)
        if facts is None:
            facts = self.facts[slot] = {}
        provided = facts.get(fact)
        if provided is None:
            facts[fact] = set(sources)
            self.claims[(slot, fact)] = [claim]
        else:
            provided.update(sources)
            self.claims[(slot, fact)].append(claim)

    def implication(self, slot: Hashable, f_prime: Hashable, f: Hashable) -> float:
        """imp(f′ → f) in [−1, 1]: a decision, else name support, else the rules (module doc)."""
        return self.implications(slot, f_prime, f)[0]

    def implications(self, slot: Hashable, f_prime: Hashable, f: Hashable) -> tuple[float, float]:
        """imp(f′ → f) and imp(f → f′), decided once: only name support is asymmetric."""
        decided = self._decided(slot, f_prime, f)
        if decided == {"dismissed"}:
            return 0.0, 0.0
        if "confirmed" in decided:
            return -1.0, -1.0
        a, b = self.claims[(slot, f_prime)][0], self.claims[(slot, f)][0]
        value_a, value_b = f_prime[1], f[1]
        if value_a[0] == value_b[0] == "names":
            if a.negated != b.negated or not times_overlap(a, b):
                return 0.0, 0.0
            return (
                name_implication(value_a[1], value_b[1]),
                name_implication(value_b[1], value_a[1]),
            )
        if conflicts(a, b, self.predicates, frozenset()):
            return -1.0, -1.0
        tolerance = self.predicates[a.predicate].tolerance
        both_bare = value_a == value_b == ("none",)
        agree = both_bare or same_value(a, b, tolerance) is True
        weight = 1.0 if a.negated == b.negated and agree and times_overlap(a, b) else 0.0
        return weight, weight

    def distance(self, slot: Hashable, f: Hashable, g: Hashable) -> float:
        """CRH's d(f, g) in [0, 1]: name distance between name lists, else (1 − imp) / 2."""
        value_f, value_g = f[1], g[1]
        if value_f[0] == value_g[0] == "names" and not self._decided(slot, f, g):
            return name_distance(value_f[1], value_g[1])
        return (1.0 - self.implication(slot, f, g)) / 2

    def _decided(self, slot: Hashable, f_prime: Hashable, f: Hashable) -> set[str]:
        """The decisions on the conflicts recorded between the claims of two facts."""
        statuses: set[str] = set()
        decided = [x for x in self.claims[(slot, f_prime)] if x.id in self._decided_claims]
        if not decided:  # the common case: look up no pair at all
            return statuses
        for y in self.claims[(slot, f)]:
            if y.id in self._decided_claims:
                for x in decided:
                    statuses |= self.decisions.get((min(x.id, y.id), max(x.id, y.id)), set())
        return statuses

    def run(self, method: str = "truthfinder") -> TruthResult:
        """Truth discovery by *method* (truthfinder, crh or vote) over these slots."""
        if method not in METHODS:
            raise UnknownMethod(f"unknown method {method!r}: use one of {', '.join(METHODS)}")
        return discover(self.facts, method, implication=self.implication, distance=self.distance)

    def evidence(self, into: Evidence | None = None) -> Evidence:
        """The slots that can move trust, reduced to what TruthFinder needs of them (added
        to *into*, so that a check collects every block's without copying them)."""
        found = Evidence() if into is None else into
        for slot, facts in self.facts.items():
            if has_evidence(facts):
                found.add(slot, facts, self.implications)
        return found

    def confidence(self, trust: dict[Source, float]) -> dict[int, float | None]:
        """Each claim's TruthFinder confidence from its slot alone and the sources' *trust*.

        At TruthFinder's fixed point a fact's confidence depends only on its slot's facts
        and their sources' trust, so this equals the run over the whole base that gave
        *trust*. None for the claims of a slot with a source *trust* lacks (not checked).
        """
        scores: dict[int, float | None] = {}
        for slot, facts in self.facts.items():
            sources = {w for provided in facts.values() for w in provided}
            confidence = (
                fact_confidence(
                    facts, trust, lambda f_prime, f, s=slot: self.implication(s, f_prime, f)
                )
                if sources <= trust.keys()
                else {}
            )
            for fact in facts:
                for claim in self.claims[(slot, fact)]:
                    scores[claim.id] = confidence.get(fact)
        return scores


@dataclass
class Evidence:
    """The slots with evidence as numbered facts and their nonzero implications.

    What trust depends on, and small enough for a check's worker processes to send back:
    slot and fact keys are replaced by positions once the implications are computed, and
    the positions are what ``truth.truthfinder_trust`` takes, so nothing is rebuilt.
    """

    sources: list[frozenset[Source]] = field(default_factory=list)  # fact -> its sources
    starts: list[int] = field(default_factory=list)  # slot -> the position of its first fact
    # (f′, f, imp(f′ → f)) by fact position, nonzero only
    implications: list[tuple[int, int, float]] = field(default_factory=list)

    def add(
        self,
        slot: Hashable,
        facts: dict[Hashable, set[Source]],
        implications: Callable[[Hashable, Hashable, Hashable], tuple[float, float]],
    ) -> None:
        """Number a slot's facts; *implications(slot, f′, f)* is (imp(f′ → f), imp(f → f′))."""
        first = len(self.sources)
        self.starts.append(first)
        keys = list(facts)
        self.sources += [frozenset(facts[f]) for f in keys]
        for i, f in enumerate(keys):
            for j in range(i + 1, len(keys)):
                forward, backward = implications(slot, keys[j], f)
                if forward:
                    self.implications.append((first + j, first + i, forward))
                if backward:
                    self.implications.append((first + i, first + j, backward))

    def extend(self, other: Evidence) -> None:
        offset = len(self.sources)
        self.sources += other.sources
        self.starts += [start + offset for start in other.starts]
        self.implications += [(j + offset, i + offset, x) for j, i, x in other.implications]

    def trust(self) -> dict[Source, float]:
        """TruthFinder trust of every source of these slots (the same as ``Slots.run``'s)."""
        return truthfinder_trust(self.sources, self.starts, self.implications)
