"""reading.mentions: entities and predicates found by the base's vocabulary."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factbase import FactBase
from factbase.reading.mentions import (
    EntityName,
    Mention,
    PredicateName,
    Vocabulary,
    entity_mentions,
    mentions,
    predicate_mentions,
)

VOCABULARY = Vocabulary(
    entities=[
        EntityName(1, "Uzbekistan", "country"),
        EntityName(2, "Russia", "country"),
        EntityName(3, "Islam Karimov", "person"),
        EntityName(
            4,
            "Collective Security Treaty Organization",
            "organization",
            ("CSTO", "Collective Security Treaty", "CST"),
        ),
        EntityName(5, "United States", "country", ("US",)),
        EntityName(6, "Sergei Ivanov", "person"),
        EntityName(7, "Igor Ivanov", "person"),
        EntityName(8, "Collective Security", None),
    ],
    predicates=[
        PredicateName(10, "left", ("withdrew from", "abandoned", "left")),
        PredicateName(11, "rejoined", ("rejoined", "returned to")),
    ],
)


def _found(text: str, find=mentions) -> list[tuple[str, str, str]]:  # noqa: ANN001
    return [(m.text, m.name, m.via) for m in find(text, VOCABULARY)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Uzbekistan left", [("Uzbekistan", "Uzbekistan", "name"), ("left", "left", "phrase")]),
        (
            "uzbekistan withdraws from the cst",
            [
                ("uzbekistan", "Uzbekistan", "name"),
                ("withdraws from", "left", "phrase"),
                ("cst", "Collective Security Treaty Organization", "alias"),
            ],
        ),
        # Longest first: the treaty, not the shorter "Collective Security" entity.
        (
            "the Collective Security Treaty",
            [("Collective Security Treaty", "Collective Security Treaty Organization", "alias")],
        ),
        ("Russian troops", [("Russian", "Russia", "demonym")]),
        ("two Uzbeks", [("Uzbeks", "Uzbekistan", "demonym")]),
        ("Uzbekistan's army", [("Uzbekistan", "Uzbekistan", "name")]),
        ("Russia’s army", [("Russia", "Russia", "name")]),
        ("President Karimov", [("Karimov", "Islam Karimov", "surname")]),
        ("President Islam Karimov", [("Islam Karimov", "Islam Karimov", "name")]),
        ("Karimov alone", []),  # a surname needs a title before it
        ("Minister Ivanov", []),  # two people share the surname: neither is meant
        ("the US army", [("US", "United States", "alias")]),
        ("tell us", []),  # short capitals keep their case
        ("Uzbekistani", [("Uzbekistani", "Uzbekistan", "demonym")]),
        ("Uzbekistanis", [("Uzbekistanis", "Uzbekistan", "demonym")]),
        ("Russianness", []),  # word boundaries
        (
            "it returned to the CSTO",
            [
                ("returned to", "rejoined", "phrase"),
                ("CSTO", "Collective Security Treaty Organization", "alias"),
            ],
        ),  # fmt: skip
    ],
)
def test_mentions(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _found(text) == expected


def test_possessive_and_title_are_reported() -> None:
    (first,) = entity_mentions("Uzbekistan's president", VOCABULARY)
    assert first.possessive and first.text == "Uzbekistan"
    (person,) = entity_mentions("Prime Minister Karimov", VOCABULARY)
    assert person.title == "Prime Minister"
    assert predicate_mentions("Uzbekistan's president", VOCABULARY) == []


def test_exclude_skips_spans() -> None:
    text = "Uzbekistan left Russia"
    assert [m.name for m in mentions(text, VOCABULARY, exclude=[(0, 10)])] == ["left", "Russia"]


def test_declared_alias_wins_over_nothing_and_demonym_needs_its_country() -> None:
    no_countries = Vocabulary([EntityName(1, "Karakalpakstan", "region", ("Karakalpak",))])
    assert _found("Karakalpak farmers", lambda t, _v: mentions(t, no_countries)) == [
        ("Karakalpak", "Karakalpakstan", "alias")
    ]
    assert mentions("Russian troops", no_countries) == []


WORDS = ["Uzbekistan", "Russian", "left", "the", "CSTO", "President", "Karimov", "'s", "US", "us"]


@given(st.lists(st.sampled_from(WORDS), max_size=12), st.sampled_from([" ", "  ", ", "]))
def test_mentions_slice_back_and_never_overlap(words: list[str], sep: str) -> None:
    text = sep.join(words).replace(" 's", "'s")
    found: list[Mention] = mentions(text, VOCABULARY)
    for mention in found:
        assert text[mention.start : mention.end] == mention.text
    for before, after in zip(found, found[1:], strict=False):
        assert before.end <= after.start


def test_thousands_of_names_are_fast() -> None:
    entities = [EntityName(i, f"Person{i} Surname{i}", "person") for i in range(20_000)]
    vocabulary = Vocabulary(entities, VOCABULARY.predicates)
    text = "President Surname19999 met Person5 Surname5 and left. " * 200
    started = time.perf_counter()
    found = entity_mentions(text, vocabulary)
    elapsed = time.perf_counter() - started
    assert {m.name for m in found} == {"Person19999 Surname19999", "Person5 Surname5"}
    assert elapsed < 5  # a regex per name would take minutes; a dict lookup per word not


def test_reading_vocabulary_from_the_base(fb: FactBase) -> None:
    from factbase.vocabulary import reading_vocabulary

    fb.add_entity("Uzbekistan", kind="country", aliases=["Republic of Uzbekistan"])
    fb.add_predicate("left", kind="event", aliases=["withdrew from"])
    with fb.store.session() as session:
        vocabulary = reading_vocabulary(session)
    (entity,) = vocabulary.entities
    assert (entity.name, entity.kind, entity.aliases) == (
        "Uzbekistan",
        "country",
        ("Republic of Uzbekistan",),
    )
    assert [(m.text, m.name) for m in mentions("Uzbeks withdrew from it", vocabulary)] == [
        ("Uzbeks", "Uzbekistan"),
        ("withdrew from", "left"),
    ]


def test_text_vocabulary_fetches_what_the_text_can_name(fb: FactBase) -> None:
    from factbase.vocabulary import text_vocabulary

    fb.add_entity("Uzbekistan", kind="country")
    fb.add_entity("Islam Karimov", kind="person")
    fb.add_entity("Kazakhstan", kind="country")
    fb.add_entity("Jamestown Foundation", kind="organization", aliases=["Jamestown"])
    fb.add_predicate("visited", kind="event", aliases=["went to"])
    text = "President Karimov of the Uzbeks went to the Jamestown Foundation's office"
    with fb.store.session() as session:
        vocabulary = text_vocabulary(session, text)
    assert sorted(e.name for e in vocabulary.entities) == [
        "Islam Karimov",  # by surname, after a title
        "Jamestown Foundation",  # by a possessive n-gram
        "Uzbekistan",  # by a demonym
    ]
    assert [(m.text, m.name) for m in mentions(text, vocabulary)] == [
        ("Karimov", "Islam Karimov"),
        ("Uzbeks", "Uzbekistan"),
        ("went to", "visited"),
        ("Jamestown Foundation", "Jamestown Foundation"),
    ]


def test_a_phrase_is_found_through_its_first_words_noun() -> None:
    """ "withdrew from" is also stated as "the withdrawal from"; a noun lemminflect does
    not know, or one that is a verb of its own ("signal"), is not made up."""
    from factbase.reading.lemmas import derived_nouns

    vocabulary = Vocabulary(
        [EntityName(1, "Uzbekistan"), EntityName(2, "GUUAM")],
        [PredicateName(7, "left", ("withdrew from",)), PredicateName(8, "signed", ("sign",))],
    )
    found = mentions("Uzbekistan's withdrawal from GUUAM; a signal.", vocabulary)
    assert [(m.text, m.kind, m.via) for m in found] == [
        ("Uzbekistan", "entity", "name"),
        ("withdrawal from", "predicate", "derived"),
        ("GUUAM", "entity", "name"),
    ]
    assert derived_nouns("withdraw") == ("withdrawal",)
    assert "signal" not in derived_nouns("sign")
