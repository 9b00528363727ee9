"""The conflict check, corroboration and triage: the database around `rules`.

`run_check` streams active claims ordered by subject, so it holds one block
(one subject's claims) at a time and compares claims only inside it (through
keys and interval sweeps, `rules.analyse_block`); its cost grows with the number
of claims, not its square. An incremental check reads only the (subject,
predicate) blocks the audit log shows changed since the last check. A conflict's
identity is (claim a, claim b, rule): re-running the check inserts nothing twice
and never re-raises a confirmed or dismissed conflict. Corroboration is stored
per claim, with a group (``models.CorroboratedClaim``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    Connection,
    DateTime,
    Select,
    delete,
    func,
    insert,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.orm import Session, defer, selectinload

from . import audit, store
from .display import format_number
from .errors import InvalidDecision, UnknownConflict
from .models import (
    Claim,
    ClaimSpan,
    Conflict,
    CorroboratedClaim,
    Document,
    Entity,
    EntityAlias,
    Event,
    Predicate,
    PredicateConflict,
    Publication,
    SourceTrust,
    Span,
)
from .reading.timex import describe, interval_of
from .rules import ClaimFacts, Finding, PredicateInfo, analyse_block, partners
from .slots import Evidence, Slots, Source
from .truth import INITIAL_TRUST
from .values import value_label
from .vocabulary import alias_key, get_entity

DECISIONS = {"confirm": "confirmed", "dismiss": "dismissed", "reopen": "open"}
_BATCH = 5_000


# Reading claims block by block -------------------------------------------------------


def facts_query() -> Select[Any]:
    """Active claims with their cited documents, one row per (claim, span), by subject."""
    return (
        select(
            Claim.id,
            Claim.subject_id,
            Claim.predicate_id,
            Claim.object_id,
            Claim.value_text,
            Claim.value_number,
            Claim.value_unit,
            Claim.value_date,
            Claim.polarity,
            Claim.time_earliest,
            Claim.time_latest,
            Span.document_id,
        )
        .join(ClaimSpan, ClaimSpan.claim_id == Claim.id)
        .join(Span, Span.id == ClaimSpan.span_id)
        .where(Claim.status == "active")
        .order_by(Claim.subject_id, Claim.id)
        .execution_options(yield_per=_BATCH)
    )


def _facts_rows(connection: Connection, query: Select[Any]) -> Iterator[Any]:
    # Core rows, not ORM rows: the check reads every active claim, and the ORM's
    # per-row work would cost more than the rules themselves.
    yield from connection.execute(query)


def _block(rows: Iterable[Any]) -> list[ClaimFacts]:
    """One subject's rows (ordered by claim id, one per cited span) as the rules' dataclasses."""
    block: list[ClaimFacts] = []
    current: list[Any] | None = None
    documents: set[int] = set()
    for row in rows:
        claim_id, subject, *fields, document_id = row
        if current is None or claim_id != current[0]:
            if current is not None:
                block.append(_facts(current, documents))
            current, documents = [claim_id, subject, *fields], set()
        documents.add(document_id)
    if current is not None:
        block.append(_facts(current, documents))
    return block


def _facts(row: list[Any], documents: set[int]) -> ClaimFacts:
    claim_id, subject, predicate, obj, text, number, unit, day, polarity, earliest, latest = row
    return ClaimFacts(
        claim_id,
        subject,
        predicate,
        obj,
        text,
        number,
        unit,
        day,
        polarity == "negated",
        earliest,
        latest,
        frozenset(documents),
    )


def blocks(connection: Connection, query: Select[Any] | None = None) -> Iterator[list[ClaimFacts]]:
    """The active claims grouped by subject: the unit the rules compare within."""
    rows = _facts_rows(connection, facts_query() if query is None else query)
    for _subject, subject_rows in groupby(rows, key=itemgetter(1)):
        yield _block(subject_rows)


def blocks_for_subject(session: Session, subject_id: int) -> list[ClaimFacts]:
    """One subject's active claims (the block a candidate claim is compared with)."""
    query = facts_query().where(Claim.subject_id == subject_id)
    return _block(_facts_rows(session.connection(), query))


def decisions(session: Session) -> dict[tuple[int, int], set[str]]:
    """Reviewers' decisions, confirmed or dismissed, by (lower, higher claim id): what
    truth discovery takes from triage (``slots.Slots.implication``)."""
    decided: dict[tuple[int, int], set[str]] = {}
    for a, b, status in session.execute(
        select(Conflict.claim_a_id, Conflict.claim_b_id, Conflict.status).where(
            Conflict.status.in_(("confirmed", "dismissed"))
        )
    ):
        decided.setdefault((a, b), set()).add(status)
    return decided


