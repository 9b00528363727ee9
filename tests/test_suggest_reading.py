"""The pure reader of `suggest` (factbase.reading.suggest): offsets, roles, time, cues."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from factbase.reading.mentions import EntityName, PredicateName, Vocabulary
from factbase.reading.suggest import clauses, read_document, read_span, sentences

VOCABULARY = Vocabulary(
    entities=[
        EntityName(1, "Freedonia", "country", ("Republic of Freedonia",)),
        EntityName(2, "Sylvania", "country"),
        EntityName(3, "Northern Pact", "treaty", ("NP",)),
        EntityName(4, "Rufus Firefly", "person"),
    ],
    predicates=[
        PredicateName(1, "left", ("withdrew from", "abandoned"), "entity", "event"),
        PredicateName(2, "member of", ("is a member of",), "entity", "state"),
        PredicateName(3, "president", ("president of",), "entity", "state"),
        PredicateName(4, "called for", ("urged",), "string", "event"),
        PredicateName(5, "troops sent", (), "number", "attribute"),
    ],
)
ANCHOR = date(2001, 6, 15)


def _read(text: str) -> list:
    return read_document(text, ANCHOR, "day", VOCABULARY)


def test_sentences_keep_abbreviations_and_initials_together() -> None:
    text = "Gen. J. Smith met Mr. Jones in the U.S. on Monday. Then he left.\n\nA new line"
    found = [text[a:b] for a, b in sentences(text)]
    assert found == [
        "Gen. J. Smith met Mr. Jones in the U.S. on Monday.",
        "Then he left.",
        "A new line",
    ]


def test_clauses_cut_at_semicolons_and_but() -> None:
    text = "Freedonia left the pact; Sylvania stayed, but it wavered."
    assert [text[a:b] for a, b in clauses(text, 0, len(text))] == [
        "Freedonia left the pact;",
        "Sylvania stayed,",
        "but it wavered.",
    ]


_WORDS = st.sampled_from(
    ["Freedonia", "withdrew", "from", "the", "Northern", "Pact", "NP", "in", "1999", "last",
     "year", "Mr.", "Gen.", "U.S.", "said", "not", "Sylvania", "is", "a", "member", "of",
     "President", "Rufus", "Firefly", "urged", "talks", "–", ";", ",", ".", "!", "?", "\n",
     "\n\n", "  ", "“", "”", "’s", "Ruritania", "Accord", "300", "troops"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, max_size=60).map(" ".join))
def test_every_quote_is_the_text_at_its_offsets(text: str) -> None:
    for start, end in sentences(text):
        assert text[start:end] == text[start:end].strip() and end > start
        for a, b in clauses(text, start, end):
            assert start <= a < b <= end
    for proposal in _read(text):
        assert text[proposal.start : proposal.end] == proposal.quote
        assert proposal.quote.strip() == proposal.quote
        assert proposal.subject != proposal.object


@settings(max_examples=60, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=30).map(" ".join), st.data())
def test_a_read_span_quotes_the_selection(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    for proposal in read_span(text, start, end, ANCHOR, "day", VOCABULARY):
        assert proposal.quote == text[start:end].strip()
        assert text[proposal.start : proposal.end] == proposal.quote


def test_subject_before_object_after_and_time_from_the_sentence() -> None:
    (best, *_rest) = _read("In 1999 Freedonia withdrew from the Northern Pact.")
    assert (best.subject, best.predicate, best.object) == ("Freedonia", "left", "Northern Pact")
    assert best.when is not None and best.when.earliest == date(1999, 1, 1)
    assert best.new_entities == ()


def test_no_time_in_the_sentence_means_none() -> None:
    (best, *_rest) = _read("Freedonia withdrew from the Northern Pact.")
    assert best.when is None


def test_relative_time_resolves_against_the_document_date() -> None:
    (best, *_rest) = _read("Freedonia abandoned the Northern Pact last year.")
    assert (best.when.earliest, best.when.latest) == (date(2000, 1, 1), date(2000, 12, 31))


def test_a_time_in_another_clause_is_not_taken() -> None:
    found = _read("Sylvania joined talks in 1999; Freedonia is a member of the Northern Pact.")
    member = next(p for p in found if p.predicate == "member of")
    assert member.subject == "Freedonia" and member.when is None


def test_title_possessor_is_the_subject() -> None:
    found = _read("Freedonia’s president Rufus Firefly spoke.")
    best = found[0]
    assert (best.subject, best.predicate, best.object) == (
        "Freedonia",
        "president",
        "Rufus Firefly",
    )


def test_phrase_x_of_y_makes_y_the_subject() -> None:
    found = _read("A visit by President Rufus Firefly of Freedonia ended.")
    assert any(
        (p.subject, p.predicate, p.object) == ("Freedonia", "president", "Rufus Firefly")
        for p in found[:2]
    )


def test_negation_is_read() -> None:
    found = _read("Sylvania is no longer a member of the Northern Pact.")
    member = next(p for p in found if p.predicate == "member of")
    assert member.negated and member.subject == "Sylvania"
    (plain, *_rest) = _read("Sylvania is a member of the Northern Pact.")
    assert not plain.negated


def test_string_predicates_take_the_literal_after_the_phrase() -> None:
    (best, *_rest) = _read("Freedonia urged a ceasefire along the border, officials said.")
    assert (best.subject, best.predicate, best.value) == (
        "Freedonia",
        "called for",
        "a ceasefire along the border",
    )
    assert best.object is None


def test_unknown_proper_names_become_new_entities() -> None:
    found = _read("Freedonia withdrew from the Ruritania Accord.")
    best = found[0]
    assert best.object == "Ruritania Accord" and best.new_entities == ("Ruritania Accord",)


def test_alternatives_name_other_readings() -> None:
    found = _read("Freedonia withdrew from the Northern Pact and Sylvania.")
    best = found[0]
    assert best.object == "Northern Pact"
    assert "Sylvania" in best.alternatives["object"]


def test_a_sentence_without_a_predicate_phrase_gives_nothing() -> None:
    assert _read("Freedonia and Sylvania are neighbours. The Northern Pact is old.") == []


def test_an_untyped_event_may_take_nothing() -> None:
    vocabulary = Vocabulary(
        entities=[EntityName(1, "Harlow Bridge", "place")],
        predicates=[PredicateName(1, "opened", (), "any", "event")],
    )
    (best, *_rest) = read_document(
        "The Harlow Bridge opened last year after three weeks of tests.", ANCHOR, "day", vocabulary
    )
    assert (best.subject, best.predicate, best.object, best.value) == (
        "Harlow Bridge",
        "opened",
        None,
        None,
    )
    assert best.when is not None and best.when.earliest == date(2000, 1, 1)


def test_attribution_names_the_vocabulary_entity() -> None:
    found = _read("According to Rufus Firefly, Sylvania withdrew from the Northern Pact.")
    left = next(p for p in found if p.predicate == "left")
    assert (left.subject, left.object) == ("Sylvania", "Northern Pact")
    assert left.modality == "reported" and left.attributed_to == "Rufus Firefly"
    assert left.new_entities == ()


_TIME_WORDS = [
    "in", "March", "3", "12th", "2021", "1998", "spring", "of", "last", "next", "two",
    "weeks", "ago", "later", "this", "year", "yesterday", "tomorrow", "Monday", "the",
    "1990s", "decade", "mid-May", "Sept.", "2019-20", "coming", "few", "a", "said", "treaty",
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_TIME_WORDS), min_size=1, max_size=12))
def test_time_prefilter_never_hides_a_time_expression(words: list[str]) -> None:
    """The cheap hint `times` tests first holds inside every shape the full pattern finds,
    so skipping sentences without it loses nothing."""
    from factbase.reading.suggest import _TIME, _TIME_HINT

    text = " ".join(words)
    for match in _TIME.finditer(text):
        assert _TIME_HINT.search(match.group()), match.group()


def test_a_sentence_without_a_subject_takes_its_paragraphs_last_subject() -> None:
    """ "It later withdrew from the Northern Pact": the subject is the first entity of the
    nearest earlier sentence naming one, weaker than a subject the clause names, and
    never one from another paragraph."""
    text = "Freedonia signed a deal in May. Talks were long. It later withdrew from the NP."
    carried = [r for r in _read(text) if r.predicate == "left"]
    assert [(r.subject, r.object) for r in carried][:1] == [("Freedonia", "Northern Pact")]
    named = _read("Freedonia later withdrew from the NP.")
    assert carried[0].score < named[0].score
    assert not [r for r in _read("Freedonia signed.\n\nIt withdrew from the NP.") if r.subject]
    assert all(r.when is None for r in carried)  # no time in the sentence: none invented


def test_read_documents_in_processes_gives_what_one_process_gives() -> None:
    from factbase.reading.suggest import read_documents

    texts = [
        "Freedonia withdrew from the Northern Pact last year.",
        "President Rufus Firefly of Freedonia urged talks. Sylvania is a member of the NP.",
        "Freedonia sent 300 troops in 1999.",
    ]
    documents = [(t, ANCHOR, "day") for t in texts]
    alone = read_documents(documents, VOCABULARY)
    assert alone == [_read(t) for t in texts]
    assert any(alone)
    assert read_documents(documents, VOCABULARY, workers=2) == alone
