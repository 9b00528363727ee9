"""The desk's Report screen: a page of the report, from grouped counts and stored trust."""

from __future__ import annotations

from typing import Any

import pytest

from factbase import FactBase, reports
from factbase.reports import SECTIONS
from tests.test_desk import client_for


@pytest.fixture
def checked(seeded: FactBase) -> FactBase:
    seeded.check()
    conflicts = seeded.conflicts()
    seeded.decide(conflicts[0]["id"], "confirm", "they disagree")
    seeded.decide(conflicts[1]["id"], "dismiss", "not a disagreement")
    seeded.check(mode="full")
    return seeded


def _without_trust(publications: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in p.items() if k != "trust"} for p in publications]


def test_a_page_holding_everything_is_the_whole_report(checked: FactBase) -> None:
    whole = checked.report_data()
    page = checked.report_page(per_section=10_000)
    assert page["summary"] == whole["summary"]  # trust too: the check just stored it
    assert page["trust"]["stale"] is False
    for status, _title in SECTIONS:
        assert page[status] == whole[status]
        assert page[f"{status}_total"] == len(whole[status])
    assert page["timelines"] == whole["timelines"]
    assert any(p["in_confirmed_conflict"] for p in page["summary"]["publications"])


def test_a_short_page_shows_the_first_conflicts_and_counts_the_rest(checked: FactBase) -> None:
    whole = checked.report_data()
    assert whole["confirmed"] and whole["dismissed"]
    for size in (0, 1):
        page = checked.report_page(per_section=size)
        for status, _title in SECTIONS:
            assert page[status] == whole[status][:size]
            assert page[f"{status}_total"] == len(whole[status])
        assert _without_trust(page["summary"]["publications"]) == _without_trust(
            whole["summary"]["publications"]
        )
    assert checked.report_page(per_section=0)["timelines"] == []


def test_report_page_says_when_trust_is_stale_or_absent(
    seeded: FactBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = seeded.report_page()
    assert page["trust"]["checked_at"] is None
    assert all(p["trust"] is None for p in page["summary"]["publications"])
    with client_for(seeded) as desk:
        assert "No trust stored yet" in desk.get("/report").text
        seeded.check()
        first = seeded.conflicts(status="open")[0]
        text = desk.get("/report").text
        assert "Trust as computed by the full check" in text
        assert f"Conflict {first['id']}" in text or f"#{first['id']}" in text
        seeded.decide(first["id"], "dismiss", "not a disagreement")
        assert "Trust is stale" in desk.get("/report").text
    with client_for(seeded) as desk:
        # the view shows PAGE_SECTION per section: more than that links to the queue
        monkeypatch.setattr(reports, "PAGE_SECTION", 0)
        text = desk.get("/report").text
        assert 'href="/conflicts?status=dismissed"' in text
        assert "Showing 0 of" in text
