"""Issue 9, items 8-11 and 14: the base is never created, misread or waited on by mistake.

A plain path is a SQLite file; a command that only reads refuses a missing or empty
base and creates nothing; a schema revision this factbase does not know is newer, not
older; a locked base is waited on for a bounded time, visibly; library calls take
`str` paths as well as `Path`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from typer.testing import CliRunner

from factbase import FactBase
from factbase.cli import app
from factbase.errors import NoFactBase, SchemaTooNew
from factbase.store import KNOWN_REVISIONS, SCHEMA_REVISION, make_engine, migrations_dir

from .conftest import SEEDS, Invoke
from .test_cli import one_line_error

# Every command that only reads (or, like `check` and triage, needs a base to exist).
READ_ONLY = [
    ["doc", "list"],
    ["doc", "show", "fir-6-17"],
    ["doc", "cite", "fir-6-17"],
    ["entity", "list"],
    ["entity", "show", "Uzbekistan"],
    ["predicate", "list"],
    ["predicate", "show", "left"],
    ["claim", "list", "--json"],
    ["claim", "show", "1"],
    ["claim", "retract", "1", "--reason", "typo"],
    ["verify", "Uzbekistan left the Collective Security Treaty in 1999", "--json"],
    ["check", "--json"],
    ["conflict", "list"],
    ["conflict", "show", "1"],
    ["conflict", "confirm", "1"],
    ["report", "--format", "md", "--out", "report.md"],
    ["export", "claimreview"],
    ["export", "annotations"],
    ["export", "csl"],
    ["cite", "1"],
    ["sources", "--json"],
    ["fsck"],
    ["dump", "out.jsonl"],
]
NEWER = "0099"


def run(url: str, *args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, ["--db", url, *args], env=env, catch_exceptions=False)


def no_fact_base(url: str) -> str:
    return f"no fact base at {url} (run `factbase init` to create one)"


def tables(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


# Item 8: --db takes a plain SQLite file path ------------------------------------------------
# (This test and the next two name SQLite files, so they have no PostgreSQL variant.)


def test_db_takes_a_plain_file_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    added = run("notes.db", "entity", "add", "Uzbekistan", "--json")
    assert added.exit_code == 0, added.output
    assert (tmp_path / "notes.db").is_file()
    for db in ("sqlite:///notes.db", str(tmp_path / "notes.db")):
        listed = run(db, "entity", "list", "--json")
        assert [e["name"] for e in json.loads(listed.stdout)] == ["Uzbekistan"]
    from_env = CliRunner().invoke(
        app, ["entity", "list", "--json"], env={"FACTBASE_DB": "notes.db"}
    )
    assert [e["name"] for e in json.loads(from_env.stdout)] == ["Uzbekistan"]
    with FactBase("notes.db") as fb:
        assert fb.url == "sqlite:///notes.db"
        assert fb.counts()["entities"] == 1


# Item 9: commands that only read refuse a missing or empty base -------------------------------


@pytest.mark.parametrize("args", READ_ONLY, ids=" ".join)
def test_read_only_command_on_a_missing_file_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    one_line_error(run("typo.db", *args), no_fact_base("sqlite:///typo.db"))
    assert list(tmp_path.iterdir()) == []


def test_read_only_commands_on_a_zero_byte_file_leave_it_alone(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    url = f"sqlite:///{path}"
    for args in READ_ONLY:
        one_line_error(run(url, *args), no_fact_base(url))
    assert [p.name for p in tmp_path.iterdir()] == ["empty.db"]
    assert path.stat().st_size == 0


def test_read_only_commands_refuse_a_database_without_schema(empty_url: str) -> None:
    """A PostgreSQL database without tables (or a missing SQLite file): nothing is created."""
    shown = make_engine(empty_url).url.render_as_string(hide_password=True)
    for args in READ_ONLY:
        one_line_error(run(empty_url, *args), no_fact_base(shown))
    if empty_url.startswith("sqlite"):
        assert not Path(empty_url.removeprefix("sqlite:///")).exists()
    else:
        assert tables(empty_url) == []


def test_library_create_false_refuses_an_empty_database(empty_url: str) -> None:
    with pytest.raises(NoFactBase, match="run `factbase init` to create one"):
        FactBase(empty_url, create=False)
    if empty_url.startswith("sqlite"):
        assert not Path(empty_url.removeprefix("sqlite:///")).exists()
    else:
        assert tables(empty_url) == []


def test_library_default_creates_and_says_so(empty_url: str) -> None:
    notices: list[str] = []
    with FactBase(empty_url, notify=notices.append) as fb:
        assert notices == [f"created a new fact base at {fb.url}"]
        assert set(fb.counts()) <= set(tables(empty_url))
    with FactBase(empty_url, notify=notices.append, create=False):
        assert len(notices) == 1, "an existing base is not created again"


@pytest.mark.parametrize(
    "args",
    [
        ["entity", "add", "Uzbekistan", "--json"],
        ["predicate", "add", "left", "--kind", "event", "--json"],
        ["ingest", str(SEEDS / "000_973313e737abdc5f.txt"), "--json"],
        ["vocabulary", "load", str(SEEDS / "vocabulary.yaml")],
        ["init"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_writing_commands_create_a_base_and_say_so(empty_url: str, args: list[str]) -> None:
    result = run(empty_url, *args)
    assert result.exit_code == 0, result.output
    shown = make_engine(empty_url).url.render_as_string(hide_password=True)
    assert f"created a new fact base at {shown}\n" in result.stderr
    again = run(empty_url, *args)
    assert "created a new fact base" not in again.stderr
    FactBase(empty_url, create=False).close()  # the base exists now


# Item 10: a schema revision this factbase does not know is newer ------------------------------


def test_known_revisions_are_alembics() -> None:
    script = ScriptDirectory(str(migrations_dir()))
    walked = [revision.revision for revision in script.walk_revisions()]
    assert tuple(reversed(walked)) == KNOWN_REVISIONS
    assert script.get_heads() == [SCHEMA_REVISION]


def test_newer_schema_is_refused_and_init_does_not_touch_it(
    fb: FactBase, cli: Invoke, db_url: str
) -> None:
    fb.add_entity("Uzbekistan")
    before = fb.counts()
    with fb.store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": NEWER})
    message = (
        f"was written by a newer factbase (schema revision {NEWER}; "
        f"this one knows up to {SCHEMA_REVISION}): upgrade factbase"
    )
    for args in (["claim", "list", "--json"], ["entity", "add", "X"], ["fsck"], ["init"]):
        result = cli(*args)
        one_line_error(result, f"the fact base at {fb.url} {message}")
        assert "factbase init" not in result.stderr
    with pytest.raises(SchemaTooNew, match="upgrade factbase"):
        FactBase(db_url)
    assert fb.counts() == before
    with fb.store.engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == NEWER


# Item 11: a locked base is waited on for a bounded time, visibly ------------------------------


@contextmanager
def locked(backend: str, db_url: str) -> Iterator[threading.Event]:
    """Another writer holds the lock until the yielded event is set (or the block ends)."""
    release = threading.Event()
    if backend == "sqlite":
        holder = sqlite3.connect(
            db_url.removeprefix("sqlite:///"), isolation_level=None, check_same_thread=False
        )
        holder.execute("BEGIN IMMEDIATE")
        unlock = holder.rollback
    else:
        engine = create_engine(db_url)
        connection = engine.connect()
        connection.execute(text("LOCK TABLE entities IN ACCESS EXCLUSIVE MODE"))

        def unlock() -> None:
            connection.rollback()
            connection.close()
            engine.dispose()

    waiter = threading.Thread(target=lambda: (release.wait(), unlock()))
    waiter.start()
    try:
        yield release
    finally:
        release.set()
        waiter.join()


def test_a_locked_base_gives_up_after_the_busy_timeout(
    backend: str, fb: FactBase, cli: Invoke, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = fb.counts()
    monkeypatch.setenv("FACTBASE_BUSY_TIMEOUT", "3")
    with locked(backend, db_url):
        started = time.monotonic()
        result = cli("entity", "add", "Uzbekistan")
        elapsed = time.monotonic() - started
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == (
        "waiting for another writer…\n"
        "Error: the database is locked by another writer; gave up after 3 s\n"
    )
    assert 2.9 <= elapsed < 15, f"gave up after {elapsed:.1f} s"
    assert fb.counts() == before


def test_a_writer_goes_on_when_the_lock_is_released(
    backend: str, fb: FactBase, cli: Invoke, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = fb.counts()
    monkeypatch.setenv("FACTBASE_BUSY_TIMEOUT", "20")
    with locked(backend, db_url) as release:
        threading.Timer(3.0, release.set).start()
        result = cli("entity", "add", "Uzbekistan", "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("waiting for another writer…\n") == 1
    assert json.loads(result.stdout)["name"] == "Uzbekistan"
    assert fb.counts()["entities"] == before["entities"] + 1


@pytest.mark.parametrize("value", ["soon", "-1", "nan"])
def test_a_malformed_busy_timeout_is_one_line(
    fb: FactBase, cli: Invoke, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    before = fb.counts()
    monkeypatch.setenv("FACTBASE_BUSY_TIMEOUT", value)
    one_line_error(
        cli("entity", "add", "Uzbekistan"),
        f"FACTBASE_BUSY_TIMEOUT must be a number of seconds, not {value!r}",
    )
    assert fb.counts() == before


# Item 14: library calls take str paths -----------------------------------------------------


def test_library_paths_may_be_str(fb: FactBase, empty_url: str, tmp_path: Path) -> None:
    texts = sorted(str(p) for p in SEEDS.glob("*.txt"))
    assert len(fb.ingest(texts[:1])) == 1
    assert len(fb.ingest(str(SEEDS))) == len(texts)
    assert fb.load_vocabulary(str(SEEDS / "vocabulary.yaml"))["predicates"] > 0
    imported = fb.import_claims(str(SEEDS / "claims.jsonl"))
    assert imported["imported"] == fb.counts()["claims"] > 0
    out = str(tmp_path / "dump.jsonl")
    fb.dump(out)
    with FactBase(empty_url) as copy:
        copy.restore(out)
        assert copy.counts() == fb.counts()


def test_load_corpus_takes_a_str_directory(fb: FactBase) -> None:
    loaded = fb.load_corpus(str(SEEDS))
    assert loaded["claims"] == fb.counts()["claims"] > 0
