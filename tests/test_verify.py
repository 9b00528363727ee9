"""verify: statements parsed with the base's vocabulary, judged by the conflict rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factbase import ClaimFilter, ClaimInput, FactBase
from factbase.export import RATINGS
from factbase.verify import rank_by_shared_words

from .conftest import Invoke


def _ids(fb: FactBase, **filters: object) -> set[int]:
    return {c["id"] for c in fb.claims(ClaimFilter(**filters))}  # type: ignore[arg-type]


@pytest.fixture
def known(seeded: FactBase) -> dict[str, set[int]]:
    """Claim ids of the seed facts the tests reason about, found by query."""
    left = _ids(seeded, subject="Uzbekistan", predicate="left", object="CSTO")
    return {
        "left_1999": left & _ids(seeded, doc="fir-6-17"),
        "left_1996": left & _ids(seeded, doc="nbca-2007-05-30"),
        "rejoined": _ids(seeded, subject="Uzbekistan", predicate="rejoined"),
        "sergeev_1999": _ids(seeded, subject="Russia", object="Igor Sergeev", doc="monitor-5-173"),
    }


@pytest.mark.parametrize(
    "statement",
    [
        "Uzbekistan left the Collective Security Treaty in 1999",
        "Uzbekistan withdrew from the CIS Collective Security Treaty in 1999.",
        "In 1999 Uzbekistan abandoned the CST",
        "uzbekistan left the csto in 1999",
    ],
)
def test_withdrawal_in_1999_is_disputed(
    seeded: FactBase, known: dict[str, set[int]], statement: str
) -> None:
    result = seeded.verify(statement)
    assert result["verdict"] == "disputed"
    assert set(result["supporting"]) == known["left_1999"]
    assert set(result["refuting"]) == known["left_1996"]
    assert result["parsed"]["subject"] == "Uzbekistan"
    assert result["parsed"]["predicate"] == "left"
    assert result["parsed"]["time"]["earliest"] == "1999-01-01"


def test_negated_statement_inverts_the_evidence(
    seeded: FactBase, known: dict[str, set[int]]
) -> None:
    result = seeded.verify("Uzbekistan did not leave the CST in 1999")
    assert result["parsed"]["negated"] is True
    assert result["verdict"] == "refuted"
    assert set(result["refuting"]) == known["left_1999"]


@pytest.mark.parametrize(
    "statement",
    ["Uzbekistan rejoined the CSTO in 2006", "Uzbekistan rejoined the CSTO in August 2006"],
)
def test_rejoining_is_supported_by_both_documents(
    seeded: FactBase, known: dict[str, set[int]], statement: str
) -> None:
    result = seeded.verify(statement)
    assert result["verdict"] == "supported"
    assert set(result["supporting"]) == known["rejoined"]
    documents = {e["document"] for e in result["evidence"] if e["role"] == "supporting"}
    assert documents == {"edm-3-176", "nbca-2007-05-30"}


@pytest.mark.parametrize(
    "statement",
    [
        "Sergei Ivanov was Russia's defence minister in 1999",
        "Ivanov was Russia's defense minister in 1999",
        "In 1999 Russia's minister of defence was Sergei Ivanov",
    ],
)
def test_ivanov_in_1999_is_refuted_by_sergeev(
    seeded: FactBase, known: dict[str, set[int]], statement: str
) -> None:
    result = seeded.verify(statement)
    assert result["verdict"] == "refuted"
    assert set(result["refuting"]) & known["sergeev_1999"]
    assert (result["parsed"]["subject"], result["parsed"]["object"]) == ("Russia", "Sergei Ivanov")
    evidence = next(e for e in result["evidence"] if e["role"] == "refuting")
    assert evidence["publication"] == "Monitor"
    assert (evidence["volume"], evidence["issue"]) == ("5", "173")
    assert evidence["quote"] in evidence["context"]


def test_ivanov_in_2006_is_supported(seeded: FactBase) -> None:
    assert seeded.verify("Ivanov was Russia's defense minister in 2006")["verdict"] == "supported"


def test_literal_values_are_compared_after_normalisation(seeded: FactBase) -> None:
    result = seeded.verify(
        "The Jamestown Foundation's postal address is 4516 43rd Street NW, Washington DC 20016"
    )
    assert result["parsed"]["value"] == "4516 43rd Street NW, Washington DC 20016"
    assert result["parsed"]["time"] is None, "4516 is a street number, not a year"
    assert result["verdict"] == "disputed"


def test_unknown_topic_has_not_enough_info_and_related_claims(seeded: FactBase) -> None:
    result = seeded.verify("Japan launched a weather satellite from Tashkent in 1999")
    assert result["verdict"] == "not_enough_info"
    assert result["supporting"] == result["refuting"] == []
    assert "(no known predicate)" in result["parsed"]["not_understood"]
    assert "launched" in result["parsed"]["not_understood"]
    assert result["related"], "falls back to full-text neighbours"
    texts = [e["text"] for e in result["evidence"] if e["role"] == "related"]
    assert any("Tashkent" in t for t in texts)


def test_verify_claim_uses_the_rest_of_the_base(
    seeded: FactBase, known: dict[str, set[int]]
) -> None:
    [claim] = known["left_1999"]
    result = seeded.verify_claim(claim)
    assert result["verdict"] == "refuted"
    assert set(result["refuting"]) == known["left_1996"]
    assert claim not in result["supporting"] + result["refuting"]


def test_cli_verify_json_file_and_claimreview(seeded_cli: Invoke, tmp_path: Path) -> None:
    result = seeded_cli("verify", "Uzbekistan rejoined the CSTO in 2006", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"verdict", "parsed", "supporting", "refuting", "related"} <= set(data)
    statements = tmp_path / "statements.txt"
    statements.write_text(
        "Uzbekistan rejoined the CSTO in 2006\n\n"
        "Sergei Ivanov was Russia's defence minister in 1999\n",
        "utf-8",
    )
    lines = seeded_cli("verify", "--file", str(statements)).stdout.splitlines()
    assert [json.loads(line)["verdict"] for line in lines] == ["supported", "refuted"]
    review = json.loads(
        seeded_cli(
            "verify", "Uzbekistan rejoined the CSTO in 2006", "--claimreview",
            "--organization", "Newsroom", "--url-template", "https://desk.example.org/c/{id}",
        ).stdout
    )  # fmt: skip
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"].startswith("https://desk.example.org/c/statement-")
    assert review["author"] == {"@type": "Organization", "name": "Newsroom"}
    assert review["reviewRating"]["alternateName"] == RATINGS["supported"][1]
    both = seeded_cli("verify", "x", "--file", str(statements))
    assert (both.exit_code, both.stderr) == (1, "Error: give a STATEMENT or --file, not both\n")


def test_export_claimreview(seeded_cli: Invoke, seeded: FactBase) -> None:
    args = ("export", "claimreview", "--url-template", "https://desk.example.org/c/{id}")
    reviews = json.loads(seeded_cli(*args, "--all").stdout)
    assert len(reviews) == len(seeded.claims())
    labels = {r["reviewRating"]["alternateName"] for r in reviews}
    assert {RATINGS[v][1] for v in ("supported", "refuted", "not_enough_info")} <= labels
    judged = json.loads(seeded_cli(*args).stdout)
    assert RATINGS["not_enough_info"][1] not in {r["reviewRating"]["alternateName"] for r in judged}


def test_related_claims_of_a_named_entity_are_about_it(seeded: FactBase) -> None:
    """Ranked among the entity's own claims: the cost follows them, not the whole base."""
    result = seeded.verify("Uzbekistan painted its tanks green")
    assert result["verdict"] == "not_enough_info"
    about = _ids(seeded, subject="Uzbekistan") | _ids(seeded, object="Uzbekistan")
    assert result["related"] and set(result["related"]) <= about


