"""The library API: everything the CLI does, as methods of :class:`FactBase`.

Each method runs in one transaction and returns plain JSON-ready data, so
scripts and the CLI see exactly the same shapes.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from . import (
    audit,
    citations,
    claims,
    conflicts,
    corpus,
    curation,
    dump,
    export,
    ingest,
    reports,
    sources,
    spans,
    store,
    suggestions,
    verify,
    vocabulary,
)
from .claims import ClaimFilter, ClaimInput
from .conflicts import QueueFilter
from .curation import ClaimEdit, DocumentEdit
from .errors import DatabaseLocked
from .fsck import fsck
from .ingest import Progress
from .models import Base
from .reading import timex
from .store import Store

T = TypeVar("T")
StrPath = str | os.PathLike[str]


_LOCK_SLACK = 0.05  # seconds: SQLite's busy handler may give up this much early


def _rounded(confidence: float | None) -> float | None:
    return None if confidence is None else round(confidence, 4)


def _quiet(_message: str) -> None:
    """The default notice sink: library callers opt in to notices."""


class FactBase:
    """A fact base at a database URL (default: FACTBASE_DB, else sqlite:///factbase.db).

    `url` may also be a plain SQLite file path (`notes.db`). An empty database (a
    missing or 0-byte SQLite file, or one without tables) gets the schema, as scripts
    and tests expect; `create=False` raises NoFactBase instead and creates nothing,
    which is what commands that only read want. `ensure_schema=False` skips the schema
    check altogether (for `init`). A writer waits up to `busy_timeout` seconds (default
    FACTBASE_BUSY_TIMEOUT, else 30) for another writer's lock, then raises DatabaseLocked.

    Example::

        fb = FactBase("sqlite:///demo.db")
        fb.ingest(["seeds"])
        fb.add_claim(ClaimInput(text=..., doc="fir-6-17", quote=..., subject=..., predicate=...))
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        notify: Callable[[str], None] = _quiet,
        ensure_schema: bool = True,
        create: bool = True,
        busy_timeout: float | None = None,
    ):
        self.busy_timeout = store.busy_timeout() if busy_timeout is None else busy_timeout
        self.store = Store(store.make_engine(url, self.busy_timeout))
        self.notify = notify
        self._pending: list[str] | None = None
        if ensure_schema:
            try:
                created = store.ensure_schema(self.store.engine, create)
            except BaseException:
                self.close()  # no pooled connection may keep SQLite's -wal/-shm files
                raise
            if created:
                self._created()

    # Time expressions need no database: call them on the class, FactBase.when("last year",
    # anchor="2000-09-01", context="..."); `factbase when` does, and opens no base.
    when = staticmethod(timex.resolve)
    when_lines = staticmethod(timex.resolve_lines)

    def _created(self) -> None:
        self.notify(f"created a new fact base at {self.url}")

    def _write(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one transaction, run again when the database asks.

        PostgreSQL serialization failures and deadlocks, and unique-key races between
        concurrent writers (two imports creating the same entity) roll back and run
        again with backoff, up to WRITE_ATTEMPTS times. Waits for another writer's
        lock are bounded by `busy_timeout` in all: the first attempt waits until
        LOCK_NOTICE_AFTER, then says "waiting for another writer…" (once) and the next
        ones wait out the rest, then DatabaseLocked. Anything else propagates. Notices
        reach `notify` only once the transaction has committed: a rolled-back import
        must not claim it "created entity X".
        """
        started = time.monotonic()
        noticed = False
        attempt = 0
        while True:
            attempt += 1
            until = min(self.busy_timeout, math.inf if noticed else store.LOCK_NOTICE_AFTER)
            pending: list[str] = []
            self._pending = pending
            try:
                lock_wait = max(0.0, until - (time.monotonic() - started))
                with self.store.session(write=True, lock_wait=lock_wait) as session:
                    result = work(session)
            except DBAPIError as error:
                if not store.is_transient(error):
                    raise
                waited = time.monotonic() - started
                if store.is_lock_wait(error):
                    if waited >= self.busy_timeout - _LOCK_SLACK:
                        raise DatabaseLocked(
                            "the database is locked by another writer; "
                            f"gave up after {self.busy_timeout:g} s"
                        ) from None
                    if not noticed and waited >= store.LOCK_NOTICE_AFTER - _LOCK_SLACK:
                        self.notify("waiting for another writer…")
                        noticed = True
                    elif waited < until - _LOCK_SLACK:  # refused without waiting: do not spin
                        store.backoff(1)
                    continue
                if attempt >= store.WRITE_ATTEMPTS:
                    raise
                store.backoff(attempt)
                continue
            finally:
                self._pending = None
            for message in pending:
                self.notify(message)
            return result

    def _note(self, message: str) -> None:
        if self._pending is None:
            self.notify(message)
        else:
            self._pending.append(message)

    @property
    def url(self) -> str:
        return self.store.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.store.engine.dispose()

    def __enter__(self) -> FactBase:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # Schema ----------------------------------------------------------------

    def init(self) -> dict[str, Any]:
        """Create or upgrade the schema to the newest revision (refusing a newer one)."""
        before, after = store.upgrade(self.store.engine)
        if before is None:
            self._created()
        return {"database": self.url, "from": before, "to": after}

    def counts(self) -> dict[str, int]:
        """Rows per table, for summaries and for tests that prove nothing changed."""
        with self.store.session() as session:
            return {
                name: session.scalar(select(func.count()).select_from(table)) or 0
                for name, table in Base.metadata.tables.items()
            }

    def fsck(self) -> list[str]:
        with self.store.session(write=True) as session:  # FTS5's integrity check is an INSERT
            return fsck(session)

    # Documents ---------------------------------------------------------------

    def ingest(
        self,
        paths: StrPath | Sequence[StrPath],
        slug: str | None = None,
        publication: str | None = None,
        date: str | None = None,
        title: str | None = None,
        new_version: bool = False,
        progress: Progress | None = None,
    ) -> list[dict[str, Any]]:
        """Store text files, or the text files in directories (one path or several)."""
        files = [Path(paths)] if isinstance(paths, str | os.PathLike) else [Path(p) for p in paths]

        def work(session: Session) -> Any:
            return ingest.ingest(
                session, files, slug, publication, date, title, new_version, progress
            )

        return self._write(work)

    def documents(self) -> list[dict[str, Any]]:
        with self.store.session() as session:
            return [ingest.document_dict(d) for d in ingest.list_documents(session)]

    def document_page(self, limit: int = 50, offset: int = 0) -> dict[str, Any]:
        """`{"total", "items"}`: one page of `documents` (by slug) without reading texts."""
        with self.store.session() as session:
            return ingest.document_page(session, limit, offset)

    def document(self, slug: str, with_text: bool = False) -> dict[str, Any]:
        with self.store.session() as session:
            document = ingest.get_document(session, slug)
            result = ingest.document_dict(document)
            if with_text:
                result["text"] = document.text
            return result

    def edit_document(self, slug: str, edit: DocumentEdit) -> dict[str, Any]:
        """Correct a document's metadata (never its text); a new date re-resolves the
        relative times of the claims citing it (`retimed` lists those that moved)."""
        return self._write(lambda session: curation.edit_document(session, slug, edit, self._note))

    # Vocabulary --------------------------------------------------------------

    def add_entity(
        self,
        name: str,
        kind: str | None = None,
        aliases: list[str] | None = None,
        external_id: str | None = None,
    ) -> dict[str, Any]:
        def work(session: Session) -> Any:
            entity = vocabulary.add_entity(
                session, name, kind, aliases or [], external_id, notify=self._note
            )
            return vocabulary.entity_dict(entity)

        return self._write(work)

    def entities(self, kind: str | None = None) -> list[dict[str, Any]]:
        with self.store.session() as session:
            return [vocabulary.entity_dict(e) for e in vocabulary.list_entities(session, kind)]

    def entity(self, name: str) -> dict[str, Any]:
        with self.store.session() as session:
            entity = vocabulary.get_entity(session, name)
            result = vocabulary.entity_dict(entity)
            result["claims"] = len(claims.list_claims(session, ClaimFilter(subject=name)))
            return result

    def rename_entity(self, name: str, new_name: str, keep_old: bool = True) -> dict[str, Any]:
        """A new canonical name; the old one stays an alias unless `keep_old` is false."""
        return self._write(
            lambda session: curation.rename_entity(session, name, new_name, keep_old)
        )

    def merge_entities(self, duplicate: str, canonical: str) -> dict[str, Any]:
        """Move the duplicate's claims and aliases to the canonical entity; delete it."""
        return self._write(
            lambda session: curation.merge_entities(session, duplicate, canonical, self._note)
        )

    def add_alias(self, name: str, alias: str) -> dict[str, Any]:
        return self._write(lambda session: curation.add_alias(session, name, alias, self._note))

    def remove_alias(self, name: str, alias: str) -> dict[str, Any]:
        return self._write(lambda session: curation.remove_alias(session, name, alias))

    def add_predicate(
        self,
        name: str,
        kind: str,
        single_valued: bool = False,
        value_type: str = "any",
        tolerance: float | None = None,
        aliases: list[str] | None = None,
        conflicts_with: list[str] | None = None,
        description: str | None = None,
    ) -> dict[str, Any]:
        def work(session: Session) -> Any:
            predicate = vocabulary.add_predicate(
                session,
                name,
                kind,
                single_valued,
                value_type,
                tolerance,
                aliases or [],
                conflicts_with or [],
                description,
            )
            return vocabulary.predicate_dict(session, predicate)

        return self._write(work)

    def predicates(self) -> list[dict[str, Any]]:
        with self.store.session() as session:
            return [
                vocabulary.predicate_dict(session, p) for p in vocabulary.list_predicates(session)
            ]

    def predicate_names(self) -> list[str]:
        """Every predicate's name, sorted: what a form offers, without aliases or pairs."""
        with self.store.session() as session:
            return vocabulary.predicate_names(session)

    def predicate(self, name: str) -> dict[str, Any]:
        with self.store.session() as session:
            return vocabulary.predicate_dict(session, vocabulary.get_predicate(session, name))

    def load_vocabulary(self, path: StrPath) -> dict[str, int]:
        path = Path(path)

        def work(session: Session) -> Any:
            entities, predicates = vocabulary.load_vocabulary(
                session, ingest.load_yaml(path), str(path)
            )
            return {"entities": entities, "predicates": predicates}

        return self._write(work)

    # Claims --------------------------------------------------------------------

    def add_claim(self, inp: ClaimInput) -> dict[str, Any]:
        """Store a claim; `duplicate` is true when an identical stored claim was returned."""

        def work(session: Session) -> Any:
            claim, duplicate = claims.add_claim(session, inp, self._note)
            return claims.claim_dict(claim) | {"duplicate": duplicate}

        return self._write(work)

    def add_claim_at(self, inp: ClaimInput, start: int, end: int, exact: str) -> dict[str, Any]:
        """Store a claim citing exactly `text[start:end]` of `inp.doc`, which must equal
        `exact` (a reader's selection): the occurrence is the one at `start`, never a
        look-alike elsewhere; a selection that does not match the stored text is refused."""

        def work(session: Session) -> Any:
            occurrence = spans.occurrence_at(
                ingest.get_document(session, inp.doc).text, start, end, exact
            )
            picked = replace(inp, quote=exact, occurrence=occurrence)
            claim, duplicate = claims.add_claim(session, picked, self._note)
            return claims.claim_dict(claim) | {"duplicate": duplicate}

        return self._write(work)

    def claims(
        self, filters: ClaimFilter | None = None, confidence: bool = False
    ) -> list[dict[str, Any]]:
        """The filtered claims; `confidence` adds each one's TruthFinder confidence from the
        trust the last `check` stored (None when not active, or no check covered its
        sources), reading only the listed claims' slots."""
        with self.store.session() as session:
            found = claims.claim_dicts(session, filters)
            if confidence and found:
                scores = sources.claim_confidence(session, [claim["id"] for claim in found])
                for claim in found:
                    claim["confidence"] = _rounded(scores.get(claim["id"]))
            return found

    def claim(self, claim_id: int) -> dict[str, Any]:
        """The claim in context, with its TruthFinder confidence as `claims` gives it."""
        with self.store.session() as session:
            shown = claims.show_claim(session, claim_id)
            shown["confidence"] = _rounded(
                sources.claim_confidence(session, [claim_id]).get(claim_id)
            )
            return shown

    def edit_claim(self, claim_id: int, edit: ClaimEdit) -> dict[str, Any]:
        """Change a claim in place (its id stays); `changed` names the fields that changed,
        `reopened` the decided conflicts sent back to triage."""
        return self._write(lambda session: curation.edit_claim(session, claim_id, edit, self._note))

    def history(self, target: str, target_id: int) -> list[dict[str, Any]]:
        """The audit events of one row ("claim", 4), oldest first, with before and after."""
        with self.store.session() as session:
            if target == "claim":
                claims.get_claim(session, target_id)  # an unknown id is an error, not []
            return audit.history(session, target, target_id)

    def retract_claim(self, claim_id: int, reason: str) -> dict[str, Any]:
        def work(session: Session) -> Any:
            return claims.claim_dict(claims.retract_claim(session, claim_id, reason))

        return self._write(work)

    def import_claims(
        self,
        path: StrPath,
        progress: Progress | None = None,
        phases: dict[str, float] | None = None,
    ) -> dict[str, Any]:
        """All or nothing: {"imported": n, "skipped": duplicates, "ids": [...]}.

        `phases`, when given, receives the seconds spent parsing, locating quotes,
        resolving, writing, indexing and auditing (benchmarks).
        """
        path = Path(path)

        def work(session: Session) -> Any:
            result = claims.import_claims(session, path, self._note, progress)
            if phases is not None:
                phases.clear()
                phases.update(result.phases)
            return {"imported": len(result.ids), "skipped": result.skipped, "ids": result.ids}

        return self._write(work)

    def load_corpus(
        self, directory: StrPath | None = None, progress: Progress | None = None
    ) -> dict:
        """Load a seed-style corpus directory (default: the bundled seeds) into an empty base."""
        root = corpus.seeds_dir() if directory is None else Path(directory)

        def work(session: Session) -> Any:
            return corpus.load_corpus(session, root, self._note, progress)

        return self._write(work)

    # Conflicts ---------------------------------------------------------------------

    def check(self, workers: int | None = None, mode: str = "auto") -> dict[str, Any]:
        """Run the conflict check; returns the summary and every conflict not resolved.

        `workers`: processes that read and compare subjects in parallel (default: one
        per core, up to 4, once the base holds 50,000 claims). `mode`: "full",
        "incremental" (only the subjects changed since the last check) or "auto"
        (incremental from 50,000 claims on); see `conflicts.run_check`.
        """

        def work(session: Session) -> Any:
            return conflicts.run_check(session, workers, mode)

        return self._write(work)

    def conflicts(
        self, status: str | None = None, rule: str | None = None, entity: str | None = None
    ) -> list[dict[str, Any]]:
        with self.store.session() as session:
            return [
                conflicts.conflict_dict(c)
                for c in conflicts.list_conflicts(session, status, rule, entity)
            ]

    def conflict(self, conflict_id: int) -> dict[str, Any]:
        """A conflict with both claims in full (quotes in context, citations)."""
        with self.store.session() as session:
            conflict = conflicts.get_conflict(session, conflict_id)
            result = conflicts.conflict_dict(conflict)
            result["claim_details"] = [
                claims.show_claim(session, claim_id) for claim_id in result["claims"]
            ]
            return result

    def conflict_entry(self, conflict_id: int) -> dict[str, Any]:
        """A conflict as the report shows it: its JSON shape with both claims' `sides`
        (text, value, quote in context, source, citation, when)."""
        with self.store.session() as session:
            return reports.conflict_entry(session, conflicts.get_conflict(session, conflict_id))

    def conflict_queue(self, filters: QueueFilter | None = None) -> dict[str, Any]:
        """A page of conflicts with facet counts (status, rule, subject, publication):
        `{"total", "items": [conflict + "subject", "claim_texts"], "facets": {...}}`."""
        with self.store.session() as session:
            return conflicts.conflict_queue(session, filters or QueueFilter())

    def decide(self, conflict_id: int, decision: str, reason: str | None = None) -> dict:
        """Triage: decision is "confirm", "dismiss" (needs a reason) or "reopen"."""

        def work(session: Session) -> Any:
            return conflicts.conflict_dict(conflicts.decide(session, conflict_id, decision, reason))

        return self._write(work)

    @contextmanager
    def acting_as(self, name: str | None) -> Iterator[None]:
        """Record `name` (a reviewer) as who makes the changes inside the block: audit
        events, `created_by`, `decided_by`. Per thread or task, so a server can act for
        several reviewers at once."""
        with store.acting_as(name):
            yield

    def sources(self, method: str = "truthfinder") -> list[dict[str, Any]]:
        """Per publication: claims, corroborated, in open conflict, conflicts decided for
        (dismissed) and against (confirmed) it, and its trust by `method`."""
        with self.store.session() as session:
            return sources.source_report(session, method)

    def stored_sources(self) -> dict[str, Any]:
        """`sources()`'s rows with the trust the last `check` stored, without truth discovery
        (fast on a large base): `{"rows", "checked_at", "stale"}`; see sources.trust_state."""
        with self.store.session() as session:
            return sources.stored_source_report(session)

    def truth(
        self,
        subject: str | None = None,
        predicate: str | None = None,
        method: str = "truthfinder",
    ) -> dict[str, Any]:
        """The most likely values of single-valued predicates (DESIGN.md §4 `truth`):
        `{"values": [{"subject", "predicate", "object"|"value", "confidence", "claims"}]}`."""
        with self.store.session() as session:
            return {"values": sources.truth_values(session, method, subject, predicate)}

    def report(self, fmt: str = "md") -> str:
        """The consistency report as Markdown, HTML or JSON text."""
        return reports.render(self.report_data(), fmt)

    def report_data(self) -> dict[str, Any]:
        """The consistency report as data (the JSON format), for other renderings."""
        with self.store.session() as session:
            return reports.build(session)

    def report_page(self, per_section: int | None = None) -> dict[str, Any]:
        """The report's summary and first `per_section` (default reports.PAGE_SECTION)
        conflicts of each section, with the stored trust (reports.build_page): what the desk
        shows at once on a large base."""
        with self.store.session() as session:
            size = reports.PAGE_SECTION if per_section is None else per_section
            return reports.build_page(session, size)

    # Verification ------------------------------------------------------------------

    def verify(self, statement: str) -> dict[str, Any]:
        """Verdict, parsed candidate, supporting/refuting/related ids and their evidence."""
        with self.store.session() as session:
            return verify.verify(session, statement)

    def verify_claim(self, claim_id: int) -> dict[str, Any]:
        with self.store.session() as session:
            return verify.verify_claim(session, claim_id)

    def claimreviews(
        self,
        organization: str | None = None,
        url_template: str | None = None,
        include_all: bool = False,
    ) -> list[dict[str, Any]]:
        """A ClaimReview of every active claim with a verdict, judged by the rest of the base.

        `url_template` (else FACTBASE_REVIEW_URL_TEMPLATE) gives each review's url from the
        claim id, e.g. "https://desk.example.org/claims/{id}"; `include_all` adds the claims
        the base has no evidence on (not_enough_info), which are noise in a fact-check feed.
        """
        template = export.url_template(url_template)
        with self.store.session() as session:
            reviews = []
            for claim in claims.list_claims(session):
                result = verify.verify_claim(session, claim.id)
                if result["verdict"] == "not_enough_info" and not include_all:
                    continue
                url = template.format(id=claim.id)
                item = export.claim_item(session, claim.id)
                reviews.append(export.claimreview(result, url, item, organization))
            return reviews

    def review_statement(
        self, statement: str, organization: str | None = None, url_template: str | None = None
    ) -> dict[str, Any]:
        """`verify` as a ClaimReview; its url's {id} is `export.statement_key(statement)`."""
        template = export.url_template(url_template)
        result = self.verify(statement)
        url = template.format(id=export.statement_key(result["statement"]))
        return export.claimreview(result, url, author=organization)

    # Suggestions ------------------------------------------------------------------------

    def suggest(self, slug: str) -> list[dict[str, Any]]:
        """Read a document and queue its claim suggestions; returns its pending ones.

        A re-run never proposes again what was accepted or rejected, nor what an active
        claim citing the same passage already states, and never duplicates a pending one.
        """
        return self.suggest_many([slug])[0]["suggestions"]

    def suggest_many(
        self, slugs: Sequence[str] | None = None, progress: Progress | None = None
    ) -> list[dict[str, Any]]:
        """`suggest` over several documents (None: every document's latest version), in
        one transaction: `[{"document": SLUG, "suggestions": [...]}, ...]`."""

        def work(session: Session) -> Any:
            names = [d.slug for d in ingest.list_documents(session)] if slugs is None else slugs
            reader = suggestions.Reader.of(session)
            results = []
            for done, slug in enumerate(names, start=1):
                found = suggestions.suggest(session, slug, reader)
                results.append(
                    {"document": slug, "suggestions": suggestions.suggestion_dicts(found)}
                )
                if progress:
                    progress(done, len(names))
            return results

        return self._write(work)

    def list_suggestions(
        self, doc: str | None = None, status: str | None = None
    ) -> list[dict[str, Any]]:
        """Stored suggestions by id, of one document and/or in one status."""
        with self.store.session() as session:
            return suggestions.suggestion_dicts(suggestions.list_suggestions(session, doc, status))

    def get_suggestion(self, suggestion_id: int) -> dict[str, Any]:
        with self.store.session() as session:
            return suggestions.suggestion_dict(suggestions.get_suggestion(session, suggestion_id))

    def accept_suggestion(
        self, suggestion_id: int, reviewer: str | None = None, **overrides: Any
    ) -> dict[str, Any]:
        """Make the suggestion a claim (through `claim add`'s code) with the reviewer's
        corrections (`subject=`, `predicate=`, `object=`, `value=`, `unit=`, `when=`,
        `negated=`, `modality=`, `attributed_to=`, `text=`); returns the claim, with
        `suggestion` (its id) and `duplicate`."""

        def work(session: Session) -> Any:
            claim, duplicate, suggestion = suggestions.accept(
                session, suggestion_id, overrides, reviewer, self._note
            )
            return claims.claim_dict(claim) | {"duplicate": duplicate, "suggestion": suggestion.id}

        return self._write(work)

    def reject_suggestion(
        self, suggestion_id: int, reason: str, reviewer: str | None = None
    ) -> dict[str, Any]:
        def work(session: Session) -> Any:
            return suggestions.suggestion_dict(
                suggestions.reject(session, suggestion_id, reason, reviewer)
            )

        return self._write(work)

    def read_span(self, slug: str, start: int, end: int) -> dict[str, Any]:
        """The best reading of a selected passage, to pre-fill a claim form (nothing is
        stored): `{"document", "start", "end", "quote", "suggestion", "others"}`."""
        with self.store.session() as session:
            return suggestions.read_span(session, slug, start, end)

    # Dump, restore and annotations ----------------------------------------------------------

    def dump(self, path: StrPath) -> dict[str, int]:
        """Write the whole base to `path` as JSONL (lossless; see factbase.dump)."""
        with self.store.session() as session:
            return dump.dump_file(session, Path(path))

    def restore(self, path: StrPath) -> dict[str, int]:
        """Load a dump into this base, which must be empty and at the dump's schema revision."""
        path = Path(path)

        def work(session: Session) -> Any:
            return dump.restore(session, path)

        return self._write(work)

    def annotations(self) -> list[dict[str, Any]]:
        """Every span a claim cites, as a W3C Web Annotation."""
        with self.store.session() as session:
            return dump.export_annotations(session)

    # Citations -------------------------------------------------------------------------

    def cite_claim(self, claim_id: int, style: str = "chicago") -> str:
        """A claim's citation: its source's reference, then each quote, re-verified now.

        `style` is chicago, apa, mla, bibtex or csl-json (:data:`citations.STYLES`).
        """
        with self.store.session() as session:
            return citations.cite_claim(session, claim_id, style)

    def claim_citation(self, claim_id: int, style: str = "chicago") -> dict[str, Any]:
        """`cite_claim` as data: references, quotes with their verification, and the text."""
        with self.store.session() as session:
            return citations.claim_citation(session, claim_id, style)

    def cite_document(self, slug: str, style: str = "chicago") -> str:
        """A ready-to-paste reference for a document (SLUG, or SLUG@N for version N)."""
        with self.store.session() as session:
            return citations.cite_document(session, slug, style)

    def document_citation(self, slug: str, style: str = "chicago") -> dict[str, Any]:
        """`cite_document` as data: the document, the style, the reference and the text."""
        with self.store.session() as session:
            return citations.document_citation(session, slug, style)

    def export_csl(self) -> list[dict[str, Any]]:
        """Every document (its latest version) as a CSL-JSON item, for Zotero and pandoc."""
        with self.store.session() as session:
            return citations.export_csl(session)
