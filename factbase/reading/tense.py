"""The tense a sentence puts a time expression in: past, present or future.

A phrase like "Friday" or "June 17" names a date without saying which one; news text
settles it with the verb: "said Friday" is the Friday before the article, "will meet
Friday" the one after. The verb nearest to the expression decides (reporting verbs two
clauses away are common: "said Friday that he would seek…"), so the cue closest to the
expression wins, the one before it on a tie. Word lists, not a tagger: deterministic,
instant, and no model to download.
"""

from __future__ import annotations

import re
from typing import Literal


def word_list(text: str) -> list[str]:
    """A word list written as one string: "|"-separated when its entries have spaces."""
    return text.split("|") if "|" in text else text.split()


Tense = Literal["past", "present", "future"]

_FUTURE = frozenset(
    word_list(
        "will 'll shall wo won't going gonna scheduled schedule plans plan "
        "planned planning expected expects expect expecting due set aims aim "
        "intends intend intended hopes hoped would could might may upcoming "
        "coming next supposed slated poised ready forecast predicted projected "
        "tomorrow"
    )
)
_PRESENT = frozenset(["is", "are", "am", "says", "say", "does", "do", "isn't", "aren't"])
_PAST = frozenset(
    word_list(
        "was were had did said told met made took came went gave got began rose "
        "fell won lost left found held sold bought paid sent spent led struck "
        "broke ran saw knew thought brought fought caught taught became grew drew "
        "threw wrote spoke chose shot hit quit hung fled sank stood understood "
        "kept meant felt built dealt ate slid sought swore tore wore woke hid "
        "flew forgot froze rode rang sang drove shook stole sat lay wasn't "
        "weren't didn't hadn't has have hasn't haven't been yesterday ago earlier "
        "last"
    )
)
# -ed words that are not past forms of a verb, or that announce the future
_NOT_PAST = frozenset(
    ["need", "red", "bed", "united", "hundred", "indeed", "speed", "seed", "feed", "proceed"]
)
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def tense_of(sentence: str, expression: str) -> Tense:
    """The tense of the verb nearest to *expression* in *sentence* (present if none)."""
    lower = sentence.lower()
    words = [(m.start(), m.group()) for m in _WORD.finditer(lower)]
    where = lower.find(expression.lower().strip())
    if where < 0:
        where = len(lower)
    stop = where + len(expression)
    best: tuple[int, int, Tense] | None = None
    for position, word in words:
        if where <= position < stop:
            continue  # the expression's own words ("next week", "last year") say nothing
        tense = _cue(word)
        if tense is None:
            continue
        before = position < where
        distance = where - position if before else position - stop
        rank = (distance, 0 if before else 1, tense)
        if best is None or rank[:2] < best[:2]:
            best = rank
    return "present" if best is None else best[2]


def _cue(word: str) -> Tense | None:
    if word in _FUTURE:
        return "future"
    if word in _PAST:
        return "past"
    if word in _PRESENT:
        return "present"
    if len(word) > 4 and word.endswith("ed") and word not in _NOT_PAST:
        return "past"
    return None
