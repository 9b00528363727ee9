"""Dump and restore the whole base as JSONL, and export the cited spans as Web Annotations.

A dump is lossless and canonical: the first line is a header
``{"format": "factbase-dump", "version": 1, "schema": REVISION}``, then one line
``{"table": NAME, "row": {...}}`` per row, tables parents first
(``Base.metadata.sorted_tables``), rows by primary key, every column in the
model's column order. Values are written so that both backends give the same
bytes: dates and datetimes in ISO 8601 (``date.isoformat()``,
``datetime.isoformat()``, microseconds only when there are any), booleans as
JSON booleans (SQLite's 0/1 included), floats by their shortest round-trip
``repr`` (non-finite ones as the strings "NaN", "Infinity", "-Infinity"), JSON
columns with their keys sorted. Hence dump → restore into an empty database →
dump gives the identical file, from SQLite to PostgreSQL and back.

Restoring writes no audit event of its own: the restored event log is the
dumped one, unchanged.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    Table,
    exists,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError, SAWarning
from sqlalchemy.orm import Session, selectinload

from . import fulltext
from .claims import claim_dict
from .errors import FactbaseError
from .models import Base, Claim, ClaimSpan, Span

FORMAT = "factbase-dump"
VERSION = 1
# Rows fetched per round trip while dumping, and inserted per statement while restoring.
BATCH_ROWS = 1000
# A restore batch is also sent once its lines reach this many characters (document texts).
BATCH_CHARS = 4_000_000


class DumpError(FactbaseError):
    "A dump cannot be written or restored; a failed restore changes nothing"


class MalformedDump(DumpError):
    "A line of a dump file is malformed (the message names the line)"


class RestoreRefused(DumpError):
    "The target database is not empty or not at the dump's schema revision"


# Values: column type → (encode for JSON, decode from JSON) --------------------------------

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


def _encode_float(value: float) -> float | str:
    value = float(value)
    if math.isfinite(value):
        return value  # json writes repr(value): the shortest string that reads back exactly
    return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")


def _sorted_json(value: Any) -> Any:
    """The same JSON value with every object's keys sorted (jsonb and json differ in order)."""
    return json.loads(json.dumps(value, sort_keys=True))


def _encoder(column: Column[Any]) -> Encoder:
    kind = column.type
    if isinstance(kind, Boolean):
        return bool
    if isinstance(kind, Float):
        return _encode_float
    if isinstance(kind, DateTime | Date):
        return lambda value: value.isoformat()
    if isinstance(kind, JSON):
        return _sorted_json
    return lambda value: value


def _expect(ok: bool, what: str, value: Any) -> None:
    if not ok:
        raise ValueError(f"expected {what}, got {json.dumps(value, ensure_ascii=False)[:80]}")


def _decode_int(value: Any) -> int:
    _expect(isinstance(value, int) and not isinstance(value, bool), "an integer", value)
    return value


def _decode_float(value: Any) -> float:
    special = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
    if isinstance(value, str) and value in special:
        return special[value]
    _expect(isinstance(value, int | float) and not isinstance(value, bool), "a number", value)
    return float(value)


def _decode_bool(value: Any) -> bool:
    _expect(isinstance(value, bool), "true or false", value)
    return value


def _decode_str(value: Any) -> str:
    _expect(isinstance(value, str), "a string", value)
    return value


def _iso_decoder(parse: Callable[[str], Any], what: str) -> Decoder:
    """Only the canonical form that a dump writes, so a restored base dumps identically."""

    def decode(value: Any) -> Any:
        try:
            parsed = parse(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        _expect(parsed is not None and parsed.isoformat() == value, what, value)
        return parsed

    return decode


def _decoder(column: Column[Any]) -> Decoder:
    kind = column.type
    if isinstance(kind, Boolean):
        return _decode_bool
    if isinstance(kind, Integer):
        return _decode_int
    if isinstance(kind, Float):
        return _decode_float
    if isinstance(kind, DateTime):
        return _iso_decoder(datetime.fromisoformat, "an ISO datetime (YYYY-MM-DDTHH:MM:SS)")
    if isinstance(kind, Date):
        return _iso_decoder(date.fromisoformat, "an ISO date (YYYY-MM-DD)")
    if isinstance(kind, JSON):
        return lambda value: value
    if isinstance(kind, String):
        return _decode_str
    raise TypeError(f"no dump decoder for column {column} of type {kind!r}")


# Dump ------------------------------------------------------------------------------------


def schema_revision(session: Session) -> str | None:
    """The Alembic revision of the session's database (None: no factbase schema)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(session.connection()).get_current_revision()


def _snapshot(session: Session) -> None:
    """On PostgreSQL, read every table from one snapshot (REPEATABLE READ).

    This only takes effect when the session has not yet used its connection; a
    caller's transaction that already ran queries keeps its own isolation.
    SQLite's read transaction is a snapshot already.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # "connection already established"
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, allow_nan=False) + "\n"


