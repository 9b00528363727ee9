"""The CLI contract (DESIGN.md §4): exact output, JSON shapes, streams, help, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from click.testing import Result
from sqlalchemy import text
from typer.testing import CliRunner

from factbase.cli import app
from factbase.store import KNOWN_REVISIONS, SCHEMA_REVISION, make_engine

from .conftest import ROOT, SEEDS, Invoke

FIR_FILE = SEEDS / "000_973313e737abdc5f.txt"
QUOTE = "having abandoned it last year in favor of bilateral arrangements with Russia"

CLAIM_KEYS = {
    "id",
    "text",
    "subject",
    "predicate",
    "object",
    "value",
    "polarity",
    "modality",
    "attributed_to",
    "time",
    "status",
    "status_reason",
    "created_at",
    "created_by",
    "spans",
}
TIME_KEYS = {"raw", "earliest", "latest", "precision", "anchor"}
SPAN_KEYS = {"id", "document", "version", "start", "end", "exact", "prefix", "suffix"}
DOCUMENT_KEYS = {
    "id",
    "slug",
    "version",
    "supersedes",
    "publication",
    "volume",
    "issue",
    "title",
    "authors",
    "date",
    "date_precision",
    "date_source",
    "date_note",
    "url",
    "source_path",
    "sha256",
    "length",
    "ingested_at",
}


def one_line_error(result: Result, *messages: str) -> None:
    """Exit 1, nothing on stdout, one `Error: ...` line on stderr, no traceback."""
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("Error: "), result.stderr
    assert result.stderr.count("\n") == 1, f"not one line: {result.stderr!r}"
    assert "Traceback" not in result.stderr
    for message in messages:
        assert message in result.stderr


def test_ingest_prints_final_counts(cli: Invoke) -> None:
    first = cli("ingest", str(SEEDS))
    assert first.exit_code == 0, first.output
    assert "5 documents: 5 added, 0 new version, 0 unchanged" in first.stderr
    again = cli("ingest", str(SEEDS))
    assert "5 documents: 0 added, 0 new version, 5 unchanged" in again.stderr


def _ready(cli: Invoke) -> None:
    """One document and one predicate, through the CLI."""
    assert cli("ingest", str(FIR_FILE)).exit_code == 0
    assert cli("predicate", "add", "left", "--kind", "event", "--alias", "abandoned").exit_code == 0


def _add_claim(cli: Invoke, *extra: str) -> Result:
    return cli(
        "claim", "add", "Uzbekistan left the CST in 1999", "--doc", "fir-6-17",
        "--quote", QUOTE, "--subject", "Uzbekistan", "--predicate", "abandoned",
        "--object", "Collective Security Treaty", "--when", "last year", *extra,
    )  # fmt: skip


# Exact output ----------------------------------------------------------------------


def test_init_on_a_current_schema(cli: Invoke) -> None:
    head = SCHEMA_REVISION
    for _ in range(2):
        result = cli("init")
        assert result.exit_code == 0, result.output
        assert result.stdout == f"schema is up to date (revision {head})\n"
    data = json.loads(cli("init", "--json").stdout)
    assert (data["from"], data["to"]) == (head, head)


def test_init_creates_a_fresh_sqlite_file(backend: str, tmp_path: Path) -> None:
    if backend != "sqlite":
        pytest.skip("a file database")
    path = tmp_path / "sub" / "new.db"
    path.parent.mkdir()
    url = f"sqlite:///{path}"
    result = CliRunner().invoke(app, ["--db", url, "init"])
    assert result.exit_code == 0, result.output
    head = SCHEMA_REVISION
    assert result.stdout == f"schema upgraded from empty to {head}\n"
    assert path.is_file()
    again = CliRunner().invoke(app, ["--db", url, "init"])
    assert again.stdout == f"schema is up to date (revision {head})\n"


def test_claim_retract_line(cli: Invoke) -> None:
    _ready(cli)
    claim_id = json.loads(_add_claim(cli, "--json").stdout)["id"]
    result = cli("claim", "retract", str(claim_id), "--reason", " misread the source ")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"claim {claim_id} retracted: misread the source\n"
    assert result.stderr == ""
    again = cli("claim", "retract", str(claim_id), "--reason", "twice")
    one_line_error(again, f"claim {claim_id} is already retracted (misread the source)")
    one_line_error(cli("claim", "retract", "999999", "--reason", "x"), "no claim with id 999999")
    shown = json.loads(cli("claim", "show", str(claim_id), "--json").stdout)
    assert (shown["status"], shown["status_reason"]) == ("retracted", "misread the source")
    assert cli("claim", "list", "--json").stdout.strip() == "[]"
    assert [c["id"] for c in json.loads(cli("claim", "list", "--all", "--json").stdout)] == [
        claim_id
    ]


def test_fsck_ok_line_with_counts(cli: Invoke) -> None:
    empty = cli("fsck")
    assert empty.exit_code == 0, empty.output
    assert empty.stdout == "ok: 0 documents, 0 spans, 0 claims\n"
    _ready(cli)
    assert _add_claim(cli).exit_code == 0
    result = cli("fsck")
    assert result.exit_code == 0, result.output
    assert result.stdout == "ok: 1 documents, 1 spans, 1 claims\n"
    report = json.loads(cli("fsck", "--json").stdout)
    assert report["ok"] is True
    assert report["problems"] == []
    assert {k: report["counts"][k] for k in ("documents", "spans", "claims", "claim_spans")} == {
        "documents": 1,
        "spans": 1,
        "claims": 1,
        "claim_spans": 1,
    }


def test_fsck_reports_a_broken_span(cli: Invoke, db_url: str) -> None:
    _ready(cli)
    assert _add_claim(cli).exit_code == 0
    engine = make_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE spans SET exact = 'tampered'"))
    engine.dispose()
    result = cli("fsck")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "differs from exact" in result.stderr
    assert json.loads(cli("fsck", "--json").stdout)["ok"] is False


def test_vocabulary_load_line(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "vocabulary.yaml"
    path.write_text(
        "entities:\n  - name: Uzbekistan\n  - name: Russia\n"
        "predicates:\n  - name: left\n    kind: event\n",
        "utf-8",
    )
    result = cli("vocabulary", "load", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == "loaded 2 entities and 1 predicates\n"


# JSON shapes and streams -------------------------------------------------------------


def test_claim_add_json_has_id_and_notices_go_to_stderr(cli: Invoke) -> None:
    _ready(cli)
    result = _add_claim(cli, "--json")
    assert result.exit_code == 0, result.output
    claim = json.loads(result.stdout)  # stdout is JSON and nothing else
    assert isinstance(claim["id"], int)
    assert set(claim) >= CLAIM_KEYS
    assert result.stderr == (
        "created entity 'Uzbekistan'\ncreated entity 'Collective Security Treaty'\n"
    )
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
        "anchor": "2000-09-01",
    }
    [span] = claim["spans"]
    assert set(span) >= SPAN_KEYS
    assert (span["document"], span["exact"]) == ("fir-6-17", QUOTE)

    assert claim["duplicate"] is False
    second = _add_claim(cli, "--json")  # the same claim again: the stored one comes back
    assert second.exit_code == 0, second.output
    assert second.stderr == (
        f"claim {claim['id']} already states this with the same quote: nothing added\n"
    )
    again = json.loads(second.stdout)
    assert (again["id"], again["duplicate"]) == (claim["id"], True)
    assert {k: v for k, v in again.items() if k != "duplicate"} == {
        k: v for k, v in claim.items() if k != "duplicate"
    }


def test_claim_list_json_is_a_list_of_claim_objects(cli: Invoke) -> None:
    _ready(cli)
    first = json.loads(_add_claim(cli, "--json").stdout)
    cli("predicate", "add", "postal address", "--kind", "attribute", "--value-type", "string")
    value = cli(
        "claim", "add", "Jamestown's address is 4526 43rd Street NW", "--doc", "fir-6-17",
        "--quote", "4526 43rd Street NW", "--subject", "The Jamestown Foundation",
        "--predicate", "postal address", "--value", "4526 43rd Street NW", "--negated", "--json",
    )  # fmt: skip
    assert value.exit_code == 0, value.output
    result = cli("claim", "list", "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    claims = json.loads(result.stdout)
    assert isinstance(claims, list)
    assert [c["id"] for c in claims] == [first["id"], json.loads(value.stdout)["id"]]
    for claim in claims:
        assert set(claim) >= CLAIM_KEYS
        assert claim["polarity"] in {"affirmed", "negated"}
        assert all(set(span) >= SPAN_KEYS for span in claim["spans"])
    by_object, by_value = claims
    assert set(by_object["time"]) == TIME_KEYS
    assert (by_object["value"], by_object["polarity"]) == (None, "affirmed")
    assert by_value["object"] is None
    assert by_value["value"] == {"text": "4526 43rd Street NW"}
    assert (by_value["time"], by_value["polarity"]) == (None, "negated")
    filtered = json.loads(cli("claim", "list", "--subject", "uzbekistan", "--json").stdout)
    assert [c["id"] for c in filtered] == [first["id"]]
    shown = json.loads(cli("claim", "show", str(first["id"]), "--json").stdout)
    assert {k: shown[k] for k in CLAIM_KEYS - {"spans"}} == {
        k: first[k] for k in CLAIM_KEYS - {"spans"}
    }
    assert {k: shown["spans"][0][k] for k in SPAN_KEYS} == first["spans"][0]
    assert "Fortnight in Review" in shown["spans"][0]["citation"]
    assert QUOTE in shown["spans"][0]["context"]


def test_claim_import_json(cli: Invoke, tmp_path: Path) -> None:
    _ready(cli)
    line = {
        "text": "Uzbekistan left the CST",
        "doc": "fir-6-17",
        "quote": QUOTE,
        "subject": "Uzbekistan",
        "predicate": "left",
        "object": "CST",
        "when": "last year",
    }
    path = tmp_path / "claims.jsonl"
    path.write_text(json.dumps(line) + "\n" + json.dumps(line | {"negated": True}) + "\n", "utf-8")
    result = cli("claim", "import", str(path), "--json")
    assert result.exit_code == 0, result.output
    imported = json.loads(result.stdout)
    assert imported["imported"] == 2
    listed = json.loads(cli("claim", "list", "--json").stdout)
    assert imported["ids"] == [c["id"] for c in listed]
    assert "created entity 'Uzbekistan'" in result.stderr
    plain = cli("claim", "import", str(path))
    assert plain.stdout == "imported 0 claims (2 duplicates skipped)\n"


def test_doc_list_and_show_json(cli: Invoke) -> None:
    ingested = cli("ingest", str(SEEDS), "--json")
    assert ingested.exit_code == 0, ingested.output
    assert len(json.loads(ingested.stdout)) == 5
    result = cli("doc", "list", "--json")
    assert result.exit_code == 0, result.output
    documents = json.loads(result.stdout)
    assert len(documents) == 5
    assert all(set(d) >= DOCUMENT_KEYS for d in documents)
    by_slug = {d["slug"]: d for d in documents}
    assert set(by_slug) == {
        "fir-6-17",
        "monitor-5-173",
        "edm-3-176",
        "nbca-2007-05-30",
        "edm-1-10",
    }
    iwpr = by_slug["nbca-2007-05-30"]
    assert (iwpr["date"], iwpr["date_precision"], iwpr["date_source"]) == (
        "2007-05-30",
        "day",
        "stated",
    )
    shown = cli("doc", "show", "nbca-2007-05-30", "--text", "--json")
    assert shown.exit_code == 0, shown.output
    document = json.loads(shown.stdout)
    assert document == iwpr | {"text": document["text"]}
    assert len(document["text"]) == document["length"]
    assert "Wednesday, 30 May, 2007" in document["text"]
    assert "text" not in json.loads(cli("doc", "show", "fir-6-17", "--json").stdout)
    one_line_error(cli("doc", "show", "fir-6-71"), "unknown document 'fir-6-71'")


@pytest.mark.parametrize(
    "args",
    [
        ["doc", "list"],
        ["entity", "list"],
        ["predicate", "list"],
        ["claim", "list"],
        ["fsck"],
        ["init"],
    ],
)
def test_json_option_prints_only_json(cli: Invoke, args: list[str]) -> None:
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)
    assert result.stderr == ""


# Help -----------------------------------------------------------------------------------


def _leaves(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Paths to every leaf command (Typer vendors Click, so groups are found by duck typing)."""
    commands = getattr(command, "commands", None)
    if commands is None:
        return [path]
    return [leaf for name, sub in sorted(commands.items()) for leaf in _leaves(sub, (*path, name))]


