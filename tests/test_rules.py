"""The conflict and corroboration rules, tested directly (no database).

Examples come from the seed corpus where it has them (the withdrawal year, the publisher's
address, office holders at different times); properties check what must hold for any pair:
symmetry, no self-conflict, corroboration never coinciding with conflict, and that the
bucketed block check finds exactly what comparing all pairs finds.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from itertools import combinations
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factbase import rules
from factbase.reading.timex import parse_time
from factbase.rules import (
    RULES,
    ClaimFacts,
    Finding,
    PredicateInfo,
    analyse_block,
    conflicts,
    corroborates,
    event_date,
    exclusive,
    negation,
    normalize_quantity,
    normalize_value,
    numeric,
    partners,
    same_value,
    single_value,
    times_disjoint,
    times_overlap,
)

# Predicates as in seeds/vocabulary.yaml -------------------------------------------------------

LEFT = PredicateInfo(1, "left", "event", single_valued=False, tolerance=None)
MEMBER = PredicateInfo(2, "member of", "state", single_valued=False, tolerance=None)
ESTRANGED = PredicateInfo(3, "estranged from", "state", single_valued=False, tolerance=None)
DEFENCE_MINISTER = PredicateInfo(4, "defence minister", "state", single_valued=True, tolerance=None)
ADDRESS = PredicateInfo(5, "postal address", "attribute", single_valued=True, tolerance=None)
CONTINGENT = PredicateInfo(6, "Uzbek contingent", "attribute", single_valued=True, tolerance=5)
PARTICIPANTS = PredicateInfo(
    7, "number of participants", "attribute", single_valued=True, tolerance=0
)
CALLED_FOR = PredicateInfo(8, "called for", "event", single_valued=False, tolerance=None)
PRESIDENT = PredicateInfo(9, "president", "state", single_valued=True, tolerance=None)
PRIME_MINISTER = PredicateInfo(10, "prime minister", "state", single_valued=True, tolerance=None)
PREDICATES = {
    p.id: p
    for p in (
        LEFT,
        MEMBER,
        ESTRANGED,
        DEFENCE_MINISTER,
        ADDRESS,
        CONTINGENT,
        PARTICIPANTS,
        CALLED_FOR,
        PRESIDENT,
        PRIME_MINISTER,
    )
}
EXCLUSIVE = {(MEMBER.id, ESTRANGED.id)}  # "estranged from" conflicts_with "member of"

# Entities after alias resolution ("CIS Collective Security Treaty" is an alias of the CSTO).
UZBEKISTAN, RUSSIA, JAMESTOWN, CSTO, USA = 1, 2, 3, 10, 11
SERGEEV, IVANOV, PUTIN = 20, 21, 22
# Documents of the seed corpus.
FIR, MONITOR, EDM_2006, NBCA, EDM_2004 = 100, 101, 102, 103, 104


def when(expr: str, anchor: date | None = None, precision: str = "day") -> dict[str, date]:
    """The interval of a time expression, as the claim's earliest/latest fields."""
    t = parse_time(expr, anchor, precision)
    return {"earliest": t.earliest, "latest": t.latest}


def claim(id: int = 1, predicate: PredicateInfo = ADDRESS, **fields: Any) -> ClaimFacts:
    """A claim with defaults for everything the test does not care about."""
    values: dict[str, Any] = {
        "subject": UZBEKISTAN,
        "object": None,
        "value": None,
        "number": None,
        "unit": None,
        "date_value": None,
        "negated": False,
        "earliest": None,
        "latest": None,
        "documents": frozenset({1000 + id}),
    }
    values.update(fields)
    return ClaimFacts(id=id, predicate=predicate.id, **values)


def docs(*ids: int) -> frozenset[int]:
    return frozenset(ids)


# Value normalisation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("4526 43rd Street NW, Washington, DC 20016", "4526 43rd Street NW, Washington DC 20016"),
        ("Washington, DC 20016", "washington dc 20016"),
        ("Russia’s most solvent partner", "Russia's most solvent partner"),
        ("Russia´s partner", "Russias partner"),
        ("“a collective response”", '"a collective response"'),
        ("Russian–Uzbek cooperation", "Russian-Uzbek cooperation"),
        ("Russian—Uzbek cooperation", "Russian Uzbek cooperation"),
        ("Washington, D.C.", "Washington DC"),
        ("  lots \t of\u00a0space\n", "lots of space"),
        ("ＦＵＬＬＷＩＤＴＨ", "fullwidth"),
        ("Straße", "STRASSE"),
        ("1,000 troops", "1000 troops"),
        ("301-562-8021", "301 562 8021"),
        ("café", "cafe\u0301"),
        ("a_b", "a b"),
    ],
)
def test_values_that_normalise_equal(left: str, right: str) -> None:
    assert normalize_value(left) == normalize_value(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("4526 43rd Street NW, Washington DC 20016", "4516 43rd Street NW, Washington DC 20016"),
        ("3.5 million", "35 million"),
        ("1.2.3", "12.3"),
        ("cafe", "café"),
        ("combat aviation", "combat aviations"),
    ],
)
def test_values_that_stay_different(left: str, right: str) -> None:
    assert normalize_value(left) != normalize_value(right)


def test_normalised_value_is_lower_case_words_and_numbers() -> None:
    assert normalize_value("4526 43rd Street NW, Washington, DC 20016.") == (
        "4526 43rd street nw washington dc 20016"
    )
    assert normalize_value("version 1.2.3, 3.5%!") == "version 1.2.3 3.5"
    assert normalize_value(" — ") == ""


