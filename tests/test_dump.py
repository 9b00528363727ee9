"""Dump and restore (lossless JSONL, across backends) and the Web Annotation export."""

from __future__ import annotations

import io
import json
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from factbase import ClaimFilter, ClaimInput, FactBase
from factbase import dump as dumping
from factbase.dump import DumpError, MalformedDump, RestoreRefused
from factbase.errors import FactbaseError
from factbase.models import ClaimSpan, Document, Event
from factbase.spans import CONTEXT
from factbase.store import SCHEMA_REVISION, make_engine, upgrade

from .conftest import ROOT, SEEDS, pg_database

NewBase = Callable[[str], AbstractContextManager[FactBase]]


def vary(fb: FactBase) -> FactBase:
    """The seed corpus after a check, a dismissal and a retraction, plus awkward values.

    The seed corpus lacks floats, microseconds and nested JSON, so add them:
    a tolerance of 0.1 + 0.2, numbers whose repr is long or exponential, a
    datetime with microseconds and an event whose JSON has unsorted keys,
    non-ASCII text, a float and a nested null.
    """
    fb.check()
    first, second = fb.conflicts()[:2]
    fb.decide(first["id"], "dismiss", "the footers disagree on a typo")
    fb.retract_claim(second["claims"][1], "quote misread")
    fb.add_predicate(
        "troop strength", "state", single_valued=True, value_type="number", tolerance=0.1 + 0.2
    )
    cited = fb.claims()[0]["spans"][0]
    for value in (1 / 3, 1e22):
        fb.add_claim(
            ClaimInput(
                text=f"Russia had {value!r} troops",
                doc=cited["document"],
                quote=cited["exact"],
                subject="Russia",
                predicate="troop strength",
                value=value,
                unit="battalions",
            )
        )
    with fb.store.session() as session:
        session.execute(
            update(Document)
            .where(Document.id == 1)
            .values(ingested_at=datetime(2007, 5, 30, 12, 34, 56, 789012))
        )
        session.add(
            Event(
                at=datetime(2001, 2, 3, 4, 5, 6, 7),
                actor="tëster",
                action="note",
                target="base",
                target_id=None,
                before={"z": 1, "a": [1.5, {"y": None, "b": True}], "ü": "ß “quoted”"},
                after=None,
            )
        )
    return fb


def dump_text(fb: FactBase) -> str:
    with fb.store.session() as session:
        out = io.StringIO()
        dumping.dump(session, out)
        return out.getvalue()


def dump_to(fb: FactBase, path: Path) -> Path:
    with fb.store.session() as session:
        dumping.dump_file(session, path)
    return path


def restore(fb: FactBase, path: Path) -> dict[str, int]:
    """As FactBase.restore does: one transaction, rolled back on any error."""
    with fb.store.session() as session:
        return dumping.restore(session, path)


def all_empty(fb: FactBase) -> bool:
    return not any(fb.counts().values())


@pytest.fixture
def new_base(sqlite_templates: dict[bool, Path], tmp_path: Path) -> NewBase:
    """Make a fresh, empty fact base at the schema head on a backend."""

    @contextmanager
    def make(backend: str) -> Iterator[FactBase]:
        if backend == "sqlite":
            path = tmp_path / f"restored-{uuid.uuid4().hex[:8]}.db"
            shutil.copy(sqlite_templates[False], path)
            base = FactBase(f"sqlite:///{path}")
            try:
                yield base
            finally:
                base.close()
            return
        with pg_database() as url:
            engine = make_engine(url)
            upgrade(engine)
            engine.dispose()
            base = FactBase(url)
            try:
                yield base
            finally:
                base.close()

    return make


@pytest.fixture
def sample(seeded: FactBase) -> FactBase:
    return vary(seeded)


@pytest.fixture(scope="module")
def sample_dump(
    tmp_path_factory: pytest.TempPathFactory, sqlite_templates: dict[bool, Path]
) -> Path:
    """A dump of the varied seed corpus (made on SQLite: a dump is the same on both)."""
    directory = tmp_path_factory.mktemp("dump")
    shutil.copy(sqlite_templates[True], directory / "source.db")
    with FactBase(f"sqlite:///{directory / 'source.db'}") as fb:
        return dump_to(vary(fb), directory / "sample.jsonl")


