"""Quantities as people write them: "42 million euros", "€42m", "some 130 servicemen",
"1,700", "nearly 500", "300–400", "four Japanese engineers", "thirteen".

The one number reader of factbase: `claim add --value` (`parse_quantity`), the check that a
quote states a claim's number (`numbers_in`), `verify`, `suggest` and the numeric rule
(`normalize_quantity`) all use it. Spelled-out numbers are read here rather than by
text2num because every quantity must keep its character offsets (and text2num refuses
"a hundred and thirty" and "nineteen ninety-six"). Units: currencies through the ISO 4217
table of `currencies.py`, physical units through pint, anything else is a count of the
noun that follows ("130 servicemen").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .currencies import currency
from .lemmas import noun_lemma
from .number_words import SMALL

_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# A scale written right after the digits ("€42m", "3bn", "40k") or as a word after them.
_SUFFIXES = {"k": 1e3, "mn": 1e6, "m": 1e6, "bn": 1e9, "tn": 1e12}
_HEDGES = (
    "more than", "less than", "fewer than", "at least", "at most", "up to", "as many as",
    "as much as", "close to", "just over", "just under", "an estimated", "some", "about",
    "around", "approximately", "roughly", "nearly", "almost", "over", "under", "circa",
    "estimated", "approx", "c", "~",
)  # fmt: skip
# Words that never end a unit after a number: "2005 in", "130 were".
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "and",
        "or",
        "but",
        "nor",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "their",
        "his",
        "her",
        "our",
        "my",
        "your",
        "there",
        "who",
        "whom",
        "which",
        "what",
        "than",
        "then",
        "per",
        "more",
        "less",
        "most",
        "least",
        "other",
        "such",
        "so",
        "not",
        "no",
        "yes",
        "if",
        "when",
        "while",
        "after",
        "before",
        "since",
        "until",
        "ago",
        "later",
        "earlier",
        "also",
        "all",
        "each",
        "every",
        "some",
        "any",
        "many",
        "much",
        "few",
        "one",
        "own",
        "same",
        "up",
        "down",
        "out",
        "off",
        "over",
        "under",
        "again",
        "further",
        "once",
        "here",
        "why",
        "how",
        "will",
        "would",
        "can",
        "could",
        "may",
        "might",
        "must",
        "shall",
        "should",
        "do",
        "does",
        "did",
        "am",
        "pm",
    ]
)
_SYMBOLS = "€$£¥₽₹₩₺₸₴"
_TOKEN = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[^\W\d_]+(?:['’][^\W\d_]+)*|[%~–—-]|["
    + _SYMBOLS
    + r"]|\S"
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?(?![\d-])")
_DASHES = {"-", "–", "—", "to"}
_NOT_UNITS = frozenset({"st", "nd", "rd", "th", "s", "x"})  # "43rd", "1990s", "4x4"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A quantity stated in a text: ``source[start:end] == text``.

    *value* is the number with its scale applied (42000000.0 for "€42m"); an interval
    ("300–400") has *value* None and its bounds in *low*/*high* (a single number has
    low == high == value). *unit* is an ISO 4217 code for money, "%" for percentages, the
    written unit for physical units ("km", pint reads it) and counts ("servicemen");
    *kind* says which ("currency", "percent", "physical", "count") or None for a bare
    number. *hedge* is the hedging word before it ("some", "nearly"), lower-case.
    *scale* is the factor the written digits were multiplied by (1e6 for "42 million").
    """

    start: int
    end: int
    text: str
    value: float | None
    low: float
    high: float
    unit: str | None = None
    unit_text: str | None = None
    hedge: str | None = None
    kind: str | None = None
    scale: float = 1.0


@dataclass(slots=True)
class _Tok:
    text: str
    start: int
    end: int
    low: str = field(init=False)  # case-folded, compared often

    def __post_init__(self) -> None:
        self.low = self.text.casefold()


@dataclass(slots=True)
class _Number:
    first: int  # token indexes, end exclusive
    last: int
    value: float
    scaled: bool = False
    scale: float = 1.0