ROOT_COMMAND = typer.main.get_command(app)
LEAVES = _leaves(ROOT_COMMAND)


def test_the_command_tree_is_complete() -> None:
    names = {" ".join(leaf) for leaf in LEAVES}
    assert names >= {
        "init",
        "ingest",
        "fsck",
        "demo",
        "doc list",
        "doc show",
        "entity add",
        "entity list",
        "entity show",
        "predicate add",
        "predicate list",
        "predicate show",
        "vocabulary load",
        "claim add",
        "claim list",
        "claim show",
        "claim retract",
        "claim import",
    }
    groups = [sub for sub in ROOT_COMMAND.commands.values() if hasattr(sub, "commands")]
    assert {group.name for group in groups} >= {"doc", "entity", "predicate", "vocabulary", "claim"}
    for group in groups:
        assert (group.help or "").strip(), f"group {group.name!r} has no help"


@pytest.mark.parametrize("path", LEAVES, ids=[" ".join(leaf) for leaf in LEAVES])
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    command = ROOT_COMMAND
    for name in path:
        command = command.commands[name]
    assert "Example:" in (command.help or ""), f"{' '.join(path)}: no Example: in its help"
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.stdout
    example = command.help.split("Example:", 1)[1].split()
    assert example[0] == "factbase", example  # a real invocation of this very command
    assert all(word in example for word in path), example


