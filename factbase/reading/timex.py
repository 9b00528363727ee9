"""Time expressions -> intervals.

A claim's time is an inclusive interval [earliest, latest] with a precision, so that
"1999", "August 1999", "~1996" and "last year" (in a document dated 2000) can all be
compared by overlap. The grammar is small and explicit (``re`` + ``relativedelta``):
deterministic, easy to extend, and cheap to import at CLI start-up.

Relative phrases ("last year", "three weeks ago") are resolved against the document's
date, which may itself be known only to the month or year: the phrase is resolved against
both ends of that period and the union is kept, so imprecision is never hidden.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple, get_args

from dateutil.relativedelta import relativedelta

from factbase.errors import TimeExpressionError, UndatedDocument

Precision = Literal["day", "month", "year", "decade"]
PRECISIONS: tuple[str, ...] = get_args(Precision)  # finest first, coarsest last


@dataclass(frozen=True)
class TimeQualifier:
    """When a claim holds: the inclusive interval it lies in and how precisely it was stated."""

    raw: str  # the expression as given
    earliest: date
    latest: date  # inclusive
    precision: str  # one of PRECISIONS
    anchor: date | None = None  # the date a relative expression was resolved against


def interval_of(d: date, precision: str) -> tuple[date, date]:
    """The whole period that *d* stands for when only known to *precision*."""
    if precision == "day":
        return d, d
    if precision == "month":
        return d.replace(day=1), d.replace(day=calendar.monthrange(d.year, d.month)[1])
    if precision == "year":
        return date(d.year, 1, 1), date(d.year, 12, 31)
    if precision == "decade":
        start = d.year - d.year % 10
        return date(max(start, 1), 1, 1), date(start + 9, 12, 31)
    raise ValueError(f"unknown precision {precision!r}: use one of {', '.join(PRECISIONS)}")


def format_date(d: date, precision: str) -> str:
    """A date in words at its precision: "1999", "August 2006", "30 May 2007", "the 1990s"."""
    if precision == "decade":
        return f"the {d.year - d.year % 10}s"
    if precision == "year":
        return str(d.year)
    if precision == "month":
        return f"{calendar.month_name[d.month]} {d.year}"
    return f"{d.day} {calendar.month_name[d.month]} {d.year}"


def iso_at_precision(iso: str | None, precision: str | None) -> str:
    """An ISO date cut to what is known: ("2000-09-01", "month") → "2000-09"."""
    if not iso:
        return ""
    return iso[: {"year": 4, "month": 7}.get(precision or "day", 10)]


def describe(earliest: date | None, latest: date | None, precision: str | None) -> str:
    """An interval in words, for explanations: one period if it is one, else a range."""
    if earliest is None or latest is None or precision is None:
        return "at no stated time"
    for unit in PRECISIONS[PRECISIONS.index(precision) :]:
        if interval_of(earliest, unit) == (earliest, latest):
            return format_date(earliest, unit)
    return f"{format_date(earliest, precision)} to {format_date(latest, precision)}"


def overlaps(a: TimeQualifier | None, b: TimeQualifier | None) -> bool:
    """Whether two times can coincide; a missing time (a timeless claim) overlaps every time."""
    if a is None or b is None:
        return True
    return a.earliest <= b.latest and b.earliest <= a.latest


def parse_date(expr: str) -> tuple[date, str]:
    """An absolute single date as (first day of its period, precision), e.g. for a document.

    Accepts 1999, 1999-08, 1999-08-29, 30 May 2007, Wednesday, 30 May, 2007, May 30, 2007
    and May 2004. A stated weekday must match the date.
    """
    shown = " ".join(expr.split())
    fields = _date_fields(_normalise(expr))
    if fields is None or fields.year is None:
        raise TimeExpressionError(
            f"cannot understand date '{shown}': use 1999, 1999-08, 1999-08-29 or 30 May 2007"
        )
    try:
        return _to_date(fields, fields.year)
    except _Rejected as exc:
        raise TimeExpressionError(f"date '{shown}' {exc}") from None


def parse_time(
    expr: str, anchor: date | None = None, anchor_precision: str = "day"
) -> TimeQualifier:
    """Parse a time expression; relative phrases are resolved against *anchor*.

    *anchor* is the document's date, known to *anchor_precision*. Raises
    TimeExpressionError for an expression that is not understood or not a real time, and
    UndatedDocument for a document-relative phrase without an anchor.
    """
    shown = " ".join(expr.split())
    base = None
    if anchor is not None:
        base = _Period(*interval_of(anchor, anchor_precision), anchor_precision, anchor)
    try:
        period = _parse(_normalise(expr), base)
    except _Rejected as exc:
        raise TimeExpressionError(f"time expression '{shown}' {exc}") from None
    except _NeedsAnchor:
        raise UndatedDocument(
            f"relative time expression '{shown}' needs a dated document: "
            "date it with `factbase doc edit SLUG --date DATE`"
        ) from None
    if period is None:
        raise TimeExpressionError(
            f"cannot understand time expression '{shown}': use 1999, 1999-08, 1999-08-29, "
            "1999/2001, ~1996 or a phrase like 'last year'"
        )
    return TimeQualifier(expr, *period)


class _Period(NamedTuple):
    earliest: date
    latest: date
    precision: str
    anchor: date | None


class _Rejected(Exception):
    """An expression was recognised but is invalid; the message completes 'expression X ...'."""


class _NeedsAnchor(Exception):
    """A document-relative phrase met an undated document."""


class _Fields(NamedTuple):
    year: int | None
    month: int | None
    day: int | None
    weekday: str | None


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
# unit word -> (one step, the precision a point shifted by such steps is known to)
_UNITS = {
    "day": (relativedelta(days=1), "day"),
    "week": (relativedelta(weeks=1), "day"),
    "month": (relativedelta(months=1), "month"),
    "year": (relativedelta(years=1), "year"),
    "decade": (relativedelta(years=10), "year"),
}
# early/mid/late: a period's precision -> (finer precision, offsets of each third in it)
_THIRDS = {
    "decade": ("year", ((0, 3), (4, 6), (7, 9))),
    "year": ("month", ((0, 3), (4, 7), (8, 11))),
    "month": ("day", ((0, 9), (10, 19), (20, 30))),
}
_THIRD_INDEX = {
    **dict.fromkeys(("early", "beginning of", "start of"), 0),
    **dict.fromkeys(("mid", "middle of"), 1),
    **dict.fromkeys(("late", "end of"), 2),
}


_ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = (
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_NUMBERS = (
    {"a": 1, "an": 1}
    | {word: n for n, word in enumerate(_ONES + _TEENS, 1)}
    | {word: 10 * t for t, word in enumerate(_TENS, 2)}
    | {
        f"{tens}{sep}{one}": 10 * t + u
        for t, tens in enumerate(_TENS, 2)
        for u, one in enumerate(_ONES, 1)
        for sep in "- "
    }
)
_N = (
    rf"(?P<n>\d{{1,6}}|an?|(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_ONES)}))?"
    rf"|{'|'.join(_TEENS + _ONES)})"
)
_UNIT = r"(?P<unit>day|week|month|year|decade)s?"
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = (
    r"(?:(?P<weekday>mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?"
    r"|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\.? )?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?: (?:of )?(?P<year>\d{4}))?"  # optional: a year-less date is document-relative

_ISO = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?")
_NAMED_DATES = (
    re.compile(rf"{_WEEKDAY}(?:the )?{_DAY} (?:of )?{_MONTH}{_YEAR}"),
    re.compile(rf"{_WEEKDAY}{_MONTH} {_DAY}{_YEAR}"),
    re.compile(rf"{_MONTH}{_YEAR}"),
)
_RANGES = (
    re.compile(r"between (?P<a>.+) and (?P<b>.+)"),
    re.compile(r"(?:from )?(?P<a>.+?) (?:to|until|till|through) (?P<b>.+)"),
    re.compile(r"(?P<a>.+?) ?/ ?(?P<b>.+)"),
    re.compile(r"(?P<a>\d{4})-(?P<b>\d{4})"),
    re.compile(r"(?P<a>.+?) - (?P<b>.+)"),
)
_CIRCA = re.compile(
    r"(?:~ ?|(?:c|ca)\. ?|(?:circa|about|around|approximately|roughly) )(?P<rest>.+)"
)
_PREFIX = re.compile(r"(?:in|on|during|over|throughout) (?P<rest>.+)")
_THIRD = re.compile(
    r"(?:the )?(?P<part>early|mid|late|beginning of|start of|middle of|end of)[- ](?P<rest>.+)"
)
_SHIFT = re.compile(rf"{_N} {_UNIT} (?P<dir>before|after) (?P<rest>.+)")
_SINCE = re.compile(r"(?:since|(?:starting )?from) (?P<rest>.+)")
_DECADE = re.compile(r"(?:the )?(?P<year>\d{3}0)'?s")
_SEASON = re.compile(
    r"(?:the )?(?P<season>spring|summer|autumn|fall|winter) (?:of )?(?P<year>\d{4})"
)
_DAY_WORD = re.compile(r"yesterday|today|tomorrow")
_CALENDAR = re.compile(r"(?P<which>last|this|next) (?P<unit>week|month|year)")
_AGO = re.compile(rf"{_N} {_UNIT} ago")
_ROLLING = re.compile(rf"(?:the )?(?P<dir>last|past|next|coming) (?:{_N} )?{_UNIT}")
_PART = re.compile(r"(?P<when>earlier|later) this (?P<unit>week|month|year)")


def _normalise(expr: str) -> str:
    """Lower case, typographic dashes and quotes made plain, commas and spacing dropped."""
    s = expr.lower().translate(str.maketrans({"’": "'", "–": "-", "—": "-", ",": " "}))
    s = " ".join(s.split()).rstrip(".;:")
    return re.sub(r"(?<!0)'s$", "", s)  # "last year's" (but "1990's" is a decade)


def _parse(s: str, anchor: _Period | None) -> _Period | None:
    """An interval between two times, or a single time."""
    for pattern in _RANGES:
        if not (m := pattern.fullmatch(s)):
            continue
        start, end = _single(m["a"], anchor), _single(m["b"], anchor)
        if start is not None and end is not None:
            if end.latest < start.earliest:
                raise _Rejected(f"ends ({end.latest}) before it starts ({start.earliest})")
            precision = _coarser(start.precision, end.precision)
            return _Period(start.earliest, end.latest, precision, start.anchor or end.anchor)
    return _single(s, anchor)


def _single(s: str, anchor: _Period | None) -> _Period | None:
    """One time: absolute, shifted from an explicit time, or relative to the document."""
    if m := _CIRCA.fullmatch(s):
        inner = _single(m["rest"], anchor)
        return None if inner is None else _widen(inner)
    if m := _PREFIX.fullmatch(s):
        return _single(m["rest"], anchor)
    if m := _THIRD.fullmatch(s):
        inner = _single(m["rest"], anchor)
        return None if inner is None else _third(inner, _THIRD_INDEX[m["part"]])
    if m := _SHIFT.fullmatch(s):
        base = _single(m["rest"], anchor)
        if base is None:
            return None
        count = _count(m["n"]) * (-1 if m["dir"] == "before" else 1)
        return _moved(base, count, m["unit"], _UNITS[m["unit"]][1], base.earliest)
    if m := _SINCE.fullmatch(s):
        start = _single(m["rest"], anchor)
        if start is None:
            return None
        a = _need(anchor)
        if a.latest < start.earliest:
            raise _Rejected(f"starts after the document's date ({a.anchor})")
        return _Period(start.earliest, a.latest, _coarser(start.precision, a.precision), a.anchor)
    if fields := _date_fields(s):
        if fields.year is None:
            return _yearless(fields, _need(anchor))
        first, precision = _to_date(fields, fields.year)
        return _Period(*interval_of(first, precision), precision, None)
    if m := _DECADE.fullmatch(s):
        return _Period(*interval_of(_make_date(int(m["year"]), 1, 1), "decade"), "decade", None)
    if m := _SEASON.fullmatch(s):
        start = _make_date(int(m["year"]), _SEASON_START[m["season"]], 1)
        end = interval_of(_add(start, _UNITS["month"][0], 2), "month")[1]
        return _Period(start, end, "month", None)
    return _relative(s, anchor)


def _relative(s: str, anchor: _Period | None) -> _Period | None:
    """Phrases that only mean something against the document's date."""
    if m := _DAY_WORD.fullmatch(s):
        a = _need(anchor)
        return _moved(a, {"yesterday": -1, "today": 0, "tomorrow": 1}[m[0]], "day", "day", a.anchor)
    if m := _CALENDAR.fullmatch(s):
        a = _need(anchor)
        return _moved(
            a, {"last": -1, "this": 0, "next": 1}[m["which"]], m["unit"], m["unit"], a.anchor
        )
    if m := _AGO.fullmatch(s):
        a = _need(anchor)
        return _moved(a, -_count(m["n"]), m["unit"], _UNITS[m["unit"]][1], a.anchor)
    if m := _ROLLING.fullmatch(s):
        a = _need(anchor)
        step, natural = _UNITS[m["unit"]]
        count = _count(m["n"]) if m["n"] else 1
        if m["dir"] in ("next", "coming"):
            start, end = a.earliest, _add(a.latest, step, count)
        else:
            start, end = _add(a.earliest, step, -count), a.latest
        return _Period(start, end, _coarser(natural, a.precision), a.anchor)
    if m := _PART.fullmatch(s):
        a = _need(anchor)
        if m["when"] == "earlier":
            return _Period(_bounds(a.earliest, m["unit"])[0], a.latest, a.precision, a.anchor)
        return _Period(a.earliest, _bounds(a.latest, m["unit"])[1], a.precision, a.anchor)
    return None