def document_sources(session: Session) -> dict[int, Source]:
    """The source of every document: its publication id, else ("document", its id)."""
    return {
        document_id: publication_id if publication_id is not None else ("document", document_id)
        for document_id, publication_id in session.execute(
            select(Document.id, Document.publication_id)
        )
    }


def vocabulary_rules(session: Session) -> tuple[dict[int, PredicateInfo], set[tuple[int, int]]]:
    predicates = {
        p.id: PredicateInfo(
            id=p.id,
            name=p.name,
            kind=p.kind,
            single_valued=p.single_valued,
            tolerance=p.tolerance,
        )
        for p in session.scalars(select(Predicate))
    }
    pairs = {
        (a, b)
        for a, b in session.execute(
            select(PredicateConflict.predicate_a_id, PredicateConflict.predicate_b_id)
        )
    }
    return predicates, pairs


# Explanations -------------------------------------------------------------------------------


def source_label(document: Document) -> str:
    """A source in words: "Fortnight in Review 6/17 (September 2000)"."""
    name = document.publication.name if document.publication else document.slug
    if document.volume or document.issue:
        name += f" {document.volume or '?'}/{document.issue or '?'}"
    when = (
        describe(*interval_of(document.date, document.date_precision), document.date_precision)
        if document.date and document.date_precision
        else "undated"
    )
    return f"{name} ({when})"


def time_label(claim: Claim) -> str:
    """When a claim says something happened, with the phrase it was resolved from."""
    label = describe(claim.time_earliest, claim.time_latest, claim.time_precision)
    if claim.time_raw and claim.time_raw.strip().casefold() != label.casefold():
        label += f" (“{claim.time_raw}”)"
    return label


def _at(claim: Claim) -> str:
    """ " (1999 (“last year”))" for a dated claim, nothing for a timeless one."""
    return f" ({time_label(claim)})" if claim.time_earliest else ""


def _source(claim: Claim) -> str:
    return source_label(claim.spans[0].document) if claim.spans else "an unknown source"


def explain(rule: str, a: Claim, b: Claim, internal: bool) -> str:
    """One sentence naming both sources in words, so a reader can act without the database."""
    src_a, src_b = _source(a), _source(b)
    if internal:
        src_a, src_b = f"{src_a} first", "later in the same document"
    subject = a.subject.name
    if rule == "event_date":
        sentence = (
            f"{src_a} dates “{subject} {a.predicate.name} {value_label(a)}” to {time_label(a)}; "
            f"{src_b} dates it to {time_label(b)}"
        )
    elif rule in {"single_value", "numeric"}:
        sentence = (
            f"{src_a} gives {subject}'s {a.predicate.name} as “{value_label(a)}”{_at(a)}; "
            f"{src_b} gives “{value_label(b)}”{_at(b)}"
        )
        if rule == "numeric":
            sentence += f", beyond the tolerance of {format_number(a.predicate.tolerance or 0)}"
    elif rule == "negation":
        negated, affirmed = (a, b) if a.polarity == "negated" else (b, a)
        src_neg, src_aff = (src_a, src_b) if negated is a else (src_b, src_a)
        sentence = (
            f"{src_aff} says “{affirmed.text}”{_at(affirmed)}; "
            f"{src_neg} denies it: “{negated.text}”{_at(negated)}"
        )
    else:
        sentence = (
            f"{src_a} says {subject} {a.predicate.name} {value_label(a)}{_at(a)}; "
            f"{src_b} says {subject} {b.predicate.name} {value_label(b)}{_at(b)}; "
            f"“{a.predicate.name}” and “{b.predicate.name}” are declared mutually exclusive"
        )
    return sentence


def _claims_by_id(session: Session, ids: Iterable[int]) -> dict[int, Claim]:
    wanted = sorted(set(ids))
    found: dict[int, Claim] = {}
    for start in range(0, len(wanted), _BATCH):
        chunk = wanted[start : start + _BATCH]
        query = (
            select(Claim)
            .where(Claim.id.in_(chunk))
            .options(
                selectinload(Claim.subject),
                selectinload(Claim.object),
                selectinload(Claim.predicate),
                # Explanations name a document by publication, issue and date; its text
                # (tens of kB each, thousands of documents at scale) is not loaded.
                selectinload(Claim.spans)
                .selectinload(Span.document)
                .options(defer(Document.text), selectinload(Document.publication)),
            )
        )
        found.update((claim.id, claim) for claim in session.scalars(query))
    return found


# The check -----------------------------------------------------------------------------------


# Below this many active claims a check runs in one process: forking and reconnecting
# cost more than they save.
PARALLEL_MIN_CLAIMS = 50_000


