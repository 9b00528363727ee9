"""`suggest` and the suggestion queue (issue 11 §3), on SQLite and PostgreSQL.

Small documents of our own (an invented country and treaty), not the seed corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factbase import ClaimInput, FactBase
from factbase.errors import (
    InvalidClaim,
    SuggestionDecided,
    UnknownDocument,
    UnknownPredicate,
    UnknownSuggestion,
)

from .conftest import Invoke

TEXT = (
    "Freedonia withdrew from the Northern Pact last year. "
    "Sylvania is a member of the Northern Pact. "
    "The weather in the capital was mild. "
    "The Northern Pact has 12 members.\n"
)


@pytest.fixture
def base(fb: FactBase, tmp_path: Path) -> FactBase:
    fb.add_entity("Freedonia", kind="country")
    fb.add_entity("Sylvania", kind="country")
    fb.add_entity("Northern Pact", kind="treaty", aliases=["NP"])
    fb.add_predicate("left", kind="event", value_type="entity", aliases=["withdrew from"])
    fb.add_predicate("member of", kind="state", value_type="entity", aliases=["is a member of"])
    fb.add_predicate("standing", kind="attribute", value_type="string")
    fb.add_predicate("members", kind="attribute", value_type="number", single_valued=True)
    path = tmp_path / "gazette.txt"
    path.write_text(TEXT)
    fb.ingest([path], slug="gazette", date="2001-06-15")
    return fb


def _by_predicate(found: list[dict]) -> dict[str, dict]:
    return {s["predicate"]: s for s in found}


def test_suggest_reads_subject_predicate_object_and_time(base: FactBase) -> None:
    found = base.suggest("gazette")
    text = base.document("gazette", with_text=True)["text"]
    assert found, "two sentences state claims"
    for s in found:
        assert text[s["start"] : s["end"]] == s["quote"]
        assert s["status"] == "suggested" and s["claim_id"] is None
        assert s["document"] == "gazette"
    left = _by_predicate(found)["left"]
    assert (left["subject"], left["object"], left["negated"]) == (
        "Freedonia",
        "Northern Pact",
        False,
    )
    assert left["when"]["earliest"] == "2000-01-01" and left["when"]["latest"] == "2000-12-31"
    member = _by_predicate(found)["member of"]
    assert (member["subject"], member["object"]) == ("Sylvania", "Northern Pact")
    assert member["when"] is None, "no time in the sentence: none is invented"
    assert not any("weather" in s["quote"] for s in found)


def test_suggest_again_adds_nothing_and_lists_the_same(base: FactBase) -> None:
    first = base.suggest("gazette")
    members = _by_predicate(first)["members"]  # a number comes back from JSON as an int
    assert (members["subject"], members["value"]) == ("Northern Pact", 12)
    counts = base.counts()
    assert base.suggest("gazette") == first
    assert base.counts() == counts


def test_accept_makes_the_claim_as_claim_add_does(base: FactBase) -> None:
    left = _by_predicate(base.suggest("gazette"))["left"]
    claim = base.accept_suggestion(left["id"], reviewer="ana")
    assert claim["suggestion"] == left["id"] and not claim["duplicate"]
    assert (claim["subject"], claim["predicate"], claim["object"]) == (
        "Freedonia",
        "left",
        "Northern Pact",
    )
    assert claim["time"]["raw"] == left["when"]["raw"]
    assert claim["time"]["earliest"] == "2000-01-01"
    assert claim["spans"][0]["start"] == left["start"]
    assert claim["spans"][0]["exact"] == left["quote"]
    shown = base.get_suggestion(left["id"])
    assert (shown["status"], shown["claim_id"], shown["decided_by"]) == (
        "accepted",
        claim["id"],
        "ana",
    )
    assert [e["action"] for e in base.history("claim", claim["id"])] == ["create"]
    assert [e["action"] for e in base.history("suggestion", left["id"])] == ["accept"]
    # The accepted suggestion is not proposed again, and nothing else changes.
    again = base.suggest("gazette")
    assert left["id"] not in [s["id"] for s in again]
    assert not any(s["predicate"] == "left" and s["subject"] == "Freedonia" for s in again)


def test_accept_with_corrections_creates_new_entities(base: FactBase) -> None:
    member = _by_predicate(base.suggest("gazette"))["member of"]
    notices: list[str] = []
    base.notify = notices.append
    claim = base.accept_suggestion(member["id"], subject="Ruritania", when="2001", negated=True)
    assert (claim["subject"], claim["polarity"], claim["time"]["raw"]) == (
        "Ruritania",
        "negated",
        "2001",
    )
    assert any("Ruritania" in n for n in notices)
    assert "Ruritania" in [e["name"] for e in base.entities()]


def test_accept_a_value_drops_the_object(base: FactBase) -> None:
    member = _by_predicate(base.suggest("gazette"))["member of"]
    claim = base.accept_suggestion(member["id"], predicate="standing", value="observer")
    assert claim["object"] is None and claim["value"]["text"] == "observer"


def test_reject_keeps_the_reason_and_is_never_proposed_again(base: FactBase) -> None:
    member = _by_predicate(base.suggest("gazette"))["member of"]
    rejected = base.reject_suggestion(member["id"], "  only an observer  ", reviewer="bo")
    assert (rejected["status"], rejected["reason"], rejected["decided_by"]) == (
        "rejected",
        "only an observer",
        "bo",
    )
    assert member["id"] not in [s["id"] for s in base.suggest("gazette")]
    assert [s["id"] for s in base.list_suggestions(status="rejected")] == [member["id"]]
    assert base.list_suggestions(doc="gazette", status="accepted") == []


@pytest.mark.parametrize(
    ("act", "error"),
    [
        (lambda fb, i: fb.accept_suggestion(i + 1000), UnknownSuggestion),
        (lambda fb, i: fb.reject_suggestion(i, "   "), InvalidClaim),
        (lambda fb, i: fb.accept_suggestion(i, predicate="no such predicate"), UnknownPredicate),
        (lambda fb, i: fb.accept_suggestion(i, object="X", value="Y"), InvalidClaim),
        (lambda fb, i: fb.accept_suggestion(i, value="observer"), InvalidClaim),  # entity-typed
    ],
)
def test_bad_decisions_change_nothing(base: FactBase, act, error) -> None:
    first = base.suggest("gazette")[0]
    counts = base.counts()
    with pytest.raises(error):
        act(base, first["id"])
    assert base.counts() == counts
    assert base.get_suggestion(first["id"])["status"] == "suggested"


def test_a_decided_suggestion_cannot_be_decided_again(base: FactBase) -> None:
    first = base.suggest("gazette")[0]
    claim = base.accept_suggestion(first["id"])
    counts = base.counts()
    with pytest.raises(SuggestionDecided, match=f"already accepted as claim {claim['id']}"):
        base.accept_suggestion(first["id"])
    with pytest.raises(SuggestionDecided):
        base.reject_suggestion(first["id"], "changed my mind")
    assert base.counts() == counts


def test_a_claim_citing_the_passage_already_states_it(base: FactBase) -> None:
    base.add_claim(
        ClaimInput(
            text="Sylvania is in the Northern Pact",
            doc="gazette",
            quote="Sylvania is a member of the Northern Pact",
            subject="Sylvania",
            predicate="member of",
            object="NP",
        )
    )
    found = base.suggest("gazette")
    assert not any(s["subject"] == "Sylvania" and s["predicate"] == "member of" for s in found)
    assert any(s["predicate"] == "left" for s in found)


def test_unknown_document_and_status(base: FactBase) -> None:
    with pytest.raises(UnknownDocument, match="did you mean 'gazette'"):
        base.suggest("gazete")
    with pytest.raises(InvalidClaim, match="status must be one of"):
        base.list_suggestions(status="pending")


def test_read_span_prefills_from_the_selection(base: FactBase) -> None:
    text = base.document("gazette", with_text=True)["text"]
    start = text.index("Sylvania")
    end = text.index("Pact.", start) + len("Pact")
    result = base.read_span("gazette", start - 1, end)  # the space before is trimmed
    assert (result["start"], result["end"]) == (start, end)
    assert result["quote"] == text[start:end]
    best = result["suggestion"]
    assert (best["subject"], best["predicate"], best["object"]) == (
        "Sylvania",
        "member of",
        "Northern Pact",
    )
    assert best["quote"] == text[start:end]
    assert base.list_suggestions() == [], "reading a span stores nothing"
    with pytest.raises(InvalidClaim, match="outside the document"):
        base.read_span("gazette", 0, len(text) + 5)


def test_new_names_are_proposed_as_new_entities(fb: FactBase, tmp_path: Path) -> None:
    fb.add_entity("Freedonia", kind="country")
    fb.add_predicate("left", kind="event", value_type="entity", aliases=["withdrew from"])
    path = tmp_path / "note.txt"
    path.write_text("In 1999 Freedonia withdrew from the Eastern Customs Union.\n")
    fb.ingest([path], slug="note", date="2000")
    (found,) = [s for s in fb.suggest("note") if s["predicate"] == "left"]
    assert (found["subject"], found["object"]) == ("Freedonia", "Eastern Customs Union")
    assert found["new_entities"] == ["Eastern Customs Union"]
    assert found["when"]["raw"] == "1999"
    fb.accept_suggestion(found["id"])
    assert "Eastern Customs Union" in [e["name"] for e in fb.entities()]


# CLI -----------------------------------------------------------------------------------


@pytest.fixture
def ready(base: FactBase, cli: Invoke) -> Invoke:
    return cli


def test_cli_suggest_json_shape(ready: Invoke) -> None:
    result = ready("suggest", "gazette", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["document"] == "gazette"
    keys = {"id", "document", "quote", "start", "end", "text", "subject", "predicate", "object",
            "value", "when", "negated", "modality", "attributed_to", "score", "new_entities",
            "alternatives", "status", "claim_id"}  # fmt: skip
    assert data["suggestions"] and all(keys <= s.keys() for s in data["suggestions"])
    assert set(data["suggestions"][0]["alternatives"]) == {"predicate", "subject", "object"}


def test_cli_review_flow(ready: Invoke) -> None:
    found = json.loads(ready("suggest", "gazette", "--json").stdout)["suggestions"]
    left = _by_predicate(found)["left"]
    member = _by_predicate(found)["member of"]
    accepted = ready("suggestion", "accept", str(left["id"]), "--when", "2000", "--json")
    assert accepted.exit_code == 0, accepted.output
    claim = json.loads(accepted.stdout)
    assert claim["id"] and claim["time"]["raw"] == "2000"
    rejected = ready("suggestion", "reject", str(member["id"]), "--reason", "wrong", "--json")
    assert json.loads(rejected.stdout)["status"] == "rejected"
    listed = json.loads(ready("suggestion", "list", "--doc", "gazette", "--json").stdout)
    assert {s["id"]: s["status"] for s in listed}[left["id"]] == "accepted"
    shown = json.loads(ready("suggestion", "show", str(left["id"]), "--json").stdout)
    assert shown["claim_id"] == claim["id"]
    again = ready("suggestion", "accept", str(left["id"]))
    assert again.exit_code == 1
    assert again.stderr.strip() == (
        f"Error: suggestion {left['id']} is already accepted as claim {claim['id']}"
    )


def test_cli_errors_are_one_line(ready: Invoke) -> None:
    for args in (
        ("suggestion", "show", "999"),
        ("suggestion", "reject", "999", "--reason", "x"),
        ("suggest", "nope"),
        ("suggest",),
        ("suggestion", "accept", "1", "--object", "A", "--value", "B"),
    ):
        result = ready(*args)
        assert result.exit_code == 1, args
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stderr.startswith("Error: ")
