"""Curation (issue 9, items 1-7): every mistake can be fixed, with history, on both backends.

Most tests use a short article of our own (`ARTICLE`) ingested into an empty base; the
triage tests use the seed corpus, whose claims 4 and 72 conflict (event_date).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from factbase import FactBase
from factbase.claims import ClaimInput
from factbase.curation import ClaimEdit, DocumentEdit
from factbase.errors import (
    AmbiguousQuote,
    DuplicateName,
    FactbaseError,
    InvalidClaim,
    MetadataError,
    QuoteNotFound,
    UndatedDocument,
    UnknownEntity,
    UnknownPredicate,
)
from factbase.store import downgrade, make_engine, upgrade

from .conftest import Invoke
from .test_cli import one_line_error

ARTICLE = """Harlow Courier
The new bridge opens

The Harlow Bridge opened last year after a long delay. The council said the
Harlow Bridge cost 45 million euros, and the contractor, Brightwater, put the
bill at forty-two million euros. Brightwater said the bridge opened in May.
Work on the bridge began two years ago; the council voted for it on a Friday.
"""


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "harlow.txt"
    path.write_text(ARTICLE, "utf-8")
    return path


@pytest.fixture
def base(fb: FactBase, article: Path) -> FactBase:
    """Our article (dated 2024-03-15), a vocabulary, and two claims."""
    fb.ingest([article], slug="harlow", publication="Harlow Courier", date="2024-03-15")
    fb.add_predicate("opened", kind="event")
    fb.add_predicate("cost", kind="attribute", single_valued=True)
    fb.add_entity("Harlow Bridge", kind="bridge", aliases=["the bridge"])
    fb.add_claim(_opened())
    fb.add_claim(_cost())
    return fb


def _opened(**overrides: object) -> ClaimInput:
    fields: dict = dict(
        text="The Harlow Bridge opened last year",
        doc="harlow",
        quote="The Harlow Bridge opened last year",
        subject="Harlow Bridge",
        predicate="opened",
        when="last year",
    )
    return ClaimInput(**(fields | overrides))


def _cost(**overrides: object) -> ClaimInput:
    fields: dict = dict(
        text="The Harlow Bridge cost 45 million euros",
        doc="harlow",
        quote="Harlow Bridge cost 45 million euros",
        subject="Harlow Bridge",
        predicate="cost",
        value="45 million euros",
    )
    return ClaimInput(**(fields | overrides))


def _events(fb: FactBase, target: str, target_id: int) -> list[str]:
    return [e["action"] for e in fb.history(target, target_id)]


def _unchanged(fb: FactBase, call, error: type[Exception], match: str) -> None:
    """`call` fails with `error` and leaves every table's row count as it was."""
    before = fb.counts()
    with pytest.raises(error, match=match):
        call()
    assert fb.counts() == before


# 1. Entities --------------------------------------------------------------------------


def test_rename_keeps_the_old_name_as_an_alias(base: FactBase) -> None:
    base.add_entity("Harlow Brige")
    renamed = base.rename_entity("Harlow Brige", "Harlow Crossing")
    assert renamed["name"] == "Harlow Crossing"
    assert renamed["aliases"] == ["Harlow Brige"]
    assert base.entity("harlow brige")["name"] == "Harlow Crossing"
    assert _events(base, "entity", renamed["id"]) == ["create", "rename"]


def test_rename_without_the_old_name_and_in_another_case(base: FactBase) -> None:
    renamed = base.rename_entity("Harlow Bridge", "The Harlow Bridge", keep_old=False)
    assert renamed["name"] == "The Harlow Bridge"
    assert renamed["aliases"] == ["the bridge"]
    with pytest.raises(UnknownEntity):
        base.entity("Harlow Bridge")
    cased = base.rename_entity("the harlow bridge", "THE HARLOW BRIDGE")
    assert (cased["name"], cased["aliases"]) == ("THE HARLOW BRIDGE", ["the bridge"])
    claim = base.claim(1)
    assert claim["subject"] == "THE HARLOW BRIDGE"


