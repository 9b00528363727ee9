"""Truth discovery: names, the three methods, stability, and `factbase truth` on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factbase import ClaimInput, FactBase
from factbase.truth import (
    INITIAL_TRUST,
    METHODS,
    NAME_SUFFIXES,
    Person,
    crh,
    discover,
    fact_confidence,
    has_evidence,
    is_name_list,
    name_distance,
    name_implication,
    name_key,
    name_support,
    parse_names,
    same_person,
    truthfinder_trust,
    vote,
)

# Names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Knuth, Donald E.", ("knuth",)),
        ("Donald E. Knuth", ("knuth",)),
        ("D. E. Knuth", ("knuth",)),
        ("KNUTH DONALD E", ("knuth",)),
        ("Knuth", ("knuth",)),
        ("Aiken, Peter; Allen, M. David", ("aiken", "allen")),
        ("Peter Aiken, M. David Allen", ("aiken", "allen")),
        ("Aiken, Peter, Allen, M. David", ("aiken", "allen")),
        ("Aiken,Peter/ Allen, David M.", ("aiken", "allen")),
        ("Johnson, Michael K., Troan, Erik W.", ("johnson", "troan")),
        ("Sakari Kouti, Mika Seitsonen", ("kouti", "seitsonen")),
        ("Aho &amp; Lam", ("aho", "lam")),
        ("Nick Rozanski, E&oacute;in Woods", ("rozanski", "woods")),
        ("Curland, Matthew J. (Author) Storage, Bill (Joint Author)", ("curland", "storage")),
        ("By (author) Calvert, Kenneth L. By (author) Donahoo, Michael J.", ("calvert", "donahoo")),
        ("Huston, Stephen D. Johnson, James Syyid, Umar", ("huston", "johnson", "syyid")),
        ("Clercq, Jan De", ("clercq",)),
        ("Hornick, Mark et al", ("hornick",)),
        # one person named twice counts once; two people of one surname count twice
        (
            "Moore, Martin (Author) Hancock, Steven (Author) Hancock, Steve (Joint Author)",
            ("hancock", "moore"),
        ),
        (
            "Stephen Haag; James T Perry; Barrie Sosinsky; Efren Estevez; James Perry",
            ("estevez", "haag", "perry", "sosinsky"),
        ),
        ("Wm. Arthur Conklin, Gregory B. White, Art Conklin, Gregory White", ("conklin", "white")),
        ("Abelson, Harold; Sussman, Gerald Jay; Sussman, Julie", ("abelson", "sussman", "sussman")),
        ("Not Available", ()),
        ("", ()),
    ],
)
def test_name_keys(text: str, key: tuple[str, ...]) -> None:
    assert name_key(text) == key


def test_parse_keeps_given_names() -> None:
    assert parse_names("Knuth, Donald E.") == (Person("knuth", ("donald", "e")),)
    assert parse_names("J.N. Reddy") == (Person("reddy", ("j", "n")),)


# Words that the name parser reads as separators, suffixes or "no author" are not names.
_RESERVED = {"and", "with", "by", "edited", "na", "none", "unknown", "various"}
_NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9).filter(
    lambda word: word not in NAME_SUFFIXES | _RESERVED
)
# Different surnames: two people of one surname may be one person named twice (name_key).
_PEOPLE = st.lists(
    st.tuples(_NAME, _NAME, st.booleans()), min_size=1, max_size=4, unique_by=lambda p: p[1]
)


def _first(first: str, initial: bool) -> str:
    return f"{first[0].upper()}." if initial else first.title()


@given(_PEOPLE)
def test_the_way_a_list_is_written_does_not_change_its_key(people: list) -> None:
    """Case, initials, "Last, First" vs "First Last", separators and order do not matter."""
    expected = tuple(sorted(last for _first_name, last, _i in people))
    spellings = [
        "; ".join(f"{last.title()}, {_first(first, i)}" for first, last, i in people),
        ", ".join(f"{_first(first, i)} {last.title()}" for first, last, i in people),
        " and ".join(f"{first.title()} {last.title()}" for first, last, _i in people),
        "; ".join(f"{last.upper()}, {first.upper()}" for first, last, _i in reversed(people)),
        " / ".join(f"{last.title()}, {first.title()}" for first, last, _i in people),
    ]
    for text in spellings:
        assert name_key(text) == expected, text


@given(_PEOPLE, _PEOPLE)
def test_support_and_distance(a: list, b: list) -> None:
    key_a = tuple(sorted(last for _f, last, _i in a))
    key_b = tuple(sorted(last for _f, last, _i in b))
    assert 0 <= name_support(key_a, key_b) <= 1
    assert name_distance(key_a, key_b) == name_distance(key_b, key_a)
    assert (name_distance(key_a, key_b) == 0) == (key_a == key_b)
    assert name_support(key_a, key_a + key_b) == 1  # a truncated list supports the full one


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (Person("perry", ("james", "t")), Person("perry", ("james",)), True),
        (Person("hancock", ("steven",)), Person("hancock", ("steve",)), True),
        (Person("knuth", ("d", "e")), Person("knuth", ("donald", "ervin")), True),
        (Person("knuth", ()), Person("knuth", ("donald",)), True),
        (Person("conklin", ("wm", "arthur")), Person("conklin", ("art",)), True),
        (Person("perry", ("james", "t")), Person("perry", ("t", "james")), False),
        (Person("sussman", ("gerald", "jay")), Person("sussman", ("julie",)), False),
        (Person("knuth", ("donald",)), Person("graham", ("donald",)), False),
    ],
)
def test_same_person(a: Person, b: Person, same: bool) -> None:
    assert same_person(a, b) is same
    assert same_person(b, a) is same


def test_a_full_list_counts_against_its_truncation() -> None:
    """imp(truncated → full) = +0.5, imp(full → truncated) = −0.5, strangers −0.5."""
    assert name_implication(("aiken",), ("aiken", "allen")) == 0.5
    assert name_implication(("aiken", "allen"), ("aiken",)) == -0.5
    assert name_implication(("aiken", "allen", "brown"), ("aiken",)) == -0.5
    assert name_implication(("aiken",), ("knuth",)) == -0.5
    assert name_implication(("aiken", "allen"), ("aiken", "brown")) == 0.0  # half shared


@given(_PEOPLE, _PEOPLE)
def test_name_implication_is_bounded_and_favours_the_full_list(a: list, b: list) -> None:
    short = tuple(sorted(last for _f, last, _i in a))
    full = tuple(sorted({last for _f, last, _i in a + b}))
    assert -1 <= name_implication(short, full) <= 1
    assert -1 <= name_implication(full, short) <= 1
    if len(full) > len(short):
        assert name_implication(full, short) < 0 < name_implication(short, full)


def test_truncated_listings_do_not_outvote_the_full_list() -> None:
    """Three stores list only the first author, two the full list: with the full list's
    evidence against its truncation, TruthFinder believes the full list."""
    slots = {"isbn": {("dowd",): {"s1", "s2", "s3"}, ("dowd", "mcdonald"): {"s4", "s5"}}}
    result = discover(slots, implication=lambda _s, a, b: name_implication(a, b))
    confidence = result.confidence["isbn"]
    assert confidence[("dowd", "mcdonald")] > confidence[("dowd",)]


def test_a_missing_coauthor_is_asymmetric() -> None:
    assert name_support(("aiken",), ("aiken", "allen")) == 1.0
    assert name_support(("aiken", "allen"), ("aiken",)) == 0.5
    assert name_distance(("aiken",), ("aiken", "allen")) == 0.5
    assert name_support(("aiken",), ("knuth",)) == 0.0


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Knuth, Donald E.", True),
        ("Edited by Lacroix, Zo&eacute;", True),
        ("Jan de Clercq", True),
        ("4526 43rd Street NW", False),
        ("a joint headquarters of Russian and Central Asian armed forces", False),
        ("Russia's most solvent partner in Central Asia", False),
        ("Not Available", False),
    ],
)
def test_name_lists_are_told_from_prose_and_numbers(text: str, names: bool) -> None:
    assert is_name_list(text) is names


# Methods ---------------------------------------------------------------------------------

MAJORITY = {
    "capital": {"Tashkent": {"s1", "s2"}, "Samarkand": {"s3"}},
    "currency": {"som": {"s1", "s2"}, "rouble": {"s3"}},
    "continent": {"Asia": {"s1", "s2", "s3"}},
}


def test_vote_counts_sources() -> None:
    trust, confidence, iterations = vote(MAJORITY)
    assert confidence["capital"] == {"Tashkent": 2 / 3, "Samarkand": 1 / 3}
    assert trust["s1"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    assert iterations == 1


def test_crh_trusts_the_majority_and_picks_its_values() -> None:
    trust, confidence, _ = crh(MAJORITY)
    assert trust["s1"] == trust["s2"] == 1.0
    assert trust["s3"] == pytest.approx(1 / 3)
    assert confidence["capital"]["Tashkent"] > confidence["capital"]["Samarkand"]


def test_crh_with_a_distance_takes_the_weighted_medoid() -> None:
    slots = {"o": {"ab": {"w1"}, "a": {"w2"}, "abc": {"w3"}}}
    keys = {"ab": ("a", "b"), "a": ("a",), "abc": ("a", "b", "c")}
    _t, confidence, _ = crh(slots, distance=lambda _s, f, g: name_distance(keys[f], keys[g]))
    assert max(confidence["o"], key=confidence["o"].get) == "ab"


_SLOTS = st.dictionaries(
    st.integers(0, 5),
    st.dictionaries(
        st.integers(0, 3), st.frozensets(st.integers(0, 4), min_size=1), min_size=1, max_size=3
    ),
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(_SLOTS, _SLOTS, st.sampled_from(METHODS))
def test_documents_about_other_subjects_move_no_trust(
    slots: dict, other: dict, method: str
) -> None:
    """The stability rule: new slots with new sources, or lone claims of old sources, change
    no existing source's trust (exactly, so certainly not by more than 0.01)."""
    before = discover(slots, method)
    extra = {
        ("new", k): {f: {("new", w) for w in ws} for f, ws in v.items()} for k, v in other.items()
    }
    lone = {("lone", w): {"x": {w}} for w in before.trust}
    after = discover({**slots, **extra, **lone}, method)
    for source, trust in before.trust.items():
        assert after.trust[source] == trust
    for slot in slots:
        assert after.confidence[slot] == before.confidence[slot]


