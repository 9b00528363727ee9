"""A synthetic fact base for the conflict-check benchmark, loaded with Core bulk inserts.

Shape (deterministic for a given seed): about N/20 subjects whose blocks hold mostly 5–40
claims with a long tail; 30 predicates (events, states, attributes; single-valued entity,
string, number and date slots; three declared exclusive pairs); about N/100 documents
whose texts are the concatenated sentences their claims cite, so every span is a real
substring (fsck passes). Each claim restates an underlying *fact*; restatements of one fact
come from different documents and agree (they become corroborations), so the only
conflicts are the planted ones: isolated pairs, ~0.5% of N, one per rule in turn.

Run ``python benchmarks/synthetic.py --claims 100000 --db sqlite:///bench.db``.
"""

from __future__ import annotations

import argparse
import calendar
import hashlib
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, text
from sqlalchemy.engine import Connection

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from factbase.models import (  # noqa: E402  (after sys.path)
    Claim,
    ClaimSpan,
    Document,
    Entity,
    EntityAlias,
    Predicate,
    PredicateAlias,
    PredicateConflict,
    Publication,
    Span,
)
from factbase.spans import CONTEXT  # noqa: E402
from factbase.store import ensure_schema, make_engine  # noqa: E402
from factbase.vocabulary import alias_key  # noqa: E402

BATCH = 10_000
PLANTED_SHARE = 0.005
RULES = ("negation", "single_value", "numeric", "event_date", "exclusive")
FIRST_YEAR, LAST_YEAR = 1990, 2010
CREATED = datetime(2026, 1, 1)
MONTHS = calendar.month_name[1:]

# name, kind, single_valued, value_type, tolerance (absolute, in the base unit)
PREDICATES: list[tuple[str, str, bool, str, float | None]] = [
    *(
        (name, "event", False, "entity", None)
        for name in (
            "visited",
            "hosted",
            "signed an agreement with",
            "held talks with",
            "sanctioned",
            "recognised",
            "attended a summit in",
            "received a delegation from",
        )
    ),
    ("announced", "event", False, "string", None),
    *(
        (name, "state", False, "entity", None)
        for name in (
            "member of",
            "allied with",
            "at war with",
            "supports",
            "opposes",
            "trades with",
            "embargoes",
            "party to",
        )
    ),
    *(
        (name, "state", True, "entity", None)
        for name in ("led by", "headquartered in", "governed by", "chaired by", "based in")
    ),
    *((name, "attribute", True, "string", None) for name in ("address", "official name", "motto")),
    ("population", "attribute", True, "number", 1000.0),
    ("personnel", "attribute", True, "number", 50.0),
    ("budget", "attribute", True, "number", 500_000.0),
    ("border length", "attribute", True, "number", 5000.0),
    ("founded on", "attribute", True, "date", None),
]
EXCLUSIVE = [("allied with", "at war with"), ("supports", "opposes"), ("trades with", "embargoes")]
# Share of facts per category, and how many claims restate one fact.
CATEGORIES = (
    ("event", 0.36),
    ("state", 0.26),
    ("single", 0.14),
    ("string", 0.08),
    ("number", 0.11),
    ("date", 0.05),
)
RESTATEMENTS = ((1, 0.68), (2, 0.2), (3, 0.07), (4, 0.05))
SYLLABLES = "ka ro vel dan mir tor sa len qu bar zen os fal gri dun lo ver ash ti mon rek pa hel"
SUFFIXES = {
    "country": ("Republic", "Federation", "Kingdom"),
    "organisation": ("Institute", "Council", "Party", "Bank", "Ministry", "Union"),
    "city": ("City", "Port"),
    "person": ("Jr",),
}
PUBLICATIONS = [
    "Fortnight Monitor",
    "Caspian Weekly",
    "Steppe Review",
    "Regional Briefing",
    "Eurasia Digest",
    "Daily Dispatch",
    "Policy Quarterly",
    "Wire Service One",
    "The Observer Line",
    "Border Report",
    "Capital Bulletin",
    "Field Notes",
]
STREETS = ("Street NW", "Avenue", "Boulevard", "Road", "Lane", "Square")
STATE_VERBS = {
    "member of": "was a member of",
    "allied with": "was allied with",
    "at war with": "was at war with",
    "supports": "supported",
    "opposes": "opposed",
    "trades with": "traded with",
    "embargoes": "embargoed",
    "party to": "was party to",
}
MOTTO_WORDS = ("unity", "progress", "peace", "labour", "truth", "order", "faith", "liberty")


