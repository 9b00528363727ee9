"""Time expressions -> intervals.

A claim's time is an inclusive interval [earliest, latest] with a precision, so that
"1999", "August 1999", "~1996" and "last year" (in a document dated 2000) can all be
compared by overlap. The grammar is small and explicit (``re`` + ``relativedelta``):
deterministic, easy to extend, and cheap to import at CLI start-up.

Relative phrases ("last year", "three weeks ago") are resolved against the document's
date, which may itself be known only to the month or year: the phrase is resolved against
both ends of that period and the union is kept, so imprecision is never hidden.

Names of recurring periods without a year ("Friday", "June 17", "the third quarter",
"last fall") are resolved by listing their occurrences around the anchor and taking the
one that holds it, else the nearest in the direction of the sentence's tense
(factbase.reading.tense). Granularities follow TIMEX3 practice (TempEval-3 news): "last
week" is the ISO week, "the past year" the calendar year, a fiscal quarter the calendar
one. Why this is hand-written rather than dateparser: benchmarks/bench_timex.py (dateparser
resolves no quarter, season or decade and has no notion of the sentence's tense).
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Literal, NamedTuple, get_args

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from ..errors import FactbaseError, TimeExpressionError, UndatedDocument
from .number_words import ONES, TEENS, TENS
from .tense import Tense, tense_of, word_list

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
    expr: str,
    anchor: date | None = None,
    anchor_precision: str = "day",
    context: str | None = None,
) -> TimeQualifier:
    """Parse a time expression; relative phrases are resolved against *anchor*.

    *anchor* is the document's date, known to *anchor_precision*. *context* is the sentence
    the expression stands in: its tense picks the date a year-less phrase ("Friday", "in
    April") names, the nearest one in that direction. Without a context such a phrase is
    the latest one not after the anchor (a claim is usually about the past). Raises
    TimeExpressionError for an expression that is not understood or not a real time, and
    UndatedDocument for a document-relative phrase without an anchor.
    """
    shown = " ".join(expr.split())
    base = None
    if anchor is not None:
        base = _Period(*interval_of(anchor, anchor_precision), anchor_precision, anchor)
    try:
        period = _parse(_normalise(expr), _Ctx(base, context, expr))
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


class _Ctx:
    """What a relative phrase is resolved with: the document's date and the sentence's tense
    (read only when a year-less phrase needs it; None when no sentence was given)."""

    def __init__(self, anchor: _Period | None, context: str | None, expr: str) -> None:
        self.anchor = anchor
        self._context, self._expr = context, expr

    @cached_property
    def tense(self) -> Tense | None:
        return None if self._context is None else tense_of(self._context, self._expr)


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
# TIMEX3 seasons: SP = Mar-May, SU = Jun-Aug, FA = Sep-Nov, WI = Dec-Feb (from the year's Dec)
_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
# unit word -> (one step, the precision a point shifted by such steps is known to)
_UNITS = {
    "day": (relativedelta(days=1), "day"),
    "week": (relativedelta(weeks=1), "day"),
    "month": (relativedelta(months=1), "month"),
    "quarter": (relativedelta(months=3), "month"),
    "year": (relativedelta(years=1), "year"),
    "decade": (relativedelta(years=10), "year"),
    "century": (relativedelta(years=100), "decade"),
}
# early/mid/late: a period's precision -> (finer precision, offsets of each third in it)
_THIRDS = {
    "decade": ("year", ((0, 3), (4, 6), (7, 9))),
    "year": ("month", ((0, 3), (4, 7), (8, 11))),
    "month": ("day", ((0, 9), (10, 19), (20, 30))),
}
_THIRD_INDEX = {
    **dict.fromkeys(("early", "beginning of", "start of", "the beginning of", "the start of"), 0),
    **dict.fromkeys(("mid", "middle of", "the middle of"), 1),
    **dict.fromkeys(("late", "end of", "the end of"), 2),
}
# How far (in days) a sentence's tense pushes a year-less date its way: "in January" in a
# past-tense sentence of 2 November is still next January (two months on, not ten back),
# but "in March" is last March. A weekday always goes the tense's way (a week is < 180).
_TENSE_PULL = 210


_NUMBERS = (
    {"a": 1, "an": 1, "several": 3, "a few": 3, "few": 3, "a couple of": 2, "a couple": 2}
    | {word: n for n, word in enumerate(ONES + TEENS, 1)}
    | {word: 10 * t for t, word in enumerate(TENS, 2)}
    | {
        f"{tens}{sep}{one}": 10 * t + u
        for t, tens in enumerate(TENS, 2)
        for u, one in enumerate(ONES, 1)
        for sep in "- "
    }
)
_ORDINAL_ONES = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
_ORDINAL_ONES += ("ninth",)
_ORDINAL_TEENS = ("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth")
_ORDINAL_TEENS += ("sixteenth", "seventeenth", "eighteenth", "nineteenth")
_ORDINALS = (
    {word: n for n, word in enumerate(_ORDINAL_ONES + _ORDINAL_TEENS, 1)}
    | {"twentieth": 20, "thirtieth": 30}
    | {
        f"{tens}{sep}{one}": 10 * t + u
        for t, tens in ((2, "twenty"), (3, "thirty"))
        for u, one in enumerate(_ORDINAL_ONES, 1)
        for sep in "- "
    }
    | {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
)
_N = (
    rf"(?P<n>\d{{1,6}}|an?|several|(?:a )?few|a couple(?: of)?"
    rf"|(?:{'|'.join(TENS)})(?:[- ](?:{'|'.join(ONES)}))?|{'|'.join(TEENS + ONES)})"
)
_UNIT = r"(?P<unit>day|week|month|quarter|year|decade|century|centurie)s?"
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY_NAME = (
    r"(?P<weekday>mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?"
    r"|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\.?"
)
_WEEKDAY = rf"(?:{_WEEKDAY_NAME} )?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?: (?:of )?(?P<year>\d{4}))?"  # optional: a year-less date is document-relative

_ISO = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?")
_NAMED_DATES = (
    re.compile(rf"{_WEEKDAY}(?:the )?{_DAY} (?:of )?{_MONTH}{_YEAR}"),
    re.compile(rf"{_WEEKDAY}{_MONTH} (?:the )?{_DAY}{_YEAR}"),
    re.compile(rf"{_MONTH}{_YEAR}"),
)
_RANGES = (
    re.compile(r"between (?P<a>.+) and (?P<b>.+)"),
    re.compile(r"(?:from )?(?P<a>.+?) (?:to|until|till|through) (?P<b>.+)"),
    re.compile(r"(?P<a>.+?) ?/ ?(?P<b>.+)"),
    re.compile(r"(?P<a>\d{4})-(?P<b>\d{4})"),
    re.compile(r"(?P<a>.+?) - (?P<b>.+)"),
)
_SHORT_RANGE = re.compile(r"(?:the )?(?P<a>\d{4}) ?[-/] ?(?P<b>\d{2})")
_CIRCA = re.compile(
    r"(?:~ ?|(?:c|ca)\. ?|(?:circa|about|around|approximately|roughly) )(?P<rest>.+)"
)
_PREFIX = re.compile(r"(?:in|on|during|over|throughout|by|at|for|of|as of) (?P<rest>.+)")
# hedges that TIMEX3 keeps as a modifier, not a change of value: "almost four years ago"
_HEDGE = re.compile(
    r"(?:almost|nearly|some|just|only|barely|more than|less than|at least|exactly|fully"
    r"|over|under|a good part of|much of) (?P<rest>.+)"
)
_THIRD = re.compile(
    r"(?:the )?(?P<part>early|mid|late|beginning of|start of|middle of|end of)[- ](?P<rest>.+)"
)
_DAYPART = re.compile(
    r"(?:(?:early|late|earlier|later) )?(?P<rest>.+?)"
    r"(?:'s)?(?: (?:morning|afternoon|evening|night|noon|midday))?"
)
_SHIFT = re.compile(rf"{_N} {_UNIT} (?P<dir>before|after|earlier than|later than) (?P<rest>.+)")
_SINCE = re.compile(r"(?:since|(?:starting )?from) (?P<rest>.+)")
_DECADE = re.compile(r"(?:the )?(?P<year>\d{3}0)'?s")
_SHORT_YEAR = re.compile(r"'(?P<yy>\d{2})")
_DECADE_SHORT = re.compile(r"(?:the )?'?(?P<tens>[1-9]0)'?s")
_DECADE_TENS = {t[:-1] + "ies": 10 * i for i, t in enumerate(TENS, 2)}
_DECADE_WORD = re.compile(rf"(?:the )?(?P<tens>{'|'.join(_DECADE_TENS)})")
_CENTURY = re.compile(r"(?:the )?(?P<n>\d{1,2})(?:st|nd|rd|th) century")
_SEASON = re.compile(
    r"(?:the )?(?P<season>spring|summer|autumn|fall|winter) (?:of )?(?P<year>\d{4})"
)
_SEASON_NAME = r"(?P<season>spring|summer|autumn|fall|winter)"
_DAY_WORD = re.compile(
    r"yesterday|today|tomorrow|tonight|last night|this (?:morning|afternoon|evening)"
)
_CALENDAR = re.compile(
    r"(?P<which>this past|last|this|next|the previous|the prior|the current|the present"
    r"|the coming"
    r"|the following|the last|the past|the next|past|the latest) "
    r"(?P<unit>week|month|quarter|year|decade|century)"
)
_AGO = re.compile(rf"{_N} {_UNIT} (?:ago|earlier|before|back|previously)")
_FEW = ("several", "a few", "few")
_IN_UNITS = re.compile(rf"(?P<how>in|within) {_N} {_UNIT}(?: time)?")
_WEEKDAY_OF_WEEK = re.compile(rf"{_WEEKDAY_NAME} (?:of )?(?P<which>last|this|next) week")
_LATER = re.compile(rf"{_N} {_UNIT} (?:later|from now|hence|on)")
_ROLLING = re.compile(rf"(?:the )?(?P<dir>last|past|next|coming|previous) {_N} {_UNIT}")
_PART = re.compile(r"(?P<when>earlier|later) (?:this|in the|that) (?P<unit>week|month|year)")
_ORD = r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final|last)"
_QUARTER_N = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}
_QUARTER_N |= {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_HALF_N = {"first": 1, "second": 2, "last": 2, "latter": 2, "1st": 1, "2nd": 2}
_QUARTER_ABS = (
    re.compile(rf"(?:the )?{_ORD} quarter (?:of |in )?(?P<rest>.+)"),
    re.compile(r"q(?P<q>[1-4]) (?:of )?(?P<rest>.+)"),
    re.compile(r"(?P<rest>.+?)(?:'s)? q(?P<q>[1-4])"),
    re.compile(r"(?P<q>[1-4])q (?P<rest>.+)"),
    re.compile(rf"(?:the )?(?P<rest>.+?)(?:'s)? {_ORD} quarter"),
)
_QUARTER_BARE = re.compile(
    rf"(?:(?:the|a|an|its|their|his|her|our|this) )?(?:[a-z]+ )?(?:{_ORD} quarter|q(?P<q>[1-4]))"
)
_HALF = re.compile(
    r"(?:the )?(?P<ord>first|second|last|latter|1st|2nd) (?:half|two quarters) (?:of |in )?"
    r"(?P<rest>.+)"
)
_HALF_BARE = re.compile(r"(?:the )?(?P<ord>first|second|1st|2nd) half")
_WEEK_OF = re.compile(r"(?:the )?week (?:of|beginning|starting|ending) (?P<rest>.+)")
_WEEKEND = re.compile(
    r"(?P<which>this past|this coming|last|this|next|the|over the|that)? ?weekend"
)
_CYCLIC_WHICH = (
    r"(?:(?P<which>this past|this coming|the coming|the previous|the past|last|this|next|past"
    r"|coming) )?"
)
_HOLIDAYS = {
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
    "christmas": (12, 25),
    "christmas day": (12, 25),
    "christmas eve": (12, 24),
    "boxing day": (12, 26),
    "independence day": (7, 4),
    "the fourth of july": (7, 4),
    "valentine's day": (2, 14),
    "halloween": (10, 31),
    "veterans day": (11, 11),
    "armistice day": (11, 11),
    "may day": (5, 1),
}
# holidays that move: (month, weekday, nth; -1 the last), US practice
_MOVING = {
    "thanksgiving": (11, 3, 4),
    "thanksgiving day": (11, 3, 4),
    "labor day": (9, 0, 1),
    "memorial day": (5, 0, -1),
    "martin luther king day": (1, 0, 3),
    "presidents day": (2, 0, 3),
    "columbus day": (10, 0, 2),
}
# vague references (TIMEX3 PAST_REF / PRESENT_REF / FUTURE_REF): (years before, years after)
# the anchor; None is open-ended. "now" is the document's date; "recently" the year before.
_VAGUE = {
    **dict.fromkeys(
        word_list(
            "now|right now|currently|current|the present|present|at present"
            "|presently|these days|nowadays|today's|then current|at the moment"
            "|at this point|for now"
        ),
        (0, 0),
    ),
    **dict.fromkeys(
        word_list(
            "recently|recent|lately|more recently|most recently|of late"
            "|recent weeks|recent months|recent weeks and months"
            "|the last few months|the past few months|the last few weeks"
            "|the past few weeks|a while ago|just"
        ),
        (1, 0),
    ),
    **dict.fromkeys(
        word_list(
            "recent years|past years|the past few years|the last few years"
            "|several years ago|a few years ago|some years ago|years ago|in years"
        ),
        (10, 0),
    ),
    **dict.fromkeys(
        word_list(
            "the past|past|previously|formerly|once|earlier|before|already|ever"
            "|in the past|the old days|long ago|historically|yet|so far|to date"
            "|then"
        ),
        (None, 0),
    ),
    **dict.fromkeys(
        word_list(
            "soon|shortly|the near future|near future|coming months"
            "|the coming months|coming weeks|the coming weeks|the near term"
            "|near term|the short term|short term|coming days|the coming days"
            "|as soon as possible|imminently|the next few months"
            "|the next few weeks|coming quarters|future quarters"
        ),
        (0, 1),
    ),
    **dict.fromkeys(
        word_list(
            "the future|future|later|eventually|one day|someday|some day"
            "|a later date|the long term|long term|the long run|in the long run"
            "|the years ahead|years to come|the coming years|coming years"
            "|ultimately|in due course|next"
        ),
        (0, None),
    ),
}


def _year_ago_quarter(a: _Period) -> _Period:
    return _moved(_calendar("last", "quarter", a), -1, "year", "day", a.anchor)


_YEAR_END = frozenset(word_list("year-end|year end|year's end|the year's end|the turn of the year"))


def _named(words: str, resolve: Callable[[_Period], _Period]) -> dict[str, Callable]:
    return dict.fromkeys(word_list(words), resolve)


# periods named by a fixed phrase, with what each means against the anchor. Financial news
# reports the quarter just ended: "the quarter", "the latest period" (TIMEX3 practice).
_NAMED_PERIODS: dict[str, Callable[[_Period], _Period]] = {
    **_named(
        "the quarter|the latest quarter|the latest period|the most recent quarter"
        "|the recent quarter|the period|the reporting period|the last quarter",
        lambda a: _calendar("last", "quarter", a),
    ),
    **_named(
        "the year-ago quarter|the year-ago period|the same quarter last year"
        "|the same period last year|the year-ago third quarter",
        _year_ago_quarter,
    ),
    **_named(
        "the year|the full year|the current year|the whole year|the year to date"
        "|the entire year|year-to-date|the calendar year|the same year",
        lambda a: _calendar("this", "year", a),
    ),
    **_named(
        "year-ago|the latest year|the previous year|the prior year|last",
        lambda a: _calendar("last", "year", a),
    ),
    **_named("the month|the current month", lambda a: _calendar("this", "month", a)),
    **_named("the week|the current week", lambda a: _calendar("this", "week", a)),
}


def _normalise(expr: str) -> str:
    """Lower case; dashes, quotes and spelled-out numbers made plain; commas dropped."""
    s = expr.lower().translate(str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-", ",": " "}))
    s = " ".join(s.split()).rstrip(".;:")
    s = re.sub(r"(?<!0)'s$", "", s)  # "last year's" (but "1990's" is a decade)
    s = re.sub(r"\b(?:fiscal|fy)[- ]?", "", s)  # a fiscal quarter or year: the calendar one
    s = re.sub(r"\b(first|second|third|fourth|final)-(quarter|half)\b", r"\1 \2", s)
    s = re.sub(r"\byear-(ago|earlier)\b", "year-ago", s)
    s = re.sub(r" or so\b", "", s)
    return _spelled(s).strip()


_YEAR_WORDS = re.compile(
    rf"\b(?P<hi>{'|'.join(TEENS)}|twenty)[- ](?:(?P<hundred>hundred)(?: and)?[- ]?)?"
    rf"(?P<lo>(?:{'|'.join(TENS)})(?:[- ](?:{'|'.join(ONES)}))?|{'|'.join(TEENS + ONES)}"
    rf"|o[- ](?:{'|'.join(ONES)}))?\b"
)
_THOUSAND = re.compile(
    rf"\btwo thousand(?:(?: and)? (?P<lo>(?:{'|'.join(TENS)})(?:[- ](?:{'|'.join(ONES)}))?"
    rf"|{'|'.join(TEENS + ONES)}))?\b"
)
_MONTH_ORDINAL = re.compile(rf"\b{_MONTH} (?:the )?(\w+(?:-\w+)?)\b")
# only text with one of these can hold a spelled-out year or ordinal day (a fast pre-check)
_SPELLED_HINT = re.compile(
    r"teen|ten\b|eleven|twelve|twent|thirt|thousand|hundred|first|second|third|th\b"
)


def _spelled(s: str) -> str:
    """Years and ordinals written in words as digits: "nineteen ninety-six" -> "1996"."""
    if not _SPELLED_HINT.search(s):
        return s

    def year(m: re.Match[str]) -> str:
        hi = 20 if m["hi"] == "twenty" else _NUMBERS[m["hi"]]
        lo = m["lo"]
        if lo is None or (lo in ONES and not m["hundred"]):  # "twenty-five" is no year
            return f"{hi * 100}" if m["hundred"] and lo is None else m[0]
        return f"{hi * 100 + _NUMBERS[lo.removeprefix('o-').removeprefix('o ')]}"

    s = _THOUSAND.sub(lambda m: str(2000 + (_NUMBERS[m["lo"]] if m["lo"] else 0)), s)
    s = _YEAR_WORDS.sub(year, s)
    s = re.sub(r"\bthe year (\d{4})\b", r"\1", s)
    return _MONTH_ORDINAL.sub(
        lambda m: m[0] if m[2] not in _ORDINALS else f"{m['month']} {_ORDINALS[m[2]]}", s
    )


def _parse(s: str, ctx: _Ctx) -> _Period | None:
    """An interval between two times, or a single time."""
    if (m := _SHORT_RANGE.fullmatch(s)) and 12 < int(m["b"]) > int(m["a"][2:]):
        s = f"{m['a']}-{m['a'][:2]}{m['b']}"  # "1998-99" (but "1999-08" is August 1999)
    for pattern in _RANGES:
        if not (m := pattern.fullmatch(s)):
            continue
        start, end = _single(m["a"], ctx), _single(m["b"], ctx)
        if start is not None and end is not None:
            if end.latest < start.earliest:
                raise _Rejected(f"ends ({end.latest}) before it starts ({start.earliest})")
            precision = _coarser(start.precision, end.precision)
            return _Period(start.earliest, end.latest, precision, start.anchor or end.anchor)
    return _single(s, ctx)


def _single(s: str, ctx: _Ctx) -> _Period | None:
    """One time: absolute, shifted from an explicit time, or relative to the document."""
    if m := _CIRCA.fullmatch(s):
        inner = _single(m["rest"], ctx)
        return None if inner is None else _widen(inner)
    if (m := _IN_UNITS.fullmatch(s)) and ctx.anchor is not None:
        return _relative(s, ctx)
    if m := _PREFIX.fullmatch(s):
        return _single(m["rest"], ctx)
    if m := _HEDGE.fullmatch(s):
        return _single(m["rest"], ctx)
    if m := _THIRD.fullmatch(s):
        inner = _single(m["rest"], ctx)
        if inner is not None and inner.precision == "day" and inner.earliest == inner.latest:
            return inner  # "late Tuesday": still that day
        return None if inner is None else _third(inner, _THIRD_INDEX[m["part"]])
    if m := _SHIFT.fullmatch(s):
        base = _single(m["rest"], ctx)
        if base is None:
            return None
        count = _count(m["n"])
        unit = _unit(m["unit"])
        sign = -1 if m["dir"] in ("before", "earlier than") else 1
        return _moved(base, sign * count, unit, _snap(unit, count), base.earliest)
    if m := _SINCE.fullmatch(s):
        start = _single(m["rest"], ctx)
        if start is None:
            return None
        a = _need(ctx.anchor)
        if a.latest < start.earliest:
            raise _Rejected(f"starts after the document's date ({a.anchor})")
        return _Period(start.earliest, a.latest, _coarser(start.precision, a.precision), a.anchor)
    if fields := _date_fields(s):
        if fields.year is None:
            return _yearless(fields, ctx, None)
        first, precision = _to_date(fields, fields.year)
        return _Period(*interval_of(first, precision), precision, None)
    if m := _DECADE.fullmatch(s):
        return _Period(*interval_of(_make_date(int(m["year"]), 1, 1), "decade"), "decade", None)
    if m := _SEASON.fullmatch(s):
        return _Period(*_season(m["season"], int(m["year"])), "month", None)
    if m := _CENTURY.fullmatch(s):
        return _century(int(m["n"]) - 1)
    return _relative(s, ctx)


def _relative(s: str, ctx: _Ctx) -> _Period | None:
    """Phrases that only mean something against the document's date."""
    if s in _VAGUE:
        return _vague(*_VAGUE[s], _need(ctx.anchor))
    if m := _DAY_WORD.fullmatch(s):
        a = _need(ctx.anchor)
        shift = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(m[0], 0)
        return _moved(a, shift, "day", "day", a.anchor)
    if m := _CALENDAR.fullmatch(s):
        return _calendar(m["which"], m["unit"], _need(ctx.anchor))
    if m := _AGO.fullmatch(s):
        a = _need(ctx.anchor)
        unit, count = _unit(m["unit"]), _count(m["n"])
        if m["n"] in _FEW:  # "a few weeks ago": two to nine weeks back, not one made-up day
            far, near = (
                _moved(a, -9, unit, _snap(unit, 9), a.anchor),
                _moved(a, -2, unit, _snap(unit, 2), a.anchor),
            )
            return far._replace(latest=near.latest)
        return _moved(a, -count, unit, _snap(unit, count), a.anchor)
    if m := _IN_UNITS.fullmatch(s):  # "in two weeks", "within a month"
        a = _need(ctx.anchor)
        unit, count = _unit(m["unit"]), _count(m["n"])
        moved = _moved(a, count, unit, _snap(unit, count), a.anchor)
        return moved if m["how"] == "in" else moved._replace(earliest=a.earliest)
    if m := _LATER.fullmatch(s):
        a = _need(ctx.anchor)
        unit = _unit(m["unit"])
        return _moved(a, _count(m["n"]), unit, _UNITS[unit][1], a.anchor)
    if m := _ROLLING.fullmatch(s):
        a = _need(ctx.anchor)
        unit = _unit(m["unit"])
        step, natural = _UNITS[unit]
        count = _count(m["n"])
        if m["dir"] in ("next", "coming"):
            start, end = a.earliest, _add(a.latest, step, count)
        else:
            start, end = _add(a.earliest, step, -count), a.latest
        return _Period(start, end, _coarser(natural, a.precision), a.anchor)
    if m := _PART.fullmatch(s):
        a = _need(ctx.anchor)
        if m["when"] == "earlier":
            return _Period(_bounds(a.earliest, m["unit"])[0], a.latest, a.precision, a.anchor)
        return _Period(a.earliest, _bounds(a.latest, m["unit"])[1], a.precision, a.anchor)
    return _cyclic(s, ctx)


def _cyclic(s: str, ctx: _Ctx) -> _Period | None:
    """Names of a period that recurs (a weekday, month, season, quarter, holiday, weekend)."""
    if (named := _NAMED_PERIODS.get(s)) is not None:
        return named(_need(ctx.anchor))
    if m := _HALF.fullmatch(s):
        inner = _single(m["rest"], ctx)
        return None if inner is None else _half(inner, _HALF_N[m["ord"]])
    if m := _HALF_BARE.fullmatch(s):
        half = _HALF_N[m["ord"]]
        return _pick(ctx, lambda y: _half_of_year(y, half), "month", None)
    for pattern in _QUARTER_ABS:
        if (m := pattern.fullmatch(s)) and (year := _year_of(m["rest"], ctx)) is not None:
            q = int(m["q"]) if m.groupdict().get("q") else _QUARTER_N[m["ord"]]
            start = _make_date(year.earliest.year, 3 * q - 2, 1)
            return _Period(start, _end_of(start, 3), "month", year.anchor)
    if m := _QUARTER_BARE.fullmatch(s):
        q = int(m["q"]) if m["q"] else _QUARTER_N[m["ord"]]
        return _pick(ctx, lambda y: _quarter(y, q), "month", None)
    if s in _YEAR_END:  # the close of a year, its December: this one, or by tense
        return _pick(ctx, lambda y: (date(y, 12, 1), date(y, 12, 31)), "month", None)
    if m := re.fullmatch(r"(?:the )?year-ago (?P<rest>.+)", s):
        inner = _single(m["rest"], ctx)
        return None if inner is None else _moved(inner, -1, "year", "day", inner.anchor)
    if m := re.fullmatch(r"the (?P<year>\d{4}) (?:period|year|season)", s):
        return _single(m["year"], ctx)
    if m := _WEEKDAY_OF_WEEK.fullmatch(s):
        week = _calendar(m["which"], "week", _need(ctx.anchor))
        index = [w[:3] for w in _WEEKDAYS].index(m["weekday"][:3])
        day = week.earliest + timedelta(days=index)
        return _Period(day, week.latest - timedelta(days=6 - index), week.precision, week.anchor)
    if m := _WEEK_OF.fullmatch(s):
        inner = _single(m["rest"], ctx)
        if inner is None or inner.precision != "day" or inner.earliest != inner.latest:
            return None
        return _Period(*_bounds(inner.earliest, "week"), "day", inner.anchor)
    if m := _WEEKEND.fullmatch(s):
        which = {"this past": "last", "this coming": "next"}.get(m["which"] or "", m["which"])
        return _pick(ctx, _weekends, "day", which, days=True)
    if m := re.fullmatch(rf"{_CYCLIC_WHICH}(?:the )?(?P<rest>.+)", s):
        which = m["which"]
        which = {
            "this past": "last",
            "the previous": "last",
            "the past": "last",
            "past": "last",
            "this coming": "next",
            "the coming": "next",
            "coming": "next",
        }.get(which or "", which)
        rest = m["rest"]
        if rest in _HOLIDAYS:
            month, day = _HOLIDAYS[rest]
            return _pick(ctx, lambda y: _day_of(y, month, day), "day", which)
        if rest in _MOVING:
            return _pick(ctx, lambda y: _moving(y, *_MOVING[rest]), "day", which)
        if rest in ("easter", "easter sunday"):
            return _pick(ctx, lambda y: (easter(y),) * 2, "day", which)
        if rest == "election day":
            return _pick(ctx, _election_day, "day", which)
        if season := re.fullmatch(rf"(?:(?:early|late|mid) ?-?)?{_SEASON_NAME}", rest):
            return _pick(ctx, lambda y: _season(season["season"], y), "month", which)
        if m2 := re.fullmatch(_WEEKDAY_NAME, rest):
            index = [w[:3] for w in _WEEKDAYS].index(m2["weekday"][:3])
            return _pick(ctx, lambda d: _weekdays(d, index), "day", which, days=True)
        if which and (fields := _date_fields(rest)) and fields.year is None:
            return _yearless(fields, ctx, which)
    if m := re.fullmatch(r"(?P<rest>.+?) (?P<which>this|last|next) year", s):
        # "January this year", "June last year", "the summer last year"
        year = _calendar(m["which"], "year", _need(ctx.anchor))
        return _single(f"{m['rest']} {year.earliest.year}", ctx)
    if m := re.fullmatch(r"(?P<which>this|last|next|that) decade", s):
        return _calendar(m["which"], "decade", _need(ctx.anchor))
    if m := _SHORT_YEAR.fullmatch(s):  # "'98": the latest such year up to a decade ahead
        return _short_decade(int(m["yy"]), ctx, unit="year")
    if m := _DECADE_SHORT.fullmatch(s):
        return _short_decade(int(m["tens"]), ctx)
    if m := _DECADE_WORD.fullmatch(s):
        return _short_decade(_DECADE_TENS[m["tens"]], ctx)
    if (m := _DAYPART.fullmatch(s)) and m["rest"] != s:
        inner = _single(m["rest"], ctx)
        if inner is not None and inner.precision == "day":
            return inner  # "Thursday morning", "earlier Sunday"
    return None


def _need(anchor: _Period | None) -> _Period:
    if anchor is None:
        raise _NeedsAnchor
    return anchor


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word]