def test_python_cli_py_help_from_the_checkout() -> None:
    env = os.environ | {"TERMINAL_WIDTH": "200"}
    env.pop("FACTBASE_DB", None)
    result = subprocess.run(
        [sys.executable, "cli.py", "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout
    assert "claim-and-citation fact base" in result.stdout
    for name in ("init", "ingest", "claim", "entity", "predicate", "demo", "fsck"):
        assert name in result.stdout


# Schema, database URL, exit codes ---------------------------------------------------------


def test_out_of_date_schema_is_refused(cli: Invoke, db_url: str) -> None:
    """A known older revision advises `init` (an unknown one is newer: see test_safety)."""
    engine = make_engine(db_url)
    head, older = SCHEMA_REVISION, KNOWN_REVISIONS[-2]
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": older})
    try:
        for args in (["claim", "list", "--json"], ["entity", "add", "X"], ["fsck"]):
            one_line_error(
                cli(*args),
                f"database schema is at revision {older}, this factbase needs {head}",
                "run `factbase init`",
            )
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM entities")) == 0
    finally:
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE alembic_version SET version_num = :head"), {"head": head}
            )
        engine.dispose()
    assert cli("init").stdout == f"schema is up to date (revision {head})\n"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("://notaurl", "invalid database URL '://notaurl'"),  # without :// it is a file path
        ("nosuchdialect://x", "invalid database URL 'nosuchdialect://x'"),
    ],
)
def test_invalid_db_url_is_one_line(url: str, message: str) -> None:
    result = CliRunner().invoke(app, ["--db", url, "entity", "list"])
    one_line_error(result, message)


