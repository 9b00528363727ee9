"""Read a document into claim suggestions: pure functions, no database.

A document is cut into sentences and clauses with exact offsets (``text[start:end]`` is
always the quote). In each sentence the reading layer finds the vocabulary's predicate
phrases and entities (`mentions`), quantities (`numbers`), time expressions (`timex`)
and negation, modality and attribution (`cues`); around each predicate phrase the
entities, literal or quantity that fit the predicate's declared value type fill the
subject and object roles. Every reading gets a score, and the readings of a sentence
come best first, each with the alternatives a reviewer may pick instead.

The rules are general on purpose (word order, distance, clause boundaries, the
predicate's value type, the kinds of entities that already fill a role in the base):
nothing here knows the seed corpus.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date

from ..errors import FactbaseError
from . import cues as cue_reader
from . import mentions as mention_reader
from . import numbers as number_reader
from .lemmas import Token, lemma, tokens
from .mentions import Mention, Vocabulary
from .timex import TimeQualifier, parse_time

__all__ = [
    "Proposal",
    "RoleKinds",
    "Vocabulary",
    "read_document",
    "read_documents",
    "read_span",
    "sentences",
]

# Role fit learned from the base: predicate name → (subject kinds, object kinds) with
# how often each kind fills the role. Empty when the base has no claims yet.
RoleKinds = Mapping[str, tuple[Mapping[str, int], Mapping[str, int]]]

PER_SENTENCE = 6  # readings kept per sentence, best first
_NEW_ENTITY_FACTOR = 0.6  # a proper name outside the vocabulary is a weaker reading
_MAX_VALUE_WORDS = 14


@dataclass(frozen=True)
class Proposal:
    """One reading of a passage as a claim (the SUGGESTION shape, before it is stored)."""

    start: int
    end: int
    quote: str
    text: str
    subject: str
    predicate: str
    object: str | None = None
    value: str | float | None = None
    unit: str | None = None
    when: TimeQualifier | None = None
    negated: bool = False
    modality: str = "asserted"
    attributed_to: str | None = None
    score: float = 0.0
    new_entities: tuple[str, ...] = ()
    alternatives: dict[str, list[str]] = field(default_factory=dict)


# Sentences -------------------------------------------------------------------------------

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "adm",
        "cmdr",
        "gov",
        "sen",
        "rep",
        "st",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "no",
        "nos",
        "vol",
        "vols",
        "pp",
        "fig",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "vs",
        "etc",
        "al",
        "approx",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
    ]
)
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n\s*\n|\n(?=\s*[A-Z“\"])")
_CLAUSE_BREAK = re.compile(
    r";\s|:\s|\s[–—]\s|\s--?\s|,\s(?=(?:but|while|whereas|although|having|being)\b|\w+ing\b)"
)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """`start:end` without the whitespace around it (a selection's quote)."""
    return _trim(text, start, end)


def _abbreviation_before(text: str, at: int) -> bool:
    """Whether the full stop at `at` closes an abbreviation or an initial ("J. Smith")."""
    if text[at] != ".":
        return False
    word = re.search(r"([\w.]+)$", text[max(0, at - 12) : at])
    if not word:
        return False
    stem = word.group(1).lower()
    return stem in _ABBREVIATIONS or (len(stem) == 1 and stem.isalpha())


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence offsets in `text[start:end]`, each trimmed and non-empty.

    A sentence ends at ".", "!", "?" (with closing quotes or brackets) before whitespace,
    unless the stop closes an abbreviation or an initial, or the next word starts in lower
    case; a blank line, or a line break before a capital, ends one too (headings, lists).
    """
    end = len(text) if end is None else end
    found: list[tuple[int, int]] = []
    begin = start
    for match in _END.finditer(text, start, end):
        stop = match.end()
        if text[match.start()] not in "\n":
            if _abbreviation_before(text, match.start()):
                continue
            following = text[stop:end].lstrip()
            if following[:1].islower():
                continue
        piece = _trim(text, begin, stop)
        if piece[1] > piece[0]:
            found.append(piece)
        begin = stop
    piece = _trim(text, begin, end)
    if piece[1] > piece[0]:
        found.append(piece)
    return found


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of the sentence `text[start:end]`: cut at ";", ":", a spaced dash (or
    "--") and
    a comma before "but"/"while"/"whereas"/"although" or a participle ("…, having left
    it"); each trimmed and non-empty."""
    found: list[tuple[int, int]] = []
    begin = start
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        piece = _trim(text, begin, match.start() + 1)
        if piece[1] > piece[0]:
            found.append(piece)
        begin = match.end()
    piece = _trim(text, begin, end)
    if piece[1] > piece[0]:
        found.append(piece)
    return found or [(start, end)]


# Time expressions -------------------------------------------------------------------------

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_COUNT = (
    r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a few"
    r"|\d+)"
)
_UNIT = r"(?:days?|weeks?|months?|years?|decades?|centur(?:y|ies))"
_SEASON = r"(?:spring|summer|autumn|fall|winter)"
_YEAR = r"(?:1[0-9]|20)\d\d"
_DAYS = r"\d{1,2}(?:\s*[-–]\s*\d{1,2})?"
_TIME = re.compile(
    "|".join(
        [
            rf"\b(?:(?:early|late|mid)[- ])?{_MONTH}\s+{_DAYS}(?:st|nd|rd|th)?(?:,?\s+{_YEAR})?\b",
            rf"\b{_DAYS}\s+{_MONTH}(?:,?\s+{_YEAR})?\b",
            rf"\b(?:(?:early|late|mid)[- ])?{_MONTH},?\s+{_YEAR}\b",
            rf"\b(?:(?:early|late|mid)[- ])?{_SEASON}(?:\s+of)?\s+{_YEAR}\b",
            rf"\b(?:in\s+)?(?:the\s+)?(?:last|past|next|coming)\s+{_COUNT}\s+{_UNIT}\b",
            rf"\b{_COUNT}\s+{_UNIT}\s+(?:ago|earlier|later)\b",
            r"\b(?:earlier|later)\s+this\s+(?:week|month|year)\b",
            rf"\b(?:this|last|next|the\s+previous|the\s+following)\s+(?:{_SEASON}|week|month"
            rf"|year|decade|century|{_MONTH}|weekend)\b",
            r"\b(?:yesterday|today|tomorrow)\b",
            rf"\b{_YEAR}\s*[-–/]\s*(?:{_YEAR}|\d\d)\b",
            rf"\b(?:the\s+)?{_YEAR}s\b",
            rf"(?<![\w,.-]){_YEAR}(?![\w-]|[.,]\d)",
            r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
        ]
    ),
    re.IGNORECASE,
)
_LATEST_YEAR = date.today().year + 50
# Every shape of _TIME holds a digit or one of these stems: a sentence with none of them
# has no time expression, and this test is far cheaper than the full pattern.
_TIME_HINT = re.compile(
    r"\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|spring|summer|autumn|fall|winter"
    r"|day|week|month|year|decade|centur|tomorrow",
    re.IGNORECASE,
)


def times(
    text: str, start: int, end: int, anchor: date | None, precision: str
) -> list[tuple[int, int, TimeQualifier]]:
    """Time expressions of `text[start:end]` that the resolver understands, in order.

    The spans are candidates by shape (a month and day, a year, "last year"...); only
    those `timex` resolves — against the document date, with the sentence as context —
    are kept, so a phrase it cannot place is left out rather than guessed.
    """
    context = text[start:end]
    found: list[tuple[int, int, TimeQualifier]] = []
    if not _TIME_HINT.search(context):
        return found
    for match in _TIME.finditer(text, start, end):
        expr = match.group()
        try:
            qualifier = parse_time(expr, anchor, precision, context=context)
        except (FactbaseError, ValueError, OverflowError):
            continue
        if qualifier.earliest.year >= 1000 and qualifier.latest.year <= _LATEST_YEAR:
            found.append((match.start(), match.end(), qualifier))
    return found


# Proper names outside the vocabulary -----------------------------------------------------

_NAME = re.compile(r"\b[A-Z][\w’'-]*(?:\s+(?:(?:of|for|the|and|de|al|von|van)\s+)*[A-Z][\w’'-]*)*")
_NOT_NAMES = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "their",
        "our",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "as",
        "of",
        "to",
        "and",
        "but",
        "or",
        "if",
        "when",
        "while",
        "after",
        "before",
        "since",
        "during",
        "under",
        "over",
        "about",
        "according",
        "there",
        "here",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "how",
        "why",
        "where",
        "some",
        "many",
        "most",
        "much",
        "all",
        "both",
        "each",
        "every",
        "no",
        "not",
        "only",
        "also",
        "however",
        "thus",
        "yet",
        "so",
        "then",
        "now",
        "still",
        "meanwhile",
        "moreover",
        "furthermore",
        "indeed",
        "unfortunately",
        "yesterday",
        "today",
        "tomorrow",
        "one",
        "two",
        "mr",
        "mrs",
        "ms",
        "dr",
    ]
)
_ADJECTIVE = re.compile(r"(?:ic|ian|ean|ese|ish|ist|ern|an|i|h)$")
_CALENDAR = re.compile(rf"^(?:{_MONTH}|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$")