def test_rank_by_shared_words_weighs_rare_words_and_skips_filler() -> None:
    claims = [
        (1, "Uzbekistan left the treaty"),
        (2, "Uzbekistan joined the alliance"),
        (3, "Uzbekistan signed the treaty in Tashkent"),
        (4, "Kazakhstan hosted the summit"),
    ]
    # "treaty" (2 of 4) outweighs "uzbekistan" (3 of 4); "the" counts for nothing.
    assert rank_by_shared_words("Uzbekistan and the treaty", claims) == [1, 3, 2]
    assert rank_by_shared_words("the of in", claims) == []
    assert rank_by_shared_words("leaving", claims) == [1]  # stems: left, leaving -> leav


HARLOW = """Valley Weekly
The bridge bill

The Harlow Bridge cost the town 42,000,000 EUR, the council said.
"""


@pytest.fixture
def harlow(fb: FactBase, tmp_path: Path) -> tuple[FactBase, int]:
    """A base holding the bridge's cost as a plain number of EUR."""
    path = tmp_path / "valley.txt"
    path.write_text(HARLOW, "utf-8")
    fb.ingest([path], slug="valley", publication="Valley Weekly", date="2024-03-15")
    fb.add_predicate("cost", kind="attribute", single_valued=True, aliases=["costs"])
    fb.add_entity("Harlow Bridge", kind="bridge")
    claim = fb.add_claim(
        ClaimInput(
            text="The Harlow Bridge cost 42,000,000 EUR",
            doc="valley",
            quote="cost the town 42,000,000 EUR",
            subject="Harlow Bridge",
            predicate="cost",
            value=42_000_000,
            unit="EUR",
        )
    )
    return fb, claim["id"]


