"""Time expressions: every accepted form with its exact interval, the errors, and properties."""

from __future__ import annotations

import calendar
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factbase.errors import FactbaseError, TimeExpressionError, UndatedDocument
from factbase.reading.tense import tense_of
from factbase.reading.timex import (
    PRECISIONS,
    TimeQualifier,
    interval_of,
    overlaps,
    parse_date,
    parse_time,
)

D = date
DOC = D(1999, 9, 21)  # a Tuesday: the anchor of the document-relative cases


def span(q: TimeQualifier) -> tuple[date, date, str]:
    return q.earliest, q.latest, q.precision


@pytest.mark.parametrize(
    ("expr", "earliest", "latest", "precision"),
    [
        ("1999", D(1999, 1, 1), D(1999, 12, 31), "year"),
        ("1999-08", D(1999, 8, 1), D(1999, 8, 31), "month"),
        ("2000-02", D(2000, 2, 1), D(2000, 2, 29), "month"),
        ("1999-08-29", D(1999, 8, 29), D(1999, 8, 29), "day"),
        ("1999-8-9", D(1999, 8, 9), D(1999, 8, 9), "day"),
        ("1990s", D(1990, 1, 1), D(1999, 12, 31), "decade"),
        ("the 1990s", D(1990, 1, 1), D(1999, 12, 31), "decade"),
        ("1990's", D(1990, 1, 1), D(1999, 12, 31), "decade"),
        ("August 2006", D(2006, 8, 1), D(2006, 8, 31), "month"),
        ("Aug 2006", D(2006, 8, 1), D(2006, 8, 31), "month"),
        ("Sept. 2006", D(2006, 9, 1), D(2006, 9, 30), "month"),
        ("May 2004", D(2004, 5, 1), D(2004, 5, 31), "month"),
        ("30 May 2007", D(2007, 5, 30), D(2007, 5, 30), "day"),
        ("May 30, 2007", D(2007, 5, 30), D(2007, 5, 30), "day"),
        ("May 30th, 2007", D(2007, 5, 30), D(2007, 5, 30), "day"),
        ("the 30th of May 2007", D(2007, 5, 30), D(2007, 5, 30), "day"),
        ("Wednesday, 30 May, 2007", D(2007, 5, 30), D(2007, 5, 30), "day"),
        ("Wed. May 30, 2007", D(2007, 5, 30), D(2007, 5, 30), "day"),
        ("in 1999", D(1999, 1, 1), D(1999, 12, 31), "year"),
        ("in August 2006", D(2006, 8, 1), D(2006, 8, 31), "month"),
        ("on 30 May 2007", D(2007, 5, 30), D(2007, 5, 30), "day"),
        ("during 1999", D(1999, 1, 1), D(1999, 12, 31), "year"),
        ("in the 1990s", D(1990, 1, 1), D(1999, 12, 31), "decade"),
        ("autumn 2005", D(2005, 9, 1), D(2005, 11, 30), "month"),
        ("fall 2005", D(2005, 9, 1), D(2005, 11, 30), "month"),
        ("spring 2005", D(2005, 3, 1), D(2005, 5, 31), "month"),
        ("summer 2005", D(2005, 6, 1), D(2005, 8, 31), "month"),
        ("the summer of 2005", D(2005, 6, 1), D(2005, 8, 31), "month"),
        ("winter 2005", D(2005, 12, 1), D(2006, 2, 28), "month"),
        ("winter 2007", D(2007, 12, 1), D(2008, 2, 29), "month"),
        ("early 2005", D(2005, 1, 1), D(2005, 4, 30), "month"),
        ("mid-2005", D(2005, 5, 1), D(2005, 8, 31), "month"),
        ("mid 2005", D(2005, 5, 1), D(2005, 8, 31), "month"),
        ("late 2005", D(2005, 9, 1), D(2005, 12, 31), "month"),
        ("the end of 1999", D(1999, 9, 1), D(1999, 12, 31), "month"),
        ("the beginning of 1999", D(1999, 1, 1), D(1999, 4, 30), "month"),
        ("the early 1990s", D(1990, 1, 1), D(1993, 12, 31), "year"),
        ("mid-1990s", D(1994, 1, 1), D(1996, 12, 31), "year"),
        ("late 1990s", D(1997, 1, 1), D(1999, 12, 31), "year"),
        ("early August 2006", D(2006, 8, 1), D(2006, 8, 10), "day"),
        ("mid-August 2006", D(2006, 8, 11), D(2006, 8, 20), "day"),
        ("late February 2004", D(2004, 2, 21), D(2004, 2, 29), "day"),
        ("  AUGUST \n 2006. ", D(2006, 8, 1), D(2006, 8, 31), "month"),
    ],
)
def test_absolute(expr: str, earliest: date, latest: date, precision: str) -> None:
    q = parse_time(expr)
    assert span(q) == (earliest, latest, precision)
    assert q.anchor is None
    assert q.raw == expr