@settings(max_examples=60, deadline=None)
@given(_SLOTS, st.sampled_from(METHODS))
def test_trust_and_confidence_are_probabilities(slots: dict, method: str) -> None:
    trust, confidence, _ = discover(slots, method)
    assert all(0 <= t <= 1 for t in trust.values())
    assert all(0 <= c <= 1 for facts in confidence.values() for c in facts.values())
    assert set(confidence) == set(slots)


_IMPLICATIONS = st.sampled_from([-1.0, -0.5, 0.0, 0.5, 1.0])


@settings(max_examples=80, deadline=None)
@given(_SLOTS, st.data())
def test_one_slot_with_the_trust_gives_the_global_confidence(
    slots: dict, data: st.DataObject
) -> None:
    """At the fixed point s(f) is a function of its slot and the sources' trust: one pass
    over a slot with the returned trust reproduces the run over all slots, exactly."""
    weights = {
        (k, g, f): data.draw(_IMPLICATIONS)
        for k, facts in slots.items()
        for f in facts
        for g in facts
        if f != g
    }
    result = discover(slots, implication=lambda k, g, f: weights[(k, g, f)])
    for k, facts in slots.items():
        alone = fact_confidence(facts, result.trust, lambda g, f, k=k: weights[(k, g, f)])
        assert alone == result.confidence[k]


