"""Scale benchmark (issue 5, item 2): import rate against a raw driver, query latency, verify,
CLI start-up.

Run ``python benchmarks/bench_scale.py [--claims 100000 1000000] [--db sqlite|postgresql|both]``.

For each backend it builds a corpus through the public API (a small vocabulary via
``FactBase.add_predicate``, N = M/100 documents written as files and ingested with
``FactBase.ingest``, M claims in the ``claim import`` JSONL format whose quotes are unique
substrings of those documents), snapshots the database before the import, then times:

- ``FactBase(url).import_claims(path)``;
- the raw driver inserting the same claims, spans and claim_spans rows (read back from the
  imported base as tuples, so the very same rows) into the snapshot, in one transaction:
  ``sqlite3.executemany`` / psycopg ``COPY``. The entities the import created are copied into
  the snapshot first, untimed, so the foreign keys hold;
- in-process query latency (p50/p95) by subject, by predicate + time range, full text;
- ``claim list --subject X --json`` wall time in a subprocess;
- ``verify`` of one statement (p50 over 20);
- ``--help`` wall time (best of 5).

CLI wall times are taken after ``compileall`` of the package, as ``pip install`` leaves it:
this machine sets PYTHONDONTWRITEBYTECODE, so an editable checkout would otherwise
recompile every module on every command.
"""

from __future__ import annotations

import argparse
import calendar
import gc
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factbase.claims import ClaimFilter  # noqa: E402  (after sys.path)
from factbase.db import FactBase  # noqa: E402

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TABLES = ("spans", "claims", "claim_spans")  # foreign-key order
SYLLABLES = "ka ro vel dan mir tor sa len qu bar zen os fal gri dun lo ver ash ti mon rek pa hel"
SUFFIXES = ("Republic", "Federation", "Council", "Union", "Institute", "Port", "City", "Bank")
FIRST, LAST = 1990, 2010
MONTHS = calendar.month_name[1:]

# name, kind, single_valued, value_type, tolerance, sentence verb
PREDICATES = [
    ("visited", "event", False, "entity", None, "visited"),
    ("hosted", "event", False, "entity", None, "hosted"),
    ("signed an agreement with", "event", False, "entity", None, "signed an agreement with"),
    ("held talks with", "event", False, "entity", None, "held talks with"),
    ("sanctioned", "event", False, "entity", None, "sanctioned"),
    ("member of", "state", False, "entity", None, "was a member of"),
    ("allied with", "state", False, "entity", None, "was allied with"),
    ("at war with", "state", False, "entity", None, "was at war with"),
    ("trades with", "state", False, "entity", None, "traded with"),
    ("led by", "state", True, "entity", None, "was led by"),
    ("population", "attribute", True, "number", 1000.0, None),
]
FILLER = [
    "The ministry did not respond to requests for comment.",
    "Officials declined to give further details.",
    "Analysts in the region were divided over what the move meant.",
    "The statement was read out on state television that evening.",
    "Diplomats described the atmosphere as cordial but guarded.",
    "Opposition figures called for a parliamentary inquiry.",
    "Local newspapers carried the story on their front pages.",
    "No figures were given for the cost of the programme.",
    "Observers noted that the announcement had been expected for weeks.",
    "A spokesman said more information would follow in due course.",
]


# Corpus -------------------------------------------------------------------------------------


