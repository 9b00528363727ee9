"""The library methods the desk needs: a claim at a selected span, the conflict queue with
facets, the reviewer as actor, and the highlight layers of the reader."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factbase import ClaimInput, FactBase
from factbase.conflicts import QueueFilter
from factbase.display import layers
from factbase.errors import QuoteNotFound
from factbase.spans import occurrence_at


def _input(**change) -> ClaimInput:
    fields = {
        "text": "Haidarov submitted a request",
        "doc": "fir-6-17",
        "quote": "",
        "subject": "Uzbekistan",
        "predicate": "requested assistance from",
        "object": "Russia",
    }
    return ClaimInput(**(fields | change))


def test_add_claim_at_picks_the_selected_occurrence(seeded: FactBase) -> None:
    text = seeded.document("fir-6-17", with_text=True)["text"]
    word = "Uzbekistan"
    positions = [i for i in range(len(text)) if text.startswith(word, i)]
    assert len(positions) >= 2  # a quote that occurs more than once
    start = positions[1]
    added = seeded.add_claim_at(_input(), start, start + len(word), word)
    span = added["spans"][0]
    assert (span["start"], span["end"], span["exact"]) == (start, start + len(word), word)


def test_add_claim_at_refuses_a_mismatch_and_changes_nothing(seeded: FactBase) -> None:
    text = seeded.document("fir-6-17", with_text=True)["text"]
    before = seeded.counts()
    start = text.index("Uzbekistan")
    with pytest.raises(QuoteNotFound, match="the selection does not match the document"):
        seeded.add_claim_at(_input(), start, start + 10, "Kyrgyzstan")
    with pytest.raises(QuoteNotFound, match="does not match"):
        seeded.add_claim_at(_input(), len(text) - 2, len(text) + 5, text[-2:])
    assert seeded.counts() == before


@given(st.text(alphabet="ab \n", min_size=1, max_size=30), st.data())
def test_occurrence_at_finds_the_span_again(text: str, data: st.DataObject) -> None:
    """Whatever non-blank span is selected, its occurrence locates exactly it."""
    from factbase.spans import find_quote, locate

    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    exact = text[start:end]
    if exact != exact.strip() or not exact.strip():
        with pytest.raises(QuoteNotFound):
            occurrence_at(text, start, end, exact)
        return
    try:
        n = occurrence_at(text, start, end, exact)
    except QuoteNotFound as error:  # overlapping repeats ("aa" in "aaa" at 1)
        assert "overlaps another occurrence" in str(error)
        assert any(m.start < end and start < m.end for m in find_quote(text, exact))
        return
    match = locate(text, exact, n)
    assert (match.start, match.end) == (start, end)


@given(
    st.integers(0, 60),
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20), st.integers(1, 9)), max_size=12),
)
def test_layers_cover_the_text_once_with_every_span(length: int, raw: list) -> None:
    spans = [(s, min(s + w, length), k) for s, w, k in raw if s < length]
    runs = layers(length, spans)
    assert [r[0] for r in runs[1:]] == [r[1] for r in runs[:-1]]  # contiguous
    assert (runs[0][0], runs[-1][1]) == (0, length) if runs else length == 0
    for low, high, keys in runs:
        expected = {k for s, e, k in spans if s <= low and high <= e}
        assert set(keys) == expected and low < high


def test_conflict_queue_facets_and_filters(seeded: FactBase) -> None:
    seeded.check()
    everything = seeded.conflicts()
    queue = seeded.conflict_queue(QueueFilter())
    assert queue["total"] == len(everything)
    assert sorted(i["id"] for i in queue["items"]) == sorted(c["id"] for c in everything)
    rules = {f["value"]: f["count"] for f in queue["facets"]["rule"]}
    assert rules == {r: sum(c["rule"] == r for c in everything) for r in rules}
    assert sum(rules.values()) == len(everything)
    dismissed = seeded.conflicts(rule="single_value")[0]["id"]
    seeded.decide(dismissed, "dismiss", "moved")
    open_only = seeded.conflict_queue(QueueFilter(status="open"))
    assert dismissed not in [i["id"] for i in open_only["items"]]
    statuses = {f["value"]: f["count"] for f in open_only["facets"]["status"]}
    assert statuses["dismissed"] == 1  # a facet counts under the other facets only
    subject = queue["items"][0]["subject"]
    narrowed = seeded.conflict_queue(QueueFilter(subject=subject))
    assert narrowed["total"] >= 1 and {i["subject"] for i in narrowed["items"]} == {subject}
    publication = queue["facets"]["publication"][0]
    by_source = seeded.conflict_queue(QueueFilter(publication=publication["value"]))
    assert by_source["total"] == publication["count"]
    page = seeded.conflict_queue(QueueFilter(limit=1, offset=1))
    assert len(page["items"]) == min(1, len(everything) - 1)
    assert seeded.conflict_queue(QueueFilter(ids=[dismissed]))["items"][0]["id"] == dismissed


def test_acting_as_names_the_reviewer(seeded: FactBase) -> None:
    seeded.check()
    conflict = seeded.conflicts()[0]["id"]
    with seeded.acting_as("Reviewer One"):
        seeded.decide(conflict, "confirm")
    assert seeded.conflict(conflict)["decided_by"] == "Reviewer One"
    assert seeded.history("conflict", conflict)[-1]["actor"] == "Reviewer One"
    seeded.decide(conflict, "reopen")
    assert seeded.history("conflict", conflict)[-1]["actor"] != "Reviewer One"


def test_document_page_lists_latest_versions_by_slug(seeded: FactBase, tmp_path) -> None:
    everything = seeded.documents()
    page = seeded.document_page(limit=2, offset=1)
    assert page["total"] == len(everything)
    assert [d["slug"] for d in page["items"]] == [d["slug"] for d in everything][1:3]
    assert page["items"][0] == everything[1]  # the same shape, length counted by the database
    source = tmp_path / "fir-6-17.txt"
    source.write_text(seeded.document("fir-6-17", with_text=True)["text"] + " More.", "utf-8")
    seeded.ingest([source], slug="fir-6-17", new_version=True)
    listed = {d["slug"]: d["version"] for d in seeded.document_page(limit=100)["items"]}
    assert listed["fir-6-17"] == 2 and seeded.document_page()["total"] == len(everything)