def _new_names(
    text: str, start: int, end: int, taken: Sequence[tuple[int, int]]
) -> list[tuple[int, int, str]]:
    """Capitalised names in the sentence that no mention or time expression covers.

    A single capitalised word opening the sentence is taken for an ordinary word; leading
    function words ("The", "In") are dropped from a name.
    """
    found = []
    for match in _NAME.finditer(text, start, end):
        words = list(re.finditer(r"\S+", match.group()))
        while words and words[0].group().lower().strip("’'") in _NOT_NAMES:
            words.pop(0)
        while words and words[-1].group().lower() in {"of", "for", "the", "and"}:
            words.pop()
        if not words:
            continue
        s = match.start() + words[0].start()
        e = match.start() + words[-1].end()
        name = text[s:e]
        if name.endswith(("’s", "'s")):
            name, e = name[:-2], e - 2
        if any(s < t_end and t_start < e for t_start, t_end in taken):
            continue
        if len(words) == 1 and (s == start or _CALENDAR.match(name) or len(name) < 3):
            continue
        if len(words) == 1 and _ADJECTIVE.search(name) and re.match(r"\s+[a-z]", text[e:]):
            continue  # "Islamic fundamentalism", "Kazakh aviation": a modifier, not a name
        if name.isupper() and len(name) > 6:  # a shouted heading, not a name
            continue
        found.append((s, e, name))
    return found