@pytest.mark.parametrize(
    ("statement", "verdict"),
    [
        ("Harlow Bridge cost 42 million euros", "supported"),
        ("The Harlow Bridge cost €42m", "supported"),
        ("Harlow Bridge cost forty-two million euros", "supported"),
        ("Harlow Bridge cost EUR 42,000,000", "supported"),
        ("Harlow Bridge cost 45 million euros", "refuted"),
    ],
)
def test_numbers_as_people_write_them(
    harlow: tuple[FactBase, int], statement: str, verdict: str
) -> None:
    fb, claim_id = harlow
    result = fb.verify(statement)
    assert result["verdict"] == verdict, result["parsed"]
    assert claim_id in result["supporting" if verdict == "supported" else "refuting"]


def test_a_fuller_address_supports_the_shorter_one(seeded: FactBase) -> None:
    """The stored address adds the city: it states the statement, it does not refute it."""
    address = _ids(seeded, subject="Jamestown Foundation", predicate="postal address")
    result = seeded.verify("The Jamestown Foundation's postal address is 4526 43rd Street NW")
    stating = {
        c["id"]
        for c in seeded.claims(ClaimFilter(subject="Jamestown Foundation"))
        if c["id"] in address and "4526" in (c["value"] or {}).get("text", "")
    }
    assert stating and stating <= set(result["supporting"])
    assert not stating & set(result["refuting"])
    assert set(result["refuting"]) <= address - stating  # only the 4516 footer refutes


@pytest.mark.parametrize(
    "statement",
    [
        "Uzbek forces left the CSTO in 1999",  # a demonym names its country
        "Uzbekistan's army withdrew from the CST in 1999",  # a possessive
        "Uzbekistan withdraws from the CST in 1999",  # another inflection
    ],
)
def test_reading_finds_subject_and_predicate(seeded: FactBase, statement: str) -> None:
    parsed = seeded.verify(statement)["parsed"]
    assert (parsed["subject"], parsed["predicate"]) == ("Uzbekistan", "left")
