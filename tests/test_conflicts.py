"""The conflict check on the database: seeds expectations, each rule end to end, triage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select, text

from factbase import ClaimFilter, ClaimInput, FactBase
from factbase.conflicts import scan_all
from factbase.errors import InvalidDecision, UnknownConflict
from factbase.models import Event

from .conftest import Invoke


def _ids(fb: FactBase, **filters: object) -> set[int]:
    return {c["id"] for c in fb.claims(ClaimFilter(**filters))}  # type: ignore[arg-type]


def _pairs(result: dict) -> set[tuple[str, frozenset[int]]]:
    return {(c["rule"], frozenset(c["claims"])) for c in result["conflicts"]}


def test_seed_corpus_flags_exactly_the_real_conflicts(seeded: FactBase) -> None:
    result = seeded.check()
    left = _ids(seeded, subject="Uzbekistan", predicate="left", object="CSTO")
    fir_left = left & _ids(seeded, doc="fir-6-17")
    nbca_left = left & _ids(seeded, doc="nbca-2007-05-30")
    addresses = _ids(seeded, subject="Jamestown Foundation", predicate="postal address")
    assert len(fir_left) == len(nbca_left) == 1 and len(addresses) == 2
    assert _pairs(result) == {
        ("event_date", frozenset(fir_left | nbca_left)),
        ("single_value", frozenset(addresses)),
    }
    event = next(c for c in result["conflicts"] if c["rule"] == "event_date")
    assert event["explanation"].startswith("Fortnight in Review 6/17 (September 2000) dates")
    assert "1999 (“last year”)" in event["explanation"]
    assert "News Briefing Central Asia (30 May 2007)" in event["explanation"]
    assert all(c["status"] == "open" and not c["internal"] for c in result["conflicts"])


def test_seed_near_conflicts_are_not_flagged(seeded: FactBase) -> None:
    flagged = {i for c in seeded.check()["conflicts"] for i in c["claims"]}
    ministers = _ids(seeded, subject="Russia", predicate="defence minister")
    putin = _ids(seeded, subject="Russia", object="Vladimir Putin")
    rejoined = _ids(seeded, subject="Uzbekistan", predicate="rejoined")
    assert len(ministers) >= 4 and len(putin) >= 3 and len(rejoined) == 2
    assert not flagged & (ministers | putin | rejoined)


def test_rejoining_in_2006_and_august_2006_corroborate(seeded: FactBase) -> None:
    seeded.check()
    first, second = sorted(_ids(seeded, subject="Uzbekistan", predicate="rejoined"))
    assert seeded.claim(first)["corroborated_by"] == [second]
    assert seeded.claim(second)["corroborated_by"] == [first]


def test_corroborations_store_timestamps_as_conflicts_do(seeded: FactBase) -> None:
    """Corroborations bypass SQLAlchemy's parameter processing: the stored form must match."""
    seeded.check()
    with seeded.store.engine.connect() as connection:
        stored = {
            table: set(connection.scalars(text(f"SELECT DISTINCT detected_at FROM {table}")))
            for table in ("corroborated_claims", "conflicts")
        }
    assert len(stored["corroborated_claims"]) == 1
    assert stored["corroborated_claims"] == stored["conflicts"]


def test_check_is_idempotent(seeded: FactBase) -> None:
    first = seeded.check()
    counts = seeded.counts()
    second = seeded.check()
    assert second["new"] == 0 and second["resolved"] == 0
    assert second["conflicts"] == first["conflicts"]
    assert {k: v for k, v in seeded.counts().items() if k != "events"} == {
        k: v for k, v in counts.items() if k != "events"
    }


