"""Full-text search covers each claim's text and its quotes (issue 9, item 16), on both
backends: found by `claim list --search`, by verify's related claims, kept in sync by
inserts, imports, edits and span links, checked by fsck, rebuilt by restore."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from factbase import ClaimFilter, FactBase
from factbase.claims import ClaimInput

from .conftest import Invoke

QUOTED = "abandoned"


def _search(fb: FactBase, words: str) -> set[int]:
    return {c["id"] for c in fb.claims(ClaimFilter(text=words))}


def _saying(fb: FactBase, word: str) -> tuple[set[int], set[int]]:
    """Ids of the claims whose text, and whose quotes but not text, hold the word."""
    in_text, in_quote_only = set(), set()
    pattern = re.compile(rf"\b{word}\b", re.IGNORECASE)
    for claim in fb.claims():
        shown = fb.claim(claim["id"])
        if pattern.search(shown["text"]):
            in_text.add(claim["id"])
        elif any(pattern.search(span["exact"]) for span in shown["spans"]):
            in_quote_only.add(claim["id"])
    return in_text, in_quote_only


def _sql(fb: FactBase, statement: str, **params: object) -> None:
    with fb.store.engine.begin() as connection:
        connection.execute(text(statement), params)


def test_search_finds_words_of_quotes(seeded_cli: Invoke, seeded: FactBase) -> None:
    in_text, in_quote_only = _saying(seeded, QUOTED)
    assert 4 in in_quote_only, "seed claim 4's quote says 'abandoned', its text does not"
    result = seeded_cli("claim", "list", "--search", QUOTED, "--json")
    assert result.exit_code == 0, result.output
    assert {c["id"] for c in json.loads(result.stdout)} >= in_text | in_quote_only
    assert seeded.fsck() == []


def test_words_of_text_and_quote_match_together(seeded: FactBase) -> None:
    """All words must match, each in the text or in a quote of the same claim."""
    claim = seeded.claim(4)
    text_word = max(re.findall(r"[A-Za-z]{6,}", claim["text"]), key=len)
    assert 4 in _search(seeded, f"{text_word} {QUOTED}")


def test_related_claims_are_ranked_over_quotes(seeded: FactBase) -> None:
    """A statement naming no entity gets its related claims from the full-text index."""
    result = seeded.verify(f"Somebody {QUOTED} something")
    assert result["verdict"] == "not_enough_info"
    assert 4 in result["related"]


def test_index_follows_inserts_edits_and_span_links(fb: FactBase) -> None:
    fb.load_corpus()
    added = fb.add_claim(
        ClaimInput(
            text="Kyrgyzstan sought zanzibarian help",
            doc="fir-6-17",
            quote="having abandoned it last year in favor of bilateral arrangements with Russia",
            subject="Kyrgyzstan",
            predicate="requested assistance from",
            object="Russia",
        )
    )
    claim_id = added["id"]
    assert claim_id in _search(fb, "zanzibarian") & _search(fb, "bilateral arrangements")

    _sql(
        fb, "UPDATE claims SET text = 'Kyrgyzstan sought quokkan help' WHERE id = :id", id=claim_id
    )
    assert claim_id not in _search(fb, "zanzibarian")
    assert claim_id in _search(fb, "quokkan") & _search(fb, "bilateral")
    assert fb.fsck() == []

    # A second span linked to the claim, then moved to another claim, then unlinked.
    span_of_claim_1 = fb.claim(1)["spans"][0]["id"]
    first_quote_word = "Haidarov"  # seed claim 1's quote
    _sql(
        fb,
        "INSERT INTO claim_spans (claim_id, span_id) VALUES (:c, :s)",
        c=claim_id,
        s=span_of_claim_1,
    )
    assert claim_id in _search(fb, first_quote_word) & _search(fb, "bilateral quokkan")
    assert fb.fsck() == []
    _sql(
        fb,
        "UPDATE claim_spans SET claim_id = 2 WHERE claim_id = :c AND span_id = :s",
        c=claim_id,
        s=span_of_claim_1,
    )
    assert claim_id not in _search(fb, first_quote_word)
    assert 2 in _search(fb, first_quote_word)
    assert fb.fsck() == []
    _sql(fb, "DELETE FROM claim_spans WHERE claim_id = 2 AND span_id = :s", s=span_of_claim_1)
    assert _search(fb, first_quote_word) == {1}
    assert fb.fsck() == []


def test_import_indexes_quotes(fb: FactBase, tmp_path: Path) -> None:
    fb.load_corpus()
    line = {
        "text": "Kyrgyzstan sought wombatian help",
        "doc": "fir-6-17",
        "quote": "having abandoned it last year in favor of bilateral arrangements with Russia",
        "subject": "Kyrgyzstan",
        "predicate": "requested assistance from",
        "object": "Russia",
    }
    path = tmp_path / "claims.jsonl"
    path.write_text(json.dumps(line) + "\n", "utf-8")
    (claim_id,) = fb.import_claims(path)["ids"]
    assert claim_id in _search(fb, "wombatian bilateral")
    assert fb.fsck() == []


def test_import_indexes_every_quote_once_and_leaves_the_triggers_on(
    fb: FactBase, tmp_path: Path
) -> None:
    """An import indexes its claims in bulk (0006): each claim holds all its quotes, and
    links written after it are indexed by the triggers again."""
    fb.load_corpus()
    common = {"doc": "fir-6-17", "subject": "Kyrgyzstan", "predicate": "requested assistance from"}
    lines = [
        {
            **common,
            "text": "Kyrgyzstan sought wombatian help",
            "quote": [
                "having abandoned it last year in favor of bilateral arrangements with Russia",
                "Abdusamat Haidarov submitted the request",
            ],
            "object": "Russia",
        },
        {**common, "text": "Kyrgyzstan sought numbatian help", "quote": "Vyacheslav Trubnikov"},
    ]
    path = tmp_path / "claims.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    first, second = fb.import_claims(path)["ids"]
    assert _search(fb, "wombatian bilateral Haidarov") == {first}
    assert _search(fb, "numbatian Trubnikov") == {second}
    assert fb.fsck() == []

    span_of_claim_1 = fb.claim(1)["spans"][0]["id"]  # its quote names Haidarov
    _sql(
        fb,
        "INSERT INTO claim_spans (claim_id, span_id) VALUES (:c, :s)",
        c=second,
        s=span_of_claim_1,
    )
    assert second in _search(fb, "numbatian Haidarov")
    assert fb.fsck() == []


def test_fsck_reports_a_stale_index(seeded: FactBase, backend: str) -> None:
    claim = seeded.claim(4)
    if backend == "sqlite":  # drop claim 4's entry as FTS5 holds it
        quotes = "\n".join(span["exact"] for span in claim["spans"])
        _sql(
            seeded,
            "INSERT INTO claims_fts(claims_fts, rowid, text, quotes)"
            " VALUES ('delete', 4, :text, :quotes)",
            text=claim["text"],
            quotes=quotes,
        )
    else:
        _sql(seeded, "DELETE FROM claims_fts WHERE claim_id = 4")
    assert 4 not in _search(seeded, QUOTED)
    problems = seeded.fsck()
    assert problems and all(p.startswith("full-text index") for p in problems)


def test_restore_rebuilds_the_index(seeded: FactBase, empty_url: str, tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    seeded.dump(dump)
    with FactBase(empty_url) as restored:
        restored.restore(dump)
        assert _search(restored, QUOTED) == _search(seeded, QUOTED)
        assert restored.fsck() == []


@pytest.mark.parametrize("words", ["estrangement", "military-technical assistance"])
def test_search_equals_text_or_quote_holding_every_word(seeded: FactBase, words: str) -> None:
    """On the seed corpus, a search finds exactly the claims whose text and quotes hold
    all its words (as whole words; PostgreSQL's stemming may add inflected forms)."""
    expected = set()
    wanted = re.findall(r"\w+", words.lower())
    for claim in seeded.claims():
        shown = seeded.claim(claim["id"])
        body = " ".join([shown["text"], *(span["exact"] for span in shown["spans"])]).lower()
        if all(re.search(rf"\b{word}\b", body) for word in wanted):
            expected.add(claim["id"])
    assert expected
    found = _search(seeded, words)
    assert found >= expected
    if seeded.store.dialect == "sqlite":
        assert found == expected