# Predicate phrases with words in between -------------------------------------------------

# Words a phrase's meaning does not rest on: a loose match needs only the others.
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "from",
        "with",
        "in",
        "into",
        "on",
        "at",
        "by",
        "for",
        "as",
        "and",
        "or",
        "be",
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "its",
        "it",
        "their",
        "his",
        "her",
        "this",
        "that",
    ]
)
_LOOSE_FACTOR = 0.75  # "requested military-technical assistance" reads "requested assistance"
_LOOSE_SLACK = 3  # words a loose match may have between its phrase's words
_SPEAKER_FACTOR = 0.6  # the subject is rarely who the clause attributes it to


def loose_phrases(vocabulary: Vocabulary) -> dict[str, list[tuple[tuple[str, ...], int]]]:
    """Per first content lemma, the content lemmas of each predicate phrase that has two
    or more (a one-word phrase is matched exactly or not at all), with the predicate id."""
    index: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for predicate in vocabulary.predicates:
        for phrase in dict.fromkeys((predicate.name, *predicate.phrases)):
            content = tuple(
                lemma(t.text) for t in tokens(phrase) if lemma(t.text) not in _FUNCTION_WORDS
            )
            if len(content) >= 2:
                index.setdefault(content[0], []).append((content, predicate.id))
    return index


def _loose_mentions(
    read: _Text, sentence: tuple[int, int], lexicon: _Lexicon, exact: Sequence[Mention]
) -> list[Mention]:
    """Predicate phrases whose content words occur in order, a few words apart, where no
    exact phrase of the same predicate was found."""
    text, index, names = read.text, lexicon.loose, lexicon.names
    words, lemmas = read.words_in(*sentence)
    found: list[Mention] = []
    for at, first in enumerate(lemmas):
        for content, predicate_id in index.get(first, ()):
            position, last = 1, at
            for j in range(at + 1, min(len(lemmas), at + len(content) + _LOOSE_SLACK + 1)):
                if position < len(content) and lemmas[j] == content[position]:
                    position, last = position + 1, j
            if position < len(content):
                continue
            start, end = words[at].start, words[last].end
            if any(m.id == predicate_id and m.start < end and start < m.end for m in exact):
                continue
            found.append(
                Mention(
                    start,
                    end,
                    text[start:end],
                    "predicate",
                    predicate_id,
                    names[predicate_id],
                    "loose",
                )  # fmt: skip
            )
    return found


# Readings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Filler:
    """A candidate for a role: an entity mention (known or new) at a place in the text."""

    start: int
    end: int
    name: str
    kind: str | None
    new: bool


def _fillers(mentions: Iterable[Mention], kinds: Mapping[int, str | None]) -> list[_Filler]:
    return [
        _Filler(m.start, m.end, m.name, kinds.get(m.id), False)
        for m in mentions
        if m.kind == "entity"
    ]


def _gap_words(text: str, a: int, b: int) -> int:
    return len(re.findall(r"\w+", text[a:b])) if b > a else 0


def _kind_fit(kinds: Mapping[str, int] | None, kind: str | None) -> float:
    """How well an entity's kind fits a role, from the kinds that fill it in the base."""
    if not kinds:
        return 1.0
    total = sum(kinds.values())
    share = kinds.get(kind or "", 0) / total
    return 0.35 + 0.65 * share


