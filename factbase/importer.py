"""Set-based claim import: validate a batch in memory, then write it with a few driver calls.

Per batch, documents, predicates, entities and time expressions are resolved once
(cached across batches), each quote is located against its document's normalised
text (built once per document), and spans, claims, claim_spans and audit events are
each written with one driver-level executemany (PostgreSQL: COPY) of plain tuples.
SQLAlchemy's per-row parameter processing cost more than the inserts themselves, so
the rows are built in the form SQLAlchemy's column types would hand the driver
(`Stored`): an imported claim's rows are the same as if the ORM had written them.
The full-text index gets each new claim once, in one statement per batch.
Ids of new entities, spans and claims are reserved first (SQLite: above max(id), safe
under the write lock; PostgreSQL: from the sequence), so no insert needs RETURNING.

Everything runs in the caller's transaction: a bad line anywhere rolls back the whole
import. Exact duplicates (same fields and spans as a stored claim or an earlier line)
are skipped and counted.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from time import perf_counter
from typing import Any, NamedTuple
from unicodedata import normalize

from sqlalchemy import Connection, Date, DateTime, func, select
from sqlalchemy.orm import Session

from . import audit, fulltext, quantities
from .errors import FactbaseError, ImportFileError, InvalidClaim, UndatedDocument
from .ingest import Progress, get_document, read_text
from .inputs import ClaimInput
from .models import MODALITIES, Document
from .reading.timex import parse_time, time_context
from .rules import normalize_quantity
from .spans import Match, locate
from .store import driver_processor, insert_rows
from .values import value_fields
from .vocabulary import Notify, alias_key, clean_name, close_names, created_notice, get_predicate

BATCH = 2_000
_CHUNK = 500  # slugs per document query

# The claim columns an import writes besides id and created_at/by, in table order; the
# first 14 identify a claim for duplicate detection (with its set of spans).
_COLUMNS = (
    "text",
    "subject_id",
    "predicate_id",
    "object_id",
    "value_text",
    "value_number",
    "value_unit",
    "value_date",
    "polarity",
    "modality",
    "attributed_to_id",
    "time_raw",
    "time_earliest",
    "time_latest",
    "time_precision",
    "time_anchor",
    "status",
)
_KEY_WIDTH = _COLUMNS.index("time_latest") + 1
_SPAN_COLUMNS = ("id", "document_id", "start", "end", "exact", "prefix", "suffix")
_EVENT_COLUMNS = ("at", "actor", "action", "target", "target_id", "before", "after")
_NO_TIME = dict.fromkeys(_COLUMNS[_COLUMNS.index("time_raw") : _COLUMNS.index("status")])
_NULL_JSON = json.dumps(None)  # SQLAlchemy's JSON type stores None as JSON null, not NULL


def _iso(value: date) -> str:
    return value.isoformat()


# json.dumps (what SQLAlchemy's JSON type stores), with dates as the ISO text the audit
# log has always held. On SQLite the values' dates already are that text: it is how
# SQLAlchemy stores a date there.
_to_json = json.JSONEncoder(default=_iso).encode


@dataclass(slots=True)
class Prepared:
    """One validated claim, resolved to ids except its entities, ready to insert."""

    values: dict[str, Any]  # claim columns, in the audit record's order; dates as `Stored`
    names: dict[str, str]  # subject_id / object_id / attributed_to_id → entity name
    matches: list[tuple[int, Match]]  # (document id, located quote)
    line: int | None = None
    spans: list[int] = field(default_factory=list)
    unstated: list[str] = field(default_factory=list)  # what the quotes do not state
    document: _Document | None = None  # where the quotes are to be found
    quotes: list[str] = field(default_factory=list)
    occurrence: int | None = None

    def located(self, matches: list[Match]) -> None:
        """Set the claim's spans in its document, each once, in the order given."""
        doc_id = self.document.id
        found = [(doc_id, match) for match in matches]
        self.matches = found if len(found) == 1 else list(dict.fromkeys(found))


class _Document(NamedTuple):
    id: int
    text: str
    where: str  # "document 'slug'", for messages
    slug: str
    date: date | None
    precision: str


