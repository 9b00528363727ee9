"""Set-based claim import: resolve a batch in memory, then insert it with a few statements.

Per batch, documents, predicates and entities are resolved once (cached across
batches), each quote is located against its document's normalised text (built
once per document), spans are looked up and inserted in bulk, and claims,
claim_spans and audit events go in as multi-row inserts (insertmanyvalues with
RETURNING). Everything runs in the caller's transaction: a bad line anywhere
rolls back the whole import. Exact duplicates (same fields and spans as a
stored claim or an earlier line) are skipped and counted.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, tuple_
from sqlalchemy.orm import Session

from . import audit
from .errors import FactbaseError, ImportFileError, InvalidClaim, UndatedDocument
from .ingest import Progress, get_document, read_text
from .models import (
    MODALITIES,
    Claim,
    ClaimSpan,
    Document,
    Entity,
    EntityAlias,
    Event,
    Predicate,
    Span,
)
from .spans import Match, locate
from .timeexpr import TimeQualifier, parse_time
from .vocabulary import Notify, alias_key, get_predicate

BATCH = 2_000
_CHUNK = 500  # bound parameters per IN (...) lookup


@dataclass
class Prepared:
    """One validated claim, resolved to ids except its entities, ready to insert."""

    values: dict[str, Any]
    names: dict[str, str]  # subject / object / attributed_to → entity name
    matches: list[tuple[int, Match]]  # (document id, located quote)
    line: int | None = None
    spans: list[int] = field(default_factory=list)


def _chunks(items: list, size: int = _CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Resolver:
    """Caches of one import: documents, predicates and entities, each looked up once."""

    def __init__(self, session: Session, notify: Notify | None):
        self.session = session
        self.notify = notify
        self.documents: dict[str, Document] = {}
        self.predicates: dict[str, Predicate] = {}
        self.entities: dict[str, int] = {}

    def document(self, slug: str) -> Document:
        if slug not in self.documents:
            self.documents[slug] = get_document(self.session, slug)
        return self.documents[slug]

    def predicate(self, name: str) -> Predicate:
        key = alias_key(name)
        if key not in self.predicates:
            self.predicates[key] = get_predicate(self.session, name)
        return self.predicates[key]

    def entity_ids(self, names: Iterable[str]) -> None:
        """Resolve names to entity ids, creating the unknown ones in bulk (and saying so)."""
        wanted = {alias_key(name): name for name in names if alias_key(name) not in self.entities}
        for chunk in _chunks(list(wanted)):
            self.entities.update(
                self.session.execute(
                    select(EntityAlias.key, EntityAlias.entity_id).where(EntityAlias.key.in_(chunk))
                ).all()
            )
        missing = {key: name for key, name in wanted.items() if key not in self.entities}
        if not missing:
            return
        rows = [{"name": re.sub(r"\s+", " ", name).strip()} for name in missing.values()]
        ids = insert_ids(self.session, Entity, rows)
        self.session.connection().execute(
            insert(EntityAlias.__table__),
            [
                {"entity_id": i, "alias": row["name"], "key": key}
                for i, row, key in zip(ids, rows, missing, strict=True)
            ],
        )
        _events(self.session, "entity", ids, [{"name": row["name"]} for row in rows])
        self.entities.update(zip(missing, ids, strict=True))
        if self.notify:
            names_created = [row["name"] for row in rows]
            if len(names_created) <= 5:
                for name in names_created:
                    self.notify(f"created entity {name!r}")
            else:
                self.notify(f"created {len(names_created)} entities")


def insert_ids(session: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows in bulk and return their ids in order.

    PostgreSQL batches INSERT ... RETURNING with a sort sentinel. SQLite would fall back
    to one statement per row for ordered RETURNING, so ids are assigned here instead:
    safe because the transaction holds SQLite's write lock (or fails to commit on a
    stale snapshot, which `_write` retries).
    """
    if session.get_bind().dialect.name != "sqlite":
        return list(
            session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), rows)
        )
    first = (session.scalar(select(func.max(model.id))) or 0) + 1
    ids = list(range(first, first + len(rows)))
    session.connection().execute(
        insert(model.__table__), [row | {"id": i} for row, i in zip(rows, ids, strict=True)]
    )
    return ids


