"""Benchmark of `factbase check` (issue 3, Performance) against a raw scan of the same rows.

For each size: build a synthetic base (not timed, see synthetic.py), then, each in a fresh
subprocess so that peak RSS (VmHWM) belongs to that measurement alone:

* baseline — a plain driver-level scan (sqlite3 / psycopg) of the rows the check reads:
  active claims JOIN claim_spans JOIN spans ORDER BY subject_id, id, all rows fetched
  (run twice, the faster counts, so the check never gets the warmer cache);
* check — ``factbase.conflicts.run_check`` in one session, commit included (first run:
  every conflict and corroboration is new and written);
* re-check — the same again on the now-checked base (nothing new: the steady state).

Run ``python benchmarks/bench_check.py [--sizes 100000 1000000] [--db sqlite|postgresql|both]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

if TYPE_CHECKING:
    from benchmarks.synthetic import Generated

# SQLAlchemy and factbase are imported where used, so that a measurement subprocess loads
# only what it measures (the baseline scan never imports them).

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TARGET_SECONDS = 10.0
TARGET_RSS_MIB = 1024.0
TARGET_SCALING = 12.0
TARGET_SIZE = 1_000_000
SCAN_SQL = (
    "SELECT c.id, c.subject_id, c.predicate_id, c.object_id, c.value_text, c.value_number,"
    " c.value_unit, c.value_date, c.polarity, c.time_earliest, c.time_latest, s.document_id"
    " FROM claims c JOIN claim_spans cs ON cs.claim_id = c.id JOIN spans s ON s.id = cs.span_id"
    " WHERE c.status = 'active' ORDER BY c.subject_id, c.id"
)


def peak_rss_mib() -> float:
    """This process's peak resident set size in MiB.

    VmHWM (Linux) rather than getrusage's ru_maxrss: a child started by subprocess inherits
    its parent's high-water mark in ru_maxrss (the kernel carries it across exec), so after
    the parent generated a large base, every child would report the parent's peak.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# Measurements: each runs in its own subprocess and prints one JSON line ---------------------


def measure_baseline(url: str) -> dict[str, Any]:
    """Scan the check's rows with the bare driver, fetching every row."""
    if url.startswith("sqlite:///"):
        import sqlite3

        connection: Any = sqlite3.connect(url.removeprefix("sqlite:///"))
    else:
        import psycopg

        connection = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1))
    rss_before = peak_rss_mib()
    started = time.perf_counter()
    cursor = connection.cursor()
    cursor.execute(SCAN_SQL)
    rows = len(cursor.fetchall())
    seconds = time.perf_counter() - started
    connection.close()
    return {"seconds": seconds, "rows": rows, "rss_mib": peak_rss_mib(), "rss_start": rss_before}


def measure_check(url: str, workers: int | None) -> dict[str, Any]:
    """`run_check` in one write session (the commit is inside the timing), as `factbase check`.

    Peak RSS adds each worker's peak (ru_maxrss of the largest, times the number of workers)
    to this process's: an upper bound, since a forked worker's RSS counts the pages it still
    shares with its parent.
    """
    from factbase.conflicts import run_check, worker_count
    from factbase.store import Store, make_engine

    store = Store(make_engine(url))
    rss_before = peak_rss_mib()
    started = time.perf_counter()
    with store.session(write=True) as session:
        parts = worker_count(session, workers)
        result = run_check(session, workers)
    seconds = time.perf_counter() - started
    store.engine.dispose()
    worker_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 if parts > 1 else 0
    return {
        "seconds": seconds,
        "workers": parts,
        "worker_rss_mib": worker_rss,
        "rss_mib": peak_rss_mib() + parts * worker_rss,
        "rss_start": rss_before,
        "claims_checked": result["claims_checked"],
        "new": result["new"],
        "corroborations": result["corroborations"],
        "conflicts": len(result["conflicts"]),
    }