def _unit(word: str) -> str:
    return "century" if word.startswith("centur") else word


def _snap(unit: str, count: int) -> str:
    """The period N units from a time is known to: "a year ago" is the month twelve months
    back (TIMEX3 annotators give it as a month or a day), "two years ago" a year."""
    return "month" if (unit, count) == ("year", 1) else _UNITS[unit][1]


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


def _end_of(start: date, months: int) -> date:
    """The last day of the *months*-month period that begins on *start*."""
    return interval_of(_add(start, _UNITS["month"][0], months - 1), "month")[1]


def _bounds(d: date, unit: str) -> tuple[date, date]:
    """The calendar period around *d*: a precision, a Monday-to-Sunday week, a quarter."""
    if unit == "week":
        monday = _add(d, relativedelta(days=1), -d.weekday())
        return monday, _add(monday, relativedelta(days=1), 6)
    if unit == "quarter":
        start = d.replace(month=d.month - (d.month - 1) % 3, day=1)
        return start, _end_of(start, 3)
    if unit == "century":  # TIMEX3 "19": 1900-1999
        start = d.year - d.year % 100
        return date(max(start, 1), 1, 1), date(start + 99, 12, 31)
    return interval_of(d, unit)


def _moved(base: _Period, count: int, unit: str, snap: str, anchor: date | None) -> _Period:
    """*base* shifted by *count* units, each end widened to its *snap* period (the union)."""
    step = _UNITS[unit][0]
    start = _bounds(_add(base.earliest, step, count), snap)[0]
    end = _bounds(_add(base.latest, step, count), snap)[1]
    return _Period(start, end, _coarser(_SNAP_PRECISION.get(snap, snap), base.precision), anchor)