# Time expressions ---------------------------------------------------------------------------

When = tuple[str | None, date | None, date | None, str | None]  # raw, earliest, latest, precision
TIMELESS: When = (None, None, None, None)


def years(first: int, last: int) -> When:
    raw = str(first) if first == last else f"{first}–{last}"
    return raw, date(first, 1, 1), date(last, 12, 31), "year"


def month(year: int, number: int) -> When:
    last = calendar.monthrange(year, number)[1]
    return f"{MONTHS[number - 1]} {year}", date(year, number, 1), date(year, number, last), "month"


def day(when: date) -> When:
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}", when, when, "day"


def phrase(when: When, ranged: bool = False) -> str:
    """The time as it appears in a sentence ("" for a timeless claim)."""
    raw, _earliest, _latest, precision = when
    if raw is None:
        return ""
    if precision == "year" and "–" in raw:
        first, last = raw.split("–")
        return f" from {first} to {last}" if ranged else f" between {first} and {last}"
    return f" on {raw}" if precision == "day" else f" in {raw}"


# The generator ------------------------------------------------------------------------------


@dataclass
class Generated:
    """What was loaded, and the planted conflicts as (claim a, claim b, rule)."""

    claims: int = 0
    subjects: int = 0
    entities: int = 0
    documents: int = 0
    spans: int = 0
    retracted: int = 0
    planted: set[tuple[int, int, str]] = field(default_factory=set)
    seconds: float = 0.0

    def planted_by_rule(self) -> dict[str, int]:
        counts = Counter(rule for _a, _b, rule in self.planted)
        return {rule: counts[rule] for rule in RULES}


@dataclass
class _OpenDocument:
    sentences: list[tuple[int, str]]  # (claim id, sentence)
    size: int


class _Loader:
    """Buffers rows per table and flushes them in foreign-key order."""

    ORDER = (Claim, Document, Span, ClaimSpan)

    def __init__(self, connection: Connection):
        self.connection = connection
        self.rows: dict[type, list[dict[str, Any]]] = {model: [] for model in self.ORDER}

    def add(self, model: type, row: dict[str, Any]) -> None:
        self.rows[model].append(row)
        if len(self.rows[model]) >= BATCH:
            self.flush()

    def flush(self) -> None:
        for model in self.ORDER:
            if self.rows[model]:
                self.connection.execute(insert(model), self.rows[model])
                self.rows[model] = []


