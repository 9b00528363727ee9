"""verify and export claimreview honour triage; statements and their negations are mirror
images (issue 9, item 15). The mirror is tested over the seed base and, on the pure rules,
with hypothesis over small synthetic blocks."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factbase import ClaimFilter, FactBase
from factbase.conflicts import blocks_for_subject
from factbase.export import RATINGS
from factbase.rules import ClaimFacts, Judgement, PredicateInfo, judge, restates
from factbase.verify import CANDIDATE_ID
from factbase.verify import judge as judge_in_base

TEMPLATE = "https://desk.example.org/claims/{id}"

LEFT_1999 = "Uzbekistan left the CST in 1999"


def _ids(fb: FactBase, **filters: object) -> set[int]:
    return {c["id"] for c in fb.claims(ClaimFilter(**filters))}  # type: ignore[arg-type]


@pytest.fixture
def left(seeded: FactBase) -> dict[str, int]:
    """The seed's two datings of Uzbekistan leaving the treaty, and their conflict, checked."""
    left = _ids(seeded, subject="Uzbekistan", predicate="left", object="CSTO")
    (in_1999,) = left & _ids(seeded, doc="fir-6-17")
    (in_1996,) = left & _ids(seeded, doc="nbca-2007-05-30")
    seeded.check()
    (conflict,) = [
        c for c in seeded.conflicts(rule="event_date") if set(c["claims"]) == {in_1999, in_1996}
    ]
    return {"1999": in_1999, "1996": in_1996, "conflict": conflict["id"]}


def _negated(candidate: ClaimFacts) -> ClaimFacts:
    return dataclasses.replace(candidate, negated=not candidate.negated)


def _negation_refuters(judgement: Judgement) -> set[int]:
    found = {**judgement.refuting, **judgement.dismissed}
    return {claim_id for claim_id, rules in found.items() if "negation" in rules}


def _assert_mirror(candidate: ClaimFacts, said: Judgement, denied: Judgement) -> None:
    """What supports one refutes the other by the negation rule, both ways; the affirmed one
    of the two is refuted by the negation rule only (the other rules need two affirmed
    claims), so its refuting claims are exactly what supports the negated one."""
    assert set(said.supporting) == _negation_refuters(denied)
    assert set(denied.supporting) == _negation_refuters(said)
    negated = denied if not candidate.negated else said
    affirmed = said if negated is denied else denied
    assert {*negated.refuting, *negated.dismissed} == set(affirmed.supporting)


# Triage ---------------------------------------------------------------------------------


def test_a_dismissed_conflict_no_longer_refutes(seeded: FactBase, left: dict[str, int]) -> None:
    assert seeded.verify(LEFT_1999)["verdict"] == "disputed"
    seeded.decide(left["conflict"], "dismiss", "the estrangement is not the withdrawal")

    result = seeded.verify(LEFT_1999)
    assert result["verdict"] == "supported"
    assert result["supporting"] == [left["1999"]]
    assert left["1996"] not in result["refuting"]
    assert result["dismissed"] == [left["1996"]]
    assert left["1996"] not in result["related"]

    own = seeded.verify_claim(left["1999"])
    assert left["1996"] not in own["refuting"] and own["dismissed"] == [left["1996"]]
    other = seeded.verify_claim(left["1996"])
    assert left["1999"] not in other["refuting"]


def test_only_an_exact_restatement_inherits_a_dismissal(
    seeded: FactBase, left: dict[str, int]
) -> None:
    """ "in August 1999" says more than the 1999 claim, so the reviewer's decision on that
    claim does not cover it: 1996 still refutes it."""
    seeded.decide(left["conflict"], "dismiss", "different events")
    result = seeded.verify("Uzbekistan left the CST in August 1999")
    assert result["verdict"] == "disputed"
    assert left["1996"] in result["refuting"]


def test_a_confirmed_or_reopened_conflict_still_refutes(
    seeded: FactBase, left: dict[str, int]
) -> None:
    seeded.decide(left["conflict"], "confirm")
    assert left["1996"] in seeded.verify(LEFT_1999)["refuting"]
    seeded.decide(left["conflict"], "dismiss", "different events")
    seeded.decide(left["conflict"], "reopen")
    assert left["1996"] in seeded.verify(LEFT_1999)["refuting"]


def test_claimreview_export_honours_a_dismissal(seeded: FactBase, left: dict[str, int]) -> None:
    def rating(claim_id: int) -> str:
        reviews = seeded.claimreviews(url_template=TEMPLATE, include_all=True)
        (review,) = [r for r in reviews if r["url"] == TEMPLATE.format(id=claim_id)]
        return review["reviewRating"]["alternateName"]

    refuted = RATINGS["refuted"][1]
    assert rating(left["1999"]) == refuted
    seeded.decide(left["conflict"], "dismiss", "different events")
    assert rating(left["1999"]) != refuted
    assert rating(left["1996"]) != refuted


def test_retracted_claims_are_never_evidence(seeded: FactBase, left: dict[str, int]) -> None:
    before = seeded.verify(LEFT_1999)
    assert left["1996"] in before["refuting"]
    seeded.retract_claim(left["1996"], "misread")
    for statement in (LEFT_1999, "Uzbekistan left the CST in 1996", "Uzbekistan left the CST"):
        result = seeded.verify(statement)
        for role in ("supporting", "refuting", "dismissed", "related"):
            assert left["1996"] not in result[role], (statement, role)
    assert seeded.verify(LEFT_1999)["verdict"] == "supported"
    reviews = seeded.claimreviews(url_template=TEMPLATE, include_all=True)
    reviewed = {r["claimReviewed"] for r in reviews}
    assert seeded.claim(left["1996"])["text"] not in reviewed