_TIME_UNITS = frozenset({"second", "minute", "hour", "day", "week", "month", "year", "decade"})


def _literal_after(
    text: str, start: int, stop: int, stops: Sequence[int] = ()
) -> tuple[int, int] | None:
    """The literal a string predicate takes: the words after its phrase up to the clause's
    end (a comma, a bracket, "and that", a sentence stop or a time expression ends it)."""
    stop = min([stop, *(at for at in stops if at > start)])
    s, e = _trim(text, start, stop)
    cut = re.search(r",\s|\s\(|(?:^|\s+)and\s+that\b|[.;:!?](?:\s|$)|[”\"]\s*$", text[s:e])
    if cut:
        e = s + cut.start()
    lead = re.match(r"(?:(?:that|to|of|is|was|are|were|as|at|by|on|in)\s+)+", text[s:e])
    if lead:
        s += lead.end()
    s, e = _trim(text, s, e)
    while e > s and text[e - 1] in "”\"’'.,;:":
        e -= 1
    while s < e and text[s] in "“\"‘'":
        s += 1
    words = re.findall(r"\S+", text[s:e])
    if not words or len(words) > _MAX_VALUE_WORDS:
        return None
    return s, e


def _claim_text(
    subject: str, predicate: str, obj: str | None, value: object, unit: str | None, negated: bool
) -> str:
    said = obj if obj is not None else (f"{value:g}" if isinstance(value, float) else str(value))
    if obj is None and value is None:
        said = ""
    if unit and obj is None:
        said = f"{said} {unit}"
    return f"{subject} {'not ' if negated else ''}{predicate} {said}".strip()


def _covering(
    parts: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]]
) -> tuple[int, int]:
    """The clauses from the first to the last that any of `spans` touches."""
    first = min(spans)[0]
    last = max(e for _, e in spans)
    touched = [c for c in parts if c[0] < last and first < c[1]] or list(parts)
    return touched[0][0], touched[-1][1]


def _quantity_value(q: number_reader.Quantity) -> tuple[float | str, str | None]:
    value = q.value if q.value is not None else q.text
    if isinstance(value, int | float):
        value = float(value)
    return value, (q.unit or q.unit_text or None)


@dataclass(frozen=True)
class _Lexicon:
    """What reading needs of a vocabulary, derived once per vocabulary (not per text)."""

    predicates: Mapping[int, mention_reader.PredicateName]
    names: Mapping[int, str]
    kinds: Mapping[int, str | None]
    loose: Mapping[str, list[tuple[tuple[str, ...], int]]]


_LEXICONS: dict[int, tuple[Vocabulary, _Lexicon]] = {}


def _lexicon(vocabulary: Vocabulary) -> _Lexicon:
    cached = _LEXICONS.get(id(vocabulary))
    if cached is not None and cached[0] is vocabulary:
        return cached[1]
    lexicon = _Lexicon(
        predicates={p.id: p for p in vocabulary.predicates},
        names={p.id: p.name for p in vocabulary.predicates},
        kinds={e.id: e.kind for e in vocabulary.entities},
        loose=loose_phrases(vocabulary),
    )
    if len(_LEXICONS) > 8:
        _LEXICONS.clear()
    _LEXICONS[id(vocabulary)] = (vocabulary, lexicon)
    return lexicon


@dataclass
class _Text:
    """A text read once: its mentions and words, found per sentence by bisection."""

    text: str
    mentions: list[Mention]
    words: list[Token]
    lemmas: list[str]

    @classmethod
    def read(cls, text: str, vocabulary: Vocabulary, found: list[Mention] | None = None) -> _Text:
        words = tokens(text)
        mentions = (
            found if found is not None else mention_reader.mentions(text, vocabulary, words=words)
        )
        return cls(text, mentions, words, [lemma(w.text) for w in words])

    def __post_init__(self) -> None:
        self._mention_starts = [m.start for m in self.mentions]
        self._word_starts = [w.start for w in self.words]
        self._cues: dict[tuple[int, int], cue_reader.Cues] = {}
        self._sentences: list[tuple[int, int]] | None = None

    def sentences(self) -> list[tuple[int, int]]:
        """The text's sentences, cut once (a subject carried over looks back through them)."""
        if self._sentences is None:
            self._sentences = sentences(self.text)
        return self._sentences

    def cues(self, start: int, end: int) -> cue_reader.Cues:
        """The cues of `text[start:end]`, read once per document: a sentence's readings
        mostly quote the same clauses."""
        found = self._cues.get((start, end))
        if found is None:
            found = self._cues[(start, end)] = cue_reader.read_cues(self.text[start:end])
        return found

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        first = bisect_left(self._mention_starts, start)
        last = bisect_left(self._mention_starts, end)
        return [m for m in self.mentions[first:last] if m.end <= end]

    def words_in(self, start: int, end: int) -> tuple[list[Token], list[str]]:
        first = bisect_left(self._word_starts, start)
        last = bisect_left(self._word_starts, end)
        return self.words[first:last], self.lemmas[first:last]


