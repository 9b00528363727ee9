"""Words and their lemmas: "withdrew" and "withdraw", "left" and "leave" are one word.

Lemmas come from lemminflect, whose lookup tables ship in its wheel (nothing is downloaded
at run time). A word can have several lemmas by part of speech ("leaves": leaf, leave); with
no tagger at hand, one order decides for every word alike (verb first), so a phrase and a
statement that use the same word always get the same lemma, which is what matching needs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

# A word: letters and digits, with inner apostrophes ("didn't", "Uzbekistan's") and inner
# dots or commas between digits ("1,700", "3.5"). Hyphens and other punctuation separate.
_WORD = re.compile(r"\d+(?:[.,]\d+)*(?![^\W_])|[^\W_]+(?:['’][^\W_]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
# Which lemma wins when lemminflect offers several parts of speech.
_ORDER = ("VERB", "AUX", "NOUN", "ADJ", "ADV", "PROPN", "PRON", "DET", "ADP", "CCONJ", "NUM")


class Token(NamedTuple):
    """A word of a text and where it stands: ``text[start:end] == token.text``.

    A named tuple, not a dataclass: a 5 kB document has ~900 of them and a frozen
    dataclass's constructor was the single costliest line of reading (bench_suggest).
    """

    text: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """The words of *text* with their character offsets."""
    return [Token(m.group(), *m.span()) for m in _WORD.finditer(text)]


def fold(word: str) -> str:
    """A word's case- and typography-insensitive form (straight apostrophes, case-folded)."""
    return word.translate(_APOSTROPHES).casefold()


@lru_cache(maxsize=1 << 16)
def lemma(word: str) -> str:
    """The lower-case lemma of one word; a word lemminflect does not know stays as it is.

    A possessive keeps its stem's lemma ("Uzbekistan's" → "uzbekistan"); contractions
    stay whole ("didn't": negation is cues.py's business).
    """
    folded = fold(word)
    if folded.endswith("'s") and len(folded) > 2:
        folded = folded[:-2]
    if not folded.isalpha():
        return folded
    from lemminflect import getAllLemmas

    found = getAllLemmas(folded)
    for tag in _ORDER:
        if tag in found and found[tag]:
            return found[tag][0]
    return folded


def lemmas(text: str) -> list[str]:
    """The lemma of each word of *text*, in order (aligned with `tokens(text)`)."""
    return [lemma(t.text) for t in tokens(text)]


def lemma_key(text: str) -> tuple[str, ...]:
    """The words of *text* as lemmas: the key under which two phrasings are one phrase."""
    return tuple(lemmas(text))


@lru_cache(maxsize=1 << 14)
def noun_lemma(word: str) -> str:
    """The singular of a noun, known or not ("servicemen" → "serviceman", "widgets" →
    "widget"): the unit of a count is compared in the singular."""
    from lemminflect import getAllLemmas, getAllLemmasOOV

    folded = fold(word)
    if not folded.isalpha():
        return folded
    found = getAllLemmas(folded).get("NOUN") or getAllLemmasOOV(folded, "NOUN").get("NOUN")
    return found[0] if found else folded


# Suffixes that make a noun of a verb ("withdraw" → "withdrawal", "ratify" → "ratification"):
# (ending the stem must have, what replaces it). A candidate counts only if lemminflect
# knows it as a noun and not as a verb of its own ("signal" is not "sign" + "al").
_NOMINALISERS = (
    ("", "al"), ("", "ment"), ("", "ure"), ("", "ation"), ("", "ion"), ("", "ition"),
    ("", "ance"), ("", "ence"), ("", "ship"), ("ify", "ification"), ("e", "al"),
    ("e", "ure"), ("e", "ation"), ("e", "ion"), ("e", "ition"),
)  # fmt: skip


@lru_cache(maxsize=1 << 12)
def derived_nouns(word: str) -> tuple[str, ...]:
    """Nouns made of the lemma *word* by a regular suffix, that lemminflect knows:
    a phrase "withdraw from" is also stated as "the withdrawal from"."""
    from lemminflect import getAllLemmas

    found = []
    for ending, suffix in _NOMINALISERS:
        if not word.endswith(ending) or len(word) - len(ending) < 3:
            continue
        candidate = word[: len(word) - len(ending)] + suffix
        known = getAllLemmas(candidate)
        if candidate in known.get("NOUN", ()) and candidate not in known.get("VERB", ()):
            found.append(candidate)
    return tuple(dict.fromkeys(found))