def test_rename_refuses_a_name_another_entity_holds(base: FactBase) -> None:
    base.add_entity("Brightwater")
    _unchanged(
        base,
        lambda: base.rename_entity("Brightwater", "the bridge"),
        DuplicateName,
        "already names entity 'Harlow Bridge'.*entity merge Brightwater --into 'Harlow Bridge'",
    )
    _unchanged(base, lambda: base.rename_entity("Brightwater", " \u200b "), MetadataError, "empty")
    _unchanged(base, lambda: base.rename_entity("Nobody", "X"), UnknownEntity, "unknown entity")
    _unchanged(
        base,
        lambda: base.rename_entity("Brightwater", "Brightwater"),
        MetadataError,
        "already called",
    )


def test_merge_moves_claims_aliases_and_attributions(base: FactBase) -> None:
    duplicate = base.add_claim(
        _cost(
            text="Brightwater puts the cost at 42 million euros",
            quote="put the\nbill at forty-two million euros",
            subject="Harlow Brige",
            value="42000000 euros",
            attributed_to="Brightwater Ltd",
        )
    )
    base.add_entity("Brightwater Ltd", aliases=["BW"])
    base.add_entity("Brightwater")
    assert base.check()["new"] == 0  # different subjects: nothing to compare
    merged = base.merge_entities("Harlow Brige", "Harlow Bridge")
    assert merged["claims_moved"] == [duplicate["id"]]
    assert "Harlow Brige" in merged["aliases"]
    assert base.entity("Harlow Brige")["name"] == "Harlow Bridge"  # an alias now
    assert base.claim(duplicate["id"])["subject"] == "Harlow Bridge"
    base.merge_entities("Brightwater Ltd", "Brightwater")
    moved = base.claim(duplicate["id"])
    assert moved["attributed_to"] == "Brightwater"
    assert base.entity("BW")["name"] == "Brightwater"
    names = {e["name"] for e in base.entities()}
    assert {"Harlow Brige", "Brightwater Ltd"}.isdisjoint(names)
    found = base.check()  # the moved claim now shares a block: 45 vs 42 million euros
    assert found["new"] == 1
    [conflict] = [c for c in found["conflicts"] if duplicate["id"] in c["claims"]]
    assert conflict["rule"] == "numeric"
    assert base.fsck() == []


def test_merge_refuses_one_entity_and_unknown_names(base: FactBase) -> None:
    _unchanged(
        base,
        lambda: base.merge_entities("the bridge", "Harlow Bridge"),
        MetadataError,
        "same entity",
    )
    _unchanged(
        base, lambda: base.merge_entities("Nobody", "Harlow Bridge"), UnknownEntity, "'Nobody'"
    )


def test_alias_add_and_remove(base: FactBase) -> None:
    added = base.add_alias("Harlow Bridge", "Harlow Crossing")
    assert added["aliases"] == ["the bridge", "Harlow Crossing"]
    assert base.entity("HARLOW CROSSING")["name"] == "Harlow Bridge"
    base.add_entity("Brightwater")
    _unchanged(
        base,
        lambda: base.add_alias("Brightwater", "harlow crossing"),
        DuplicateName,
        "already names entity 'Harlow Bridge'",
    )
    removed = base.remove_alias("Harlow Bridge", "the Bridge")
    assert removed["aliases"] == ["Harlow Crossing"]
    _unchanged(base, lambda: base.remove_alias("Harlow Bridge", "nope"), MetadataError, "not an")
    _unchanged(
        base, lambda: base.remove_alias("Harlow Bridge", "harlow bridge"), MetadataError, "rename"
    )
    entity_id = added["id"]
    assert _events(base, "entity", entity_id) == ["create", "alias add", "alias remove"]


# 2. Claims ----------------------------------------------------------------------------


def test_edit_keeps_the_id_and_records_before_and_after(base: FactBase) -> None:
    edited = base.edit_claim(1, ClaimEdit(text="The bridge opened in 2023", when="2023"))
    assert edited["id"] == 1
    assert edited["changed"] == ["text", "when"]
    assert (edited["time"]["earliest"], edited["time"]["latest"]) == ("2023-01-01", "2023-12-31")
    [create, edit] = base.history("claim", 1)
    assert (create["action"], edit["action"]) == ("create", "edit")
    assert edit["before"]["text"] == "The Harlow Bridge opened last year"
    assert edit["after"]["text"] == "The bridge opened in 2023"
    assert set(edit["changed"]) == {"text", "time"}
    shown = base.claim(1)
    assert {k: shown[k] for k in edited if k not in {"spans", "changed", "reopened"}} == {
        k: v for k, v in edited.items() if k not in {"spans", "changed", "reopened"}
    }