def _sentence_readings(
    read: _Text,
    sentence: tuple[int, int],
    lexicon: _Lexicon,
    anchor: date | None,
    precision: str,
    roles: RoleKinds,
    quote_whole: bool,
) -> list[Proposal]:
    text, predicates = read.text, lexicon.predicates
    s_start, s_end = sentence
    inside = read.mentions_in(s_start, s_end)
    phrases = [m for m in inside if m.kind == "predicate"]
    phrases += _loose_mentions(read, sentence, lexicon, phrases)
    if not phrases:
        return []
    parts = [sentence] if quote_whole else clauses(text, s_start, s_end)
    when_found = times(text, s_start, s_end, anchor, precision)
    taken = [(m.start, m.end) for m in inside] + [(a, b) for a, b, _ in when_found]
    fillers = _fillers(inside, lexicon.kinds) + [
        _Filler(a, b, name, None, True) for a, b, name in _new_names(text, s_start, s_end, taken)
    ]
    fillers.sort(key=lambda f: f.start)
    counted = any(predicates[p.id].value_type in {"number", "any"} for p in phrases)
    quantities = [
        q
        for q in (number_reader.quantities(text[s_start:s_end]) if counted else ())
        if not any(a <= s_start + q.start < b for a, b, _ in when_found)  # a year is a time
    ]
    readings: list[Proposal] = []
    for phrase in phrases:
        predicate = predicates.get(phrase.id)
        if predicate is None:
            continue
        clause = next((c for c in parts if c[0] <= phrase.start < c[1]), sentence)
        subject_kinds, object_kinds = roles.get(predicate.name, ({}, {}))
        before = [f for f in fillers if f.end <= phrase.start]
        after = [f for f in fillers if f.start >= phrase.end]
        subjects = _ranked_subjects(text, phrase, before, after, clause, subject_kinds)
        if not subjects and not quote_whole:
            carried = _carried_subject(read, s_start, lexicon.kinds)
            if carried is not None:
                subjects = [(_CARRIED_FACTOR * _kind_fit(subject_kinds, carried.kind), carried)]
        if not subjects:
            continue
        objects: list[tuple[float, _Filler | None, object, str | None, tuple[int, int] | None]]
        inner = [f for f in fillers if phrase.start < f.start and f.end < phrase.end]
        objects = _ranked_objects(
            text, phrase, predicate.value_type, after, before, quantities, s_start, clause,
            object_kinds, inner, predicate.kind, [a for a, _b, _t in when_found],
        )  # fmt: skip
        pairs = _of_pairs(text, phrase, after, subject_kinds, object_kinds)
        for pair_score, subject, filler in pairs:
            readings.append(
                _reading(
                    read, sentence, parts, phrase, predicate.name, subject, pair_score,
                    filler, None, None, (filler.start, filler.end), 1.0, when_found, inside,
                    fillers, subjects, objects, phrases, predicates,
                )
            )  # fmt: skip
        if not objects:
            continue
        for subject_score, subject in subjects[:2]:
            for object_score, filler, value, unit, value_span in objects[:2]:
                if filler is not None and filler.name == subject.name:
                    continue
                readings.append(
                    _reading(
                        read, sentence, parts, phrase, predicate.name, subject, subject_score,
                        filler, value, unit, value_span, object_score, when_found, inside,
                        fillers, subjects, objects, phrases, predicates,
                    )
                )  # fmt: skip
    readings.sort(key=lambda r: -r.score)
    unique: list[Proposal] = []
    seen: set[tuple] = set()
    for reading in readings:
        key = (reading.subject, reading.predicate, reading.object, reading.value, reading.negated)
        if key not in seen:
            seen.add(key)
            unique.append(reading)
    return unique[:PER_SENTENCE]


_CARRIED_FACTOR = 0.5  # a subject carried over from an earlier sentence is a weaker reading