def _rows(session: Session, table: Table) -> Iterator[dict[str, Any]]:
    """A table's rows by primary key, fetched BATCH_ROWS at a time (memory stays flat)."""
    columns = list(table.columns)
    encoders = [_encoder(column) for column in columns]
    query = (
        select(*columns)
        .order_by(*table.primary_key.columns)
        .execution_options(yield_per=BATCH_ROWS)
    )
    for row in session.execute(query):
        yield {
            column.name: None if value is None else encode(value)
            for column, encode, value in zip(columns, encoders, row, strict=True)
        }


def dump(session: Session, out: TextIO) -> dict[str, int]:
    """Write the whole base to `out` as JSONL; returns the number of rows per table.

    `out` should be a UTF-8 text stream (the dump keeps non-ASCII text as is).
    """
    _snapshot(session)
    revision = schema_revision(session)
    if revision is None:
        raise DumpError("this database has no factbase schema: nothing to dump")
    out.write(_line({"format": FORMAT, "version": VERSION, "schema": revision}))
    counts: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        counts[table.name] = 0
        for row in _rows(session, table):
            out.write(_line({"table": table.name, "row": row}))
            counts[table.name] += 1
    return counts


def dump_file(session: Session, path: Path | str) -> dict[str, int]:
    """Dump to `path`, replacing it only once the dump is complete."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as out:
            counts = dump(session, out)
        os.replace(partial, path)
    except OSError as error:
        raise DumpError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        partial.unlink(missing_ok=True)
    return counts


# Restore ---------------------------------------------------------------------------------


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """Numbered non-blank lines; an unreadable file or bad UTF-8 is a DumpError."""
    try:
        with path.open("rb") as lines:
            for number, raw in enumerate(lines, start=1):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as error:
                    raise MalformedDump(
                        f"{path}, line {number}: not UTF-8 text ({error.reason})"
                    ) from None
                if line.strip():
                    yield number, line
    except OSError as error:
        raise DumpError(f"cannot read {path}: {error.strerror or error}") from None


def _parse(path: Path, number: int, line: str) -> dict[str, Any]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise MalformedDump(
            f"{path}, line {number}: not valid JSON ({error.msg} at column {error.colno})"
        ) from None
    if not isinstance(data, dict):
        raise MalformedDump(f"{path}, line {number}: expected a JSON object")
    return data


def _check_header(path: Path, lines: Iterator[tuple[int, str]]) -> str:
    """The dump's schema revision, from its first line."""
    number, line = next(lines, (1, ""))
    if not line:
        raise MalformedDump(f"{path}, line 1: the file is empty, not a factbase dump")
    header = _parse(path, number, line)
    if header.get("format") != FORMAT or not isinstance(header.get("schema"), str):
        raise MalformedDump(f"{path}, line {number}: not a factbase dump header")
    if header.get("version") != VERSION:
        raise MalformedDump(
            f"{path}, line {number}: dump format version {header.get('version')!r}, "
            f"this factbase reads version {VERSION}"
        )
    return header["schema"]


def _check_target(session: Session, revision: str) -> None:
    current = schema_revision(session)
    if current != revision:
        raise RestoreRefused(
            f"the dump is at schema revision {revision}, this database at "
            f"{current or 'none (no factbase schema)'}: restore into an empty database "
            f"at revision {revision}"
        )
    for table in Base.metadata.sorted_tables:
        if session.scalar(select(exists().select_from(table))):
            raise RestoreRefused(
                f"this database is not empty (table {table.name} has rows): "
                "restore only into an empty factbase database"
            )