def test_edit_every_field(base: FactBase) -> None:
    base.add_predicate("built by", kind="state")
    edited = base.edit_claim(
        2,
        ClaimEdit(
            subject="the bridge",
            predicate="built by",
            object="Brightwater",
            negated=True,
            modality="reported",
            attributed_to="The council",
            quote=["the contractor, Brightwater"],
        ),
    )
    assert (edited["predicate"], edited["object"], edited["value"]) == (
        "built by",
        "Brightwater",
        None,
    )
    assert (edited["polarity"], edited["modality"], edited["attributed_to"]) == (
        "negated",
        "reported",
        "The council",
    )
    [span] = edited["spans"]
    document = base.document("harlow", with_text=True)["text"]
    assert document[span["start"] : span["end"]] == span["exact"] == "the contractor, Brightwater"
    back = base.edit_claim(2, ClaimEdit(negated=False))
    assert back["polarity"] == "affirmed"
    cleared = base.edit_claim(2, ClaimEdit(attributed_to="", when="2023"))
    assert (cleared["attributed_to"], cleared["time"]["raw"]) == (None, "2023")
    timeless = base.edit_claim(2, ClaimEdit(when=""))
    assert timeless["time"] is None
    valued = base.edit_claim(2, ClaimEdit(predicate="cost", value="45", unit="million euros"))
    assert (valued["object"], valued["value"]) == (
        None,
        {"number": 45.0, "unit": "million euros"},
    )
    assert base.fsck() == []
    assert base.counts()["spans"] == 2  # the replaced quote's span went with it


def test_edit_quote_picks_an_occurrence(base: FactBase) -> None:
    _unchanged(
        base,
        lambda: base.edit_claim(1, ClaimEdit(quote=["Harlow Bridge"])),
        AmbiguousQuote,
        "occurrence",
    )
    edited = base.edit_claim(1, ClaimEdit(quote=["Harlow Bridge"], occurrence=2))
    [span] = edited["spans"]
    assert span["start"] == ARTICLE.index("Harlow Bridge", ARTICLE.index("Harlow Bridge") + 1)


@pytest.mark.parametrize(
    ("edit", "error", "message"),
    [
        (ClaimEdit(), InvalidClaim, "nothing to change"),
        (ClaimEdit(predicate="opend"), UnknownPredicate, "did you mean 'opened'"),
        (ClaimEdit(quote=["the bridge collapsed"]), QuoteNotFound, "closest passage"),
        (ClaimEdit(object="X", value="1"), InvalidClaim, "not both"),
        (ClaimEdit(modality="rumoured"), InvalidClaim, "modality must be one of"),
        (ClaimEdit(when="the twelfth of never"), FactbaseError, "cannot understand"),
        (ClaimEdit(subject="\u200b"), InvalidClaim, "subject name is empty"),
        (ClaimEdit(occurrence=2), InvalidClaim, "new --quote"),
        (ClaimEdit(unit="km"), InvalidClaim, "numeric --value"),
    ],
)
def test_bad_edits_change_nothing(
    base: FactBase, edit: ClaimEdit, error: type[Exception], message: str
) -> None:
    before = base.claim(1)
    _unchanged(base, lambda: base.edit_claim(1, edit), error, message)
    assert base.claim(1) == before


def test_an_edit_that_changes_nothing_records_nothing(base: FactBase) -> None:
    notices: list[str] = []
    base.notify = notices.append
    same = base.edit_claim(
        1, ClaimEdit(when="last year", text="The Harlow Bridge opened last year")
    )
    assert same["changed"] == []
    assert notices == ["claim 1 unchanged: it already says that"]
    assert _events(base, "claim", 1) == ["create"]