@given(st.text())
def test_normalize_value_is_idempotent(text: str) -> None:
    once = normalize_value(text)
    assert normalize_value(once) == once
    assert once == once.strip() and "  " not in once


WORDS = st.lists(
    st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1), min_size=1
)
SEPARATORS = st.sampled_from([" ", ", ", " - ", " – ", "; ", "  ", "\t", ": ", " (", ") ", "/"])


@given(WORDS, st.data())
def test_case_punctuation_and_whitespace_do_not_matter(
    words: list[str], data: st.DataObject
) -> None:
    joined = words[0]
    for word in words[1:]:
        joined += data.draw(SEPARATORS) + word
    assert normalize_value(joined) == " ".join(words).lower()


# Quantities -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "unit", "expected"),
    [
        (5, "days", (5 * 86400, "s")),  # pint's base units
        (5, "Day", (5 * 86400, "s")),
        (2, "weeks", (14 * 86400, "s")),
        (130, "servicemen", (130, "serviceman")),
        (130, "Serviceman", (130, "serviceman")),
        (25, "countries", (25, "country")),
        (1, "country", (1, "country")),
        (6, "ministers", (6, "minister")),
        (1.5, "km", (1500, "m")),
        (1.5, "kms", (1500, "m")),
        (1500, "metres", (1500, "m")),
        (2, "mi", (3218.688, "m")),
        (2, "Miles", (3218.688, "m")),
        (2, "t", (2000, "kg")),
        (2, "tonnes", (2000, "kg")),
        (2, "metric tons", (2000, "kg")),
        (300, "kg", (300, "kg")),
        (12, "%", (12, "%")),
        (12, "percent", (12, "%")),
        (12, "per cent", (12, "%")),
        (3, "million dollars", (3e6, "USD")),  # ISO 4217
        (3, "thousand million dollars", (3e9, "USD")),
        (3, "billion US dollars", (3e9, "USD")),
        (42, "million euros", (42e6, "EUR")),
        (42e6, "EUR", (42e6, "EUR")),
        (7, "million", (7e6, None)),
        (7, None, (7, None)),
        (7, "", (7, None)),
        (4, "boxes", (4, "box")),
        (4, "glasses", (4, "glass")),
        (4, "widgets", (4, "widget")),
    ],
)
def test_normalize_quantity(number: float, unit: str | None, expected: tuple[float, str]) -> None:
    value, base = normalize_quantity(number, unit)
    assert base == expected[1]
    assert value == pytest.approx(expected[0])


@given(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.sampled_from(
        [("km", "kilometres"), ("servicemen", "serviceman"), ("days", "DAY"), ("%", "percent")]
    ),
)
def test_unit_spellings_agree(number: float, spellings: tuple[str, str]) -> None:
    assert normalize_quantity(number, spellings[0]) == normalize_quantity(number, spellings[1])


# Values -----------------------------------------------------------------------------------------


def test_same_value_by_kind() -> None:
    assert same_value(claim(1, object=CSTO), claim(2, object=CSTO), None) is True
    assert same_value(claim(1, object=CSTO), claim(2, object=USA), None) is False
    assert same_value(claim(1, value="Washington, DC"), claim(2, value="washington dc"), None)
    assert same_value(claim(1, value="4526 43rd St"), claim(2, value="4516 43rd St"), None) is False
    day = date(2000, 8, 28)
    assert same_value(claim(1, date_value=day), claim(2, date_value=day), None) is True
    assert same_value(claim(1, date_value=day), claim(2, date_value=date(2000, 8, 29)), 5) is False


def test_numbers_compare_within_tolerance_after_units() -> None:
    a = claim(1, number=130, unit="servicemen")
    assert same_value(a, claim(2, number=135, unit="serviceman"), 5) is True
    assert same_value(a, claim(2, number=135.5, unit="servicemen"), 5) is False
    assert same_value(a, claim(2, number=131, unit="servicemen"), None) is False
    assert same_value(claim(1, number=1.5, unit="km"), claim(2, number=1500, unit="m"), 0) is True
    # Conversion noise is not a disagreement: 1.005 * 1000 is 1004.9999999999999.
    assert same_value(claim(1, number=1.005, unit="km"), claim(2, number=1005, unit="m"), 0)
    millions = claim(1, number=1.005, unit="million dollars")
    assert same_value(millions, claim(2, number=1_005_000, unit="dollars"), None) is True


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (claim(1, object=CSTO), claim(2, value="CSTO")),
        (claim(1, value="6"), claim(2, number=6)),
        (claim(1, number=6, unit="ministers"), claim(2, number=6, unit="countries")),
        (claim(1, number=6, unit="km"), claim(2, number=6, unit="kg")),
        (claim(1, number=6), claim(2, number=6, unit="m")),
        (claim(1), claim(2, object=CSTO)),
        (claim(1), claim(2)),
        (claim(1, date_value=date(2000, 1, 1)), claim(2, value="2000-01-01")),
    ],
)
def test_incomparable_values(a: ClaimFacts, b: ClaimFacts) -> None:
    assert same_value(a, b, None) is None
    assert same_value(b, a, 10) is None


# Times ------------------------------------------------------------------------------------------


def test_times_from_the_seed_corpus() -> None:
    year_2006 = claim(1, **when("2006"))
    august_2006 = claim(2, **when("2006-08"))
    assert times_overlap(year_2006, august_2006) and not times_disjoint(year_2006, august_2006)
    left_1999 = claim(3, **when("last year", date(2000, 9, 1), "month"))
    left_1996 = claim(4, **when("~10 years before 2006-08"))
    assert (left_1999.earliest, left_1999.latest) == (date(1999, 1, 1), date(1999, 12, 31))
    assert times_disjoint(left_1999, left_1996) and not times_overlap(left_1999, left_1996)


