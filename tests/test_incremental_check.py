"""The incremental check (issue 13): only the (subject, predicate) blocks changed since the
last check are compared, and what it stores equals what a full check stores.

Each step changes the seeded base (claims added, edited, retimed, retracted, moved to
another subject, entities merged, conflicts decided), runs an incremental check, takes the
stored state, then runs a full check: the full check must find nothing to add, resolve or
reopen, and leave the state exactly as the incremental check left it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from factbase import ClaimInput, FactBase, audit
from factbase.curation import ClaimEdit
from factbase.models import Conflict, CorroboratedClaim

from .conftest import Invoke

WIRE = (
    "Alpha joined the pact in 1990. Alpha never joined the pact. Alpha joined the pact in 1993. "
    "Alfa joined the pact in 1996. Alfa is headquartered in Rome. Alpha is headquartered in "
    "Paris. Alpha is headquartered in Rome. The Jamestown Foundation, 4526 43rd Street NW. "
    "Beta is headquartered in Oslo. Beta is headquartered in Bergen.\n"
)


def _state(fb: FactBase) -> tuple[dict[Any, Any], set[tuple[int, int]]]:
    """Every stored conflict (identity → status, reason, explanation) and corroboration."""
    with fb.store.session() as session:
        conflicts = {
            (row.claim_a_id, row.claim_b_id, row.rule): (row.status, row.reason, row.explanation)
            for row in session.scalars(select(Conflict))
        }
        groups = {
            (row.claim_id, row.group_id) for row in session.scalars(select(CorroboratedClaim))
        }
    return conflicts, groups


def _incremental_is_full(fb: FactBase, blocks: int | None = None) -> dict[str, Any]:
    result = fb.check(mode="incremental")
    assert result["full"] is False
    if blocks is not None:
        assert result["blocks_checked"] == blocks
    after = _state(fb)
    full = fb.check(mode="full")
    assert full["full"] is True
    assert (full["new"], full["resolved"], full["reopened"]) == (0, 0, 0)
    assert _state(fb) == after
    assert full["corroborations"] == result["corroborations"]
    return result


def _add(fb: FactBase, quote: str, subject: str, predicate: str, **fields: Any) -> int:
    inp = ClaimInput(
        text=quote, doc="wire", quote=quote, subject=subject, predicate=predicate, **fields
    )
    return fb.add_claim(inp)["id"]


@pytest.fixture
def wired(seeded: FactBase, tmp_path: Path) -> FactBase:
    path = tmp_path / "wire.txt"
    path.write_text(WIRE, "utf-8")
    seeded.ingest([path], slug="wire", date="2001-01-01", publication="Wire")
    seeded.add_predicate("joined", kind="event")
    seeded.add_predicate("headquartered in", kind="attribute", single_valued=True)
    seeded.check(mode="full")
    return seeded


def test_incremental_check_equals_full_check_through_every_kind_of_change(
    wired: FactBase,
) -> None:
    fb = wired
    joined = _add(
        fb, "Alpha joined the pact in 1990", "Alpha", "joined", object="pact", when="1990"
    )
    never = _add(fb, "Alpha never joined the pact", "Alpha", "joined", object="pact", negated=True)
    again = _add(fb, "Alpha joined the pact in 1993", "Alpha", "joined", object="pact", when="1993")
    paris = _add(fb, "Alpha is headquartered in Paris", "Alpha", "headquartered in", value="Paris")
    rome = _add(fb, "Alpha is headquartered in Rome", "Alpha", "headquartered in", value="Rome")
    alfa = _add(fb, "Alfa joined the pact in 1996", "Alfa", "joined", object="pact", when="1996")
    alfa_rome = _add(fb, "Alfa is headquartered in Rome", "Alfa", "headquartered in", value="Rome")
    oslo = _add(fb, "Beta is headquartered in Oslo", "Beta", "headquartered in", value="Oslo")
    address = _add(
        fb,
        "The Jamestown Foundation, 4526 43rd Street NW",
        "The Jamestown Foundation",
        "postal address",
        value="4526 43rd Street NW, Washington, DC 20016",
    )
    result = _incremental_is_full(fb, blocks=6)  # (Alpha, Alfa) × 2, Beta, Jamestown
    assert result["new"] >= 3  # negation, event date, single value (Paris vs Rome)
    assert fb.claim(address)["corroborated_by"]  # the seed's own 4526 address

    # A value edited to agree: the single-value conflict resolves.
    fb.edit_claim(paris, ClaimEdit(value="Rome"))
    result = _incremental_is_full(fb, blocks=1)
    assert result["resolved"] >= 1

    # Retracting a claim resolves its conflicts.
    fb.retract_claim(never, "misquoted")
    _incremental_is_full(fb, blocks=1)

    # A dismissed conflict, then its claim retimed: the edit reopens it, the check keeps it.
    event = next(c for c in fb.conflicts(status="open") if set(c["claims"]) == {joined, again})
    fb.decide(event["id"], "dismiss", "two accessions")
    _incremental_is_full(fb, blocks=0)
    fb.edit_claim(again, ClaimEdit(when="1994"))
    _incremental_is_full(fb, blocks=1)

    # Merging Alfa into Alpha moves its claims: both blocks change.
    fb.merge_entities("Alfa", "Alpha")
    result = _incremental_is_full(fb)
    assert result["new"] >= 1  # Alfa's 1996 accession against 1990 and 1994

    # A claim moved to another subject by an edit: the block it left is compared too.
    fb.edit_claim(alfa_rome, ClaimEdit(subject="Beta"))
    _incremental_is_full(fb, blocks=2)
    assert fb.claim(oslo)["id"] == oslo
    fb.edit_claim(rome, ClaimEdit(negated=True))
    _incremental_is_full(fb, blocks=1)
    assert {alfa, joined} <= {c["id"] for c in fb.claims()}


def test_nothing_changed_compares_nothing(wired: FactBase) -> None:
    result = wired.check(mode="incremental")
    assert (result["full"], result["blocks_checked"], result["claims_checked"]) == (False, 0, 0)
    assert result["conflicts"] == wired.check(mode="full")["conflicts"]


def test_a_change_the_log_cannot_place_makes_the_check_full(wired: FactBase) -> None:
    with wired.store.session(write=True) as session:
        audit.record(session, "edit", "predicate", 1, before={}, after={"tolerance": 5})
    assert wired.check(mode="incremental")["full"] is True
    assert wired.check(mode="incremental")["full"] is False  # the full check is the watermark


def test_without_any_earlier_check_the_check_is_full(fb: FactBase) -> None:
    assert fb.check(mode="incremental")["full"] is True


def test_small_bases_check_everything_by_default(wired: FactBase) -> None:
    assert wired.check()["full"] is True  # below INCREMENTAL_MIN_CLAIMS


def test_check_cli_summarises_many_conflicts(
    seeded: FactBase, seeded_cli: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "streets.txt"
    streets = [f"The office is at {n} Main Street." for n in range(1, 26)]
    path.write_text(" ".join(streets) + "\n", "utf-8")
    seeded.ingest([path], slug="streets", date="2001")
    seeded.add_predicate("office at", kind="attribute", single_valued=True)
    for sentence in streets:
        seeded.add_claim(
            ClaimInput(
                text=sentence,
                doc="streets",
                quote=sentence,
                subject="Office",
                predicate="office at",
                value=sentence.removeprefix("The office is at ").removesuffix("."),
            )
        )
    found = seeded_cli("check")
    assert found.exit_code == 0, found.stderr
    total = 25 * 24 // 2 + 2  # every pair of addresses, and the seeds' two conflicts
    assert f"{total} conflicts by rule" in found.stdout
    assert f"… and {total - 20} more" in found.stdout
    assert found.stdout.count(" vs ") == 20
    every = seeded_cli("check", "--all")
    assert every.stdout.count(" vs ") == total
    assert "more" not in every.stdout
    full = seeded_cli("check", "--full", "--json")
    assert full.exit_code == 0 and '"full": true' in full.stdout
