"""Values compared by what they say, not by how they are written.

Two literal values agree when they are the same after normalisation (case, typography,
punctuation: `normalize_value`) or when one is a more specific form of the other: the
longer adds parts after the shorter's ("4526 43rd Street NW" and "4526 43rd Street NW,
Washington, DC 20016"), or says it with other function words and a derived form
("southwestern Uzbekistan" and "the southwest of Uzbekistan"). A different value does not
agree ("4516 43rd Street NW").

Agreement is not an equivalence (a general value agrees with two specific ones that
disagree), so grouping needs a key that agreeing values share: `value_key`, the first
content word. Code that groups claims
(the conflict check's buckets) groups by `value_key` and decides with `values_agree`.
The rules, `verify` and corroboration all compare through these functions.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

from .numbers import normalize_quantity

# Apostrophes join ("Russia’s" == "Russias", "D.C." == "DC"); they are unified before NFKC
# because NFKC turns the acute accent into a space and a combining mark.
_APOSTROPHES = str.maketrans(dict.fromkeys("’‘ʼ`´", "'"))
# Numbers are kept whole ("3.5" stays "3.5", "20,016" becomes "20016"); every other
# character that is not a letter, digit, mark or space (dashes, quotes, commas, symbols,
# underscores) separates words.
_TOKEN = re.compile(
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)*(?!\d)|\d+(?:\.\d+)*)|(?P<join>['.])|[^\w\s]|_"
)
# Separators of a value's parts: "street, city, postcode", "name (role)".
_PARTS = re.compile(r"\s*(?:[,;:()\[\]]|\s[–—-]\s)\s*")
# Function words that do not change what a value says ("the southwest of Uzbekistan").
_FUNCTION = frozenset(["the", "a", "an", "of", "in", "at", "on"])
_COMPASS = {
    "northern": "north", "southern": "south", "eastern": "east", "western": "west",
    "northeastern": "northeast", "northwestern": "northwest", "southeastern": "southeast",
    "southwestern": "southwest",
}  # fmt: skip
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")


def _replace_token(match: re.Match[str]) -> str:
    if match["number"]:
        return match["number"].replace(",", "")
    if match["join"]:
        return ""
    char = match.group()
    return char if unicodedata.category(char).startswith("M") else " "


@lru_cache(maxsize=1 << 16)
def normalize_value(text: str) -> str:
    """The form under which two literal values are the same value.

    Case, Unicode compatibility forms, typographic quotes and dashes, punctuation and
    whitespace do not matter ("Washington, DC 20016" == "Washington DC 20016"); letters
    and digits do ("4526 43rd Street" != "4516 43rd Street"). Idempotent.
    """
    folded = unicodedata.normalize("NFKC", text.translate(_APOSTROPHES)).casefold()
    # NFKC again: dropping a joiner can put a combining mark next to its letter.
    return " ".join(unicodedata.normalize("NFKC", _TOKEN.sub(_replace_token, folded)).split())


def _content(part: str) -> tuple[str, ...]:
    """A part's words as compared: normalised, function words dropped, compass words in
    one form ("southwestern", "south-western" → "southwest")."""
    words = [
        _COMPASS.get(w, w)
        for w in normalize_value(_POSSESSIVE.sub("", part)).split()
        if w not in _FUNCTION
    ]
    merged: list[str] = []
    for word in words:
        if merged and merged[-1] in {"north", "south"} and word in {"east", "west"}:
            merged[-1] += word
        else:
            merged.append(word)
    return tuple(merged)


@lru_cache(maxsize=1 << 16)
def _parts(text: str) -> tuple[tuple[str, ...], ...]:
    """The value's parts (split at commas, semicolons, brackets, spaced dashes), each as
    its content words; parts with no content are dropped."""
    return tuple(part for part in map(_content, _PARTS.split(text)) if part)


@lru_cache(maxsize=1 << 16)
def value_key(text: str) -> str:
    """A hashable form that two agreeing values share: the first content word (or the
    normalised value when it has none: "", "the").

    Values with equal keys may still disagree ("Paris, France" and "Paris, Texas"):
    decide with `values_agree`. Agreeing values always have equal keys, so comparing
    within groups of one key finds every agreeing pair.
    """
    parts = _parts(text)
    return parts[0][0] if parts else normalize_value(text)


@lru_cache(maxsize=1 << 16)
def values_agree(a: str, b: str) -> bool:
    """Whether two literal values say the same, one perhaps more specifically.

    Their content words (function words dropped, compass words in one form) are the same,
    or the shorter's are the longer's first parts: "4526 43rd Street NW" agrees with
    "4526 43rd Street NW, Washington, DC 20016", not with "4526 43rd Street NW Suite 5"
    (not a part) nor "4516 43rd Street NW". Symmetric.
    """
    parts_a, parts_b = _parts(a), _parts(b)
    if not parts_a or not parts_b:
        return not parts_a and not parts_b and normalize_value(a) == normalize_value(b)
    words_a = tuple(w for part in parts_a for w in part)
    words_b = tuple(w for part in parts_b for w in part)
    if words_a == words_b:
        return True
    (shorter, _), (longer, longer_parts) = sorted(
        ((words_a, parts_a), (words_b, parts_b)), key=lambda pair: len(pair[0])
    )
    boundaries, total = set(), 0
    for part in longer_parts:
        total += len(part)
        boundaries.add(total)
    return len(shorter) in boundaries and longer[: len(shorter)] == shorter


def quantities_agree(
    a: tuple[float, str | None], b: tuple[float, str | None], tolerance: float | None = None
) -> bool | None:
    """Whether two (number, unit) quantities are the same amount, within *tolerance*
    after unit normalisation; None when their units cannot be compared (km and EUR)."""
    return amounts_agree(normalize_quantity(*a), normalize_quantity(*b), tolerance)


def amounts_agree(
    a: tuple[float, str | None], b: tuple[float, str | None], tolerance: float | None = None
) -> bool | None:
    """`quantities_agree` for amounts already in their base unit (`normalize_quantity`)."""
    (x, unit_a), (y, unit_b) = a, b
    if unit_a != unit_b:
        return None
    # isclose absorbs conversion noise (1.005 km -> 1004.9999999999999 m) at tolerance 0.
    return abs(x - y) <= (tolerance or 0.0) or math.isclose(x, y, rel_tol=1e-9)