# Mirror -----------------------------------------------------------------------------------


def test_a_statement_and_its_negation_are_mirror_images(
    seeded: FactBase, left: dict[str, int]
) -> None:
    said = seeded.verify(LEFT_1999)
    denied = seeded.verify("Uzbekistan did not leave the CST in 1999")
    assert denied["parsed"]["negated"] and not said["parsed"]["negated"]
    assert set(denied["refuting"]) == set(said["supporting"]) == {left["1999"]}
    assert denied["supporting"] == []  # 1996 refutes the date, not the leaving


def test_mirror_holds_for_every_seed_claim(seeded: FactBase, left: dict[str, int]) -> None:
    """Each seed claim, as an unstored candidate, and its negation, before and after a
    dismissal (dismissed refutations counted with the refuting ones)."""
    for dismissed in (False, True):
        if dismissed:
            seeded.decide(left["conflict"], "dismiss", "different events")
        with seeded.store.session() as session:
            subjects = {c["subject"] for c in seeded.claims()}
            for subject in subjects:
                entity = seeded.entity(subject)
                for claim in blocks_for_subject(session, entity["id"]):
                    candidate = dataclasses.replace(
                        claim, id=CANDIDATE_ID, documents=frozenset({CANDIDATE_ID})
                    )
                    said = judge_in_base(session, candidate)
                    denied = judge_in_base(session, _negated(candidate))
                    _assert_mirror(candidate, said, denied)
                    assert claim.id in said.supporting  # its own restatement, unstored


# The pure rule, over synthetic blocks -----------------------------------------------------

PREDICATES = {
    1: PredicateInfo(1, "left", "event", single_valued=False, tolerance=None),
    2: PredicateInfo(2, "minister", "state", single_valued=True, tolerance=None),
    3: PredicateInfo(3, "strength", "attribute", single_valued=True, tolerance=5.0),
}
EXCLUSIVE = {(1, 2)}
YEARS = st.sampled_from([None, 1996, 1999, 2000])


@st.composite
def facts(draw: st.DrawFn, claim_id: int) -> ClaimFacts:
    predicate = draw(st.sampled_from([1, 2, 3]))
    year = draw(YEARS)
    numeric = predicate == 3
    return ClaimFacts(
        id=claim_id,
        subject=1,
        predicate=predicate,
        object=None if numeric else draw(st.sampled_from([10, 11])),
        value=None,
        number=float(draw(st.sampled_from([100, 103, 120]))) if numeric else None,
        unit=None,
        date_value=None,
        negated=draw(st.booleans()),
        earliest=date(year, 1, 1) if year else None,
        latest=date(year, 12, 31) if year else None,
        documents=frozenset({claim_id}),
    )


@st.composite
def blocks(draw: st.DrawFn) -> tuple[ClaimFacts, list[ClaimFacts], set[tuple[int, int, str]]]:
    size = draw(st.integers(0, 6))
    block = [draw(facts(claim_id)) for claim_id in range(1, size + 1)]
    candidate = dataclasses.replace(draw(facts(CANDIDATE_ID)), documents=frozenset({CANDIDATE_ID}))
    pairs = [(a, b) for a in range(1, size + 1) for b in range(a + 1, size + 1)]
    dismissed = {
        (a, b, rule)
        for a, b in draw(st.lists(st.sampled_from(pairs), max_size=4) if pairs else st.just([]))
        for rule in ("negation", "single_value", "numeric", "event_date", "exclusive")
    }
    return candidate, block, dismissed


@settings(max_examples=300, deadline=None)
@given(blocks())
def test_mirror_over_synthetic_blocks(
    case: tuple[ClaimFacts, list[ClaimFacts], set[tuple[int, int, str]]],
) -> None:
    candidate, block, dismissed = case
    said = judge(candidate, block, PREDICATES, EXCLUSIVE, dismissed)
    denied = judge(_negated(candidate), block, PREDICATES, EXCLUSIVE, dismissed)
    _assert_mirror(candidate, said, denied)
    if not dismissed:
        assert not said.dismissed and not denied.dismissed


@settings(max_examples=300, deadline=None)
@given(blocks())
def test_dismissal_only_applies_through_an_exact_restatement(
    case: tuple[ClaimFacts, list[ClaimFacts], set[tuple[int, int, str]]],
) -> None:
    candidate, block, dismissed = case
    undecided = judge(candidate, block, PREDICATES, EXCLUSIVE)
    assert not undecided.dismissed
    decided = judge(candidate, block, PREDICATES, EXCLUSIVE, dismissed)
    assert decided.supporting == undecided.supporting
    assert {**decided.refuting, **decided.dismissed} == undecided.refuting
    same = {c.id for c in block if restates(candidate, c, PREDICATES[c.predicate].tolerance)}
    for claim_id, rules in decided.dismissed.items():
        assert all(
            any((min(s, claim_id), max(s, claim_id), rule) in dismissed for s in same)
            for rule in rules
        )


def test_restates_needs_the_same_time_interval() -> None:
    def claim(year: int | None, negated: bool = False, obj: int = 10) -> ClaimFacts:
        bounds = (date(year, 1, 1), date(year, 12, 31)) if year else (None, None)
        return ClaimFacts(1, 1, 1, obj, None, None, None, None, negated, *bounds)

    assert restates(claim(1999), claim(1999))
    assert restates(claim(None), claim(None))
    assert not restates(claim(1999), claim(None))
    assert not restates(claim(1999), claim(1999, negated=True))
    assert not restates(claim(1999), claim(1999, obj=11))
    august = dataclasses.replace(claim(1999), earliest=date(1999, 8, 1), latest=date(1999, 8, 31))
    assert not restates(claim(1999), august)