class _Decoders:
    """Per-table column decoders, built once."""

    def __init__(self) -> None:
        self.tables = {t.name: t for t in Base.metadata.sorted_tables}
        self.order = {name: i for i, name in enumerate(self.tables)}
        self.columns = {
            name: [(c, _decoder(c)) for c in table.columns] for name, table in self.tables.items()
        }

    def row(self, path: Path, number: int, name: str, row: Any) -> dict[str, Any]:
        where = f"{path}, line {number}"
        if not isinstance(row, dict):
            raise MalformedDump(f'{where}: "row" must be a JSON object')
        columns = self.columns[name]
        unknown = sorted(set(row) - {c.name for c, _ in columns})
        if unknown:
            raise MalformedDump(f"{where}: table {name} has no column {unknown[0]!r}")
        values: dict[str, Any] = {}
        for column, decode in columns:
            if column.name not in row:
                raise MalformedDump(f"{where}: {name}.{column.name} is missing")
            value = row[column.name]
            if value is None:
                if not column.nullable:
                    raise MalformedDump(f"{where}: {name}.{column.name} cannot be null")
                values[column.name] = None
                continue
            try:
                values[column.name] = decode(value)
            except ValueError as error:
                raise MalformedDump(f"{where}: {name}.{column.name}: {error}") from None
        return values


def _insert(
    session: Session, path: Path, table: Table, batch: list[dict[str, Any]], lines: tuple[int, int]
) -> None:
    """One multi-row INSERT; a refusal (e.g. a dangling reference) names the lines."""
    try:
        session.execute(table.insert(), batch)
    except DBAPIError as error:
        reason = str(error.orig or error).strip().splitlines()[0]
        raise MalformedDump(
            f"{path}, lines {lines[0]}-{lines[1]}: the database refused "
            f"these {table.name} rows: {reason}"
        ) from None


def _records(
    path: Path, lines: Iterable[tuple[int, str]], decoders: _Decoders
) -> Iterator[tuple[int, int, str, dict[str, Any]]]:
    """(line number, line length, table, decoded row), checking order and primary keys."""
    position, last_id = -1, None
    for number, line in lines:
        record = _parse(path, number, line)
        name = record.get("table")
        if set(record) != {"table", "row"} or not isinstance(name, str):
            raise MalformedDump(f'{path}, line {number}: expected {{"table": ..., "row": ...}}')
        if name not in decoders.tables:
            raise MalformedDump(f"{path}, line {number}: unknown table {name!r}")
        if decoders.order[name] < position:
            raise MalformedDump(
                f"{path}, line {number}: table {name} comes after its dependants "
                "(a dump lists tables parents first)"
            )
        if decoders.order[name] > position:
            position, last_id = decoders.order[name], None
        row = decoders.row(path, number, name, record["row"])
        if last_id is not None and row["id"] <= last_id:
            raise MalformedDump(
                f"{path}, line {number}: {name} id {row['id']} is out of order or repeated"
            )
        last_id = row["id"]
        yield number, len(line), name, row


def _after_restore(session: Session) -> None:
    """Point PostgreSQL's id sequences past the restored ids; rebuild the full-text index."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        for table in Base.metadata.sorted_tables:
            session.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence(:table, 'id'),"
                    f" COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table.name}"
                ),
                {"table": table.name},
            )
    if fulltext.present(session):
        # The triggers indexed the restored claims already; a rebuild makes the index
        # match the claims and their spans whatever triggers the schema holds.
        fulltext.rebuild(session)
    elif dialect == "sqlite":  # a dump of revision 0001-0004: claims_fts over claims.text
        session.execute(text("INSERT INTO claims_fts(claims_fts) VALUES ('rebuild')"))


def restore(session: Session, path: Path | str) -> dict[str, int]:
    """Load a dump into an empty database at the dump's schema revision; rows per table.

    It runs in the caller's transaction: on any error (a malformed line, a
    non-empty target, another schema revision) the caller rolls back and the
    database is unchanged. Primary keys are kept.
    """
    path = Path(path)
    lines = _lines(path)
    _check_target(session, _check_header(path, lines))
    decoders = _Decoders()
    counts = dict.fromkeys(decoders.tables, 0)
    batch: list[dict[str, Any]] = []
    current, first, chars, last = None, 0, 0, 0
    for number, length, name, row in _records(path, lines, decoders):
        if name != current or len(batch) >= BATCH_ROWS or chars >= BATCH_CHARS:
            if current is not None:
                _insert(session, path, decoders.tables[current], batch, (first, last))
            batch, current, first, chars = [], name, number, 0
        batch.append(row)
        counts[name] += 1
        chars += length
        last = number
    if current is not None:
        _insert(session, path, decoders.tables[current], batch, (first, last))
    _after_restore(session)
    return counts


# Web Annotations -------------------------------------------------------------------------

ANNOTATION_CONTEXT_IRI = "http://www.w3.org/ns/anno.jsonld"
FACTBASE_VOCAB = "urn:factbase:vocab:"
RDF_JSON = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
# The one term factbase adds beside anno.jsonld: the structured claim as a JSON text typed
# rdf:JSON, which JSON-LD 1.0 and 1.1 processors both read (1.1's "@type": "@json" is an
# error in 1.0, and a nested object would meet anno.jsonld's "id" alias with an integer).
FACTBASE_TERMS: dict[str, Any] = {
    "factbase": FACTBASE_VOCAB,
    "factbase:claim": {"@id": FACTBASE_VOCAB + "claim", "@type": RDF_JSON},
}
ANNOTATION_CONTEXT: list[Any] = [ANNOTATION_CONTEXT_IRI, FACTBASE_TERMS]
GENERATOR = {"id": "urn:factbase", "type": "Software", "name": "factbase"}


def document_iri(url: str | None, slug: str, version: int) -> str:
    """The document's own URL when it has one, else a stable URN naming the exact version."""
    return url or f"urn:factbase:document:{slug}@{version}"


