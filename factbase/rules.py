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

import heapq
import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

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
#
# A block (one subject's claims) is compared through keys and sorted intervals, never all
# pairs: claims are bucketed by (predicate, value key); each rule draws its candidate pairs
# from a sweep over time intervals that only ever pairs claims the rule could fire for
# (overlapping, or for event dates disjoint), and pairs claims of one group (the same value,
# the same polarity, the same predicate) never. So the work is n log n plus the pairs that
# fire, whatever the block's shape. Numbers are the one exception: values that differ but
# lie within the tolerance are candidates that do not fire.


_Bucket = tuple[int, Hashable]  # (predicate id, value key)
# Up to this many claims, a bucket's claims are compared pair by pair: a constant cost.
_FEW = 8


def _buckets(claims: Sequence[ClaimFacts]) -> dict[_Bucket, list[ClaimFacts]]:
    """Claims by (predicate, value key): outside its bucket a claim agrees with no other."""
    if len({c.id for c in claims}) != len(claims):
        raise ValueError("a block lists the same claim id twice")
    buckets: dict[_Bucket, list[ClaimFacts]] = {}
    for claim in claims:
        buckets.setdefault((claim.predicate, claim.key), []).append(claim)
    return buckets


def _interval(claim: ClaimFacts) -> tuple[date, date]:
    """The claim's time with open bounds made explicit, as ``times_overlap`` reads it."""
    return claim.earliest or date.min, claim.latest or date.max


def overlapping_across(
    claims: Iterable[ClaimFacts], group: Callable[[ClaimFacts], Hashable]
) -> Iterator[tuple[ClaimFacts, ClaimFacts]]:
    """Every pair of claims whose times overlap and whose *group* differs, each once.

    A sweep by start time keeps the claims still running, grouped; an arriving claim is
    paired with the running claims of the other groups only. Every other group visited
    yields at least one pair, so the cost is n log n plus the pairs yielded.
    """
    ordered = sorted(claims, key=lambda c: (_interval(c)[0], c.id))
    if len(ordered) < 2:
        return
    running: dict[Hashable, dict[int, ClaimFacts]] = {}
    ends: list[tuple[date, int, Hashable]] = []  # a heap: (end, claim id, group)
    for claim in ordered:
        start, end = _interval(claim)
        while ends and ends[0][0] < start:
            _end, claim_id, key = heapq.heappop(ends)
            members = running[key]
            del members[claim_id]
            if not members:
                del running[key]
        own = group(claim)
        for key, members in running.items():
            if key != own:
                for other in members.values():
                    yield other, claim
        running.setdefault(own, {})[claim.id] = claim
        heapq.heappush(ends, (end, claim.id, own))


def disjoint_pairs(claims: Sequence[ClaimFacts]) -> Iterator[tuple[ClaimFacts, ClaimFacts]]:
    """Every pair of claims whose times cannot coincide, each once: for each claim, the
    claims that end before it starts are a prefix of the claims sorted by end."""
    by_end = sorted(claims, key=lambda c: _interval(c)[1])
    ends = [_interval(c)[1] for c in by_end]
    for claim in claims:
        for other in by_end[: bisect_left(ends, _interval(claim)[0])]:
            yield other, claim


def _candidates(
    buckets: Mapping[_Bucket, list[ClaimFacts]],
    predicates: Mapping[int, PredicateInfo],
    exclusive_pairs: AbstractSet[tuple[int, int]],
) -> Iterator[tuple[ClaimFacts, ClaimFacts]]:
    """Pairs that some rule could fire for; every pair a rule fires for is among them.

    * negation — one bucket, opposite polarity, overlapping times;
    * event_date — one bucket of an event predicate, both affirmed, disjoint times;
    * single_value — one single-valued predicate, both affirmed, values of one kind
      (entity, date, string) under different keys, overlapping times;
    * numeric — one bucket of numbers (a base unit) of a single-valued predicate, both
      affirmed, different numbers, overlapping times;
    * exclusive — the same value key under both predicates of a declared pair, both
      affirmed, overlapping times.
    """
    by_kind: dict[tuple[int, Hashable], list[ClaimFacts]] = {}
    for (predicate_id, key), bucket in buckets.items():
        p = predicates[predicate_id]
        affirmed = [c for c in bucket if not c.negated]
        if 0 < len(affirmed) < len(bucket):
            yield from overlapping_across(bucket, lambda c: c.negated)
        if p.kind == "event" and len(affirmed) > 1:
            yield from disjoint_pairs(affirmed)
        if p.single_valued and key[0] == "number" and len(affirmed) > 1:
            yield from overlapping_across(affirmed, lambda c: c.quantity)
        elif p.single_valued and key[0] != "none":
            by_kind.setdefault((predicate_id, key[0]), []).extend(affirmed)
    for affirmed in by_kind.values():
        yield from overlapping_across(affirmed, lambda c: c.key)
    present = {predicate_id for predicate_id, _key in buckets}
    for p, q in exclusive_pairs:
        if p < q and p in present and q in present:
            for (predicate_id, key), bucket in buckets.items():
                if predicate_id == p and (q, key) in buckets:
                    both = [c for c in (*bucket, *buckets[(q, key)]) if not c.negated]
                    yield from overlapping_across(both, lambda c: c.predicate)


