"""Standard exports of verification results: schema.org ClaimReview (JSON-LD).

Google's Fact Check documentation requires `claimReviewed`, `reviewRating` (with
`alternateName`) and `url`, and recommends `author`, `datePublished` and
`itemReviewed` (a Claim with `appearance`, `firstAppearance`, `author`,
`datePublished`); every review carries all of them. The `@context` is the
string "https://schema.org", the only context Google's parser reads.

- `url` is the review's public address, from a URL template the newsroom sets
  once (``--url-template`` or FACTBASE_REVIEW_URL_TEMPLATE), e.g.
  ``https://desk.example.org/claims/{id}``; ``{id}`` is the claim id (for a
  statement checked by `verify`, ``statement-`` and 12 hex digits of its
  SHA-256). Without one there is no valid ClaimReview, so it is an error.
- `itemReviewed.appearance` lists where the claim itself appeared: the documents
  its own spans cite (not the evidence that judges it), earliest first;
  `firstAppearance` is the earliest; the Claim's `datePublished` is its date.
- Dates are ISO 8601 at the precision known: "2007-05-30" for a day,
  "2000-09" for a month, "2006" for a year (ISO 8601 reduced precision, which
  schema.org's Date accepts), never a made-up first of the month.
"""

from __future__ import annotations

import hashlib
import os
import string
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from .claims import get_claim
from .errors import FactbaseError
from .models import Document
from .reading.timex import iso_at_precision

CONTEXT = "https://schema.org"
DEFAULT_ORGANIZATION = "factbase"
URL_TEMPLATE_OPTION = "--url-template"
URL_TEMPLATE_ENV = "FACTBASE_REVIEW_URL_TEMPLATE"
BEST_RATING, WORST_RATING = 4, 1
# Verdict → (ratingValue, alternateName): one number per text, as Google asks; 4 = the base's
# sources support the claim, 1 = they refute it; "unproven" (no evidence either way) sits
# below "disputed" (evidence both ways) since it has none for the claim.
RATINGS: dict[str, tuple[int, str]] = {
    "supported": (4, "Supported by the sources"),
    "disputed": (3, "Disputed: the sources disagree"),
    "not_enough_info": (2, "Unproven: not enough information"),
    "refuted": (1, "Refuted by the sources"),
}


class ReviewUrlError(FactbaseError):
    "A ClaimReview needs a url, built from a URL template with an {id} field"


def organization() -> str:
    """The reviewing organisation: FACTBASE_ORGANIZATION, else "factbase"."""
    return os.environ.get("FACTBASE_ORGANIZATION") or DEFAULT_ORGANIZATION


def url_template(template: str | None = None) -> str:
    """The checked URL template: `template`, else FACTBASE_REVIEW_URL_TEMPLATE."""
    template = template or os.environ.get(URL_TEMPLATE_ENV)
    example = "e.g. 'https://desk.example.org/claims/{id}'"
    if not template:
        raise ReviewUrlError(
            f"a ClaimReview needs its public url: give {URL_TEMPLATE_OPTION} or set "
            f"{URL_TEMPLATE_ENV} ({example})"
        )
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as error:
        raise ReviewUrlError(f"{URL_TEMPLATE_OPTION} {template!r}: {error}") from None
    if fields != {"id"} or not template.startswith(("https://", "http://")):
        raise ReviewUrlError(
            f"{URL_TEMPLATE_OPTION} {template!r} must be an http(s) URL whose only field is "
            f"{{id}} ({example})"
        )
    return template


def statement_key(statement: str) -> str:
    """A stable {id} for a statement that is not a stored claim."""
    return "statement-" + hashlib.sha256(statement.encode("utf-8")).hexdigest()[:12]


def _organization(name: str) -> dict[str, Any]:
    return {"@type": "Organization", "name": name}


def _publisher(document: Document) -> dict[str, Any] | None:
    publication = document.publication
    if publication is None:
        return None
    return _organization(publication.publisher or publication.name)


def _creative_work(document: Document) -> dict[str, Any]:
    """Where a claim appeared: the document as a CreativeWork, dated at its precision."""
    publication = document.publication
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        "name": document.title or (publication.name if publication else document.slug),
    }
    if document.url:
        work["url"] = document.url
    if publication is not None:
        work["isPartOf"] = {"@type": "CreativeWork", "name": publication.name}
    if document.date:
        work["datePublished"] = iso_at_precision(document.date.isoformat(), document.date_precision)
    if publisher := _publisher(document):
        work["publisher"] = publisher
    if document.authors:
        work["author"] = [
            {"@type": "Person", "name": name.strip()}
            for name in document.authors.split(";")
            if name.strip()
        ]
    return work


def claim_item(session: Session, claim_id: int) -> dict[str, Any]:
    """The reviewed Claim: where it appeared (its own documents, earliest first) and who said it."""
    claim = get_claim(session, claim_id)
    documents: list[Document] = []
    for span in claim.spans:
        if span.document not in documents:
            documents.append(span.document)
    documents.sort(key=lambda d: (d.date or date.max, d.slug, d.version))
    item: dict[str, Any] = {"@type": "Claim", "name": claim.text}
    if documents:
        appearances = [_creative_work(d) for d in documents]
        item["appearance"] = appearances
        item["firstAppearance"] = appearances[0]
        if "datePublished" in appearances[0]:
            item["datePublished"] = appearances[0]["datePublished"]
    if claim.attributed_to is not None:
        kind = "Person" if claim.attributed_to.kind == "person" else "Organization"
        item["author"] = {"@type": kind, "name": claim.attributed_to.name}
    elif documents and (publisher := _publisher(documents[0])):
        item["author"] = publisher
    return item


def rating(verdict: str) -> dict[str, Any]:
    """The verdict as a schema.org Rating (see RATINGS)."""
    value, label = RATINGS[verdict]
    return {
        "@type": "Rating",
        "ratingValue": value,
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": label,
        "name": label,
    }


def claimreview(
    result: dict[str, Any],
    url: str,
    item: dict[str, Any] | None = None,
    author: str | None = None,
    published: date | None = None,
) -> dict[str, Any]:
    """A ClaimReview of one `verify` result at `url`; `item` is the reviewed Claim.

    A statement that is not a stored claim has no known appearance: its Claim
    carries only its text.
    """
    return {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": result["statement"],
        "datePublished": (published or date.today()).isoformat(),
        "author": _organization(author or organization()),
        "reviewRating": rating(result["verdict"]),
        "itemReviewed": item or {"@type": "Claim", "name": result["statement"]},
    }