def _need(anchor: _Period | None) -> _Period:
    if anchor is None:
        raise _NeedsAnchor
    return anchor


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word]


def _coarser(a: str, b: str) -> str:
    return max(a, b, key=PRECISIONS.index)


def _add(d: date, step: relativedelta, count: int = 1) -> date:
    """*d* moved by *count* steps; leaving the calendar is the expression's fault."""
    try:
        return d + step * count
    except (ValueError, OverflowError):
        raise _Rejected("falls outside the calendar (years 1 to 9999)") from None


def _make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise _Rejected(f"is not a real date ({exc})") from None


def _bounds(d: date, unit: str) -> tuple[date, date]:
    """The calendar period around *d*: a precision, or a Monday-to-Sunday week."""
    if unit == "week":
        monday = _add(d, relativedelta(days=1), -d.weekday())
        return monday, _add(monday, relativedelta(days=1), 6)
    return interval_of(d, unit)


def _moved(base: _Period, count: int, unit: str, snap: str, anchor: date | None) -> _Period:
    """*base* shifted by *count* units, each end widened to its *snap* period (the union)."""
    step, natural = _UNITS[unit]
    start = _bounds(_add(base.earliest, step, count), snap)[0]
    end = _bounds(_add(base.latest, step, count), snap)[1]
    return _Period(start, end, _coarser(natural, base.precision), anchor)


