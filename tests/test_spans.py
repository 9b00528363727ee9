"""Tests for factbase.spans: typography-insensitive quote matching that keeps exact offsets."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from factbase.errors import AmbiguousQuote, FactbaseError, QuoteNotFound
from factbase.spans import (
    CONTEXT,
    Match,
    closest_passage,
    context,
    find_quote,
    locate,
    make_match,
    normalize_for_match,
)

# The opening of seeds/000_973313e737abdc5f.txt (Fortnight in Review 6/17), verbatim: curly
# quotes, en dashes, paragraph breaks, and "Vladimir Putin" twice.
DOC = (
    "Publication: Fortnight in Review Volume: 6 Issue: 17\n\n"
    "Russia’s Foreign Affairs Ministry announced on August 29 that Uzbekistan has officially "
    "requested “military-technical assistance” against the Islamist rebels. Uzbek Deputy "
    "Foreign Affairs Minister Abdusamat Haidarov submitted the request on August 28 in Moscow"
    " to Vyacheslav Trubnikov, the first deputy foreign affairs minister with the rank of "
    "cabinet minister in charge of Russia’s policy toward CIS countries. The Russian side "
    "took the matter under consideration as a matter of urgency. That same day, the Kremlin "
    "announced that Presidents Vladimir Putin of Russia and Askar Akaev of Kyrgyzstan had "
    "discussed by telephone the current situation in that country and in Central Asia. "
    "Contextual remarks by Kyrgyz officials suggested that Akaev, too, almost certainly "
    "requested “military-technical assistance.” That term covers provision of arms, equipment"
    " and specialists, but not troops. Russian officials made a point of explaining that the "
    "assistance to Uzbekistan and Kyrgyzstan would be provided within the framework of "
    "Russia’s bilateral agreements with the two countries.\n\n"
    "Russian, Uzbek and Kyrgyz officials seem notably reticent to invoke either the CIS "
    "Collective Security Treaty, or the multilateral military and “antiterrorism” agreements "
    "signed by Russia and Central Asian countries in the CIS, the regional and the Shanghai-"
    "Five frameworks. Uzbekistan in any case is no longer a party to the CIS Collective "
    "Security Treaty, having abandoned it last year in favor of bilateral arrangements with "
    "Russia. The Russian defense minister, Marshal Igor Sergeev, is the only senior official "
    "in Moscow thus far to have called for a collective response. He has made public his "
    "recommendation to Russian President Vladimir Putin to set up a joint headquarters of "
    "Russian and Central Asian countries’ armed forces, in the framework of the CIS "
    "Collective Security Treaty but limited to the Central Asian region. Such proposals may "
    "gain currency in Moscow if the Uzbek and Kyrgyz forces fail to stamp out the insurgency "
    "soon.\n\n"
    "Kazakhstan, too, seems prepared to step incrementally into the fray. Its defense "
    "minister, Lieutenant-General Sat Tokpakbaev, has stated more than once during these "
    "events that Kazakhstan would render assistance to Kyrgyzstan if the latter country "
    "requests it. Astana shares Bishkek’s–and Dushanbe’s–interest in limiting Uzbekistan’s "
    "political clout and military reach in Central Asia."
)
# seeds/004: an en dash with spaces around it.
DOC_004 = (
    "At the same time, in the wake of Dushanbe’s recent decision to withdrawal Russian border "
    "guards from Tajikistan – which implies a failure of Kremlin policy in Tajikistan – Moscow "
    "feels the need to try to strengthen its position in other Central Asian states."
)
SEED_DIRS = [
    Path(__file__).resolve().parents[1] / "seeds",
    Path(__file__).resolve().parents[2] / "shared" / "seeds",
]
SEED_FILES = sorted({p.name: p for d in SEED_DIRS for p in d.glob("*.txt")}.values())


def canonical(s: str) -> str:
    "The form two strings must share to match"
    return normalize_for_match(s)[0].strip(" ")


def straighten(s: str) -> str:
    "What a user typing on a plain keyboard would enter for s"
    for curly, plain in [("‘’", "'"), ("“”", '"'), ("–—", "-"), ("\u00a0\u2009", "  ")]:
        s = re.sub(f"[{curly}]", plain[0], s)
    return s.replace("…", "...")


def one_line(message: str) -> bool:
    return len(message.splitlines()) == 1


def assert_valid(text: str, m: Match) -> None:
    "The span invariants every Match must satisfy"
    assert text[m.start : m.end] == m.exact
    assert m.exact and not m.exact[0].isspace() and not m.exact[-1].isspace()
    assert m.prefix == text[max(0, m.start - CONTEXT) : m.start]
    assert m.suffix == text[m.end : m.end + CONTEXT]
    assert len(m.prefix) <= CONTEXT and len(m.suffix) <= CONTEXT


# --- normalize_for_match ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Russia’s ‘x’ ‚y‛ 5′ ʼa", "Russia's 'x' 'y' 5' 'a"),
        ("“a” „b‟ 6″ «c»", '"a" "b" 6" "c"'),
        ("a‐b‑c‒d–e—f―g−h", "a-b-c-d-e-f-g-h"),
        ("wait…", "wait..."),
        ("a \t\n\n b\u00a0c\u2009d\u3000e", "a b c d e"),
        ("Bishkek’s – and", "Bishkek's-and"),
        ("a  -\n b -c- d", "a-b-c-d"),
        ("  lead and trail  ", " lead and trail "),
        ("", ""),
    ],
)
def test_normalize_for_match_canonical_form(raw: str, expected: str) -> None:
    assert normalize_for_match(raw)[0] == expected


def test_normalize_for_match_maps_each_canonical_char_to_its_source() -> None:
    canon, index = normalize_for_match("a\u00a0\u00a0– b…”")
    assert canon == 'a-b..."'
    # "a", the dash (not the spaces around it), "b", the ellipsis three times, the quote.
    assert index == [0, 3, 5, 6, 6, 6, 7]


def test_normalize_for_match_on_a_megabyte_keeps_one_index_per_char() -> None:
    text = DOC * (1_000_000 // len(DOC) + 1)
    canon, index = normalize_for_match(text)
    assert len(canon) == len(index)


# --- find_quote / locate on real sentences --------------------------------------------------


def test_straight_apostrophe_matches_curly_one() -> None:
    m = locate(DOC, "Russia's Foreign Affairs Ministry")
    assert (m.start, m.end) == (54, 87)
    assert m.exact == "Russia’s Foreign Affairs Ministry"
    assert m.prefix == " in Review Volume: 6 Issue: 17\n\n"
    assert m.suffix == " announced on August 29 that Uzb"
    assert_valid(DOC, m)


def test_curly_quote_still_matches_itself() -> None:
    m = locate(DOC, "Russia’s Foreign Affairs Ministry")
    assert (m.start, m.end) == (54, 87)


def test_straight_double_quotes_match_curly_ones() -> None:
    m = locate(DOC, '"military-technical assistance"')
    assert (m.start, m.end) == (152, 183)
    assert m.exact == "“military-technical assistance”"


def test_spaced_hyphens_match_unspaced_en_dashes() -> None:
    m = locate(DOC, "Astana shares Bishkek's - and Dushanbe's - interest")
    assert (m.start, m.end) == (2341, 2388)
    assert m.exact == "Astana shares Bishkek’s–and Dushanbe’s–interest"


@pytest.mark.parametrize("dash", ["-", "–", "—", " - ", "  -", "\u00a0–\n"])
def test_dash_spacing_is_optional_in_the_quote(dash: str) -> None:
    m = locate(DOC, f"Bishkek’s{dash}and Dushanbe’s{dash}interest")
    assert m.exact == "Bishkek’s–and Dushanbe’s–interest"


def test_unspaced_dash_matches_spaced_en_dash() -> None:
    m = locate(DOC_004, "Tajikistan-which implies a failure of Kremlin policy in Tajikistan-Moscow")
    assert m.exact == (
        "Tajikistan – which implies a failure of Kremlin policy in Tajikistan – Moscow"
    )
    assert DOC_004.index("Tajikistan –") == m.start == 101


def test_quote_across_a_paragraph_break() -> None:
    m = locate(DOC, "Volume: 6 Issue: 17 Russia's Foreign")
    assert (m.start, m.end) == (33, 70)
    assert m.exact == "Volume: 6 Issue: 17\n\nRussia’s Foreign"


def test_whitespace_runs_and_newlines_in_the_quote_collapse() -> None:
    m = locate(DOC, "Marshal\n  Igor\t\tSergeev")
    assert (m.start, m.end) == (1600, 1620)
    assert m.exact == "Marshal Igor Sergeev"


def test_leading_and_trailing_whitespace_of_the_quote_is_ignored() -> None:
    m = locate(DOC, " \n\u00a0Marshal Igor Sergeev \t")
    assert (m.start, m.end) == (1600, 1620)


def test_span_never_starts_or_ends_on_whitespace() -> None:
    text = "Publication:\n\n  Monitor\u00a0\u00a0Volume: 5"
    m = locate(text, "Monitor Volume")
    assert m.exact == "Monitor\u00a0\u00a0Volume"
    m = locate(text, "Publication: Monitor")
    assert m.exact == "Publication:\n\n  Monitor"


def test_non_breaking_space_in_text_or_quote() -> None:
    text = DOC.replace("August 29", "August\u00a029")
    assert locate(text, "on August 29 that").exact == "on August\u00a029 that"
    assert locate(DOC, "on August\u202f29 that").exact == "on August 29 that"


@pytest.mark.parametrize(
    ("text", "quote", "exact"),
    [
        ("He said… and left.", "said... and", "said… and"),
        ("He said... and left.", "said… and", "said... and"),
        ("He said … and left.", "said ... and", "said … and"),
        ("He said… and left.", "said…", "said…"),
    ],
)
def test_ellipsis_matches_three_dots(text: str, quote: str, exact: str) -> None:
    assert locate(text, quote).exact == exact


def test_partial_ellipsis_never_matches() -> None:
    "Two dots would cover two thirds of one character: no span can hold that"
    assert find_quote("wait… what", "wait..") == []
    assert find_quote("wait… what", ".. what") == []
    assert [m.exact for m in find_quote("a.… b", "...")] == ["…"]


def test_matching_is_case_sensitive() -> None:
    assert find_quote(DOC, "russia's foreign affairs ministry") == []
    with pytest.raises(QuoteNotFound):
        locate(DOC, "RUSSIA'S FOREIGN AFFAIRS MINISTRY")


def test_find_quote_lists_every_occurrence_in_order() -> None:
    matches = find_quote(DOC, "Vladimir Putin")
    assert [(m.start, m.end) for m in matches] == [(597, 611), (1770, 1784)]
    assert all(m.exact == "Vladimir Putin" for m in matches)


def test_find_quote_occurrences_do_not_overlap() -> None:
    assert [m.start for m in find_quote("aaaaa", "aa")] == [0, 2]


def test_find_quote_on_a_megabyte_finds_every_occurrence() -> None:
    text = DOC * (1_000_000 // len(DOC) + 1)
    matches = find_quote(text, "Vladimir Putin")
    assert len(matches) == 2 * (1_000_000 // len(DOC) + 1)


# --- ambiguity and occurrence -----------------------------------------------------------------


def test_ambiguous_quote_lists_occurrences_on_one_line() -> None:
    with pytest.raises(AmbiguousQuote) as raised:
        locate(DOC, "Vladimir Putin", where="document '000'")
    message = str(raised.value)
    assert message == (
        "quote occurs 2 times in document '000': "
        "#1 at 597 '…that Presidents Vladimir Putin of Russia and Askar…', "
        "#2 at 1770 '…Russian President Vladimir Putin to set up a joint…'; "
        "pick one with --occurrence N"
    )
    assert one_line(message)


def test_ambiguous_quote_lists_at_most_five() -> None:
    with pytest.raises(AmbiguousQuote) as raised:
        locate(DOC, "Russia")
    message = str(raised.value)
    assert message.startswith("quote occurs 12 times in the document: #1 at 54 ")
    assert "#5 at 943 " in message and "#6" not in message
    assert message.endswith(", and 7 more; pick one with --occurrence N")
    assert one_line(message)


@pytest.mark.parametrize(("occurrence", "start"), [(1, 597), (2, 1770)])
def test_occurrence_picks_one(occurrence: int, start: int) -> None:
    m = locate(DOC, "Vladimir Putin", occurrence=occurrence)
    assert (m.start, m.end) == (start, start + len("Vladimir Putin"))
    assert_valid(DOC, m)


def test_occurrence_one_of_a_unique_quote() -> None:
    assert locate(DOC, "Marshal Igor Sergeev", occurrence=1).start == 1600


@pytest.mark.parametrize("occurrence", [0, -1, 3])
def test_occurrence_out_of_range_names_the_count(occurrence: int) -> None:
    with pytest.raises(QuoteNotFound) as raised:
        locate(DOC, "Vladimir Putin", occurrence=occurrence, where="document '000'")
    assert str(raised.value) == (
        f"quote occurs 2 times in document '000', so there is no occurrence {occurrence}; "
        "pick one from 1 to 2"
    )


def test_occurrence_two_of_a_unique_quote() -> None:
    with pytest.raises(QuoteNotFound, match=r"^quote occurs once in the document, so there"):
        locate(DOC, "Marshal Igor Sergeev", occurrence=2)


# --- not found ----------------------------------------------------------------------------


def test_not_found_shows_the_closest_passage() -> None:
    with pytest.raises(QuoteNotFound) as raised:
        locate(DOC, "Vladimir Putni", where="document '000'")
    assert str(raised.value) == (
        "quote not found in document '000': 'Vladimir Putni'; "
        "closest passage: '…Vladimir Putin…' (93% similar)"
    )


def test_not_found_message_is_one_line_even_for_a_multiline_quote() -> None:
    quote = "Uzbek Deputy Foreign\nAffairs Minister\n\nAbdusamat Haydarov submitted"
    with pytest.raises(QuoteNotFound) as raised:
        locate(DOC, quote)
    message = str(raised.value)
    assert one_line(message)
    assert message.startswith(
        "quote not found in the document: "
        "'Uzbek Deputy Foreign Affairs Minister Abdusamat Haydarov submitted'; "
        "closest passage: '…Uzbek Deputy Foreign Affairs Minister Abdusamat Haidarov submitted…'"
    )


def test_not_found_clips_a_long_quote() -> None:
    with pytest.raises(QuoteNotFound) as raised:
        locate(DOC, "nowhere " * 100)
    message = str(raised.value)
    assert one_line(message) and len(message) < 400
    assert "nowhere nowhere…'" in message


def test_not_found_in_an_empty_text_has_no_passage() -> None:
    with pytest.raises(QuoteNotFound) as raised:
        locate("", "anything")
    assert str(raised.value) == "quote not found in the document: 'anything'"


@pytest.mark.parametrize("quote", ["", "   ", "\n\t\u00a0\u2009 "])
def test_blank_quote_is_rejected(quote: str) -> None:
    with pytest.raises(QuoteNotFound, match="^quote is empty: it holds nothing but whitespace$"):
        locate(DOC, quote)
    with pytest.raises(QuoteNotFound):
        find_quote(DOC, quote)


def test_errors_are_factbase_errors() -> None:
    "The CLI prints FactbaseError messages and exits 1"
    assert issubclass(QuoteNotFound, FactbaseError)
    assert issubclass(AmbiguousQuote, FactbaseError)


# --- closest_passage ----------------------------------------------------------------------


def test_closest_passage_widens_to_whole_words() -> None:
    start, end, score = closest_passage(DOC, "took the mater under considerat")
    assert DOC[start:end] == "took the matter under consideration"
    assert 90 < score < 100


def test_closest_passage_ignores_typography() -> None:
    start, end, score = closest_passage(DOC, "Bishkek's - and Dushanbe's - interest")
    assert score == 100
    assert DOC[start:end] == "Bishkek’s–and Dushanbe’s–interest"


@pytest.mark.parametrize(("text", "quote"), [("", "x"), ("text", ""), ("text", " \n ")])
def test_closest_passage_of_nothing(text: str, quote: str) -> None:
    assert closest_passage(text, quote) == (0, 0, 0.0)


# --- context and make_match ---------------------------------------------------------------


def test_context_marks_cuts_and_drops_partial_words() -> None:
    start = DOC.index("Marshal Igor Sergeev")
    assert context(DOC, start, start + 20, width=12) == "…minister, Marshal Igor Sergeev, is the…"


def test_context_collapses_whitespace_into_one_line() -> None:
    text = "Issue: 17\n\nRussia’s   Foreign\tAffairs"
    assert context(text, 11, 19) == "Issue: 17 Russia’s Foreign Affairs"


def test_context_with_zero_width_shows_the_span_only() -> None:
    assert context(DOC, 54, 87, width=0) == "…Russia’s Foreign Affairs Ministry…"
    assert context("whole text", 0, 10, width=0) == "whole text"


def test_make_match_at_the_edges_of_the_text() -> None:
    text = "abc"
    assert make_match(text, 0, 3) == Match(start=0, end=3, exact="abc", prefix="", suffix="")
    long = "x" * 50 + "QUOTE" + "y" * 50
    m = make_match(long, 50, 55)
    assert (m.prefix, m.exact, m.suffix) == ("x" * CONTEXT, "QUOTE", "y" * CONTEXT)


@pytest.mark.parametrize(("start", "end"), [(-1, 2), (2, 2), (3, 2), (0, 4)])
def test_make_match_rejects_invalid_offsets(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="invalid span"):
        make_match("abc", start, end)


def test_match_is_immutable() -> None:
    m = make_match("abc", 0, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.start = 1  # type: ignore[misc]


# --- the seed corpus ------------------------------------------------------------------------


@pytest.mark.skipif(not SEED_FILES, reason="seed documents not found")
@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_every_seed_sentence_typed_plainly_is_found_at_its_offsets(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    sentences = list(re.finditer(r"[^\s.][^.\n]*[^\s.]\.", text))
    assert sentences
    for sentence in sentences:
        typed = straighten(sentence.group()).replace(" ", "\n", 1)
        matches = find_quote(text, typed)
        assert (sentence.start(), sentence.end()) in [(m.start, m.end) for m in matches]
        for m in matches:
            assert_valid(text, m)
            assert canonical(m.exact) == canonical(typed)


# --- properties ---------------------------------------------------------------------------

ALPHABET = st.sampled_from(
    list("ab c.'\"-\n\t") + ["\u00a0", "\u2009", "’", "‘", "“", "”", "–", "—", "…", "é", "x"]
)
TEXTS = st.text(ALPHABET, min_size=1, max_size=60)


@st.composite
def text_and_slice(draw: st.DrawFn) -> tuple[str, int, int]:
    "A text and a slice of it with non-whitespace at both ends, as a user would select"
    text = draw(TEXTS)
    solid = [k for k, c in enumerate(text) if not c.isspace()]
    assume(solid)
    i = draw(st.sampled_from(solid))
    j = draw(st.sampled_from([k for k in solid if k >= i])) + 1
    return text, i, j


def spans_of(matches: list[Match]) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in matches]


@given(text_and_slice())
def test_any_slice_is_found(case: tuple[str, int, int]) -> None:
    text, i, j = case
    quote = text[i:j]
    matches = find_quote(text, quote)
    assert matches
    for m in matches:
        assert_valid(text, m)
        assert canonical(m.exact) == canonical(quote)
    spans = spans_of(matches)
    assert spans == sorted(spans)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False))
    # Occurrences never overlap, so the slice is either listed or overlapped by a listed one.
    assert (i, j) in spans or any(s < j and i < e for s, e in spans)


@given(text_and_slice())
def test_locate_agrees_with_find_quote(case: tuple[str, int, int]) -> None:
    text, i, j = case
    matches = find_quote(text, text[i:j])
    for n, m in enumerate(matches, start=1):
        assert locate(text, text[i:j], occurrence=n) == m
    if len(matches) == 1:
        assert locate(text, text[i:j]) == matches[0]
    else:
        with pytest.raises(AmbiguousQuote) as raised:
            locate(text, text[i:j])
        assert one_line(str(raised.value))


@given(text_and_slice())
def test_typographic_variants_match_at_the_same_offsets(case: tuple[str, int, int]) -> None:
    text, i, j = case
    quote = text[i:j]
    assert spans_of(find_quote(text, straighten(quote))) == spans_of(find_quote(text, quote))
    padded = f" \n{quote.replace(' ', chr(0xA0))}\t"
    assert spans_of(find_quote(text, padded)) == spans_of(find_quote(text, quote))


@given(st.text(ALPHABET, max_size=60))
def test_normalize_for_match_index_points_at_the_source(s: str) -> None:
    canon, index = normalize_for_match(s)
    assert len(canon) == len(index)
    assert index == sorted(index)
    for c, k in zip(canon, index, strict=True):
        source = s[k]
        assert (
            c == source
            or (c == " " and source.isspace())
            or (c == "." and source == "…")
            or (c, source) in {("'", "’"), ("'", "‘"), ('"', "“"), ('"', "”")}
            or (c == "-" and source in "–—")
        )
    assert normalize_for_match(canon)[0] == canon


@given(TEXTS, st.text(max_size=40))
def test_locate_errors_are_single_lines(text: str, quote: str) -> None:
    try:
        m = locate(text, quote, where="document 'x'")
    except (QuoteNotFound, AmbiguousQuote) as error:
        assert one_line(str(error))
    else:
        assert_valid(text, m)
        assert canonical(m.exact) == canonical(quote)


@given(text_and_slice())
def test_closest_passage_of_a_present_quote_is_perfect(case: tuple[str, int, int]) -> None:
    text, i, j = case
    start, end, score = closest_passage(text, text[i:j])
    assert score == 100
    assert 0 <= start < end <= len(text)


@given(TEXTS, st.data())
def test_context_is_one_line_containing_the_span(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    width = data.draw(st.integers(0, 80))
    snippet = context(text, start, end, width)
    assert one_line(snippet) or not snippet
    assert "  " not in snippet
    assert " ".join(text[start:end].split()) in snippet