@pytest.mark.parametrize(
    ("expr", "earliest", "latest", "precision"),
    [
        ("1999/2001", D(1999, 1, 1), D(2001, 12, 31), "year"),
        ("1999 / 2001", D(1999, 1, 1), D(2001, 12, 31), "year"),
        ("1999-08/2000-03", D(1999, 8, 1), D(2000, 3, 31), "month"),
        ("1999-08-29/2000", D(1999, 8, 29), D(2000, 12, 31), "year"),
        ("1999-01-01/1999-01-01", D(1999, 1, 1), D(1999, 1, 1), "day"),
        ("1999/1999", D(1999, 1, 1), D(1999, 12, 31), "year"),
        ("between 1999 and 2001", D(1999, 1, 1), D(2001, 12, 31), "year"),
        ("1999-2001", D(1999, 1, 1), D(2001, 12, 31), "year"),
        ("1999–2001", D(1999, 1, 1), D(2001, 12, 31), "year"),
        ("from 1999 to 2001", D(1999, 1, 1), D(2001, 12, 31), "year"),
        ("1999 to 2001", D(1999, 1, 1), D(2001, 12, 31), "year"),
        ("from May 2004 until August 2006", D(2004, 5, 1), D(2006, 8, 31), "month"),
        ("May 2004 – August 2006", D(2004, 5, 1), D(2006, 8, 31), "month"),
        ("~1996/2001", D(1995, 1, 1), D(2001, 12, 31), "year"),
    ],
)
def test_interval(expr: str, earliest: date, latest: date, precision: str) -> None:
    assert span(parse_time(expr)) == (earliest, latest, precision)


@pytest.mark.parametrize(
    ("expr", "earliest", "latest", "precision"),
    [
        ("~1996", D(1995, 1, 1), D(1997, 12, 31), "year"),
        ("~ 1996", D(1995, 1, 1), D(1997, 12, 31), "year"),
        ("c. 1996", D(1995, 1, 1), D(1997, 12, 31), "year"),
        ("c.1996", D(1995, 1, 1), D(1997, 12, 31), "year"),
        ("ca. 1996", D(1995, 1, 1), D(1997, 12, 31), "year"),
        ("circa 1996", D(1995, 1, 1), D(1997, 12, 31), "year"),
        ("about 1996", D(1995, 1, 1), D(1997, 12, 31), "year"),
        ("around 1996", D(1995, 1, 1), D(1997, 12, 31), "year"),
        ("in about 1996", D(1995, 1, 1), D(1997, 12, 31), "year"),
        ("~1996-08", D(1996, 7, 1), D(1996, 9, 30), "month"),
        ("~2000-01", D(1999, 12, 1), D(2000, 2, 29), "month"),
        ("~1996-08-31", D(1996, 8, 30), D(1996, 9, 1), "day"),
        ("~1990s", D(1980, 1, 1), D(2009, 12, 31), "decade"),
        ("~autumn 2005", D(2005, 8, 1), D(2005, 12, 31), "month"),
    ],
)
def test_circa(expr: str, earliest: date, latest: date, precision: str) -> None:
    assert span(parse_time(expr)) == (earliest, latest, precision)


@pytest.mark.parametrize(
    ("expr", "earliest", "latest", "precision", "anchor"),
    [
        ("ten years before August 2006", D(1996, 1, 1), D(1996, 12, 31), "year", D(2006, 8, 1)),
        ("ten years before 2006", D(1996, 1, 1), D(1996, 12, 31), "year", D(2006, 1, 1)),
        ("10 years before 2006-08", D(1996, 1, 1), D(1996, 12, 31), "year", D(2006, 8, 1)),
        ("18 months before 2006-08-29", D(2005, 2, 1), D(2005, 2, 28), "month", D(2006, 8, 29)),
        ("three months after 1999", D(1999, 4, 1), D(2000, 3, 31), "year", D(1999, 1, 1)),
        ("six months after 1999-08", D(2000, 2, 1), D(2000, 2, 29), "month", D(1999, 8, 1)),
        ("a year after 30 May 2007", D(2008, 5, 1), D(2008, 5, 31), "month", D(2007, 5, 30)),
        ("two weeks after 1999-08-29", D(1999, 9, 12), D(1999, 9, 12), "day", D(1999, 8, 29)),
        ("forty days before 1999-08-29", D(1999, 7, 20), D(1999, 7, 20), "day", D(1999, 8, 29)),
        ("twenty-five years after 1990", D(2015, 1, 1), D(2015, 12, 31), "year", D(1990, 1, 1)),
        ("~ten years before August 2006", D(1995, 1, 1), D(1997, 12, 31), "year", D(2006, 8, 1)),
    ],
)
def test_explicit_anchor(
    expr: str, earliest: date, latest: date, precision: str, anchor: date
) -> None:
    q = parse_time(expr)  # no document date needed
    assert (*span(q), q.anchor) == (earliest, latest, precision, anchor)


