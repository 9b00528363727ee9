"""Cues of a sentence or clause: is it denied, reported, hedged or planned, and who says so.

Words are matched by lemma, so "refused to", "refuses to" and "refusing to" are one cue.
Negation counts: an odd number of negation cues negates ("did not rule out" is no denial,
it leaves the possibility open, and reads as hedged). Modality: hedged ("may",
"reportedly") wins over planned ("will", "plans to"), which wins over reported ("said",
"according to"); none is "asserted". Attribution: "according to X", "X said", ", said X".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .lemmas import Token, fold, lemma, tokens

NEGATION: tuple[tuple[str, ...], ...] = (
    ("no", "longer"), ("rule", "out"), ("yet", "to"), ("refuse", "to"), ("fail", "to"),
    ("decline", "to"), ("not",), ("never",), ("deny",), ("no",), ("cannot",), ("neither",),
    ("nor",),
)  # fmt: skip
REPORTED: tuple[tuple[str, ...], ...] = (
    ("according", "to"), ("say",), ("tell",), ("state",), ("announce",), ("claim",),
    ("report",), ("declare",), ("quote",), ("confirm",), ("insist",), ("assert",),
)  # fmt: skip
HEDGED: tuple[tuple[str, ...], ...] = (
    ("be", "believe", "to"), ("appear", "to"), ("seem", "to"), ("may",), ("might",),
    ("could",), ("reportedly",), ("apparently",), ("allegedly",), ("possibly",),
    ("probably",), ("perhaps",), ("likely",), ("reported",),
)  # fmt: skip
PLANNED: tuple[tuple[str, ...], ...] = (
    ("plan", "to"), ("intend", "to"), ("be", "expect", "to"), ("be", "due", "to"),
    ("be", "schedule", "to"), ("aim", "to"), ("be", "go", "to"), ("will",), ("shall",),
    ("'ll",),
)  # fmt: skip
# Verbs after which the words before them (to the clause start) are the source.
_SPEAKING = frozenset(
    {"say", "tell", "state", "announce", "claim", "declare", "insist", "deny", "confirm"}
)
_PRONOUNS = frozenset({"it", "he", "she", "they", "we", "i", "you", "this", "that"})
_CLAUSE_END = frozenset(',;:.!?()"“”')
_MAX_SOURCE = 8  # words


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue word or phrase: ``source[start:end] == text``; kind is "negation",
    "reported", "hedged" or "planned"."""

    start: int
    end: int
    text: str
    kind: str


@dataclass(frozen=True, slots=True)
class Cues:
    """What the cues of a text say: polarity, modality and the source's words."""

    negated: bool = False
    modality: str = "asserted"  # "asserted" | "reported" | "hedged" | "planned"
    attributed_to: str | None = None
    attribution: tuple[int, int] | None = None  # where attributed_to stands in the text
    cues: tuple[Cue, ...] = ()


def _lemmas(found: list[Token]) -> list[str]:
    """Lemmas, with "didn't" as "do" + "not" folded into one "not" token."""
    out = []
    for token in found:
        folded = fold(token.text)
        if folded.endswith("n't") or folded in {"cannot", "can't"}:
            out.append("not")
        elif folded == "'ll" or folded.endswith("'ll"):
            out.append("'ll")
        else:
            out.append(lemma(token.text))
    return out


@cache
def _keyed(table: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """A cue table in the lemmas texts are read in ("no longer" → ("no", "long")), by
    first word, longest phrase first."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in {tuple(_lemmas(tokens(" ".join(phrase)))) for phrase in table}:
        by_first.setdefault(phrase[0], []).append(phrase)
    return {w: tuple(sorted(p, key=len, reverse=True)) for w, p in by_first.items()}


_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "his", "her",
                          "its", "their", "our", "my", "your", "no", "every", "each"})  # fmt: skip
_MODALS = frozenset({"may", "might", "will", "shall", "could"})


def _find(
    words: list[str], found: list[Token], text: str, table: tuple[tuple[str, ...], ...], kind: str
) -> list[Cue]:
    cues: list[Cue] = []
    index = _keyed(table)
    at = 0
    while at < len(words):
        for phrase in index.get(words[at], ()):
            n = len(phrase)
            if tuple(words[at : at + n]) != phrase:
                continue
            if n == 1 and at > 0 and fold(found[at - 1].text) in _DETERMINERS:
                continue  # a noun: "the report", "the will of the people"
            if phrase[0] in _MODALS and at > 0 and found[at].text[0].isupper():
                continue  # "in May", "Will Smith"
            start, end = found[at].start, found[at + n - 1].end
            cues.append(Cue(start, end, text[start:end], kind))
            at += n - 1
            break
        at += 1
    return cues


def _source_before(text: str, found: list[Token], at: int) -> tuple[int, int] | None:
    """The words before token *at* back to the clause start ("Ivanov said" → "Ivanov")."""
    first = at
    while first > 0 and at - first < _MAX_SOURCE:
        gap = text[found[first - 1].end : found[first].start]
        if any(char in _CLAUSE_END for char in gap) or fold(found[first - 1].text) in {
            "that", "and", "but", "as",
        }:  # fmt: skip
            break
        first -= 1
    if first == at:
        return None
    return found[first].start, found[at - 1].end


def _source_after(text: str, found: list[Token], at: int) -> tuple[int, int] | None:
    """The words after token *at* to the clause end ("according to the ministry,")."""
    last = at
    while last + 1 < len(found) and last + 1 - at <= _MAX_SOURCE:
        gap = text[found[last].end : found[last + 1].start]
        if any(char in _CLAUSE_END for char in gap) or fold(found[last + 1].text) == "that":
            break
        last += 1
    if last < at or at >= len(found):
        return None
    return found[at].start, found[last].end


def _attribution(
    text: str, found: list[Token], words: list[str], reported: list[Cue]
) -> tuple[int, int] | None:
    starts = starts_of(found)
    for cue in reported:
        at = starts[cue.start]
        if fold(found[at].text) == "according":
            return _source_after(text, found, at + 2)
        if words[at] not in _SPEAKING:
            continue
        before = text[: cue.start].rstrip()
        if before.endswith(","):  # "..., said Ivashov."
            after = _source_after(text, found, at + 1)
            if after:
                return after
        source = _source_before(text, found, at)
        if source and fold(text[source[0] : source[1]]) not in _PRONOUNS:
            return source
    return None


def starts_of(found: list[Token]) -> dict[int, int]:
    """Token index by start offset."""
    return {t.start: i for i, t in enumerate(found)}


def read_cues(text: str) -> Cues:
    """The cues of one sentence or clause."""
    found = tokens(text)
    words = _lemmas(found)
    negation = _find(words, found, text, NEGATION, "negation")
    reported = _find(words, found, text, REPORTED, "reported")
    hedged = _find(words, found, text, HEDGED, "hedged")
    planned = _find(words, found, text, PLANNED, "planned")
    # "did not rule out": two negations, a possibility left open.
    negated = len(negation) % 2 == 1
    modality = "asserted"
    if hedged or (negation and not negated):
        modality = "hedged"
    elif planned:
        modality = "planned"
    elif reported:
        modality = "reported"
    denials = [c for c in negation if words[starts_of(found)[c.start]] == "deny"]
    source = _attribution(text, found, words, sorted([*reported, *denials], key=lambda c: c.start))
    return Cues(
        negated=negated,
        modality=modality,
        attributed_to=text[source[0] : source[1]] if source else None,
        attribution=source,
        cues=tuple(sorted([*negation, *reported, *hedged, *planned], key=lambda c: c.start)),
    )
