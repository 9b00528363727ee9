"""The demo corpus end to end: `factbase demo`, its invariants, dates and the §1 claims."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from factbase import ClaimFilter, FactBase
from factbase.cli import app
from factbase.models import Claim, ClaimSpan, Document, Span

from .conftest import SEEDS, Invoke

SLUGS = {"fir-6-17", "monitor-5-173", "edm-3-176", "nbca-2007-05-30", "edm-1-10"}
CST = "Collective Security Treaty Organization"


def _claims(fb: FactBase, subject: str, predicate: str, **filters: Any) -> list[dict[str, Any]]:
    return fb.claims(ClaimFilter(subject=subject, predicate=predicate, **filters))


def _one(fb: FactBase, subject: str, predicate: str, doc: str, **match: Any) -> dict[str, Any]:
    """The single claim of `doc` on (subject, predicate) whose fields equal `match`."""
    found = [
        c
        for c in _claims(fb, subject, predicate, doc=doc)
        if all(c[key] == value for key, value in match.items())
    ]
    assert len(found) == 1, f"{subject} / {predicate} / {doc} / {match}: {found}"
    return found[0]


def _interval(claim: dict[str, Any]) -> tuple[date, date]:
    assert claim["time"] is not None, claim["text"]
    return date.fromisoformat(claim["time"]["earliest"]), date.fromisoformat(
        claim["time"]["latest"]
    )


def _span_rows_match_their_documents(fb: FactBase) -> int:
    """Every cited span, read back from the database, equals its document's text there."""
    with fb.store.session() as session:
        rows = session.execute(
            select(Span.start, Span.end, Span.exact, Span.prefix, Span.suffix, Document.text)
            .join(Document, Span.document_id == Document.id)
            .join(ClaimSpan, ClaimSpan.span_id == Span.id)
        ).all()
        uncited = session.scalars(
            select(Claim.id).where(~Claim.id.in_(select(ClaimSpan.claim_id)))
        ).all()
    assert uncited == []
    for start, end, exact, prefix, suffix, body in rows:
        assert 0 <= start < end <= len(body)
        assert body[start:end] == exact
        assert exact.strip() == exact and exact
        assert len(prefix) <= 32 and body[:start].endswith(prefix)
        assert len(suffix) <= 32 and body[end:].startswith(suffix)
    return len(rows)