def _events(session: Session, target: str, ids: list[int], afters: list[dict]) -> None:
    at, actor = audit.now(), audit.current_user()
    session.connection().execute(
        insert(Event.__table__),
        [
            {"at": at, "actor": actor, "action": "create", "target": target, "target_id": i,
             "before": None, "after": after}
            for i, after in zip(ids, afters, strict=True)
        ],
    )  # fmt: skip


def prepare(resolver: Resolver, inp: Any) -> Prepared:
    """Validate one ClaimInput completely, writing nothing."""
    from .claims import value_fields

    text = re.sub(r"\s+", " ", inp.text or "").strip()
    if not text:
        raise InvalidClaim("the claim text is empty")
    if inp.modality not in MODALITIES:
        raise InvalidClaim(f"modality must be one of {', '.join(MODALITIES)}: {inp.modality!r}")
    if not inp.quotes or not all(isinstance(q, str) and q.strip() for q in inp.quotes):
        raise InvalidClaim("a claim needs at least one non-empty quote")
    document = resolver.document(inp.doc)
    predicate = resolver.predicate(inp.predicate)
    values = value_fields(predicate.value_type, inp)
    time = _time(inp, document)
    where = f"document {document.slug!r}"
    matches = [
        (document.id, locate(document.text, unicodedata.normalize("NFC", q), inp.occurrence, where))
        for q in inp.quotes
    ]
    names = {"subject": inp.subject}
    if inp.object:
        names["object"] = inp.object
    if inp.attributed_to:
        names["attributed_to"] = inp.attributed_to
    return Prepared(
        values={
            "text": text,
            "predicate_id": predicate.id,
            "value_text": None,
            "value_number": None,
            "value_unit": None,
            "value_date": None,
            "polarity": "negated" if inp.negated else "affirmed",
            "modality": inp.modality,
            "time_raw": time.raw if time else None,
            "time_earliest": time.earliest if time else None,
            "time_latest": time.latest if time else None,
            "time_precision": time.precision if time else None,
            "time_anchor": time.anchor if time else None,
            "status": "active",
            **values,
        },
        names=names,
        matches=list(dict.fromkeys(matches)),
    )


def _time(inp: Any, document: Document) -> TimeQualifier | None:
    if inp.when is None or not str(inp.when).strip():
        return None
    try:
        return parse_time(
            str(inp.when), anchor=document.date, anchor_precision=document.date_precision or "day"
        )
    except UndatedDocument:
        raise UndatedDocument(
            f"time expression {inp.when!r} is relative but document {document.slug!r} has no "
            "date: date it first (ingest --date, or its metadata file)"
        ) from None


_KEY_COLUMNS = (
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
)


def _key(values: dict[str, Any], spans: Iterable[int]) -> tuple:
    return (*(values[c] for c in _KEY_COLUMNS), frozenset(spans))


