"""Mentions of the base's vocabulary in a text: entities by name, alias, possessive,
demonym and title + surname; predicates by their phrases, matched lemma by lemma.

Pure functions over plain data: the database layer builds a `Vocabulary` (see
`factbase.vocabulary.reading_vocabulary`) and passes it in. Matching is token-indexed —
one dict lookup per word of the text, whatever the size of the vocabulary — and follows one
convention: word boundaries, case-insensitive (except short all-capital aliases such as
"US", which must keep their case: "us" is a pronoun), longest match first, no two mentions
overlapping.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .demonyms import demonyms
from .lemmas import Token, derived_nouns, fold, lemma, tokens

# Words that stand before a person's name; after one of them a surname alone names the
# person ("President Karimov" → Islam Karimov) when no other person has that surname.
TITLES: tuple[str, ...] = (
    "President", "Vice President", "Prime Minister", "Deputy Prime Minister", "Minister",
    "Defence Minister", "Defense Minister", "Foreign Minister", "Interior Minister",
    "General", "Gen", "Lieutenant General", "Lt Gen", "Colonel General", "Colonel", "Col",
    "Major General", "Maj Gen", "Marshal", "Admiral", "Adm", "Captain", "Capt", "Major",
    "Mr", "Mrs", "Ms", "Dr", "Professor", "Prof", "Senator", "Sen", "Ambassador",
    "Chancellor", "King", "Queen", "Prince", "Princess", "Secretary", "Secretary of State",
    "Chairman", "Chairwoman", "Speaker", "Governor", "Mayor", "Judge", "Justice", "Deputy",
    "Chief", "Commander", "Sheikh", "Emir", "Sultan", "Pope", "Patriarch", "Father",
)  # fmt: skip
_SHORT_CAPS = 2  # all-capital aliases up to this length match only in capitals ("US")


@dataclass(frozen=True, slots=True)
class EntityName:
    """An entity as the reader sees it: id, canonical name, kind, aliases (name excluded)."""

    id: int
    name: str
    kind: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PredicateName:
    """A predicate with the phrases that state it ("withdrew from", "left")."""

    id: int
    name: str
    phrases: tuple[str, ...] = ()
    value_type: str = "any"
    kind: str = "state"


@dataclass(frozen=True, slots=True)
class Mention:
    """A stretch of text naming a vocabulary item: ``text == source[start:end]``.

    *via* says how: "name", "alias", "demonym", "surname" (after a title), "phrase" or
    "derived" (a phrase whose first word is stated as its noun: "withdrawal from");
    *possessive* that "'s" followed (not part of the span); *title* the title before it.
    """

    start: int
    end: int
    text: str
    kind: str  # "entity" | "predicate"
    id: int
    name: str
    via: str
    possessive: bool = False
    title: str | None = None


@dataclass(frozen=True, slots=True)
class _Entry:
    key: tuple[str, ...]
    kind: str
    id: int
    name: str
    via: str
    exact: str | None  # the alias, when it must match in its own case


@lru_cache(maxsize=1 << 16)
def _word_key(word: str) -> str:
    """A word as entity names match it: folded, possessive "'s" and plural "'" dropped."""
    folded = fold(word)
    if folded.endswith("'s") and len(folded) > 2:
        return folded[:-2]
    return folded.rstrip("'")


def _name_key(text: str) -> tuple[str, ...]:
    return tuple(_word_key(t.text) for t in tokens(text))


def _phrase_key(text: str) -> tuple[str, ...]:
    return tuple(lemma(t.text) for t in tokens(text))


def _short_caps(alias: str) -> bool:
    letters = alias.replace(".", "").replace(" ", "")
    return letters.isupper() and len(letters) <= _SHORT_CAPS


@dataclass
class Vocabulary:
    """Entities and predicates to look for, indexed once by their first word."""

    entities: Sequence[EntityName] = ()
    predicates: Sequence[PredicateName] = ()
    _index: dict[str, list[_Entry]] = field(init=False, repr=False)
    _phrases: dict[str, list[_Entry]] = field(init=False, repr=False)
    _surnames: dict[str, _Entry] = field(init=False, repr=False)
    _titles: set[tuple[str, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._index, self._phrases, self._surnames = {}, {}, {}
        countries = demonyms()
        surnames: dict[str, list[EntityName]] = {}
        index = self._index
        for entity in self.entities:
            names = [(entity.name, "name"), *((a, "alias") for a in entity.aliases)]
            for alias, _via in list(names):
                for form in countries.get(alias.casefold(), ()):
                    names.append((form, "demonym"))
            own = _name_key(entity.name)
            seen: set[tuple[str, ...]] = set()
            for alias, via in names:
                key = own if via == "name" else _name_key(alias)
                if not key or key in seen:  # name before alias before demonym
                    continue
                seen.add(key)
                exact = alias if _short_caps(alias) else None
                index.setdefault(key[0], []).append(
                    _Entry(key, "entity", entity.id, entity.name, via, exact)
                )
            if len(own) >= 2 and (entity.kind or "").casefold() == "person":
                surnames.setdefault(own[-1], []).append(entity)
        for surname, people in surnames.items():
            if len(people) == 1:
                person = people[0]
                self._surnames[surname] = _Entry(
                    (surname,), "entity", person.id, person.name, "surname", None
                )
        for predicate in self.predicates:
            for phrase in dict.fromkeys((predicate.name, *predicate.phrases)):
                key = _phrase_key(phrase)
                if not key:
                    continue
                entry = _Entry(key, "predicate", predicate.id, predicate.name, "phrase", None)
                self._phrases.setdefault(key[0], []).append(entry)
                for noun in derived_nouns(key[0]):
                    derived = (noun, *key[1:])
                    entry = _Entry(
                        derived, "predicate", predicate.id, predicate.name, "derived", None
                    )
                    self._phrases.setdefault(noun, []).append(entry)
        for table in (self._index, self._phrases):
            for entries in table.values():
                entries.sort(key=lambda e: -len(e.key))
        self._titles = {_name_key(title) for title in TITLES}


def _longest(
    words: list[str], raw: list[Token], table: dict[str, list[_Entry]], at: int
) -> _Entry | None:
    for entry in table.get(words[at], ()):
        n = len(entry.key)
        if tuple(words[at : at + n]) != entry.key:
            continue
        if entry.exact is not None and not _same_caps(raw[at : at + n], entry.exact):
            continue
        return entry
    return None


def _same_caps(found: list[Token], alias: str) -> bool:
    """Whether the words match a short all-capital alias in its case ("US", "U.S.")."""
    written = "".join(t.text for t in found)
    wanted = "".join(t.text for t in tokens(alias))
    return written in {wanted, wanted + "'s", wanted + "’s"}


def _title_before(words: list[str], at: int, titles: set[tuple[str, ...]]) -> int:
    """How many words before *at* form a title ("Prime Minister"), 0 if none."""
    for n in (3, 2, 1):
        if at - n >= 0 and tuple(words[at - n : at]) in titles:
            return n
    return 0


def _free(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return all(end <= a or start >= b for a, b in taken)


def _select(candidates: list[tuple[int, int, Mention]]) -> list[Mention]:
    """Longest first (in words, then characters), earlier first; none overlapping.

    Candidates span token positions ``[first, last)``; the positions already chosen are
    marked, so each candidate is checked in its own length, not against every choice.
    """
    chosen: list[tuple[int, int, Mention]] = []
    taken = bytearray(max((c[1] for c in candidates), default=0))
    for first, last, mention in sorted(
        candidates,
        key=lambda c: (-(c[1] - c[0]), -(c[2].end - c[2].start), c[2].kind != "predicate", c[0]),
    ):
        if not any(taken[first:last]):
            taken[first:last] = b"\x01" * (last - first)
            chosen.append((first, last, mention))
    return [m for _a, _b, m in sorted(chosen, key=lambda c: c[0])]


def _candidates(
    text: str,
    vocabulary: Vocabulary,
    kinds: set[str],
    exclude: Iterable[tuple[int, int]],
    words: list[Token] | None = None,
) -> list[tuple[int, int, Mention]]:
    raw = tokens(text) if words is None else words
    taken = list(exclude)
    if taken:
        raw = [t for t in raw if _free(t.start, t.end, taken)]
    names = [_word_key(t.text) for t in raw]
    phrases = [lemma(t.text) for t in raw] if "predicate" in kinds else []
    found: list[tuple[int, int, Mention]] = []
    for at in range(len(raw)):
        if "predicate" in kinds and (entry := _longest(phrases, raw, vocabulary._phrases, at)):
            found.append(_mention(text, raw, at, entry, None))
        if "entity" not in kinds:
            continue
        entry = _longest(names, raw, vocabulary._index, at)
        if entry is None and names[at] not in vocabulary._surnames:
            continue
        title = _title_before(names, at, vocabulary._titles)
        if entry is None and title:
            entry = vocabulary._surnames[names[at]]
        if entry is not None:
            shown = text[raw[at - title].start : raw[at - 1].end] if title else None
            found.append(_mention(text, raw, at, entry, shown))
    return found


def _mention(
    text: str, raw: list[Token], at: int, entry: _Entry, title: str | None
) -> tuple[int, int, Mention]:
    last = raw[at + len(entry.key) - 1]
    end, possessive = last.end, False
    if entry.kind == "entity" and fold(last.text).endswith("'s") and len(last.text) > 2:
        end, possessive = last.end - 2, True
    elif entry.kind == "entity" and last.end < len(text) and text[last.end] in "'’":
        possessive = True  # "Russians' demands"
    start = raw[at].start
    mention = Mention(
        start, end, text[start:end], entry.kind, entry.id, entry.name, entry.via, possessive, title
    )
    return at, at + len(entry.key), mention


def entity_mentions(
    text: str, vocabulary: Vocabulary, exclude: Iterable[tuple[int, int]] = ()
) -> list[Mention]:
    """The entities *text* names, in text order (skipping the character spans *exclude*)."""
    return _select(_candidates(text, vocabulary, {"entity"}, exclude))


def predicate_mentions(
    text: str, vocabulary: Vocabulary, exclude: Iterable[tuple[int, int]] = ()
) -> list[Mention]:
    """The predicate phrases *text* states ("withdrew from" finds "withdraw from")."""
    return _select(_candidates(text, vocabulary, {"predicate"}, exclude))


def mentions(
    text: str,
    vocabulary: Vocabulary,
    exclude: Iterable[tuple[int, int]] = (),
    words: list[Token] | None = None,
) -> list[Mention]:
    """Entities and predicates together: longest first across both, a predicate winning a
    tie of equal length, none overlapping, in text order. *words*, if given, must be
    `tokens(text)` (a caller that already has them saves tokenising twice)."""
    return _select(_candidates(text, vocabulary, {"entity", "predicate"}, exclude, words))
