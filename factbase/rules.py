"""Conflict and corroboration rules (DESIGN.md §3) as pure functions over two claims.

No database here: the check in ``conflicts.py`` turns rows into ``ClaimFacts`` and calls
``analyse_block`` once per subject, so every rule can be tested directly and the check's cost
is bounded by block sizes, not by the size of the base.

Comparison conventions shared by all rules:

* entities are compared by id (aliases are resolved before the facts are built);
* literal strings by ``reading.compare``: ``values_agree`` (a more specific form agrees:
  "4526 43rd Street NW" and "4526 43rd Street NW, Washington, DC 20016"), grouped by
  ``value_key``; numbers by ``normalize_quantity`` (from
  ``reading.numbers``: "42 million euros" == 42000000 EUR) and the predicate's tolerance;
  dates by equality; different kinds of value are incomparable;
* two claims that carry no object or value at all ("the exercise was cancelled") agree;
* a missing time bound is open, so a claim without a time overlaps every time.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations, product

from .reading.compare import amounts_agree, normalize_value, value_key, values_agree
from .reading.numbers import normalize_quantity

__all__ = ["normalize_quantity", "normalize_value"]  # read here by the rest of factbase

RULES = ("negation", "single_value", "numeric", "event_date", "exclusive")
# Rules that fire on two values where only one can hold: people are shown what differs.
VALUE_RULES = frozenset({"single_value", "numeric"})
# Each rule in words, for people: shown beside its id wherever a rule is named.
RULE_WORDS = {
    "negation": "one source denies what another affirms",
    "single_value": "different values where only one can hold",
    "numeric": "numbers that differ beyond the tolerance",
    "event_date": "different dates for the same event",
    "exclusive": "mutually exclusive statements",
}
PREDICATE_KINDS = ("event", "state", "attribute")  # as in models.py, without importing SQLAlchemy


def rule_label(rule: str) -> str:
    """A rule's id with its meaning: "event_date — different dates for the same event"."""
    words = RULE_WORDS.get(rule)
    return f"{rule} — {words}" if words else rule