def test_decided_conflict_reopens_when_compared_fields_change(seeded: FactBase) -> None:
    seeded.check()
    [conflict] = seeded.conflicts(rule="event_date")
    assert conflict["claims"] == [4, 72]
    seeded.decide(conflict["id"], "dismiss", "the 2007 briefing counts loosely")
    notices: list[str] = []
    seeded.notify = notices.append
    worded = seeded.edit_claim(4, ClaimEdit(text="Uzbekistan left the CST treaty in 1999"))
    assert worded["reopened"] == []
    assert seeded.conflict(conflict["id"])["status"] == "dismissed"  # wording: still decided
    moved = seeded.edit_claim(4, ClaimEdit(when="~1996"))
    assert moved["reopened"] == [conflict["id"]]
    assert f"conflict {conflict['id']} reopened: claim 4 edited: when changed" in notices
    reopened = seeded.conflict(conflict["id"])
    assert (reopened["status"], reopened["reason"], reopened["decided_by"]) == ("open", None, None)
    assert "~1996" in reopened["explanation"]  # re-explained with the new time
    result = seeded.check()  # the times overlap now: the rule no longer fires
    assert result["resolved"] == 1
    assert seeded.conflict(conflict["id"])["status"] == "resolved"
    seeded.edit_claim(4, ClaimEdit(when="last year"))
    again = seeded.check()  # fires again: the same conflict comes back to the queue
    assert (again["new"], again["reopened"]) == (0, 1)
    assert seeded.conflict(conflict["id"])["status"] == "open"
    assert "reopen" in _events(seeded, "conflict", conflict["id"])


def test_claim_add_of_a_stored_claim_adds_nothing(base: FactBase) -> None:
    before = base.counts()
    notices: list[str] = []
    base.notify = notices.append
    again = base.add_claim(_opened())
    assert (again["id"], again["duplicate"]) == (1, True)
    assert base.counts() == before
    assert notices == ["claim 1 already states this with the same quote: nothing added"]
    other = base.add_claim(_opened(modality="reported"))  # one field differs: a new claim
    assert (other["id"], other["duplicate"]) == (3, False)


def test_values_and_years_the_quote_does_not_state_are_pointed_out(base: FactBase) -> None:
    notices: list[str] = []
    base.notify = notices.append
    spelled = base.add_claim(
        _cost(quote="bill at forty-two million euros", value="42000000", subject="Brightwater")
    )
    assert notices == ["created entity 'Brightwater'"]  # 42,000,000 is what the quote says
    notices.clear()
    typo = base.add_claim(_cost(value="4.5 million euros", subject="Brightwater"))
    assert typo["duplicate"] is False  # stored all the same
    assert notices == [
        # "4.5 million euros" is read as 4,500,000 EUR (reading.numbers)
        "the value 4,500,000 does not appear in the quote; the claim is stored "
        f"(claim {typo['id']})"
    ]
    notices.clear()
    base.add_claim(_opened(when="2019"))
    assert notices == [
        "the year 2019 (--when '2019') does not appear in the quote; the claim is stored (claim 5)"
    ]
    notices.clear()
    base.add_claim(_opened(when="2024-05", quote="the bridge opened in May"))
    assert notices == []  # the document's own year (2024) counts as stated
    assert spelled["value"] == {"number": 42000000.0, "unit": None}


# 3. Documents --------------------------------------------------------------------------


def test_dating_an_undated_document_lets_relative_times_in(fb: FactBase, article: Path) -> None:
    fb.ingest([article], slug="harlow")
    fb.add_predicate("opened", kind="event")
    _unchanged(
        fb,
        lambda: fb.add_claim(_opened()),
        UndatedDocument,
        r"date it first \(factbase doc edit harlow --date DATE\)",
    )
    dated = fb.edit_document("harlow", DocumentEdit(date="2024-03"))
    assert (dated["date"], dated["date_precision"], dated["date_source"]) == (
        "2024-03-01",
        "month",
        "given",
    )
    assert dated["changed"] == ["date", "date_precision", "date_source", "date_note"]
    assert dated["retimed"] == []
    claim = fb.add_claim(_opened())
    assert claim["time"]["earliest"] == "2023-01-01"


def test_redating_a_document_re_resolves_its_claims(base: FactBase) -> None:
    base.add_claim(_opened(text="The bridge opened in 2023", when="2023"))
    edited = base.edit_document("harlow", DocumentEdit(date="2025-01-10", title="Bridge opens"))
    assert edited["title"] == "Bridge opens"
    [moved] = edited["retimed"]  # "last year" moves; "2023" and the untimed cost do not
    assert moved["id"] == 1
    assert (moved["before"]["earliest"], moved["after"]["earliest"]) == (
        "2023-01-01",
        "2024-01-01",
    )
    assert moved["after"]["anchor"] == "2025-01-10"
    assert base.claim(1)["time"] == moved["after"]
    assert _events(base, "claim", 1) == ["create", "retime"]
    assert _events(base, "document", edited["id"]) == ["create", "edit"]