def test_unreachable_database_is_one_line(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("a server URL")
    result = CliRunner().invoke(
        app, ["--db", "postgresql://nobody@127.0.0.1:1/none", "doc", "list"]
    )
    one_line_error(result, "database error:", "127.0.0.1")


def test_factbase_db_environment_variable(backend: str, tmp_path: Path) -> None:
    if backend != "sqlite":
        pytest.skip("a file database")
    url = f"sqlite:///{tmp_path / 'env.db'}"
    result = CliRunner().invoke(
        app, ["entity", "add", "Uzbekistan", "--json"], env={"FACTBASE_DB": url}
    )
    assert result.exit_code == 0, result.output
    listed = CliRunner().invoke(app, ["--db", url, "entity", "list", "--json"])
    assert [e["name"] for e in json.loads(listed.stdout)] == ["Uzbekistan"]


@pytest.mark.parametrize(
    "args",
    [
        ["no-such-command"],
        ["claim", "frobnicate"],
        ["entity", "list", "--no-such-option"],
        ["claim", "show", "not-a-number"],
        ["predicate", "add", "left"],
        ["ingest"],
        ["claim", "retract", "1"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = CliRunner().invoke(app, ["--db", "sqlite:///never-created.db", *args])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Usage:" in result.stderr
    assert not Path("never-created.db").exists()


def test_no_arguments_shows_help() -> None:
    result = CliRunner().invoke(app, [])
    assert "Usage:" in result.output
    assert "Commands" in result.output
