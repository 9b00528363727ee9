"""`factbase when`: one expression or a JSONL file, no database; claims read time in quotes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factbase import ClaimInput, FactBase
from factbase.cli import app

RESULT_KEYS = {"raw", "earliest", "latest", "precision", "anchor"}


@pytest.fixture
def when(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run `factbase when ...` where a database would be created if the command opened one."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FACTBASE_DB", str(tmp_path / "never.db"))
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        result = runner.invoke(app, ["when", *args], input=input, catch_exceptions=False)
        assert not (tmp_path / "never.db").exists(), "when must not create a database"
        assert not (tmp_path / "factbase.db").exists()
        return result

    return invoke


def test_when_json(when) -> None:
    result = when(
        "June 17",
        "--anchor",
        "2005-06-09",
        "--context",
        "The vote will be held on June 17.",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "raw": "June 17",
        "earliest": "2005-06-17",
        "latest": "2005-06-17",
        "precision": "day",
        "anchor": "2005-06-09",
    }


def test_when_text_and_imprecise_anchor(when) -> None:
    result = when("last year", "--anchor", "2000-09")
    assert result.exit_code == 0
    assert result.stdout == "last year: 1999-01-01 to 1999-12-31 (year, from 2000-09-01)\n"


def test_when_absolute_needs_no_anchor(when) -> None:
    result = when("Q3 2005", "--json")
    assert json.loads(result.stdout) == {
        "raw": "Q3 2005",
        "earliest": "2005-07-01",
        "latest": "2005-09-30",
        "precision": "month",
        "anchor": None,
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bogus words"], "cannot understand time expression 'bogus words'"),
        (["last year"], "relative time expression 'last year' needs an anchor date"),
        (["x", "--anchor", "2000-13"], "date '2000-13' is not a real date"),
        (["--file", "missing.jsonl", "--json"], "cannot read missing.jsonl"),
        (["--file", "lines.jsonl", "--anchor", "soon", "--json"], "cannot understand date"),
    ],
)
def test_when_errors_are_one_line(when, tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "lines.jsonl").write_text('{"text": "today"}\n')
    result = when(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_when_needs_one_input(when, tmp_path: Path) -> None:
    assert when().exit_code == 2
    (tmp_path / "f.jsonl").write_text("")
    assert when("today", "--file", "f.jsonl").exit_code == 2


def test_when_file_answers_every_line_in_order(when, tmp_path: Path) -> None:
    lines = [
        {"text": "Friday", "anchor": "1998-08-08", "context": "Bombs exploded Friday."},
        "not json",
        {"text": "x y z"},
        {"text": "1999"},
        [1],
        {"text": "today", "anchor": 5},
        {"text": "last month"},  # the --anchor default applies
        {"text": "yesterday", "anchor": None},  # explicitly none: needs an anchor
    ]
    body = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    (tmp_path / "in.jsonl").write_text(body + "\n")
    result = when("--file", "in.jsonl", "--anchor", "2001-03-15", "--json")
    assert result.exit_code == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(lines)
    assert out[0] == {
        "raw": "Friday",
        "earliest": "1998-08-07",
        "latest": "1998-08-07",
        "precision": "day",
        "anchor": "1998-08-08",
    }
    assert out[1]["error"].startswith("line 2: not JSON")
    assert out[2]["error"].startswith("line 3: cannot understand time expression 'x y z'")
    assert set(out[3]) == RESULT_KEYS and out[3]["anchor"] is None
    assert out[4] == {"error": 'line 5: expected an object with a "text" string'}
    assert out[5] == {"error": 'line 6: "anchor" must be a string or null'}
    assert (out[6]["earliest"], out[6]["latest"]) == ("2001-02-01", "2001-02-28")
    assert "needs an anchor date" in out[7]["error"]


def test_when_file_from_stdin(when) -> None:
    result = when("--file", "-", "--json", input='{"text": "the 1990s"}\n')
    assert json.loads(result.stdout)["earliest"] == "1990-01-01"


def test_library_when_needs_no_base() -> None:
    """Anything `when` does, Python does on the class, without opening a database."""
    assert FactBase.when("the nineties", "1998-03-03")["earliest"] == "1990-01-01"
    results = list(FactBase.when_lines(['{"text": "1999"}', "{"]))
    assert results[0]["latest"] == "1999-12-31" and "error" in results[1]


DOC_TEXT = (
    "Geneva, 10 June 2005. The council will vote on Monday. "
    "Delegates said on Monday that the draft was weak.\n"
)


def test_claim_time_is_read_in_its_quote(fb: FactBase, tmp_path: Path) -> None:
    """The same "Monday" is the next one in a future-tense quote, the last one in a past one."""
    path = tmp_path / "geneva.txt"
    path.write_text(DOC_TEXT)
    fb.ingest([path], date="2005-06-10")
    fb.add_predicate("voted", kind="event")
    times = {}
    for quote in ("The council will vote on Monday", "Delegates said on Monday"):
        claim = fb.add_claim(
            ClaimInput(
                text=quote,
                doc="geneva",
                quote=[quote],
                subject="council",
                predicate="voted",
                when="Monday",
            )
        )
        times[quote] = (claim["time"]["earliest"], claim["time"]["latest"])
    assert times["The council will vote on Monday"] == ("2005-06-13", "2005-06-13")
    assert times["Delegates said on Monday"] == ("2005-06-06", "2005-06-06")


def test_import_reads_time_in_its_quote(fb: FactBase, tmp_path: Path) -> None:
    path = tmp_path / "geneva.txt"
    path.write_text(DOC_TEXT)
    fb.ingest([path], date="2005-06-10")
    fb.add_predicate("voted", kind="event")
    rows = [
        {
            "text": "The council votes",
            "doc": "geneva",
            "quote": "The council will vote on Monday",
            "subject": "council",
            "predicate": "voted",
            "when": "Monday",
        }
    ]
    claims = tmp_path / "claims.jsonl"
    claims.write_text("".join(json.dumps(row) + "\n" for row in rows))
    [claim_id] = fb.import_claims(claims)["ids"]
    assert fb.claim(claim_id)["time"]["earliest"] == "2005-06-13"
