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
        "will 'll shall wo won't gonna scheduled upcoming coming next slated forecast "
        "predicted projected tomorrow expected expects expecting would"
    )
)
# announce the future only before "to" ("plans to", "set to", "due to"… is a cause, so not)
_FUTURE_BEFORE_TO = frozenset(
    word_list(
        "going plans plan planning planned expect set aims aim intends intend "
        "intended hopes hope hoped supposed poised ready agreed promised vowed"
    )
)
_AUXILIARIES = frozenset(word_list("is are am was were be been being has have had do does did"))
_PRESENT = frozenset(word_list("is are am says say does do isn't aren't"))
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
# -ed words that are not past forms of a verb
_NOT_PAST = frozenset(word_list("need red bed united hundred indeed speed seed feed proceed embed"))
_DETERMINERS = frozenset(word_list("a an the its their his her our this that these those still"))
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def tense_of(sentence: str, expression: str) -> Tense:
    """The tense of the verb nearest to *expression* in *sentence* (present if none).

    Distances count words. An auxiliary gives way to the verb after it ("were planning",
    "will be named"), and "plans", "set", "hopes"… announce the future only before "to".
    """
    lower = sentence.lower()
    where = lower.find(expression.lower().strip())
    if where < 0:
        where = len(lower)
    stop = where + len(expression)
    words = [(m.start(), m.group()) for m in _WORD.finditer(lower)]
    first = sum(1 for position, _ in words if position < where)  # index of the expression
    after = sum(1 for position, _ in words if position < stop)  # index just after it
    plain = [word for _, word in words]
    if first and plain[first - 1] == "since":
        return "past"  # "since March": a time before the sentence's now
    best: tuple[int, int, Tense] | None = None
    for i, _word in enumerate(plain):
        if first <= i < after:
            continue  # the expression's own words ("next week", "last year") say nothing
        tense = _cue(plain, i)
        if tense is None:
            continue
        before = i < first
        distance = first - i if before else i - after + 1
        rank = (distance, 0 if before else 1, tense)
        if best is None or rank[:2] < best[:2]:
            best = rank
    return "present" if best is None else best[2]


def _cue(words: list[str], i: int) -> Tense | None:
    word = words[i]
    previous = words[i - 1] if i else ""
    following = words[i + 1] if i + 1 < len(words) else ""
    if word in _AUXILIARIES and following and _cue(words, i + 1) is not None:
        return None  # the main verb after it decides
    if word in _FUTURE or (word in _FUTURE_BEFORE_TO and following == "to"):
        return "future"
    participle = len(word) > 4 and word.endswith("ed") and word not in _NOT_PAST
    if word in _PAST or participle:
        if previous in ("be", "being"):
            return None  # a passive after a modal: "will be named", "would be paid"
        if participle and (previous in _DETERMINERS or previous.endswith("ly")):
            return None  # an adjective: "an unspecified date", "the hastily planned trip"
        return "past"
    if word in _PRESENT:
        return "present"
    return None
