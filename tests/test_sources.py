"""Source reliability: TruthFinder as a pure function, and the per-publication report."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select

from factbase import ClaimFilter, ClaimInput, FactBase
from factbase.models import CorroboratedClaim, Publication
from factbase.sources import (
    claim_confidence,
    conflict_slots,
    publication_trust,
    publication_trust_by_name,
    source_report,
    stored_trust,
)
from factbase.truth import INITIAL_TRUST, fact_confidence, truthfinder

# TruthFinder on hand-made examples -----------------------------------------------------------

# s1 and s2 agree on every object; s3 dissents on two of them and agrees on the third.
MAJORITY = {
    "capital": {"Tashkent": {"s1", "s2"}, "Samarkand": {"s3"}},
    "currency": {"som": {"s1", "s2"}, "rouble": {"s3"}},
    "continent": {"Asia": {"s1", "s2", "s3"}},
}


def _tau(t: float) -> float:
    return -math.log(1 - t)


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def test_majority_source_is_trusted_more_than_a_lone_dissenter() -> None:
    trust, confidence, iterations = truthfinder(MAJORITY)
    assert trust["s1"] == trust["s2"] > trust["s3"]
    assert confidence["capital"]["Tashkent"] > confidence["capital"]["Samarkand"]
    assert confidence["currency"]["som"] > confidence["currency"]["rouble"]
    assert 1 <= iterations <= 20


def test_one_iteration_follows_the_papers_formulas() -> None:
    tau = _tau(0.9)
    trust, confidence, iterations = truthfinder(
        {"o": {"a": {"w1"}, "b": {"w2", "w3"}}}, max_iterations=1
    )
    assert iterations == 1
    # σ*(a) = σ(a) + ρ·σ(b)·(−1) = τ − 0.5·2τ; σ*(b) = 2τ − 0.5·τ; t(w) = s(f) of its fact
    a, b = _sigmoid(0.3 * (tau - 0.5 * 2 * tau)), _sigmoid(0.3 * (2 * tau - 0.5 * tau))
    assert trust == pytest.approx({"w1": a, "w2": b, "w3": b})
    # the confidences returned are those of the returned trust: one more fact step
    assert confidence["o"]["a"] == pytest.approx(_sigmoid(0.3 * (_tau(a) - 0.5 * 2 * _tau(b))))
    assert confidence["o"]["b"] == pytest.approx(_sigmoid(0.3 * (2 * _tau(b) - 0.5 * _tau(a))))


def test_single_fact_slots_raise_confidence_above_one_half() -> None:
    trust, confidence, _ = truthfinder({"o": {"a": {"w"}}}, max_iterations=1)
    assert trust["w"] == pytest.approx(_sigmoid(0.3 * _tau(INITIAL_TRUST)))
    assert confidence["o"]["a"] == pytest.approx(_sigmoid(0.3 * _tau(trust["w"])))
    assert confidence["o"]["a"] > 0.5


def test_fact_from_more_trusted_sources_gets_higher_confidence() -> None:
    slots = {**MAJORITY, "river": {"Amu Darya": {"s1"}}, "lake": {"Aral": {"s3"}}}
    trust, confidence, _ = truthfinder(slots)
    assert trust["s1"] > trust["s3"]
    assert confidence["river"]["Amu Darya"] > confidence["lake"]["Aral"]


def test_more_sources_give_higher_confidence() -> None:
    _trust, confidence, _ = truthfinder({"x": {"a": {"w1", "w2"}}, "y": {"b": {"w3"}}})
    assert confidence["x"]["a"] > confidence["y"]["b"]


def test_supporting_facts_raise_confidence_where_conflicting_ones_lower_it() -> None:
    slots = {"when": {"2006": {"w1"}, "August 2006": {"w2"}}}
    _t, exclusive, _ = truthfinder(slots)
    _t, supporting, _ = truthfinder(slots, implication=lambda _slot, _f1, _f2: 1.0)
    _t, independent, _ = truthfinder(slots, implication=lambda _slot, _f1, _f2: 0.0)
    for fact in ("2006", "August 2006"):
        assert exclusive["when"][fact] < independent["when"][fact] < supporting["when"][fact]


def test_stops_at_the_first_iteration_whose_trust_vector_keeps_its_direction() -> None:
    delta = 1e-6
    trust, _c, iterations = truthfinder(MAJORITY, delta=delta)
    assert 1 < iterations < 20
    before, _c, _i = truthfinder(MAJORITY, delta=0, max_iterations=iterations - 1)
    after, _c, _i = truthfinder(MAJORITY, delta=0, max_iterations=iterations)
    assert after == trust
    earlier, _c, _i = truthfinder(MAJORITY, delta=0, max_iterations=iterations - 2)
    assert _cos(earlier, before) < 1 - delta <= _cos(before, after)


def _cos(a: dict[Hashable, float], b: dict[Hashable, float]) -> float:
    dot = sum(a[k] * b[k] for k in a)
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def test_max_iterations_caps_the_loop() -> None:
    assert truthfinder(MAJORITY, delta=0).iterations == 20
    assert truthfinder(MAJORITY, delta=0, max_iterations=3).iterations == 3


def test_empty_input() -> None:
    assert truthfinder({}) == ({}, {}, 0)
    assert truthfinder({"o": {}}) == ({}, {"o": {}}, 0)


@pytest.mark.parametrize(
    "parameters",
    [
        {"initial_trust": 0},
        {"initial_trust": 1},
        {"gamma": 0},
        {"rho": -0.1},
        {"delta": 1},
        {"max_iterations": 0},
        {"implication": lambda _s, _a, _b: -2},
        {"implication": lambda _s, _a, _b: math.nan},
    ],
)
def test_invalid_parameters(parameters: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        truthfinder(MAJORITY, **parameters)


def test_a_fact_needs_a_source() -> None:
    with pytest.raises(ValueError, match="no source"):
        truthfinder({"o": {"a": {"w"}, "b": set()}})


def test_trust_stays_inside_the_open_interval_when_confidence_saturates() -> None:
    crowd = {f"o{i}": {"x": {f"w{j}" for j in range(200)}} for i in range(3)}
    trust, confidence, _ = truthfinder(crowd, gamma=50, delta=0)
    assert all(0 < t < 1 for t in trust.values())
    assert all(math.isfinite(s) for facts in confidence.values() for s in facts.values())
    trust, _c, _i = truthfinder({"o": {"x": {"a"}, "y": {f"w{j}" for j in range(500)}}}, gamma=50)
    assert 0 < trust["a"] < 1


# Properties -----------------------------------------------------------------------------------

SOURCES = st.integers(0, 5)
SLOT_MAPS = st.dictionaries(
    st.integers(0, 5),
    st.dictionaries(st.integers(0, 4), st.frozensets(SOURCES, min_size=1), min_size=1, max_size=4),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(SLOT_MAPS)
def test_trust_and_confidence_are_probabilities(slots: dict) -> None:
    trust, confidence, iterations = truthfinder(slots)
    assert set(trust) == {w for facts in slots.values() for ws in facts.values() for w in ws}
    assert all(0 < t < 1 for t in trust.values())
    assert all(0 < s < 1 for facts in confidence.values() for s in facts.values())
    assert {slot: set(facts) for slot, facts in confidence.items()} == {
        slot: set(facts) for slot, facts in slots.items()
    }
    assert (iterations == 0) == (not trust)
    assert iterations <= 20


@settings(max_examples=150, deadline=None)
@given(SLOT_MAPS)
def test_confidence_is_what_the_trust_gives(slots: dict) -> None:
    """The confidences returned are the fact step of the returned trust (what lets a
    listing score one slot from stored trust)."""
    trust, confidence, _ = truthfinder(slots)
    for slot, facts in slots.items():
        assert confidence[slot] == fact_confidence(facts, trust)


@settings(max_examples=150, deadline=None)
@given(SLOT_MAPS, st.permutations(range(6)))
def test_relabelling_sources_permutes_the_result(slots: dict, permutation: list[int]) -> None:
    relabelled = {
        slot: {fact: {permutation[w] for w in sources} for fact, sources in facts.items()}
        for slot, facts in slots.items()
    }
    trust, confidence, iterations = truthfinder(slots)
    trust2, confidence2, iterations2 = truthfinder(relabelled)
    assert trust2 == {permutation[w]: t for w, t in trust.items()}
    assert confidence2 == confidence
    assert iterations2 == iterations


@settings(max_examples=100, deadline=None)
@given(SLOT_MAPS, st.randoms(use_true_random=False))
def test_deterministic_whatever_the_order_of_the_input(slots: dict, rng) -> None:
    items = [(slot, list(facts.items())) for slot, facts in slots.items()]
    rng.shuffle(items)
    for _slot, facts in items:
        rng.shuffle(facts)
    shuffled = {slot: {fact: set(sources) for fact, sources in facts} for slot, facts in items}
    first = truthfinder(slots)
    assert truthfinder(slots) == first
    assert truthfinder(shuffled) == first


@settings(max_examples=100, deadline=None)
@given(SLOT_MAPS, SOURCES)
def test_a_source_copying_another_gets_the_same_trust(slots: dict, original: int) -> None:
    copied = {
        slot: {
            fact: {*sources, "copy"} if original in sources else set(sources)
            for fact, sources in facts.items()
        }
        for slot, facts in slots.items()
    }
    trust, _c, _i = truthfinder(copied)
    if original in trust:
        assert trust["copy"] == trust[original]
    else:
        assert "copy" not in trust


# The fact base --------------------------------------------------------------------------------

ROW_KEYS = [
    "publication",
    "documents",
    "claims",
    "corroborated",
    "in_open_conflict",
    "decided_for",
    "decided_against",
    "trust",
]


@pytest.fixture
def checked(seeded: FactBase) -> FactBase:
    seeded.check()
    return seeded


def report(fb: FactBase) -> dict[str, dict[str, Any]]:
    with fb.store.session() as session:
        rows = source_report(session)
    assert [list(row) for row in rows] == [ROW_KEYS] * len(rows)
    assert [row["publication"] for row in rows] == sorted(row["publication"] for row in rows)
    return {row["publication"]: row for row in rows}


def expected(fb: FactBase) -> dict[str, dict[str, int]]:
    """The counts of every publication, from the public API and the corroborations table."""
    publication_of = {d["slug"]: d["publication"] for d in fb.documents()}
    documents: dict[str, set[str]] = defaultdict(set)
    for slug, publication in publication_of.items():
        documents[publication].add(slug)
    active: dict[str, set[int]] = defaultdict(set)
    every: dict[str, set[int]] = defaultdict(set)
    for claim in fb.claims(ClaimFilter(status=None)):
        for span in claim["spans"]:
            publication = publication_of[span["document"]]
            every[publication].add(claim["id"])
            if claim["status"] == "active":
                active[publication].add(claim["id"])
    with fb.store.session() as session:
        corroborated = set(session.scalars(select(CorroboratedClaim.claim_id)))
    conflicts = fb.conflicts()
    in_open = {i for c in conflicts if c["status"] == "open" for i in c["claims"]}

    def decided(publication: str, status: str) -> int:
        return sum(
            1 for c in conflicts if c["status"] == status and every[publication] & set(c["claims"])
        )

    return {
        publication: {
            "documents": len(documents[publication]),
            "claims": len(active[publication]),
            "corroborated": len(active[publication] & corroborated),
            "in_open_conflict": len(active[publication] & in_open),
            "decided_for": decided(publication, "dismissed"),
            "decided_against": decided(publication, "confirmed"),
        }
        for publication in documents
    }


def counts(rows: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        name: {k: v for k, v in row.items() if k not in {"publication", "trust"}}
        for name, row in rows.items()
    }


def test_one_row_per_publication_with_consistent_counts(checked: FactBase) -> None:
    rows = report(checked)
    assert counts(rows) == expected(checked)
    assert sum(row["documents"] for row in rows.values()) == len(checked.documents())
    assert any(row["in_open_conflict"] for row in rows.values())
    assert any(row["corroborated"] for row in rows.values())
    assert all(0 < row["trust"] < 1 for row in rows.values())
    with checked.store.session() as session:
        by_name = publication_trust_by_name(session)
    assert by_name == {name: row["trust"] for name, row in rows.items()}


def test_triage_moves_decided_for_and_against(checked: FactBase) -> None:
    before = report(checked)
    address = checked.conflicts(rule="single_value")[0]
    checked.decide(address["id"], "dismiss", "the foundation moved offices")
    dismissed = report(checked)
    assert counts(dismissed) == expected(checked)
    sides = _publications_of(checked, address["claims"])
    assert len(sides) == 2  # the two Jamestown footers, in two publications
    for name, row in dismissed.items():
        assert row["decided_for"] == before[name]["decided_for"] + (name in sides)
        assert row["decided_against"] == before[name]["decided_against"]
        # a dismissed conflict no longer weighs against either side
        assert (row["trust"] > before[name]["trust"]) if name in sides else True

    dated = checked.conflicts(rule="event_date")[0]
    checked.decide(dated["id"], "confirm", "the 2007 briefing counts from 1996")
    confirmed = report(checked)
    assert counts(confirmed) == expected(checked)
    for name in _publications_of(checked, dated["claims"]):
        assert confirmed[name]["decided_against"] == dismissed[name]["decided_against"] + 1
        assert confirmed[name]["in_open_conflict"] < dismissed[name]["in_open_conflict"]
    # confirming agrees with the rules, so trust does not move
    assert {n: r["trust"] for n, r in confirmed.items()} == {
        n: r["trust"] for n, r in dismissed.items()
    }

    checked.decide(address["id"], "reopen", None)
    assert {n: r["trust"] for n, r in report(checked).items()} == {
        n: r["trust"] for n, r in before.items()
    }


def _publications_of(fb: FactBase, claim_ids: list[int]) -> set[str]:
    publication_of = {d["slug"]: d["publication"] for d in fb.documents()}
    return {
        publication_of[span["document"]]
        for claim_id in claim_ids
        for span in fb.claim(claim_id)["spans"]
    }


def test_retracted_claims_leave_the_counts(checked: FactBase) -> None:
    before = report(checked)
    claim = checked.claims(ClaimFilter(doc="fir-6-17"))[0]
    checked.retract_claim(claim["id"], "test")
    checked.check()
    after = report(checked)
    assert counts(after) == expected(checked)
    assert after["Fortnight in Review"]["claims"] == before["Fortnight in Review"]["claims"] - 1


def test_publications_in_conflict_are_trusted_less(checked: FactBase) -> None:
    """Fortnight in Review and Monitor give different addresses (and Fortnight in Review
    dates Uzbekistan's exit from the CST differently from the 2007 briefing)."""
    rows = report(checked)
    conflicted = {"Fortnight in Review", "Monitor"}
    assert all(rows[name]["in_open_conflict"] for name in conflicted)
    clean = [row for row in rows.values() if not row["in_open_conflict"]]
    assert clean, "the seed corpus has a publication without conflicts"
    for name in conflicted:
        assert all(rows[name]["trust"] < row["trust"] for row in clean)
    # the publication in two conflicts fares worst
    assert rows["Fortnight in Review"]["trust"] == min(row["trust"] for row in rows.values())


def test_negative_implications_are_exactly_the_open_conflicts(checked: FactBase) -> None:
    with checked.store.session() as session:
        slots = conflict_slots(session)
    rivals, supporters = set(), set()
    for slot, facts in slots.facts.items():
        for f_prime in facts:
            for f in facts:
                if f_prime == f:
                    continue
                imp = slots.implication(slot, f_prime, f)
                assert slots.implication(slot, f, f_prime) == imp
                pairs = {
                    tuple(sorted((a.id, b.id)))
                    for a in slots.claims[(slot, f_prime)]
                    for b in slots.claims[(slot, f)]
                }
                (rivals if imp < 0 else supporters if imp > 0 else set()).update(pairs)
    assert rivals == {tuple(c["claims"]) for c in checked.conflicts(status="open")}
    # "rejoined the CSTO in 2006" and "... in August 2006" support each other
    assert supporters
    texts = {c["id"]: c["text"] for c in checked.claims()}
    assert any("2006" in texts[a] and "2006" in texts[b] for a, b in supporters)


def test_publication_without_claims_gets_the_initial_trust(
    checked: FactBase, tmp_path: Path
) -> None:
    page = tmp_path / "gazette.txt"
    page.write_text("Nothing here is claimed.\n", "utf-8")
    checked.ingest([page], slug="gazette-1", publication="Empty Gazette")
    row = report(checked)["Empty Gazette"]
    assert row == {
        "publication": "Empty Gazette",
        "documents": 1,
        "claims": 0,
        "corroborated": 0,
        "in_open_conflict": 0,
        "decided_for": 0,
        "decided_against": 0,
        "trust": INITIAL_TRUST,
    }
    with checked.store.session() as session:
        gazette = session.scalar(select(Publication.id).where(Publication.name == "Empty Gazette"))
        for method in ("truthfinder", "crh", "vote"):
            assert publication_trust(session, method)[gazette] == INITIAL_TRUST


def test_empty_base(fb: FactBase) -> None:
    with fb.store.session() as session:
        assert source_report(session) == []
        assert publication_trust(session) == {}


# Trust stored by the check, confidence from one slot -------------------------------------------


def _global_confidence(fb: FactBase) -> dict[int, float]:
    """Every active claim's confidence from truth discovery over the whole base."""
    with fb.store.session() as session:
        slots = conflict_slots(session)
        result = slots.run()
    return {
        claim.id: result.confidence[slot][fact]
        for (slot, fact), claims in slots.claims.items()
        for claim in claims
    }


def test_check_stores_the_trust_sources_computes(checked: FactBase) -> None:
    with checked.store.session() as session:
        stored = stored_trust(session)
        assert stored == publication_trust(session)  # exactly: the same run, split by subject
    assert len(set(stored.values())) > 1


def test_confidence_from_its_slot_is_the_global_one(checked: FactBase) -> None:
    expected = _global_confidence(checked)
    with checked.store.session() as session:
        assert claim_confidence(session, list(expected)) == expected
        some = sorted(expected)[::7]
        assert claim_confidence(session, some) == {i: expected[i] for i in some}
    listed = {c["id"]: c["confidence"] for c in checked.claims(confidence=True)}
    assert {i: listed[i] for i in expected} == {i: round(s, 4) for i, s in expected.items()}
    claim_id = some[1]
    assert checked.claim(claim_id)["confidence"] == round(expected[claim_id], 4)


def test_listing_reads_all_slots_in_one_go(checked: FactBase) -> None:
    ids = sorted(_global_confidence(checked))
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    with checked.store.session() as session:
        event.listen(session.get_bind(), "before_cursor_execute", count)
        try:
            claim_confidence(session, ids)  # the session's own first statements aside
            statements.clear()
            claim_confidence(session, ids[:1])
            one = len(statements)
            statements.clear()
            claim_confidence(session, ids)
        finally:
            event.remove(session.get_bind(), "before_cursor_execute", count)
    assert len(statements) == one


def _page(fb: FactBase, tmp_path: Path, slug: str, publication: str | None, quote: str) -> None:
    page = tmp_path / f"{slug}.txt"
    page.write_text(f"We report that {quote}.\n", "utf-8")
    fb.ingest([page], slug=slug, publication=publication)


def test_claims_after_the_check(checked: FactBase, tmp_path: Path) -> None:
    """A slot with a source the check has not seen waits for the next check; a known
    source's new claim is scored with its stored trust at once."""
    seed = next(c for c in checked.claims() if c["object"] and c["status"] == "active")
    _page(checked, tmp_path, "courier-1", "Tashkent Courier", "the courier agrees")
    restated = checked.add_claim(
        ClaimInput(
            text=seed["text"],
            doc="courier-1",
            quote="the courier agrees",
            subject=seed["subject"],
            predicate=seed["predicate"],
            object=seed["object"],
            when=seed["time"]["raw"] if seed["time"] else None,
        )
    )
    _page(checked, tmp_path, "monitor-x", "Monitor", "the canal is long")
    lone = checked.add_claim(
        ClaimInput(
            text="The Fergana canal is long",
            doc="monitor-x",
            quote="the canal is long",
            subject="Fergana canal",
            predicate="length",
            value="270 km",
        )
    )
    listed = {c["id"]: c["confidence"] for c in checked.claims(confidence=True)}
    assert listed[restated["id"]] is None and listed[seed["id"]] is None
    assert listed[lone["id"]] is not None
    checked.check()
    listed = {c["id"]: c["confidence"] for c in checked.claims(confidence=True)}
    expected = _global_confidence(checked)
    assert listed[restated["id"]] == round(expected[restated["id"]], 4)
    assert listed[lone["id"]] == round(expected[lone["id"]], 4)


def test_a_document_without_publication_is_a_stored_source(
    checked: FactBase, tmp_path: Path
) -> None:
    seed = next(c for c in checked.claims() if c["object"] and c["status"] == "active")
    _page(checked, tmp_path, "leaflet", None, "a leaflet says so")
    checked.add_claim(
        ClaimInput(
            text=seed["text"],
            doc="leaflet",
            quote="a leaflet says so",
            subject=seed["subject"],
            predicate=seed["predicate"],
            object=seed["object"],
            when=seed["time"]["raw"] if seed["time"] else None,
        )
    )
    checked.check()
    with checked.store.session() as session:
        stored = stored_trust(session)
        assert any(isinstance(source, tuple) for source in stored)
        expected = _global_confidence(checked)
        assert claim_confidence(session, list(expected)) == expected


# Stored trust for screens ---------------------------------------------------------------------


def _stored_rows(fb: FactBase) -> dict[str, dict[str, Any]]:
    stored = fb.stored_sources()
    return {row["publication"]: row for row in stored["rows"]}


def test_stored_report_counts_by_sql_are_the_computed_ones(checked: FactBase) -> None:
    address = checked.conflicts(rule="single_value")[0]
    checked.decide(address["id"], "dismiss", "the foundation moved offices")
    dated = checked.conflicts(rule="event_date")[0]
    checked.decide(dated["id"], "confirm", "the 2007 briefing counts from 1996")
    computed = report(checked)
    stored = _stored_rows(checked)
    assert list(stored) == list(computed)
    without_trust = {n: {k: v for k, v in r.items() if k != "trust"} for n, r in computed.items()}
    assert {n: {k: v for k, v in r.items() if k != "trust"} for n, r in stored.items()} == (
        without_trust
    )
    assert any(r["decided_for"] for r in stored.values())
    assert any(r["decided_against"] for r in stored.values())


def test_stored_trust_is_the_checks_and_says_when_stale(seeded: FactBase) -> None:
    before = seeded.stored_sources()
    assert before["checked_at"] is None
    assert all(row["trust"] is None for row in before["rows"])
    seeded.check()
    fresh = seeded.stored_sources()
    assert fresh["checked_at"] is not None and fresh["stale"] is False
    computed = report(seeded)
    assert {n: r["trust"] for n, r in _stored_rows(seeded).items()} == {
        n: r["trust"] for n, r in computed.items()
    }
    address = seeded.conflicts(rule="single_value")[0]
    seeded.decide(address["id"], "dismiss", "the foundation moved offices")
    assert seeded.stored_sources()["stale"] is True
    # the stored numbers stay those of the check: nothing recomputed behind the reader's back
    assert (
        _stored_rows(seeded)["Fortnight in Review"]["trust"]
        == (computed["Fortnight in Review"]["trust"])
    )
    assert seeded.check(mode="incremental")["full"] is False  # an incremental check stores no trust
    assert seeded.stored_sources()["stale"] is True
    seeded.check(mode="full")
    assert seeded.stored_sources()["stale"] is False


def test_stored_claim_counts_are_the_last_full_checks(checked: FactBase) -> None:
    before = _stored_rows(checked)["Fortnight in Review"]["claims"]
    claim = checked.claims(ClaimFilter(doc="fir-6-17"))[0]
    checked.retract_claim(claim["id"], "test")
    stale = checked.stored_sources()
    assert stale["stale"] is True
    assert {r["publication"]: r for r in stale["rows"]}["Fortnight in Review"]["claims"] == before
    checked.check(mode="full")
    assert _stored_rows(checked)["Fortnight in Review"]["claims"] == before - 1
    assert _stored_rows(checked) == report(checked)