# Round trips -----------------------------------------------------------------------------


def test_dump_format(sample: FactBase, tmp_path: Path) -> None:
    path = tmp_path / "base.jsonl"
    with sample.store.session() as session:
        counts = dumping.dump_file(session, path)
    lines = path.read_text("utf-8").splitlines()
    head = SCHEMA_REVISION
    assert json.loads(lines[0]) == {"format": "factbase-dump", "version": 1, "schema": head}
    records = [json.loads(line) for line in lines[1:]]
    assert counts == sample.counts()
    assert sum(counts.values()) == len(records)
    # parents first, rows by id
    order = [t.name for t in dumping.Base.metadata.sorted_tables]
    keys = [(order.index(r["table"]), r["row"]["id"]) for r in records]
    assert keys == sorted(keys)
    by_table: dict[str, list[dict]] = {}
    for record in records:
        by_table.setdefault(record["table"], []).append(record["row"])
    assert {p["name"]: p["tolerance"] for p in by_table["predicates"]}["troop strength"] == (
        0.1 + 0.2
    )
    assert {c["value_number"] for c in by_table["claims"]} >= {1 / 3, 1e22}
    assert '"value_number": 0.3333333333333333' in path.read_text("utf-8")
    assert by_table["documents"][0]["ingested_at"] == "2007-05-30T12:34:56.789012"
    assert all(isinstance(c["internal"], bool) for c in by_table["conflicts"])
    assert {c["status"] for c in by_table["conflicts"]} == {"dismissed", "resolved"}
    assert {c["status"] for c in by_table["claims"]} == {"active", "retracted"}
    note = by_table["events"][-1]
    assert note["at"] == "2001-02-03T04:05:06.000007"
    assert list(note["before"]) == ["a", "z", "ü"]  # keys sorted
    assert not (tmp_path / "base.jsonl.partial").exists()


def test_round_trip_same_backend(
    sample: FactBase, backend: str, new_base: NewBase, tmp_path: Path, monkeypatch
) -> None:
    """dump → restore into an empty base → dump is byte for byte the same file."""
    monkeypatch.setattr(dumping, "BATCH_ROWS", 37)  # several batches per table, both ways
    first = dump_to(sample, tmp_path / "first.jsonl")
    with new_base(backend) as target:
        counts = restore(target, first)
        assert counts == sample.counts()
        assert target.counts() == sample.counts()
        second = dump_to(target, tmp_path / "second.jsonl")
        assert second.read_bytes() == first.read_bytes()
        assert target.fsck() == []
        assert target.claims() == sample.claims()
        assert target.report("json") == sample.report("json")


def test_round_trip_across_backends(sample_dump: Path, new_base: NewBase, tmp_path: Path) -> None:
    """SQLite → PostgreSQL → SQLite gives the identical dump at every step."""
    with new_base("postgresql") as postgres:
        restore(postgres, sample_dump)
        assert postgres.fsck() == []
        via_postgres = dump_to(postgres, tmp_path / "postgres.jsonl")
    assert via_postgres.read_bytes() == sample_dump.read_bytes()
    with new_base("sqlite") as sqlite:
        restore(sqlite, via_postgres)
        assert sqlite.fsck() == []
        back = dump_to(sqlite, tmp_path / "sqlite.jsonl")
    assert back.read_bytes() == sample_dump.read_bytes()


def test_restored_base_takes_new_rows(fb: FactBase, sample_dump: Path) -> None:
    """Sequences are reset (PostgreSQL) and full text indexed (SQLite) after a restore."""
    counts = restore(fb, sample_dump)
    records = [json.loads(line) for line in sample_dump.read_text("utf-8").splitlines()[1:]]
    top_claim = max(r["row"]["id"] for r in records if r["table"] == "claims")
    assert fb.fsck() == []
    assert fb.claims(ClaimFilter(text="Collective Security Treaty"))  # full-text search works
    entity = fb.add_entity("Dump Test Organisation", kind="organisation")
    assert entity["id"] == counts["entities"] + 1
    cited = fb.claims()[0]["spans"][0]
    claim = fb.add_claim(
        ClaimInput(
            text="Russia and Uzbekistan cooperate",
            doc=cited["document"],
            quote=cited["exact"],
            subject="Russia",
            predicate=fb.claims()[0]["predicate"],
            object="Uzbekistan",
        )
    )
    assert claim["id"] == top_claim + 1
    assert claim["id"] in {c["id"] for c in fb.claims(ClaimFilter(text="cooperate"))}
    fb.check()
    assert fb.fsck() == []