@dataclass(frozen=True, slots=True)
class PredicateInfo:
    """What the rules need to know about a predicate."""

    id: int
    name: str
    kind: str  # "event" | "state" | "attribute"
    single_valued: bool
    tolerance: float | None  # absolute, after unit normalisation; None means exact

    def __post_init__(self) -> None:
        if self.kind not in PREDICATE_KINDS:
            raise ValueError(f"predicate kind {self.kind!r} is not one of {PREDICATE_KINDS}")
        if self.tolerance is not None and not self.tolerance >= 0:
            raise ValueError(f"tolerance must be >= 0, not {self.tolerance!r}")


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    """The comparable content of one active claim, built by the database layer."""

    id: int
    subject: int
    predicate: int
    object: int | None
    value: str | None  # as stored; the rules normalise it
    number: float | None
    unit: str | None
    date_value: date | None
    negated: bool
    earliest: date | None  # None = open bound; both None = timeless
    latest: date | None
    documents: frozenset[int] = frozenset()
    # Derived once here: every rule compares them, about ten times per claim in a check.
    quantity: tuple[float, str | None] | None = field(init=False, repr=False, compare=False)
    key: tuple[Hashable, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Invalid facts would make a claim disagree with itself (NaN != NaN, an empty
        # interval does not overlap itself), so they are refused at the door.
        if self.number is not None and not math.isfinite(self.number):
            raise ValueError(f"claim {self.id}: number must be finite, not {self.number!r}")
        if self.earliest is not None and self.latest is not None and self.earliest > self.latest:
            raise ValueError(f"claim {self.id}: time interval ends before it starts")
        quantity = _quantity(self)
        object.__setattr__(self, "quantity", quantity)
        object.__setattr__(self, "key", _value_key(self, quantity))


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule firing for one pair of claims; (a, b, rule) is the conflict's identity."""

    rule: str
    a: int  # lower claim id
    b: int  # higher claim id
    internal: bool  # both claims cite a common document


# Normalisation ------------------------------------------------------------------------------

# Values and times ---------------------------------------------------------------------------


def _quantity(claim: ClaimFacts) -> tuple[float, str | None] | None:
    """The claim's number in its base unit, when its value is a number."""
    if claim.object is None and claim.number is not None:
        return normalize_quantity(claim.number, claim.unit)
    return None


def _value_key(
    claim: ClaimFacts, quantity: tuple[float, str | None] | None
) -> tuple[Hashable, ...]:
    """What a claim's object/value is, as a hashable (kind, normalised value).

    Equal keys mean the same object/value, except for numbers (their key holds only the
    base unit: comparable, the same value if within tolerance) and literal text (the key
    is `compare.value_key`: values that agree share it, `values_agree` decides).
    """
    if claim.object is not None:
        return ("object", claim.object)
    if quantity is not None:
        return ("number", quantity[1])
    if claim.date_value is not None:
        return ("date", claim.date_value)
    if claim.value is not None:
        return ("value", value_key(claim.value))
    return ("none",)


def same_value(a: ClaimFacts, b: ClaimFacts, tolerance: float | None) -> bool | None:
    """Whether two claims name the same object/value; None when that cannot be decided.

    Incomparable: different kinds of value (an entity vs a string), numbers in different
    base units, or a claim without any object or value.
    """
    key_a, key_b = a.key, b.key
    if key_a[0] != key_b[0] or key_a[0] == "none":
        return None
    if key_a[0] == "value":
        return key_a == key_b and values_agree(a.value or "", b.value or "")
    quantity_a, quantity_b = a.quantity, b.quantity
    if quantity_a is None or quantity_b is None:
        return key_a == key_b
    return amounts_agree(quantity_a, quantity_b, tolerance)


def _agree(a: ClaimFacts, b: ClaimFacts, tolerance: float | None = None) -> bool:
    """Same object/value, where two claims without any object or value also agree."""
    return a.key == b.key == ("none",) or same_value(a, b, tolerance) is True


def times_overlap(a: ClaimFacts, b: ClaimFacts) -> bool:
    """Whether the two claims can hold at the same time (inclusive; open bounds extend)."""
    start_a, end_a = a.earliest or date.min, a.latest or date.max
    start_b, end_b = b.earliest or date.min, b.latest or date.max
    return start_a <= end_b and start_b <= end_a


def times_disjoint(a: ClaimFacts, b: ClaimFacts) -> bool:
    """Whether the two times certainly differ; a timeless claim is never disjoint."""
    return not times_overlap(a, b)


# The rules ----------------------------------------------------------------------------------


def _same_block(a: ClaimFacts, b: ClaimFacts, p: PredicateInfo) -> bool:
    return a.subject == b.subject and a.predicate == b.predicate == p.id


def _affirmed(a: ClaimFacts, b: ClaimFacts) -> bool:
    return not a.negated and not b.negated


def negation(a: ClaimFacts, b: ClaimFacts, p: PredicateInfo) -> bool:
    """One claim denies what the other affirms, at a time both speak about."""
    return (
        _same_block(a, b, p)
        and a.negated != b.negated
        and _agree(a, b, p.tolerance)
        and times_overlap(a, b)
    )


def single_value(a: ClaimFacts, b: ClaimFacts, p: PredicateInfo) -> bool:
    """Two different holders of a one-at-a-time slot at overlapping times (numbers excepted)."""
    return (
        p.single_valued
        and _same_block(a, b, p)
        and _affirmed(a, b)
        and a.key[0] != "number"
        and same_value(a, b, p.tolerance) is False
        and times_overlap(a, b)
    )


def numeric(a: ClaimFacts, b: ClaimFacts, p: PredicateInfo) -> bool:
    """Two quantities in the same base unit further apart than the predicate tolerates."""
    return (
        p.single_valued
        and _same_block(a, b, p)
        and _affirmed(a, b)
        and a.key[0] == "number"
        and same_value(a, b, p.tolerance) is False
        and times_overlap(a, b)
    )


def event_date(a: ClaimFacts, b: ClaimFacts, p: PredicateInfo) -> bool:
    """The same event dated to times that cannot coincide."""
    return (
        p.kind == "event"
        and _same_block(a, b, p)
        and _affirmed(a, b)
        and _agree(a, b, p.tolerance)
        and times_disjoint(a, b)
    )


def exclusive(a: ClaimFacts, b: ClaimFacts) -> bool:
    """Mutually exclusive predicates (the caller checks the declaration) on the same object."""
    return (
        a.subject == b.subject
        and a.predicate != b.predicate
        and _affirmed(a, b)
        and _agree(a, b)
        and times_overlap(a, b)
    )


def corroborates(a: ClaimFacts, b: ClaimFacts, tolerance: float | None = None) -> bool:
    """The same statement made by independent sources: no shared document, each cites one."""
    return (
        a.id != b.id
        and a.subject == b.subject
        and a.predicate == b.predicate
        and a.negated == b.negated
        and _agree(a, b, tolerance)
        and times_overlap(a, b)
        and bool(a.documents)
        and bool(b.documents)
        and a.documents.isdisjoint(b.documents)
    )


def conflicts(
    a: ClaimFacts,
    b: ClaimFacts,
    predicates: Mapping[int, PredicateInfo],
    exclusive_pairs: AbstractSet[tuple[int, int]],
) -> list[str]:
    """The rules that fire for the pair, in RULES order.

    *exclusive_pairs* holds (lower id, higher id) pairs of declared exclusive predicates.
    """
    if a.subject != b.subject:
        return []
    if a.predicate != b.predicate:
        pair = (min(a.predicate, b.predicate), max(a.predicate, b.predicate))
        return ["exclusive"] if pair in exclusive_pairs and exclusive(a, b) else []
    p = predicates[a.predicate]
    if (
        a.negated == b.negated
        and a.key == b.key
        and a.key[0] != "number"
        and p.kind != "event"
        and (a.key[0] != "value" or values_agree(a.value or "", b.value or ""))
    ):
        # A restatement of the same non-numeric fact: negation needs opposite polarity,
        # single_value a different value, numeric a number, event_date an event.
        return []
    fired = (
        ("negation", negation(a, b, p)),
        ("single_value", single_value(a, b, p)),
        ("numeric", numeric(a, b, p)),
        ("event_date", event_date(a, b, p)),
    )
    return [rule for rule, fires in fired if fires]


# Blocks -------------------------------------------------------------------------------------


_Bucket = tuple[int, Hashable]  # (predicate id, value key)


def _buckets(claims: Sequence[ClaimFacts]) -> dict[_Bucket, list[ClaimFacts]]:
    """Claims by (predicate, value key): outside its bucket a claim agrees with no other."""
    if len({c.id for c in claims}) != len(claims):
        raise ValueError("a block lists the same claim id twice")
    buckets: dict[_Bucket, list[ClaimFacts]] = {}
    for claim in claims:
        buckets.setdefault((claim.predicate, claim.key), []).append(claim)
    return buckets


def _cross_pairs(
    buckets: Mapping[_Bucket, list[ClaimFacts]],
    predicates: Mapping[int, PredicateInfo],
    exclusive_pairs: AbstractSet[tuple[int, int]],
) -> Iterator[tuple[ClaimFacts, ClaimFacts]]:
    """Pairs across buckets that some rule could fire for, each once.

    Negation, event_date and exclusive need the same object/value, hence the same value key
    (under one predicate, or under each of a declared pair); only single-valued predicates
    (single_value, numeric) need pairs across values.
    """
    by_predicate: dict[int, list[list[ClaimFacts]]] = {}
    for (predicate_id, _key), bucket in buckets.items():
        if predicates[predicate_id].single_valued:
            by_predicate.setdefault(predicate_id, []).append(bucket)
    for groups in by_predicate.values():
        for first, second in combinations(groups, 2):
            yield from product(first, second)
    present = {predicate_id for predicate_id, _key in buckets}
    for p, q in exclusive_pairs:
        if p < q and p in present and q in present:
            for (predicate_id, key), bucket in buckets.items():
                if predicate_id == p:
                    yield from product(bucket, buckets.get((q, key), ()))


@dataclass(slots=True)
class BlockResult:
    """What the rules find in one block."""

    findings: list[Finding] = field(default_factory=list)
    agreeing: list[tuple[int, int]] = field(default_factory=list)  # (lower id, higher id)


def analyse_block(
    claims: Sequence[ClaimFacts],
    predicates: Mapping[int, PredicateInfo],
    exclusive_pairs: AbstractSet[tuple[int, int]],
) -> BlockResult:
    """All conflicts (each (a, b, rule) once) and corroborating pairs among one block's claims.

    Only candidate pairs are compared, so a block of many distinct facts stays cheap; the
    result equals comparing every pair with ``conflicts`` and ``corroborates``. Each pair
    within a bucket is visited once for both.
    """
    result = BlockResult()
    buckets = _buckets(claims)

    def compare(x: ClaimFacts, y: ClaimFacts) -> tuple[ClaimFacts, ClaimFacts]:
        a, b = (x, y) if x.id < y.id else (y, x)
        for rule in conflicts(a, b, predicates, exclusive_pairs):
            result.findings.append(
                Finding(rule, a.id, b.id, internal=not a.documents.isdisjoint(b.documents))
            )
        return a, b

    for (predicate_id, _key), bucket in buckets.items():
        tolerance = predicates[predicate_id].tolerance
        for x, y in combinations(bucket, 2):
            a, b = compare(x, y)
            if corroborates(a, b, tolerance):
                result.agreeing.append((a.id, b.id))
    for x, y in _cross_pairs(buckets, predicates, exclusive_pairs):
        compare(x, y)
    return result


# Verification -------------------------------------------------------------------------------


def restates(a: ClaimFacts, b: ClaimFacts, tolerance: float | None = None) -> bool:
    """Whether two claims say exactly the same: subject, predicate, object/value, polarity
    and the same time interval (both timeless, or equal bounds)."""
    return (
        a.subject == b.subject
        and a.predicate == b.predicate
        and a.negated == b.negated
        and _agree(a, b, tolerance)
        and (a.earliest, a.latest) == (b.earliest, b.latest)
    )


@dataclass(slots=True)
class Judgement:
    """A candidate claim's evidence in one block; the refuting claims with their rules."""

    supporting: list[int] = field(default_factory=list)
    refuting: dict[int, list[str]] = field(default_factory=dict)
    # Claims whose every firing rule a reviewer dismissed against a restatement.
    dismissed: dict[int, list[str]] = field(default_factory=dict)


def judge(
    candidate: ClaimFacts,
    block: Sequence[ClaimFacts],
    predicates: Mapping[int, PredicateInfo],
    exclusive_pairs: AbstractSet[tuple[int, int]],
    dismissed: AbstractSet[tuple[int, int, str]] = frozenset(),
) -> Judgement:
    """Which of the subject's claims support the candidate and which refute it.

    A claim supports it when the two corroborate, and refutes it when a conflict rule fires.
    *dismissed* holds (lower id, higher id, rule) of conflicts a reviewer dismissed. The
    candidate inherits the decisions taken on the claims that restate it exactly (and on
    itself, when it is a stored claim): a reviewer who judged claim A compatible with X
    judged what A says compatible with X, so X does not refute a statement saying exactly
    that; a statement that only overlaps A (another time span) inherits nothing.

    Mirror: a candidate S and its negation ¬S swap evidence through the negation rule: the
    claims supporting S refute ¬S by it and those supporting ¬S refute S by it
    (corroboration and the negation rule ask the same, polarity aside). The other rules (a
    different value, a disjoint date, an exclusive predicate) refute an affirmed S without
    saying that ¬S holds at S's time, so they support nothing; they need two affirmed
    claims, so a negated statement is refuted by the negation rule alone, hence exactly by
    the claims supporting its affirmation. Dismissals move refuting claims to
    ``dismissed`` and nothing else.
    """
    tolerance = predicates[candidate.predicate].tolerance
    same = {candidate.id} | {
        c.id for c in block if c.id != candidate.id and restates(candidate, c, tolerance)
    }
    result = Judgement()
    for claim in block:
        if claim.id == candidate.id:
            continue
        if claim.predicate == candidate.predicate and corroborates(candidate, claim, tolerance):
            result.supporting.append(claim.id)
            continue
        rules = conflicts(candidate, claim, predicates, exclusive_pairs)
        if not rules:
            continue
        decided = all(
            any((min(s, claim.id), max(s, claim.id), rule) in dismissed for s in same)
            for rule in rules
        )
        (result.dismissed if decided else result.refuting)[claim.id] = rules
    return result
