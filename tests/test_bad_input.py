"""Bad input through the CLI: one line on stderr, exit 1, and not one row changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factbase import FactBase

from .conftest import SEEDS, Invoke

QUOTE = "having abandoned it last year"


@pytest.fixture
def ready(fb: FactBase, tmp_path: Path) -> FactBase:
    """Seed documents, a predicate, one claim, and an undated document."""
    fb.ingest([SEEDS])
    undated = tmp_path / "undated.txt"
    undated.write_text("Last year the treaty was abandoned by everyone.\n", "utf-8")
    fb.ingest([undated])
    fb.add_predicate("left", kind="event", aliases=["abandoned"])
    return fb


def _claim_args(*extra: str, quote: str = QUOTE, doc: str = "fir-6-17") -> list[str]:
    return [
        "claim",
        "add",
        "Uzbekistan left the CST",
        "--doc",
        doc,
        "--quote",
        quote,
        "--subject",
        "Uzbekistan",
        "--predicate",
        "left",
        *extra,
    ]


def _lines(tmp_path: Path) -> Path:
    good = {
        "text": "Uzbekistan left the CST",
        "doc": "fir-6-17",
        "quote": QUOTE,
        "subject": "Uzbekistan",
        "predicate": "left",
        "object": "CST",
    }
    path = tmp_path / "claims.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(good) + "\n{broken\n", "utf-8")
    return path


def _files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "empty_dir").mkdir()
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04")
    (tmp_path / "latin1.txt").write_bytes("Uzbekistan’s".encode("cp1252"))
    return {p.name: p for p in tmp_path.iterdir()}


CASES = {
    "missing file": (lambda t: ["ingest", str(t / "nope.txt")], "nope.txt: no such file"),
    "directory without texts": (
        lambda t: ["ingest", str(t / "empty_dir")],
        "directory holds no text files",
    ),
    "empty file": (lambda t: ["ingest", str(t / "empty.txt")], "empty.txt: empty file"),
    "binary file": (lambda t: ["ingest", str(t / "binary.txt")], "binary file"),
    "non-UTF-8 file": (
        lambda t: ["ingest", str(t / "latin1.txt")],
        "not UTF-8 text (invalid byte 0x92 at offset 10)",
    ),
    "quote not in document": (
        lambda t: _claim_args(quote="Uzbekistan joined NATO"),
        "quote not found in document 'fir-6-17'",
    ),
    "ambiguous quote": (
        lambda t: _claim_args(quote="Vladimir Putin"),
        "quote occurs 2 times in document 'fir-6-17'",
    ),
    "unknown document": (
        lambda t: _claim_args(doc="fir-6-18"),
        "unknown document 'fir-6-18'; did you mean",
    ),
    "unknown predicate": (
        lambda t: [*_claim_args()[:-1], "withdrew"],
        "unknown predicate 'withdrew'",
    ),
    "object and value": (
        lambda t: _claim_args("--object", "CST", "--value", "x"),
        "give either an object or a value, not both",
    ),
    "unparseable when": (
        lambda t: _claim_args("--when", "the other day maybe"),
        "the other day maybe",
    ),
    "relative when on undated document": (
        lambda t: _claim_args("--when", "last year", quote="treaty was abandoned", doc="undated"),
        "document 'undated' has no date",
    ),
    "broken third JSONL line": (
        lambda t: ["claim", "import", str(_lines(t))],
        "line 3: invalid JSON",
    ),
    "malformed ingest date": (
        lambda t: [
            "ingest",
            str(SEEDS / "000_973313e737abdc5f.txt"),
            "--id",
            "x",
            "--date",
            "1999-02-30",
        ],
        "bad date '1999-02-30'",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_fails_cleanly(ready: FactBase, cli: Invoke, tmp_path: Path, case: str) -> None:
    _files(tmp_path)
    make_args, message = CASES[case]
    before = ready.counts()
    result = cli(*make_args(tmp_path))
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert message in result.stderr
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1, f"not one line: {result.stderr!r}"
    assert "Traceback" not in result.stderr
    assert ready.counts() == before


def test_usage_error_exits_2(cli: Invoke) -> None:
    result = cli("claim", "add", "no options")
    assert result.exit_code == 2
    assert "Missing option" in result.stderr


def test_sql_and_html_text_is_stored_verbatim(ready: FactBase, cli: Invoke) -> None:
    hostile = "'); DROP TABLE claims; -- <script>alert(1)</script>"
    args = _claim_args("--object", "<i>CST</i>", "--json")
    args[2] = hostile
    result = cli(*args)
    assert result.exit_code == 0, result.output
    claim = json.loads(result.stdout)
    assert claim["text"] == hostile
    assert claim["object"] == "<i>CST</i>"
    shown = cli("claim", "show", str(claim["id"]))
    assert hostile in shown.stdout
    assert ready.fsck() == []