def test_decided_conflicts_are_never_raised_again(seeded: FactBase) -> None:
    conflicts = seeded.check()["conflicts"]
    dismissed, confirmed = conflicts[0]["id"], conflicts[1]["id"]
    seeded.decide(dismissed, "dismiss", "the foundation moved offices")
    seeded.decide(confirmed, "confirm")
    again = seeded.check()
    assert again["new"] == 0
    statuses = {c["id"]: c["status"] for c in again["conflicts"]}
    assert statuses == {dismissed: "dismissed", confirmed: "confirmed"}
    shown = seeded.conflict(dismissed)
    assert shown["reason"] == "the foundation moved offices"
    assert shown["decided_by"]
    assert [c["id"] for c in shown["claim_details"]] == shown["claims"]
    with seeded.store.session() as session:
        actions = session.scalars(
            select(Event.action).where(Event.target == "conflict").order_by(Event.id)
        ).all()
    assert actions == ["dismiss", "confirm"]
    reopened = seeded.decide(dismissed, "reopen")
    assert (reopened["status"], reopened["reason"]) == ("open", None)


def test_triage_errors(seeded: FactBase) -> None:
    [first, *_] = seeded.check()["conflicts"]
    with pytest.raises(InvalidDecision, match="needs a --reason"):
        seeded.decide(first["id"], "dismiss", " ")
    with pytest.raises(InvalidDecision, match="already open"):
        seeded.decide(first["id"], "reopen")
    with pytest.raises(UnknownConflict, match="no conflict with id 999"):
        seeded.decide(999, "confirm")


def test_retracting_a_claim_resolves_its_conflicts(seeded: FactBase) -> None:
    conflict = seeded.check()["conflicts"][0]
    seeded.retract_claim(conflict["claims"][0], "misread")
    assert seeded.conflicts(status="resolved")[0]["id"] == conflict["id"]
    again = seeded.check()
    assert conflict["id"] not in {c["id"] for c in again["conflicts"]}
    assert again["new"] == 0


def test_conflict_filters(seeded: FactBase) -> None:
    seeded.check()
    assert [c["rule"] for c in seeded.conflicts(rule="event_date")] == ["event_date"]
    assert [c["rule"] for c in seeded.conflicts(entity="Jamestown Foundation")] == ["single_value"]
    assert seeded.conflicts(entity="CSTO")[0]["rule"] == "event_date"
    assert seeded.conflicts(status="dismissed") == []


@pytest.fixture
def small(fb: FactBase, tmp_path: Path) -> FactBase:
    """A document of our own with predicates for every rule."""
    path = tmp_path / "wire.txt"
    path.write_text(
        "Alpha joined the pact in 1990. Alpha never joined the pact. "
        "Alpha left the pact in 1995. Alpha was a member of the pact in 1995. "
        "The army has 500 tanks. The army has 900 tanks. The army has 0.5 thousand tanks. "
        "Alpha is at peace with Beta. Alpha is at war with Beta.\n",
        "utf-8",
    )
    fb.ingest([path], slug="wire", date="2000-01-01")
    other = tmp_path / "other.txt"
    other.write_text("Alpha joined the pact in 1993.\n", "utf-8")
    fb.ingest([other], slug="other", date="2001")
    fb.add_predicate("joined", kind="event")
    fb.add_predicate("member of", kind="state")
    fb.add_predicate("left", kind="event", conflicts_with=["member of"])
    fb.add_predicate(
        "tanks", kind="attribute", single_valued=True, value_type="number", tolerance=50
    )
    fb.add_predicate("at peace with", kind="state")
    fb.add_predicate("at war with", kind="state", conflicts_with=["at peace with"])
    return fb


def _add(fb: FactBase, quote: str, predicate: str, doc: str = "wire", **fields: object) -> int:
    subject = "army" if predicate == "tanks" else "Alpha"
    inp = ClaimInput(
        text=quote, doc=doc, quote=quote, subject=subject, predicate=predicate, **fields
    )  # type: ignore[arg-type]
    return fb.add_claim(inp)["id"]