def test_timeless_overlaps_everything_and_bounds_are_inclusive() -> None:
    timeless = claim(1)
    for other in (claim(2, **when("1999")), claim(3), claim(4, earliest=date(2000, 1, 1))):
        assert times_overlap(timeless, other) and not times_disjoint(timeless, other)
    ends = claim(5, earliest=date(1999, 1, 1), latest=date(1999, 12, 31))
    starts = claim(6, earliest=date(1999, 12, 31), latest=date(2000, 1, 31))
    after = claim(7, earliest=date(2000, 1, 1), latest=date(2000, 1, 1))
    assert times_overlap(ends, starts) and times_disjoint(ends, after)
    since_2000 = claim(8, earliest=date(2000, 1, 1))
    assert times_overlap(since_2000, after) and times_disjoint(since_2000, ends)


# negation ---------------------------------------------------------------------------------------

SEPT_2000 = when("this month", date(2000, 9, 1), "month")
SEPT_2006 = when("this month", date(2006, 9, 1), "month")


def test_negation_fires_on_a_denial_at_the_same_time() -> None:
    not_member = claim(1, MEMBER, object=CSTO, negated=True, **SEPT_2000)
    member = claim(2, MEMBER, object=CSTO, **when("2000"))
    assert negation(not_member, member, MEMBER) and negation(member, not_member, MEMBER)
    assert conflicts(not_member, member, PREDICATES, EXCLUSIVE) == ["negation"]


def test_negation_applies_to_every_predicate_kind_and_to_timeless_claims() -> None:
    did_not_leave = claim(1, LEFT, object=CSTO, negated=True)
    left = claim(2, LEFT, object=CSTO, **when("1999"))
    assert negation(did_not_leave, left, LEFT)
    no_address = claim(3, ADDRESS, value="4516 43rd Street NW", negated=True)
    assert negation(no_address, claim(4, ADDRESS, value="4516 43rd street nw"), ADDRESS)


def test_negation_needs_the_same_fact_opposite_polarity_and_overlapping_times() -> None:
    not_member = claim(1, MEMBER, object=CSTO, negated=True, **SEPT_2000)
    # The seed corpus: not a party in September 2000, a member in September 2006.
    assert not negation(not_member, claim(2, MEMBER, object=CSTO, **SEPT_2006), MEMBER)
    assert not negation(not_member, claim(3, MEMBER, object=USA, **SEPT_2000), MEMBER)
    assert not negation(not_member, replace(not_member, id=4), MEMBER)
    other_subject = claim(5, MEMBER, subject=RUSSIA, object=CSTO, **SEPT_2000)
    assert not negation(not_member, other_subject, MEMBER)
    other_predicate = claim(6, ESTRANGED, object=CSTO, **SEPT_2000)
    assert not negation(not_member, other_predicate, MEMBER)


def test_negation_of_a_number_uses_the_tolerance() -> None:
    not_130 = claim(1, CONTINGENT, number=130, unit="servicemen", negated=True)
    assert negation(not_130, claim(2, CONTINGENT, number=133, unit="servicemen"), CONTINGENT)
    assert not negation(not_130, claim(3, CONTINGENT, number=140, unit="servicemen"), CONTINGENT)


# single_value -----------------------------------------------------------------------------------


def test_single_value_fires_on_the_seed_addresses() -> None:
    a = claim(1, ADDRESS, subject=JAMESTOWN, value="4526 43rd Street NW, Washington, DC 20016")
    b = claim(2, ADDRESS, subject=JAMESTOWN, value="4516 43rd Street NW, Washington DC 20016")
    assert single_value(a, b, ADDRESS) and single_value(b, a, ADDRESS)
    assert conflicts(a, b, PREDICATES, EXCLUSIVE) == ["single_value"]
    same = claim(3, ADDRESS, subject=JAMESTOWN, value="4526 43rd Street NW, Washington DC 20016")
    assert not single_value(a, same, ADDRESS)


def test_office_holders_at_different_times_do_not_conflict() -> None:
    sergeev_1999 = claim(
        1, DEFENCE_MINISTER, subject=RUSSIA, object=SERGEEV, **when("this month", date(1999, 9, 21))
    )
    sergeev_2000 = claim(2, DEFENCE_MINISTER, subject=RUSSIA, object=SERGEEV, **SEPT_2000)
    ivanov_2004 = claim(3, DEFENCE_MINISTER, subject=RUSSIA, object=IVANOV, **when("2004-05-12"))
    ivanov_2006 = claim(4, DEFENCE_MINISTER, subject=RUSSIA, object=IVANOV, **SEPT_2006)
    block = [sergeev_1999, sergeev_2000, ivanov_2004, ivanov_2006]
    for a, b in combinations(block, 2):
        assert not single_value(a, b, DEFENCE_MINISTER)
        assert conflicts(a, b, PREDICATES, EXCLUSIVE) == []
    # ... but two holders at once do.
    ivanov_2000 = claim(5, DEFENCE_MINISTER, subject=RUSSIA, object=IVANOV, **when("2000"))
    assert single_value(sergeev_2000, ivanov_2000, DEFENCE_MINISTER)


def test_putin_prime_minister_then_president_is_no_conflict() -> None:
    pm_1999 = claim(1, PRIME_MINISTER, subject=RUSSIA, object=PUTIN, **when("1999-09"))
    president_2000 = claim(2, PRESIDENT, subject=RUSSIA, object=PUTIN, **when("2000-08"))
    president_2006 = claim(3, PRESIDENT, subject=RUSSIA, object=PUTIN, **when("2006-09"))
    block = [pm_1999, president_2000, president_2006]
    assert list(analyse_block(block, PREDICATES, EXCLUSIVE).findings) == []


