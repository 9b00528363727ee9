"""Verify a plain-English statement against the base.

The statement is parsed with the base's own vocabulary — entity names and
aliases (looked up by the statement's n-grams, so the cost does not grow with
the vocabulary), predicate aliases (compared after crude stemming so that
"did not leave" finds "left"), negation words and time expressions — into a
candidate claim. Subject and object are assigned so that they fit existing
claims of the predicate. The candidate is then compared with the subject's
claims using the conflict rules themselves: a claim that would corroborate it
supports it, a claim that would conflict with it refutes it — unless a reviewer dismissed
that conflict against a claim saying exactly what the statement says (`rules.judge`), in
which case it is listed as dismissed. Only active claims count: retracted and superseded
ones are never evidence, nor related claims. A statement and its negation are mirror
images: what supports one refutes the other (see `rules.judge` for the exact rule).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from . import fulltext, rules
from .claims import claim_dict, get_claim, show_claim
from .conflicts import blocks_for_subject, vocabulary_rules
from .errors import FactbaseError, UnknownClaim
from .models import Claim, Conflict, Entity, EntityAlias, Predicate, PredicateAlias
from .reading.timex import TimeQualifier, parse_time
from .rules import ClaimFacts, Judgement
from .values import parse_number, value_kind
from .vocabulary import alias_key

VERDICTS = ("supported", "refuted", "disputed", "not_enough_info")
CANDIDATE_ID = -1  # the candidate claim is not stored; it cites a pseudo-document
_MAX_NGRAM = 8
_RELATED = 5
# Claims about a statement's entities read to rank its related claims: enough for any
# entity the seeds or the benchmarks know, and a bound on the cost of a huge one.
_CANDIDATES = 5_000
_EARLIEST_YEAR, _LATEST_YEAR = 1000, date.today().year + 50

_TOKEN = re.compile(r"[\w]+(?:['’][\w]+)*|~")
_NEGATIONS = {
    ("not",),
    ("never",),
    ("no", "longer"),
    ("ruled", "out"),
    ("failed", "to"),
    ("did", "not"),
    ("didn't",),
    ("didn’t",),
    ("has", "not"),
    ("hasn't",),
    ("was", "not"),
    ("wasn't",),
    ("is", "not"),
    ("isn't",),
    ("does", "not"),
    ("doesn't",),
}
_FILLER = {
    "a", "an", "the", "was", "is", "are", "were", "be", "been", "has", "have", "had", "did",
    "does", "do", "of", "to", "in", "on", "at", "by", "for", "that", "it", "its", "and", "as",
    "s", "'s", "this", "which", "who", "with", "from", "into", "there",
}  # fmt: skip
_IRREGULAR = {
    "left": "leave",
    "withdrew": "withdraw",
    "withdrawn": "withdraw",
    "sent": "send",
    "took": "take",
    "taken": "take",
    "held": "hold",
    "met": "meet",
    "was": "be",
    "were": "be",
    "is": "be",
    "are": "be",
    "been": "be",
    "became": "become",
    "paid": "pay",
    "led": "lead",
    "fought": "fight",
    "sought": "seek",
    "won": "win",
    "lost": "lose",
    "gave": "give",
    "given": "give",
    "made": "make",
    "said": "say",
    "told": "tell",
    "bought": "buy",
    "sold": "sell",
}


class UnparsableStatement(FactbaseError):
    "A statement names no known subject or predicate"


def stem(word: str) -> str:
    """A crude stem, applied alike to aliases and statements: left/leaves/leave → leav."""
    word = alias_key(word).replace("'", "")
    word = _IRREGULAR.get(word, word)
    for suffix in ("ing", "ied", "ies", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _stem_key(text: str) -> str:
    return " ".join(stem(word) for word in _TOKEN.findall(alias_key(text)))


@dataclass
class Token:
    text: str
    start: int
    end: int


@dataclass
class Parsed:
    """The candidate claim read from a statement, and what was not understood."""

    statement: str
    subject: str | None = None
    predicate: str | None = None
    object: str | None = None
    value: str | None = None
    negated: bool = False
    time: dict[str, Any] | None = None
    not_understood: list[str] = field(default_factory=list)
    entities: list[int] = field(default_factory=list)  # ids of the entities it names

    def as_dict(self) -> dict[str, Any]:
        shown = asdict(self)
        del shown["entities"]
        return shown


@dataclass
class _Match:
    start: int  # token indexes, end exclusive
    end: int
    target: int
    exact_case: bool = True


def _tokens(statement: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(statement)]


def _span_text(statement: str, tokens: list[Token], start: int, end: int) -> str:
    return statement[tokens[start].start : tokens[end - 1].end]


def _ngrams(tokens: list[Token], statement: str) -> dict[str, list[tuple[int, int]]]:
    """Alias keys of every n-gram (possessive "'s" dropped too) → token spans."""
    grams: dict[str, list[tuple[int, int]]] = {}
    for start in range(len(tokens)):
        for end in range(start + 1, min(len(tokens), start + _MAX_NGRAM) + 1):
            text = _span_text(statement, tokens, start, end)
            keys = {alias_key(text), alias_key(re.sub(r"['’]s?$", "", text))}
            for key in keys:
                grams.setdefault(key, []).append((start, end))
    return grams


def _entity_matches(session: Session, statement: str, tokens: list[Token]) -> list[_Match]:
    grams = _ngrams(tokens, statement)
    rows = session.execute(
        select(EntityAlias.key, EntityAlias.alias, EntityAlias.entity_id).where(
            EntityAlias.key.in_(list(grams))
        )
    ).all()
    matches = []
    for key, alias, entity_id in rows:
        for start, end in grams[key]:
            text = _span_text(statement, tokens, start, end)
            # Short all-caps aliases ("US") must match their case: "us" is a pronoun.
            if alias.isupper() and len(alias) <= 2 and not text.startswith(alias):
                continue
            matches.append(_Match(start, end, entity_id))
    return matches


def _predicate_matches(session: Session, tokens: list[Token]) -> list[_Match]:
    stems: dict[str, int] = {}
    for alias, predicate_id in session.execute(
        select(PredicateAlias.alias, PredicateAlias.predicate_id)
    ):
        stems.setdefault(_stem_key(alias), predicate_id)
    stemmed = [stem(t.text) for t in tokens]
    matches = []
    for start in range(len(tokens)):
        for end in range(start + 1, min(len(tokens), start + _MAX_NGRAM) + 1):
            predicate_id = stems.get(" ".join(stemmed[start:end]))
            if predicate_id is not None:
                matches.append(_Match(start, end, predicate_id))
    return matches


def _plausible(qualifier: TimeQualifier) -> bool:
    """A year a statement could mean (so "4516 43rd Street" is not the year 4516)."""
    return qualifier.earliest.year >= _EARLIEST_YEAR and qualifier.latest.year <= _LATEST_YEAR


def _time_match(statement: str, tokens: list[Token]) -> tuple[TimeQualifier, int, int] | None:
    """The longest token span that reads as an absolute, plausible time expression."""
    best: tuple[TimeQualifier, int, int] | None = None
    for start in range(len(tokens)):
        for end in range(len(tokens), start, -1):
            if best and end - start <= best[2] - best[1]:
                break
            text = _span_text(statement, tokens, start, end)
            if not re.search(r"\d", text):
                continue
            try:
                qualifier = parse_time(text)
            except FactbaseError:
                continue
            if _plausible(qualifier):
                best = (qualifier, start, end)
    return best


def _negation(tokens: list[Token]) -> list[int]:
    """Token indexes of negation words ("did not", "never", "ruled out", ...)."""
    words = [t.text.lower().replace("’", "'") for t in tokens]
    found: list[int] = []
    for index in range(len(words)):
        for phrase in _NEGATIONS:
            if tuple(words[index : index + len(phrase)]) == phrase:
                found.extend(range(index, index + len(phrase)))
        if words[index].endswith("n't"):
            found.append(index)
    return sorted(set(found))


def _non_overlapping(matches: list[_Match], taken: set[int]) -> list[_Match]:
    """Longest matches first, each token used once."""
    chosen = []
    for match in sorted(matches, key=lambda m: (-(m.end - m.start), m.start)):
        span = set(range(match.start, match.end))
        if span & taken:
            continue
        taken |= span
        chosen.append(match)
    return sorted(chosen, key=lambda m: m.start)


def _role_fit(session: Session, predicate_id: int, subject: int, obj: int | None) -> int:
    """How many existing claims of the predicate have these roles (for assigning them)."""
    query = select(func.count(Claim.id)).where(
        Claim.predicate_id == predicate_id, Claim.subject_id == subject
    )
    with_subject = session.scalar(query) or 0
    if obj is None:
        return with_subject * 2
    return with_subject + 2 * (session.scalar(query.where(Claim.object_id == obj)) or 0)


def parse(session: Session, statement: str) -> tuple[Parsed, ClaimFacts | None]:
    """Read a statement into a candidate claim (None when subject or predicate is missing)."""
    parsed = Parsed(statement=statement)
    tokens = _tokens(statement)
    taken: set[int] = set()
    time = _time_match(statement, tokens)
    if time:
        taken |= set(range(time[1], time[2]))
        qualifier = time[0]
        parsed.time = {
            "raw": _span_text(statement, tokens, time[1], time[2]),
            "earliest": qualifier.earliest.isoformat(),
            "latest": qualifier.latest.isoformat(),
            "precision": qualifier.precision,
        }
    negation = _negation(tokens)
    parsed.negated = bool(negation)
    taken |= set(negation)
    predicates = _non_overlapping(_predicate_matches(session, tokens), taken)
    entities = _non_overlapping(_entity_matches(session, statement, tokens), taken)
    predicate = session.get(Predicate, predicates[0].target) if predicates else None
    if predicates:
        parsed.predicate = predicate.name if predicate else None
    parsed.entities = [m.target for m in entities]
    names = {e.id: e.name for e in session.scalars(
        select(Entity).where(Entity.id.in_([m.target for m in entities]))
    )}  # fmt: skip
    subject_id = object_id = None
    if entities and predicate:
        first = entities[0].target
        second = entities[1].target if len(entities) > 1 else None
        options = [(first, second)] + ([(second, first)] if second is not None else [])
        if predicate.value_type not in {"entity", "any"}:
            options = [(first, None)] + ([(second, None)] if second is not None else [])
        subject_id, object_id = max(
            options, key=lambda o: _role_fit(session, predicate.id, o[0], o[1])
        )
    elif entities:
        subject_id = entities[0].target
    parsed.subject = names.get(subject_id) if subject_id else None
    parsed.object = names.get(object_id) if object_id else None
    if predicate is not None and predicate.value_type != "entity" and object_id is None:
        parsed.value = _value_after(statement, tokens, predicates[0], taken)
    used = set(taken)
    for match in [*predicates, *entities]:
        used |= set(range(match.start, match.end))
    leftover = [
        t.text for i, t in enumerate(tokens) if i not in used and t.text.lower() not in _FILLER
    ]
    if parsed.value is None:
        parsed.not_understood = leftover
    if parsed.subject is None:
        parsed.not_understood.insert(0, "(no known subject)")
    if predicate is None:
        parsed.not_understood.insert(0, "(no known predicate)")
    if predicate is None or subject_id is None:
        return parsed, None
    return parsed, _candidate(parsed, predicate, subject_id, object_id, time)


def _value_after(
    statement: str,
    tokens: list[Token],
    predicate: _Match,
    taken: set[int],
) -> str | None:
    """The literal after the predicate ("address is 4526 43rd Street NW" → the address)."""
    stop = len(tokens)
    for index in range(predicate.end, len(tokens)):
        if index in taken:
            stop = index
            break
    start = predicate.end
    while start < stop and tokens[start].text.lower() in {"is", "was", "are", "were", "of"}:
        start += 1
    if start >= stop:
        return None
    return _span_text(statement, tokens, start, stop).strip(" ,.;:")


def _candidate(
    parsed: Parsed,
    predicate: Predicate,
    subject_id: int,
    object_id: int | None,
    time: tuple[TimeQualifier, int, int] | None,
) -> ClaimFacts:
    kind = predicate.value_type
    if kind == "any" and parsed.value is not None:
        kind = value_kind(parsed.value)
    quantity = parse_number(parsed.value) if kind == "number" and parsed.value else None
    number, unit = quantity or (None, None)
    return ClaimFacts(
        id=CANDIDATE_ID,
        subject=subject_id,
        predicate=predicate.id,
        object=object_id,
        value=parsed.value if kind == "string" else None,
        number=number,
        unit=unit,
        date_value=None,
        negated=parsed.negated,
        earliest=time[0].earliest if time else None,
        latest=time[0].latest if time else None,
        documents=frozenset({CANDIDATE_ID}),
    )


def rank_by_shared_words(statement: str, claims: Iterable[tuple[int, str]]) -> list[int]:
    """Ids of the claims sharing a word stem with the statement, best first.

    A shared stem weighs log(1 + n / df), df being how many of the n claims hold it, so
    words every candidate shares (the entity's own name) count least; ties go by id.
    """
    wanted = {stem(word) for word in _TOKEN.findall(alias_key(statement))}
    wanted -= {stem(word) for word in _FILLER}
    shared = {
        claim_id: wanted & {stem(word) for word in _TOKEN.findall(alias_key(text))}
        for claim_id, text in claims
    }
    df = Counter(word for words in shared.values() for word in words)
    n = len(shared)
    score = {
        claim_id: sum(math.log(1 + n / df[word]) for word in words)
        for claim_id, words in shared.items()
        if words
    }
    return sorted(score, key=lambda claim_id: (-score[claim_id], claim_id))


def related(
    session: Session,
    statement: str,
    entities: list[int],
    exclude: set[int],
    limit: int = _RELATED,
) -> list[int]:
    """The closest active claims, best first.

    When the statement names entities: their claims, ranked by shared words, so the cost
    follows those entities' claims and not the size of the base (a full-text ranking of
    common words such as "visited" scores a tenth of a million-claim base). Otherwise,
    or when none shares a word: full-text search (bm25 / ts_rank) over the whole base.
    """
    if entities:
        about = (
            select(Claim.id, Claim.text)
            .where(
                Claim.status == "active",
                or_(Claim.subject_id.in_(entities), Claim.object_id.in_(entities)),
            )
            .order_by(Claim.id)
            .limit(_CANDIDATES)
        )
        candidates = [(i, text) for i, text in session.execute(about) if i not in exclude]
        if found := rank_by_shared_words(statement, candidates)[:limit]:
            return found
    ranked = fulltext.ranked(session, statement, limit + len(exclude))
    return [claim_id for claim_id in ranked if claim_id not in exclude][:limit]


def judge(session: Session, candidate: ClaimFacts) -> Judgement:
    """The candidate's evidence among its subject's active claims (see `rules.judge`),
    honouring the conflicts reviewers dismissed."""
    predicates, pairs = vocabulary_rules(session)
    block = blocks_for_subject(session, candidate.subject)
    ids = [claim.id for claim in block]
    dismissed = {
        (a, b, rule)
        for a, b, rule in session.execute(
            select(Conflict.claim_a_id, Conflict.claim_b_id, Conflict.rule).where(
                Conflict.status == "dismissed",
                or_(Conflict.claim_a_id.in_(ids), Conflict.claim_b_id.in_(ids)),
            )
        )
    }
    return rules.judge(candidate, block, predicates, pairs, dismissed)


def verdict_of(supporting: list[int], refuting: list[int]) -> str:
    if supporting and refuting:
        return "disputed"
    if supporting:
        return "supported"
    return "refuted" if refuting else "not_enough_info"


def _result(
    session: Session,
    statement: str,
    parsed: dict[str, Any],
    entities: list[int],
    judgement: Judgement,
) -> dict[str, Any]:
    supporting, refuting = judgement.supporting, list(judgement.refuting)
    dismissed = list(judgement.dismissed)
    related_ids = related(session, statement, entities, {*supporting, *refuting, *dismissed})
    roles = (
        ("supporting", supporting),
        ("refuting", refuting),
        ("dismissed", dismissed),
        ("related", related_ids),
    )
    return {
        "statement": statement,
        "verdict": verdict_of(supporting, refuting),
        "parsed": parsed,
        "supporting": supporting,
        "refuting": refuting,
        "dismissed": dismissed,
        "related": related_ids,
        "evidence": [_evidence(session, i, role) for role, ids in roles for i in ids],
    }


def verify(session: Session, statement: str) -> dict[str, Any]:
    """The verdict on a statement with its evidence (quotes, sources, dates)."""
    statement = statement.strip()
    if not statement:
        raise UnparsableStatement("the statement is empty")
    parsed, candidate = parse(session, statement)
    judgement = judge(session, candidate) if candidate else Judgement()
    return _result(session, statement, parsed.as_dict(), parsed.entities, judgement)


def verify_claim(session: Session, claim_id: int) -> dict[str, Any]:
    """The base's verdict on one of its own claims, from the other claims' evidence; a claim
    whose conflict with this one was dismissed does not refute it."""
    claim = get_claim(session, claim_id)
    block = blocks_for_subject(session, claim.subject_id)
    facts = next((c for c in block if c.id == claim.id), None)
    if facts is None:
        raise UnknownClaim(f"claim {claim_id} is {claim.status}, not checked")
    shown = claim_dict(claim)
    parsed = {key: shown[key] for key in ("subject", "predicate", "object", "value", "time")} | {
        "statement": claim.text,
        "negated": claim.polarity == "negated",
        "not_understood": [],
    }
    entities = [e for e in (claim.subject_id, claim.object_id) if e is not None]
    return _result(session, claim.text, parsed, entities, judge(session, facts))


def _evidence(session: Session, claim_id: int, role: str) -> dict[str, Any]:
    shown = show_claim(session, claim_id)
    span = shown["spans"][0]
    info = span["document_info"]
    return {
        "id": claim_id,
        "role": role,
        "text": shown["text"],
        "quote": span["exact"],
        "context": span["context"],
        "document": span["document"],
        "publication": info["publication"],
        "volume": info["volume"],
        "issue": info["issue"],
        "date": info["date"],
        "date_precision": info["date_precision"],
        "citation": span["citation"],
        "time": shown["time"],
    }
