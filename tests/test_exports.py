"""The standard exports against their maintainers' own material.

Web Annotations: all 54 of the Working Group's JSON-schema MUST assertions (vendored from
web-platform-tests/wpt annotation-model/ and w3c/web-annotation-tests, see
tests/vendor/web-annotation/README.md), and JSON-LD
expansion with pyld in 1.0 and 1.1 modes through a loader that serves the vendored
anno.jsonld. ClaimReview: Google's Fact Check required and recommended properties, and every
type, property and value checked against a vendored schema.org 29.4 subset
(tests/vendor/schemaorg/README.md).
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pyld import jsonld
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from factbase import ClaimFilter, FactBase
from factbase.dump import ANNOTATION_CONTEXT_IRI, FACTBASE_VOCAB, RDF_JSON
from factbase.export import BEST_RATING, RATINGS, URL_TEMPLATE_ENV, WORST_RATING

from .conftest import ROOT, Invoke

VENDOR = Path(__file__).parent / "vendor" / "web-annotation"
TEMPLATE = "https://desk.example.org/claims/{id}"

# Web Annotation ---------------------------------------------------------------------------


def _schema_registry() -> Registry:
    """The definitions files under the relative URIs the assertions' $refs name."""
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text("utf-8")), DRAFT4))
        for path in sorted((VENDOR / "schemas" / "definitions").glob("*.json"))
    ]
    return Registry().with_resources(resources)


REGISTRY = _schema_registry()
SCHEMAS = VENDOR / "schemas"
# The Working Group's MUST test files; each lists its assertions by path under schemas/.
MUST_TESTS = sorted(SCHEMAS.glob("*/*Musts.test"))
LISTED = sorted(
    {name for test in MUST_TESTS for name in json.loads(test.read_text("utf-8"))["assertions"]}
)
ASSERTIONS = [SCHEMAS / name for name in LISTED]
# MUST assertions that cannot be evaluated against factbase's annotations, with the reason.
# None: each one is written to pass when its feature (bodyValue, Choice, styleClass, ...) is
# absent, so each runs against every annotation.
NOT_APPLICABLE: dict[str, str] = {}
FORMATS = jsonschema.Draft4Validator.FORMAT_CHECKER


def _validator(path: Path) -> jsonschema.Draft4Validator:
    schema = json.loads(path.read_text("utf-8"))
    assert schema["assertionType"] == "must" and schema["expectedResult"] == "valid"
    return jsonschema.Draft4Validator(schema, registry=REGISTRY, format_checker=FORMATS)


def test_the_format_checks_are_live() -> None:
    """Without rfc3986/rfc3339 validators installed, format "uri"/"date-time" pass anything."""
    assert {"uri", "date-time"} <= set(FORMATS.checkers)
    assert not FORMATS.conforms("not a uri", "uri")
    assert not FORMATS.conforms("2007-05-30", "date-time")


def test_every_listed_must_assertion_is_vendored() -> None:
    """All 54 MUSTs of the four *Musts.test files, no more and no fewer, are on disk."""
    assert [test.name for test in MUST_TESTS] == [
        "annotationMusts.test", "bodyMusts.test", "targetMusts.test",
        "specificResourceMusts.test",
    ]  # fmt: skip
    on_disk = sorted(
        str(path.relative_to(SCHEMAS))
        for folder in ("annotations", "bodiesTargets", "specificResource")
        for path in (SCHEMAS / folder).glob("*.json")
    )
    assert on_disk == LISTED
    assert len(LISTED) == 54
    assert not NOT_APPLICABLE


def test_every_annotation_passes_every_must_assertion(seeded: FactBase) -> None:
    annotations = seeded.annotations()
    assert len(annotations) >= 96
    for path in ASSERTIONS:
        validator = _validator(path)
        for annotation in annotations:
            errors = [e.message for e in validator.iter_errors(annotation)]
            assert not errors, (path.name, annotation["id"], errors)


