"""Numbers and years as people write them: "45 million euros" states 45,000,000.

Pure functions, no database: a claim's `--value` and `--when` are checked against its
quote with them, so a typo (4.2e6 for 42 million, 1996 for 1999) is pointed out before
anyone cites it. Spelled-out numbers ("forty-five", "a hundred and thirty") are turned
into digits by text2num first.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from .display import format_number

# Scale words after a number; text2num also turns a spelled "million" into "1000000".
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
}
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d+))?(?![\d])"
    r"(?:\s*(?P<word>thousand|million|billion|trillion|mn|bn|m|k)\b"
    r"|\s+(?P<digits>1000|1000000|1000000000|1000000000000)(?!\d))?",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)([12]\d{3})(?!\d)")


@lru_cache(maxsize=4096)
def _digits(text: str) -> str:
    """The text with spelled-out numbers as digits ("forty-five" → "45")."""
    from text_to_num import alpha2digit

    return alpha2digit(text, "en")


def numbers_in(text: str) -> set[float]:
    """Every number the text states, scaled where a scale word follows ("45 million" gives
    45 and 45000000); thousands separators are read ("4,526" is 4526)."""
    # "five-day" is a number too; "forty-five" must stay whole for text2num.
    spelled = {_digits(text), _digits(re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text, flags=re.I))}
    return {number for variant in spelled for number in _written(variant)}


def _written(text: str) -> set[float]:
    """The numbers written in digits in the text, scaled where a scale word follows."""
    found: set[float] = set()
    for match in _NUMBER.finditer(text):
        number = float(match["whole"].replace(",", "") + "." + (match["fraction"] or "0"))
        found.add(number)
        if match["word"]:
            found.add(number * _SCALES[match["word"].lower()])
        elif match["digits"]:
            found.add(number * float(match["digits"]))
    return found


def _any_close(numbers: tuple[float, ...], found: set[float]) -> bool:
    return any(math.isclose(n, f, rel_tol=1e-9) for n in numbers for f in found)


@lru_cache(maxsize=4096)
def years_in(text: str) -> tuple[int, ...]:
    """The four-digit years written in a time expression ("~1996", "1999/2001"), once each."""
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
    written = _written(text)  # digits as written: most quotes state their figures so
    spelled: set[float] | None = None  # and text2num's reading, only when needed

    def states(*numbers: float) -> bool:
        nonlocal spelled
        if any(n in written for n in numbers) or _any_close(numbers, written):
            return True
        if spelled is None:
            spelled = numbers_in(text)
        return _any_close(numbers, spelled)

    problems = []
    if number is not None:
        candidates = (number,) if scaled is None else (number, scaled)
        if not states(*candidates):
            problems.append(f"the value {format_number(number)} does not appear in the quote")
    for year in years_in(when or ""):
        if year != document_year and not states(float(year)):
            problems.append(f"the year {year} (--when {when!r}) does not appear in the quote")
    return problems