# the precision a calendar unit is stored at (the schema knows day, month, year, decade)
_SNAP_PRECISION = {"week": "day", "quarter": "month", "century": "decade"}


def _calendar(which: str, unit: str, a: _Period) -> _Period:
    """'last week', 'this quarter', 'the past year': a whole calendar unit near the anchor."""
    shift = {"this": 0, "the current": 0, "the present": 0, "that": 0}.get(which)
    if shift is None:
        shift = 1 if which in ("next", "the coming", "the following", "the next") else -1
    step = _UNITS[unit][0]
    start = _bounds(_add(a.earliest, step, shift), unit)[0]
    end = _bounds(_add(a.latest, step, shift), unit)[1]
    precision = _SNAP_PRECISION.get(unit, unit)
    return _Period(start, end, _coarser(precision, a.precision), a.anchor)


def _vague(before: int | None, after: int | None, a: _Period) -> _Period:
    """A vague reference: open (years 1 or 9999) or a wide span on the anchor's side."""
    if before == after == 0:
        return a
    start = date.min if before is None else _add(a.earliest, _UNITS["year"][0], -before)
    end = date.max if after is None else _add(a.latest, _UNITS["year"][0], after)
    return _Period(start, end, _coarser("year", a.precision), a.anchor)


def _widen(p: _Period) -> _Period:
    """Circa: one unit of the stated precision either side."""
    step = _UNITS[p.precision][0]
    start = interval_of(_add(p.earliest, step, -1), p.precision)[0]
    end = interval_of(_add(p.latest, step), p.precision)[1]
    return p._replace(earliest=start, latest=end)