@dataclass
class Scan:
    """What the rules found in some blocks: conflicts by identity, corroborated claims, and
    the truth-discovery evidence of the same claims (slots never cross subjects)."""

    claims: int = 0
    findings: dict[tuple[int, int, str], Finding] = field(default_factory=dict)
    corroborated: dict[int, int] = field(default_factory=dict)  # claim id -> group id
    evidence: Evidence = field(default_factory=Evidence)

    def add(self, other: Scan) -> None:
        self.claims += other.claims
        self.findings.update(other.findings)
        self.corroborated.update(other.corroborated)
        self.evidence.extend(other.evidence)


@dataclass(frozen=True)
class Vocabulary:
    """What a scan compares claims with: the rules' vocabulary, documents' sources, triage."""

    predicates: dict[int, PredicateInfo]
    pairs: set[tuple[int, int]]
    sources: dict[int, Source]
    decisions: dict[tuple[int, int], set[str]]
    trust: bool = True  # collect truth-discovery evidence (a full check stores trust)


def scan(blocks: Iterable[list[ClaimFacts]], vocabulary: Vocabulary) -> Scan:
    """Run the rules over `blocks`, and collect the slots that can move trust."""
    found = Scan()
    for block in blocks:
        found.claims += len(block)
        result = analyse_block(block, vocabulary.predicates, vocabulary.pairs)
        for finding in result.findings:
            found.findings[(finding.a, finding.b, finding.rule)] = finding
        found.corroborated.update(result.corroborated)
        if not vocabulary.trust:
            continue
        slots = Slots(vocabulary.predicates, vocabulary.decisions)
        for claim in block:
            slots.add(claim, (vocabulary.sources[d] for d in claim.documents))
        slots.evidence(into=found.evidence)
    return found


def _scan_part(
    url: str,
    snapshot: str | None,
    part: int,
    parts: int,
    vocabulary: Vocabulary,
) -> Scan:
    """One worker's share: the subjects with id % parts == part, in a connection of its own."""
    engine = store.make_engine(url)
    try:
        with engine.connect() as connection:
            if snapshot is not None:  # PostgreSQL: see exactly what the parent's check sees
                connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                connection.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            query = facts_query().where(Claim.subject_id % parts == part)
            return scan(blocks(connection, query), vocabulary)
    finally:
        engine.dispose()


def worker_count(session: Session, workers: int | None) -> int:
    """How many processes to scan with: `workers`, else one per core on a large base."""
    url = session.get_bind().url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return 1  # an in-memory database exists only in this process
    if workers is not None:
        return max(1, workers)
    size = session.scalar(select(func.max(Claim.id))) or 0  # an index look-up, not a count
    return min(os.cpu_count() or 1, 4) if size >= PARALLEL_MIN_CLAIMS else 1


def scan_all(session: Session, workers: int | None = None, trust: bool = True) -> Scan:
    """Run the rules over every active claim, splitting the subjects over `workers` processes.

    Blocks never cross subjects, so each worker reads and compares its own subjects; on
    SQLite the parent's write lock, on PostgreSQL an exported snapshot, make every worker
    see the same claims as the parent transaction. `trust`: also collect the evidence
    truth discovery needs.
    """
    vocabulary = Vocabulary(
        *vocabulary_rules(session), document_sources(session), decisions(session), trust
    )
    parts = worker_count(session, workers)
    connection = session.connection()
    if parts == 1:
        return scan(blocks(connection), vocabulary)
    snapshot = None
    if connection.dialect.name == "postgresql":
        snapshot = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
    import multiprocessing  # only a large check forks; every command imports this module

    url = session.get_bind().url.render_as_string(hide_password=False)
    # fork: the workers inherit the loaded modules; they open their own connections and
    # never touch the parent's.
    with multiprocessing.get_context("fork").Pool(parts) as pool:
        results = pool.starmap(
            _scan_part, [(url, snapshot, part, parts, vocabulary) for part in range(parts)]
        )
    found = Scan()
    for result in results:
        found.add(result)
    return found


def scan_blocks(session: Session, scope: Sequence[tuple[int, int]]) -> Scan:
    """Run the rules over the (subject, predicate) blocks of `scope` only (an incremental
    check; `scope` holds every predicate declared exclusive with one of it)."""
    vocabulary = Vocabulary(*vocabulary_rules(session), {}, {}, trust=False)
    found = Scan()
    connection = session.connection()
    for chunk in _chunks(sorted(scope)):
        query = facts_query().where(*_of_blocks(chunk))
        found.add(scan(blocks(connection, query), vocabulary))
    return found