def _names(count: int, rng: random.Random) -> list[str]:
    syllables = SYLLABLES.split()
    names, seen = [], set()
    index = 0
    while len(names) < count:
        code = (index * 7919 + 12345) % len(syllables) ** 5
        index += 1
        parts = [syllables[(code // len(syllables) ** k) % len(syllables)] for k in range(5)]
        word = "".join(parts[: 2 + code % 4]).capitalize()
        name = f"{word} {SUFFIXES[code % len(SUFFIXES)]}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    rng.shuffle(names)
    return names


def _when(rng: random.Random, state: bool) -> tuple[str, str]:
    """(JSONL `when`, the phrase in the sentence)."""
    year = rng.randint(FIRST, LAST)
    if state:
        last = min(LAST, year + rng.randint(1, 6))
        return f"{year}–{last}", f"from {year} to {last}"
    roll = rng.random()
    if roll < 0.4:
        return str(year), f"in {year}"
    month = rng.choice(MONTHS)
    if roll < 0.7:
        return f"{month} {year}", f"in {month} {year}"
    day = f"{rng.randint(1, 28)} {month} {year}"
    return day, f"on {day}"


@dataclass
class Corpus:
    directory: Path
    claims_file: Path
    subjects: list[str]
    objects: list[str]
    claims: int = 0
    documents: int = 0
    dropped: int = 0
    statements: list[str] = field(default_factory=list)


def generate(
    n_claims: int,
    directory: Path,
    seed: int = 5,
    subjects_count: int | None = None,
    predicates: list[tuple] | None = None,
) -> Corpus:
    """Documents (text files) and the claim import file; every quote occurs once in its doc.

    `subjects_count` and `predicates` shape the blocks (default ~N/20 subjects, all
    predicates); one subject and one predicate make a single block of N claims.
    """
    rng = random.Random(seed)
    n_docs = max(1, n_claims // 100)
    n_subjects = subjects_count or max(10, n_claims // 20)
    names = _names(n_subjects + max(200, n_claims // 100), rng)
    subjects, objects = names[:n_subjects], names[n_subjects:]
    predicates = predicates or PREDICATES
    docs_dir = directory / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(docs_dir, directory / "claims.jsonl", subjects, objects)
    per_doc: list[list[dict]] = [[] for _ in range(n_docs)]
    used: set[str] = set()
    for _ in range(n_claims):
        name, kind, _single, value_type, _tol, verb = rng.choice(predicates)
        subject = rng.choice(subjects)
        when, phrase = _when(rng, kind == "state")
        item: dict = {"subject": subject, "predicate": name, "when": when}
        if value_type == "number":
            value = rng.randrange(10_000, 90_000_000, 1000)
            sentence = f"The population of {subject} was {value:,} {phrase}."
            item["value"] = str(value)
        else:
            obj = rng.choice(objects)
            sentence = f"{subject} {verb} {obj} {phrase}."
            item["object"] = obj
        item["text"] = sentence
        per_doc[rng.randrange(n_docs)].append(item)
    with corpus.claims_file.open("w", encoding="utf-8") as out:
        for number, items in enumerate(per_doc, start=1):
            slug = f"scale-{number:07d}"
            parts, kept, seen = [], [], set()
            for i, item in enumerate(items):
                if item["text"] in seen:
                    corpus.dropped += 1
                    continue
                seen.add(item["text"])
                kept.append(item)
                parts.append(item["text"])
                if rng.random() < 0.3:
                    parts.append(rng.choice(FILLER))
                if i % 6 == 5:
                    parts.append("\n\n")
            body = " ".join(parts).replace(" \n\n ", "\n\n")
            (docs_dir / f"{slug}.txt").write_text(
                f"Dispatch {number}\n\n{body}\n", encoding="utf-8"
            )
            corpus.documents += 1
            for item in kept:
                if body.count(item["text"]) != 1:  # a sentence inside a longer one
                    corpus.dropped += 1
                    continue
                line = {
                    "text": item["text"],
                    "doc": slug,
                    "quote": item["text"],
                    "subject": item["subject"],
                    "predicate": item["predicate"],
                    "when": item["when"],
                }
                for key in ("object", "value"):
                    if key in item:
                        line[key] = item[key]
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
                used.add(item["subject"])
                corpus.claims += 1
                if len(corpus.statements) < 10 and rng.random() < 0.01:
                    corpus.statements.append(item["text"].rstrip("."))
    corpus.subjects = sorted(used)
    while len(corpus.statements) < 20:  # corpus.statements about pairs nothing may state
        name, kind, _s, value_type, _t, verb = rng.choice(PREDICATES[:9])
        corpus.statements.append(
            f"{rng.choice(subjects)} {verb} {rng.choice(objects)} in {rng.randint(FIRST, LAST)}"
        )
    return corpus


def vocabulary(fb: FactBase) -> None:
    for name, kind, single, value_type, tolerance, _verb in PREDICATES:
        fb.add_predicate(
            name,
            kind,
            single_valued=single,
            value_type=value_type,
            tolerance=tolerance,
            conflicts_with=["allied with"] if name == "at war with" else None,
        )


# Backends -----------------------------------------------------------------------------------


class Backend:
    name = ""
    url = ""

    def snapshot(self) -> None: ...
    def raw_insert(self, rows: dict[str, tuple[list[str], list[tuple]]]) -> float: ...
    def read_rows(self, table: str, where: str = "") -> tuple[list[str], list[tuple]]: ...
    def cleanup(self) -> None: ...


class SQLite(Backend):
    name = "SQLite"

    def __init__(self, workdir: Path):
        self.path = workdir / "scale.db"
        self.raw_path = workdir / "raw.db"
        self.snapshot_path = workdir / "snapshot.db"
        self.url = f"sqlite:///{self.path}"

    def snapshot(self) -> None:
        source = sqlite3.connect(self.path)
        target = sqlite3.connect(self.snapshot_path)
        source.backup(target)
        source.close()
        target.close()

    def restore(self) -> None:
        """Back to the state before the import (for a second import of the same base)."""
        for suffix in ("-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        shutil.copy(self.snapshot_path, self.path)

    def _connect(self, path: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode = WAL", "synchronous = NORMAL"):
            connection.execute(f"PRAGMA {pragma}")
        return connection

    def read_rows(self, table: str, where: str = "") -> tuple[list[str], list[tuple]]:
        connection = self._connect(self.path)
        cursor = connection.execute(f"SELECT * FROM {table} {where}")
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
        connection.close()
        return columns, rows

    def raw_insert(self, rows: dict[str, tuple[list[str], list[tuple]]]) -> float:
        """The floor: bare executemany of the same rows into new tables without any index,
        constraint or trigger, one transaction, in a fresh file."""
        self.raw_path.unlink(missing_ok=True)
        connection = self._connect(self.raw_path)
        for table in TABLES:
            names = ", ".join(f'"{c}"' for c in rows[table][0])
            connection.execute(f"CREATE TABLE {table} ({names})")
        started = time.perf_counter()
        connection.execute("BEGIN")
        for table in TABLES:
            columns, values = rows[table]
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" * len(columns))
            connection.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)
        connection.execute("COMMIT")
        elapsed = time.perf_counter() - started
        connection.close()
        return elapsed

    def cleanup(self) -> None:
        pass


class PostgreSQL(Backend):
    name = "PostgreSQL"

    def __init__(self) -> None:
        import psycopg

        self.psycopg = psycopg
        self.server = PG_SERVER.replace("postgresql+psycopg://", "postgresql://", 1)
        self.main_db, self.raw_db, self.snapshot_db = (
            "fb_scale_main",
            "fb_scale_raw",
            "fb_scale_snap",
        )
        with psycopg.connect(self.server, autocommit=True) as connection:
            for db in (self.main_db, self.raw_db, self.snapshot_db):
                connection.execute(f"DROP DATABASE IF EXISTS {db}")
            connection.execute(f"CREATE DATABASE {self.main_db}")
        self.url = PG_SERVER.rsplit("/", 1)[0] + f"/{self.main_db}"

    def _dsn(self, db: str) -> str:
        return self.server.rsplit("/", 1)[0] + f"/{db}"

    def snapshot(self) -> None:
        with self.psycopg.connect(self.server, autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {self.snapshot_db} TEMPLATE {self.main_db}")

    def restore(self) -> None:
        with self.psycopg.connect(self.server, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE {self.main_db} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {self.main_db} TEMPLATE {self.snapshot_db}")

    def read_rows(self, table: str, where: str = "") -> tuple[list[str], list[tuple]]:
        with self.psycopg.connect(self._dsn(self.main_db)) as connection:
            cursor = connection.execute(f"SELECT * FROM {table} {where}")
            return [d.name for d in cursor.description], cursor.fetchall()

    def raw_insert(self, rows: dict[str, tuple[list[str], list[tuple]]]) -> float:
        """The floor: COPY of the same rows into new tables without index or constraint."""
        with self.psycopg.connect(self.server, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {self.raw_db}")
            connection.execute(f"CREATE DATABASE {self.raw_db}")
        with self.psycopg.connect(self._dsn(self.raw_db)) as connection:
            with self.psycopg.connect(self._dsn(self.main_db)) as source:
                for table in TABLES:
                    types = source.execute(
                        "SELECT column_name, format_type(a.atttypid, a.atttypmod)"
                        " FROM information_schema.columns c JOIN pg_attribute a"
                        " ON a.attrelid = c.table_name::regclass AND a.attname = c.column_name"
                        " WHERE c.table_name = %s ORDER BY c.ordinal_position",
                        (table,),
                    ).fetchall()
                    columns = ", ".join(f'"{n}" {t}' for n, t in types)
                    connection.execute(f"CREATE TABLE {table} ({columns})")
            connection.commit()
            started = time.perf_counter()
            for table in TABLES:
                columns, values = rows[table]
                names = ", ".join(f'"{c}"' for c in columns)
                with connection.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
            connection.commit()
            return time.perf_counter() - started

    def cleanup(self) -> None:
        with self.psycopg.connect(self.server, autocommit=True) as connection:
            for db in (self.main_db, self.raw_db, self.snapshot_db):
                connection.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")


# Measurements -------------------------------------------------------------------------------


def _latencies(call: Callable[[], object], inputs: list) -> tuple[float, float, list]:
    results, times = [], []
    call_one = call
    for item in inputs:
        started = time.perf_counter()
        results.append(call_one(item))
        times.append(time.perf_counter() - started)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], results


def _wall(argv: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, check=True, capture_output=True)
        best = min(best, time.perf_counter() - started)
    return best


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def _line(label: str, figure: str, target: str, ok: bool | None) -> None:
    mark = "" if ok is None else ("ok" if ok else "MISSED")
    print(f"  {label:<44} {figure:>14}   target {target:<12} {mark}")


def sqlite_utils_insert(jsonl: Path, workdir: Path) -> float:
    """The peer: `sqlite-utils insert --nl` of the same JSONL into one flat table (its CLI,
    start-up included, as a user runs it)."""
    target = workdir / "flat.db"
    target.unlink(missing_ok=True)
    command = [sys.executable, "-m", "sqlite_utils", "insert", str(target), "claims", str(jsonl)]
    started = time.perf_counter()
    subprocess.run([*command, "--nl"], check=True, capture_output=True)
    return time.perf_counter() - started


def timed_import(backend: Backend, path: Path) -> tuple[float, int, dict[str, float]]:
    fb = FactBase(backend.url)
    phases: dict[str, float] = {}
    started = time.perf_counter()
    result = fb.import_claims(path, phases=phases)
    elapsed = time.perf_counter() - started
    fb.close()
    return elapsed, result["imported"], phases


def build(backend: Backend, corpus: Corpus) -> None:
    """Vocabulary and documents through the public API, then the snapshot (not timed)."""
    fb = FactBase(backend.url)
    vocabulary(fb)
    fb.ingest([corpus.directory], date="2010-12-31")
    fb.close()
    backend.snapshot()


def run(backend: Backend, n_claims: int, workdir: Path, figures: dict[str, float]) -> Corpus:
    print(f"\n== {backend.name}, {n_claims:,} claims requested")
    started = time.perf_counter()
    corpus = generate(n_claims, workdir / "corpus")
    print(
        f"  corpus: {corpus.documents:,} documents, {corpus.claims:,} claims "
        f"({corpus.dropped} non-unique sentences dropped), {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    build(backend, corpus)
    print(f"  vocabulary + ingest: {time.perf_counter() - started:.1f} s (not timed below)")

    peer_s = sqlite_utils_insert(corpus.claims_file, workdir)
    load = os.getloadavg()[0]
    import_s, imported, phases = timed_import(backend, corpus.claims_file)
    rows = {table: backend.read_rows(table) for table in TABLES}
    floor_s = backend.raw_insert(rows)
    counts = {table: len(rows[table][1]) for table in TABLES}
    # Millions of row tuples left alive would make every garbage collection during the
    # latency loops below walk them all: a cost of this script, not of factbase.
    del rows
    gc.collect()
    figures["import"] = import_s
    print(f"  rows: {counts}; load average before the import {load:.2f}")
    _line("import (FactBase.import_claims)", f"{imported / import_s:,.0f} claims/s", "", None)
    _line("  wall", f"{import_s:.2f} s", "", None)
    shown = ", ".join(f"{name} {seconds:.2f}" for name, seconds in phases.items())
    print(f"    phases (s): {shown}")
    _line("peer: sqlite-utils insert --nl, flat table", f"{peer_s:.2f} s", "", None)
    ratio = peer_s / import_s
    _line("  peer time / import time", f"{ratio:.2f}", ">= 1.0", ratio >= 1.0)
    _line("floor: bare driver, unindexed tables", f"{floor_s:.2f} s", "", None)
    _line("  floor time / import time", f"{floor_s / import_s:.2f}", "", None)
    return corpus


def latencies(backend: Backend, corpus: Corpus) -> None:
    """Issue 5's query, verify and CLI figures on the imported base."""
    subjects_all, statements = corpus.subjects, corpus.statements
    rng = random.Random(7)
    fb = FactBase(backend.url)
    fb.claims(ClaimFilter(subject=subjects_all[0]))  # warm the engine and caches
    subjects = rng.choices(subjects_all, k=200)
    p50, p95, found = _latencies(lambda s: fb.claims(ClaimFilter(subject=s)), subjects)
    n = statistics.mean(len(r) for r in found)
    _line(f"query by subject p50 ({n:.0f} rows avg)", _ms(p50), "<= 2 ms", p50 <= 0.002)
    _line("query by subject p95", _ms(p95), "", None)

    def ranged(_: int) -> ClaimFilter:
        year = rng.randint(FIRST, LAST - 1)
        return ClaimFilter(predicate=rng.choice(PREDICATES)[0], since=str(year), until=str(year))

    filters = [ranged(i) for i in range(200)]
    p50, p95, found = _latencies(fb.claims, filters)
    n = statistics.mean(len(r) for r in found)
    _line(f"predicate + 1-year range p50 ({n:.0f} rows)", _ms(p50), "<= 2 ms", p50 <= 0.002)
    _line("predicate + 1-year range p95", _ms(p95), "", None)
    for f in filters:
        f.limit = 20
    p50, p95, found = _latencies(fb.claims, filters)
    _line("  same, limit 20, p50", _ms(p50), "<= 2 ms", p50 <= 0.002)
    _line("  same, limit 20, p95", _ms(p95), "", None)

    words = [f"{s.split()[0]} visited" for s in rng.choices(subjects_all, k=200)]
    p50, p95, found = _latencies(lambda q: fb.claims(ClaimFilter(text=q)), words)
    n = statistics.mean(len(r) for r in found)
    _line(f"full text ('<name> visited') p50 ({n:.0f} rows)", _ms(p50), "<= 2 ms", p50 <= 0.002)
    _line("full text p95", _ms(p95), "", None)

    p50, _p95, verdicts = _latencies(fb.verify, statements)
    kinds = statistics.multimode(v.get("verdict") for v in verdicts)
    _line(f"verify one statement p50 ({kinds[0]}…)", _ms(p50), "<= 0.5 s", p50 <= 0.5)
    fb.close()

    cli = [sys.executable, "cli.py", "--db", backend.url, "claim", "list"]
    wall = _wall([*cli, "--subject", subjects[0], "--json"], 3)
    _line("CLI claim list --subject X --json (best of 3)", f"{wall:.3f} s", "<= 0.5 s", wall <= 0.5)


def run_blocks(
    make: Callable[[Path], Backend], n_claims: int, base: Path, figures: dict[str, float]
) -> None:
    """One block of N claims (one subject, one predicate) against N spread over 2,000
    subjects: import, then the same file again (every line a duplicate to skip)."""
    print(f"\n== block shape, {n_claims:,} claims of one predicate")
    times = {}
    for shape, subjects in (("one block", 1), ("2,000 subjects", 2000)):
        workdir = base / f"block-{subjects}"
        workdir.mkdir(parents=True, exist_ok=True)
        corpus = generate(n_claims, workdir / "corpus", 11, subjects, PREDICATES[:1])
        backend = make(workdir)
        try:
            build(backend, corpus)
            first, imported, _phases = timed_import(backend, corpus.claims_file)
            again, _none, _phases = timed_import(backend, corpus.claims_file)
        finally:
            backend.cleanup()
        times[shape] = (first / imported, again / imported)
        _line(f"{shape}: import {imported:,}", f"{first:.2f} s", "", None)
        _line(f"{shape}: again, all duplicates", f"{again:.2f} s", "", None)
    for i, what in enumerate(("import", "re-import")):
        ratio = times["one block"][i] / times["2,000 subjects"][i]
        figures[f"block {what}"] = ratio
        _line(f"{what}: block / spread, per claim", f"{ratio:.2f}", "<= 1.2", ratio <= 1.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--block", type=int, default=40_000, help="claims in the block test")
    parser.add_argument("--import-only", action="store_true", help="skip query latencies")
    parser.add_argument("--workdir", type=Path, help="default: a temporary directory")
    args = parser.parse_args()
    print(f"bench_scale: {os.cpu_count()} cpus, load average {os.getloadavg()[0]:.2f}")
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "factbase", "cli.py"], cwd=ROOT, check=True
    )
    wall = _wall([sys.executable, "cli.py", "--help"], 5)
    _line("python cli.py --help (best of 5)", f"{wall:.3f} s", "<= 0.2 s", wall <= 0.2)
    base = args.workdir or Path(tempfile.mkdtemp(prefix="fb-scale-"))
    figures: dict[str, dict[str, float]] = {}
    makers: dict[str, Callable[[Path], Backend]] = {
        "sqlite": SQLite,
        "postgresql": lambda _workdir: PostgreSQL(),
    }
    try:
        for name, make in makers.items():
            if args.db not in (name, "both"):
                continue
            for n_claims in args.claims:
                workdir = base / f"{name}-{n_claims}"
                workdir.mkdir(parents=True, exist_ok=True)
                backend = make(workdir)
                try:
                    corpus = run(
                        backend, n_claims, workdir, figures.setdefault(f"{name} {n_claims}", {})
                    )
                    if not args.import_only:
                        latencies(backend, corpus)
                finally:
                    backend.cleanup()
            if args.block:
                run_blocks(make, args.block, base / name, figures.setdefault(name, {}))
    finally:
        if not args.workdir:
            shutil.rmtree(base, ignore_errors=True)
    summary(figures, args.claims)
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


def summary(figures: dict[str, dict[str, float]], sizes: list[int]) -> None:
    """Growth from the smallest to the largest size, and PostgreSQL against SQLite."""
    print("\n== summary")
    small, large = min(sizes), max(sizes)
    for name in ("sqlite", "postgresql"):
        a, b = figures.get(f"{name} {small}"), figures.get(f"{name} {large}")
        if a and b and large > small:
            growth = b["import"] / a["import"]
            limit = 10.5 * large / small / 10
            _line(
                f"{name} import growth {large:,}/{small:,}",
                f"{growth:.2f}",
                f"<= {limit:.1f}",
                growth <= limit,
            )
    for key in [k for k in figures if k.startswith("sqlite")]:
        other = figures.get(key.replace("sqlite", "postgresql", 1))
        for figure, value in figures[key].items():
            if other and figure in other and value:
                ratio = other[figure] / value
                _line(
                    f"PostgreSQL / SQLite, {key[7:] or 'blocks'} {figure}",
                    f"{ratio:.2f}",
                    "<= 1.5",
                    ratio <= 1.5,
                )


if __name__ == "__main__":
    main()