def _third(p: _Period, part: int) -> _Period | None:
    """Early/mid/late: a third of a decade, year or month at the next finer precision; a
    season's or quarter's month; a week stays itself (TIMEX3 keeps "early this week" a week)."""
    if (p.latest - p.earliest).days == 6 and p.earliest.weekday() == 0:
        return p
    if p.precision == "month" and _end_of(p.earliest, 3) == p.latest and p.earliest.day == 1:
        month = _add(p.earliest, _UNITS["month"][0], part)
        return _Period(*interval_of(month, "month"), "month", p.anchor)
    if p.precision not in _THIRDS or interval_of(p.earliest, p.precision) != p[:2]:
        return None
    finer, offsets = _THIRDS[p.precision]
    step = _UNITS[finer][0]
    first, last = offsets[part]
    end = interval_of(_add(p.earliest, step, last), finer)[1]
    return _Period(_add(p.earliest, step, first), min(end, p.latest), finer, p.anchor)


def _half(p: _Period, half: int) -> _Period | None:
    """The first or second half of a single year (H1, H2) or decade."""
    if p.precision == "year" and interval_of(p.earliest, "year") == p[:2]:
        return _Period(*_half_of_year(p.earliest.year, half), "month", p.anchor)
    if p.precision == "decade" and interval_of(p.earliest, "decade") == p[:2]:
        start = p.earliest.replace(year=p.earliest.year + 5 * (half - 1))
        return _Period(start, date(start.year + 4, 12, 31), "year", p.anchor)
    return None