def _partnered(claims: Sequence[ClaimFacts]) -> Iterator[ClaimFacts]:
    """The claims that overlap in time another claim citing none of their documents.

    The claims must all agree with each other (one value, one polarity). Counted, not
    paired: for each claim, the claims overlapping it that share no document are, by
    inclusion–exclusion over its documents, sum over subsets T of (−1)^|T| times those
    overlapping it that cite all of T; each count is two binary searches. A claim cites
    few documents, so the subsets are few.
    """
    cited = [c for c in claims if c.documents]
    by_documents: dict[frozenset[int], _Overlaps] = {}
    for claim in cited:
        for subset in _subsets(claim.documents):
            by_documents.setdefault(subset, _Overlaps()).add(_interval(claim))
    for overlaps in by_documents.values():
        overlaps.sort()
    for claim in cited:
        start, end = _interval(claim)
        independent = sum(
            (-1) ** len(subset) * by_documents[subset].count(start, end)
            for subset in _subsets(claim.documents)
        )
        if independent > 0:
            yield claim


def _subsets(documents: frozenset[int]) -> Iterator[frozenset[int]]:
    """Every subset of *documents*, the empty one included."""
    items = sorted(documents)
    for size in range(len(items) + 1):
        for chosen in combinations(items, size):
            yield frozenset(chosen)


@dataclass(slots=True)
class _Overlaps:
    """Intervals as two sorted lists, to count those that overlap a given interval."""

    starts: list[date] = field(default_factory=list)
    ends: list[date] = field(default_factory=list)

    def add(self, interval: tuple[date, date]) -> None:
        self.starts.append(interval[0])
        self.ends.append(interval[1])

    def sort(self) -> None:
        self.starts.sort()
        self.ends.sort()

    def count(self, start: date, end: date) -> int:
        """How many start no later than *end*, less those that end before *start*."""
        return bisect_right(self.starts, end) - bisect_left(self.ends, start)


def _corroborated(bucket: Sequence[ClaimFacts], tolerance: float | None) -> set[int]:
    """The claims of one bucket that corroborate at least one other claim of it.

    Claims of one polarity and one value agree, so counting settles them (``_partnered``);
    numbers agree within the tolerance, so a number without a partner of its very value is
    compared with the claims of the values within the tolerance, nearest first, until one
    corroborates it.
    """
    found: set[int] = set()
    for negated in (False, True):
        side = [c for c in bucket if c.negated == negated]
        if len(side) < 2:
            continue
        if len(side) <= _FEW:  # most buckets: comparing costs less than counting
            found.update(x.id for x in side if any(corroborates(x, y, tolerance) for y in side))
            continue
        if side[0].quantity is None:
            found.update(c.id for c in _partnered(side))
            continue
        by_value: dict[float, list[ClaimFacts]] = {}
        for claim in side:
            assert claim.quantity is not None
            by_value.setdefault(claim.quantity[0], []).append(claim)
        values = sorted(by_value)
        for position, value in enumerate(values):
            alike = by_value[value]
            partnered = {c.id for c in _partnered(alike)}
            found |= partnered
            for claim in alike:
                if claim.id not in partnered and _near_partner(
                    claim, values, position, by_value, tolerance
                ):
                    found.add(claim.id)
    return found


def _near_partner(
    claim: ClaimFacts,
    values: list[float],
    position: int,
    by_value: Mapping[float, list[ClaimFacts]],
    tolerance: float | None,
) -> bool:
    """Whether a claim of another value within the tolerance corroborates *claim*.

    Agreement fails for good once a value is too far (|x − y| grows faster than the
    relative slack of ``same_value``), so each direction stops at its first disagreeing
    value."""
    for step in (-1, 1):
        index = position + step
        while 0 <= index < len(values):
            others = by_value[values[index]]
            if same_value(claim, others[0], tolerance) is not True:
                break
            if any(corroborates(claim, other, tolerance) for other in others):
                return True
            index += step
    return False


@dataclass(slots=True)
class BlockResult:
    """What the rules find in one block."""

    findings: list[Finding] = field(default_factory=list)
    # The claims that corroborate another, each with its group: the lowest id among the
    # corroborated claims of its predicate, value key and polarity. A claim's partners are
    # among its group (``corroborates`` decides which), so n restatements cost n entries.
    corroborated: dict[int, int] = field(default_factory=dict)


def analyse_block(
    claims: Sequence[ClaimFacts],
    predicates: Mapping[int, PredicateInfo],
    exclusive_pairs: AbstractSet[tuple[int, int]],
) -> BlockResult:
    """All conflicts (each (a, b, rule) once) and the corroborated claims of one block.

    The result equals comparing every pair with ``conflicts`` and ``corroborates``, at the
    cost of n log n plus the conflicts found (module section above).
    """
    result = BlockResult()
    buckets = _buckets(claims)
    seen: set[tuple[int, int, str]] = set()
    for x, y in _candidates(buckets, predicates, exclusive_pairs):
        a, b = (x, y) if x.id < y.id else (y, x)
        for rule in conflicts(a, b, predicates, exclusive_pairs):
            if (a.id, b.id, rule) not in seen:
                seen.add((a.id, b.id, rule))
                internal = not a.documents.isdisjoint(b.documents)
                result.findings.append(Finding(rule, a.id, b.id, internal))
    for (predicate_id, _key), bucket in buckets.items():
        found = _corroborated(bucket, predicates[predicate_id].tolerance)
        for negated in (False, True):
            members = sorted(c.id for c in bucket if c.negated == negated and c.id in found)
            for claim_id in members:
                result.corroborated[claim_id] = members[0]
    return result


def partners(claim: ClaimFacts, group: Iterable[ClaimFacts], tolerance: float | None) -> list[int]:
    """The ids of the claims of *group* that corroborate *claim*, in id order."""
    return sorted(c.id for c in group if corroborates(claim, c, tolerance))


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