def test_each_rule_end_to_end(small: FactBase) -> None:
    joined = _add(small, "Alpha joined the pact in 1990", "joined", object="pact", when="1990")
    never = _add(small, "Alpha never joined the pact", "joined", object="pact", negated=True)
    joined_other = _add(
        small, "Alpha joined the pact in 1993", "joined", doc="other", object="pact", when="1993"
    )
    left = _add(small, "Alpha left the pact in 1995", "left", object="pact", when="1995")
    member = _add(
        small, "Alpha was a member of the pact in 1995", "member of", object="pact", when="1995"
    )
    t500 = _add(small, "The army has 500 tanks", "tanks", value="500 tanks")
    t900 = _add(small, "The army has 900 tanks", "tanks", value="900 tanks")
    t_thousand = _add(
        small, "The army has 0.5 thousand tanks", "tanks", value=0.5, unit="thousand tanks"
    )
    peace = _add(small, "Alpha is at peace with Beta", "at peace with", object="Beta")
    war = _add(small, "Alpha is at war with Beta", "at war with", object="Beta")
    result = small.check()
    found = {(c["rule"], frozenset(c["claims"])): c for c in result["conflicts"]}
    expected = {
        ("negation", frozenset({joined, never})),
        ("negation", frozenset({never, joined_other})),
        ("event_date", frozenset({joined, joined_other})),
        ("exclusive", frozenset({left, member})),
        ("numeric", frozenset({t500, t900})),
        ("numeric", frozenset({t900, t_thousand})),
        ("exclusive", frozenset({peace, war})),
    }
    assert set(found) == expected
    assert found[("negation", frozenset({joined, never}))]["internal"] is True
    assert found[("event_date", frozenset({joined, joined_other}))]["internal"] is False
    numeric = found[("numeric", frozenset({t500, t900}))]["explanation"]
    assert "“500 tanks”" in numeric and "“900 tanks”" in numeric and "tolerance of 50" in numeric
    assert (
        "declared mutually exclusive"
        in found[("exclusive", frozenset({peace, war}))]["explanation"]
    )


def test_cli_check_and_triage(seeded_cli: Invoke) -> None:
    result = seeded_cli("check", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"id", "rule", "claims", "explanation", "status"} <= set(data["conflicts"][0])
    first = data["conflicts"][0]["id"]
    shown = seeded_cli("conflict", "show", str(first))
    assert shown.exit_code == 0
    assert "claim A" in shown.stdout and "quote" in shown.stdout
    dismissed = seeded_cli("conflict", "dismiss", str(first), "--reason", "same office")
    assert (dismissed.exit_code, dismissed.stdout) == (0, f"conflict {first} dismissed\n")
    listed = json.loads(seeded_cli("conflict", "list", "--status", "dismissed", "--json").stdout)
    assert [c["id"] for c in listed] == [first]
    again = seeded_cli("conflict", "dismiss", str(first), "--reason", "x")
    assert (again.exit_code, again.stderr) == (1, f"Error: conflict {first} is already dismissed\n")
    missing = seeded_cli("conflict", "dismiss", str(first))
    assert missing.exit_code == 2


def test_parallel_check_finds_what_one_process_finds(empty_url: str) -> None:
    """Workers split the subjects; together they must see every block exactly once."""
    from benchmarks.synthetic import generate

    planted = generate(empty_url, 4_000).planted
    fb = FactBase(empty_url)
    try:
        with fb.store.session() as session:
            alone = scan_all(session, workers=1)
            split = scan_all(session, workers=3)
        assert planted and {key for key in alone.findings} == planted
        assert split.findings == alone.findings
        assert split.corroborated == alone.corroborated and alone.corroborated
        assert split.claims == alone.claims
        result = fb.check(workers=2)
        assert {(min(c["claims"]), max(c["claims"]), c["rule"]) for c in result["conflicts"]} == (
            planted
        )
        assert result["corroborations"] == len(alone.corroborated)
    finally:
        fb.close()