def _carried_subject(read: _Text, start: int, kinds: Mapping[int, str | None]) -> _Filler | None:
    """The subject a sentence that names none ("It later withdrew from the treaty") takes
    from its paragraph: the first entity of the nearest earlier sentence that has one.
    Nothing is carried across a blank line (another paragraph, another topic)."""
    paragraph = read.text.rfind("\n\n", 0, start)
    paragraph = 0 if paragraph < 0 else paragraph
    bounds = read.sentences()
    for s_start, s_end in reversed(bounds[: bisect_left(bounds, (start, start))]):
        if s_start < paragraph:
            break
        named = [m for m in read.mentions_in(s_start, s_end) if m.kind == "entity"]
        if named:
            m = named[0]
            return _Filler(m.start, m.end, m.name, kinds.get(m.id), False)
    return None


def _ranked_subjects(
    text: str,
    phrase: Mention,
    before: list[_Filler],
    after: list[_Filler],
    clause: tuple[int, int],
    kinds: Mapping[str, int],
) -> list[tuple[float, _Filler]]:
    """Subject candidates, best first: the entities before the phrase, nearest first (the
    subject of an active clause, or the possessor of a title: "Uzbekistan's President"),
    and the entities coordinated with the nearest ("Russia and Uzbekistan signed")."""
    ranked: list[tuple[float, _Filler]] = []
    for f in reversed(before):
        gap = _gap_words(text, f.end, phrase.start)
        score = 1.0 / (1.0 + 0.12 * gap)
        if f.start < clause[0]:
            score *= 0.55
        ranked.append((score * _kind_fit(kinds, f.kind) * (_NEW_ENTITY_FACTOR if f.new else 1), f))
    for first, second in zip(after, after[1:], strict=False):
        if re.fullmatch(r"\s+of\s+(?:the\s+)?", text[first.end : second.start]):
            fit = _kind_fit(kinds, second.kind) * (_NEW_ENTITY_FACTOR if second.new else 1)
            ranked.append(
                (0.8 * fit / (1 + 0.12 * _gap_words(text, phrase.end, first.start)), second)
            )
    ranked.sort(key=lambda pair: -pair[0])
    if ranked:
        ranked[1:1] = _conjuncts(text, ranked[0], before)
    return ranked


def _of_pairs(
    text: str,
    phrase: Mention,
    after: Sequence[_Filler],
    subject_kinds: Mapping[str, int],
    object_kinds: Mapping[str, int],
) -> list[tuple[float, _Filler, _Filler]]:
    """ "PHRASE X of Y (and Z of W)": Y is the subject and X the object of each pair
    ("Presidents Vladimir Putin of Russia and Askar Akaev of Kyrgyzstan")."""
    pairs = []
    for first, second in zip(after, after[1:], strict=False):
        if not re.fullmatch(r"\s+of\s+(?:the\s+)?", text[first.end : second.start]):
            continue
        between = text[phrase.end : first.start]
        if re.search(r"[.;:!?]|\b(?:is|was|are|were|has|had|have|will|would)\b", between):
            break
        fit = _kind_fit(subject_kinds, second.kind) * _kind_fit(object_kinds, first.kind)
        fit *= _NEW_ENTITY_FACTOR if (first.new or second.new) else 1.0
        pairs.append(
            (0.9 * fit / (1 + 0.05 * _gap_words(text, phrase.end, first.start)), second, first)
        )
    return pairs


def _conjuncts(
    text: str, best: tuple[float, _Filler], before: list[_Filler]
) -> list[tuple[float, _Filler]]:
    """Entities coordinated with the best subject ("Russia and Uzbekistan signed"): each
    one is a subject of its own reading, as good as the best."""
    score, head = best
    found = []
    earlier = [f for f in before if f.end <= head.start]
    current = head
    for f in reversed(earlier):
        if not re.fullmatch(r"\s*(?:,|and|,\s*and)\s*(?:the\s+)?", text[f.end : current.start]):
            break
        found.append((score * 0.99, f))
        current = f
    return found


_ANAPHOR = re.compile(r"\s*(?:it|them|(?:that|this|the|these|those)\s+(\w+))\b", re.I)


def _antecedent(text: str, phrase: Mention, before: Sequence[_Filler]) -> _Filler | None:
    """What "it", "them" or "that treaty" right after the phrase points back to: the
    latest entity before it that is not the phrase's subject (the nearest one before
    it), nor a different kind of thing than the noun names."""
    match = _ANAPHOR.match(text, phrase.end)
    if not match or len(before) < 2:
        return None
    noun = (match.group(1) or "").casefold()
    candidates = list(reversed(before[:-1]))
    if noun:
        named = [f for f in candidates if noun in f.name.casefold() or noun == (f.kind or "")]
        return named[0] if named else None
    return candidates[0]