@pytest.mark.parametrize(
    ("expr", "earliest", "latest", "precision"),
    [
        ("today", DOC, DOC, "day"),
        ("yesterday", D(1999, 9, 20), D(1999, 9, 20), "day"),
        ("tomorrow", D(1999, 9, 22), D(1999, 9, 22), "day"),
        ("this week", D(1999, 9, 20), D(1999, 9, 26), "day"),
        ("last week", D(1999, 9, 13), D(1999, 9, 19), "day"),
        ("next week", D(1999, 9, 27), D(1999, 10, 3), "day"),
        ("this month", D(1999, 9, 1), D(1999, 9, 30), "month"),
        ("last month", D(1999, 8, 1), D(1999, 8, 31), "month"),
        ("next month", D(1999, 10, 1), D(1999, 10, 31), "month"),
        ("this year", D(1999, 1, 1), D(1999, 12, 31), "year"),
        ("last year", D(1998, 1, 1), D(1998, 12, 31), "year"),
        ("Last Year", D(1998, 1, 1), D(1998, 12, 31), "year"),
        ("last year's", D(1998, 1, 1), D(1998, 12, 31), "year"),
        ("last year’s", D(1998, 1, 1), D(1998, 12, 31), "year"),
        ("next year", D(2000, 1, 1), D(2000, 12, 31), "year"),
        ("three weeks ago", D(1999, 8, 31), D(1999, 8, 31), "day"),
        ("10 days ago", D(1999, 9, 11), D(1999, 9, 11), "day"),
        ("two months ago", D(1999, 7, 1), D(1999, 7, 31), "month"),
        # TIMEX3: "a year ago" is the month twelve months back, "ten years ago" a year
        ("a year ago", D(1998, 9, 1), D(1998, 9, 30), "month"),
        ("ten years ago", D(1989, 1, 1), D(1989, 12, 31), "year"),
        ("in the last 3 years", D(1996, 9, 21), DOC, "year"),
        ("in the past two years", D(1997, 9, 21), DOC, "year"),
        ("over the last six months", D(1999, 3, 21), DOC, "month"),
        # without a number, "the last/past year" is the calendar year before (TIMEX3)
        ("in the last year", D(1998, 1, 1), D(1998, 12, 31), "year"),
        ("the past year", D(1998, 1, 1), D(1998, 12, 31), "year"),
        ("in the next two weeks", DOC, D(1999, 10, 5), "day"),
        ("earlier this year", D(1999, 1, 1), DOC, "day"),
        ("earlier this month", D(1999, 9, 1), DOC, "day"),
        ("later this year", DOC, D(1999, 12, 31), "day"),
        ("since August 29", D(1999, 8, 29), DOC, "day"),
        ("since 1997", D(1997, 1, 1), DOC, "year"),
        ("starting from last year", D(1998, 1, 1), DOC, "year"),
        ("August 29", D(1999, 8, 29), D(1999, 8, 29), "day"),
        ("December 28", D(1998, 12, 28), D(1998, 12, 28), "day"),
        ("in May", D(1999, 5, 1), D(1999, 5, 31), "month"),
        ("~yesterday", D(1999, 9, 19), DOC, "day"),
        ("about three weeks ago", D(1999, 8, 30), D(1999, 9, 1), "day"),
        ("~last year", D(1997, 1, 1), D(1999, 12, 31), "year"),
        ("late last year", D(1998, 9, 1), D(1998, 12, 31), "month"),
        ("from last year to this year", D(1998, 1, 1), D(1999, 12, 31), "year"),
    ],
)
def test_document_relative(expr: str, earliest: date, latest: date, precision: str) -> None:
    q = parse_time(expr, DOC)
    assert (*span(q), q.anchor) == (earliest, latest, precision, DOC)


@pytest.mark.parametrize(
    ("expr", "anchor", "anchor_precision", "earliest", "latest", "precision"),
    [
        ("yesterday", D(1999, 9, 1), "month", D(1999, 8, 31), D(1999, 9, 29), "month"),
        ("last year", D(2000, 9, 1), "month", D(1999, 1, 1), D(1999, 12, 31), "year"),
        ("last month", D(1999, 9, 1), "month", D(1999, 8, 1), D(1999, 8, 31), "month"),
        ("three weeks ago", D(1999, 9, 1), "month", D(1999, 8, 11), D(1999, 9, 9), "month"),
        ("August 29", D(1999, 9, 1), "month", D(1999, 8, 29), D(1999, 8, 29), "day"),
        ("September 25", D(1999, 9, 1), "month", D(1998, 9, 25), D(1999, 9, 25), "month"),
        ("last year", D(2000, 1, 1), "year", D(1999, 1, 1), D(1999, 12, 31), "year"),
        ("two months ago", D(2000, 1, 1), "year", D(1999, 11, 1), D(2000, 10, 31), "year"),
        ("earlier this year", D(2000, 1, 1), "year", D(2000, 1, 1), D(2000, 12, 31), "year"),
        # an anchor given as any day of its period means the whole period
        ("last month", D(1999, 9, 17), "month", D(1999, 8, 1), D(1999, 8, 31), "month"),
    ],
)
def test_imprecise_anchor(
    expr: str,
    anchor: date,
    anchor_precision: str,
    earliest: date,
    latest: date,
    precision: str,
) -> None:
    q = parse_time(expr, anchor, anchor_precision)
    assert (*span(q), q.anchor) == (earliest, latest, precision, anchor)


def test_absolute_expression_ignores_anchor() -> None:
    assert parse_time("1999-08", DOC) == parse_time("1999-08")


@pytest.mark.parametrize(
    "expr",
    [
        "last year",
        "today",
        "three weeks ago",
        "in the last 3 years",
        "earlier this year",
        "August 29",
        "since 1997",
        "~last year",
        "from 1999 to last year",
    ],
)
def test_relative_without_anchor(expr: str) -> None:
    with pytest.raises(UndatedDocument, match="needs a dated document"):
        parse_time(expr)


def test_undated_message() -> None:
    with pytest.raises(UndatedDocument) as info:
        parse_time("last year")
    assert str(info.value) == (
        "relative time expression 'last year' needs a dated document: "
        "date it with `factbase doc edit SLUG --date DATE`"
    )


def test_not_understood_message() -> None:
    with pytest.raises(TimeExpressionError) as info:
        parse_time("blah")
    assert str(info.value) == (
        "cannot understand time expression 'blah': use 1999, 1999-08, 1999-08-29, "
        "1999/2001, ~1996 or a phrase like 'last year'"
    )