def _tokens(text: str) -> list[_Tok]:
    dates = [m.span() for m in _ISO_DATE.finditer(text)]
    found = [_Tok(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    if dates:
        found = [t for t in found if not any(a <= t.start < b for a, b in dates)]
    return found


def _adjacent(toks: list[_Tok], i: int) -> bool:
    """Whether token i follows token i-1 without a space."""
    return 0 < i < len(toks) and toks[i].start == toks[i - 1].end


def _spaced(toks: list[_Tok], i: int, text: str) -> bool:
    """Whether token i follows token i-1 across whitespace only (same phrase)."""
    return 0 < i < len(toks) and not text[toks[i - 1].end : toks[i].start].strip()


def _spelled(toks: list[_Tok], i: int, text: str) -> _Number | None:
    """A spelled-out number starting at token i ("a hundred and thirty", "forty-two")."""
    j, total, current, seen, last_small = i, 0.0, 0.0, False, None
    if toks[i].low == "a" and i + 1 < len(toks) and toks[i + 1].low in {"hundred", *_SCALES}:
        j, current, seen = i + 1, 1.0, True  # "a hundred", "a million"
    end = j
    while j < len(toks):
        word = toks[j].low
        if j > i and word != "-" and not (_spaced(toks, j, text) or _hyphen_joined(toks, j)):
            break
        if word == "-" and j + 1 < len(toks) and _adjacent(toks, j) and _adjacent(toks, j + 1):
            j += 1
            continue
        if word in SMALL:
            value = SMALL[word]
            if (
                last_small is not None
                and 20 <= last_small <= 90
                and last_small % 10 == 0
                and (1 <= value <= 9)
            ):
                current += value  # "forty two", "forty-two"
            elif last_small is not None and total == 0 and 10 <= current <= 99 and value >= 10:
                current = current * 100 + value  # a year: "nineteen ninety-six"
            elif last_small is not None or (seen and current % 100 != 0 and total == 0):
                break
            else:
                current += value
            last_small, seen, end = current % 100, True, j + 1
        elif word == "hundred" and seen:
            current = (current or 1) * 100
            last_small, end = None, j + 1
        elif word in _SCALES and seen:
            total += (current or 1) * _SCALES[word]
            current, last_small, end = 0.0, None, j + 1
        elif (
            word == "and"
            and seen
            and last_small is None
            and j + 1 < len(toks)
            and (toks[j + 1].low in SMALL)
        ):
            pass  # "a hundred and thirty"
        else:
            break
        j += 1
    if not seen or end == i or (end == i + 1 and toks[i].low == "a"):
        return None
    return _Number(i, end, total + current)


def _hyphen_joined(toks: list[_Tok], j: int) -> bool:
    return _adjacent(toks, j) and toks[j - 1].text == "-"


def _digits(toks: list[_Tok], i: int) -> _Number | None:
    token = toks[i]
    if not token.text[0].isdigit() or (_adjacent(toks, i) and toks[i - 1].text[-1].isalnum()):
        return None  # not a number, or the tail of a code ("4x4", "A4")
    number = _Number(i, i + 1, float(token.text.replace(",", "")))
    if _adjacent(toks, i + 1) and toks[i + 1].text[0].isalpha():
        suffix = toks[i + 1].low
        if suffix in _SUFFIXES:
            return _Number(i, i + 2, number.value * _SUFFIXES[suffix], True, _SUFFIXES[suffix])
        if suffix in _NOT_UNITS or _physical(toks[i + 1].text) is None:
            return None  # "43rd", "1990s", "4x4": not a quantity
    return number


def _number(toks: list[_Tok], i: int, text: str) -> _Number | None:
    found = _digits(toks, i) or _spelled(toks, i, text)
    if found is None:
        return None
    j = found.last
    if not found.scaled and j < len(toks) and _spaced(toks, j, text):
        word = toks[j].low
        scale = _SCALES.get(word) or (_SUFFIXES[word] if word in {"mn", "bn"} else None)
        if scale:
            return _Number(found.first, j + 1, found.value * scale, True, scale)
    return found


@lru_cache(maxsize=1)
def _registry() -> Any:
    import pint

    return pint.UnitRegistry()


_PREFIXES = ("kilo", "centi", "milli", "mega", "giga", "k", "c", "m", "M", "G")
_UNIT_MODIFIERS = frozenset({"square", "sq", "cubic", "cu", "metric", "nautical"})


def _defined(word: str) -> bool:
    """Whether pint defines *word* as a unit, its plural, or a common prefix + unit.

    pint alone reads too much: any prefix + unit + plural, so "units" is a micro-nit.
    """
    names = _registry()._units
    for form in dict.fromkeys((word, word.removesuffix("s"), word.removesuffix("es"))):
        if form in names or any(
            form.startswith(prefix) and form[len(prefix) :] in names for prefix in _PREFIXES
        ):
            return True
    return False


@lru_cache(maxsize=4096)
def _physical(unit: str) -> tuple[float, str] | None:
    """A physical unit in its base units ("km" → (1000.0, "m")), or None.

    Read by pint; a word that is also an English function word ("in" is an inch to pint,
    "at" an atmosphere) is not a unit, nor is a dimensionless one.
    """
    spelled = " ".join(unit.split())
    if not spelled or spelled.casefold() in _STOP or not re.fullmatch(r"[^\W\d_][\w ]*", spelled):
        return None
    *modifiers, last = spelled.split()
    if any(m.casefold() not in _UNIT_MODIFIERS for m in modifiers):
        return None
    if not (_defined(last) or _defined(last.lower())):
        return None
    registry = _registry()
    for candidate in dict.fromkeys(
        (spelled, spelled.lower(), spelled.replace(" ", "_").lower(), spelled.lower().rstrip("s"))
    ):
        try:
            quantity = registry.Quantity(1.0, registry.parse_units(candidate))
        except Exception:  # pint raises many kinds for a word that is not a unit
            continue
        if quantity.dimensionless:
            return None
        base = quantity.to_base_units()
        return float(base.magnitude), f"{base.units:~}"
    return None


def _is_noun(word: str) -> bool:
    """A word that can end a count's unit: a noun, not a verb's past form ("left")."""
    from lemminflect import getAllLemmas

    low = word.casefold()
    if low in _STOP or not low.isalpha():
        return False
    found = getAllLemmas(low)
    if "NOUN" not in found:
        return False
    verb = found.get("VERB")
    return not verb or low in verb or low.endswith("s")


def _is_modifier(word: str) -> bool:
    """A word that may stand between a number and its noun: "Japanese", "military"."""
    from lemminflect import getAllLemmas

    low = word.casefold()
    if low in _STOP or not word.isalpha():
        return False
    return word[0].isupper() or "ADJ" in getAllLemmas(low)


def _unit(toks: list[_Tok], j: int, text: str, year_like: bool) -> tuple[int, str, str, str] | None:
    """The unit after token j-1: (end token, unit, written unit, kind), or None."""
    if j < len(toks) and toks[j].text == "%" and not text[toks[j - 1].end : toks[j].start].strip():
        return j + 1, "%", "%", "percent"
    words: list[_Tok] = []
    k = j
    while k < len(toks) and len(words) < 3 and _spaced(toks, k, text) and toks[k].text.isalpha():
        words.append(toks[k])
        k += 1
    if not words and j < len(toks) and _adjacent(toks, j) and toks[j].text[0].isalpha():
        words = [toks[j]]
    for n in range(len(words), 0, -1):
        written = text[words[0].start : words[n - 1].end]
        if code := currency(written):
            return j + n, code, written, "currency"
    for n in range(len(words), 0, -1):
        written = text[words[0].start : words[n - 1].end]
        if " ".join(written.casefold().split()) in {"percent", "per cent", "pct"}:
            return j + n, "%", written, "percent"
    for n in (2, 1):
        if len(words) >= n:
            written = text[words[0].start : words[n - 1].end]
            if _physical(written) is not None and (n == 2 or _unit_word(words[0].text)):
                return j + n, written, written, "physical"
    for n in range(len(words), 0, -1):
        if year_like and (n > 1 or words[0].text[0].isupper()):
            continue  # "in 1999 Uzbekistan left": a year counts nothing
        if _is_noun(words[n - 1].text) and all(_is_modifier(w.text) for w in words[: n - 1]):
            written = text[words[0].start : words[n - 1].end]
            return j + n, written, written, "count"
    return None


def _unit_word(word: str) -> bool:
    """A single word that may be a physical unit: an abbreviation or a noun ("miles")."""
    from lemminflect import getAllLemmas

    found = getAllLemmas(word.casefold())
    return not found or "NOUN" in found


def _prefix_currency(toks: list[_Tok], i: int) -> tuple[int, str] | None:
    """A currency written before the number at token i ("€", "US$", "EUR"): (first, code)."""
    for n in (2, 1):
        first = i - n
        if first < 0:
            continue
        written = "".join(t.text for t in toks[first:i])
        if not all(_adjacent(toks, k) for k in range(first + 1, i)):
            continue
        if (code := currency(written)) and (written[-1] in _SYMBOLS or written.isupper()):
            return first, code
    return None


def _hedge(toks: list[_Tok], first: int) -> tuple[int, str] | None:
    for hedge in _HEDGES:
        words = hedge.split()
        start = first - len(words)
        if start >= 0 and [t.low for t in toks[start:first]] == words:
            return start, hedge
    return None


def quantities(text: str) -> list[Quantity]:
    """Every quantity *text* states, in text order, none overlapping."""
    toks = _tokens(text)
    found: list[Quantity] = []
    i = 0
    while i < len(toks):
        token = toks[i]
        if not (token.text[0].isdigit() or token.low in SMALL or token.low == "a"):
            i += 1  # no number starts here (most words): skip the full reading
            continue
        read = _read(toks, i, text)
        if read is None:
            i += 1
            continue
        quantity, i = read
        found.append(quantity)
    return found


def _read(toks: list[_Tok], i: int, text: str) -> tuple[Quantity, int] | None:
    number = _number(toks, i, text)
    if number is None:
        return None
    first, end = number.first, number.last
    prefix = _prefix_currency(toks, first)
    low = high = number.value
    scale = number.scale
    between = first > 0 and toks[first - 1].low == "between"
    # An interval: "300–400", "300 to 400", "between 300 and 400", "$3-4 million".
    if end + 1 < len(toks) and (toks[end].low in _DASHES or (between and toks[end].low == "and")):
        second = _number(toks, end + 1, text)
        if second is not None and second.value >= number.value:
            if second.scaled and not number.scaled and number.value * second.scale <= second.value:
                low = number.value * second.scale
            scale = second.scale if second.scaled else scale
            high, end = second.value, second.last
    unit: tuple[int, str, str, str] | None = None
    if prefix is None:
        year_like = (
            low == high and not number.scaled and toks[first].text.isdigit() and 1000 <= low <= 2100
        )
        unit = _unit(toks, end, text, year_like)
    start_token = prefix[0] if prefix else first
    hedge = _hedge(toks, start_token)
    if between:
        start_token = first - 1
    elif hedge:
        start_token = hedge[0]
    last = unit[0] if unit else end
    start, stop = toks[start_token].start, toks[last - 1].end
    code, written, kind = (
        (prefix[1], text[toks[prefix[0]].start : toks[first].start], "currency")
        if prefix
        else (unit[1:] if unit else (None, None, None))
    )
    quantity = Quantity(
        start=start,
        end=stop,
        text=text[start:stop],
        value=low if low == high else None,
        low=low,
        high=high,
        unit=code,
        unit_text=written,
        hedge=hedge[1] if hedge else None,
        kind=kind,
        scale=scale,
    )
    return quantity, last


def parse_quantity(text: str) -> Quantity | None:
    """The quantity *text* is, when it is one and nothing else ("42 million euros", "130
    servicemen", "€42m"); None otherwise. A hedge or an interval is not one value."""
    stripped = text.strip()
    found = quantities(stripped)
    if len(found) != 1 or found[0].value is None or found[0].hedge:
        return None
    quantity = found[0]
    if (quantity.start, quantity.end) != (0, len(stripped)):
        rest = stripped[quantity.end :].strip()
        if quantity.start != 0 or not rest or quantity.kind in {"currency", "percent"}:
            return None
        # "130 Russian servicemen in Uzbekistan", "4526 43rd Street": the unit is what
        # follows the number.
        if quantity.unit_text:
            rest = stripped[quantity.end - len(quantity.unit_text) :]
        return Quantity(0, len(stripped), stripped, quantity.value, quantity.low, quantity.high,
                        rest, rest, None, "count", quantity.scale)  # fmt: skip
    return quantity


def parse_number_words(text: str) -> float | None:
    """The number *text* writes or spells, when it is that and nothing else ("three",
    "forty-two", "a hundred and thirty", "1,700", "2 million"); None otherwise. For the
    count of a time expression ("three weeks ago"), so time has no number reader of its own.
    """
    stripped = text.strip()
    toks = _tokens(stripped)
    if not toks:
        return None
    number = _number(toks, 0, stripped)
    return number.value if number is not None and number.last == len(toks) else None


def numbers_in(text: str) -> set[float]:
    """Every number the text states, both as written and scaled ("45 million" gives 45
    and 45000000); interval bounds count, thousands separators are read."""
    found: set[float] = set()
    for quantity in quantities(text):
        for number in {quantity.low, quantity.high}:
            found |= {number, number / quantity.scale}
    return found


def states_number(text: str, *numbers: float) -> bool:
    """Whether the text states any of `numbers` (e.g. a value and its scaled form)."""
    found = numbers_in(text)
    return any(math.isclose(n, f, rel_tol=1e-9) for n in numbers for f in found)


@lru_cache(maxsize=1 << 12)
def normalize_quantity(number: float, unit: str | None) -> tuple[float, str | None]:
    """*number* in its base unit, so that 42 "million euros" == 42000000 "EUR" and
    1.5 "km" == 1500 "m".

    Leading scale words multiply; a currency becomes its ISO code, a percentage "%", a
    physical unit its base units (pint); a count is its words in the singular
    ("servicemen" → "serviceman"). A bare count ("5 million") has the base unit None.
    """
    words = (unit or "").replace("%", " percent ").split()
    factor = 1.0
    while words and words[0].casefold() in {*_SCALES, "mn", "bn"}:
        word = words.pop(0).casefold()
        factor *= _SCALES.get(word) or _SUFFIXES[word]
    if not words:
        return number * factor, None
    written = " ".join(words)
    if code := currency(written):
        return number * factor, code
    if written.casefold() in {"percent", "per cent", "pct"}:
        return number * factor, "%"
    if physical := _physical(written):
        return number * factor * physical[0], physical[1]
    counted = " ".join(noun_lemma(word) for word in re.findall(r"[^\W_]+", written.casefold()))
    return number * factor, counted or written.casefold()