def test_restore_through_empty_lines_and_counts(fb: FactBase, sample_dump: Path, tmp_path) -> None:
    padded = tmp_path / "padded.jsonl"
    padded.write_text(sample_dump.read_text("utf-8") + "\n\n", "utf-8")
    counts = restore(fb, padded)
    assert counts == fb.counts()
    assert sum(counts.values()) == len(sample_dump.read_text("utf-8").splitlines()) - 1


# Refusals: each leaves the target as it was ------------------------------------------------


def test_refuses_a_non_empty_database(sample: FactBase, tmp_path: Path) -> None:
    path = dump_to(sample, tmp_path / "base.jsonl")
    before = dump_text(sample)
    with pytest.raises(RestoreRefused, match=r"not empty \(table entities has rows\)"):
        restore(sample, path)
    assert dump_text(sample) == before


def test_refuses_a_non_empty_database_with_one_row_late_in_the_order(
    fb: FactBase, sample_dump: Path
) -> None:
    fb.ingest([SEEDS / "000_973313e737abdc5f.txt"])
    before = fb.counts()
    with pytest.raises(RestoreRefused, match=r"not empty \(table \w+ has rows\)"):
        restore(fb, sample_dump)
    assert fb.counts() == before


def test_refuses_another_schema_revision(fb: FactBase, sample_dump: Path, tmp_path) -> None:
    lines = sample_dump.read_text("utf-8").splitlines(keepends=True)
    lines[0] = json.dumps({"format": "factbase-dump", "version": 1, "schema": "0001"}) + "\n"
    older = tmp_path / "older.jsonl"
    older.write_text("".join(lines), "utf-8")
    head = SCHEMA_REVISION
    with pytest.raises(
        RestoreRefused, match=f"dump is at schema revision 0001, this database at {head}"
    ):
        restore(fb, older)
    assert all_empty(fb)


Edit = Callable[[list[str]], int]  # changes a dump's lines, returns the 1-based line it broke


def _rewrite(path: Path, out: Path, edit: Callable[[list[str]], object]) -> Path:
    lines = path.read_text("utf-8").splitlines(keepends=True)
    edit(lines)
    out.write_text("".join(lines), "utf-8")
    return out


def _line_of(lines: list[str], table: str, index: int = 0) -> int:
    """The 0-based index in `lines` of the index-th row of `table`."""
    found = [i for i, line in enumerate(lines) if line.startswith(f'{{"table": "{table}"')]
    return found[index]


def _set(lines: list[str], i: int, **changes: object) -> None:
    record = json.loads(lines[i])
    record["row"].update(changes)
    lines[i] = json.dumps(record, ensure_ascii=False) + "\n"


def change(table: str, index: int, **changes: object) -> Edit:
    def edit(lines: list[str]) -> int:
        i = _line_of(lines, table, index)
        _set(lines, i, **changes)
        return i + 1

    return edit


def drop(table: str, index: int, column: str) -> Edit:
    def edit(lines: list[str]) -> int:
        i = _line_of(lines, table, index)
        record = json.loads(lines[i])
        del record["row"][column]
        lines[i] = json.dumps(record, ensure_ascii=False) + "\n"
        return i + 1

    return edit


def insert(at: int, line: str) -> Edit:
    """Insert `line` as line number `at` (1-based)."""

    def edit(lines: list[str]) -> int:
        lines.insert(at - 1, line + "\n")
        return at

    return edit


def append(line: str) -> Edit:
    def edit(lines: list[str]) -> int:
        lines.append(line + "\n")
        return len(lines)

    return edit