def claim_json(claim: Claim) -> str:
    """The structured claim as canonical JSON text (sorted keys, no spaces): one literal."""
    return json.dumps(claim_dict(claim), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def annotation(claim: Claim, span: Span) -> dict[str, Any]:
    """One claim–span citation as a W3C Web Annotation (see :func:`export_annotations`)."""
    document = span.document
    return {
        "@context": ANNOTATION_CONTEXT,
        "id": f"urn:factbase:annotation:{claim.id}-{span.id}",
        "type": "Annotation",
        "motivation": "describing",
        "created": claim.created_at.isoformat() + "Z",
        "creator": {"nickname": claim.created_by},
        "generator": GENERATOR,
        "body": [
            {
                "type": "TextualBody",
                "value": claim.text,
                "format": "text/plain",
                "purpose": "describing",
            }
        ],
        "target": {
            "type": "SpecificResource",
            "source": document_iri(document.url, document.slug, document.version),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": span.exact,
                    "prefix": span.prefix,
                    "suffix": span.suffix,
                },
                {"type": "TextPositionSelector", "start": span.start, "end": span.end},
            ],
        },
        "factbase:claim": claim_json(claim),
    }


def export_annotations(session: Session) -> list[dict[str, Any]]:
    """Every span a claim cites, as a W3C Web Annotation, by claim id then span id.

    One annotation per claim–span link (claim_spans row), retracted and
    superseded claims included (their status is in ``factbase:claim``):

    - ``@context`` is ``["http://www.w3.org/ns/anno.jsonld", {factbase terms}]``:
      the Web Annotation context by its URL, as the model requires (annotation
      servers check for the string), with the one factbase term beside it. A
      JSON-LD processor fetches or caches anno.jsonld; the tests expand it
      offline from a vendored copy in JSON-LD 1.0 and 1.1 modes.
    - ``motivation`` is ``describing``: the body says in plain words what the
      quoted passage states; it does not judge it (verdicts are ClaimReview's job).
    - ``body`` is a ``TextualBody`` holding the claim's text; the structured
      claim (subject, predicate, object or value, time, status, spans) is in
      ``factbase:claim``, as canonical JSON text (a literal of type rdf:JSON).
    - ``target.source`` is the document's URL, else
      ``urn:factbase:document:SLUG@VERSION``; the selectors are the span's
      TextQuoteSelector (exact, prefix, suffix) and TextPositionSelector
      (start, end in Unicode code points of the stored NFC text).
    - ``created`` is the claim's creation time (UTC), ``id`` is
      ``urn:factbase:annotation:CLAIM-SPAN``.
    """
    claims = session.scalars(
        select(Claim)
        .where(Claim.id.in_(select(ClaimSpan.claim_id)))
        .order_by(Claim.id)
        .options(
            selectinload(Claim.subject),
            selectinload(Claim.predicate),
            selectinload(Claim.object),
            selectinload(Claim.attributed_to),
            selectinload(Claim.spans).selectinload(Span.document),
        )
    )
    return [annotation(claim, span) for claim in claims for span in claim.spans]