def _ranked_objects(
    text: str,
    phrase: Mention,
    value_type: str,
    after: list[_Filler],
    before: list[_Filler],
    quantities: Sequence[number_reader.Quantity],
    offset: int,
    clause: tuple[int, int],
    kinds: Mapping[str, int],
    inner: Sequence[_Filler] = (),
    kind: str = "state",
    stops: Sequence[int] = (),
) -> list[tuple[float, _Filler | None, object, str | None, tuple[int, int] | None]]:
    """Object or value candidates by the predicate's value type, best first."""
    ranked: list[tuple[float, _Filler | None, object, str | None, tuple[int, int] | None]] = []
    if value_type in {"entity", "any"}:
        for f in inner:  # "asked the US military to leave": the object inside the phrase
            ranked.append((0.95 * _kind_fit(kinds, f.kind), f, None, None, (f.start, f.end)))
        antecedent = _antecedent(text, phrase, before)
        if antecedent is not None:
            ranked.append((0.9 * _kind_fit(kinds, antecedent.kind), antecedent, None, None,
                           (antecedent.start, antecedent.end)))  # fmt: skip
        for f in after:
            gap = _gap_words(text, phrase.end, f.start)
            score = 1.0 / (1.0 + 0.12 * gap)
            if f.start >= clause[1]:
                score *= 0.5
            score *= _kind_fit(kinds, f.kind) * (_NEW_ENTITY_FACTOR if f.new else 1)
            ranked.append((score, f, None, None, (f.start, f.end)))
    if value_type in {"number", "any"}:
        for q in quantities:
            if value_type == "any" and (q.unit or "").rstrip("s") in _TIME_UNITS:
                continue  # "three weeks after": a time span, not what the claim states
            q_start, q_end = offset + q.start, offset + q.end
            distance = (
                _gap_words(text, phrase.end, q_start)
                if q_start >= phrase.end
                else _gap_words(text, q_end, phrase.start) + 1
            )
            value, unit = _quantity_value(q)
            factor = 1.0 if value_type == "number" else 0.7
            ranked.append((factor / (1.0 + 0.15 * distance), None, value, unit, (q_start, q_end)))
    if value_type == "any" and kind == "event":
        # An event may take nothing ("the bridge opened last year"): the reading with
        # neither object nor value, below an object or a quantity that follows closely.
        ranked.append((0.6, None, None, None, None))
    elif value_type in {"string", "any"} and not (value_type == "any" and ranked):
        span = _literal_after(text, phrase.end, clause[1], stops)
        if span:
            value = text[span[0] : span[1]]
            factor = 0.9 if value_type == "string" else 0.5
            ranked.append((factor, None, value, None, span))
    ranked.sort(key=lambda item: -item[0])
    return ranked


def _reading(
    read: _Text,
    sentence: tuple[int, int],
    parts: Sequence[tuple[int, int]],
    phrase: Mention,
    predicate: str,
    subject: _Filler,
    subject_score: float,
    filler: _Filler | None,
    value: object,
    unit: str | None,
    value_span: tuple[int, int] | None,
    object_score: float,
    when_found: Sequence[tuple[int, int, TimeQualifier]],
    inside: Sequence[Mention],
    fillers: Sequence[_Filler],
    subjects: Sequence[tuple[float, _Filler]],
    objects: Sequence[tuple[float, _Filler | None, object, str | None, tuple[int, int] | None]],
    phrases: Sequence[Mention],
    predicates: Mapping[int, mention_reader.PredicateName],
) -> Proposal:
    spans = [(phrase.start, phrase.end), (subject.start, subject.end)]
    if value_span:
        spans.append(value_span)
    q_start, q_end = _covering(parts, spans)
    clause_text = read.text[q_start:q_end]
    cues = read.cues(q_start, q_end)
    when = _nearest_time(when_found, phrase, (q_start, q_end))
    attributed = _attributed(cues, inside, fillers, q_start)
    new = tuple(dict.fromkeys(f.name for f in (subject, filler) if f is not None and f.new))
    if attributed and attributed[1]:
        new = (*new, attributed[0])
    score = subject_score * object_score * (_LOOSE_FACTOR if phrase.via == "loose" else 1.0)
    if attributed and attributed[0] == subject.name:
        score *= _SPEAKER_FACTOR  # "Brightwater said the crossing cost…": the source speaks
    obj = filler.name if filler else None
    alternatives = {
        "predicate": list(
            dict.fromkeys(
                predicates[p.id].name
                for p in phrases
                if p.id in predicates and predicates[p.id].name != predicate
            )
        ),
        "subject": [f.name for _, f in subjects if f.name != subject.name][:3],
        "object": [
            f.name if f is not None else str(v)
            for _, f, v, _, _ in objects
            if (f.name if f is not None else v) != (obj if obj is not None else value)
        ][:3],
    }
    return Proposal(
        start=q_start,
        end=q_end,
        quote=clause_text,
        text=_claim_text(subject.name, predicate, obj, value, unit, cues.negated),
        subject=subject.name,
        predicate=predicate,
        object=obj,
        value=None if obj is not None else value,  # type: ignore[arg-type]
        unit=None if obj is not None else unit,
        when=when,
        negated=cues.negated,
        modality=cues.modality,
        attributed_to=attributed[0] if attributed else None,
        score=round(score, 4),
        new_entities=new,
        alternatives=alternatives,
    )