@settings(max_examples=80, deadline=None)
@given(_SLOTS, st.data())
def test_numbered_slots_give_discovers_trust(slots: dict, data: st.DataObject) -> None:
    """What a check stores (slots numbered by its workers) is ``discover``'s trust, exactly."""
    evidence = {k: facts for k, facts in slots.items() if has_evidence(facts)}
    weights = {
        (k, g, f): data.draw(_IMPLICATIONS)
        for k, facts in evidence.items()
        for f in facts
        for g in facts
        if f != g
    }
    sources: list[frozenset[int]] = []
    starts: list[int] = []
    implications: list[tuple[int, int, float]] = []
    for k, facts in evidence.items():
        starts.append(len(sources))
        position = {f: len(sources) + n for n, f in enumerate(facts)}
        sources += facts.values()
        implications += [
            (position[g], position[f], weights[(k, g, f)])
            for f in facts
            for g in facts
            if f != g and weights[(k, g, f)]
        ]
    expected = discover(evidence, implication=lambda k, g, f: weights[(k, g, f)]).trust
    assert truthfinder_trust(sources, starts, implications) == expected


def test_a_source_without_evidence_keeps_the_prior() -> None:
    result = discover({"o": {"a": {"w"}}, "p": {"b": {"v"}, "c": {"u"}}})
    assert result.trust["w"] == INITIAL_TRUST
    assert result.trust["v"] != INITIAL_TRUST


def test_unknown_method() -> None:
    with pytest.raises(ValueError, match="method"):
        discover({}, "oracle")


# The fact base ------------------------------------------------------------------------------