def _chunks(items: list, size: int = _CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Stored:
    """Values as SQLAlchemy's column types hand them to this dialect's driver.

    SQLite stores dates and timestamps as text in SQLAlchemy's own format; psycopg
    takes the Python objects. JSON columns get `json.dumps` text on both.
    """

    def __init__(self, connection: Connection):
        self.sqlite = connection.dialect.name == "sqlite"
        self.date = driver_processor(connection, Date())
        self.timestamp = driver_processor(connection, DateTime())


class Resolver:
    """Caches of one import: documents, predicates, entities and times, each resolved once."""

    def __init__(self, session: Session, notify: Notify | None):
        self.session = session
        self.notify = notify
        self.stored = Stored(session.connection())
        self.documents: dict[str, _Document] = {}
        self.predicates: dict[str, tuple[int, str]] = {}  # name as given → (id, value type)
        self.entities: dict[str, int] = {}  # alias key → id
        self.keys: dict[str, str] = {}  # name as given → alias key
        self.cleaned: dict[str, str] = {}  # name as given → as stored
        self.times: dict[tuple[str, date | None, str], dict[str, Any]] = {}
        self.sequences: dict[str, str] = {}  # table → its id sequence (PostgreSQL)
        self.created = 0  # entities this import created so far
        if not self.stored.sqlite:
            # Stale mid-import statistics inflate cost estimates past JIT's threshold;
            # compiling the import's small index lookups costs more than running them.
            session.connection().exec_driver_sql("SET LOCAL jit = off")

    @property
    def connection(self) -> Connection:
        return self.session.connection()

    def document(self, slug: str) -> _Document:
        found = self.documents.get(slug)
        if found is None:
            d = get_document(self.session, slug)
            found = _Document(
                d.id, d.text, f"document {d.slug!r}", d.slug, d.date, d.date_precision or "day"
            )
            self.documents[slug] = found
        return found

    def prefetch(self, slugs: Iterable[Any]) -> None:
        """Load the latest version of the documents these slugs name, one query per chunk.

        Only plain slugs: `slug@N` and unknown slugs are left to `document`, which
        resolves them (or raises) one at a time.
        """
        wanted = {s for s in slugs if isinstance(s, str) and "@" not in s} - set(self.documents)
        for chunk in _chunks(sorted(wanted)):
            latest = (
                select(Document.slug, func.max(Document.version).label("version"))
                .where(Document.slug.in_(chunk))
                .group_by(Document.slug)
                .subquery()
            )
            rows = self.session.execute(
                select(
                    Document.id,
                    Document.slug,
                    Document.text,
                    Document.date,
                    Document.date_precision,
                ).join(
                    latest,
                    (Document.slug == latest.c.slug) & (Document.version == latest.c.version),
                )
            )
            for i, slug, text, day, precision in rows:
                self.documents[slug] = _Document(
                    i, text, f"document {slug!r}", slug, day, precision or "day"
                )

    def predicate(self, name: str) -> tuple[int, str]:
        found = self.predicates.get(name)
        if found is None:
            predicate = get_predicate(self.session, name)
            found = self.predicates[name] = (predicate.id, predicate.value_type)
        return found

    def clean(self, name: str) -> str:
        found = self.cleaned.get(name)
        if found is None:
            found = self.cleaned[name] = clean_name(name)
        return found

    def key(self, name: str) -> str:
        found = self.keys.get(name)
        if found is None:
            found = self.keys[name] = alias_key(name)
        return found

    def time(self, when: str, document: _Document, quotes: Sequence[str] = ()) -> dict[str, Any]:
        """A claim's time columns, stored form; `parse_time` once per expression, date and
        context (the quote, whose tense tells which "Friday" or "June 17" it means)."""
        context = time_context(when, quotes)
        cache = (when, document.date, document.precision, context)
        found = self.times.get(cache)
        if found is None:
            try:
                time = parse_time(
                    when,
                    anchor=document.date,
                    anchor_precision=document.precision,
                    context=context,
                )
            except UndatedDocument:
                raise UndatedDocument(
                    f"time expression {when!r} is relative but {document.where} has no "
                    f"date: date it first (factbase doc edit {document.slug} --date DATE)"
                ) from None
            date_ = self.stored.date
            found = self.times[cache] = {
                "time_raw": time.raw,
                "time_earliest": date_(time.earliest),
                "time_latest": date_(time.latest),
                "time_precision": time.precision,
                "time_anchor": date_(time.anchor),
            }
        return found

    def entity_ids(self, names: Iterable[str]) -> None:
        """Resolve names to entity ids, creating the unknown ones in bulk (and saying so)."""
        wanted: dict[str, str] = {}
        for name in names:
            key = self.key(name)
            if key not in self.entities:
                wanted[key] = name  # the last spelling of a new name wins, as it always has
        self.entities.update(
            (key, i)
            for key, i in _lookup(
                self,
                [(key,) for key in wanted],
                (("k", "text"),),
                "SELECT v.k, (SELECT entity_id FROM entity_aliases WHERE key = v.k) FROM v",
            )
            if i is not None
        )
        missing = {key: name for key, name in wanted.items() if key not in self.entities}
        if not missing:
            return
        created = [clean_name(name) for name in missing.values()]
        ids = _reserve(self, "entities", len(created))
        insert_rows(
            self.connection, "entities", ("id", "name"), list(zip(ids, created, strict=True))
        )
        insert_rows(
            self.connection,
            "entity_aliases",
            ("entity_id", "alias", "key"),
            list(zip(ids, created, missing, strict=True)),
        )
        _events(self, "entity", ids, [_to_json({"name": name}) for name in created])
        self.entities.update(zip(missing, ids, strict=True))
        self.created += len(created)
        if self.notify:
            if self.created <= 5:  # few enough to compare each with every known name
                close = close_names(self.session, created, exclude=ids)
                for name in created:
                    self.notify(created_notice(name, close.get(name)))
            else:
                self.notify(f"created {len(created)} entities")


def _reserve(resolver: Resolver, table: str, count: int) -> list[int]:
    """Ids for `count` new rows of `table`, ascending.

    SQLite: above the largest id, safe because the transaction holds the write lock
    (or fails to commit on a stale snapshot, which `_write` retries). PostgreSQL: from
    the table's sequence, so concurrent writers never collide.
    """
    connection = resolver.connection
    if resolver.stored.sqlite:
        first = (connection.exec_driver_sql(f"SELECT max(id) FROM {table}").scalar() or 0) + 1
        return list(range(first, first + count))
    sequence = resolver.sequences.get(table)
    if sequence is None:
        sequence = resolver.sequences[table] = connection.exec_driver_sql(
            "SELECT pg_get_serial_sequence(%s, 'id')", (table,)
        ).scalar_one()
    rows = connection.exec_driver_sql(
        "SELECT nextval(%s) FROM generate_series(1, %s)", (sequence, count)
    )
    return sorted(row[0] for row in rows)


def _events(resolver: Resolver, target: str, ids: list[int], afters: list[str]) -> None:
    """One audit event per created row; `afters` is each row's JSON text."""
    at = resolver.stored.timestamp(audit.now())
    actor = audit.current_user()
    insert_rows(
        resolver.connection,
        "events",
        _EVENT_COLUMNS,
        [
            (at, actor, "create", target, i, _NULL_JSON, after)
            for i, after in zip(ids, afters, strict=True)
        ],
    )


def prepare(resolver: Resolver, inp: Any, matches: list[Match] | None = None) -> Prepared:
    """Validate one ClaimInput completely and locate its quotes, writing nothing.

    `matches`, when given, are the claim's spans already located (an edit that keeps
    its quotes): its quotes are not searched for again.
    """
    prepared = validate(resolver, inp)
    if matches is None:
        locate_quotes([prepared])
    else:
        prepared.located(matches)
    return prepared


def validate(resolver: Resolver, inp: Any) -> Prepared:
    """Everything `prepare` checks except where the quotes stand (`locate_quotes` does that,
    a batch at a time)."""
    text = " ".join((inp.text or "").split())
    if not text:
        raise InvalidClaim("the claim text is empty")
    if inp.modality not in MODALITIES:
        raise InvalidClaim(f"modality must be one of {', '.join(MODALITIES)}: {inp.modality!r}")
    quotes = inp.quotes
    if not quotes or not all(isinstance(q, str) and q.strip() for q in quotes):
        raise InvalidClaim("a claim needs at least one non-empty quote")
    document = resolver.document(inp.doc)
    predicate_id, value_type = resolver.predicate(inp.predicate)
    value = value_fields(value_type, inp)
    if value.get("value_date") is not None:
        value["value_date"] = resolver.stored.date(value["value_date"])
    when = None if inp.when is None else str(inp.when)
    time = resolver.time(when, document, quotes) if when and when.strip() else _NO_TIME
    number = value.get("value_number")
    unstated = (
        quantities.unstated(
            quotes,
            number,
            None if number is None else normalize_quantity(number, value.get("value_unit"))[0],
            when,
            document.date.year if document.date else None,
        )
        if number is not None or (when and any(c.isdigit() for c in when))
        else []
    )
    names = {}
    for column, what, name in (
        ("subject_id", "subject", inp.subject),
        ("object_id", "object", inp.object),
        ("attributed_to_id", "attributed_to", inp.attributed_to),
    ):
        if name is not None:
            if not resolver.clean(name):
                raise InvalidClaim(f"the {what} name is empty")
            names[column] = name
    return Prepared(
        values={
            "text": text,
            "predicate_id": predicate_id,
            "value_text": None,
            "value_number": None,
            "value_unit": None,
            "value_date": None,
            "polarity": "negated" if inp.negated else "affirmed",
            "modality": inp.modality,
            **time,
            "status": "active",
            **value,
        },
        names=names,
        matches=[],
        unstated=unstated,
        document=document,
        quotes=quotes,
        occurrence=inp.occurrence,
    )


def locate_quotes(
    batch: list[Prepared], failed: Callable[[Prepared, FactbaseError], None] | None = None
) -> None:
    """Find every validated claim's quotes, a document at a time: each document's matching
    form is built once for all the quotes of the batch that cite it.

    `failed`, when given, is told which claim's quote could not be placed before the
    error propagates (an import names its line).
    """
    by_document: dict[int, list[Prepared]] = {}
    for prepared in batch:
        by_document.setdefault(prepared.document.id, []).append(prepared)
    for claims in by_document.values():
        document = claims[0].document
        text, where = document.text, document.where
        for prepared in claims:
            try:
                prepared.located(
                    [
                        locate(text, normalize("NFC", q), prepared.occurrence, where)
                        for q in prepared.quotes
                    ]
                )
            except FactbaseError as error:
                if failed:
                    failed(prepared, error)
                raise


def _lookup(
    resolver: Resolver, keys: list[tuple], columns: tuple[tuple[str, str], ...], query: str
) -> list[tuple]:
    """Rows of `query` over a relation `v` holding `keys`; the query looks each key up by index.

    `columns` names v's columns and their SQL types. SQLite gets a CTE of VALUES, chunked
    within its oldest bound-parameter limit (999); not `(a, b) IN (VALUES ...)`, which
    it answers with a full scan. PostgreSQL gets one array parameter per column.
    """
    if not keys:
        return []
    names = ", ".join(name for name, _type in columns)
    connection = resolver.connection
    if not resolver.stored.sqlite:
        arrays = ", ".join(f"%s::{sql_type}[]" for _name, sql_type in columns)
        return connection.exec_driver_sql(
            f"WITH v({names}) AS (SELECT * FROM unnest({arrays})) {query}",
            tuple(list(column) for column in zip(*keys, strict=True)),
        ).fetchall()
    row = f"({', '.join('?' * len(columns))})"
    found = []
    for chunk in _chunks(keys, 999 // len(columns)):
        found += connection.exec_driver_sql(
            f"WITH v({names}) AS (VALUES {', '.join([row] * len(chunk))}) {query}",
            tuple(x for key in chunk for x in key),
        ).fetchall()
    return found


def assign_spans(resolver: Resolver, batch: list[Prepared]) -> set[int]:
    """Give every prepared claim its span ids, inserting the spans not stored yet; returns
    the ids of the spans inserted (no stored claim can cite them)."""
    wanted = {(doc_id, m.start, m.end): m for p in batch for doc_id, m in p.matches}
    keys = list(wanted)
    ids = {
        (d, s, e): i
        for d, s, e, i in _lookup(
            resolver,
            keys,
            (("d", "integer"), ("s", "integer"), ("e", "integer")),
            "SELECT v.d, v.s, v.e, (SELECT spans.id FROM spans WHERE spans.document_id = v.d"
            ' AND spans.start = v.s AND spans."end" = v.e) FROM v',
        )
        if i is not None
    }
    missing = [key for key in keys if key not in ids]
    new: list[int] = []
    if missing:
        new = _reserve(resolver, "spans", len(missing))
        rows = []
        for i, key in zip(new, missing, strict=True):
            m = wanted[key]
            rows.append((i, key[0], m.start, m.end, m.exact, m.prefix, m.suffix))
        insert_rows(resolver.connection, "spans", _SPAN_COLUMNS, rows)
        ids.update(zip(missing, new, strict=True))
    for prepared in batch:
        prepared.spans = [ids[(d, m.start, m.end)] for d, m in prepared.matches]
    return set(new)


def _stored_keys(
    resolver: Resolver, candidates: list[tuple[int, int, int, str]]
) -> dict[tuple, int]:
    """Duplicate keys of the stored claims matching (span, subject, predicate, text)
    candidates, each with the id of the (first) stored claim that has it.

    A duplicate cites the same spans, so it cites the candidate's first span: the look-up
    starts from that span's few citing claims (claim_spans is indexed by span), never from
    the (subject, predicate) block, which may hold tens of thousands of claims, nor from
    the text, which no index holds.
    """
    # The unary + keeps SQLite from reaching the claims through the (subject, predicate)
    # index, which would read the whole block per candidate; CROSS JOIN fixes the order.
    match = "c.id = c0.claim_id AND +c.subject_id = v.s AND +c.predicate_id = v.p AND c.text = v.t"
    joins = (
        f"CROSS JOIN claim_spans c0 ON c0.span_id = v.sp CROSS JOIN claims c ON {match}"
        " CROSS JOIN claim_spans cs ON cs.claim_id = c.id"
        if resolver.stored.sqlite
        # OFFSET 0 keeps each subquery a per-key index lookup: mid-import statistics are
        # stale, and PostgreSQL would otherwise hash or sort the whole table per batch.
        else "CROSS JOIN LATERAL (SELECT claim_id FROM claim_spans c0"
        " WHERE c0.span_id = v.sp OFFSET 0) c0"
        f" CROSS JOIN LATERAL (SELECT * FROM claims c WHERE {match.replace('+', '')} OFFSET 0) c"
        " CROSS JOIN LATERAL (SELECT span_id FROM claim_spans cs"
        " WHERE cs.claim_id = c.id OFFSET 0) cs"
    )
    columns = ", ".join(f"c.{c}" for c in _COLUMNS[:_KEY_WIDTH])
    claims: dict[int, tuple] = {}
    spans: dict[int, list[int]] = {}
    for claim_id, span_id, *values in _lookup(
        resolver,
        candidates,
        (("sp", "integer"), ("s", "integer"), ("p", "integer"), ("t", "text")),
        f"SELECT c.id, cs.span_id, {columns} FROM v {joins}",
    ):
        claims[claim_id] = tuple(values)
        spans.setdefault(claim_id, []).append(span_id)
    keys: dict[tuple, int] = {}
    for claim_id in sorted(claims):
        keys.setdefault((*claims[claim_id], frozenset(spans[claim_id])), claim_id)
    return keys


def resolve_names(resolver: Resolver, batch: list[Prepared]) -> None:
    """Put the entity ids of every prepared claim's names into its values (creating the
    unknown entities in bulk); a claim without an object or attribution gets NULL."""
    resolver.entity_ids(name for p in batch for name in p.names.values())
    entities, keys = resolver.entities, resolver.keys
    for prepared in batch:
        values = prepared.values
        for column, name in prepared.names.items():
            values[column] = entities[keys[name]]
        values.setdefault("object_id", None)
        values.setdefault("attributed_to_id", None)


def store(
    session: Session,
    resolver: Resolver,
    batch: list[Prepared],
    skip_duplicates: bool,
    clock: _Clock | None = None,
) -> tuple[list[int], list[int]]:
    """Insert a prepared batch; returns the new claim ids and, for each duplicate skipped,
    the id of the stored claim it repeats (0 for a repeat of an earlier line of the batch).

    `clock`, when given, is told when each phase ends (resolve, write, fts, audit).
    """
    session.flush()  # the driver-level statements below must see pending ORM objects
    resolve_names(resolver, batch)
    inserted = assign_spans(resolver, batch)
    rows = [[p.values[c] for c in _COLUMNS] for p in batch]
    seen = (
        _stored_keys(
            resolver,
            list(
                {
                    (p.spans[0], row[1], row[2], row[0])
                    for p, row in zip(batch, rows, strict=True)
                    if p.spans[0] not in inserted
                }
            ),
        )
        if skip_duplicates
        else {}
    )
    if clock:
        clock.lap("resolve")
    fresh: list[tuple[Prepared, list]] = []
    repeats: list[int] = []
    for prepared, row in zip(batch, rows, strict=True):
        claim_key = (*row[:_KEY_WIDTH], frozenset(prepared.spans))
        if claim_key in seen:
            repeats.append(seen[claim_key])
            continue
        seen[claim_key] = 0
        fresh.append((prepared, row))
    if not fresh:
        return [], repeats
    ids = _reserve(resolver, "claims", len(fresh))
    created = (resolver.stored.timestamp(audit.now()), audit.current_user())
    insert_rows(
        resolver.connection,
        "claims",
        ("id", *_COLUMNS, "created_at", "created_by"),
        [(i, *row, *created) for i, (_p, row) in zip(ids, fresh, strict=True)],
    )
    if clock:
        clock.lap("write")
    fulltext.link_new_claims(
        resolver.connection,
        [(i, s) for i, (p, _row) in zip(ids, fresh, strict=True) for s in p.spans],
    )
    if clock:
        clock.lap("fts")
    _events(resolver, "claim", ids, [_to_json({**p.values, "spans": p.spans}) for p, _row in fresh])
    if clock:
        clock.lap("audit")
    return ids, repeats


# Reading files -----------------------------------------------------------------------------


def _jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Stream (line number, object) pairs; a bad line stops the import with its number."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise ImportFileError(
                    f"{path} line {number}: not UTF-8 text; nothing was imported"
                ) from None
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                raise ImportFileError(
                    f"{path} line {number}: invalid JSON ({error.msg} at column {error.colno}); "
                    "nothing was imported"
                ) from None
            if not isinstance(item, dict):
                raise ImportFileError(
                    f"{path} line {number}: expected a JSON object; nothing was imported"
                )
            yield number, item


def _yaml(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    from ruamel.yaml import YAML, YAMLError

    try:
        data = YAML(typ="rt").load(read_text(path))
    except YAMLError as error:
        problem = str(error).replace("\n", " ")
        raise ImportFileError(f"{path}: invalid YAML ({problem}); nothing was imported") from None
    if not isinstance(data, list) or not data:
        raise ImportFileError(f"{path}: expected a YAML list of claims")
    for index, item in enumerate(data):
        line = data.lc.item(index)[0] + 1
        if not isinstance(item, dict):
            raise ImportFileError(f"{path} line {line}: expected a mapping; nothing was imported")
        yield line, json.loads(json.dumps(dict(item), default=str))


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) + 1


@dataclass
class ImportResult:
    ids: list[int]
    skipped: int
    phases: dict[str, float] = field(default_factory=dict)  # seconds spent in each phase


class _Clock:
    """Adds the time since the last lap to a phase: where an import spends its time."""

    def __init__(self, phases: dict[str, float]):
        self.phases = phases
        self.last = perf_counter()

    def lap(self, phase: str) -> None:
        now = perf_counter()
        self.phases[phase] = self.phases.get(phase, 0.0) + now - self.last
        self.last = now


IMPORT_CACHE_KIB = 256 * 1024  # SQLite page cache while importing: far above 2 MB default


def import_file(
    session: Session,
    path: Path,
    notify: Notify | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH,
) -> ImportResult:
    """Import a JSONL or YAML claim file all or nothing, in batches."""
    read_text(path)  # the same checks as ingest: missing, empty, binary, not UTF-8
    resolver = Resolver(session, notify)
    if not resolver.stored.sqlite or _count_lines(path) < batch_size:
        return _import(session, resolver, path, notify, progress, batch_size)
    # SQLite's default page cache (2 MB) cannot hold the index pages a large import
    # touches in random order (claims by subject, spans by document), so every batch
    # re-read and spilled them; the cache only grows to this as pages are used. Not for
    # a small file: it would keep the pages of a huge document it cites too.
    connection = session.connection()
    cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        return _import(session, resolver, path, notify, progress, batch_size)
    finally:
        # An interrupt inside the driver invalidates the connection (the pool drops it,
        # cache and all): touching it again would hide the interrupt behind a
        # PendingRollbackError instead of the one-line "interrupted" message.
        if not connection.invalidated:
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(cache)}")