def _widen(p: _Period) -> _Period:
    """Circa: one unit of the stated precision either side."""
    step = _UNITS[p.precision][0]
    start = interval_of(_add(p.earliest, step, -1), p.precision)[0]
    end = interval_of(_add(p.latest, step), p.precision)[1]
    return p._replace(earliest=start, latest=end)


def _third(p: _Period, part: int) -> _Period | None:
    """Early/mid/late: a third of a single decade, year or month, at the next finer precision."""
    if p.precision not in _THIRDS or interval_of(p.earliest, p.precision) != p[:2]:
        return None
    finer, offsets = _THIRDS[p.precision]
    step = _UNITS[finer][0]
    first, last = offsets[part]
    end = interval_of(_add(p.earliest, step, last), finer)[1]
    return _Period(_add(p.earliest, step, first), min(end, p.latest), finer, p.anchor)


def _date_fields(s: str) -> _Fields | None:
    """The parts of an ISO or month-name date, year possibly missing."""
    if m := _ISO.fullmatch(s):
        return _Fields(int(m["year"]), _int(m["month"]), _int(m["day"]), None)
    for pattern in _NAMED_DATES:
        if m := pattern.fullmatch(s):
            groups = m.groupdict()
            month = _MONTHS.index(m["month"][:3]) + 1
            return _Fields(
                _int(groups["year"]), month, _int(groups.get("day")), groups.get("weekday")
            )
    return None


def _int(digits: str | None) -> int | None:
    return None if digits is None else int(digits)


def _to_date(fields: _Fields, year: int) -> tuple[date, str]:
    """First day and precision of the date *fields* name in *year*; checks a stated weekday."""
    month, day = fields.month, fields.day
    d = _make_date(year, 1 if month is None else month, 1 if day is None else day)
    actual = _WEEKDAYS[d.weekday()]
    if fields.weekday is not None and fields.weekday[:3] != actual[:3]:
        raise _Rejected(f"says {fields.weekday.title()} but {d} is a {actual.title()}")
    precision = "year" if month is None else "month" if day is None else "day"
    return d, precision


def _yearless(fields: _Fields, anchor: _Period) -> _Period:
    """'August 29' or 'in May': the latest such date or month not after the document's date."""

    def resolve(x: date) -> tuple[date, str]:
        first, precision = _to_date(fields, x.year)
        return (first, precision) if first <= x else _to_date(fields, x.year - 1)

    start, natural = resolve(anchor.earliest)
    last = resolve(anchor.latest)[0]
    precision = natural if start == last else _coarser(natural, anchor.precision)
    return _Period(start, interval_of(last, natural)[1], precision, anchor.anchor)