def _year_of(s: str, ctx: _Ctx) -> _Period | None:
    """*s* as one whole calendar year ("1988", "this year", "next year's"), else None."""
    p = _single(s, ctx) if re.search(r"\d{4}|year", s) else None
    if p is None or p.precision != "year" or interval_of(p.earliest, "year") != p[:2]:
        return None
    return p


def _season(name: str, year: int) -> tuple[date, date]:
    start = _make_date(year, _SEASON_START[name], 1)
    return start, _end_of(start, 3)


def _quarter(year: int, q: int) -> tuple[date, date]:
    start = _make_date(year, 3 * q - 2, 1)
    return start, _end_of(start, 3)


def _half_of_year(year: int, half: int) -> tuple[date, date]:
    start = _make_date(year, 6 * half - 5, 1)
    return start, _end_of(start, 6)


def _century(index: int) -> _Period:
    """The (index+1)th century as TIMEX3 writes it: the 20th is "19", 1900-1999."""
    start = date(max(index * 100, 1), 1, 1)
    return _Period(start, date(index * 100 + 99, 12, 31), "decade", None)


def _short_decade(tens: int, ctx: _Ctx, unit: str = "decade") -> _Period:
    """ "the nineties", "the '90s" (or the year "'98"): the latest such decade (year) that
    starts no more than ten years after the anchor; 19xx without an anchor."""
    anchor = ctx.anchor
    year = 1900 + tens
    if anchor is not None:
        century = anchor.earliest.year - anchor.earliest.year % 100
        year = (
            century + tens if century + tens <= anchor.earliest.year + 10 else century - 100 + tens
        )
    start = _make_date(max(year, 1), 1, 1)
    return _Period(*_bounds(start, unit), unit, None if anchor is None else anchor.anchor)