@pytest.mark.parametrize(
    ("expr", "reason"),
    [
        ("blah", "cannot understand"),
        ("", "cannot understand"),
        ("9/11", "cannot understand"),
        ("an hour ago", "cannot understand"),
        ("30 Febuary 2007", "cannot understand"),
        ("1999-13", "not a real date (month must be in 1..12)"),
        ("1999-00", "not a real date"),
        ("1999-02-30", "not a real date (day is out of range for month)"),
        ("2001-02-29", "not a real date"),
        ("0000", "not a real date"),
        ("~1999-13", "not a real date"),
        ("2001/1999", "ends (1999-12-31) before it starts (2001-01-01)"),
        ("1999-12/1999-03", "before it starts"),
        ("between 2001 and 1999", "before it starts"),
        ("from 2001 to 1999", "before it starts"),
        ("Tuesday, 30 May 2007", "says Tuesday but 2007-05-30 is a Wednesday"),
        ("since 2005", "starts after the document's date (1999-09-21)"),
        ("99999 years ago", "outside the calendar"),
        ("5000 years before 1999", "outside the calendar"),
    ],
)
def test_invalid(expr: str, reason: str) -> None:
    with pytest.raises(TimeExpressionError) as info:
        parse_time(expr, DOC)
    message = str(info.value)
    assert reason in message
    assert f"'{expr}'" in message
    assert "\n" not in message


def test_message_is_one_line() -> None:
    with pytest.raises(TimeExpressionError) as info:
        parse_time("no\nsuch\ttime")
    assert "'no such time'" in str(info.value)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("1999", (D(1999, 1, 1), "year")),
        ("1999-08", (D(1999, 8, 1), "month")),
        ("1999-08-29", (D(1999, 8, 29), "day")),
        ("30 May 2007", (D(2007, 5, 30), "day")),
        ("Wednesday, 30 May, 2007", (D(2007, 5, 30), "day")),
        ("May 30, 2007", (D(2007, 5, 30), "day")),
        ("May 2004", (D(2004, 5, 1), "month")),
        ("August 2006", (D(2006, 8, 1), "month")),
        (" august  2006 ", (D(2006, 8, 1), "month")),
    ],
)
def test_parse_date(expr: str, expected: tuple[date, str]) -> None:
    assert parse_date(expr) == expected


@pytest.mark.parametrize(
    ("expr", "reason"),
    [
        ("last year", "cannot understand date 'last year'"),
        ("30 May", "cannot understand date '30 May'"),
        ("1999/2001", "cannot understand"),
        ("1990s", "cannot understand"),
        ("blah", "cannot understand"),
        ("1999-13", "date '1999-13' is not a real date"),
        ("1999-02-30", "not a real date"),
        ("Tuesday, 30 May 2007", "says Tuesday"),
    ],
)
def test_parse_date_invalid(expr: str, reason: str) -> None:
    with pytest.raises(TimeExpressionError, match=reason):
        parse_date(expr)


@pytest.mark.parametrize(
    ("d", "precision", "expected"),
    [
        (D(1999, 8, 29), "day", (D(1999, 8, 29), D(1999, 8, 29))),
        (D(1999, 8, 29), "month", (D(1999, 8, 1), D(1999, 8, 31))),
        (D(2000, 2, 10), "month", (D(2000, 2, 1), D(2000, 2, 29))),
        (D(1999, 8, 29), "year", (D(1999, 1, 1), D(1999, 12, 31))),
        (D(1995, 6, 1), "decade", (D(1990, 1, 1), D(1999, 12, 31))),
        (D(9999, 12, 31), "decade", (D(9990, 1, 1), D(9999, 12, 31))),
    ],
)
def test_interval_of(d: date, precision: str, expected: tuple[date, date]) -> None:
    assert interval_of(d, precision) == expected


def test_interval_of_unknown_precision() -> None:
    with pytest.raises(ValueError, match="unknown precision 'week'"):
        interval_of(DOC, "week")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("1999", "1999-08", True),
        ("2006", "August 2006", True),
        ("1999", "2000", False),
        ("1999-12-31", "2000-01-01", False),
        ("1999/2000", "2000-01-01", True),
        ("1999-08-29", "1999-08-29", True),
        ("~1996", "1997-12-31", True),
        ("~1996", "1998", False),
    ],
)
def test_overlaps(a: str, b: str, expected: bool) -> None:
    assert overlaps(parse_time(a), parse_time(b)) is expected


def test_timeless_overlaps_everything() -> None:
    q = parse_time("1999")
    assert overlaps(None, q) and overlaps(q, None) and overlaps(None, None)


def test_seed_conflict_is_disjoint() -> None:
    """'Last year' in a 2000 analysis vs 'after ten years of estrangement' before August 2006."""
    left = parse_time("last year", D(2000, 9, 1), "month")
    estranged = parse_time("~ten years before August 2006")
    assert not overlaps(left, estranged)


def test_import_does_not_load_dateparser() -> None:
    code = "import sys, factbase.reading.timex; print('dateparser' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


# -- properties ---------------------------------------------------------------------------

iso_dates = st.dates(min_value=D(1001, 1, 1), max_value=D(9998, 12, 31))
modern_dates = st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))
iso_precisions = st.sampled_from(["day", "month", "year"])
ISO_FORMAT = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def qualifiers() -> st.SearchStrategy[TimeQualifier]:
    """Arbitrary valid qualifiers: an interval between two ISO periods."""

    @st.composite
    def build(draw: st.DrawFn) -> TimeQualifier:
        a, b = sorted([draw(iso_dates), draw(iso_dates)])
        pa, pb = draw(iso_precisions), draw(iso_precisions)
        return parse_time(f"{a.strftime(ISO_FORMAT[pa])}/{b.strftime(ISO_FORMAT[pb])}")

    return build()


