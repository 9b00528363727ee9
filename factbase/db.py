"""The library API: everything the CLI does, as methods of :class:`FactBase`.

Each method runs in one transaction and returns plain JSON-ready data, so
scripts and the CLI see exactly the same shapes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from . import (
    citations,
    claims,
    conflicts,
    corpus,
    dump,
    export,
    ingest,
    reports,
    sources,
    store,
    verify,
    vocabulary,
)
from .claims import ClaimFilter, ClaimInput
from .fsck import fsck
from .ingest import Progress
from .models import Base
from .store import Store

T = TypeVar("T")


def _quiet(_message: str) -> None:
    """The default notice sink: library callers opt in to notices."""


class FactBase:
    """A fact base at a database URL (default: FACTBASE_DB, else sqlite:///factbase.db).

    Example::

        fb = FactBase("sqlite:///demo.db")
        fb.ingest([Path("seeds")])
        fb.add_claim(ClaimInput(text=..., doc="fir-6-17", quote=..., subject=..., predicate=...))
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        notify: Callable[[str], None] = _quiet,
        ensure_schema: bool = True,
    ):
        self.store = Store(store.make_engine(url))
        self.notify = notify
        self._pending: list[str] | None = None
        if ensure_schema:
            store.ensure_schema(self.store.engine)

    def _write(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one transaction, retried with backoff when the database asks.

        SQLite "database is locked", PostgreSQL serialization failures and deadlocks,
        and unique-key races between concurrent writers (two imports creating the
        same entity) roll back and run again; anything else propagates. Notices
        reach `notify` only once the transaction has committed: a rolled-back import
        must not claim it "created entity X".
        """
        for attempt in range(1, store.WRITE_ATTEMPTS + 1):
            pending: list[str] = []
            self._pending = pending
            try:
                with self.store.session(write=True) as session:
                    result = work(session)
            except DBAPIError as error:
                if attempt == store.WRITE_ATTEMPTS or not store.is_transient(error):
                    raise
                store.backoff(attempt)
                continue
            finally:
                self._pending = None
            for message in pending:
                self.notify(message)
            return result
        raise AssertionError("unreachable: the last attempt returns or raises")

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
        """Create or upgrade the schema to the newest revision."""
        before, after = store.upgrade(self.store.engine)
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
        paths: list[Path],
        slug: str | None = None,
        publication: str | None = None,
        date: str | None = None,
        title: str | None = None,
        new_version: bool = False,
        progress: Progress | None = None,
    ) -> list[dict[str, Any]]:
        def work(session: Session) -> Any:
            return ingest.ingest(
                session, paths, slug, publication, date, title, new_version, progress
            )

        return self._write(work)

    def documents(self) -> list[dict[str, Any]]:
        with self.store.session() as session:
            return [ingest.document_dict(d) for d in ingest.list_documents(session)]

    def document(self, slug: str, with_text: bool = False) -> dict[str, Any]:
        with self.store.session() as session:
            document = ingest.get_document(session, slug)
            result = ingest.document_dict(document)
            if with_text:
                result["text"] = document.text
            return result

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

    def add_predicate(
        self,
        name: str,
        kind: str,
        single_valued: bool = False,
        value_type: str = "entity",
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

    def predicate(self, name: str) -> dict[str, Any]:
        with self.store.session() as session:
            return vocabulary.predicate_dict(session, vocabulary.get_predicate(session, name))

    def load_vocabulary(self, path: Path) -> dict[str, int]:
        def work(session: Session) -> Any:
            entities, predicates = vocabulary.load_vocabulary(
                session, ingest.load_yaml(path), str(path)
            )
            return {"entities": entities, "predicates": predicates}

        return self._write(work)

    # Claims --------------------------------------------------------------------

    def add_claim(self, inp: ClaimInput) -> dict[str, Any]:
        def work(session: Session) -> Any:
            return claims.claim_dict(claims.add_claim(session, inp, self._note))

        return self._write(work)

    def claims(self, filters: ClaimFilter | None = None) -> list[dict[str, Any]]:
        with self.store.session() as session:
            return claims.claim_dicts(session, filters)

    def claim(self, claim_id: int) -> dict[str, Any]:
        with self.store.session() as session:
            return claims.show_claim(session, claim_id)

    def retract_claim(self, claim_id: int, reason: str) -> dict[str, Any]:
        def work(session: Session) -> Any:
            return claims.claim_dict(claims.retract_claim(session, claim_id, reason))

        return self._write(work)

    def import_claims(self, path: Path, progress: Progress | None = None) -> dict[str, Any]:
        """All or nothing: {"imported": n, "skipped": duplicates, "ids": [...]}."""

        def work(session: Session) -> Any:
            result = claims.import_claims(session, path, self._note, progress)
            return {"imported": len(result.ids), "skipped": result.skipped, "ids": result.ids}

        return self._write(work)

    def load_corpus(self, directory: Path | None = None, progress: Progress | None = None) -> dict:
        """Load a seed-style corpus directory (default: the bundled seeds) into an empty base."""

        def work(session: Session) -> Any:
            return corpus.load_corpus(
                session, directory or corpus.seeds_dir(), self._note, progress
            )

        return self._write(work)

    # Conflicts ---------------------------------------------------------------------

    def check(self, workers: int | None = None) -> dict[str, Any]:
        """Run the conflict check; returns the summary and every conflict not resolved.

        `workers`: processes that read and compare subjects in parallel (default: one
        per core, up to 4, once the base holds 50,000 claims).
        """

        def work(session: Session) -> Any:
            return conflicts.run_check(session, workers)

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

    def decide(self, conflict_id: int, decision: str, reason: str | None = None) -> dict:
        """Triage: decision is "confirm", "dismiss" (needs a reason) or "reopen"."""

        def work(session: Session) -> Any:
            return conflicts.conflict_dict(conflicts.decide(session, conflict_id, decision, reason))

        return self._write(work)

    def sources(self) -> list[dict[str, Any]]:
        """Per publication: claims, corroborated, in open conflict, conflicts decided for
        (dismissed) and against (confirmed) it, and its TruthFinder trust score."""
        with self.store.session() as session:
            return sources.source_report(session)

    def report(self, fmt: str = "md") -> str:
        """The consistency report as Markdown, HTML or JSON text."""
        with self.store.session() as session:
            return reports.render(reports.build(session), fmt)

    # Verification ------------------------------------------------------------------

    def verify(self, statement: str) -> dict[str, Any]:
        """Verdict, parsed candidate, supporting/refuting/related ids and their evidence."""
        with self.store.session() as session:
            return verify.verify(session, statement)

    def verify_claim(self, claim_id: int) -> dict[str, Any]:
        with self.store.session() as session:
            return verify.verify_claim(session, claim_id)

    def claimreviews(self, organization: str | None = None) -> list[dict[str, Any]]:
        """A ClaimReview of every active claim, judged by the rest of the base."""
        with self.store.session() as session:
            ids = [c.id for c in claims.list_claims(session)]
            return [export.claimreview(verify.verify_claim(session, i), organization) for i in ids]

    # Dump, restore and annotations ----------------------------------------------------------

    def dump(self, path: Path) -> dict[str, int]:
        """Write the whole base to `path` as JSONL (lossless; see factbase.dump)."""
        with self.store.session() as session:
            return dump.dump_file(session, path)

    def restore(self, path: Path) -> dict[str, int]:
        """Load a dump into this base, which must be empty and at the dump's schema revision."""

        def work(session: Session) -> Any:
            return dump.restore(session, path)

        return self._write(work)

    def annotations(self, standard_context: bool = False) -> list[dict[str, Any]]:
        """Every span a claim cites, as a W3C Web Annotation."""
        with self.store.session() as session:
            return dump.export_annotations(session, standard_context)

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