def test_single_value_needs_a_single_valued_predicate_affirmed_and_comparable() -> None:
    a = claim(1, ADDRESS, value="4526 43rd Street")
    b = claim(2, ADDRESS, value="4516 43rd Street")
    many = replace(ADDRESS, single_valued=False)
    assert not single_value(a, b, many)
    assert not single_value(a, replace(b, negated=True), ADDRESS)
    assert not single_value(replace(a, negated=True), replace(b, negated=True), ADDRESS)
    assert not single_value(a, claim(3, ADDRESS, object=JAMESTOWN), ADDRESS)
    assert not single_value(a, claim(4, ADDRESS), ADDRESS)
    assert not single_value(a, replace(b, subject=RUSSIA), ADDRESS)
    assert single_value(a, replace(b, **when("1999")), ADDRESS)  # a timeless claim overlaps


def test_single_value_leaves_numbers_to_the_numeric_rule() -> None:
    a = claim(1, PARTICIPANTS, number=6, unit="ministers")
    b = claim(2, PARTICIPANTS, number=7, unit="ministers")
    assert not single_value(a, b, PARTICIPANTS)
    assert numeric(a, b, PARTICIPANTS)
    assert conflicts(a, b, PREDICATES, EXCLUSIVE) == ["numeric"]


# numeric ----------------------------------------------------------------------------------------


def test_numeric_fires_beyond_the_tolerance() -> None:
    a = claim(1, CONTINGENT, number=130, unit="servicemen")
    assert numeric(a, claim(2, CONTINGENT, number=140, unit="servicemen"), CONTINGENT)
    assert not numeric(a, claim(3, CONTINGENT, number=135, unit="serviceman"), CONTINGENT)
    assert not numeric(a, claim(4, CONTINGENT, number=125, unit="Servicemen"), CONTINGENT)
    assert numeric(a, claim(5, CONTINGENT, number=124.5, unit="servicemen"), CONTINGENT)


def test_numeric_compares_after_unit_normalisation() -> None:
    km = claim(1, PARTICIPANTS, number=1.5, unit="km")
    assert not numeric(km, claim(2, PARTICIPANTS, number=1500, unit="metres"), PARTICIPANTS)
    assert numeric(km, claim(3, PARTICIPANTS, number=1600, unit="m"), PARTICIPANTS)
    millions = claim(4, PARTICIPANTS, number=2, unit="million dollars")
    assert not numeric(millions, claim(5, PARTICIPANTS, number=2e6, unit="dollars"), PARTICIPANTS)
    assert numeric(millions, claim(6, PARTICIPANTS, number=2e3, unit="dollars"), PARTICIPANTS)


def test_numeric_ignores_incomparable_units_negations_times_and_multi_valued() -> None:
    six = claim(1, PARTICIPANTS, number=6, unit="ministers")
    assert not numeric(six, claim(2, PARTICIPANTS, number=25, unit="countries"), PARTICIPANTS)
    assert not numeric(six, claim(3, PARTICIPANTS, number=5, unit="km"), PARTICIPANTS)
    assert not numeric(six, claim(4, PARTICIPANTS, value="seven ministers"), PARTICIPANTS)
    seven = claim(5, PARTICIPANTS, number=7, unit="ministers")
    assert not numeric(six, replace(seven, negated=True), PARTICIPANTS)
    assert not numeric(replace(six, **when("1999")), replace(seven, **when("2000")), PARTICIPANTS)
    assert not numeric(six, seven, replace(PARTICIPANTS, single_valued=False))
    assert (
        conflicts(six, claim(6, PARTICIPANTS, number=25, unit="countries"), PREDICATES, set()) == []
    )


# event_date -------------------------------------------------------------------------------------


def test_event_date_fires_on_the_seed_withdrawal_year() -> None:
    # "having abandoned it last year" (Fortnight in Review, September 2000) vs "after ten
    # years of estrangement" before August 2006 (NBCentralAsia); both name the CSTO.
    left_1999 = claim(
        1, LEFT, object=CSTO, documents=docs(FIR), **when("last year", date(2000, 9, 1), "month")
    )
    left_1996 = claim(
        2, LEFT, object=CSTO, documents=docs(NBCA), **when("~10 years before 2006-08")
    )
    assert event_date(left_1999, left_1996, LEFT) and event_date(left_1996, left_1999, LEFT)
    assert conflicts(left_1999, left_1996, PREDICATES, EXCLUSIVE) == ["event_date"]
    assert list(analyse_block([left_1996, left_1999], PREDICATES, EXCLUSIVE).findings) == [
        Finding("event_date", 1, 2, internal=False)
    ]


def test_event_date_needs_known_disjoint_times_of_the_same_affirmed_event() -> None:
    left_2006 = claim(1, LEFT, object=CSTO, **when("2006"))
    assert not event_date(left_2006, claim(2, LEFT, object=CSTO, **when("2006-08")), LEFT)
    assert not event_date(left_2006, claim(3, LEFT, object=CSTO), LEFT)
    assert not event_date(left_2006, claim(4, LEFT, object=USA, **when("1999")), LEFT)
    assert not event_date(
        left_2006, claim(5, LEFT, object=CSTO, negated=True, **when("1999")), LEFT
    )
    member_1999 = claim(6, MEMBER, object=CSTO, **when("1999"))
    member_2006 = claim(7, MEMBER, object=CSTO, **when("2006"))
    assert not event_date(member_1999, member_2006, MEMBER)  # a state may hold twice