def _chunks(ids: Sequence[int], size: int = 900) -> Iterator[Sequence[int]]:
    """Id lists small enough for one IN (...) on every backend."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


# Incremental checks ----------------------------------------------------------------------------

# Below this many claims `check` compares everything: a full check costs well under a
# second there and refreshes the stored trust, which an incremental check keeps.
INCREMENTAL_MIN_CLAIMS = 50_000
CHECK_MODES = ("auto", "full", "incremental")
# Audit events that change no claim's compared fields: they leave every block as it was.
# (Renames re-explain conflicts at once; decisions and document metadata move trust only;
# a new predicate has no claims yet, and the claims given it later are claim events.)
_HARMLESS = {
    ("entity", "create"),
    ("entity", "update"),
    ("entity", "rename"),
    ("entity", "alias add"),
    ("entity", "alias remove"),
    ("document", "create"),
    ("document", "edit"),
    ("publication", "create"),
    ("predicate", "create"),
}


def last_check(session: Session) -> int | None:
    """The audit event of the last check: the watermark of an incremental check."""
    return session.scalar(
        select(func.max(Event.id)).where(Event.target == "conflicts", Event.action == "check")
    )


Block = tuple[int, int]  # (subject id, predicate id)


def dirty_blocks(session: Session, since: int) -> set[Block] | None:
    """The (subject, predicate) blocks changed after audit event `since`, from the audit
    log: those of every claim created, edited, retimed or retracted, those an edit moved a
    claim out of, and those of the claims an entity merge moved; then every predicate
    declared exclusive with one of them, under the same subject. None when some change
    cannot be placed (a predicate edited, an unknown kind of event): check everything.
    """
    claim_ids: set[int] = set()
    scope: set[Block] = set()
    moved: set[tuple[str, str]] = set()  # (subject name, predicate name) a claim left
    events = session.execute(
        select(Event.target, Event.action, Event.target_id, Event.before, Event.after)
        .where(Event.id > since)
        .order_by(Event.id)
    )
    for target, action, target_id, before, after in events:
        if target == "claim" and target_id is not None:
            claim_ids.add(target_id)
            if before and after:
                old = (before.get("subject"), before.get("predicate"))
                if old != (after.get("subject"), after.get("predicate")):
                    moved.add(old)
        elif target == "entity" and action == "merge":
            claim_ids.update((after or {}).get("claims_moved", ()))
        elif target == "conflict" or (target, action) in _HARMLESS:
            continue
        else:
            return None
    for chunk in _chunks(sorted(claim_ids)):
        scope.update(
            (subject, predicate)
            for subject, predicate in session.execute(
                select(Claim.subject_id, Claim.predicate_id).where(Claim.id.in_(chunk))
            )
        )
    for subject_name, predicate_name in moved:
        subject = session.scalar(
            select(EntityAlias.entity_id).where(EntityAlias.key == alias_key(subject_name))
        )
        predicate = session.scalar(select(Predicate.id).where(Predicate.name == predicate_name))
        if subject is None or predicate is None:  # renamed or merged away since
            return None
        scope.add((subject, predicate))
    partners: dict[int, set[int]] = {}
    for a, b in vocabulary_rules(session)[1]:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    return scope | {(s, q) for s, p in scope for q in partners.get(p, ())}


def _choose_scope(session: Session, mode: str) -> set[Block] | None:
    """The blocks to compare (None: all of them) for `mode` (``CHECK_MODES``)."""
    if mode not in CHECK_MODES:
        raise ValueError(f"check mode must be one of {CHECK_MODES}, not {mode!r}")
    since = None if mode == "full" else last_check(session)
    if since is None:
        return None
    size = session.scalar(select(func.max(Claim.id))) or 0
    if mode == "auto" and size < INCREMENTAL_MIN_CLAIMS:
        return None
    return dirty_blocks(session, since)


def _in_scope(column: Any, scope: set[Block] | None) -> Iterator[Any]:
    """WHERE clauses over the claims of the `scope` blocks, one per chunk (None: one, for
    every claim)."""
    if scope is None:
        yield None
        return
    for chunk in _chunks(sorted(scope)):
        yield column.in_(select(Claim.id).where(*_of_blocks(chunk)))


def _of_blocks(chunk: Sequence[Block]) -> tuple[Any, Any]:
    """WHERE clauses for the claims of some blocks. The subjects' IN list is redundant but
    lets SQLite use the (subject, predicate) index, which it does not for row values."""
    return (
        Claim.subject_id.in_(sorted({subject for subject, _predicate in chunk})),
        tuple_(Claim.subject_id, Claim.predicate_id).in_(chunk),
    )


# The check ---------------------------------------------------------------------------------


def run_check(session: Session, workers: int | None = None, mode: str = "auto") -> dict[str, Any]:
    """Find conflicts and corroborations, persist what is new, resolve what has gone.

    `mode`: "full" compares every block and stores the sources' trust; "incremental"
    compares only the blocks changed since the last check (``dirty_blocks``; everything
    when there was none or a change cannot be placed) and keeps the stored trust; "auto"
    is incremental from ``INCREMENTAL_MIN_CLAIMS`` claims on. Both store the same
    conflicts, corroborations and resolutions.
    """
    scope = _choose_scope(session, mode)
    full = scope is None
    found = scan_all(session, workers) if full else scan_blocks(session, sorted(scope))
    findings, claims_seen = found.findings, found.claims
    now = audit.now()
    existing: dict[tuple[int, int, str], tuple[int, str]] = {}
    for where in _in_scope(Conflict.claim_a_id, scope):
        query = select(
            Conflict.id, Conflict.claim_a_id, Conflict.claim_b_id, Conflict.rule, Conflict.status
        )
        for row in session.execute(query if where is None else query.where(where)):
            existing[(row.claim_a_id, row.claim_b_id, row.rule)] = (row.id, row.status)
    if not full:  # a conflict whose second claim moved into a changed block
        for where in _in_scope(Conflict.claim_b_id, scope):
            for row in session.execute(
                select(
                    Conflict.id,
                    Conflict.claim_a_id,
                    Conflict.claim_b_id,
                    Conflict.rule,
                    Conflict.status,
                ).where(where)
            ):
                existing[(row.claim_a_id, row.claim_b_id, row.rule)] = (row.id, row.status)
    new = [key for key in findings if key not in existing]
    claims = _claims_by_id(session, (claim_id for a, b, _rule in new for claim_id in (a, b)))
    rows = [
        {
            "claim_a_id": a,
            "claim_b_id": b,
            "rule": rule,
            "internal": findings[(a, b, rule)].internal,
            "explanation": explain(rule, claims[a], claims[b], findings[(a, b, rule)].internal),
            "status": "open",
            "detected_at": now,
        }
        for a, b, rule in sorted(new)
    ]
    for start in range(0, len(rows), _BATCH):
        session.connection().execute(insert(Conflict.__table__), rows[start : start + _BATCH])
    gone = [
        cid for key, (cid, status) in existing.items() if key not in findings and status == "open"
    ]
    # Resolved by an earlier check (or an edit) and firing again: back in the queue.
    back = [
        cid for key, (cid, status) in existing.items() if key in findings and status == "resolved"
    ]
    for start in range(0, len(back), _BATCH):
        session.execute(
            update(Conflict)
            .where(Conflict.id.in_(back[start : start + _BATCH]))
            .values(status="open", reason=None, decided_at=None, decided_by=None)
        )
    if back:
        _reexplain(session, session.scalars(select(Conflict).where(Conflict.id.in_(back))).all())
    for start in range(0, len(gone), _BATCH):
        session.execute(
            update(Conflict)
            .where(Conflict.id.in_(gone[start : start + _BATCH]))
            .values(status="resolved", reason="no longer detected by check", decided_at=now)
        )
    corroborated = _sync_corroborations(session, found.corroborated, scope, now)
    if full:
        _store_trust(session, found.evidence.trust(), now)
    audit.record(
        session,
        "check",
        "conflicts",
        None,
        after={
            "new": len(rows),
            "resolved": len(gone),
            "reopened": len(back),
            "claims": claims_seen,
            "full": full,
        },
    )
    session.flush()
    return {
        "full": full,
        "blocks_checked": None if full else len(scope),
        "claims_checked": claims_seen,
        "new": len(rows),
        "resolved": len(gone),
        "reopened": len(back),
        "corroborations": corroborated,
        "conflicts": [conflict_dict(c) for c in list_conflicts(session, exclude_resolved=True)],
    }


def publication_claim_counts(connection: Any) -> tuple[dict[int, int], dict[int, int]]:
    """Per publication id: its active claims, and those of them corroborated, by GROUP BY
    over every cited span (seconds on a large base: the full check stores them)."""
    active = (
        select(Document.publication_id.label("pid"), ClaimSpan.claim_id.label("claim_id"))
        .join(Span, Span.document_id == Document.id)
        .join(ClaimSpan, ClaimSpan.span_id == Span.id)
        .join(Claim, Claim.id == ClaimSpan.claim_id)
        .where(Document.publication_id.is_not(None), Claim.status == "active")
        .subquery()
    )
    count = func.count(func.distinct(active.c.claim_id))
    claims = dict(connection.execute(select(active.c.pid, count).group_by(active.c.pid)).all())
    corroborated = dict(
        connection.execute(
            select(active.c.pid, count)
            .join(CorroboratedClaim, CorroboratedClaim.claim_id == active.c.claim_id)
            .group_by(active.c.pid)
        ).all()
    )
    return claims, corroborated


def _store_trust(session: Session, trust: dict[Source, float], now: Any) -> None:
    """Replace the stored trust: every publication's (t0 without evidence), and that of
    every document without a publication, which is a source of its own."""
    connection = session.connection()
    connection.execute(delete(SourceTrust))
    claims, corroborated = publication_claim_counts(connection)
    rows = [
        {
            "publication_id": pid,
            "document_id": None,
            "trust": trust.get(pid, INITIAL_TRUST),
            "claims": claims.get(pid, 0),
            "corroborated": corroborated.get(pid, 0),
        }
        for pid in connection.scalars(select(Publication.id).order_by(Publication.id))
    ] + [
        {
            "publication_id": None,
            "document_id": did,
            "trust": trust.get(("document", did), INITIAL_TRUST),
            "claims": None,
            "corroborated": None,
        }
        for did in connection.scalars(
            select(Document.id).where(Document.publication_id.is_(None)).order_by(Document.id)
        )
    ]
    for start in range(0, len(rows), _BATCH):
        connection.execute(
            insert(SourceTrust),
            [row | {"checked_at": now} for row in rows[start : start + _BATCH]],
        )


def _sync_corroborations(
    session: Session, corroborated: dict[int, int], scope: set[Block] | None, now: Any
) -> int:
    """Store the corroborated claims of the checked blocks (all, or `scope`), keeping
    the rows that did not change; returns how many claims the whole base has corroborated."""
    connection = session.connection()
    table = CorroboratedClaim.__table__
    existing: dict[int, tuple[int, int]] = {}
    for where in _in_scope(table.c.claim_id, scope):
        query = select(table.c.id, table.c.claim_id, table.c.group_id)
        for row_id, claim_id, group_id in connection.execute(
            query if where is None else query.where(where)
        ):
            existing[claim_id] = (row_id, group_id)
    stale = [
        row_id
        for claim_id, (row_id, group) in existing.items()
        if corroborated.get(claim_id) != group
    ]
    for start in range(0, len(stale), _BATCH):
        connection.execute(delete(table).where(table.c.id.in_(stale[start : start + _BATCH])))
    stamp = store.driver_processor(connection, DateTime())(now)
    store.insert_rows(
        connection,
        "corroborated_claims",
        ("claim_id", "group_id", "detected_at"),
        [
            (claim_id, group, stamp)
            for claim_id, group in sorted(corroborated.items())
            if existing.get(claim_id, (None, None))[1] != group
        ],
    )
    if scope is None:
        return len(corroborated)
    return connection.scalar(select(func.count()).select_from(table)) or 0


# Triage --------------------------------------------------------------------------------------


def conflict_dict(conflict: Conflict) -> dict[str, Any]:
    """The JSON shape of a conflict (DESIGN.md §4 plus its triage state)."""
    return {
        "id": conflict.id,
        "rule": conflict.rule,
        "claims": [conflict.claim_a_id, conflict.claim_b_id],
        "explanation": conflict.explanation,
        "status": conflict.status,
        "internal": conflict.internal,
        "reason": conflict.reason,
        "detected_at": conflict.detected_at.isoformat(),
        "decided_at": conflict.decided_at.isoformat() if conflict.decided_at else None,
        "decided_by": conflict.decided_by,
    }


def list_conflicts(
    session: Session,
    status: str | None = None,
    rule: str | None = None,
    entity: str | None = None,
    exclude_resolved: bool = False,
) -> list[Conflict]:
    query = select(Conflict).order_by(Conflict.id)
    if status:
        query = query.where(Conflict.status == status)
    elif exclude_resolved:
        query = query.where(Conflict.status != "resolved")
    if rule:
        query = query.where(Conflict.rule == rule)
    if entity:
        entity_id = get_entity(session, entity).id
        involved = select(Claim.id).where(
            or_(Claim.subject_id == entity_id, Claim.object_id == entity_id)
        )
        query = query.where(
            or_(Conflict.claim_a_id.in_(involved), Conflict.claim_b_id.in_(involved))
        )
    return list(session.scalars(query))


def get_conflict(session: Session, conflict_id: int) -> Conflict:
    conflict = session.get(Conflict, conflict_id)
    if conflict is None:
        raise UnknownConflict(f"no conflict with id {conflict_id}")
    return conflict


def decide(session: Session, conflict_id: int, decision: str, reason: str | None) -> Conflict:
    """Confirm, dismiss (with a reason) or reopen a conflict; the audit log keeps who and when."""
    conflict = get_conflict(session, conflict_id)
    status = DECISIONS[decision]
    if decision == "dismiss" and not (reason and reason.strip()):
        raise InvalidDecision("dismissing a conflict needs a --reason")
    if conflict.status == "resolved":
        raise InvalidDecision(f"conflict {conflict_id} is resolved ({conflict.reason})")
    if conflict.status == status:
        raise InvalidDecision(f"conflict {conflict_id} is already {status}")
    reopen = decision == "reopen"
    kept = None if reopen or not reason else reason.strip()
    _transition(session, conflict, decision, status, kept, decided=not reopen)
    return conflict


def _transition(
    session: Session,
    conflict: Conflict,
    action: str,
    status: str,
    reason: str | None = None,
    decided: bool = True,
    why: str | None = None,
) -> None:
    """Move a conflict to `status` with one audit event: `decided` stamps who and when (a
    reopened conflict has neither); `why` says in the event what caused the move."""
    before = conflict_dict(conflict)
    conflict.status, conflict.reason = status, reason
    conflict.decided_at = audit.now() if decided else None
    conflict.decided_by = audit.current_user() if decided else None
    session.flush()
    after = conflict_dict(conflict)
    audit.record(
        session,
        action,
        "conflict",
        conflict.id,
        before=before,
        after=after if why is None else after | {"why": why},
    )


def resolve_for_claim(session: Session, claim_id: int, reason: str) -> int:
    """Resolve the open conflicts of a claim that left the check (e.g. was retracted)."""
    open_conflicts = session.scalars(
        select(Conflict).where(Conflict.status == "open", _of_claims([claim_id]))
    ).all()
    for conflict in open_conflicts:
        _transition(session, conflict, "resolve", "resolved", reason)
    return len(open_conflicts)


def _of_claims(claim_ids: Iterable[int]) -> Any:
    ids = sorted(set(claim_ids))
    return or_(Conflict.claim_a_id.in_(ids), Conflict.claim_b_id.in_(ids))


def reopen_for_claims(session: Session, claim_ids: Iterable[int], why: str) -> list[Conflict]:
    """Reopen the decided conflicts of claims whose compared fields changed.

    A reviewer decided on the claims as they were; once a subject, predicate, value,
    polarity or time changes, that decision may no longer fit, so it goes back to the
    queue (the audit log keeps the old decision).
    """
    decided = session.scalars(
        select(Conflict)
        .where(Conflict.status.in_(("confirmed", "dismissed")), _of_claims(claim_ids))
        .order_by(Conflict.id)
    ).all()
    for conflict in decided:
        _transition(session, conflict, "reopen", "open", decided=False, why=why)
    return list(decided)


def refresh_explanations(session: Session, claim_ids: Iterable[int]) -> None:
    """Re-explain the conflicts of edited claims: explanations name values, dates, sources."""
    _reexplain(
        session,
        session.scalars(
            select(Conflict).where(Conflict.status != "resolved", _of_claims(claim_ids))
        ).all(),
    )


def _reexplain(session: Session, found: Sequence[Conflict]) -> None:
    claims = _claims_by_id(session, (i for c in found for i in (c.claim_a_id, c.claim_b_id)))
    for conflict in found:
        a, b = claims[conflict.claim_a_id], claims[conflict.claim_b_id]
        conflict.explanation = explain(conflict.rule, a, b, conflict.internal)
    session.flush()


def corroborating(session: Session, claim_id: int) -> list[int]:
    """The claims that corroborate `claim_id`, as of the last check: the members of its
    group that ``rules.corroborates`` accepts (a group of n costs n rows, not n² pairs)."""
    table = CorroboratedClaim.__table__
    group = select(table.c.group_id).where(table.c.claim_id == claim_id).scalar_subquery()
    members = list(session.scalars(select(table.c.claim_id).where(table.c.group_id == group)))
    if len(members) < 2:
        return []
    facts = {
        c.id: c
        for c in _block(
            _facts_rows(session.connection(), facts_query().where(Claim.id.in_(members)))
        )
    }
    claim = facts.get(claim_id)
    if claim is None:  # retracted since the check
        return []
    predicate = session.get(Predicate, claim.predicate)
    tolerance = predicate.tolerance if predicate else None
    return partners(claim, facts.values(), tolerance)


def corroborated_ids(session: Session) -> set[int]:
    """Every claim the last check found corroborated."""
    return set(session.scalars(select(CorroboratedClaim.claim_id)))


def conflicting(session: Session, claim_id: int) -> list[int]:
    return list(
        session.scalars(
            select(Conflict.id)
            .where(or_(Conflict.claim_a_id == claim_id, Conflict.claim_b_id == claim_id))
            .order_by(Conflict.id)
        )
    )


# The review queue ---------------------------------------------------------------------------

QUEUE_FACETS = ("status", "rule", "subject", "publication")


@dataclass
class QueueFilter:
    """What a reviewer narrows the conflict queue to; None keeps every value of a facet."""

    status: str | None = None
    rule: str | None = None
    subject: str | None = None
    publication: str | None = None
    ids: list[int] | None = None  # just these conflicts (one row, refreshed after a decision)
    limit: int = 50
    offset: int = 0


def _claim_publications() -> Any:
    """(claim id, publication name) of every cited span: a claim's sources."""
    return (
        select(ClaimSpan.claim_id.label("claim_id"), Publication.name.label("publication"))
        .join(Span, Span.id == ClaimSpan.span_id)
        .join(Document, Document.id == Span.document_id)
        .join(Publication, Publication.id == Document.publication_id)
    )