@given(iso_dates, iso_precisions)
def test_iso_contains_its_date(d: date, precision: str) -> None:
    q = parse_time(d.strftime(ISO_FORMAT[precision]))
    assert q.earliest <= d <= q.latest
    assert (q.earliest, q.latest) == interval_of(d, precision)
    assert q.precision == precision
    assert parse_date(d.strftime(ISO_FORMAT[precision])) == (q.earliest, precision)


MONTHS = "January February March April May June July August September October November December"
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"


@given(iso_dates)
def test_month_name_forms_agree_with_iso(d: date) -> None:
    month, weekday = MONTHS.split()[d.month - 1], WEEKDAYS.split()[d.weekday()]
    iso = parse_time(d.isoformat())
    for expr in (
        f"{d.day} {month} {d.year}",
        f"{month} {d.day}, {d.year}",
        f"{weekday}, {d.day:02} {month}, {d.year}",
    ):
        assert parse_time(expr) == replace(iso, raw=expr)
    assert parse_time(f"{month} {d.year}") == replace(
        parse_time(d.strftime("%Y-%m")), raw=f"{month} {d.year}"
    )


@given(qualifiers(), qualifiers())
def test_overlaps_symmetric(a: TimeQualifier, b: TimeQualifier) -> None:
    assert overlaps(a, b) == overlaps(b, a)
    assert overlaps(a, None) and overlaps(None, a)


@given(qualifiers())
def test_interval_overlaps_itself(q: TimeQualifier) -> None:
    assert q.earliest <= q.latest
    assert overlaps(q, q)


@given(st.dates(min_value=D(1002, 1, 1), max_value=D(9997, 12, 31)), iso_precisions)
def test_circa_contains_plain(d: date, precision: str) -> None:
    plain = parse_time(d.strftime(ISO_FORMAT[precision]))
    circa = parse_time("~" + d.strftime(ISO_FORMAT[precision]))
    assert circa.earliest < plain.earliest and plain.latest < circa.latest
    assert circa.precision == plain.precision


@given(
    modern_dates,
    iso_precisions,
    st.integers(min_value=0, max_value=60),
    st.sampled_from(["day", "week", "month", "year"]),
)
def test_ago_equals_before(anchor: date, precision: str, n: int, unit: str) -> None:
    first = interval_of(anchor, precision)[0]
    ago = parse_time(f"{n} {unit}s ago", first, precision)
    before = parse_time(f"{n} {unit}s before {first.strftime(ISO_FORMAT[precision])}")
    assert (*span(ago), ago.anchor) == (*span(before), before.anchor)


