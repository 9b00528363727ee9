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


def generate(n_claims: int, directory: Path, seed: int = 5) -> Corpus:
    """Documents (text files) and the claim import file; every quote occurs once in its doc."""
    rng = random.Random(seed)
    n_docs = max(1, n_claims // 100)
    n_subjects = max(10, n_claims // 20)
    names = _names(n_subjects + max(200, n_claims // 100), rng)
    subjects, objects = names[:n_subjects], names[n_subjects:]
    docs_dir = directory / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(docs_dir, directory / "claims.jsonl", subjects, objects)
    per_doc: list[list[dict]] = [[] for _ in range(n_docs)]
    used: set[str] = set()
    for _ in range(n_claims):
        name, kind, _single, value_type, _tol, verb = rng.choice(PREDICATES)
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
    while len(corpus.statements) < 20:  # statements about pairs nothing may state
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
        self.url = f"sqlite:///{self.path}"

    def snapshot(self) -> None:
        source = sqlite3.connect(self.path)
        target = sqlite3.connect(self.raw_path)
        source.backup(target)
        source.close()
        target.close()

    def _connect(self, path: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(path, isolation_level=None)
        for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = NORMAL"):
            connection.execute(f"PRAGMA {pragma}")
        return connection

    def read_rows(self, table: str, where: str = "") -> tuple[list[str], list[tuple]]:
        connection = self._connect(self.path)
        cursor = connection.execute(f"SELECT * FROM {table} {where}")
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
        connection.close()
        return columns, rows

    def copy_untimed(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        connection = self._connect(self.raw_path)
        connection.execute("BEGIN")
        connection.executemany(self._insert(table, columns), rows)
        connection.execute("COMMIT")
        connection.close()

    @staticmethod
    def _insert(table: str, columns: list[str]) -> str:
        names = ", ".join(f'"{c}"' for c in columns)
        return f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"

    def raw_insert(self, rows: dict[str, tuple[list[str], list[tuple]]]) -> float:
        connection = self._connect(self.raw_path)
        started = time.perf_counter()
        connection.execute("BEGIN")
        for table in TABLES:
            columns, values = rows[table]
            connection.executemany(self._insert(table, columns), values)
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
        self.main_db, self.raw_db = "fb_scale_main", "fb_scale_raw"
        with psycopg.connect(self.server, autocommit=True) as connection:
            for db in (self.main_db, self.raw_db):
                connection.execute(f"DROP DATABASE IF EXISTS {db}")
            connection.execute(f"CREATE DATABASE {self.main_db}")
        self.url = PG_SERVER.rsplit("/", 1)[0] + f"/{self.main_db}"

    def _dsn(self, db: str) -> str:
        return self.server.rsplit("/", 1)[0] + f"/{db}"

    def snapshot(self) -> None:
        with self.psycopg.connect(self.server, autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {self.raw_db} TEMPLATE {self.main_db}")

    def read_rows(self, table: str, where: str = "") -> tuple[list[str], list[tuple]]:
        with self.psycopg.connect(self._dsn(self.main_db)) as connection:
            cursor = connection.execute(f"SELECT * FROM {table} {where}")
            return [d.name for d in cursor.description], cursor.fetchall()

    def _copy(self, connection, table: str, columns: list[str], rows: list[tuple]) -> None:
        names = ", ".join(f'"{c}"' for c in columns)
        with connection.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def copy_untimed(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        with self.psycopg.connect(self._dsn(self.raw_db)) as connection:
            self._copy(connection, table, columns, rows)

    def raw_insert(self, rows: dict[str, tuple[list[str], list[tuple]]]) -> float:
        with self.psycopg.connect(self._dsn(self.raw_db)) as connection:
            started = time.perf_counter()
            for table in TABLES:
                self._copy(connection, table, *rows[table])
            connection.commit()
            return time.perf_counter() - started

    def cleanup(self) -> None:
        with self.psycopg.connect(self.server, autocommit=True) as connection:
            for db in (self.main_db, self.raw_db):
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


def run(backend: Backend, n_claims: int, workdir: Path) -> None:
    print(f"\n== {backend.name}, {n_claims:,} claims requested")
    started = time.perf_counter()
    corpus = generate(n_claims, workdir / "corpus")
    print(
        f"  corpus: {corpus.documents:,} documents, {corpus.claims:,} claims "
        f"({corpus.dropped} non-unique sentences dropped), {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    fb = FactBase(backend.url)
    vocabulary(fb)
    fb.ingest([corpus.directory], date="2010-12-31")
    print(f"  vocabulary + ingest: {time.perf_counter() - started:.1f} s (not timed below)")
    fb.close()
    backend.snapshot()

    fb = FactBase(backend.url)
    started = time.perf_counter()
    result = fb.import_claims(corpus.claims_file)
    import_s = time.perf_counter() - started
    imported = len(result["ids"]) if "ids" in result else result["imported"]
    fb.close()

    # The same rows, as tuples; the entities the import created go into the snapshot untimed.
    for table in ("entities", "entity_aliases"):
        backend.copy_untimed(table, *backend.read_rows(table))
    rows = {table: backend.read_rows(table) for table in TABLES}
    raw_s = backend.raw_insert(rows)
    counts = {table: len(rows[table][1]) for table in TABLES}
    # Millions of row tuples left alive would make every garbage collection during the
    # latency loops below walk them all: a cost of this script, not of factbase.
    del rows, result
    gc.collect()
    rate = imported / import_s
    print(f"  rows: {counts}")
    _line("import (FactBase.import_claims)", f"{rate:,.0f} claims/s", "", None)
    _line("  wall", f"{import_s:.2f} s", "", None)
    _line("raw driver, same rows, one transaction", f"{imported / raw_s:,.0f} claims/s", "", None)
    _line("  wall", f"{raw_s:.2f} s", "", None)
    ratio = raw_s / import_s
    _line("ratio raw time / factbase time", f"{ratio:.2f}", ">= 0.5", ratio >= 0.5)

    rng = random.Random(7)
    fb = FactBase(backend.url)
    fb.claims(ClaimFilter(subject=corpus.subjects[0]))  # warm the engine and caches
    subjects = rng.choices(corpus.subjects, k=200)
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

    words = [f"{s.split()[0]} visited" for s in rng.choices(corpus.subjects, k=200)]
    p50, p95, found = _latencies(lambda q: fb.claims(ClaimFilter(text=q)), words)
    n = statistics.mean(len(r) for r in found)
    _line(f"full text ('<name> visited') p50 ({n:.0f} rows)", _ms(p50), "<= 2 ms", p50 <= 0.002)
    _line("full text p95", _ms(p95), "", None)

    p50, _p95, verdicts = _latencies(fb.verify, corpus.statements)
    kinds = statistics.multimode(v.get("verdict") for v in verdicts)
    _line(f"verify one statement p50 ({kinds[0]}…)", _ms(p50), "<= 0.5 s", p50 <= 0.5)
    fb.close()

    cli = [sys.executable, "cli.py", "--db", backend.url, "claim", "list"]
    wall = _wall([*cli, "--subject", subjects[0], "--json"], 3)
    _line("CLI claim list --subject X --json (best of 3)", f"{wall:.3f} s", "<= 0.5 s", wall <= 0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--workdir", type=Path, help="default: a temporary directory")
    args = parser.parse_args()
    print(f"bench_scale: {os.cpu_count()} cpus, load average {os.getloadavg()[0]:.2f}")
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "factbase", "cli.py"], cwd=ROOT, check=True
    )
    wall = _wall([sys.executable, "cli.py", "--help"], 5)
    _line("python cli.py --help (best of 5)", f"{wall:.3f} s", "<= 0.2 s", wall <= 0.2)
    base = args.workdir or Path(tempfile.mkdtemp(prefix="fb-scale-"))
    try:
        for name in ("sqlite", "postgresql"):
            if args.db not in (name, "both"):
                continue
            for n_claims in args.claims:
                workdir = base / f"{name}-{n_claims}"
                workdir.mkdir(parents=True, exist_ok=True)
                backend = SQLite(workdir) if name == "sqlite" else PostgreSQL()
                try:
                    run(backend, n_claims, workdir)
                finally:
                    backend.cleanup()
    finally:
        if not args.workdir:
            shutil.rmtree(base, ignore_errors=True)
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