def test_document_metadata_edits(base: FactBase) -> None:
    edited = base.edit_document(
        "harlow",
        DocumentEdit(publication="Harlow Gazette", volume="3", issue="12", authors="A. Writer"),
    )
    assert (edited["publication"], edited["volume"], edited["issue"], edited["authors"]) == (
        "Harlow Gazette",
        "3",
        "12",
        "A. Writer",
    )
    cleared = base.edit_document("harlow", DocumentEdit(volume="", url="https://example.org/b"))
    assert (cleared["volume"], cleared["url"]) == (None, "https://example.org/b")
    text_before = base.document("harlow", with_text=True)["text"]
    assert text_before == ARTICLE  # metadata only


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (DocumentEdit(), "nothing to change"),
        (DocumentEdit(date="2024-13-45"), "bad date"),
        (DocumentEdit(date=""), "needs the document's date"),
    ],
)
def test_bad_document_edits_change_nothing(
    base: FactBase, edit: DocumentEdit, message: str
) -> None:
    before = base.document("harlow")
    _unchanged(base, lambda: base.edit_document("harlow", edit), MetadataError, message)
    assert base.document("harlow") == before


# 4. Names --------------------------------------------------------------------------------


def test_names_are_cleaned_and_close_names_pointed_out(base: FactBase) -> None:
    notices: list[str] = []
    base.notify = notices.append
    claim = base.add_claim(_cost(subject="  Harlow\u200b   Brige\u0007 ", value="45000000 EUR"))
    assert claim["subject"] == "Harlow Brige"
    assert notices[0] == (
        "created entity 'Harlow Brige' — close to 'Harlow Bridge'; if they are the same: "
        "factbase entity merge 'Harlow Brige' --into 'Harlow Bridge'"
    )
    decomposed = base.add_entity("Bru\u0308ckenbau")  # NFD
    assert decomposed["name"] == "Brückenbau"
    assert base.entity("Brückenbau")["id"] == decomposed["id"]
    notices.clear()
    base.add_entity("Southampton")
    assert notices == ["created entity 'Southampton'"]
    _unchanged(base, lambda: base.add_entity("\u200b\u2060"), MetadataError, "entity name is empty")
    _unchanged(base, lambda: base.add_claim(_cost(subject=" ")), InvalidClaim, "subject name")


# 7. Predicates without a value type -------------------------------------------------------


def test_untyped_predicate_takes_objects_and_values(base: FactBase) -> None:
    base.add_predicate("contractor", kind="attribute", single_valued=True)
    assert base.predicate("contractor")["value_type"] == "any"
    entity = base.add_claim(
        _cost(
            text="Brightwater built it",
            predicate="contractor",
            value=None,
            object="Brightwater",
            quote="the contractor, Brightwater",
        )
    )
    assert (entity["object"], entity["value"]) == ("Brightwater", None)
    number = base.add_claim(_cost(text="cost", value="45,000,000 EUR"))
    assert number["value"] == {"number": 45000000.0, "unit": "EUR"}
    day = base.add_claim(_cost(text="opened on", predicate="opened", value="2023-05-02"))
    assert day["value"] == {"date": "2023-05-02"}
    words = base.add_claim(_cost(text="cost", value="a lot of money"))
    assert words["value"] == {"text": "a lot of money"}
    address = base.add_claim(_cost(text="cost", value="4526 43rd Street NW"))
    assert address["value"] == {"text": "4526 43rd Street NW"}
    # The rules compare values of one kind only: text against a number is no conflict, but
    # two numbers of the same unit are (45,000,000 EUR and 45 million euros are one amount).
    found = base.check()
    kinds = {(c["rule"], tuple(c["claims"])) for c in found["conflicts"]}
    assert ("single_value", (words["id"], address["id"])) in kinds
    assert all(number["id"] not in c[1] or c[0] == "numeric" for c in kinds)
    assert not any({2, words["id"]} == set(c[1]) for c in kinds)