def _spans(session: Session, batch: list[Prepared]) -> None:
    """Give every prepared claim its span ids, inserting the spans not stored yet."""
    wanted = {(doc_id, m.start, m.end): m for p in batch for doc_id, m in p.matches}
    ids: dict[tuple[int, int, int], int] = {}
    keys = list(wanted)
    for chunk in _chunks(keys, _CHUNK // 3):
        rows = session.execute(
            select(Span.document_id, Span.start, Span.end, Span.id).where(
                tuple_(Span.document_id, Span.start, Span.end).in_(chunk)
            )
        )
        ids.update({(d, s, e): i for d, s, e, i in rows})
    missing = [key for key in keys if key not in ids]
    if missing:
        new = insert_ids(
            session,
            Span,
            [
                {"document_id": d, "start": s, "end": e, "exact": wanted[(d, s, e)].exact,
                 "prefix": wanted[(d, s, e)].prefix, "suffix": wanted[(d, s, e)].suffix}
                for d, s, e in missing
            ],
        )  # fmt: skip
        ids.update(zip(missing, new, strict=True))
    for prepared in batch:
        prepared.spans = [ids[(d, m.start, m.end)] for d, m in prepared.matches]


def _stored_keys(session: Session, batch: list[Prepared]) -> set[tuple]:
    """Duplicate keys of stored claims in the batch's (subject, predicate) blocks."""
    blocks = list({(p.values["subject_id"], p.values["predicate_id"]) for p in batch})
    keys: set[tuple] = set()
    for chunk in _chunks(blocks, _CHUNK // 2):
        claims: dict[int, dict[str, Any]] = {}
        spans: dict[int, list[int]] = {}
        rows = session.execute(
            select(Claim.id, ClaimSpan.span_id, *(getattr(Claim, c) for c in _KEY_COLUMNS))
            .join(ClaimSpan, ClaimSpan.claim_id == Claim.id)
            .where(tuple_(Claim.subject_id, Claim.predicate_id).in_(chunk))
        )
        for row in rows:
            claims[row[0]] = dict(zip(_KEY_COLUMNS, row[2:], strict=True))
            spans.setdefault(row[0], []).append(row[1])
        keys.update(_key(values, spans[claim_id]) for claim_id, values in claims.items())
    return keys


def store(
    session: Session, resolver: Resolver, batch: list[Prepared], skip_duplicates: bool
) -> tuple[list[int], int]:
    """Insert a prepared batch; returns the new claim ids and how many were duplicates."""
    resolver.entity_ids(name for p in batch for name in p.names.values())
    for prepared in batch:
        for role, name in prepared.names.items():
            prepared.values[f"{role}_id"] = resolver.entities[alias_key(name)]
        prepared.values.setdefault("object_id", None)
        prepared.values.setdefault("attributed_to_id", None)
    _spans(session, batch)
    seen = _stored_keys(session, batch) if skip_duplicates else set()
    fresh = []
    for prepared in batch:
        key = _key(prepared.values, prepared.spans)
        if key in seen:
            continue
        seen.add(key)
        fresh.append(prepared)
    if not fresh:
        return [], len(batch)
    now, user = audit.now(), audit.current_user()
    ids = insert_ids(
        session, Claim, [p.values | {"created_at": now, "created_by": user} for p in fresh]
    )
    session.connection().execute(
        insert(ClaimSpan.__table__),
        [{"claim_id": i, "span_id": s} for i, p in zip(ids, fresh, strict=True) for s in p.spans],
    )
    _events(session, "claim", list(ids), [_jsonable(p.values | {"spans": p.spans}) for p in fresh])
    return list(ids), len(batch) - len(fresh)


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


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


def import_file(
    session: Session,
    path: Path,
    notify: Notify | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH,
) -> ImportResult:
    """Import a JSONL or YAML claim file all or nothing, in batches."""
    from .claims import ClaimInput

    read_text(path)  # the same checks as ingest: missing, empty, binary, not UTF-8
    yaml = path.suffix.lower() in {".yaml", ".yml"}
    items = _yaml(path) if yaml else _jsonl(path)
    total = 0 if yaml else _count_lines(path)
    resolver = Resolver(session, notify)
    result = ImportResult([], 0)
    lines_done = 0
    while batch := list(islice(items, batch_size)):
        prepared = []
        for number, item in batch:
            try:
                one = prepare(resolver, ClaimInput.from_mapping(item))
            except FactbaseError as error:
                raise ImportFileError(
                    f"{path} line {number}: {error}; nothing was imported"
                ) from None
            one.line = number
            prepared.append(one)
        ids, skipped = store(session, resolver, prepared, skip_duplicates=True)
        result.ids += ids
        result.skipped += skipped
        lines_done = batch[-1][0]
        if progress:
            progress(lines_done, max(total, lines_done))
    if not result.ids and not result.skipped:
        raise ImportFileError(f"{path}: no claims in file")
    return result
