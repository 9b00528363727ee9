"""Verify a plain-English statement against the base.

The statement is read by the reading layer (`factbase.reading`) with the base's own
vocabulary — entity names, aliases, possessives, demonyms and titled surnames
(`vocabulary.text_vocabulary` fetches only the entities the statement's n-grams can
name, so the cost does not grow with the vocabulary), predicate phrases matched by
lemma ("did not withdraw from" finds "withdrew from"), negation cues, quantities as
people write them ("42 million euros") and time expressions — into a candidate claim.
This module keeps the database side: finding candidate claims and judging. Subject and
object are assigned so that they fit existing claims of the predicate. The candidate is
then compared with the subject's claims using the conflict rules themselves: a claim that
would corroborate it supports it, a claim that would conflict with it refutes it — unless
a reviewer dismissed that conflict against a claim saying exactly what the statement says
(`rules.judge`), in which case it is listed as dismissed. Only active claims count:
retracted and superseded ones are never evidence, nor related claims. A statement and its
negation are mirror images: what supports one refutes the other (see `rules.judge`).
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
from .models import Claim, Conflict, Predicate
from .reading.cues import read_cues
from .reading.lemmas import lemma, lemmas
from .reading.mentions import mentions
from .reading.numbers import quantities
from .reading.timex import TimeQualifier, parse_time
from .rules import ClaimFacts, Judgement
from .values import parse_number, value_kind
from .vocabulary import text_vocabulary

VERDICTS = ("supported", "refuted", "disputed", "not_enough_info")
CANDIDATE_ID = -1  # the candidate claim is not stored; it cites a pseudo-document
_RELATED = 5
# Claims about a statement's entities read to rank its related claims: enough for any
# entity the seeds or the benchmarks know, and a bound on the cost of a huge one.
_CANDIDATES = 5_000
_EARLIEST_YEAR, _LATEST_YEAR = 1000, date.today().year + 50

_TOKEN = re.compile(r"[\w]+(?:['’][\w]+)*|~")
_FILLER = {
    "a", "an", "the", "was", "is", "are", "were", "be", "been", "has", "have", "had", "did",
    "does", "do", "of", "to", "in", "on", "at", "by", "for", "that", "it", "its", "and", "as",
    "s", "'s", "this", "which", "who", "with", "from", "into", "there",
}  # fmt: skip
_COPULA = {"is", "was", "are", "were", "of", "be", "been", "at"}


class UnparsableStatement(FactbaseError):
    "A statement names no known subject or predicate"


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


def _tokens(statement: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(statement)]


def _span_text(statement: str, tokens: list[Token], start: int, end: int) -> str:
    return statement[tokens[start].start : tokens[end - 1].end]


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
    used: list[tuple[int, int]] = []  # character spans the reading understood
    time = _time_match(statement, tokens)
    if time:
        qualifier, first, last = time
        used.append((tokens[first].start, tokens[last - 1].end))
        parsed.time = {
            "raw": _span_text(statement, tokens, first, last),
            "earliest": qualifier.earliest.isoformat(),
            "latest": qualifier.latest.isoformat(),
            "precision": qualifier.precision,
        }
    cues = read_cues(statement)
    parsed.negated = cues.negated
    used += [(cue.start, cue.end) for cue in cues.cues if cue.kind == "negation"]
    found = mentions(statement, text_vocabulary(session, statement), exclude=used)
    entities = [m for m in found if m.kind == "entity"]
    # A title is no predicate when another phrase states one: "President Karimov visited".
    titles = {m.start for m in entities if m.title}
    predicates = sorted(
        (m for m in found if m.kind == "predicate"),
        key=lambda m: any(
            m.end < start and not statement[m.end : start].strip() for start in titles
        ),
    )
    predicate = session.get(Predicate, predicates[0].id) if predicates else None
    if predicate is not None:
        parsed.predicate = predicate.name
    parsed.entities = list(dict.fromkeys(m.id for m in entities))
    names = {m.id: m.name for m in entities}
    ordered = parsed.entities
    subject_id = object_id = None
    if ordered and predicate:
        first_id = ordered[0]
        second = ordered[1] if len(ordered) > 1 else None
        options = [(first_id, second)] + ([(second, first_id)] if second is not None else [])
        if predicate.value_type not in {"entity", "any"}:
            options = [(first_id, None)] + ([(second, None)] if second is not None else [])
        subject_id, object_id = max(
            options, key=lambda o: _role_fit(session, predicate.id, o[0], o[1])
        )
    elif ordered:
        subject_id = ordered[0]
    parsed.subject = names.get(subject_id) if subject_id else None
    parsed.object = names.get(object_id) if object_id else None
    spans = used + [(m.start, m.end) for m in found]
    if predicate is not None and predicate.value_type != "entity" and object_id is None:
        parsed.value = _value_after(statement, predicates[0].end, spans)
    leftover = [
        t.text
        for t in tokens
        if t.text.lower() not in _FILLER and all(t.end <= a or t.start >= b for a, b in spans)
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


def _value_after(statement: str, start: int, spans: list[tuple[int, int]]) -> str | None:
    """The literal after the predicate, up to the next thing understood ("address is 4526
    43rd Street NW" → the address; "cost 42 million euros in 2022" → "42 million euros")."""
    stop = min((a for a, _b in spans if a >= start), default=len(statement))
    words = statement[start:stop].split()
    while words and words[0].lower() in _COPULA:
        words.pop(0)
    value = " ".join(words).strip(" ,.;:")
    return value or None


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
    quantity = _number_of(parsed.value) if kind == "number" and parsed.value else None
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


def _number_of(value: str) -> tuple[float, str | None] | None:
    """The value as a number: the whole of it ("42 million euros"), else its first
    quantity ("42 million euros in all")."""
    whole = parse_number(value)
    if whole is not None:
        return whole
    first = next((q for q in quantities(value) if q.value is not None), None)
    return (first.value, first.unit) if first is not None and first.value is not None else None


def rank_by_shared_words(statement: str, claims: Iterable[tuple[int, str]]) -> list[int]:
    """Ids of the claims sharing a word (by lemma) with the statement, best first.

    A shared lemma weighs log(1 + n / df), df being how many of the n claims hold it, so
    words every candidate shares (the entity's own name) count least; ties go by id.
    """
    wanted = set(lemmas(statement)) - {lemma(word) for word in _FILLER}
    shared = {claim_id: wanted & set(lemmas(text)) for claim_id, text in claims}
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