def test_migration_0004_narrows_any_back_to_entity(db_url: str) -> None:
    with FactBase(db_url) as fb:
        fb.add_predicate("untyped", kind="state")
        fb.add_predicate("typed", kind="state", value_type="number")
    engine = make_engine(db_url)
    downgrade(engine, "0003")
    with engine.connect() as connection:
        rows = dict(connection.execute(text("SELECT name, value_type FROM predicates")).all())
    assert rows == {"untyped": "entity", "typed": "number"}
    upgrade(engine)
    with engine.connect() as connection:
        rows = dict(connection.execute(text("SELECT name, value_type FROM predicates")).all())
    assert rows == {"untyped": "entity", "typed": "number"}  # stored types are kept
    engine.dispose()


# The CLI -------------------------------------------------------------------------------------


def test_cli_curation_commands(cli: Invoke, article: Path) -> None:
    assert cli("ingest", str(article), "--id", "harlow", "--date", "2024-03-15").exit_code == 0
    assert cli("predicate", "add", "opened", "--kind", "event").exit_code == 0
    added = cli(
        "claim", "add", "The Harlow Brige opened last year", "--doc", "harlow",
        "--quote", "The Harlow Bridge opened last year", "--subject", "Harlow Brige",
        "--predicate", "opened", "--when", "last year", "--json",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    claim_id = json.loads(added.stdout)["id"]
    assert cli("entity", "add", "Harlow Bridge").exit_code == 0
    merged = cli("entity", "merge", "Harlow Brige", "--into", "Harlow Bridge", "--json")
    assert merged.exit_code == 0, merged.output
    assert json.loads(merged.stdout)["claims_moved"] == [claim_id]
    assert "run `factbase check`" in merged.stderr
    renamed = cli("entity", "rename", "Harlow Bridge", "Harlow Crossing", "--json")
    assert json.loads(renamed.stdout)["aliases"] == ["Harlow Brige", "Harlow Bridge"]
    alias = cli("entity", "alias", "add", "Harlow Crossing", "the crossing", "--json")
    assert "the crossing" in json.loads(alias.stdout)["aliases"]
    gone = cli("entity", "alias", "remove", "Harlow Crossing", "Harlow Brige", "--json")
    assert "Harlow Brige" not in json.loads(gone.stdout)["aliases"]
    edited = cli("claim", "edit", str(claim_id), "--text", "It opened in 2023", "--when", "2023")
    assert edited.exit_code == 0, edited.output
    assert edited.stdout.startswith(f"claim {claim_id} edited: text, when\n")
    assert "the year 2023 (--when '2023') does not appear in the quote" in edited.stderr
    one_line_error(cli("claim", "edit", str(claim_id), "--negated", "--affirmed"), "not both")
    one_line_error(cli("claim", "edit", str(claim_id)), "nothing to change")
    one_line_error(cli("claim", "edit", "999", "--text", "x"), "no claim with id 999")
    history = json.loads(cli("claim", "history", str(claim_id), "--json").stdout)
    assert [e["action"] for e in history] == ["create", "edit"]
    redated = cli("doc", "edit", "harlow", "--date", "2025-06-01")
    assert redated.exit_code == 0, redated.output
    assert "document harlow edited: date" in redated.stdout
    redated_json = json.loads(cli("doc", "edit", "harlow", "--title", "New", "--json").stdout)
    assert redated_json["changed"] == ["title"]
    one_line_error(cli("doc", "edit", "harlw", "--title", "x"), "did you mean 'harlow'")


def test_cli_created_entity_notice_names_the_merge(cli: Invoke, article: Path) -> None:
    cli("ingest", str(article), "--id", "harlow", "--date", "2024-03-15")
    cli("predicate", "add", "cost", "--kind", "attribute")
    cli("entity", "add", "Harlow Bridge")
    result = cli(
        "claim", "add", "It cost 45 million euros", "--doc", "harlow",
        "--quote", "Harlow Bridge cost 45 million euros", "--subject", "Harlow Brige",
        "--predicate", "cost", "--value", "45000000", "--unit", "EUR",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "created entity 'Harlow Brige' — close to 'Harlow Bridge'; if they are the same: "
        "factbase entity merge 'Harlow Brige' --into 'Harlow Bridge'\n"
    )