def _day_of(year: int, month: int, day: int) -> tuple[date, date] | None:
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    return d, d


def _moving(year: int, month: int, weekday: int, nth: int) -> tuple[date, date]:
    """The *nth* (-1: last) *weekday* of *month* in *year*."""
    days = calendar.monthcalendar(year, month)
    found = [week[weekday] for week in days if week[weekday]]
    d = date(year, month, found[nth if nth < 0 else nth - 1])
    return d, d


def _election_day(year: int) -> tuple[date, date]:
    """US election day: the Tuesday after the first Monday of November."""
    monday = _moving(year, 11, 0, 1)[0]
    d = monday + relativedelta(days=1)
    return d, d


def _weekdays(d: date, index: int) -> list[tuple[date, date]]:
    """The days named *index* (0 Monday) from two weeks before *d* to two weeks after."""
    first = d.toordinal() + (index - d.weekday()) % 7 - 14
    days = (date.fromordinal(n) for n in range(max(first, 1), min(first + 29, _LAST), 7))
    return [(x, x) for x in days]


def _weekends(d: date) -> list[tuple[date, date]]:
    saturday = d.toordinal() + 5 - d.weekday()
    found = range(max(saturday - 14, 1), min(saturday + 15, _LAST - 1), 7)
    return [(date.fromordinal(n), date.fromordinal(n) + timedelta(days=1)) for n in found]