def _bookstores(fb: FactBase, tmp_path: Path) -> dict[str, int]:
    """Three stores list one book's authors; two agree in different spellings."""
    fb.add_predicate("authors", kind="attribute", single_valued=True, value_type="string")
    listings = {
        "alpha": "Knuth, Donald E.; Graham, Ronald L.",
        "beta": "Donald Knuth and Ronald Graham",
        "gamma": "Knuth",
    }
    ids = {}
    for store, authors in listings.items():
        page = tmp_path / f"{store}.txt"
        page.write_text(f"Concrete Mathematics, by {authors}.\n", "utf-8")
        fb.ingest([page], slug=store, publication=store.title())
        claim = fb.add_claim(
            ClaimInput(
                text=f"Concrete Mathematics is by {authors}",
                doc=store,
                quote=authors,
                subject="Concrete Mathematics",
                predicate="authors",
                value=authors,
            )
        )
        ids[store] = claim["id"]
    return ids


@pytest.mark.parametrize("method", METHODS)
def test_truth_picks_the_corroborated_name_list(fb: FactBase, tmp_path: Path, method: str) -> None:
    ids = _bookstores(fb, tmp_path)
    values = fb.truth(subject="Concrete Mathematics", method=method)["values"]
    assert values[0]["subject"] == "Concrete Mathematics"
    assert values[0]["predicate"] == "authors"
    assert values[0]["claims"] == sorted([ids["alpha"], ids["beta"]])
    assert set(values[0]) == {"subject", "predicate", "value", "confidence", "claims"}
    assert len(values) == 1  # "Knuth" alone is a rival, not shown
    trust = {row["publication"]: row["trust"] for row in fb.sources(method)}
    assert trust["Alpha"] == trust["Beta"] > trust["Gamma"]


def test_claims_carry_their_confidence(fb: FactBase, tmp_path: Path) -> None:
    ids = _bookstores(fb, tmp_path)
    unchecked = fb.claims(confidence=True)
    assert [c["confidence"] for c in unchecked] == [None] * 3  # no trust stored yet
    assert fb.claim(ids["alpha"])["confidence"] is None
    fb.check()
    listed = {c["id"]: c["confidence"] for c in fb.claims(confidence=True)}
    assert listed[ids["alpha"]] == listed[ids["beta"]] > listed[ids["gamma"]]
    assert fb.claim(ids["gamma"])["confidence"] == listed[ids["gamma"]]
    assert "confidence" not in fb.claims()[0]  # the hot listing path stays as it was


def test_unrelated_documents_leave_trust_alone(seeded: FactBase, tmp_path: Path) -> None:
    """Issue 14: two documents about other subjects moved a publication by 0.09; now by 0."""
    seeded.check()
    before = {row["publication"]: row["trust"] for row in seeded.sources()}
    for n, publication in enumerate(["Monitor", "Tashkent Courier"]):
        page = tmp_path / f"other-{n}.txt"
        page.write_text(f"The Fergana canal was dug in 19{40 + n}. It is long.\n", "utf-8")
        seeded.ingest([page], slug=f"other-{n}", publication=publication)
        seeded.add_claim(
            ClaimInput(
                text=f"The Fergana canal was dug in 19{40 + n}",
                doc=f"other-{n}",
                quote=f"dug in 19{40 + n}",
                subject=f"Fergana canal {n}",
                predicate="length",
                value=f"{100 + n} km",
            )
        )
    seeded.check()
    after = {row["publication"]: row["trust"] for row in seeded.sources()}
    for publication, trust in before.items():
        assert abs(after[publication] - trust) <= 0.01, publication


def test_a_dismissed_conflict_raises_both_sides(seeded: FactBase) -> None:
    seeded.check()
    conflict = seeded.conflicts(status="open")[0]
    a, b = conflict["claims"]
    before = seeded.claims(confidence=True)
    seeded.decide(conflict["id"], "dismiss", "not a real disagreement")
    after = {c["id"]: c["confidence"] for c in seeded.claims(confidence=True)}
    was = {c["id"]: c["confidence"] for c in before}
    assert after[a] > was[a] and after[b] > was[b]


def test_truth_cli(seeded_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert seeded_cli("check").exit_code == 0
    for method in METHODS:
        result = seeded_cli("truth", "--method", method, "--json")
        assert result.exit_code == 0, result.output
        values = json.loads(result.stdout)["values"]
        assert values and all(0 <= v["confidence"] <= 1 and v["claims"] for v in values)
        assert all(("object" in v) != ("value" in v) for v in values)
    shown = seeded_cli("truth", "--subject", "Uzbekistan")
    assert shown.exit_code == 0 and "confidence" in shown.stdout
    bad = seeded_cli("truth", "--method", "oracle")
    assert bad.exit_code == 1 and "unknown method 'oracle'" in bad.stderr
    sources = json.loads(seeded_cli("sources", "--method", "crh", "--json").stdout)
    assert all(0 <= row["trust"] <= 1 for row in sources)
    listed = json.loads(seeded_cli("claim", "list", "--json").stdout)
    assert all("confidence" in claim for claim in listed)
