"""Whether a claim's quote states its number and its years: "45 million euros" states
45,000,000.

Pure functions, no database: a claim's `--value` and `--when` are checked against its
quote with them, so a typo (4.2e6 for 42 million, 1996 for 1999) is pointed out before
anyone cites it. Numbers are read by `reading.numbers`, the one number reader of
factbase (spelled-out ones too: "forty-five", "a hundred and thirty").
"""

from __future__ import annotations

import re
from functools import lru_cache

from .display import format_number
from .reading.numbers import states_number

_YEAR = re.compile(r"(?<!\d)([12]\d{3})(?!\d)")


@lru_cache(maxsize=4096)
def years_in(text: str) -> tuple[int, ...]:
    """The four-digit years written in a time expression ("~1996", "1999/2001"), once each.

    Cached: an import resolves the same few expressions for thousands of claims."""
    return tuple(dict.fromkeys(int(year) for year in _YEAR.findall(text)))


def unstated(
    quotes: list[str],
    number: float | None = None,
    scaled: float | None = None,
    when: str | None = None,
    document_year: int | None = None,
) -> list[str]:
    """What a claim gives that none of its quotes states: its number, the years of its time.

    `scaled` is the number in its base unit ("45 million euros" → 45000000), which the
    quote may state instead of the number as given. The year of the document's own date
    counts as stated: news writes "on May 12" and means the year it is published in.
    """
    text = " ".join(quotes)
    problems = []
    if number is not None:
        candidates = (number,) if scaled is None else (number, scaled)
        if not states_number(text, *candidates):
            problems.append(f"the value {format_number(number)} does not appear in the quote")
    for year in years_in(when or ""):
        if year != document_year and not states_number(text, float(year)):
            problems.append(f"the year {year} (--when {when!r}) does not appear in the quote")
    return problems