_LAST = date.max.toordinal()


Candidates = Callable[[date], list[tuple[date, date]]]


def _yearly(make: Callable[[int], tuple[date, date] | None]) -> Candidates:
    """A recurring period's occurrences in the years around a day."""

    def around(d: date) -> list[tuple[date, date]]:
        for reach in (1, 4):  # February 29 may need four years either way
            years = range(max(d.year - reach, 1), min(d.year + reach, 9998) + 1)
            found = [span for year in years if (span := make(year)) is not None]
            if found:
                return found
        return []

    return around


def _choose(
    spans: list[tuple[date, date]], day: date, tense: Tense | None, which: str | None
) -> tuple[date, date] | None:
    """The occurrence a phrase means seen from *day*: "last"/"next" strictly before/after;
    "this" the one of the same week (days) or year; otherwise the one that holds *day*, else
    the nearest, pulled towards the tense (no sentence: the latest not after *day*)."""
    if which == "last":
        return max((s for s in spans if s[1] < day), default=None)
    if which == "next":
        return min((s for s in spans if s[0] > day), default=None)
    holding = [s for s in spans if s[0] <= day <= s[1]]
    if holding:
        return holding[0]
    if which == "this":
        same = [s for s in spans if s[0].year == day.year]
        return min(same, key=lambda s: abs((s[0] - day).days), default=None)

    def cost(s: tuple[date, date]) -> float:
        past = s[1] < day
        distance = (day - s[1]).days if past else (s[0] - day).days
        if tense is None:
            return distance if past else float("inf")
        against = (tense == "past" and not past) or (tense == "future" and past)
        return distance + (_TENSE_PULL if against else 0) + (0 if past else 0.5)

    best = min(spans, key=cost, default=None)
    return None if best is None or cost(best) == float("inf") else best