def test_event_date_with_literal_values() -> None:
    a = claim(1, CALLED_FOR, value="a collective response", **when("1999-09-15"))
    b = claim(2, CALLED_FOR, value="A collective response.", **when("2000-09"))
    assert event_date(a, b, CALLED_FOR)
    assert not event_date(a, replace(b, value="joint headquarters"), CALLED_FOR)


# exclusive --------------------------------------------------------------------------------------


def test_exclusive_fires_for_declared_pairs_on_the_same_object() -> None:
    member = claim(1, MEMBER, object=USA, **when("2005-05/2006-09"))
    estranged = claim(2, ESTRANGED, object=USA, **when("2006"))
    assert exclusive(member, estranged) and exclusive(estranged, member)
    assert conflicts(member, estranged, PREDICATES, EXCLUSIVE) == ["exclusive"]
    assert conflicts(estranged, member, PREDICATES, EXCLUSIVE) == ["exclusive"]
    assert conflicts(member, estranged, PREDICATES, set()) == []


def test_exclusive_needs_same_subject_object_affirmed_and_overlapping() -> None:
    member = claim(1, MEMBER, object=USA, **when("2006"))
    assert not exclusive(member, claim(2, ESTRANGED, object=CSTO, **when("2006")))
    assert not exclusive(member, claim(3, ESTRANGED, object=USA, **when("1999")))
    assert not exclusive(member, claim(4, ESTRANGED, object=USA, negated=True))
    assert not exclusive(member, claim(5, ESTRANGED, subject=RUSSIA, object=USA))
    assert not exclusive(member, replace(member, id=6))  # one predicate is never exclusive


# corroboration ----------------------------------------------------------------------------------


def test_corroboration_needs_independent_documents() -> None:
    cooled = claim(1, ESTRANGED, object=USA, documents=docs(EDM_2006), **when("2005-05/2006-09"))
    also = claim(
        2,
        ESTRANGED,
        object=USA,
        documents=docs(NBCA),
        **when("in the last two years", date(2007, 5, 30)),
    )
    assert corroborates(cooled, also) and corroborates(also, cooled)
    assert not corroborates(cooled, replace(also, documents=docs(EDM_2006)))
    assert not corroborates(cooled, replace(also, documents=docs(NBCA, EDM_2006)))
    assert not corroborates(cooled, replace(also, documents=frozenset()))
    assert not corroborates(cooled, replace(cooled, documents=docs(NBCA)))  # same id


def test_corroboration_needs_the_same_statement_at_compatible_times() -> None:
    a = claim(1, MEMBER, object=CSTO, documents=docs(EDM_2006), **SEPT_2006)
    assert corroborates(a, claim(2, MEMBER, object=CSTO, documents=docs(NBCA), **when("2006")))
    assert corroborates(a, claim(3, MEMBER, object=CSTO, documents=docs(NBCA)))
    assert not corroborates(a, claim(4, MEMBER, object=CSTO, **when("2007")))
    assert not corroborates(a, claim(5, MEMBER, object=USA))
    assert not corroborates(a, claim(6, MEMBER, object=CSTO, negated=True))
    assert not corroborates(a, claim(7, ESTRANGED, object=CSTO))
    assert not corroborates(a, claim(8, MEMBER, subject=RUSSIA, object=CSTO))
    denial = replace(a, negated=True)
    assert corroborates(denial, claim(9, MEMBER, object=CSTO, negated=True))


def test_corroboration_of_numbers_uses_the_tolerance_when_given() -> None:
    a = claim(1, CONTINGENT, number=130, unit="servicemen")
    b = claim(2, CONTINGENT, number=0.132, unit="thousand servicemen")
    assert corroborates(a, b, CONTINGENT.tolerance) and not corroborates(a, b)
    assert analyse_block([b, a], PREDICATES, EXCLUSIVE).corroborated == {1: 1, 2: 1}


# conflicts and analyse_block --------------------------------------------------------------------


def test_conflicts_across_subjects_is_empty() -> None:
    a = claim(1, ADDRESS, subject=JAMESTOWN, value="4526 43rd Street")
    b = claim(2, ADDRESS, subject=RUSSIA, value="4516 43rd Street")
    assert conflicts(a, b, PREDICATES, EXCLUSIVE) == []


def test_analyse_block_on_a_seed_like_block() -> None:
    block = [
        claim(1, LEFT, object=CSTO, documents=docs(FIR), **when("last year", date(2000, 9, 1))),
        claim(2, MEMBER, object=CSTO, negated=True, documents=docs(FIR), **SEPT_2000),
        claim(3, MEMBER, object=CSTO, documents=docs(EDM_2006), **SEPT_2006),
        claim(4, ESTRANGED, object=USA, documents=docs(EDM_2006), **when("2005-05/2006-09")),
        claim(5, ESTRANGED, object=USA, documents=docs(NBCA), **when("2005-05/2007-05")),
        claim(6, LEFT, object=CSTO, documents=docs(NBCA), **when("~10 years before 2006-08")),
        claim(7, DEFENCE_MINISTER, object=IVANOV, documents=docs(EDM_2004), **when("2004-05-12")),
        claim(8, MEMBER, object=CSTO, documents=docs(FIR), **when("2000")),
        claim(9, ESTRANGED, object=CSTO, documents=docs(NBCA), **when("2007-05")),
    ]
    findings = set(analyse_block(block, PREDICATES, EXCLUSIVE).findings)
    assert findings == {
        Finding("event_date", 1, 6, internal=False),
        Finding("negation", 2, 8, internal=True),  # the same document contradicts itself
    }
    assert analyse_block(block, PREDICATES, EXCLUSIVE).corroborated == {4: 4, 5: 4}
    # Declared exclusive with overlapping times: member of the CSTO in 2000, estranged in 2000.
    block.append(claim(10, ESTRANGED, object=CSTO, documents=docs(MONITOR), **when("2000")))
    assert Finding("exclusive", 8, 10, internal=False) in set(
        analyse_block(block, PREDICATES, EXCLUSIVE).findings
    )