def _nearest_time(
    found: Sequence[tuple[int, int, TimeQualifier]], phrase: Mention, quote: tuple[int, int]
) -> TimeQualifier | None:
    """The time expression of the quoted clauses nearest the predicate phrase, else none:
    a time stated elsewhere in the sentence may belong to another clause's event."""
    inside = [t for t in found if quote[0] <= t[0] and t[1] <= quote[1]]
    if not inside:
        return None
    best = min(inside, key=lambda t: min(abs(t[0] - phrase.end), abs(phrase.start - t[1])))
    return best[2]


def _attributed(
    cues: cue_reader.Cues, inside: Sequence[Mention], fillers: Sequence[_Filler], offset: int
) -> tuple[str, bool] | None:
    """Who the clause's attribution names: the vocabulary's entity mentioned there (then
    False), else a proper name there, else its words, as a new name (True)."""
    if not cues.attributed_to or cues.attribution is None:
        return None
    start, end = offset + cues.attribution[0], offset + cues.attribution[1]
    for m in inside:
        if m.kind == "entity" and start <= m.start and m.end <= end:
            return m.name, False
    for f in fillers:
        if f.new and start <= f.start and f.end <= end:
            return f.name, True
    return cues.attributed_to, True


def read_document(
    text: str,
    anchor: date | None,
    precision: str,
    vocabulary: Vocabulary,
    roles: RoleKinds | None = None,
) -> list[Proposal]:
    """Every sentence's readings, in reading order, each sentence's best first."""
    lexicon = _lexicon(vocabulary)
    read = _Text.read(text, vocabulary)
    readings: list[Proposal] = []
    for sentence in sentences(text):
        readings += _sentence_readings(
            read, sentence, lexicon, anchor, precision, roles or {}, False
        )
    return readings


# One document to read: its text, date anchor and the anchor's precision.
Document = tuple[str, date | None, str]
_WORKER: tuple[Vocabulary, RoleKinds | None] | None = None


def _start_worker(vocabulary: Vocabulary, roles: RoleKinds | None) -> None:
    global _WORKER
    _WORKER = (vocabulary, roles)


def _read_in_worker(document: Document) -> list[Proposal]:
    assert _WORKER is not None
    return read_document(*document, *_WORKER)


def read_documents(
    documents: Sequence[Document],
    vocabulary: Vocabulary,
    roles: RoleKinds | None = None,
    workers: int = 1,
) -> list[list[Proposal]]:
    """`read_document` over many documents, in order. With *workers* > 1 the documents
    are read in that many processes (reading is pure CPU work: threads would not help);
    the vocabulary is sent to each process once, not with every document."""
    if workers <= 1 or len(documents) < 2:
        return [read_document(*d, vocabulary, roles) for d in documents]
    chunk = max(1, len(documents) // (workers * 8))
    with ProcessPoolExecutor(
        workers, initializer=_start_worker, initargs=(vocabulary, roles)
    ) as pool:
        return list(pool.map(_read_in_worker, documents, chunksize=chunk))


def read_span(
    text: str,
    start: int,
    end: int,
    anchor: date | None,
    precision: str,
    vocabulary: Vocabulary,
    roles: RoleKinds | None = None,
) -> list[Proposal]:
    """Readings of a selected passage, best first, each quoting the whole selection.

    Mentions are read in the passage alone, so what the reviewer did not select cannot
    fill a role.
    """
    start, end = _trim(text, start, end)
    if end <= start:
        return []
    found = [
        replace(m, start=m.start + start, end=m.end + start)
        for m in mention_reader.mentions(text[start:end], vocabulary)
    ]
    read = _Text.read(text, vocabulary, found)
    readings = _sentence_readings(
        read, (start, end), _lexicon(vocabulary), anchor, precision, roles or {}, True
    )
    whole = (replace(r, start=start, end=end, quote=text[start:end]) for r in readings)
    return sorted(whole, key=lambda r: -r.score)