def _pick(
    ctx: _Ctx,
    make: Callable[[int], tuple[date, date] | None] | Candidates,
    natural: str,
    which: str | None,
    days: bool = False,
) -> _Period:
    """A recurring period resolved from both ends of the anchor's period (their union)."""
    a = _need(ctx.anchor)
    candidates = make if days else _yearly(make)  # type: ignore[arg-type]
    first = _choose(candidates(a.earliest), a.earliest, ctx.tense, which)  # type: ignore[arg-type]
    last = _choose(candidates(a.latest), a.latest, ctx.tense, which)  # type: ignore[arg-type]
    if first is None or last is None:
        raise _Rejected("names no date near the document's date")
    start, end = min(first[0], last[0]), max(first[1], last[1])
    precision = natural if first == last else _coarser(natural, a.precision)
    return _Period(start, end, precision, a.anchor)


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


def _yearless(fields: _Fields, ctx: _Ctx, which: str | None) -> _Period:
    """'August 29', 'in May', 'Monday, Oct. 26': the occurrence nearest the document's date
    in the sentence's direction; a stated weekday picks the year it fits, if one near does."""
    precision = "month" if fields.day is None else "day"
    _make_date(2000, fields.month or 1, fields.day or 1)  # a real day in some year, or reject

    def make(year: int, weekday: str | None) -> tuple[date, date] | None:
        try:
            first, _ = _to_date(fields._replace(weekday=weekday), year)
        except _Rejected:
            return None
        return interval_of(first, precision)

    a = _need(ctx.anchor)
    years = range(a.earliest.year - 1, a.latest.year + 2)
    if fields.weekday is not None and any(make(y, fields.weekday) for y in years):
        return _pick(ctx, lambda y: make(y, fields.weekday), precision, which)
    return _pick(ctx, lambda y: make(y, None), precision, which)


def time_context(expr: str, quotes: Sequence[str]) -> str | None:
    """The sentence to read a claim's time in: the quote that contains the expression,
    else all its quotes together (None without quotes)."""
    wanted = " ".join(expr.lower().split())
    for quote in quotes:
        if wanted in " ".join(quote.lower().split()):
            return quote
    return " ".join(quotes) or None


def resolve(
    text: str, anchor: str | date | None = None, context: str | None = None
) -> dict[str, str | None]:
    """`parse_time` as the JSON `factbase when` prints: {raw, earliest, latest, precision,
    anchor}. *anchor* is a date or any form `parse_date` reads ("2000-09", "30 May 2007")."""
    if isinstance(anchor, str):
        anchor_date, anchor_precision = parse_date(anchor)
    else:
        anchor_date, anchor_precision = anchor, "day"
    try:
        q = parse_time(text, anchor_date, anchor_precision, context)
    except UndatedDocument:
        shown = " ".join(text.split())
        raise UndatedDocument(f"relative time expression '{shown}' needs an anchor date") from None
    return {
        "raw": q.raw,
        "earliest": q.earliest.isoformat(),
        "latest": q.latest.isoformat(),
        "precision": q.precision,
        "anchor": None if q.anchor is None else q.anchor.isoformat(),
    }


def resolve_lines(
    lines: Iterable[str], anchor: str | None = None, context: str | None = None
) -> Iterator[dict[str, str | None]]:
    """One result per JSONL line {"text", "anchor"?, "context"?}, in order: the `resolve`
    object, or {"error": "line N: ..."} for a line that is not such an object or whose
    time is not understood (so output line N always answers input line N). *anchor* and
    *context* apply to lines that lack their own; a bad *anchor* raises before any line."""
    if anchor is not None:
        parse_date(anchor)
    for number, line in enumerate(lines, 1):
        try:
            item = json.loads(line)
        except ValueError as exc:
            yield {"error": f"line {number}: not JSON ({exc})"}
            continue
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            yield {"error": f'line {number}: expected an object with a "text" string'}
            continue
        try:
            yield resolve(
                item["text"],
                _str_or_none(item.get("anchor", anchor), "anchor"),
                _str_or_none(item.get("context", context), "context"),
            )
        except (FactbaseError, ValueError) as exc:
            yield {"error": f"line {number}: {exc}"}


def _str_or_none(value: object, key: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise ValueError(f'"{key}" must be a string or null')