def _queue_conditions(f: QueueFilter, skip: str | None = None) -> list[Any]:
    """The filter as WHERE conditions on conflicts joined to claim a (as `subject_claim`),
    leaving out the facet `skip`, whose counts must show every choice the others allow."""
    conditions: list[Any] = []
    if f.ids is not None:
        conditions.append(Conflict.id.in_(f.ids))
    if f.status and skip != "status":
        conditions.append(Conflict.status == f.status)
    if f.rule and skip != "rule":
        conditions.append(Conflict.rule == f.rule)
    if f.subject and skip != "subject":
        conditions.append(Claim.subject_id.in_(select(Entity.id).where(Entity.name == f.subject)))
    if f.publication and skip != "publication":
        sources = _claim_publications().subquery()
        conditions.append(
            select(sources.c.claim_id)
            .where(
                sources.c.publication == f.publication,
                sources.c.claim_id.in_((Conflict.claim_a_id, Conflict.claim_b_id)),
            )
            .exists()
        )
    return conditions


def conflict_queue(session: Session, f: QueueFilter) -> dict[str, Any]:
    """One page of the conflict queue (in id order) with each
    facet's counts under the other facets' choices: what the desk's Conflicts screen shows.

    A conflict's subject is its claims' subject (every rule compares claims of one subject);
    it counts once under each publication its two claims cite.
    """

    def base(skip: str | None = None, *columns: Any) -> Select[Any]:
        """The filtered conflicts; joined to their claims only when a subject narrows them."""
        query = select(*columns) if columns else select(Conflict.id)
        query = query.select_from(Conflict)
        if f.subject and skip != "subject":
            query = query.join(Claim, Claim.id == Conflict.claim_a_id)
        return query.where(*_queue_conditions(f, skip))

    facets: dict[str, list[dict[str, Any]]] = {}
    for name, column in (("status", Conflict.status), ("rule", Conflict.rule)):
        rows = session.execute(
            base(name, column, func.count()).group_by(column).order_by(column)
        ).all()
        facets[name] = [{"value": value, "count": n} for value, n in rows]
    subjects = session.execute(
        select(Entity.name, func.count())
        .select_from(Conflict)
        .join(Claim, Claim.id == Conflict.claim_a_id)
        .join(Entity, Entity.id == Claim.subject_id)
        .where(*_queue_conditions(f, "subject"))
        .group_by(Entity.name)
        .order_by(func.count().desc(), Entity.name)
        .limit(30)
    ).all()
    facets["subject"] = [{"value": name, "count": n} for name, n in subjects]
    sources = _claim_publications().subquery()
    involved = (
        base("publication", Conflict.id, sources.c.publication)
        .join(sources, sources.c.claim_id.in_((Conflict.claim_a_id, Conflict.claim_b_id)))
        .distinct()
        .subquery()
    )
    publications = session.execute(
        select(involved.c.publication, func.count())
        .group_by(involved.c.publication)
        .order_by(func.count().desc(), involved.c.publication)
    ).all()
    facets["publication"] = [{"value": name, "count": n} for name, n in publications]
    total = session.scalar(select(func.count()).select_from(base().subquery())) or 0
    page = session.scalars(
        base(None, Conflict).order_by(Conflict.id).limit(f.limit).offset(f.offset)
    ).all()
    ids = {i for c in page for i in (c.claim_a_id, c.claim_b_id)}
    texts = dict(session.execute(select(Claim.id, Claim.text).where(Claim.id.in_(ids))).all())
    subject_names = dict(
        session.execute(
            select(Claim.id, Entity.name)
            .join(Entity, Entity.id == Claim.subject_id)
            .where(Claim.id.in_({c.claim_a_id for c in page}))
        ).all()
    )
    items = [
        conflict_dict(c)
        | {
            "subject": subject_names.get(c.claim_a_id),
            "claim_texts": [texts.get(c.claim_a_id), texts.get(c.claim_b_id)],
        }
        for c in page
    ]
    return {"total": total, "items": items, "facets": facets}