def cut_last_line(lines: list[str]) -> int:
    lines[-1] = lines[-1][: len(lines[-1]) // 2] + "\n"
    return len(lines)


def repeat(table: str, index: int) -> Edit:
    """Write a row twice."""

    def edit(lines: list[str]) -> int:
        i = _line_of(lines, table, index)
        lines.insert(i + 1, lines[i])
        return i + 2

    return edit


BROKEN: dict[str, tuple[Edit, str]] = {
    "truncated last line": (cut_last_line, "not valid JSON"),
    "not an object": (insert(4, "[1, 2]"), "expected a JSON object"),
    "no row": (insert(4, '{"table": "entities"}'), 'expected {"table": ..., "row": ...}'),
    "unknown table": (insert(6, '{"table": "nope", "row": {}}'), "unknown table 'nope'"),
    "unknown column": (change("claims", 3, colour="red"), "table claims has no column 'colour'"),
    "missing column": (drop("entities", 2, "kind"), "entities.kind is missing"),
    "string for an integer": (change("spans", 4, start="12"), "spans.start: expected an integer"),
    "integer for a boolean": (
        change("conflicts", 0, internal=0),
        "conflicts.internal: expected true or false",
    ),
    "non-ISO date": (
        change("claims", 0, time_earliest="28/08/2000"),
        "claims.time_earliest: expected an ISO date",
    ),
    "date where a datetime belongs": (
        change("events", 7, at="2000-01-01"),
        "events.at: expected an ISO datetime",
    ),
    "null in a required column": (change("claims", 9, text=None), "claims.text cannot be null"),
    "repeated id": (repeat("spans", 3), "is out of order or repeated"),
    "tables out of order": (
        append('{"table": "entities", "row": {}}'),
        "table entities comes after its dependants",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_refuses_a_broken_line(fb: FactBase, sample_dump: Path, tmp_path: Path, case: str) -> None:
    edit, message = BROKEN[case]
    numbers: list[int] = []
    path = _rewrite(
        sample_dump, tmp_path / "broken.jsonl", lambda lines: numbers.append(edit(lines))
    )
    with pytest.raises(MalformedDump) as caught:
        restore(fb, path)
    assert str(caught.value).startswith(f"{path}, line {numbers[0]}: ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert all_empty(fb)
    # nothing was left behind: the intact dump still restores
    restore(fb, sample_dump)
    assert fb.fsck() == []


def test_refuses_a_dangling_reference(fb: FactBase, sample_dump: Path, tmp_path: Path) -> None:
    """The database refuses the batch; the message names its lines."""

    dangle = change("claim_spans", 5, span_id=999_999)
    path = _rewrite(sample_dump, tmp_path / "dangling.jsonl", dangle)
    with pytest.raises(MalformedDump, match=r", lines \d+-\d+: the database refused these claim_"):
        restore(fb, path)
    assert all_empty(fb)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "line 1: the file is empty"),
        ('{"table": "entities", "row": {}}\n', "line 1: not a factbase dump header"),
        ("not json\n", "line 1: not valid JSON"),
        ('{"format": "factbase-dump", "version": 2, "schema": "0002"}\n', "version 2"),
    ],
)
def test_refuses_a_file_that_is_not_a_dump(
    fb: FactBase, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "other.jsonl"
    path.write_text(content, "utf-8")
    with pytest.raises(MalformedDump, match=message):
        restore(fb, path)
    assert all_empty(fb)


def test_errors_are_factbase_errors(fb: FactBase, tmp_path: Path) -> None:
    assert issubclass(MalformedDump, FactbaseError) and issubclass(RestoreRefused, DumpError)
    with pytest.raises(DumpError, match="cannot read"):
        restore(fb, tmp_path / "missing.jsonl")
    bad = tmp_path / "latin1.jsonl"
    header = {"format": "factbase-dump", "version": 1, "schema": SCHEMA_REVISION}
    bad.write_bytes(json.dumps(header).encode() + b"\n\xff\n")
    with pytest.raises(MalformedDump, match="line 2: not UTF-8"):
        restore(fb, bad)
    with fb.store.session() as session, pytest.raises(DumpError, match="cannot write"):
        dumping.dump_file(session, tmp_path / "no-such-dir" / "x.jsonl")


# Web Annotations -----------------------------------------------------------------------------


def test_annotations(sample: FactBase) -> None:
    with sample.store.session() as session:
        annotations = dumping.export_annotations(session)
        links = session.scalar(select(func.count()).select_from(ClaimSpan))
        texts = {
            dumping.document_iri(d.url, d.slug, d.version): d.text
            for d in session.scalars(select(Document))
        }
    assert len(annotations) == links
    assert len({a["id"] for a in annotations}) == links
    claims = {c["id"]: c for c in sample.claims(ClaimFilter(status=None))}
    for annotation in annotations:
        assert annotation["type"] == "Annotation"
        assert annotation["@context"] == dumping.ANNOTATION_CONTEXT
        assert annotation["motivation"] in {"describing", "assessing"}
        assert annotation["created"].endswith("Z")
        claim = json.loads(annotation["factbase:claim"])
        assert claim == claims[claim["id"]]
        assert annotation["body"][0] == {
            "type": "TextualBody",
            "value": claim["text"],
            "format": "text/plain",
            "purpose": "describing",
        }
        target = annotation["target"]
        assert target["source"].startswith("urn:factbase:document:")
        quote, position = target["selector"]
        assert quote["type"] == "TextQuoteSelector"
        assert position["type"] == "TextPositionSelector"
        text = texts[target["source"]]
        start, end = position["start"], position["end"]
        assert text[start:end] == quote["exact"]
        assert text[max(0, start - CONTEXT) : start] == quote["prefix"]
        assert text[end : end + CONTEXT] == quote["suffix"]
        span_id = int(annotation["id"].rsplit("-", 1)[1])
        assert annotation["id"] == f"urn:factbase:annotation:{claim['id']}-{span_id}"
        assert span_id in {s["id"] for s in claim["spans"]}
    statuses = {json.loads(a["factbase:claim"])["status"] for a in annotations}
    assert statuses == {"active", "retracted"}
    json.loads(json.dumps(annotations))  # plain JSON all the way down


def _keys(node: object) -> set[str]:
    """Every JSON key used in an annotation, outside its @context and JSON literal."""
    if isinstance(node, list):
        return set().union(*map(_keys, node)) if node else set()
    if not isinstance(node, dict):
        return set()
    keys = {key for key in node if key not in {"@context", "factbase:claim"}}
    for key, value in node.items():
        if key not in {"@context", "factbase:claim"}:
            keys |= _keys(value)
    return keys | ({"factbase:claim"} & set(node))


def test_annotation_context_is_the_standard_one_plus_factbase_terms(sample: FactBase) -> None:
    """anno.jsonld by its URL defines every key and type; factbase adds one term beside it."""
    vendored = ROOT / "tests" / "vendor" / "web-annotation" / "contexts" / "anno.jsonld"
    standard = json.loads(vendored.read_text("utf-8"))["@context"]
    with sample.store.session() as session:
        annotation = dumping.export_annotations(session)[0]
    iri, terms = annotation["@context"]
    assert iri == "http://www.w3.org/ns/anno.jsonld"
    assert terms == dumping.FACTBASE_TERMS and "@version" not in terms  # JSON-LD 1.0 reads it
    assert _keys(annotation) <= set(standard) | set(terms)
    types = [annotation["type"], annotation["generator"]["type"], annotation["body"][0]["type"]]
    types += [annotation["target"]["type"], *(s["type"] for s in annotation["target"]["selector"])]
    assert set(types) <= set(standard)
    assert {annotation["motivation"], annotation["body"][0]["purpose"]} <= set(standard)


def test_annotations_of_an_empty_base(fb: FactBase) -> None:
    with fb.store.session() as session:
        assert dumping.export_annotations(session) == []


def test_cli_dump_restore_and_annotations(seeded_cli, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from factbase.cli import app

    first = tmp_path / "first.jsonl"
    dumped = seeded_cli("dump", str(first), "--json")
    assert dumped.exit_code == 0, dumped.output
    total = json.loads(dumped.stdout)["total"]
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    runner = CliRunner()
    restored = runner.invoke(app, ["--db", target, "restore", str(first), "--json"])
    assert restored.exit_code == 0, restored.output
    assert json.loads(restored.stdout)["total"] == total
    again = tmp_path / "again.jsonl"
    assert runner.invoke(app, ["--db", target, "dump", str(again)]).exit_code == 0
    assert again.read_bytes() == first.read_bytes()
    refused = runner.invoke(app, ["--db", target, "restore", str(first)])
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: ") and refused.stderr.count("\n") == 1
    annotations = json.loads(seeded_cli("export", "annotations").stdout)
    assert annotations and annotations[0]["type"] == "Annotation"