def test_analyse_block_refuses_duplicate_ids() -> None:
    a = claim(1, MEMBER, object=CSTO)
    with pytest.raises(ValueError, match="twice"):
        list(analyse_block([a, a], PREDICATES, EXCLUSIVE).findings)


def test_analyse_block_does_not_compare_distinct_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A subject with thousands of different memberships costs no pair comparisons."""
    calls = 0
    original = rules.conflicts

    def counting(*args: Any) -> list[str]:
        nonlocal calls
        calls += 1
        return original(*args)

    monkeypatch.setattr(rules, "conflicts", counting)
    block = [claim(i, MEMBER, object=10_000 + i) for i in range(1, 3001)]
    block += [claim(i, ESTRANGED, object=20_000 + i) for i in range(3001, 6001)]
    assert list(analyse_block(block, PREDICATES, EXCLUSIVE).findings) == []
    assert calls == 0
    block.append(claim(6001, MEMBER, object=10_001, negated=True))
    found = analyse_block(block, PREDICATES, EXCLUSIVE).findings
    assert found == [Finding("negation", 1, 6001, False)]
    assert calls == 1


def test_facts_are_validated() -> None:
    with pytest.raises(ValueError, match="kind"):
        PredicateInfo(1, "x", "relation", single_valued=False, tolerance=None)
    with pytest.raises(ValueError, match="tolerance"):
        PredicateInfo(1, "x", "state", single_valued=True, tolerance=-1)
    with pytest.raises(ValueError, match="finite"):
        claim(1, number=float("nan"))
    with pytest.raises(ValueError, match="interval"):
        claim(1, earliest=date(2001, 1, 1), latest=date(2000, 1, 1))


# Properties -------------------------------------------------------------------------------------

PREDICATE_IDS = (1, 2, 3)
DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2010, 12, 31))
TIMES = st.one_of(
    st.sampled_from(
        [
            (None, None),
            (date(1999, 1, 1), date(1999, 12, 31)),
            (date(1999, 8, 1), date(1999, 8, 31)),
            (date(1995, 1, 1), date(1997, 12, 31)),
            (date(2006, 1, 1), date(2006, 12, 31)),
            (date(2006, 8, 1), date(2006, 8, 31)),
            (date(2000, 1, 1), None),
            (None, date(1999, 6, 30)),
        ]
    ),
    st.tuples(DAYS, DAYS).map(lambda pair: (min(pair), max(pair))),
)
TEXTS = st.one_of(
    st.sampled_from(
        [
            "4526 43rd Street NW, Washington, DC 20016",
            "4526 43rd street NW Washington DC 20016",
            "4516 43rd Street NW, Washington DC 20016",
            "a collective response",
            "A Collective Response.",
            "",
        ]
    ),
    st.text(max_size=4),
)
NUMBERS = st.one_of(
    st.sampled_from([0.0, 0.1, 5.0, 100.0, 130.0, 135.0, 1500.0, 1.5]),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
)
UNITS = st.sampled_from([None, "thousand", "km", "m", "metres", "percent", "%"])
OBJECTS = st.sampled_from([10, 11])
VALUE_DATES = st.sampled_from([date(2000, 8, 28), date(2000, 8, 29)])
KINDS = ("object", "value", "number", "date", "none", "mixed")


@st.composite
def values(draw: st.DrawFn, kind: str | None = None) -> dict[str, Any]:
    """One kind of object/value (as stored), none, or an unusual mixture of kinds."""
    kind = kind or draw(st.sampled_from(KINDS))
    found: dict[str, Any] = {}
    if kind in ("object", "mixed"):
        found["object"] = draw(OBJECTS if kind == "object" else st.none() | OBJECTS)
    if kind in ("value", "mixed"):
        found["value"] = draw(TEXTS if kind == "value" else st.none() | TEXTS)
    if kind in ("number", "mixed"):
        found["number"] = draw(NUMBERS if kind == "number" else st.none() | NUMBERS)
        found["unit"] = draw(UNITS)
    if kind in ("date", "mixed"):
        found["date_value"] = draw(VALUE_DATES if kind == "date" else st.none() | VALUE_DATES)
    return found


NO_VALUE = {"object": None, "value": None, "number": None, "unit": None, "date_value": None}
VALUE_FIELDS = tuple(NO_VALUE)


@st.composite
def facts(
    draw: st.DrawFn,
    id: int = 1,
    value_pool: st.SearchStrategy[dict[str, Any]] | None = None,
    time_pool: st.SearchStrategy[tuple[date | None, date | None]] = TIMES,
) -> ClaimFacts:
    earliest, latest = draw(time_pool)
    return ClaimFacts(
        id=id,
        subject=draw(st.sampled_from([1, 2])),
        predicate=draw(st.sampled_from(PREDICATE_IDS)),
        negated=draw(st.sampled_from([False, False, True])),
        earliest=earliest,
        latest=latest,
        documents=draw(st.frozensets(st.integers(1, 4), max_size=2)),
        **(NO_VALUE | draw(values() if value_pool is None else value_pool)),
    )


@st.composite
def pairs(draw: st.DrawFn) -> tuple[ClaimFacts, ClaimFacts]:
    """Two claims that often share subject, predicate, kind of value, value or time."""
    kind = draw(st.none() | st.sampled_from(KINDS))
    a, b = draw(facts(1, values(kind))), draw(facts(2, values(kind)))
    shared = draw(st.sets(st.sampled_from(["subject", "predicate", "value", "time"])))
    if "subject" in shared:
        b = replace(b, subject=a.subject)
    if "predicate" in shared:
        b = replace(b, predicate=a.predicate)
    if "value" in shared:
        b = replace(b, **{field: getattr(a, field) for field in VALUE_FIELDS})
    if "time" in shared:
        b = replace(b, earliest=a.earliest, latest=a.latest)
    return a, b


Vocabulary = tuple[dict[int, PredicateInfo], set[tuple[int, int]]]


@st.composite
def vocabularies(draw: st.DrawFn) -> Vocabulary:
    predicates = {
        pid: PredicateInfo(
            pid,
            f"p{pid}",
            draw(st.sampled_from(["event", "state", "attribute"])),
            single_valued=draw(st.booleans()),
            tolerance=draw(st.sampled_from([None, 0.0, 0.5, 5.0])),
        )
        for pid in PREDICATE_IDS
    }
    # Declared pairs are (lower, higher); others must be ignored consistently.
    declared = st.tuples(st.sampled_from(PREDICATE_IDS), st.sampled_from(PREDICATE_IDS))
    return predicates, draw(st.sets(declared))


@st.composite
def blocks(draw: st.DrawFn) -> list[ClaimFacts]:
    """One subject's claims with distinct ids, drawing from a few values and times each."""
    kind = draw(st.none() | st.sampled_from(KINDS))
    value_pool = st.sampled_from(draw(st.lists(values(kind), min_size=2, max_size=4)))
    time_pool = st.sampled_from(draw(st.lists(TIMES, min_size=1, max_size=3)))
    size = draw(st.integers(2, 12))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=size, max_size=size, unique=True))
    return [replace(draw(facts(i, value_pool, time_pool)), subject=1) for i in ids]