def test_the_context_assertion_rejects_an_inline_context(seeded: FactBase) -> None:
    """The check the old inline @context failed (3.1-annotationContextValidated) still bites."""
    annotation = seeded.annotations()[0]
    validator = _validator(VENDOR / "schemas/annotations/3.1-annotationContextValidated.json")
    assert validator.is_valid(annotation)
    assert not validator.is_valid(annotation | {"@context": annotation["@context"][1]})
    quote = annotation["target"]["selector"][0]
    broken = json.loads(json.dumps(annotation))
    del broken["target"]["selector"][0]["exact"]
    assert quote["type"] == "TextQuoteSelector"
    assert not _validator(
        VENDOR / "schemas/specificResource/4.2.4-textQuoteSelectorValid.json"
    ).is_valid(broken)


def test_the_body_target_and_selector_assertions_bite(seeded: FactBase) -> None:
    """Each family of MUSTs rejects a broken copy of a real annotation: they are not vacuous."""
    annotation = seeded.annotations()[0]
    body, target = annotation["body"][0], annotation["target"]
    assert (body["type"], target["type"]) == ("TextualBody", "SpecificResource")
    broken = {
        "annotations/3.2-targetObjectsRecognized.json": {"target": {"type": "SpecificResource"}},
        "annotations/3.2-bodyObjectsRecognized.json": {"body": [body | {"value": 7}]},
        "bodiesTargets/4-targSpecificResourceNoValue.json": {"target": target | {"value": "x"}},
        "bodiesTargets/4-bodyEmbeddedTextualNoSource.json": {"body": [body | {"source": "x"}]},
        "bodiesTargets/3.2.4-targNoTypeTextualBody.json": {"target": body},
        "specificResource/4.2-TextDataPositionSelectorValid.json": {
            "target": target | {"selector": [{"type": "TextPositionSelector", "start": -1}]}
        },
    }
    for name, change in broken.items():
        validator = _validator(SCHEMAS / name)
        assert validator.is_valid(annotation), name
        assert not validator.is_valid(annotation | change), name


ANNO = json.loads((VENDOR / "contexts" / "anno.jsonld").read_text("utf-8"))