def test_demo_loads_the_seed_corpus(cli: Invoke, fb: FactBase) -> None:
    result = cli("demo", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["fsck"] == []
    assert summary["claims"] >= 60
    per_document = {d["slug"]: d["claims"] for d in summary["documents"]}
    assert set(per_document) == SLUGS
    assert all(count >= 8 for count in per_document.values()), per_document

    # What the summary says is what the database holds.
    counts = fb.counts()
    assert (counts["documents"], counts["claims"]) == (5, summary["claims"])
    assert fb.fsck() == []
    fsck = cli("fsck")
    assert fsck.exit_code == 0, fsck.output
    assert fsck.stdout == (
        f"ok: 5 documents, {counts['spans']} spans, {summary['claims']} claims\n"
    )
    assert _span_rows_match_their_documents(fb) >= summary["claims"]
    for slug, count in per_document.items():
        assert len(fb.claims(ClaimFilter(doc=slug))) == count, slug

    _dates_are_stated_or_inferred(fb)
    _uzbekistan_left_and_rejoined_the_cst(fb)
    _publisher_addresses_differ(fb)
    _offices_at_disjoint_times(fb)


def _dates_are_stated_or_inferred(fb: FactBase) -> None:
    documents = {d["slug"]: d for d in fb.documents()}
    assert set(documents) == SLUGS
    stated = [slug for slug, d in documents.items() if d["date_source"] == "stated"]
    assert stated == ["nbca-2007-05-30"]
    iwpr = documents["nbca-2007-05-30"]
    assert (iwpr["date"], iwpr["date_precision"]) == ("2007-05-30", "day")
    for slug, document in documents.items():
        assert document["date"], slug
        if slug != "nbca-2007-05-30":
            assert document["date_source"] == "inferred", slug
            assert len(document["date_note"] or "") > 40, slug
    assert documents["monitor-5-173"]["date"] == "1999-09-21"
    assert documents["fir-6-17"]["date"].startswith("2000-09")
    assert documents["edm-3-176"]["date"].startswith("2006-09")
    assert documents["edm-1-10"]["date"].startswith("2004-05")


def _uzbekistan_left_and_rejoined_the_cst(fb: FactBase) -> None:
    # 2000: "having abandoned it last year" -> 1999
    left_1999 = _one(fb, "Uzbekistan", "left", "fir-6-17", object=CST)
    assert _interval(left_1999) == (date(1999, 1, 1), date(1999, 12, 31))
    assert left_1999["time"]["raw"] == "last year"
    assert "abandoned it last year" in left_1999["spans"][0]["exact"]

    # 2007: "after ten years of estrangement" -> about 1996, well before 1999
    left_1996 = _one(fb, "Uzbekistan", "withdrew from", "nbca-2007-05-30", object=CST)
    earliest, latest = _interval(left_1996)
    assert latest < date(1999, 1, 1)
    assert earliest <= date(1996, 12, 31) and latest >= date(1996, 1, 1)
    assert "ten years of estrangement" in left_1996["spans"][0]["exact"]

    # "2006" and "August 2006" agree: the month lies inside the year.
    rejoined_2006 = _one(fb, "Republic of Uzbekistan", "rejoined", "edm-3-176", object=CST)
    rejoined_aug = _one(fb, "Uzbekistan", "re-entered", "nbca-2007-05-30", object=CST)
    assert _interval(rejoined_2006) == (date(2006, 1, 1), date(2006, 12, 31))
    assert _interval(rejoined_aug) == (date(2006, 8, 1), date(2006, 8, 31))
    all_left = _claims(fb, "Uzbekistan", "left", object="CSTO")
    assert {left_1999["id"], left_1996["id"]} <= {c["id"] for c in all_left}


def _publisher_addresses_differ(fb: FactBase) -> None:
    addresses = _claims(fb, "The Jamestown Foundation", "postal address")
    by_doc = {c["spans"][0]["document"]: c["value"]["text"] for c in addresses}
    assert by_doc["fir-6-17"].startswith("4526 43rd Street NW")
    assert by_doc["monitor-5-173"].startswith("4516 43rd Street NW")
    assert fb.predicate("address")["single_valued"] is True


def _offices_at_disjoint_times(fb: FactBase) -> None:
    def years(predicate: str, holder: str) -> dict[str, tuple[date, date]]:
        found = _claims(fb, "Russia", predicate, object=holder)
        return {c["spans"][0]["document"]: _interval(c) for c in found}

    sergeev = years("defence minister", "Igor Sergeev")
    ivanov = years("defense minister", "Sergei Ivanov")
    assert {doc: span[0].year for doc, span in sergeev.items()} == {
        "monitor-5-173": 1999,
        "fir-6-17": 2000,
    }
    assert {doc: span[0].year for doc, span in ivanov.items()} == {
        "edm-1-10": 2004,
        "edm-3-176": 2006,
    }
    for s_earliest, s_latest in sergeev.values():
        for i_earliest, i_latest in ivanov.values():
            assert s_latest < i_earliest or i_latest < s_earliest

    prime = years("prime minister", "Vladimir Putin")
    president = years("president", "Vladimir Putin")
    assert {doc: span[0].year for doc, span in prime.items()} == {"monitor-5-173": 1999}
    assert {doc: span[0].year for doc, span in president.items()} == {
        "fir-6-17": 2000,
        "edm-3-176": 2006,
    }
    assert prime["monitor-5-173"][0] >= date(1999, 9, 1)
    assert prime["monitor-5-173"][1] < president["fir-6-17"][0]


def test_demo_refuses_a_database_with_documents(cli: Invoke, fb: FactBase) -> None:
    assert cli("ingest", str(SEEDS / "003_18c190d68d0860aa.txt")).exit_code == 0
    before = fb.counts()
    result = cli("demo")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: the database already holds documents: load the corpus into an empty one\n"
    )
    assert fb.counts() == before


def test_demo_without_db_writes_a_fresh_file_here(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend != "sqlite":
        pytest.skip("the default demo database is a SQLite file")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FACTBASE_DB", raising=False)
    path = tmp_path / "factbase-demo.db"
    runs = []
    for _ in range(2):
        result = CliRunner().invoke(app, ["demo", "--json"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        summary = json.loads(result.stdout)
        assert summary["database"] == "sqlite:///factbase-demo.db"
        assert path.is_file()
        with FactBase(f"sqlite:///{path}") as fb:
            runs.append(fb.counts())
    first, second = runs
    assert first == second  # replaced, not loaded on top
    assert (first["documents"], first["claims"]) == (5, summary["claims"])
    assert not (tmp_path / "factbase.db").exists()
