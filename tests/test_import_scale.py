"""The import's fast paths give what the general ones give (issue 13).

- quote location: the compact canonical map and the in-place pattern for large texts agree,
  offset for offset, with matching on `normalize_for_match`'s per-character map;
- a batch import stores the same rows as adding the same claims one at a time;
- duplicates are skipped from the span they cite, also in one (subject, predicate) block
  of thousands of claims and across batches;
- the closest passage of a large text, chunk by chunk, is as good as over the whole text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from factbase import FactBase, importer, quantities, spans
from factbase.errors import QuoteNotFound
from factbase.inputs import ClaimInput
from factbase.spans import find_quote, make_match, normalize_for_match

from .conftest import SEEDS
from .test_import_rows import FIRST

ALPHABET = "ab -–—.…'’\"“\n\u00a0\t"


def oracle(text: str, quote: str) -> list[tuple[int, int]]:
    """Matching as it was: `str.find` on the canonical text and its per-character map."""
    needle = normalize_for_match(quote)[0].strip(" ")
    haystack, index = normalize_for_match(text)

    def on_boundary(i: int) -> bool:
        return i in (0, len(index)) or index[i - 1] != index[i]

    found, at = [], haystack.find(needle)
    while at != -1:
        stop = at + len(needle)
        if on_boundary(at) and on_boundary(stop):
            found.append((index[at], index[stop - 1] + 1))
            at = haystack.find(needle, stop)
        else:
            at = haystack.find(needle, at + 1)
    return found


texts = st.text(alphabet=ALPHABET, max_size=30)


@st.composite
def text_and_quote(draw: st.DrawFn) -> tuple[str, str]:
    text = draw(texts)
    if text and draw(st.booleans()):
        start = draw(st.integers(0, len(text) - 1))
        return text, text[start : draw(st.integers(start + 1, len(text)))]
    return text, draw(st.text(alphabet=ALPHABET, min_size=1, max_size=6))


def _in_place(text: str, quote: str) -> list[tuple[int, int]]:
    """What `find_quote` does with a text over LARGE_TEXT."""
    needle = spans._canonical(quote).strip(" ")
    return [(m.start(), m.end()) for m in spans._pattern(needle).finditer(text)]


@settings(max_examples=600, deadline=None)
@given(text_and_quote())
@example(("wait… what", "wait.."))
@example(("a - - b", "a--b"))
@example(("x....y", "x...."))
def test_both_paths_find_what_the_per_character_map_finds(case: tuple[str, str]) -> None:
    text, quote = case
    if not normalize_for_match(quote)[0].strip(" "):
        return
    expected = oracle(text, quote)
    found = find_quote(text, quote)
    assert [(m.start, m.end) for m in found] == expected
    assert _in_place(text, quote) == expected
    for m in found:
        assert m == make_match(text, m.start, m.end)
        assert text[m.start : m.end] == m.exact


def test_a_large_text_is_searched_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Astana shares Bishkek’s–and Dushanbe’s – interest…  and “more”."
    quote = "Bishkek's-and Dushanbe's-interest... and \"more\""
    expected = [(m.start, m.end) for m in find_quote(text, quote)]
    monkeypatch.setattr(spans, "_normalized_text", None)  # the compact map must not be used
    monkeypatch.setattr(spans, "LARGE_TEXT", 10)
    assert [(m.start, m.end) for m in find_quote(text, quote)] == expected != []
    assert find_quote(text, "Bishkek's-and Dushanbe's-interest..") == []


@settings(max_examples=300, deadline=None)
@given(texts)
def test_compact_map_is_the_per_character_map(text: str) -> None:
    canonical, index = normalize_for_match(text)
    compact = spans._Canonical(text)
    assert compact.text == canonical
    assert [compact.index(i) for i in range(len(canonical))] == index


def test_long_dot_runs_in_a_large_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spans, "LARGE_TEXT", -1)
    text = "end……… here"  # nine dots' worth
    assert [m.exact for m in find_quote(text, "end.........")] == ["end………"]
    assert [m.exact for m in find_quote(text, "end....... here")] == []


def test_closest_passage_in_chunks_is_as_good_as_over_the_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    words = [f"word{i % 37} thing{i % 11}" for i in range(400)]
    text = " ".join(words) + " the minister signed the treaty in May " + " ".join(words)
    quote = "the minster signed a treaty in May"
    whole = fuzz.partial_ratio_alignment(quote, text)
    monkeypatch.setattr(spans, "LARGE_TEXT", 100)
    monkeypatch.setattr(spans, "_CHUNK", 500)
    start, end, score = spans.closest_passage(text, quote)
    assert score == pytest.approx(whole.score)
    assert "minister signed the treaty" in text[start:end]
    with pytest.raises(QuoteNotFound, match="closest passage: '.*signed the treaty"):
        spans.locate(text, quote)


def test_digits_as_written_and_spelled_both_state_a_number() -> None:
    assert quantities.unstated(["in 1999 it left"], when="1999") == []
    assert quantities.unstated(["forty-five servicemen"], number=45.0) == []
    assert quantities.unstated(["4,526 43rd Street"], number=4526.0) == []
    assert quantities.unstated(["in 1998 it left"], when="1999") != []
    assert quantities.unstated(["some servicemen"], number=45.0) != []


# Through the database ----------------------------------------------------------------------


def _write(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    return path


def _stored(fb: FactBase) -> dict[str, list[tuple]]:
    """Every claim, its spans and its audit record, without ids or timestamps."""
    with fb.store.engine.connect() as connection:

        def rows(sql: str) -> list[tuple]:
            return [tuple(row) for row in connection.exec_driver_sql(sql)]

        return {
            "claims": rows(
                "SELECT text, subject_id, predicate_id, object_id, value_text, value_number,"
                " value_unit, value_date, polarity, modality, attributed_to_id, time_raw,"
                " time_earliest, time_latest, time_precision, time_anchor, status"
                " FROM claims ORDER BY id"
            ),
            "spans": rows(
                'SELECT s.document_id, s.start, s."end", s.exact, s.prefix, s.suffix'
                " FROM claim_spans cs JOIN spans s ON s.id = cs.span_id"
                " ORDER BY cs.claim_id, s.id"
            ),
            "events": rows(
                "SELECT action, target, after FROM events WHERE target = 'claim' ORDER BY id"
            ),
        }


def _vocabulary(fb: FactBase) -> FactBase:
    """The base of test_import_rows: the seeds, one entity, four predicates."""
    fb.ingest([SEEDS])
    fb.add_entity("Collective Security Treaty", kind="treaty", aliases=["CSTO"])
    fb.add_predicate("left", kind="event", aliases=["abandoned"])
    fb.add_predicate("postal address", kind="attribute", single_valued=True, value_type="string")
    fb.add_predicate("servicemen sent", kind="attribute", single_valued=True, value_type="number")
    fb.add_predicate("dated", kind="attribute", single_valued=True, value_type="date")
    return fb


def test_import_stores_what_adding_one_at_a_time_stores(
    fb: FactBase, empty_url: str, tmp_path: Path
) -> None:
    lines = FIRST * 2  # the second half: duplicates, skipped
    path = _write(tmp_path / "c.jsonl", lines)
    _vocabulary(fb)
    with fb.store.session(write=True) as session:  # batches of 3: duplicates across them
        result = importer.import_file(session, path, batch_size=3)
    assert result.ids
    assert result.skipped == len(lines) - len(result.ids) > len(FIRST)
    other = _vocabulary(FactBase(empty_url))
    try:
        added = [other.add_claim(ClaimInput.from_mapping(line))["duplicate"] for line in lines]
        assert added.count(False) == len(result.ids)
        assert _stored(other) == _stored(fb)
    finally:
        other.close()


def _block(count: int, subject: str = "Uzbekistan") -> list[dict[str, Any]]:
    """`count` claims of one subject and predicate, each quoting a sentence of its own."""
    return [
        {"text": f"claim {i}", "doc": "block", "quote": f"Sentence number {i} of the block.",
         "subject": subject, "predicate": "left", "object": f"Party {i % 7}"}
        for i in range(count)
    ]  # fmt: skip


def test_duplicates_in_a_large_block_are_skipped(fb: FactBase, tmp_path: Path) -> None:
    count = 2_500
    document = tmp_path / "block.txt"
    document.write_text(
        "\n\n".join(f"Sentence number {i} of the block." for i in range(count)), "utf-8"
    )
    fb.ingest([document], date="2001-01-01")
    fb.add_predicate("left", kind="event")
    lines = _block(count)
    path = _write(tmp_path / "block.jsonl", lines + lines[::3])
    with fb.store.session(write=True) as session:
        result = importer.import_file(session, path, batch_size=700)
    assert (len(result.ids), result.skipped) == (count, len(lines[::3]))
    again = fb.import_claims(path)
    assert (again["imported"], again["skipped"]) == (0, count + len(lines[::3]))
    # The same quote, but another claim about it: not a duplicate.
    changed = [line | {"object": "Someone Else"} for line in lines[:50]]
    third = fb.import_claims(_write(tmp_path / "changed.jsonl", changed))
    assert (third["imported"], third["skipped"]) == (50, 0)
    assert fb.counts()["claims"] == count + 50
    assert fb.fsck() == []


def test_claim_add_on_a_large_text_stores_the_same_span(
    fb: FactBase, empty_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = FIRST[5]  # a typographic quote: straight apostrophes and spaced hyphens
    small = _vocabulary(fb).add_claim(ClaimInput.from_mapping(line))
    monkeypatch.setattr(spans, "LARGE_TEXT", 0)  # every document searched in place
    other = _vocabulary(FactBase(empty_url))
    try:
        large = other.add_claim(ClaimInput.from_mapping(line))
        with pytest.raises(QuoteNotFound, match="closest passage"):
            other.add_claim(ClaimInput.from_mapping(line | {"quote": "Astana shares Tashkent"}))
        assert _stored(other) == _stored(fb)
    finally:
        other.close()
    assert large["spans"] == small["spans"] != []