def _same_predicate_rules(a: ClaimFacts, b: ClaimFacts, p: PredicateInfo) -> list[bool]:
    return [rule(a, b, p) for rule in (negation, single_value, numeric, event_date)]


@given(pairs(), vocabularies())
def test_every_rule_is_symmetric(pair: tuple[ClaimFacts, ClaimFacts], vocab: Vocabulary) -> None:
    a, b = pair
    predicates, exclusive_pairs = vocab
    p = predicates[a.predicate]
    assert _same_predicate_rules(a, b, p) == _same_predicate_rules(b, a, p)
    assert exclusive(a, b) == exclusive(b, a)
    assert conflicts(a, b, predicates, exclusive_pairs) == conflicts(
        b, a, predicates, exclusive_pairs
    )
    for tolerance in (None, p.tolerance):
        assert same_value(a, b, tolerance) == same_value(b, a, tolerance)
        assert corroborates(a, b, tolerance) == corroborates(b, a, tolerance)


@settings(max_examples=400)
@given(pairs(), vocabularies())
def test_conflicts_fire_in_rules_order_within_one_subject(
    pair: tuple[ClaimFacts, ClaimFacts], vocab: Vocabulary
) -> None:
    a, b = pair
    predicates, exclusive_pairs = vocab
    fired = conflicts(a, b, predicates, exclusive_pairs)
    assert fired == [rule for rule in RULES if rule in fired]
    if fired:
        assert a.subject == b.subject
    # conflicts() takes shortcuts; it must still say exactly what the rules say one by one.
    if a.subject != b.subject:
        expected = []
    elif a.predicate == b.predicate:
        rules_fired = _same_predicate_rules(a, b, predicates[a.predicate])
        expected = [r for r, fires in zip(RULES[:4], rules_fired, strict=True) if fires]
    else:
        declared = (min(a.predicate, b.predicate), max(a.predicate, b.predicate))
        expected = ["exclusive"] if declared in exclusive_pairs and exclusive(a, b) else []
    assert fired == expected


@given(facts(), vocabularies(), st.integers(2, 100))
def test_no_claim_conflicts_with_itself_or_a_copy(
    a: ClaimFacts, vocab: Vocabulary, offset: int
) -> None:
    predicates, exclusive_pairs = vocab
    copy = replace(a, id=a.id + offset)
    p = predicates[a.predicate]
    for other in (a, copy):
        assert conflicts(a, other, predicates, exclusive_pairs) == []
        assert not any(_same_predicate_rules(a, other, p)) and not exclusive(a, other)
    assert list(analyse_block([a, copy], predicates, exclusive_pairs).findings) == []
    assert not corroborates(a, a)
    assert not corroborates(a, copy)  # it cites the same documents
    assert corroborates(a, replace(copy, documents=docs(99)), p.tolerance) == bool(a.documents)


@given(pairs(), vocabularies())
def test_corroboration_and_conflict_exclude_each_other(
    pair: tuple[ClaimFacts, ClaimFacts], vocab: Vocabulary
) -> None:
    a, b = pair
    predicates, exclusive_pairs = vocab
    tolerance = predicates[a.predicate].tolerance if a.predicate == b.predicate else None
    if corroborates(a, b, tolerance):
        assert conflicts(a, b, predicates, exclusive_pairs) == []