class _Generator:
    def __init__(self, n_claims: int, seed: int, connection: Connection):
        self.n = n_claims
        self.rng = random.Random(seed)
        self.loader = _Loader(connection)
        self.connection = connection
        self.out = Generated()
        self.claim_id = self.document_id = self.span_id = 0
        self.open_documents: list[_OpenDocument] = []
        self.predicate_ids = {spec[0]: i for i, spec in enumerate(PREDICATES, start=1)}
        self.by_kind: dict[str, list[str]] = {key: [] for key, _share in CATEGORIES}
        for name, kind, single, value_type, _tolerance in PREDICATES:
            if value_type in {"string", "number", "date"} and single:
                self.by_kind[value_type].append(name)
            elif single:
                self.by_kind["single"].append(name)
            else:
                self.by_kind[kind].append(name)
        self.group = {name: name for name in self.predicate_ids}
        for a, b in EXCLUSIVE:  # paired predicates share their objects' namespace
            self.group[b] = a

    # Vocabulary, publications --------------------------------------------------------------

    def vocabulary(self) -> None:
        n_subjects = max(10, self.n // 20)
        n_entities = n_subjects + max(200, self.n // 100)
        syllables = SYLLABLES.split()
        names: list[tuple[str, str]] = []
        seen: set[str] = set()
        modulus = len(syllables) ** 4
        index = 0
        while len(names) < n_entities:
            code = (index * 7919 + 12345) % modulus
            index += 1
            parts = [syllables[(code // len(syllables) ** k) % len(syllables)] for k in range(4)]
            kind = list(SUFFIXES)[code % len(SUFFIXES)]
            word = "".join(parts[: 2 + code % 3]).capitalize()
            name = f"{word} {SUFFIXES[kind][code % len(SUFFIXES[kind])]}"
            if alias_key(name) in seen:
                continue
            seen.add(alias_key(name))
            names.append((name, kind))
        self.names = [name for name, _kind in names]
        self.n_subjects = n_subjects
        entities = [
            {"id": i, "name": name, "kind": kind, "external_id": None}
            for i, (name, kind) in enumerate(names, start=1)
        ]
        aliases = [
            {"id": i, "entity_id": i, "alias": name, "key": alias_key(name)}
            for i, (name, _kind) in enumerate(names, start=1)
        ]
        for start in range(0, len(entities), BATCH):
            self.connection.execute(insert(Entity), entities[start : start + BATCH])
            self.connection.execute(insert(EntityAlias), aliases[start : start + BATCH])
        self.out.entities = len(entities)
        self.connection.execute(
            insert(Predicate),
            [
                {
                    "id": i,
                    "name": name,
                    "kind": kind,
                    "single_valued": single,
                    "value_type": value_type,
                    "tolerance": tolerance,
                    "description": f"synthetic {kind} predicate",
                }
                for i, (name, kind, single, value_type, tolerance) in enumerate(PREDICATES, start=1)
            ],
        )
        self.connection.execute(
            insert(PredicateAlias),
            [
                {"id": i, "predicate_id": i, "alias": spec[0], "key": alias_key(spec[0])}
                for i, spec in enumerate(PREDICATES, start=1)
            ],
        )
        self.connection.execute(
            insert(PredicateConflict),
            [
                {
                    "id": i,
                    "predicate_a_id": min(self.predicate_ids[a], self.predicate_ids[b]),
                    "predicate_b_id": max(self.predicate_ids[a], self.predicate_ids[b]),
                }
                for i, (a, b) in enumerate(EXCLUSIVE, start=1)
            ],
        )
        self.connection.execute(
            insert(Publication),
            [
                {"id": i, "name": name, "publisher": f"{name} Ltd", "kind": "periodical"}
                for i, name in enumerate(PUBLICATIONS, start=1)
            ],
        )

    # Block sizes ----------------------------------------------------------------------------

    def block_size(self) -> int:
        """Mostly 5–40 claims per subject, and a long (Pareto) tail up to a few thousand."""
        if self.rng.random() < 0.04:
            return min(3000, int(40 * self.rng.paretovariate(1.3)))
        return max(5, min(40, int(self.rng.lognormvariate(2.65, 0.45))))

    # Documents ------------------------------------------------------------------------------

    def _new_document(self) -> _OpenDocument:
        return _OpenDocument([], max(10, int(self.rng.gauss(100, 30))))

    def cite(self, sentences: list[tuple[int, str]], same_document: bool = False) -> None:
        """Put each (claim id, sentence) in a different open document (or all in one)."""
        if not self.open_documents:
            self.open_documents = [self._new_document() for _ in range(256)]
        if same_document:
            picks = [self.rng.randrange(len(self.open_documents))] * len(sentences)
        else:
            picks = self.rng.sample(range(len(self.open_documents)), len(sentences))
        for pick, sentence in zip(picks, sentences, strict=True):
            self.open_documents[pick].sentences.append(sentence)
        for pick in set(picks):
            document = self.open_documents[pick]
            if len(document.sentences) >= document.size:
                self.close(document)
                self.open_documents[pick] = self._new_document()

    def close(self, document: _OpenDocument) -> None:
        """Write the document (its sentences in paragraphs), one span per cited sentence."""
        if not document.sentences:
            return
        self.document_id += 1
        parts: list[str] = []
        offsets: list[tuple[int, int, int]] = []
        position = 0
        for i, (claim_id, sentence) in enumerate(document.sentences):
            if i:
                separator = "\n\n" if i % 6 == 0 else " "
                parts.append(separator)
                position += len(separator)
            parts.append(sentence)
            offsets.append((claim_id, position, position + len(sentence)))
            position += len(sentence)
        body = "".join(parts)
        published = date(FIRST_YEAR, 1, 1) + timedelta(days=self.rng.randrange(8000))
        self.loader.add(
            Document,
            {
                "id": self.document_id,
                "slug": f"synthetic-{self.document_id:07d}",
                "version": 1,
                "supersedes_id": None,
                "publication_id": 1 + self.document_id % len(PUBLICATIONS),
                "volume": str(published.year - FIRST_YEAR + 1),
                "issue": str(published.month),
                "title": f"Synthetic dispatch {self.document_id}",
                "authors": None,
                "date": published,
                "date_precision": "day",
                "date_source": "stated",
                "date_note": None,
                "url": None,
                "source_path": None,
                "text": body,
                "sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
                "ingested_at": CREATED,
            },
        )
        for claim_id, start, end in offsets:
            self.span_id += 1
            self.loader.add(
                Span,
                {
                    "id": self.span_id,
                    "document_id": self.document_id,
                    "start": start,
                    "end": end,
                    "exact": body[start:end],
                    "prefix": body[max(0, start - CONTEXT) : start],
                    "suffix": body[end : end + CONTEXT],
                },
            )
            self.loader.add(
                ClaimSpan, {"id": self.span_id, "claim_id": claim_id, "span_id": self.span_id}
            )
        self.out.documents += 1
        self.out.spans += len(offsets)

    # Claims ---------------------------------------------------------------------------------

    def claim(
        self,
        subject: int,
        predicate: str,
        sentence: str,
        when: When,
        *,
        object_id: int | None = None,
        value_text: str | None = None,
        number: float | None = None,
        unit: str | None = None,
        value_date: date | None = None,
        negated: bool = False,
        retract: bool = True,
    ) -> tuple[int, str]:
        """Buffer one claim row; returns (claim id, sentence) for `cite`."""
        self.claim_id += 1
        raw, earliest, latest, precision = when
        retracted = retract and self.rng.random() < 0.003
        self.out.retracted += retracted
        roll = self.rng.random()
        self.loader.add(
            Claim,
            {
                "id": self.claim_id,
                "text": sentence,
                "subject_id": subject,
                "predicate_id": self.predicate_ids[predicate],
                "object_id": object_id,
                "value_text": value_text,
                "value_number": number,
                "value_unit": unit,
                "value_date": value_date,
                "polarity": "negated" if negated else "affirmed",
                "modality": "reported" if roll < 0.15 else "hedged" if roll < 0.2 else "asserted",
                "attributed_to_id": None,
                "time_raw": raw,
                "time_earliest": earliest,
                "time_latest": latest,
                "time_precision": precision,
                "time_anchor": None,
                "status": "retracted" if retracted else "active",
                "status_reason": "synthetic retraction" if retracted else None,
                "created_at": CREATED + timedelta(seconds=self.claim_id),
                "created_by": "synthetic",
            },
        )
        self.out.claims += 1
        return self.claim_id, sentence

    def restatements(self) -> int:
        roll, total = self.rng.random(), 0.0
        for count, share in RESTATEMENTS:
            total += share
            if roll < total:
                return count
        return 1

    def fresh_object(self, subject: int, predicate: str, used: dict[str, set[int]]) -> int:
        """An entity this subject has not yet linked through the predicate's group."""
        taken = used.setdefault(self.group[predicate], {subject})
        while True:
            candidate = self.rng.randint(1, len(self.names))
            if candidate not in taken:
                taken.add(candidate)
                return candidate

    def inside(self, first: int, last: int) -> When:
        """A time within the years first..last: the whole range, a year, a month or a day."""
        roll = self.rng.random()
        year = self.rng.randint(first, last)
        if roll < 0.35:
            return years(first, last)
        if roll < 0.7:
            return years(year, year)
        if roll < 0.9:
            return month(year, self.rng.randint(1, 12))
        return day(date(year, 1, 1) + timedelta(days=self.rng.randrange(365)))

    def containing(self, when: date, timeless_share: float = 0.2) -> When:
        """A time containing the day `when`, at day, month or year precision, or none."""
        roll = self.rng.random()
        if roll < timeless_share:
            return TIMELESS
        if roll < 0.6:
            return years(when.year, when.year)
        if roll < 0.85:
            return month(when.year, when.month)
        return day(when)

    def random_day(self) -> date:
        return date(FIRST_YEAR, 1, 1) + timedelta(days=self.rng.randrange(7600))

    # One subject's block --------------------------------------------------------------------

    def block(self, subject: int, size: int, plant: str | None) -> None:
        used: dict[str, set[int]] = {}
        reserved: set[str] = set()
        remaining = size
        if plant:
            reserved |= self.planted(subject, plant, used)
            remaining -= 2
        timelines: dict[str, list[tuple[int, int, int]]] = {}  # predicate -> terms
        constants: dict[str, Any] = {}
        name = self.names[subject - 1]
        categories = [key for key, _share in CATEGORIES]
        weights = [share for _key, share in CATEGORIES]
        while remaining > 0:
            category = self.rng.choices(categories, weights)[0]
            choices = [p for p in self.by_kind[category] if p not in reserved]
            if not choices:
                continue
            predicate = self.rng.choice(choices)
            count = min(remaining, self.restatements())
            rows = self.fact(subject, name, category, predicate, count, used, timelines, constants)
            remaining -= len(rows)
            self.cite(rows)

    def fact(
        self,
        subject: int,
        name: str,
        category: str,
        predicate: str,
        count: int,
        used: dict[str, set[int]],
        timelines: dict[str, list[tuple[int, int, int]]],
        constants: dict[str, Any],
    ) -> list[tuple[int, str]]:
        """`count` claims restating one fact; they agree with each other and the block."""
        rows: list[tuple[int, str]] = []
        if category == "event":
            happened = self.random_day()
            if predicate == "announced":
                announced = used.setdefault("announced", set())
                number = self.rng.randrange(10**6)
                while number in announced:
                    number = self.rng.randrange(10**6)
                announced.add(number)
                value = f"Programme {number}"
                for _ in range(count):
                    when = self.containing(happened)
                    sentence = f"{name} announced the {value}{phrase(when)}."
                    rows.append(self.claim(subject, predicate, sentence, when, value_text=value))
                return rows
            negated = self.rng.random() < 0.03
            obj = self.fresh_object(subject, predicate, used)
            for _ in range(count):
                when = self.containing(happened)
                sentence = f"{name} {predicate} {self.names[obj - 1]}{phrase(when)}."
                if negated:
                    sentence = f"It is not true that {sentence}"
                rows.append(
                    self.claim(subject, predicate, sentence, when, object_id=obj, negated=negated)
                )
        elif category == "state":
            negated = self.rng.random() < 0.03
            obj = self.fresh_object(subject, predicate, used)
            first = self.rng.randint(FIRST_YEAR, LAST_YEAR)
            last = min(LAST_YEAR, first + self.rng.randint(0, 8))
            timeless = self.rng.random() < 0.25
            for _ in range(count):
                when = TIMELESS if timeless else self.inside(first, last)
                verb = STATE_VERBS[predicate]
                sentence = f"{name} {verb} {self.names[obj - 1]}{phrase(when, True)}."
                if negated:
                    sentence = f"It is not true that {sentence}"
                rows.append(
                    self.claim(subject, predicate, sentence, when, object_id=obj, negated=negated)
                )
        elif category == "single":
            terms = timelines.get(predicate)
            if terms is None:
                cuts = sorted(self.rng.sample(range(FIRST_YEAR + 1, LAST_YEAR + 1), 2))
                bounds = [FIRST_YEAR, *cuts[: self.rng.randint(0, 2)], LAST_YEAR + 1]
                terms = [
                    (start, end - 1, self.fresh_object(subject, predicate, used))
                    for start, end in zip(bounds, bounds[1:], strict=False)
                ]
                timelines[predicate] = terms
            first, last, obj = self.rng.choice(terms)
            for _ in range(count):
                when = (
                    TIMELESS
                    if len(terms) == 1 and self.rng.random() < 0.3
                    else self.inside(first, last)
                )
                sentence = f"{name} was {predicate} {self.names[obj - 1]}{phrase(when, True)}."
                rows.append(self.claim(subject, predicate, sentence, when, object_id=obj))
        elif category == "string":
            value = constants.setdefault(predicate, self.string_value(predicate))
            for _ in range(count):
                shown = self.variant(value)
                when = TIMELESS if self.rng.random() < 0.6 else years(*[self.year()] * 2)
                sentence = f"The {predicate} of {name} is {shown}{phrase(when)}."
                rows.append(self.claim(subject, predicate, sentence, when, value_text=shown))
        elif category == "number":
            # One value per year: different years never overlap, so they never conflict.
            series: dict[int, float] = constants.setdefault(predicate, {})
            year = self.year()
            base = series.setdefault(year, self.number_value(predicate))
            for _ in range(count):
                number, unit, shown = self.quantity(predicate, base)
                when = years(year, year) if self.rng.random() < 0.7 else self.inside(year, year)
                sentence = f"The {predicate} of {name} was {shown}{phrase(when)}."
                rows.append(
                    self.claim(subject, predicate, sentence, when, number=number, unit=unit)
                )
        else:
            founded = constants.setdefault(predicate, self.random_day() - timedelta(days=9000))
            for _ in range(count):
                sentence = f"{name} was founded on {day(founded)[0]}."
                rows.append(self.claim(subject, predicate, sentence, TIMELESS, value_date=founded))
        return rows

    def year(self) -> int:
        return self.rng.randint(FIRST_YEAR, LAST_YEAR)

    def string_value(self, predicate: str) -> str:
        if predicate == "address":
            street = f"{self.rng.randint(4, 99)}th {self.rng.choice(STREETS)}"
            return f"{self.rng.randint(1, 9999)} {street}"
        if predicate == "motto":
            return " and ".join(self.rng.sample(MOTTO_WORDS, 2)).capitalize()
        return f"{self.rng.choice(['United', 'Democratic', 'Free'])} {self.rng.randrange(10**5)}"

    def variant(self, value: str) -> str:
        """The same value as another source spells it: case and punctuation differ."""
        roll = self.rng.random()
        if roll < 0.2:
            return value.upper()
        if roll < 0.4:
            return value.lower()
        if roll < 0.55:
            return value.replace(" ", ", ", 1)
        return value

    def number_value(self, predicate: str) -> float:
        if predicate == "population":
            return float(self.rng.randrange(10_000, 10_000_000, 1000))
        if predicate == "personnel":
            return float(self.rng.randrange(100, 50_000, 10))
        if predicate == "budget":
            return float(self.rng.randrange(1, 5000) * 1_000_000)
        return float(self.rng.randrange(10, 5000) * 1000)  # border length in metres

    def quantity(self, predicate: str, base: float) -> tuple[float, str | None, str]:
        """A restatement of `base` within tolerance, as (number, unit, words)."""
        if predicate == "population":
            number = base + self.rng.randrange(-400, 401, 100)
            return number, None, f"{int(number):,}"
        if predicate == "personnel":
            number = base + self.rng.randrange(-20, 21, 10)
            unit = self.rng.choice(["servicemen", "serviceman"])
            return number, unit, f"{int(number):,} {unit}"
        if predicate == "budget":
            number = base + self.rng.randrange(-200_000, 200_001, 100_000)
            if self.rng.random() < 0.5:
                return number / 1e6, "million dollars", f"{number / 1e6:g} million dollars"
            return number, "dollars", f"{int(number):,} dollars"
        number = base + self.rng.randrange(-2000, 2001, 1000)
        if self.rng.random() < 0.5:
            return number / 1000, "km", f"{number / 1000:g} km"
        return number, "m", f"{int(number):,} m"

    # Planted conflicts ----------------------------------------------------------------------

    def planted(self, subject: int, rule: str, used: dict[str, set[int]]) -> set[str]:
        """Two claims that conflict under `rule` and with nothing else; returns the
        single-valued predicates reserved for them (so the block leaves them alone)."""
        name = self.names[subject - 1]
        year = self.year()
        same_document = self.rng.random() < 0.3
        reserved: set[str] = set()
        if rule == "negation":
            predicate = self.rng.choice(self.by_kind["state"])
            obj = self.fresh_object(subject, predicate, used)
            other = self.names[obj - 1]
            a = self.claim(
                subject,
                predicate,
                f"{name} {STATE_VERBS[predicate]} {other}{phrase(years(year, year))}.",
                years(year, year),
                object_id=obj,
                retract=False,
            )
            when = month(year, self.rng.randint(1, 12))
            b = self.claim(
                subject,
                predicate,
                f"It is not true that {name} {STATE_VERBS[predicate]} {other}{phrase(when)}.",
                when,
                object_id=obj,
                negated=True,
                retract=False,
            )
        elif rule == "single_value":
            predicate = self.rng.choice(self.by_kind["single"])
            reserved.add(predicate)
            holders = [self.fresh_object(subject, predicate, used) for _ in range(2)]
            a, b = (
                self.claim(
                    subject,
                    predicate,
                    f"{name} was {predicate} {self.names[obj - 1]}{phrase(years(year, year))}.",
                    years(year, year),
                    object_id=obj,
                    retract=False,
                )
                for obj in holders
            )
        elif rule == "numeric":
            predicate = self.rng.choice(self.by_kind["number"])
            reserved.add(predicate)
            tolerance = next(spec[4] for spec in PREDICATES if spec[0] == predicate) or 0.0
            base = self.number_value(predicate)
            a, b = (
                self.claim(
                    subject,
                    predicate,
                    f"The {predicate} of {name} was {number:,.0f} {unit}"
                    f"{phrase(years(year, year))}.",
                    years(year, year),
                    number=number,
                    unit=unit,
                    retract=False,
                )
                for number, unit in ((base, "units"), (base + 3 * tolerance, "units"))
            )
        elif rule == "event_date":
            predicate = self.rng.choice([p for p in self.by_kind["event"] if p != "announced"])
            obj = self.fresh_object(subject, predicate, used)
            first = self.rng.randint(FIRST_YEAR, LAST_YEAR - 3)
            a, b = (
                self.claim(
                    subject,
                    predicate,
                    f"{name} {predicate} {self.names[obj - 1]}{phrase(when)}.",
                    when,
                    object_id=obj,
                    retract=False,
                )
                for when in (years(first, first), month(first + 3, self.rng.randint(1, 12)))
            )
        else:
            pair = self.rng.choice(EXCLUSIVE)
            obj = self.fresh_object(subject, pair[0], used)
            a, b = (
                self.claim(
                    subject,
                    predicate,
                    f"{name} {STATE_VERBS[predicate]} {self.names[obj - 1]}"
                    f"{phrase(years(year, year))}.",
                    years(year, year),
                    object_id=obj,
                    retract=False,
                )
                for predicate in pair
            )
        self.cite([a, b], same_document=same_document)
        self.out.planted.add((a[0], b[0], rule))
        return reserved

    # Driver ---------------------------------------------------------------------------------

    def run(self) -> Generated:
        self.vocabulary()
        sizes: list[int] = []
        while sum(sizes) < self.n:
            sizes.append(self.block_size())
        sizes[-1] -= sum(sizes) - self.n
        if sizes[-1] < 2:
            sizes[-2] += sizes.pop()
        n_planted = round(self.n * PLANTED_SHARE)
        subjects = self.rng.sample(range(1, len(sizes) + 1), len(sizes))
        if len(sizes) > len(self.names):
            raise ValueError("more blocks than entities")
        planted = {
            subject: RULES[i % len(RULES)]
            for i, subject in enumerate(s for s in subjects if sizes[s - 1] >= 4)
            if i < n_planted
        }
        for subject, size in enumerate(sizes, start=1):
            self.block(subject, size, planted.get(subject))
        for document in self.open_documents:
            self.close(document)
        self.loader.flush()
        self.out.subjects = len(sizes)
        return self.out


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL: explicit ids leave the serial sequences behind; move them past the rows."""
    if connection.dialect.name != "postgresql":
        return
    for model in (
        Claim,
        ClaimSpan,
        Document,
        Entity,
        EntityAlias,
        Predicate,
        PredicateAlias,
        PredicateConflict,
        Publication,
        Span,
    ):
        table = model.__tablename__
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
        )


def generate(url: str, n_claims: int, seed: int = 20261125) -> Generated:
    """Create the schema in an empty database at `url` and load `n_claims` synthetic claims."""
    engine: Engine = make_engine(url)
    try:
        ensure_schema(engine)
        started = time.perf_counter()
        with engine.begin() as connection:
            generated = _Generator(n_claims, seed, connection).run()
            _reset_sequences(connection)
        if engine.dialect.name == "postgresql":  # the statistics autovacuum would gather
            with engine.connect() as connection:
                connection.execute(text("ANALYZE"))
                connection.commit()
        generated.seconds = time.perf_counter() - started
        return generated
    finally:
        engine.dispose()


def iter_summary(generated: Generated) -> Iterator[str]:
    yield (
        f"{generated.claims:,} claims ({generated.retracted:,} retracted), "
        f"{generated.subjects:,} subjects, {generated.entities:,} entities, "
        f"{generated.documents:,} documents, {generated.spans:,} spans "
        f"in {generated.seconds:.1f} s"
    )
    yield f"planted conflicts: {len(generated.planted):,} {generated.planted_by_rule()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--db", required=True, help="database URL (an empty database)")
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args()
    for line in iter_summary(generate(args.db, args.claims, args.seed)):
        print(line)


if __name__ == "__main__":
    main()
