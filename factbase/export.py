"""Standard exports of verification results: schema.org ClaimReview (JSON-LD).

The JSON-LD carries an inline `@context` (`{"@vocab": "https://schema.org/"}`):
a remote context cannot be fetched offline, and with `@vocab` every term
expands to its schema.org IRI without one.
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from .timeexpr import iso_at_precision

CONTEXT = {"@vocab": "https://schema.org/"}
DEFAULT_ORGANIZATION = "factbase"
# Verdict → (ratingValue on a 1..5 scale, where 5 = well supported); no number without evidence.
RATINGS: dict[str, int | None] = {
    "supported": 5,
    "disputed": 3,
    "refuted": 1,
    "not_enough_info": None,
}


def organization() -> str:
    """The reviewing organisation: FACTBASE_ORGANIZATION, else "factbase"."""
    return os.environ.get("FACTBASE_ORGANIZATION") or DEFAULT_ORGANIZATION


def _appearance(evidence: dict[str, Any]) -> dict[str, Any]:
    published = iso_at_precision(evidence["date"], evidence["date_precision"])
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        "name": evidence["citation"],
        "url": f"urn:factbase:document:{evidence['document']}",
        "text": evidence["quote"],
    }
    if published:
        work["datePublished"] = published
    if evidence["publication"]:
        work["publisher"] = {"@type": "Organization", "name": evidence["publication"]}
    return work


def claimreview(
    result: dict[str, Any], author: str | None = None, published: date | None = None
) -> dict[str, Any]:
    """A ClaimReview for one `verify` result; appearances are the evidence documents."""
    cited = sorted(
        (e for e in result["evidence"] if e["role"] in {"supporting", "refuting"}),
        key=lambda e: (e["date"] or "9999", e["id"]),
    )
    appearances = []
    for evidence in cited:
        appearance = _appearance(evidence)
        if appearance not in appearances:
            appearances.append(appearance)
    rating: dict[str, Any] = {
        "@type": "Rating",
        "alternateName": result["verdict"],
        "bestRating": 5,
        "worstRating": 1,
    }
    if RATINGS[result["verdict"]] is not None:
        rating["ratingValue"] = RATINGS[result["verdict"]]
    item: dict[str, Any] = {"@type": "Claim", "appearance": appearances}
    first = next((_appearance(e) for e in cited if e["role"] == "supporting"), None)
    if first:
        item["firstAppearance"] = first
    return {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "claimReviewed": result["statement"],
        "datePublished": (published or date.today()).isoformat(),
        "author": {"@type": "Organization", "name": author or organization()},
        "reviewRating": rating,
        "itemReviewed": item,
    }
