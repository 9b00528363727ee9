"""What people read: escapes, Markdown safety, highlights, differences, numbers (issue 9).

The pure functions of factbase.display are tested directly (with hypothesis
properties); the CLI, report and citation tests below check that every human
output path uses them, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from factbase import FactBase
from factbase.claims import ClaimInput
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

from .conftest import Invoke

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
    assert not re.match(r"\s*(#|[+=-]([\s+=-]|$)|\d+[.)](\s|$))", shown)


def test_md_escape_examples() -> None:
    assert md_escape("<svg onload=alert(1)>") == "&lt;svg onload=alert(1)&gt;"
    assert md_escape("a | b *c* _d_ [e](f) `g` & h") == (
        "a \\| b \\*c\\* \\_d\\_ \\[e\\](f) \\`g\\` &amp; h"
    )
    assert md_escape("# not a heading") == "\\# not a heading"
    assert md_escape("1999. A year") == "1999\\. A year"
    assert md_escape("- item") == "\\- item" and md_escape("---") == "\\---"
    assert md_escape("0.674") == "0.674" and md_escape("-5 degrees") == "-5 degrees"
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


# The CLI: every human output path ---------------------------------------------------------------

ESC = "\x1b[31m"


def _claim_input(**overrides: object) -> ClaimInput:
    fields = {
        "text": f"Uzbekistan left the treaty {ESC}in red\x07",
        "doc": "fir-6-17",
        "quote": "having abandoned it last year",
        "subject": "Uzbekistan",
        "predicate": "left",
        "object": "Collective Security Treaty",
    } | overrides
    return ClaimInput(**fields)  # type: ignore[arg-type]


@pytest.fixture
def piped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output as in `factbase … | cat`: no width pinned, stdout not a terminal."""
    monkeypatch.delenv("TERMINAL_WIDTH")
    monkeypatch.delenv("COLUMNS", raising=False)


def test_piped_tables_keep_every_cell_whole(piped: None, seeded_cli: Invoke) -> None:
    claims = json.loads(seeded_cli("claim", "list", "--json").stdout)
    result = seeded_cli("claim", "list")
    assert result.exit_code == 0
    assert "…" not in result.stdout
    lines = result.stdout.splitlines()
    for claim in claims:
        [row] = [line for line in lines if line.startswith(f"│ {claim['id']} ")]
        cells = [cell.strip() for cell in row.strip("│").split("│")]
        assert cells[1] == claim["text"]
        assert cells[5] == (claim["time"]["raw"] if claim["time"] else "")
    assert "2000-08-28" in result.stdout and "fir-6-17" in result.stdout
    seeded_cli("check")
    listed = seeded_cli("conflict", "list")
    for conflict in json.loads(seeded_cli("conflict", "list", "--json").stdout):
        assert conflict["explanation"] in listed.stdout


def test_stored_controls_are_shown_escaped(
    piped: None, seeded: FactBase, seeded_cli: Invoke, tmp_path: Path
) -> None:
    claim = seeded.add_claim(_claim_input())
    retracted = seeded.add_claim(_claim_input(text="Uzbekistan left it", when="1999"))
    source = tmp_path / "controls.txt"
    source.write_text(f"Title {ESC}red\n\nA text {ESC}with a bell\x07 and\ra return.\n")
    outputs = [
        seeded_cli("claim", "list"),
        seeded_cli("claim", "show", str(claim["id"])),
        seeded_cli("claim", "retract", str(retracted["id"]), "--reason", f"{ESC}oops"),
        seeded_cli("verify", f"Uzbekistan left the Collective Security Treaty {ESC}"),
        seeded_cli("ingest", str(source)),
        seeded_cli("doc", "show", "controls", "--text"),
        seeded_cli("cite", str(claim["id"])),
        seeded_cli("entity", "show", f"nobody {ESC}"),
    ]
    for result in outputs:
        assert "\x1b" not in result.output and "\x07" not in result.output, result.output
    assert "\\x1b[31m" in outputs[0].stdout and "\\x07" in outputs[1].stdout
    assert "\\x1b[31moops" in outputs[2].stdout
    assert "\\x1b[31mwith a bell\\x07 and" in outputs[5].stdout  # ingest turned \\r into \\n
    shown = json.loads(seeded_cli("claim", "show", str(claim["id"]), "--json").stdout)
    assert shown["text"] == f"Uzbekistan left the treaty {ESC}in red\x07"  # JSON stays faithful


def test_claim_show_highlights_the_quote(piped: None, seeded_cli: Invoke) -> None:
    [claim] = json.loads(seeded_cli("claim", "list", "--search", "abandoned", "--json").stdout)[:1]
    span = json.loads(seeded_cli("claim", "show", str(claim["id"]), "--json").stdout)["spans"][0]
    start, end = span["context_quote"]
    assert span["context"][start:end] == " ".join(span["exact"].split())
    shown = seeded_cli("claim", "show", str(claim["id"])).stdout
    assert f"«{span['exact']}»" in shown


def test_conflict_show_in_words_with_highlights(piped: None, seeded_cli: Invoke) -> None:
    conflicts = json.loads(seeded_cli("check", "--json").stdout)["conflicts"]
    listed = seeded_cli("conflict", "list").stdout
    assert "event_date — different dates for the same event" in listed
    [address] = [c for c in conflicts if c["rule"] == "single_value"]
    shown = seeded_cli("conflict", "show", str(address["id"])).stdout
    assert "single_value — different values where only one can hold" in shown
    assert "differs: “45«2»6 43rd Street NW" in shown and "” vs “45«1»6 43rd" in shown
    assert "«The Jamestown Foundation, 4526 43rd Street NW, Washington, DC 20016»" in shown
    [dates] = [c for c in conflicts if c["rule"] == "event_date"]
    assert "differs:" not in seeded_cli("conflict", "show", str(dates["id"])).stdout


def test_numbers_are_printed_as_written(piped: None, seeded: FactBase, seeded_cli: Invoke) -> None:
    budget = {
        "text": "The meeting had 42 million participants",
        "doc": "monitor-5-173",
        "quote": "Only six ministers attended the meeting",
        "subject": "Moscow meeting of CIS defence ministers",
        "predicate": "number of participants",
        "object": None,
    }
    first = seeded.add_claim(_claim_input(**budget, value="42000000", unit="EUR"))
    other = budget | {"doc": "fir-6-17", "quote": "having abandoned it last year"}
    seeded.add_claim(_claim_input(**other, value="43000000.5", unit="EUR"))
    assert json.loads(seeded_cli("claim", "show", str(first["id"]), "--json").stdout)["value"] == {
        "number": 42000000,
        "unit": "EUR",
    }
    listed = seeded_cli("claim", "list", "--subject", "Moscow meeting of CIS defence ministers")
    assert "42,000,000 EUR" in listed.stdout and "43,000,000.5 EUR" in listed.stdout
    assert "e+07" not in listed.stdout
    assert "42,000,000 EUR" in seeded_cli("claim", "show", str(first["id"])).stdout
    conflicts = json.loads(seeded_cli("check", "--json").stdout)["conflicts"]
    [numeric] = [c for c in conflicts if first["id"] in c["claims"]]
    assert "“42,000,000 EUR”" in numeric["explanation"]
    assert "“43,000,000.5 EUR”" in numeric["explanation"]
    shown = seeded_cli("conflict", "show", str(numeric["id"])).stdout
    assert "differs: “4«2»,000,000 EUR” vs “4«3»,000,000«.5» EUR”" in shown