def profile_check(url: str, top: int) -> None:
    """cProfile and tracemalloc of one `run_check` (slow; for finding hot spots only)."""
    import cProfile
    import pstats
    import tracemalloc

    from factbase.conflicts import run_check
    from factbase.store import Store, make_engine

    store = Store(make_engine(url))
    profiler = cProfile.Profile()
    with store.session() as session:
        profiler.enable()
        run_check(session)
        profiler.disable()
        session.rollback()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    tracemalloc.start(12)
    with store.session() as session:
        run_check(session)
        current, peak = tracemalloc.get_traced_memory()
        snapshot = tracemalloc.take_snapshot()
        session.rollback()
    print(f"tracemalloc: {current / 2**20:.1f} MiB live at the end, {peak / 2**20:.1f} MiB peak")
    for stat in snapshot.statistics("traceback")[:top]:
        print(f"{stat.size / 2**20:8.1f} MiB {stat.count:>9,} blocks")
        for line in stat.traceback.format(limit=4):
            print("   ", line)
    store.engine.dispose()


def run_measurement(kind: str, url: str, workers: int | None = None) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and return its JSON result."""
    extra = ["--workers", str(workers)] if workers else []
    completed = subprocess.run(
        [sys.executable, __file__, "--measure", kind, "--url", url, *extra],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{kind} measurement failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# Databases -------------------------------------------------------------------------------------


class Database:
    """A throwaway database for one size: a SQLite file or a PostgreSQL database.

    `snapshot` keeps a copy of the freshly generated base (a file copy, or a template
    database) and `restore` puts it back, so that every check run starts from the same
    unchecked state.
    """

    def __init__(self, backend: str, size: int, workdir: Path):
        self.backend = backend
        if backend == "sqlite":
            self.path = workdir / f"bench-{size}.db"
            self.copy = workdir / f"bench-{size}.pristine.db"
            self.url = f"sqlite:///{self.path}"
            self.drop()
        else:
            from sqlalchemy import make_url

            self.name = f"factbase_bench_{size}_{uuid.uuid4().hex[:8]}"
            self.url = make_url(PG_SERVER).set(database=self.name).render_as_string(False)
            self._admin(f'CREATE DATABASE "{self.name}"')

    def _admin(self, *statements: str) -> None:
        from sqlalchemy import create_engine, text

        admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
        admin.dispose()

    def snapshot(self) -> None:
        if self.backend == "sqlite":
            shutil.copyfile(self.path, self.copy)  # generate() leaves no WAL behind
        else:
            self._admin(f'CREATE DATABASE "{self.name}_pristine" TEMPLATE "{self.name}"')

    def restore(self) -> None:
        if self.backend == "sqlite":
            for wal in self.path.parent.glob(f"{self.path.name}-*"):
                wal.unlink()
            shutil.copyfile(self.copy, self.path)
        else:
            self._admin(
                f'DROP DATABASE "{self.name}" WITH (FORCE)',
                f'CREATE DATABASE "{self.name}" TEMPLATE "{self.name}_pristine"',
            )

    def drop(self) -> None:
        if self.backend == "sqlite":
            for path in (self.path, self.copy):
                for leftover in path.parent.glob(f"{path.name}*"):
                    leftover.unlink()
        else:
            self._admin(
                f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)',
                f'DROP DATABASE IF EXISTS "{self.name}_pristine" WITH (FORCE)',
            )


@contextmanager
def database(backend: str, size: int, workdir: Path, keep: bool) -> Iterator[Database]:
    """A new, empty database for one size, dropped afterwards unless `keep`."""
    db = Database(backend, size, workdir)
    try:
        yield db
    finally:
        if not keep:
            db.drop()


def stored_conflicts(url: str) -> set[tuple[int, int, str]]:
    from sqlalchemy import create_engine, select

    from factbase.models import Conflict

    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(select(Conflict.claim_a_id, Conflict.claim_b_id, Conflict.rule))
        found = {(a, b, rule) for a, b, rule in rows}
    engine.dispose()
    return found


# The run ---------------------------------------------------------------------------------------


@dataclass
class Result:
    backend: str
    size: int
    generated: Generated
    baseline: dict[str, Any]
    check: dict[str, Any]
    recheck: dict[str, Any]
    found: set[tuple[int, int, str]] = field(default_factory=set)

    @property
    def ratio(self) -> float:
        return self.check["seconds"] / self.baseline["seconds"]


def target(value: float, limit: float, applies: bool, unit: str = "") -> str:
    """'(target ≤ 10 s: ok)' next to a figure the issue sets a target for."""
    if not applies:
        return ""
    verdict = "ok" if value <= limit else "MISSED"
    return f" (target ≤ {limit:g}{unit}: {verdict})"


def report(result: Result) -> Iterator[str]:
    from benchmarks.synthetic import iter_summary

    at_target = result.size == TARGET_SIZE
    planted, found = result.generated.planted, result.found
    check, recheck, baseline = result.check, result.recheck, result.baseline
    yield f"== {result.backend}, {result.size:,} claims"
    yield from (f"   data: {line}" for line in iter_summary(result.generated))
    yield (
        f"   baseline scan  {baseline['seconds']:7.2f} s   {baseline['rows']:,} rows, "
        f"peak RSS {baseline['rss_mib']:.0f} MiB"
    )
    runs = check.get("all_seconds", [])
    yield (
        f"   check          {check['seconds']:7.2f} s"
        f"{target(check['seconds'], TARGET_SECONDS, at_target, ' s')}"
        + (f"   fastest of {', '.join(f'{x:.2f}' for x in runs)}" if len(runs) > 1 else "")
    )
    yield f"   check/baseline {result.ratio:7.1f}×"
    yield (
        f"   peak RSS       {check['rss_mib']:7.0f} MiB"
        f"{target(check['rss_mib'], TARGET_RSS_MIB, at_target, ' MiB')}"
        f" ({check['rss_start']:.0f} MiB after imports"
        + (
            f"; {check['workers']} workers, each ≤ {check['worker_rss_mib']:.0f} MiB, counted in"
            if check["workers"] > 1
            else ""
        )
        + ")"
    )
    yield (
        f"   re-check       {recheck['seconds']:7.2f} s   peak RSS {recheck['rss_mib']:.0f} MiB"
        f" (nothing new: {recheck['new']} new)"
    )
    yield (
        f"   conflicts      {len(found):,} found vs {len(planted):,} planted "
        f"({len(found & planted):,} planted found, {len(planted - found):,} missed, "
        f"{len(found - planted):,} unplanted); {check['corroborations']:,} corroborations"
    )


def run(
    backend: str, size: int, workdir: Path, keep: bool, repeat: int, workers: int | None
) -> Result:
    """Generate, then measure: baseline twice, check `repeat` times (each on the unchecked
    base, the fastest counts), then one re-check of the checked base."""
    from benchmarks.synthetic import generate

    with database(backend, size, workdir, keep) as db:
        generated = generate(db.url, size)
        if repeat > 1:
            db.snapshot()
        baseline = min(
            (run_measurement("baseline", db.url) for _ in range(2)), key=lambda m: m["seconds"]
        )
        checks = []
        for attempt in range(repeat):
            if attempt:
                db.restore()
            checks.append(run_measurement("check", db.url, workers))
        check = min(checks, key=lambda m: m["seconds"])
        check["all_seconds"] = [m["seconds"] for m in checks]
        check["rss_mib"] = max(m["rss_mib"] for m in checks)
        recheck = run_measurement("check", db.url, workers)
        result = Result(backend, size, generated, baseline, check, recheck)
        result.found = stored_conflicts(db.url)
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--workdir", type=Path, help="where SQLite files go (default: a tmpdir)")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument(
        "--repeat", type=int, default=1, help="check runs per size, each on the unchecked base"
    )
    parser.add_argument(
        "--workers", type=int, help="check worker processes (default: factbase's own choice)"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile/tracemalloc a check")
    parser.add_argument("--measure", choices=["baseline", "check"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        if args.measure == "baseline":
            print(json.dumps(measure_baseline(args.url)))
        else:
            print(json.dumps(measure_check(args.url, args.workers)))
        return
    backends = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    with tempfile.TemporaryDirectory(prefix="factbase-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        for backend in backends:
            results = []
            for size in sorted(args.sizes):
                if args.profile:
                    from benchmarks.synthetic import generate

                    with database(backend, size, workdir, keep=False) as db:
                        generate(db.url, size)
                        profile_check(db.url, top=25)
                    continue
                results.append(run(backend, size, workdir, args.keep, args.repeat, args.workers))
                for line in report(results[-1]):
                    print(line, flush=True)
            if len(results) > 1:
                small, large = results[0], results[-1]
                scaling = large.check["seconds"] / small.check["seconds"]
                raw_scaling = large.baseline["seconds"] / small.baseline["seconds"]
                tenfold = large.size == 10 * small.size
                print(
                    f"== {backend}: time({large.size:,})/time({small.size:,}) = {scaling:.1f}"
                    f"{target(scaling, TARGET_SCALING, tenfold)}"
                    f"; baseline scaling {raw_scaling:.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