@given(
    modern_dates,
    st.sampled_from(["month", "year"]),
    st.sampled_from(
        [
            "yesterday",
            "last week",
            "this month",
            "last year",
            "three weeks ago",
            "two months ago",
            "in the last 3 years",
            "earlier this year",
            "August 29",
            "in May",
        ]
    ),
)
def test_imprecise_anchor_covers_every_day_in_it(anchor: date, precision: str, expr: str) -> None:
    """The union over the anchor's period holds the reading for each day of that period."""
    wide = parse_time(expr, anchor, precision)
    start, end = interval_of(anchor, precision)
    for day in (start, anchor, end, start + (end - start) // 2):
        narrow = parse_time(expr, day)
        assert wide.earliest <= narrow.earliest <= narrow.latest <= wide.latest
        assert PRECISIONS.index(wide.precision) >= PRECISIONS.index(narrow.precision)


@given(modern_dates, st.sampled_from(["January 31", "June 1", "December 28", "in March"]))
def test_yearless_date_is_latest_not_after_anchor(anchor: date, expr: str) -> None:
    q = parse_time(expr, anchor)
    assert q.earliest <= anchor
    assert anchor - q.earliest < timedelta(days=366)


def check_parses_or_fails_cleanly(text: str, anchor: date | None) -> None:
    try:
        q = parse_time(text, anchor)
    except FactbaseError as exc:
        assert isinstance(exc, TimeExpressionError | UndatedDocument)
        assert len(str(exc).splitlines()) == 1
    else:
        assert q.earliest <= q.latest
        assert q.precision in PRECISIONS


@given(st.text(max_size=40), st.one_of(st.none(), modern_dates))
def test_any_text_parses_or_fails_cleanly(text: str, anchor: date | None) -> None:
    check_parses_or_fails_cleanly(text, anchor)


TOKENS = (
    "1999 2006-08 1999-02-29 0001 9999 9999-12-31 1990s 30 31 may august feb wednesday the of"
    " in on since from to and between / - ~ c. about early mid- late autumn winter last this"
    " next past week month year years days decade ago before after earlier later today"
    " yesterday a ten twenty-five 99999"
)


@given(st.lists(st.sampled_from(TOKENS.split()), max_size=7), st.one_of(st.none(), modern_dates))
def test_phrases_parse_or_fail_cleanly(words: list[str], anchor: date | None) -> None:
    """Sentences from the grammar's own words reach deep paths; none may crash."""
    check_parses_or_fails_cleanly(" ".join(words), anchor)


# Issue 11: news phrases resolved against an anchor and a sentence ---------------------

FRI = D(2005, 6, 10)  # a Friday article


@pytest.mark.parametrize(
    ("expr", "context", "earliest", "latest", "precision"),
    [
        # weekdays: the tense of the nearest verb picks last week's or next week's
        ("Friday", "The minister said Friday that talks would resume.", FRI, FRI, "day"),
        ("Wednesday", "Officials met on Wednesday.", D(2005, 6, 8), D(2005, 6, 8), "day"),
        ("Monday", "The council will vote on Monday.", D(2005, 6, 13), D(2005, 6, 13), "day"),
        (
            "Thursday",
            "Rebels attacked the convoy Thursday night.",
            D(2005, 6, 9),
            D(2005, 6, 9),
            "day",
        ),
        ("Tuesday's", "Tuesday's vote was postponed.", D(2005, 6, 7), D(2005, 6, 7), "day"),
        ("last Friday", "He resigned last Friday.", D(2005, 6, 3), D(2005, 6, 3), "day"),
        ("next Friday", "The report is due next Friday.", D(2005, 6, 17), D(2005, 6, 17), "day"),
        (
            "Saturday",
            "Protesters were planning to march on Saturday.",
            D(2005, 6, 11),
            D(2005, 6, 11),
            "day",
        ),
        ("Sunday", "Elections are scheduled for Sunday.", D(2005, 6, 12), D(2005, 6, 12), "day"),
        ("early Tuesday", "The bombs exploded early Tuesday.", D(2005, 6, 7), D(2005, 6, 7), "day"),
        # month-day and month names: nearest in the tense's direction
        ("June 17", "The vote will be held on June 17.", D(2005, 6, 17), D(2005, 6, 17), "day"),
        (
            "November 17",
            "The vote was held on November 17.",
            D(2004, 11, 17),
            D(2004, 11, 17),
            "day",
        ),
        ("June 3", "The vote was held on June 3.", D(2005, 6, 3), D(2005, 6, 3), "day"),
        (
            "December",
            "The mission is expected in December.",
            D(2005, 12, 1),
            D(2005, 12, 31),
            "month",
        ),
        ("December", "He was arrested in December.", D(2004, 12, 1), D(2004, 12, 31), "month"),
        (
            "August",
            "The company announced it would list its shares in August.",
            D(2005, 8, 1),
            D(2005, 8, 31),
            "month",
        ),
        ("March", "The fleet has been at sea since March.", D(2005, 3, 1), D(2005, 3, 31), "month"),
        ("last May", "Prices rose last May.", D(2005, 5, 1), D(2005, 5, 31), "month"),
        ("last June", "Prices rose last June.", D(2004, 6, 1), D(2004, 6, 30), "month"),
        (
            "this September",
            "Elections are due this September.",
            D(2005, 9, 1),
            D(2005, 9, 30),
            "month",
        ),
        ("Monday, June 13", "It opens Monday, June 13.", D(2005, 6, 13), D(2005, 6, 13), "day"),
        ("this coming Sunday, June twelfth", "x", D(2005, 6, 12), D(2005, 6, 12), "day"),
        # quarters and halves; a fiscal quarter is the calendar quarter
        (
            "the fourth quarter",
            "Profit rose in the fourth quarter.",
            D(2004, 10, 1),
            D(2004, 12, 31),
            "month",
        ),
        (
            "the second quarter",
            "Net income in the second quarter fell.",
            D(2005, 4, 1),
            D(2005, 6, 30),
            "month",
        ),
        (
            "fourth-quarter",
            "It posted a fourth-quarter loss.",
            D(2004, 10, 1),
            D(2004, 12, 31),
            "month",
        ),
        ("Q3", "Q3 sales will fall.", D(2005, 7, 1), D(2005, 9, 30), "month"),
        (
            "the latest quarter",
            "Sales fell in the latest quarter.",
            D(2005, 1, 1),
            D(2005, 3, 31),
            "month",
        ),
        ("the year-ago quarter", "x", D(2004, 1, 1), D(2004, 3, 31), "month"),
        ("this year's first quarter", "x", D(2005, 1, 1), D(2005, 3, 31), "month"),
        ("next year's first quarter", "x", D(2006, 1, 1), D(2006, 3, 31), "month"),
        ("the fiscal first quarter", "x", D(2005, 1, 1), D(2005, 3, 31), "month"),
        ("the current quarter", "x", D(2005, 4, 1), D(2005, 6, 30), "month"),
        ("the first half", "Sales rose in the first half.", D(2005, 1, 1), D(2005, 6, 30), "month"),
        # seasons and weekends
        ("this summer", "x", D(2005, 6, 1), D(2005, 8, 31), "month"),
        ("last winter", "It snowed last winter.", D(2004, 12, 1), D(2005, 2, 28), "month"),
        ("last fall", "He was killed last fall.", D(2004, 9, 1), D(2004, 11, 30), "month"),
        ("the early summer", "x", D(2005, 6, 1), D(2005, 6, 30), "month"),
        ("the weekend", "Talks went on over the weekend.", D(2005, 6, 4), D(2005, 6, 5), "day"),
        (
            "the weekend",
            "Talks will go on over the weekend.",
            D(2005, 6, 11),
            D(2005, 6, 12),
            "day",
        ),
        ("next weekend", "x", D(2005, 6, 11), D(2005, 6, 12), "day"),
        # relative units at their TIMEX3 granularity
        ("last week", "x", D(2005, 5, 30), D(2005, 6, 5), "day"),
        ("early this week", "x", D(2005, 6, 6), D(2005, 6, 12), "day"),
        (
            "a year earlier",
            "Sales rose from a year earlier.",
            D(2004, 6, 1),
            D(2004, 6, 30),
            "month",
        ),
        ("almost four years ago", "x", D(2001, 1, 1), D(2001, 12, 31), "year"),
        ("a week or so ago", "x", D(2005, 6, 3), D(2005, 6, 3), "day"),
        ("the past year", "x", D(2004, 1, 1), D(2004, 12, 31), "year"),
        ("the next year or so", "x", D(2006, 1, 1), D(2006, 12, 31), "year"),
        ("the last decade", "x", D(1990, 1, 1), D(1999, 12, 31), "decade"),
        ("January this year", "x", D(2005, 1, 1), D(2005, 1, 31), "month"),
        ("July last year", "x", D(2004, 7, 1), D(2004, 7, 31), "month"),
        ("year-end", "It expects to close by year-end.", D(2005, 12, 1), D(2005, 12, 31), "month"),
        ("the full year", "x", D(2005, 1, 1), D(2005, 12, 31), "year"),
        ("tonight", "x", FRI, FRI, "day"),
        ("late yesterday", "x", D(2005, 6, 9), D(2005, 6, 9), "day"),
        ("earlier this year", "x", D(2005, 1, 1), FRI, "day"),
        # holidays (US practice for the movable ones)
        ("last Thanksgiving", "x", D(2004, 11, 25), D(2004, 11, 25), "day"),
        ("Christmas", "He will be home for Christmas.", D(2005, 12, 25), D(2005, 12, 25), "day"),
        ("Easter", "They met at Easter.", D(2005, 3, 27), D(2005, 3, 27), "day"),
        ("election day", "He won on election day.", D(2004, 11, 2), D(2004, 11, 2), "day"),
        # decades and centuries, spelled-out years
        ("the nineties", "x", D(1990, 1, 1), D(1999, 12, 31), "decade"),
        ("the '80s", "x", D(1980, 1, 1), D(1989, 12, 31), "decade"),
        ("the 80s", "x", D(1980, 1, 1), D(1989, 12, 31), "decade"),
        ("the mid-1990s", "x", D(1994, 1, 1), D(1996, 12, 31), "year"),
        ("the last half of the '80s", "x", D(1985, 1, 1), D(1989, 12, 31), "year"),
        ("the 20th century", "x", D(1900, 1, 1), D(1999, 12, 31), "decade"),
        ("the 11th century", "x", D(1000, 1, 1), D(1099, 12, 31), "decade"),
        ("nineteen ninety-six", "x", D(1996, 1, 1), D(1996, 12, 31), "year"),
        ("January nineteen ninety-seven", "x", D(1997, 1, 1), D(1997, 1, 31), "month"),
        ("nineteen hundred and five", "x", D(1905, 1, 1), D(1905, 12, 31), "year"),
        ("'98", "x", D(1998, 1, 1), D(1998, 12, 31), "year"),
        ("FY 2004", "x", D(2004, 1, 1), D(2004, 12, 31), "year"),
        ("1998-99", "x", D(1998, 1, 1), D(1999, 12, 31), "year"),
        ("this past week", "x", D(2005, 5, 30), D(2005, 6, 5), "day"),
        ("Tuesday of last week", "x", D(2005, 5, 31), D(2005, 5, 31), "day"),
        ("in two weeks", "x", D(2005, 6, 24), D(2005, 6, 24), "day"),
        ("a few weeks ago", "x", D(2005, 4, 8), D(2005, 5, 27), "day"),
        ("year-end", "The index is up since year-end.", D(2004, 12, 1), D(2004, 12, 31), "month"),
        ("the year two thousand", "x", D(2000, 1, 1), D(2000, 12, 31), "year"),
        ("two thousand and three", "x", D(2003, 1, 1), D(2003, 12, 31), "year"),
        ("the winter of nineteen ninety-four", "x", D(1994, 12, 1), D(1995, 2, 28), "month"),
        ("twenty-five years ago", "x", D(1980, 1, 1), D(1980, 12, 31), "year"),
        ("three weeks ago", "x", D(2005, 5, 20), D(2005, 5, 20), "day"),
        # absolute quarters and halves ignore the anchor
        ("the third quarter of 1984", "x", D(1984, 7, 1), D(1984, 9, 30), "month"),
        ("the 1988 second quarter", "x", D(1988, 4, 1), D(1988, 6, 30), "month"),
        ("Q3 2005", "x", D(2005, 7, 1), D(2005, 9, 30), "month"),
        ("3Q 2005", "x", D(2005, 7, 1), D(2005, 9, 30), "month"),
        ("the first half of 2005", "x", D(2005, 1, 1), D(2005, 6, 30), "month"),
        ("the second half of 1989", "x", D(1989, 7, 1), D(1989, 12, 31), "month"),
        ("first two quarters of 1990", "x", D(1990, 1, 1), D(1990, 6, 30), "month"),
        ("fiscal 1988", "x", D(1988, 1, 1), D(1988, 12, 31), "year"),
        ("the 1988 period", "x", D(1988, 1, 1), D(1988, 12, 31), "year"),
    ],
)
def test_news_phrases(
    expr: str, context: str, earliest: date, latest: date, precision: str
) -> None:
    assert span(parse_time(expr, FRI, context=context)) == (earliest, latest, precision)


@pytest.mark.parametrize(
    ("expr", "earliest", "latest"),
    [
        ("now", FRI, FRI),
        ("currently", FRI, FRI),
        ("recently", D(2004, 6, 10), FRI),
        ("recent years", D(1995, 6, 10), FRI),
        ("the past", date.min, FRI),
        ("previously", date.min, FRI),
        ("soon", FRI, D(2006, 6, 10)),
        ("the near future", FRI, D(2006, 6, 10)),
        ("the future", FRI, date.max),
    ],
)
def test_vague_references_are_wide_or_open(expr: str, earliest: date, latest: date) -> None:
    """A vague reference never names a made-up day: it is the anchor ("now"), a wide span on
    its side of the anchor, or open-ended (0001-01-01 / 9999-12-31)."""
    q = parse_time(expr, FRI, context="x")
    assert (q.earliest, q.latest) == (earliest, latest)


@pytest.mark.parametrize(
    ("sentence", "expression", "tense"),
    [
        ("He said Friday that he would seek a new job.", "Friday", "past"),
        ("Protesters were planning to march on Saturday.", "Saturday", "future"),
        ("Collins will be named commander for a mission in December.", "December", "future"),
        ("The plan, set aside on Friday, was revived.", "Friday", "past"),
        ("The talks are set to resume Monday.", "Monday", "future"),
        ("The index is near the record it reached on Aug. 6.", "Aug. 6", "past"),
        ("The fleet has been at sea since March.", "March", "past"),
        ("It would be paid on a still unspecified date in January.", "January", "future"),
        ("The hastily planned trip begins Friday.", "Friday", "present"),
        ("Markets are open today.", "today", "present"),
        ("No verb here: Friday.", "Friday", "present"),
    ],
)
def test_tense(sentence: str, expression: str, tense: str) -> None:
    assert tense_of(sentence, expression) == tense


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PAST_SENTENCE = "Officials said {} that the talks had failed."
FUTURE_SENTENCE = "Officials will meet {} to resume the talks."


@given(modern_dates, st.sampled_from(WEEKDAY_NAMES))
def test_tense_flips_a_weekday(anchor: date, weekday: str) -> None:
    """Past tense: the latest such day up to the anchor; future: the first from it on."""
    past = parse_time(weekday, anchor, context=PAST_SENTENCE.format(weekday))
    future = parse_time(weekday, anchor, context=FUTURE_SENTENCE.format(weekday))
    for q in (past, future):
        assert q.earliest == q.latest and WEEKDAY_NAMES[q.earliest.weekday()] == weekday
    if WEEKDAY_NAMES[anchor.weekday()] == weekday:
        assert past.earliest == future.earliest == anchor
    else:
        assert anchor - timedelta(days=7) < past.earliest < anchor < future.earliest
        assert future.earliest < anchor + timedelta(days=7)


@given(modern_dates, st.integers(1, 12), st.integers(1, 28))
def test_tense_flips_a_month_day(anchor: date, month: int, day: int) -> None:
    """Each reading is that month-day within a year of the anchor; past tense never reads it
    later than future tense does; and one up to half a year off goes the tense's way (the
    pull is soft: tense cues in news are noisy, see _TENSE_PULL)."""
    expr = f"{calendar.month_name[month]} {day}"
    past = parse_time(expr, anchor, context=f"It was signed on {expr}.")
    future = parse_time(expr, anchor, context=f"It will be signed on {expr}.")
    for q in (past, future):
        assert (q.earliest.month, q.earliest.day, q.precision) == (month, day, "day")
        assert abs((q.earliest - anchor).days) < 366
    assert past.earliest <= future.earliest
    if past.earliest != anchor:
        before = max(d for y in (-1, 0) if (d := D(anchor.year + y, month, day)) < anchor)
        after = min(d for y in (0, 1) if (d := D(anchor.year + y, month, day)) > anchor)
        if anchor - before <= timedelta(days=183):
            assert past.earliest == before
        if after - anchor <= timedelta(days=183):
            assert future.earliest == after


@given(
    st.one_of(st.none(), modern_dates),
    st.sampled_from(
        [
            "Q3 2005",
            "the first half of 2005",
            "the third quarter of 1984",
            "the 20th century",
            "nineteen ninety-six",
            "the winter of 1994",
            "fiscal 1988",
            "May 30, 2007",
        ]
    ),
    st.sampled_from(["x", "It happened then.", "It will happen then.", None]),
)
def test_absolute_phrases_ignore_anchor_and_tense(
    anchor: date | None, expr: str, context: str | None
) -> None:
    q = parse_time(expr, anchor, context=context)
    plain = parse_time(expr)
    assert span(q) == span(plain)
    assert q.anchor is None


def spell_year(year: int) -> str:
    """English words for a year as it is read aloud: 1996 'nineteen ninety-six'."""
    ones = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    teens = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
    tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

    def two(n: int) -> str:
        if n < 10:
            return ones[n - 1]
        if n < 20:
            return teens.split()[n - 10]
        return tens[n // 10 - 2] + (f"-{ones[n % 10 - 1]}" if n % 10 else "")

    hi, lo = divmod(year, 100)
    if lo == 0:
        return f"{two(hi)} hundred"
    return f"{two(hi)} {two(lo) if lo >= 10 else 'o-' + ones[lo - 1]}"


@given(st.integers(1100, 2099).filter(lambda y: not 2000 <= y < 2010))
def test_spelled_years(year: int) -> None:
    q = parse_time(spell_year(year))
    assert (q.earliest, q.latest, q.precision) == (D(year, 1, 1), D(year, 12, 31), "year")


PHRASE_WORDS = (
    "last this next the a coming past early late mid quarter third first half of year's"
    " weekend summer winter friday june 17 nineteen ninety-six decade century 20th '90s"
    " nineties thanksgiving ago weeks fiscal year-ago period latest now recently soon"
)


@given(
    st.lists(st.sampled_from(PHRASE_WORDS.split()), min_size=1, max_size=5),
    modern_dates,
    st.sampled_from(["It was so.", "It will be so.", "It is so.", None]),
)
def test_news_phrases_parse_or_fail_cleanly(
    words: list[str], anchor: date, context: str | None
) -> None:
    text = " ".join(words)
    try:
        q = parse_time(text, anchor, context=context)
    except FactbaseError as exc:
        assert isinstance(exc, TimeExpressionError | UndatedDocument)
        assert len(str(exc).splitlines()) == 1
    else:
        assert q.earliest <= q.latest
        assert q.precision in PRECISIONS