def _offline_loader(url: str, _options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Serve the vendored anno.jsonld; anything else is an error (no network here)."""
    if url != ANNOTATION_CONTEXT_IRI:
        raise jsonld.JsonLdError(f"offline: no copy of {url}", "loading document failed")
    return {"contentType": "application/ld+json", "contextUrl": None,
            "documentUrl": url, "document": ANNO}  # fmt: skip


def _nquads(document: dict[str, Any], mode: str) -> str:
    options = {"documentLoader": _offline_loader, "processingMode": mode}
    rdf = jsonld.to_rdf(document, options | {"format": "application/n-quads"})
    return rdf


def _canonical(nquads: str) -> str:
    return jsonld.normalize(
        nquads,
        {"algorithm": "URDNA2015", "inputFormat": "application/n-quads",
         "format": "application/n-quads"},
    )  # fmt: skip


@pytest.mark.parametrize("mode", ["json-ld-1.0", "json-ld-1.1"])
def test_annotations_expand_offline_to_the_official_contexts_rdf(
    seeded: FactBase, mode: str
) -> None:
    claim_iri = f"<{FACTBASE_VOCAB}claim>"
    for annotation in seeded.annotations():
        expanded = jsonld.expand(annotation, {"documentLoader": _offline_loader,
                                              "processingMode": mode})  # fmt: skip
        assert expanded and expanded[0]["@type"] == ["http://www.w3.org/ns/oa#Annotation"]
        ours = _nquads(annotation, mode).splitlines(keepends=True)
        standard = {k: v for k, v in annotation.items() if k != "factbase:claim"}
        official = _nquads(standard | {"@context": ANNOTATION_CONTEXT_IRI}, mode)
        extra = [line for line in ours if claim_iri in line]
        assert len(extra) == 1 and f"^^<{RDF_JSON}>" in extra[0]
        rest = "".join(line for line in ours if claim_iri not in line)
        assert _canonical(rest) == _canonical(official), annotation["id"]


# ClaimReview -------------------------------------------------------------------------------

# Google's Fact Check structured data: required, then recommended, properties per type.
GOOGLE = {
    "ClaimReview": ({"claimReviewed", "reviewRating", "url"},
                    {"author", "datePublished", "itemReviewed"}),
    "Claim": (set(), {"appearance", "author", "datePublished", "firstAppearance"}),
    "Rating": ({"alternateName"}, {"bestRating", "name", "ratingValue", "worstRating"}),
}  # fmt: skip
SCHEMA_ORG = Path(__file__).parent / "vendor" / "schemaorg"
SDO = "https://schema.org/"
# schema.org data types a range may name, and the JSON value kinds that carry them.
DATATYPES: dict[str, tuple[type, ...]] = {
    "Text": (str,), "URL": (str,), "Date": (str,), "DateTime": (str,), "Number": (int, float),
}  # fmt: skip
ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _vocabulary(name: str) -> dict[str, dict[str, str]]:
    """Rows of a vendored schema.org CSV by term name (the id without https://schema.org/)."""
    with (SCHEMA_ORG / name).open(encoding="utf-8", newline="") as handle:
        return {row["id"].removeprefix(SDO): row for row in csv.DictReader(handle)}


PROPERTIES = _vocabulary("schemaorg-current-https-properties.csv")
TYPES = _vocabulary("schemaorg-current-https-types.csv")


def _terms(cell: str) -> set[str]:
    """The schema.org terms in a comma-separated CSV cell."""
    return {term.strip().removeprefix(SDO) for term in cell.split(",") if term.strip()}


def _lineage(kind: str) -> set[str]:
    """`kind` and all its supertypes (subTypeOf, transitively); empty for an unknown type."""
    seen: set[str] = set()
    todo = [kind]
    while todo:
        current = todo.pop()
        if current in seen or current not in TYPES:
            continue
        seen.add(current)
        todo.extend(_terms(TYPES[current]["subTypeOf"]))
    return seen


def _value_errors(where: str, value: Any, ranges: set[str]) -> list[str]:
    """Why one value does not fit a property's rangeIncludes (empty when it fits)."""
    if isinstance(value, dict):
        kind = value.get("@type", "")
        if not _lineage(kind) & ranges:
            return [f"{where}: a {kind or 'untyped'} node where {sorted(ranges)} is expected"]
        return []
    kinds = tuple(t for name in ranges & DATATYPES.keys() for t in DATATYPES[name])
    if isinstance(value, bool) or not kinds or not isinstance(value, kinds):
        return [f"{where}: {value!r} is not a literal of {sorted(ranges)}"]
    if isinstance(value, str) and "Text" not in ranges:
        if ranges <= {"URL"} and not value.startswith(("https://", "http://")):
            return [f"{where}: {value!r} is not an http(s) URL"]
        if ranges <= {"Date", "DateTime"} and not ISO_DATE.fullmatch(value[:10]):
            return [f"{where}: {value!r} is not an ISO 8601 date"]
    return []


def vocabulary_errors(node: dict[str, Any]) -> list[str]:
    """What in one typed node (its own properties, not its children's) schema.org lacks."""
    kind = node.get("@type", "")
    if kind not in TYPES:
        return [f"{kind or 'untyped node'}: not a schema.org type"]
    lineage, errors = _lineage(kind), []
    for prop, value in node.items():
        if prop.startswith("@"):
            continue
        row = PROPERTIES.get(prop)
        if row is None:
            errors.append(f"{kind}.{prop}: not a schema.org property")
            continue
        domain = _terms(row["domainIncludes"])
        if not lineage & domain:
            errors.append(f"{kind}.{prop}: its domain is {sorted(domain)}")
        ranges = _terms(row["rangeIncludes"])
        for item in value if isinstance(value, list) else [value]:
            errors += _value_errors(f"{kind}.{prop}", item, ranges)
    return errors


def _nodes(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [n for item in node for n in _nodes(item)]
    if not isinstance(node, dict):
        return []
    return [node, *(n for key, value in node.items() if key != "@context" for n in _nodes(value))]


def test_a_claimreview_needs_a_url_template(
    seeded: FactBase, seeded_cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factbase.export import ReviewUrlError

    monkeypatch.delenv(URL_TEMPLATE_ENV, raising=False)
    with pytest.raises(ReviewUrlError, match="--url-template .*FACTBASE_REVIEW_URL_TEMPLATE"):
        seeded.claimreviews()
    result = seeded_cli("export", "claimreview")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        "Error: a ClaimReview needs its public url: give --url-template or set "
        "FACTBASE_REVIEW_URL_TEMPLATE (e.g. 'https://desk.example.org/claims/{id}')\n"
    )
    for bad in ("https://desk.example.org/claims", "https://x.org/{claim}", "/claims/{id}"):
        with pytest.raises(ReviewUrlError, match="only field is {id}"):
            seeded.claimreviews(url_template=bad)
    monkeypatch.setenv(URL_TEMPLATE_ENV, TEMPLATE)
    assert json.loads(seeded_cli("export", "claimreview").stdout) == seeded.claimreviews()


def test_every_review_has_what_google_requires_and_recommends(seeded: FactBase) -> None:
    reviews = seeded.claimreviews(url_template=TEMPLATE, include_all=True)
    assert reviews
    for review in reviews:
        assert review["@context"] == "https://schema.org"
        for node in _nodes(review):
            kind = node["@type"]
            assert not vocabulary_errors(node), (review["url"], vocabulary_errors(node))
            required, recommended = GOOGLE.get(kind, (set(), set()))
            assert required | recommended <= set(node), (kind, review["claimReviewed"])
        assert review["author"]["name"]
        rating = review["reviewRating"]
        assert (rating["bestRating"], rating["worstRating"]) == (BEST_RATING, WORST_RATING)
    assert len({r["url"] for r in reviews}) == len(reviews)


def test_the_vendored_vocabulary_is_the_exports_subset() -> None:
    """Every vendored type chains up to Thing, and every property is one the export uses."""
    assert TYPES["Thing"]["subTypeOf"] == ""
    for kind in TYPES:
        assert "Thing" in _lineage(kind), kind
        assert _terms(TYPES[kind]["subTypeOf"]) <= TYPES.keys(), kind
    for prop, row in PROPERTIES.items():
        assert row["label"] == prop
        assert _terms(row["rangeIncludes"]) <= TYPES.keys() | DATATYPES.keys(), prop


def test_vocabulary_check_rejects_what_schema_org_lacks() -> None:
    """Negative controls: a made-up property or type, and real terms used where they don't fit."""
    assert vocabulary_errors({"@type": "Claim", "name": "x", "author": {"@type": "Person"}}) == []
    assert vocabulary_errors({"@type": "ClaimReview", "itemReviewed": {"@type": "Claim"}}) == []
    bad = [
        {"@type": "Claim", "verdict": "refuted"},  # made-up property
        {"@type": "Verdict", "name": "x"},  # made-up type
        {"@type": "CreativeWork", "claimReviewed": "x"},  # domain is ClaimReview
        {"@type": "Rating", "appearance": {"@type": "CreativeWork"}},  # domain is Claim
        {"@type": "Organization", "datePublished": "2007"},  # domain Certification/CreativeWork
        {"@type": "ClaimReview", "reviewRating": {"@type": "Person", "name": "x"}},  # range
        {"@type": "Claim", "author": {"@type": "Claim"}},  # range Organization/Person
        {"@type": "ClaimReview", "url": "urn:factbase:claim:1"},  # URL
        {"@type": "Rating", "ratingValue": True},  # Number/Text, not a boolean
        {"@type": "Rating", "bestRating": {"@type": "Rating"}},  # a node for a literal
        {"@type": "Claim", "datePublished": "30 May 2007"},  # Date
        {"@type": "Claim", "name": 7},  # Text
    ]
    for node in bad:
        assert len(vocabulary_errors(node)) == 1, node


def test_urls_ratings_and_the_all_option(seeded: FactBase, seeded_cli: Invoke) -> None:
    active = {c["id"]: c["text"] for c in seeded.claims()}
    everything = seeded.claimreviews(url_template=TEMPLATE, include_all=True)
    urls = [r["url"] for r in everything]
    assert urls == [f"https://desk.example.org/claims/{i}" for i in sorted(active)]
    verdicts = {}
    for claim_id, review in zip(sorted(active), everything, strict=True):
        assert review["claimReviewed"] == active[claim_id]
        verdicts[claim_id] = seeded.verify_claim(claim_id)["verdict"]
        value, label = RATINGS[verdicts[claim_id]]
        assert review["reviewRating"]["ratingValue"] == value
        assert review["reviewRating"]["alternateName"] == label
    assert {"supported", "refuted", "not_enough_info"} <= set(verdicts.values())
    default = [r["url"] for r in seeded.claimreviews(url_template=TEMPLATE)]
    judged = [i for i in sorted(active) if verdicts[i] != "not_enough_info"]
    assert default == [f"https://desk.example.org/claims/{i}" for i in judged]
    args = ("export", "claimreview", "--url-template", TEMPLATE, "--all")
    printed = json.loads(seeded_cli(*args).stdout)
    # A review is dated the day it is made: a run crossing midnight may date the two apart.
    assert [{**r, "datePublished": None} for r in printed] == [
        {**r, "datePublished": None} for r in everything
    ]
    assert {r["datePublished"] for r in printed + everything} <= {
        everything[0]["datePublished"],
        date.today().isoformat(),
    }
    readme = (ROOT / "README.md").read_text("utf-8")
    for verdict, (value, label) in RATINGS.items():
        assert f"| {verdict} | {value} | {label} |" in readme


def _review(seeded: FactBase, doc: str, phrase: str) -> dict[str, Any]:
    claim = next(c for c in seeded.claims(ClaimFilter(doc=doc)) if phrase in c["text"])
    reviews = seeded.claimreviews(url_template=TEMPLATE, include_all=True)
    return next(r for r in reviews if r["claimReviewed"] == claim["text"])


def test_appearance_is_where_the_claim_itself_appeared(seeded: FactBase) -> None:
    review = _review(seeded, "fir-6-17", "Collective Security Treaty")
    item = review["itemReviewed"]
    assert review["reviewRating"]["alternateName"] == RATINGS["refuted"][1]
    assert [a["isPartOf"]["name"] for a in item["appearance"]] == ["Fortnight in Review"]
    assert item["firstAppearance"] == item["appearance"][0]
    assert item["datePublished"] == "2000-09"  # month precision, not 2000-09-01
    assert item["author"] == {"@type": "Organization", "name": "The Jamestown Foundation"}
    assert item["appearance"][0]["publisher"] == item["author"]
    for review in seeded.claimreviews(url_template=TEMPLATE, include_all=True):
        dates = [a["datePublished"] for a in review["itemReviewed"]["appearance"]]
        assert dates == sorted(dates)
        assert review["itemReviewed"]["firstAppearance"]["datePublished"] == dates[0]
        assert "urn:" not in json.dumps(review)


def test_dates_keep_their_precision(seeded: FactBase) -> None:
    by_doc = {}
    for review in seeded.claimreviews(url_template=TEMPLATE, include_all=True):
        for work in review["itemReviewed"]["appearance"]:
            by_doc[work["isPartOf"]["name"]] = work["datePublished"]
    assert by_doc["Monitor"] == "1999-09-21"  # day
    assert by_doc["News Briefing Central Asia"] == "2007-05-30"
    assert by_doc["Fortnight in Review"] == "2000-09"  # month
    edm = _review(seeded, "edm-3-176", "")["itemReviewed"]
    assert edm["firstAppearance"]["datePublished"] == "2006-09"


def test_verify_claimreview_of_a_statement(seeded: FactBase, seeded_cli: Invoke) -> None:
    from factbase.export import statement_key

    statement = "Uzbekistan rejoined the CSTO in 2006"
    review = json.loads(
        seeded_cli(
            "verify", statement, "--claimreview", "--organization", "Newsroom",
            "--url-template", "https://desk.example.org/checks/{id}",
        ).stdout
    )  # fmt: skip
    assert review == seeded.review_statement(
        statement, "Newsroom", "https://desk.example.org/checks/{id}"
    )
    assert review["url"] == f"https://desk.example.org/checks/{statement_key(statement)}"
    assert review["author"] == {"@type": "Organization", "name": "Newsroom"}
    assert review["reviewRating"]["alternateName"] == RATINGS["supported"][1]
    assert review["itemReviewed"] == {"@type": "Claim", "name": statement}
