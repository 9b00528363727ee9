"""Claims: add with spans and time qualifiers, list filters, full text, show, retract, import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from factbase import ClaimFilter, ClaimInput, FactBase
from factbase.errors import (
    AmbiguousQuote,
    ImportFileError,
    InvalidClaim,
    QuoteNotFound,
    TimeExpressionError,
    UnknownDocument,
    UnknownEntity,
    UnknownPredicate,
)
from factbase.models import Event

from .conftest import SEEDS

FIR = "fir-6-17"
IWPR = "nbca-2007-05-30"


@pytest.fixture
def base(fb: FactBase) -> FactBase:
    """The seed documents with a small vocabulary of our own."""
    fb.ingest([SEEDS])
    fb.add_entity("Collective Security Treaty", kind="treaty", aliases=["CSTO", "CST"])
    fb.add_predicate("left", kind="event", aliases=["abandoned", "withdrew from"])
    fb.add_predicate("postal address", kind="attribute", single_valued=True, value_type="string")
    fb.add_predicate("servicemen sent", kind="attribute", single_valued=True, value_type="number")
    return fb


def _claim(**overrides: object) -> ClaimInput:
    fields = {
        "text": "Uzbekistan left the Collective Security Treaty in 1999",
        "doc": FIR,
        "quote": "having abandoned it last year",
        "subject": "Uzbekistan",
        "predicate": "abandoned",
        "object": "CSTO",
        "when": "last year",
    } | overrides
    return ClaimInput(**fields)  # type: ignore[arg-type]


def test_add_claim_stores_span_time_and_entities(base: FactBase) -> None:
    notices: list[str] = []
    base.notify = notices.append
    claim = base.add_claim(_claim())
    assert notices == ["created entity 'Uzbekistan'"]
    assert (claim["subject"], claim["predicate"], claim["object"]) == (
        "Uzbekistan",
        "left",
        "Collective Security Treaty",
    )
    assert claim["time"] == {
        "raw": "last year",
        "earliest": "1999-01-01",
        "latest": "1999-12-31",
        "precision": "year",
        "anchor": base.document(FIR)["date"],
    }
    [span] = claim["spans"]
    text = base.document(FIR, with_text=True)["text"]
    assert text[span["start"] : span["end"]] == span["exact"] == "having abandoned it last year"
    assert span["prefix"] == text[span["start"] - 32 : span["start"]]
    assert span["suffix"] == text[span["end"] : span["end"] + 32]


def test_typographic_quote_keeps_document_characters(base: FactBase) -> None:
    claim = base.add_claim(
        _claim(quote="Astana shares Bishkek's - and Dushanbe's - interest", when=None)
    )
    assert claim["spans"][0]["exact"] == "Astana shares Bishkek’s–and Dushanbe’s–interest"


def test_several_quotes_give_several_spans(base: FactBase) -> None:
    claim = base.add_claim(
        _claim(quote=["having abandoned it last year", "no longer a party to the CIS"])
    )
    assert [s["exact"] for s in claim["spans"]] == [
        "having abandoned it last year",
        "no longer a party to the CIS",
    ]


def test_values_are_typed_by_predicate(base: FactBase) -> None:
    address = base.add_claim(
        _claim(
            text="Jamestown's address is 4526 43rd Street NW",
            quote="4526 43rd Street NW, Washington, DC 20016",
            subject="The Jamestown Foundation",
            predicate="postal address",
            object=None,
            value="4526 43rd Street NW, Washington, DC 20016",
            when=None,
        )
    )
    assert address["value"] == {"text": "4526 43rd Street NW, Washington, DC 20016"}
    count = base.add_claim(
        _claim(
            text="Uzbekistan sent 130 servicemen",
            doc="edm-3-176",
            quote="a total of 130 servicemen",
            predicate="servicemen sent",
            object=None,
            value="130 servicemen",
            when="2006-09-19",
        )
    )
    assert count["value"] == {"number": 130.0, "unit": "servicemen"}
    with pytest.raises(InvalidClaim, match="takes a number"):
        base.add_claim(_claim(predicate="servicemen sent", object=None, value="many"))
    base.add_predicate("member of", kind="state", value_type="entity")
    with pytest.raises(InvalidClaim, match="takes an object entity"):
        base.add_claim(_claim(predicate="member of", object=None, value="CSTO"))


@pytest.mark.parametrize(
    ("overrides", "error", "message"),
    [
        ({"quote": "Uzbekistan rejoined NATO"}, QuoteNotFound, "closest passage"),
        ({"quote": "Vladimir Putin"}, AmbiguousQuote, "pick one with --occurrence N"),
        ({"doc": "fir-6-71"}, UnknownDocument, "did you mean 'fir-6-17'"),
        ({"predicate": "abandonned"}, UnknownPredicate, "did you mean 'abandoned'"),
        ({"value": "x"}, InvalidClaim, "either an object or a value, not both"),
        ({"modality": "rumoured"}, InvalidClaim, "modality must be one of"),
        ({"text": "  "}, InvalidClaim, "claim text is empty"),
    ],
)
def test_bad_claims_store_nothing(
    base: FactBase, overrides: dict, error: type[Exception], message: str
) -> None:
    before = base.counts()
    with pytest.raises(error, match=message):
        base.add_claim(_claim(**overrides))
    assert base.counts() == before


def test_occurrence_picks_one_of_an_ambiguous_quote(base: FactBase) -> None:
    first = base.add_claim(_claim(quote="Vladimir Putin", occurrence=1, when=None))
    second = base.add_claim(_claim(quote="Vladimir Putin", occurrence=2, when=None))
    assert first["spans"][0]["start"] < second["spans"][0]["start"]


def test_identical_quotes_share_one_span(base: FactBase) -> None:
    base.add_claim(_claim())
    base.add_claim(_claim(text="Uzbekistan quit the CST"))
    assert base.counts()["spans"] == 1
    assert base.counts()["claim_spans"] == 2


def test_list_filters(base: FactBase) -> None:
    left = base.add_claim(_claim())
    later = base.add_claim(
        _claim(
            text="Uzbekistan left the CST about ten years before August 2006",
            doc=IWPR,
            quote="After ten years of estrangement",
            when="~10 years before 2006-08",
        )
    )
    other = base.add_claim(
        _claim(
            text="Azerbaijan abandoned the treaty",
            doc="monitor-5-173",
            quote="who have abandoned that treaty",
            subject="Azerbaijan",
            when=None,
        )
    )

    def ids(**filters: object) -> list[int]:
        return [c["id"] for c in base.claims(ClaimFilter(**filters))]  # type: ignore[arg-type]

    assert ids() == [left["id"], later["id"], other["id"]]
    assert ids(subject="uzbekistan") == [left["id"], later["id"]]
    assert ids(predicate="withdrew from", object="CST") == [left["id"], later["id"], other["id"]]
    assert ids(doc=IWPR) == [later["id"]]
    assert ids(publication="Fortnight in Review") == [left["id"]]
    assert ids(since="1999", until="1999") == [left["id"]]
    assert ids(until="1998") == [later["id"]]
    assert ids(text="Azerbaijan treaty") == [other["id"]]
    assert ids(text="estrangement") == [later["id"]]  # a word of its quote, not of its text
    assert ids(text="August 2006") == [later["id"]]
    assert ids(text='"; DROP TABLE claims; --') == []
    assert ids(limit=1) == [left["id"]]


def test_retract_keeps_claim_with_reason(base: FactBase) -> None:
    claim = base.add_claim(_claim())
    retracted = base.retract_claim(claim["id"], "misread the source")
    assert (retracted["status"], retracted["status_reason"]) == ("retracted", "misread the source")
    assert base.claims() == []
    assert [c["id"] for c in base.claims(ClaimFilter(status=None))] == [claim["id"]]
    with pytest.raises(InvalidClaim, match="already retracted"):
        base.retract_claim(claim["id"], "again")


def test_every_change_is_audited(base: FactBase) -> None:
    claim = base.add_claim(_claim())
    base.retract_claim(claim["id"], "wrong")
    with base.store.session() as session:
        events = session.execute(
            select(Event.action, Event.target, Event.target_id).where(Event.target == "claim")
        ).all()
        retraction = session.scalar(select(Event).where(Event.action == "retract"))
        assert retraction is not None
        assert retraction.before["status"] == "active"
        assert retraction.after["status"] == "retracted"
    assert events == [("create", "claim", claim["id"]), ("retract", "claim", claim["id"])]


def test_show_has_context_and_citation(base: FactBase) -> None:
    claim = base.add_claim(_claim())
    shown = base.claim(claim["id"])
    [span] = shown["spans"]
    assert "having abandoned it last year" in span["context"]
    assert span["citation"].startswith("Fortnight in Review 6/17")
    assert "inferred" in span["citation"]


def _write_jsonl(path: Path, items: list[object]) -> Path:
    path.write_text("\n".join(i if isinstance(i, str) else json.dumps(i) for i in items), "utf-8")
    return path


def _line(**overrides: object) -> dict[str, object]:
    return {
        "text": "Uzbekistan left the CST",
        "doc": FIR,
        "quote": "having abandoned it last year",
        "subject": "Uzbekistan",
        "predicate": "left",
        "object": "CSTO",
        "when": "last year",
    } | overrides


def test_import_all_or_nothing(base: FactBase, tmp_path: Path) -> None:
    before = base.counts()
    path = _write_jsonl(tmp_path / "c.jsonl", [_line(), _line(text="second"), '{"text": broken'])
    with pytest.raises(ImportFileError, match=r"line 3: invalid JSON .*nothing was imported"):
        base.import_claims(path)
    assert base.counts() == before
    path = _write_jsonl(tmp_path / "c.jsonl", [_line(), _line(quote="not in the text at all")])
    with pytest.raises(ImportFileError, match=r"line 2: quote not found"):
        base.import_claims(path)
    assert base.counts() == before


def test_import_rejects_unknown_keys_and_types(base: FactBase, tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "c.jsonl", [_line(colour="red")])
    with pytest.raises(ImportFileError, match=r"line 1: unknown keys \['colour'\]"):
        base.import_claims(path)
    path = _write_jsonl(tmp_path / "c.jsonl", [_line(negated="yes")])
    with pytest.raises(ImportFileError, match="'negated' must be bool"):
        base.import_claims(path)


def test_import_jsonl_and_yaml(base: FactBase, tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "c.jsonl", [_line(), "", _line(negated=True)])
    ids = base.import_claims(path)["ids"]
    assert len(ids) == 2
    assert base.claim(ids[1])["polarity"] == "negated"
    yaml_path = tmp_path / "c.yaml"
    yaml_path.write_text(
        "- text: Uzbekistan left the CST\n"
        f"  doc: {FIR}\n"
        "  quote: having abandoned it last year\n"
        "  subject: Uzbekistan\n"
        "  predicate: left\n"
        "  object: CSTO\n"
        "- text: bad\n"
        f"  doc: {FIR}\n"
        "  quote: nowhere to be found\n"
        "  subject: Uzbekistan\n"
        "  predicate: left\n",
        "utf-8",
    )
    with pytest.raises(ImportFileError, match="line 7: quote not found"):
        base.import_claims(yaml_path)
    assert len(base.claims()) == 2


def test_sql_and_html_are_stored_verbatim(base: FactBase) -> None:
    text = "<script>alert('x')</script> Robert'); DROP TABLE claims;--"
    claim = base.add_claim(_claim(text=text, subject="<b>Bobby</b>"))
    assert base.claim(claim["id"])["text"] == text
    assert base.entity("<b>Bobby</b>")["name"] == "<b>Bobby</b>"
    assert base.fsck() == []


def test_rolled_back_import_reports_no_created_entities(base: FactBase, tmp_path: Path) -> None:
    notices: list[str] = []
    base.notify = notices.append
    path = _write_jsonl(
        tmp_path / "c.jsonl", [_line(subject="Brand New Entity"), _line(quote="not there")]
    )
    with pytest.raises(ImportFileError):
        base.import_claims(path)
    assert notices == []
    base.import_claims(_write_jsonl(tmp_path / "ok.jsonl", [_line(subject="Brand New Entity")]))
    assert notices == ["created entity 'Brand New Entity'"]


def test_import_skips_exact_duplicates(base: FactBase, tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "c.jsonl", [_line(), _line(), _line(negated=True)])
    first = base.import_claims(path)
    assert (first["imported"], first["skipped"]) == (2, 1)
    again = base.import_claims(path)
    assert (again["imported"], again["skipped"]) == (0, 3)
    assert len(base.claims()) == 2
    assert base.counts()["spans"] == 1


def test_import_in_batches_matches_one_by_one(base: FactBase, tmp_path: Path) -> None:
    from factbase.importer import import_file

    quotes = ["having abandoned it last year", "no longer a party to the CIS", "Vladimir Putin"]
    lines = [
        _line(text=f"claim {n}", quote=quotes[n % 3], occurrence=1 if n % 3 == 2 else None,
              subject=f"Entity {n % 4}")
        for n in range(7)
    ]  # fmt: skip
    path = _write_jsonl(tmp_path / "c.jsonl", lines)
    with base.store.session() as session:
        result = import_file(session, path, batch_size=2)
    assert len(result.ids) == 7
    shown = [base.claim(i) for i in result.ids]
    assert [c["text"] for c in shown] == [f"claim {n}" for n in range(7)]
    assert [c["subject"] for c in shown] == [f"Entity {n % 4}" for n in range(7)]
    assert [c["spans"][0]["exact"] for c in shown] == [quotes[n % 3] for n in range(7)]
    assert {e["name"] for e in base.entities()} == {
        "Collective Security Treaty",
        *(f"Entity {n}" for n in range(4)),
    }
    assert base.fsck() == []


# The Core listing path ---------------------------------------------------------------------


@pytest.fixture
def varied(seeded: FactBase, tmp_path: Path) -> FactBase:
    """The seed corpus plus shapes it lacks: two quotes whose spans list (by id) in the other
    order, number and date values, a retraction, and a second version of a document."""
    seeded.add_predicate("troops", kind="attribute", single_valued=True, value_type="number")
    seeded.add_predicate("founded on", kind="attribute", value_type="date")
    later = "Uzbekistan in any case is no longer a party to the CIS Collective Security Treaty"
    seeded.add_claim(_claim(text="first", quote=later, when=None))
    seeded.add_claim(
        _claim(
            text="two quotes, the second one already a span", quote=["the Kremlin announced", later]
        )
    )
    seeded.add_claim(
        _claim(
            predicate="troops",
            object=None,
            value="130 servicemen",
            quote="Russian President Vladimir Putin",
        )
    )
    seeded.add_claim(_claim(predicate="founded on", object=None, value="1991-08-31", when=None))
    seeded.retract_claim(seeded.claims(ClaimFilter(subject="Russia"))[0]["id"], "test")
    path = tmp_path / "fir.txt"
    path.write_text("Uzbekistan has rejoined the treaty.\n", "utf-8")
    seeded.ingest([path], slug=FIR, date="2006-08", new_version=True)
    seeded.add_claim(_claim(quote="Uzbekistan has rejoined", predicate="rejoined", when="2006"))
    return seeded


FILTER_CHOICES: dict[str, list[object]] = {
    "subject": [None, "Uzbekistan", "uzbekistan", "Russia"],
    "predicate": [None, "left", "member of", "troops"],
    "object": [None, "Russia", "CIS Collective Security Treaty"],
    "doc": [None, FIR, f"{FIR}@1", "edm-1-10"],
    "publication": [None, "Eurasia Daily Monitor", "Fortnight in Review"],
    "since": [None, "1999", "2000-08"],
    "until": [None, "2000", "2006"],
    "text": [None, "Uzbekistan", "treaty collective"],
    "status": ["active", None],
    "limit": [None, 1, 3],
}


def _filter_cases() -> list[ClaimFilter]:
    """Each filter value alone, each pair of filters twice, and 60 wider random combinations."""
    import itertools
    import random

    rng = random.Random(5)
    cases = [ClaimFilter()]
    for key, values in FILTER_CHOICES.items():
        cases += [ClaimFilter(**{key: value}) for value in values[1:]]  # type: ignore[arg-type]
    for pair in itertools.combinations(FILTER_CHOICES, 2):
        for _ in range(2):
            chosen = {key: rng.choice(FILTER_CHOICES[key][1:]) for key in pair}
            cases.append(ClaimFilter(**chosen))  # type: ignore[arg-type]
    for _ in range(60):
        chosen = {key: rng.choice(values) for key, values in FILTER_CHOICES.items()}
        cases.append(ClaimFilter(**chosen))  # type: ignore[arg-type]
    return cases


def test_core_listing_matches_orm_objects(varied: FactBase) -> None:
    from factbase.claims import claim_dict, claim_dicts, list_claims

    cases, found = _filter_cases(), 0
    with varied.store.session() as session:
        for case in cases:
            expected = [claim_dict(c) for c in list_claims(session, case)]
            fast = claim_dicts(session, case)
            assert json.dumps(fast) == json.dumps(expected), case
            found += bool(fast)
    assert found > len(cases) // 3
    everything = varied.claims(ClaimFilter(status=None))
    assert [len(c["spans"]) for c in everything].count(2) == 1
    assert {json.dumps(c["value"]) for c in everything} >= {
        '{"number": 130.0, "unit": "servicemen"}',
        '{"date": "1991-08-31"}',
    }
    assert {c["spans"][0]["version"] for c in everything if c["spans"][0]["document"] == FIR} == {
        1,
        2,
    }
    assert varied.claims(ClaimFilter(doc=f"{FIR}@2")) == varied.claims(ClaimFilter(doc=FIR))


@pytest.mark.parametrize(
    ("filters", "error"),
    [
        ({"subject": "Nowhere Land"}, UnknownEntity),
        ({"subject": "Uzbekistan", "object": "Nowhere Land"}, UnknownEntity),
        ({"predicate": "levitated"}, UnknownPredicate),
        ({"doc": "no-such-doc"}, UnknownDocument),
        ({"doc": f"{FIR}@9"}, UnknownDocument),  # its slug has claims, that version does not
        ({"doc": f"{FIR}@x"}, UnknownDocument),
        ({"subject": "Nowhere Land", "since": "not a time"}, UnknownEntity),
        ({"since": "not a time"}, TimeExpressionError),
    ],
)
def test_listing_reports_unknown_names(
    seeded: FactBase, filters: dict[str, str], error: type[Exception]
) -> None:
    with pytest.raises(error):
        seeded.claims(ClaimFilter(**filters))  # type: ignore[arg-type]


def test_listing_with_known_names_and_no_match_is_empty(seeded: FactBase) -> None:
    assert seeded.claims(ClaimFilter(subject="Uzbekistan", doc="edm-1-10", since="2030")) == []
    assert seeded.claims(ClaimFilter(publication="No Such Publication")) == []


def test_full_text_uses_the_gin_index_in_generic_plans(fb: FactBase, backend: str) -> None:
    """The search must use the GIN index even once psycopg prepares the statement and
    PostgreSQL plans it without the parameter values."""
    if backend != "postgresql":
        pytest.skip("ix_claims_fts is PostgreSQL's GIN index")
    from sqlalchemy import String, bindparam

    from factbase import fulltext
    from factbase.models import Claim

    engine = fb.store.engine
    where = fulltext.matching("postgresql", bindparam("q", type_=String))
    sql = str(select(Claim.id).where(where).compile(engine)).replace("%(q)s", "$1")
    with engine.connect() as connection:
        connection.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
        connection.exec_driver_sql("SET enable_seqscan = off")
        connection.exec_driver_sql(f"PREPARE search(text) AS {sql}")
        plan = connection.exec_driver_sql("EXPLAIN EXECUTE search('treaty')").scalars().all()
    assert "ix_claims_fts" in "\n".join(plan)


def test_import_merges_the_full_text_pending_list(
    base: FactBase, backend: str, tmp_path: Path
) -> None:
    """COPY queues new words in the GIN index's pending list, which every search scans."""
    if backend != "postgresql":
        pytest.skip("a GIN index is PostgreSQL's")
    engine = base.store.engine
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pgstattuple")
    base.import_claims(_write_jsonl(tmp_path / "c.jsonl", [_line(), _line(text="second")]))
    with engine.connect() as connection:
        pending = connection.exec_driver_sql(
            "SELECT pending_tuples FROM pgstatginindex('ix_claims_fts')"
        ).scalar_one()
    assert pending == 0
    assert [c["text"] for c in base.claims(ClaimFilter(text="second"))] == ["second"]


def test_large_postgresql_import_refreshes_planner_statistics(
    base: FactBase, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend != "postgresql":
        pytest.skip("PostgreSQL's planner statistics")
    monkeypatch.setattr("factbase.importer.ANALYZE_FROM", 2)
    lines = [_line(text=f"claim {n}") for n in range(3)]
    base.import_claims(_write_jsonl(tmp_path / "c.jsonl", lines))
    with base.store.engine.connect() as connection:
        estimated = connection.exec_driver_sql(
            "SELECT reltuples FROM pg_class WHERE relname = 'claims'"
        ).scalar_one()
        stored = connection.exec_driver_sql("SELECT count(*) FROM claims").scalar_one()
    assert estimated == stored