def _import(
    session: Session,
    resolver: Resolver,
    path: Path,
    notify: Notify | None,
    progress: Progress | None,
    batch_size: int,
) -> ImportResult:
    yaml = path.suffix.lower() in {".yaml", ".yml"}
    items = _yaml(path) if yaml else _jsonl(path)
    total = 0 if yaml else _count_lines(path)
    result = ImportResult([], 0)
    unstated: list[int] = []  # lines whose value or year their quote does not state
    clock = _Clock(result.phases)

    def failed(prepared: Prepared, error: FactbaseError) -> None:
        raise ImportFileError(f"{path} line {prepared.line}: {error}; nothing was imported")

    while batch := list(islice(items, batch_size)):
        resolver.prefetch(item.get("doc") for _number, item in batch)
        prepared = []
        for number, item in batch:
            try:
                one = validate(resolver, ClaimInput.from_mapping(item))
            except FactbaseError as error:
                raise ImportFileError(
                    f"{path} line {number}: {error}; nothing was imported"
                ) from None
            one.line = number
            if one.unstated:
                unstated.append(number)
            prepared.append(one)
        clock.lap("parse")
        locate_quotes(prepared, failed)
        clock.lap("locate")
        ids, repeats = store(session, resolver, prepared, skip_duplicates=True, clock=clock)
        result.ids += ids
        result.skipped += len(repeats)
        if progress:
            progress(batch[-1][0], max(total, batch[-1][0]))
    if not result.ids and not result.skipped:
        raise ImportFileError(f"{path}: no claims in file")
    if unstated and notify:
        shown = ", ".join(str(n) for n in unstated[:10]) + (", …" if len(unstated) > 10 else "")
        notify(
            f"{len(unstated)} claims give a value or year that their quote does not state "
            f"(lines {shown}); they were imported"
        )
    if result.ids and not resolver.stored.sqlite:
        _after_bulk_load(session.connection(), len(result.ids))
    return result


ANALYZE_FROM = 10_000  # claims an import adds before it refreshes PostgreSQL's statistics


def _after_bulk_load(connection: Connection, added: int) -> None:
    """What autovacuum would do after a bulk load on PostgreSQL, done now (where allowed).

    COPY leaves the new claims' words in the GIN index's pending list, which every
    full-text query then scans (~90 ms at 10k claims until autovacuum merges it). A large
    import also leaves the planner's statistics describing a much smaller table: a listing
    limited to 20 claims then took 12 ms instead of 1-3 ms at 100k claims.
    """
    connection.exec_driver_sql(
        "SELECT gin_clean_pending_list(c.oid) FROM pg_class c"
        " WHERE c.relname = 'ix_claims_fts' AND pg_has_role(c.relowner, 'USAGE')"
    )
    if added >= ANALYZE_FROM:
        connection.exec_driver_sql("ANALYZE claims, claim_spans, spans, entities, entity_aliases")
