"""Citations: CSL-JSON items, the rendered styles (regression files) and quote verification.

Every test runs on SQLite and PostgreSQL; the regression files are shared by
both backends, so the two must render byte for byte the same text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from factbase import ClaimInput, FactBase, FactbaseError
from factbase.citations import (
    STYLES,
    UnknownStyle,
    bibtex,
    cite_claim,
    cite_document,
    claim_citation,
    document_csl,
    export_csl,
    latex_escape,
    parse_authors,
    render,
    to_json,
)
from factbase.claims import retract_claim
from factbase.errors import InvalidClaim, UnknownClaim, UnknownDocument
from factbase.ingest import get_document
from factbase.models import Claim, ClaimSpan, Document, Span

from .conftest import Invoke

SEED_SLUGS = ["edm-1-10", "edm-3-176", "fir-6-17", "monitor-5-173", "nbca-2007-05-30"]
QUOTE = "having abandoned it last year"
TEXT_STYLES = ["chicago", "apa", "mla", "bibtex"]
PARTS = {"year": 1, "month": 2, "day": 3}


def _claim_quoting(session: Session, words: str) -> Claim:
    """The one claim whose span contains `words` (found by query, not by id)."""
    [claim] = session.scalars(select(Claim).join(Claim.spans).where(Span.exact.contains(words)))
    return claim


# Regression files: what an editor pastes ------------------------------------------------------


@pytest.mark.parametrize("style", TEXT_STYLES)
def test_document_citations(seeded: FactBase, file_regression, style: str) -> None:
    with seeded.store.session() as session:
        text = "\n\n".join(cite_document(session, slug, style) for slug in SEED_SLUGS)
    file_regression.check(text + "\n", basename=f"documents_{style}", extension=".txt")


def test_document_citation_csl_json(seeded: FactBase, file_regression) -> None:
    with seeded.store.session() as session:
        text = cite_document(session, "fir-6-17", "csl-json")
        assert json.loads(text) == [document_csl(get_document(session, "fir-6-17"))]
    file_regression.check(text + "\n", basename="document_csl-json", extension=".txt")


@pytest.mark.parametrize("style", STYLES)
def test_claim_citation(seeded: FactBase, file_regression, style: str) -> None:
    with seeded.store.session() as session:
        claim = _claim_quoting(session, QUOTE)
        text = cite_claim(session, claim.id, style)
    assert QUOTE in text
    assert "NOT verified" not in text
    file_regression.check(text + "\n", basename=f"claim_{style}", extension=".txt")


def test_export_csl(seeded: FactBase, file_regression) -> None:
    with seeded.store.session() as session:
        items = export_csl(session)
    assert [item["id"] for item in items] == SEED_SLUGS
    file_regression.check(to_json(items) + "\n", basename="export_csl", extension=".json")


# CSL-JSON -----------------------------------------------------------------------------


def test_csl_json_fields_of_the_seed_documents(seeded: FactBase) -> None:
    with seeded.store.session() as session:
        for slug in SEED_SLUGS:
            document = get_document(session, slug)
            item = document_csl(document)
            assert item["id"] == slug
            assert item["title"] == document.title
            assert item["container-title"] == document.publication.name
            assert item["publisher"] == document.publication.publisher
            assert item.get("volume") == document.volume
            assert item.get("issue") == document.issue
            assert "author" not in item and "URL" not in item
            [parts] = item["issued"]["date-parts"]
            assert len(parts) == PARTS[document.date_precision]
            if document.date_source == "stated":
                assert "note" not in item
            else:
                assert item["note"] == f"Date inferred: {document.date_note}"
    by_id = {item["id"]: item for item in _export(seeded)}
    assert by_id["fir-6-17"]["issued"] == {"date-parts": [[2000, 9]]}
    assert by_id["edm-1-10"]["issued"] == {"date-parts": [[2004, 5]]}
    assert by_id["monitor-5-173"]["issued"] == {"date-parts": [[1999, 9, 21]]}
    assert by_id["nbca-2007-05-30"]["issued"] == {"date-parts": [[2007, 5, 30]]}
    assert by_id["nbca-2007-05-30"]["type"] == "article-newspaper"  # kind: wire
    assert by_id["fir-6-17"]["type"] == "article-magazine"  # kind: periodical


def _export(base: FactBase) -> list[dict]:
    with base.store.session() as session:
        return export_csl(session)


TRICKY_TITLE = r"Profits & losses: 100% of $5 on C#_x ~ a^b {braces} \ back"


@pytest.fixture
def extra(seeded: FactBase, tmp_path: Path) -> FactBase:
    """Two more documents: one with authors, a URL and a year; one undated, with no publication."""
    folder = tmp_path / "extra"
    folder.mkdir()
    (folder / "extra.txt").write_text("Some words about nothing in particular.\n", encoding="utf-8")
    (folder / "extra.txt.meta.yaml").write_text(
        json.dumps(
            {
                "id": "extra-1",
                "publication": "Test Review",
                "kind": "wire",
                "title": TRICKY_TITLE,
                "authors": ["A. Writer", "Bob van der Smith"],
                "url": "https://example.org/extra?id={1}",
                "date": "2001",
                "date_source": "given",
                "date_note": "from the archive",
            }
        ),
        encoding="utf-8",
    )
    (folder / "undated.txt").write_text("More words, and no date at all.\n", encoding="utf-8")
    (folder / "undated.txt.meta.yaml").write_text('title: "An undated note"\n', encoding="utf-8")
    seeded.ingest([folder])
    return seeded


def test_csl_json_of_authors_url_and_year(extra: FactBase) -> None:
    with extra.store.session() as session:
        item = document_csl(get_document(session, "extra-1"))
        chicago = cite_document(session, "extra-1", "chicago")
    assert item == {
        "id": "extra-1",
        "type": "article-newspaper",
        "title": TRICKY_TITLE,
        "container-title": "Test Review",
        "author": [
            {"family": "Writer", "given": "A."},
            {"family": "Smith", "given": "Bob", "non-dropping-particle": "van der"},
        ],
        "issued": {"date-parts": [[2001]]},
        "URL": "https://example.org/extra?id={1}",
        "note": "Date given: from the archive",
    }
    assert chicago.startswith("Writer, A., and Bob van der Smith. 2001. “Profits & Losses")


def test_undated_document(extra: FactBase) -> None:
    with extra.store.session() as session:
        item = document_csl(get_document(session, "undated"))
        chicago = cite_document(session, "undated", "chicago")
        apa = cite_document(session, "undated", "apa")
    assert "issued" not in item
    assert item["type"] == "document"  # no publication, no URL
    assert item["note"].startswith("Undated")
    assert chicago == "“An Undated Note.” n.d."
    assert apa == "An undated note. (n.d.)."


def test_seed_references_show_their_dates(seeded: FactBase) -> None:
    """No "n.d." for a dated document, and the day only where it is known."""
    with seeded.store.session() as session:
        for style in ("chicago", "apa", "mla"):
            for slug in SEED_SLUGS:
                document = get_document(session, slug)
                text = cite_document(session, slug, style)
                assert "n.d." not in text
                # A title or publication substituted for the missing author is not repeated.
                assert text.casefold().count(document.title.casefold()) == 1, text
                assert text.count(document.publication.name) == 1, text
        assert "September 21, 1999" in cite_document(session, "monitor-5-173", "chicago")
        assert "21 Sept. 1999" in cite_document(session, "monitor-5-173", "mla")
        assert "(2000, September)" in cite_document(session, "fir-6-17", "apa")


@pytest.mark.parametrize("style", ["chicago", "apa", "mla"])
def test_punctuation_is_not_doubled(style: str) -> None:
    """en-US puts the period inside the quotes, and drops it after a question mark."""
    for title in ("Why now?", "Ends with a period.", "Plain"):
        item = {"id": "x", "type": "article-magazine", "title": title, "container-title": "M"}
        text = render(item | {"issued": {"date-parts": [[2001, 2, 3]]}}, style)
        for doubled in ("?.", "?,", "..", ",,", "”.", "”,", ". ."):
            assert doubled not in text, (doubled, text)


def test_versions_get_their_own_keys() -> None:
    document = Document(slug="fir-6-17", version=2, title="T")
    assert document_csl(document)["id"] == "fir-6-17@2"
    assert bibtex(document).startswith("@misc{fir_6_17_2,\n")


def test_parse_authors() -> None:
    assert parse_authors("A. Writer; B. Writer") == [
        {"family": "Writer", "given": "A."},
        {"family": "Writer", "given": "B."},
    ]
    assert parse_authors("Writer, Anna") == [{"family": "Writer", "given": "Anna"}]
    assert parse_authors("Reuters") == [{"literal": "Reuters"}]
    assert parse_authors(None) == parse_authors(" ; ") == []


# BibTeX -----------------------------------------------------------------------------------


def test_latex_escape() -> None:
    assert latex_escape("{}&%$#_~^\\") == (
        r"\{\}\&\%\$\#\_\textasciitilde{}\textasciicircum{}\textbackslash{}"
    )
    assert latex_escape("plain  text\nhere") == "plain text here"


def test_bibtex_escapes_specials_and_uses_month_macros(extra: FactBase) -> None:
    with extra.store.session() as session:
        entry = cite_document(session, "extra-1", "bibtex")
        seed = bibtex(get_document(session, "fir-6-17"))
    assert entry.startswith("@article{extra_1,\n")
    assert (
        r"  title = {{Profits \& losses: 100\% of \$5 on C\#\_x \textasciitilde{} "
        r"a\textasciicircum{}b \{braces\} \textbackslash{} back}}," in entry
    )
    assert "  author = {Writer, A. and van der Smith, Bob},\n" in entry
    assert "  url = {https://example.org/extra?id=%7B1%7D},\n" in entry
    assert "month" not in entry  # year precision: no month
    assert "  year = {2000},\n  month = sep,\n" in seed


# Verification -----------------------------------------------------------------------------


def test_tampered_span_is_not_verified(seeded: FactBase) -> None:
    with seeded.store.session() as session:
        claim = _claim_quoting(session, QUOTE)
        claim_id, [span] = claim.id, claim.spans
        span.exact = span.exact.replace("last year", "in 1998")
    with seeded.store.session() as session:
        text = cite_claim(session, claim_id, "chicago")
        data = json.loads(cite_claim(session, claim_id, "csl-json"))
    assert "“having abandoned it in 1998 in favor of bilateral" in text
    assert (
        "NOT verified: the stored text at 1492–1568 reads “having abandoned it last year in "
        "favor of bilateral arrangements with Russia”, not the quote)"
    ) in text
    assert "NOT verified" in data[0]["note"]


def test_changed_document_text_is_not_verified(seeded: FactBase) -> None:
    with seeded.store.session() as session:
        claim = _claim_quoting(session, QUOTE)
        claim_id, document_id = claim.id, claim.spans[0].document_id
        document = session.get(Document, document_id)
        document.text = document.text.replace("Islamist", "islamist")
    with seeded.store.session() as session:
        text = cite_claim(session, claim_id, "apa")
    assert "NOT verified: the document text does not match its sha256 (stored " in text
    assert "the stored text at" not in text  # the quote itself still stands at its offsets


def test_retracted_claim_says_so(seeded: FactBase) -> None:
    with seeded.store.session() as session:
        claim_id = _claim_quoting(session, QUOTE).id
        retract_claim(session, claim_id, "misread the source")
    with seeded.store.session() as session:
        text = cite_claim(session, claim_id, "mla")
    assert text.endswith(f"\nClaim {claim_id} is retracted: misread the source.")


# Errors -----------------------------------------------------------------------------------


def test_unknown_style(seeded: FactBase) -> None:
    with seeded.store.session() as session, pytest.raises(UnknownStyle) as raised:
        cite_document(session, "fir-6-17", "harvard")
    assert isinstance(raised.value, FactbaseError)
    assert str(raised.value) == (
        "unknown citation style 'harvard': use one of chicago, apa, mla, bibtex, csl-json"
    )
    with seeded.store.session() as session, pytest.raises(UnknownStyle):
        cite_claim(session, 1, "vancouver")


def test_unknown_claim_and_document(seeded: FactBase) -> None:
    with seeded.store.session() as session:
        with pytest.raises(UnknownClaim):
            cite_claim(session, 999_999, "apa")
        with pytest.raises(UnknownDocument):
            cite_document(session, "no-such-doc", "apa")
        claim = _claim_quoting(session, QUOTE)
        session.execute(delete(ClaimSpan).where(ClaimSpan.claim_id == claim.id))
        session.expire(claim)
        with pytest.raises(InvalidClaim, match="cites no span"):
            cite_claim(session, claim.id, "apa")


# A bare document: no title, author, date or publication ------------------------------------------


@pytest.fixture
def bare_claim(fb: FactBase, tmp_path: Path) -> int:
    """A claim citing a document that has nothing but its text."""
    path = tmp_path / "bare.txt"
    path.write_text("Nothing here but a line that says the sky is green today.\n", "utf-8")
    fb.ingest([path])
    document = fb.document("bare")
    assert not any(document[key] for key in ("title", "authors", "date", "publication"))
    fb.add_predicate("is", kind="state", value_type="string")
    claim = ClaimInput(
        text="The sky is green",
        doc="bare",
        quote="the sky is green",
        subject="Sky",
        predicate="is",
        value="green",
    )
    return fb.add_claim(claim)["id"]


@pytest.mark.parametrize("style", STYLES)
def test_bare_document_cites_in_every_style(fb: FactBase, bare_claim: int, style: str) -> None:
    text = fb.cite_claim(bare_claim, style)  # MLA raised ValueError here
    assert "the sky is green" in text and "NOT verified" not in text
    reference = fb.cite_document("bare", style)
    if style in {"chicago", "apa", "mla"}:
        assert reference.lower().startswith(("[untitled document]", "“[untitled document]"))
        assert text.startswith(reference)
    else:
        assert "bare" in reference
    if style == "csl-json":
        assert "title" not in json.loads(reference)[0]  # the exported data invents nothing


def test_cite_json(fb: FactBase, bare_claim: int, cli: Invoke) -> None:
    result = cli("cite", str(bare_claim), "--style", "mla", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == fb.claim_citation(bare_claim, "mla")
    assert (data["claim"], data["style"], data["status"]) == (bare_claim, "mla", "active")
    assert data["references"] == [{"document": "bare", "reference": "[Untitled Document]."}]
    [quote] = data["quotes"]
    assert quote | {"verification": None} == {
        "exact": "the sky is green",
        "document": "bare",
        "start": 34,
        "end": 50,
        "verified": True,
        "verification": None,
    }
    assert quote["verification"].startswith("verified: ")
    assert data["text"] == cli("cite", str(bare_claim), "--style", "mla").stdout.rstrip("\n")
    csl = json.loads(cli("cite", str(bare_claim), "--style", "csl-json", "--json").stdout)
    assert csl["references"][0]["reference"]["id"] == "bare"
    assert json.loads(csl["text"]) == [csl["references"][0]["reference"]]


def test_doc_cite_json(seeded_cli: Invoke) -> None:
    data = json.loads(seeded_cli("doc", "cite", "fir-6-17", "--style", "apa", "--json").stdout)
    assert (data["document"], data["style"]) == ("fir-6-17", "apa")
    assert data["reference"] == data["text"]
    assert data["text"] == seeded_cli("doc", "cite", "fir-6-17", "--style", "apa").stdout.strip()
    csl = json.loads(seeded_cli("doc", "cite", "fir-6-17", "--style", "csl-json", "--json").stdout)
    assert csl["reference"]["id"] == "fir-6-17"


def test_a_quote_that_no_longer_stands_is_not_verified_in_json(seeded: FactBase) -> None:
    with seeded.store.session() as session:
        claim = _claim_quoting(session, QUOTE)
        claim.spans[0].end += 1  # the offsets no longer hold the quote
        session.flush()
        data = claim_citation(session, claim.id, "chicago")
        session.rollback()
    [quote] = data["quotes"]
    assert quote["verified"] is False
    assert quote["verification"].startswith("NOT verified: the stored text at")
    assert "NOT verified" in data["text"]