@settings(max_examples=300)
@given(blocks(), vocabularies())
def test_analyse_block_finds_what_all_pairs_find(
    block: list[ClaimFacts], vocab: Vocabulary
) -> None:
    predicates, exclusive_pairs = vocab
    found = list(analyse_block(block, predicates, exclusive_pairs).findings)
    assert len(found) == len(set(found))
    assert all(f.a < f.b and f.rule in RULES for f in found)
    expected = {
        Finding(rule, min(x.id, y.id), max(x.id, y.id), not x.documents.isdisjoint(y.documents))
        for x, y in combinations(block, 2)
        for rule in conflicts(x, y, predicates, exclusive_pairs)
    }
    assert set(found) == expected


def _all_pairs(
    block: list[ClaimFacts], predicates: dict[int, PredicateInfo], exclusive_pairs: set
) -> tuple[set[Finding], dict[int, list[int]]]:
    """Brute force: every rule and ``corroborates`` on every pair of the block."""
    findings = {
        Finding(rule, min(x.id, y.id), max(x.id, y.id), not x.documents.isdisjoint(y.documents))
        for x, y in combinations(block, 2)
        for rule in conflicts(x, y, predicates, exclusive_pairs)
    }
    partners: dict[int, list[int]] = {}
    for x, y in combinations(block, 2):
        if x.predicate == y.predicate and corroborates(x, y, predicates[x.predicate].tolerance):
            partners.setdefault(x.id, []).append(y.id)
            partners.setdefault(y.id, []).append(x.id)
    return findings, {claim_id: sorted(ids) for claim_id, ids in partners.items()}


def _assert_block_matches_all_pairs(
    block: list[ClaimFacts], predicates: dict[int, PredicateInfo], exclusive_pairs: set
) -> None:
    result = analyse_block(block, predicates, exclusive_pairs)
    assert len(result.findings) == len(set(result.findings))
    expected_findings, expected_partners = _all_pairs(block, predicates, exclusive_pairs)
    assert set(result.findings) == expected_findings
    assert result.corroborated.keys() == expected_partners.keys()
    # Each claim's partners are found again within its group, as `claim show` finds them.
    by_id = {c.id: c for c in block}
    groups: dict[int, list[ClaimFacts]] = {}
    for claim_id, group in result.corroborated.items():
        groups.setdefault(group, []).append(by_id[claim_id])
    for claim_id, group in result.corroborated.items():
        claim = by_id[claim_id]
        assert group == min(c.id for c in groups[group])
        tolerance = predicates[claim.predicate].tolerance
        assert partners(claim, groups[group], tolerance) == expected_partners[claim_id]


@settings(max_examples=300)
@given(blocks(), vocabularies())
def test_analyse_block_corroborations_are_what_all_pairs_find(
    block: list[ClaimFacts], vocab: Vocabulary
) -> None:
    _assert_block_matches_all_pairs(block, *vocab)


@st.composite
def large_blocks(draw: st.DrawFn) -> list[ClaimFacts]:
    """A block of hundreds to thousands of claims over a few values, times and documents:
    many restatements, long overlapping intervals, nested and disjoint ones, undated ones."""
    size = draw(st.integers(500, 2_000))
    kind = draw(st.none() | st.sampled_from(KINDS))
    value_pool = draw(st.lists(values(kind), min_size=1, max_size=6))
    time_pool = draw(st.lists(TIMES, min_size=1, max_size=8))
    rng = random.Random(draw(st.integers(0, 2**32)))
    block = []
    for claim_id in rng.sample(range(1, 100_000), size):
        earliest, latest = rng.choice(time_pool)
        block.append(
            ClaimFacts(
                id=claim_id,
                subject=1,
                predicate=rng.choice(PREDICATE_IDS),
                negated=rng.random() < 0.3,
                earliest=earliest,
                latest=latest,
                documents=frozenset(rng.sample(range(1, 30), rng.choice([0, 1, 1, 1, 2, 3]))),
                **(NO_VALUE | rng.choice(value_pool)),
            )
        )
    return block


@settings(max_examples=6, deadline=None)
@given(large_blocks(), vocabularies())
def test_large_blocks_find_what_all_pairs_find(block: list[ClaimFacts], vocab: Vocabulary) -> None:
    _assert_block_matches_all_pairs(block, *vocab)


def test_a_block_of_restatements_compares_no_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    """4,000 claims of one fact at overlapping times, in one single-valued slot, plus one
    rival value: only the pairs with the rival are compared (the pairs that fire)."""
    calls = 0
    original = rules.conflicts

    def counting(*args: Any) -> list[str]:
        nonlocal calls
        calls += 1
        return original(*args)

    monkeypatch.setattr(rules, "conflicts", counting)
    block = [
        claim(i, ADDRESS, value="4526 43rd Street", documents=docs(i), **when(f"{1990 + i % 20}"))
        for i in range(1, 4001)
    ]
    result = analyse_block(block, PREDICATES, EXCLUSIVE)
    assert result.findings == [] and calls == 0
    assert result.corroborated == {i: 1 for i in range(1, 4001)}
    block.append(claim(5000, ADDRESS, value="4516 43rd Street", **when("1995")))
    found = analyse_block(block, PREDICATES, EXCLUSIVE).findings
    assert {f.a for f in found} == {i for i in range(1, 4001) if (1990 + i % 20) == 1995}
    assert calls == len(found) == 200


@given(facts(1), facts(2))
def test_times_overlap_is_reflexive_and_symmetric(a: ClaimFacts, b: ClaimFacts) -> None:
    assert times_overlap(a, a) and not times_disjoint(a, a)
    assert times_overlap(a, b) == times_overlap(b, a)
    assert times_disjoint(a, b) == times_disjoint(b, a) == (not times_overlap(a, b))
    if times_disjoint(a, b):
        assert (a.earliest or a.latest) and (b.earliest or b.latest)
