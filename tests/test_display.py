"""What people read: escapes, Markdown safety, highlights, differences, numbers (issue 9).

The pure functions of factbase.display are tested directly (with hypothesis
properties); the CLI, report and citation tests below check that every human
output path uses them, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from factbase.display import (
    context_parts,
    differences,
    format_number,
    marked,
    md_escape,
    value_words,
    visible,
)
from factbase.rules import RULE_WORDS, RULES, rule_label
from factbase.spans import context

CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def unescape(shown: str) -> str:
    """The inverse of `visible`, left to right, as a reader would decode it."""

    def one(match: re.Match[str]) -> str:
        body = match.group(1)
        return "\\" if body == "\\" else chr(int(body[1:], 16))

    return re.sub(r"\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4})", one, shown)


# Terminal escapes ---------------------------------------------------------------------------

tricky_text = st.text(
    st.one_of(
        st.characters(),
        st.sampled_from("\\xu\x1b\x07\r\n\t\x9b\u202e"),
    )
)


@given(tricky_text)
@example("\x1b[31mred\x1b[0m")
@example("\\x1b")
@example("\\\x1b")
@example("C:\\path\\")
def test_visible_removes_every_control_and_is_reversible(text: str) -> None:
    shown = visible(text)
    assert not CONTROLS.search(shown)
    assert unescape(shown) == text


@given(st.text(st.characters(blacklist_categories=["Cc", "Cf"], blacklist_characters="\\")))
def test_visible_leaves_ordinary_text_alone(text: str) -> None:
    assert visible(text) == text


def test_visible_examples() -> None:
    assert visible("a\x1b[31mred\x07\r\n\tz") == "a\\x1b[31mred\\x07\\x0d\n\tz"
    assert visible("C:\\path") == "C:\\path"  # an ordinary backslash reads as itself
    assert visible("\\x1b") == "\\\\x1b"  # but one that looks like an escape is doubled
    assert visible("\u202eevil") == "\\u202eevil"
    assert visible("\x9b") == "\\x9b"


# Markdown -------------------------------------------------------------------------------------


@given(tricky_text)
@example("<svg onload=alert(1)>")
@example("# heading\n- item\n1. first")
def test_md_escape_leaves_no_markup(text: str) -> None:
    shown = md_escape(text)
    assert "\n" not in shown and not CONTROLS.search(shown)
    assert "<" not in shown and ">" not in shown
    assert not re.search(r"&(?!amp;|lt;|gt;)", shown)
    # every Markdown metacharacter is escaped: none follows an even run of backslashes
    assert not re.search(r"(?<!\\)(\\\\)*[`*_\[\]|~]", shown)
    assert not re.match(r"\s*([#+=-]|\d+[.)])", shown)


def test_md_escape_examples() -> None:
    assert md_escape("<svg onload=alert(1)>") == "&lt;svg onload=alert(1)&gt;"
    assert md_escape("a | b *c* _d_ [e](f) `g` & h") == (
        "a \\| b \\*c\\* \\_d\\_ \\[e\\](f) \\`g\\` &amp; h"
    )
    assert md_escape("# not a heading") == "\\# not a heading"
    assert md_escape("1999. A year") == "1999\\. A year"
    assert md_escape("two\nlines") == "two lines"
    assert md_escape("\x1b[31m") == "\\\\x1b\\[31m"  # renders as the visible escape


# Numbers ----------------------------------------------------------------------------------------


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_format_number_round_trips_without_exponent(number: float) -> None:
    shown = format_number(number)
    assert "e" not in shown.lower()
    assert float(shown.replace(",", "")) == number


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_format_number_groups_integers(number: int) -> None:
    assert format_number(float(number)) == f"{number:,}"


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        (42_000_000.0, "42,000,000"),
        (4.2e7, "42,000,000"),
        (6.0, "6"),
        (0.5, "0.5"),
        (1.5e-05, "0.000015"),
        (1234.5, "1,234.5"),
        (-0.0, "0"),
        (float("inf"), "inf"),
    ],
)
def test_format_number_examples(number: float, shown: str) -> None:
    assert format_number(number) == shown


def test_value_words() -> None:
    assert value_words(None, {"number": 42_000_000.0, "unit": "EUR"}) == "42,000,000 EUR"
    assert value_words(None, {"number": 6, "unit": None}) == "6"
    assert value_words(None, {"date": "2006-08-16"}) == "2006-08-16"
    assert value_words(None, {"text": "4526 43rd Street NW"}) == "4526 43rd Street NW"
    assert value_words("CSTO", None) == "CSTO"
    assert value_words(None, None) == ""


# Quotes in context -----------------------------------------------------------------------------

document_text = st.text(st.sampled_from("ab  \n\t.’—"), max_size=60)


@given(document_text, st.data(), st.integers(0, 12))
@example("is the only senior official", None, 12)
def test_context_parts_hold_the_quote(text: str, data: st.DataObject | None, width: int) -> None:
    if data is None:
        start, end = 7, 11
    else:
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
    left, quote, right = context_parts(text, start, end, width)
    assert left + quote + right == context(text, start, end, width)
    assert quote == " ".join(text[start:end].split())
    assert "\n" not in left + quote + right
    shown = marked([(left, False), (quote, True), (right, False)])
    assert f"«{quote}»" in shown


def test_context_parts_example() -> None:
    text = "The Russian defense minister, Marshal Igor Sergeev, is the only senior official"
    start = text.index("Igor")
    assert context_parts(text, start, start + len("Igor Sergeev"), width=12) == (
        "…Marshal ",
        "Igor Sergeev",
        ", is the…",
    )


# Differences ---------------------------------------------------------------------------------


@given(st.text(max_size=30), st.text(max_size=30))
@example("4526 43rd Street NW", "4516 43rd Street NW")
def test_differences_mark_only_what_differs(a: str, b: str) -> None:
    ours, theirs = differences(a, b)
    assert "".join(part for part, _ in ours) == a
    assert "".join(part for part, _ in theirs) == b
    unchanged = ["".join(p for p, mark in side if not mark) for side in (ours, theirs)]
    assert unchanged[0] == unchanged[1]
    changed = any(mark for _, mark in ours + theirs)
    assert changed == (a != b)


def test_differences_examples() -> None:
    ours, theirs = differences("4526 43rd Street NW, DC", "4516 43rd Street NW, DC")
    assert marked(ours) == "45«2»6 43rd Street NW, DC"
    assert marked(theirs) == "45«1»6 43rd Street NW, DC"
    ours, theirs = differences("Igor Sergeev", "Sergei Ivanov")
    assert marked(ours) == "«Igor Sergeev»" and marked(theirs) == "«Sergei Ivanov»"
    ours, theirs = differences("6 ministers", "7 ministers")
    assert marked(ours, "[", "]") == "[6] ministers"


# Rules in words --------------------------------------------------------------------------------


def test_every_rule_has_words() -> None:
    assert set(RULE_WORDS) == set(RULES)
    assert rule_label("event_date") == "event_date — different dates for the same event"
    assert rule_label("something_new") == "something_new"
    assert all(unicodedata.category(w[0]) == "Ll" for w in RULE_WORDS.values())


def test_json_escapes_controls_anyway() -> None:
    assert "\x1b" not in json.dumps({"text": "\x1b[31m"}, ensure_ascii=False)
