"""The seed corpus: documents, their metadata, the vocabulary and curated claims.

`load_corpus` is what `factbase demo` runs; any directory laid out like
`seeds/` (texts + metadata.yaml + vocabulary.yaml + claims.jsonl) loads the
same way, in one transaction.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import claims, ingest, vocabulary
from .errors import InputFileError
from .ingest import Progress
from .models import Claim, ClaimSpan, Document, Span
from .store import package_data_dir
from .vocabulary import Notify

VOCABULARY_FILE = "vocabulary.yaml"
CLAIMS_FILE = "claims.jsonl"


def seeds_dir() -> Path:
    """The bundled seed corpus: factbase/_seeds when installed, ./seeds in a checkout."""
    return package_data_dir("_seeds", "seeds")


def load_corpus(
    session: Session,
    directory: Path,
    notify: Notify | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Ingest the texts, load the vocabulary, import the claims; report what was loaded."""
    for name in (VOCABULARY_FILE, CLAIMS_FILE):
        if not (directory / name).is_file():
            raise InputFileError(f"{directory}: no {name}: not a corpus directory")
    if session.scalar(select(func.count(Document.id))):
        raise InputFileError(
            "the database already holds documents: load the corpus into an empty one"
        )
    documents = ingest.ingest(session, [directory], progress=progress)
    entities, predicates = vocabulary.load_vocabulary(
        session, ingest.load_yaml(directory / VOCABULARY_FILE), str(directory / VOCABULARY_FILE)
    )
    loaded = claims.import_claims(session, directory / CLAIMS_FILE, notify, progress).ids
    per_document: dict[str, int] = {d["slug"]: 0 for d in documents}
    cited = (
        select(Claim.id, Document.slug)
        .join(ClaimSpan, ClaimSpan.claim_id == Claim.id)
        .join(Span, Span.id == ClaimSpan.span_id)
        .join(Document, Document.id == Span.document_id)
        .where(Claim.id.in_(loaded))
        .distinct()
    )
    for _claim_id, slug in session.execute(cited):
        per_document[slug] += 1
    return {
        "documents": [
            {
                key: d[key]
                for key in (
                    "slug",
                    "publication",
                    "volume",
                    "issue",
                    "title",
                    "date",
                    "date_precision",
                    "date_source",
                )
            }
            | {"claims": per_document[d["slug"]]}
            for d in documents
        ],
        "entities": entities,
        "predicates": predicates,
        "claims": len(loaded),
    }
