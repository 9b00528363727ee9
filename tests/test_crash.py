"""Crash safety (issue 5, item 5): a killed or interrupted `claim import` is all or nothing.

A 50,000-claim JSONL file (each claim quoting one sentence of a synthetic document) is
imported by `python cli.py claim import` in a subprocess, which is killed with SIGKILL
at a random moment, 20 times: afterwards the base holds none or all of that import's
claims (none: every table's row count is as before), and fsck passes. A "probe" tells
whether the import's write transaction was open just before the kill (SQLite: the
write lock is taken; PostgreSQL: the client's backend is inside a transaction), so the
test can assert that some kills really landed mid-import, not only before the import
began or after it ended.

Kill moments are random (a seeded `random.Random`): the even runs kill at a delay from
the launch, the odd runs at a delay from the moment the transaction is seen open (so
that kills mid-import happen however short the import becomes). Delays are drawn
log-uniformly, from 0.05 s (or 0.01 s) up to the horizon: a little more than one full
import's duration (measured first, on SQLite), capped at HORIZON_CAP so that the test
stays under two minutes while a 50k import takes over half a minute (SQLite) or about a
minute (PostgreSQL, where the measuring import is skipped for that reason; the full
import's "all" is checked on SQLite, and by test_concurrency on both). Log-uniform
delays reach every phase (interpreter start, schema check, file reading, the batches in
the transaction) at the cost of a few imports, not of the ten that uniform ones would.

Ctrl-C (SIGINT) mid-import prints exactly one line (after the blank line that ends the
interrupted terminal line), exits 130 and leaves the base as it was.
"""

from __future__ import annotations

import json
import math
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from factbase import FactBase

from .conftest import ROOT

CLAIMS = 50_000
SENTENCES = 4_000
KILLS = 20
PREDICATE = "reports"
APP_NAME = "factbase-crash-test"  # PostgreSQL application_name of the importing client
WORDS = ("river", "bridge", "harbour", "council", "station", "market", "museum", "tunnel")
HORIZON_CAP = 12.0  # seconds
INTERRUPTED = "\ninterrupted: nothing was changed\n"


def _sentence(i: int) -> str:
    return f"Bulletin {i:05d} notes that the {WORDS[i % len(WORDS)]} stayed open."


def _base(fb: FactBase, directory: Path) -> None:
    """One synthetic document of distinct sentences, and the predicate the claims use."""
    document = directory / "synthetic.txt"
    body = " ".join(_sentence(i) for i in range(SENTENCES))
    document.write_text(f"Synthetic wire\n\n{body}\n", encoding="utf-8")
    fb.ingest([document], slug="synthetic", date="2001-02-03")
    fb.add_predicate(PREDICATE, "state")


def _claims_file(directory: Path, marker: str, sentences: int = SENTENCES) -> Path:
    """CLAIMS claims whose texts and subjects start with `marker` (so each import is
    countable on its own); quotes cycle through the first `sentences` sentences."""
    path = directory / f"{marker}.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i in range(CLAIMS):
            claim = {
                "text": f"{marker} claim {i}",
                "doc": "synthetic",
                "quote": _sentence(i % sentences),
                "subject": f"{marker} subject {i % 1000}",
                "predicate": PREDICATE,
            }
            handle.write(json.dumps(claim) + "\n")
    return path


def _marked(fb: FactBase, marker: str) -> tuple[int, int]:
    """(claims, entities) of one import, found by its marker."""
    with fb.store.session() as session:
        claims = session.scalar(
            text("SELECT count(*) FROM claims WHERE text LIKE :m"), {"m": f"{marker} claim %"}
        )
        entities = session.scalar(
            text("SELECT count(*) FROM entities WHERE name LIKE :m"), {"m": f"{marker} subject %"}
        )
    return claims or 0, entities or 0


def _cli_url(db_url: str) -> str:
    """The URL the importing subprocess uses: on PostgreSQL, tagged so the probe finds it."""
    url = make_url(db_url)
    if url.get_backend_name() == "postgresql":
        url = url.update_query_dict({"application_name": APP_NAME})
    return url.render_as_string(hide_password=False)


def _probe(db_url: str) -> Callable[[], bool]:
    """A function telling whether some client holds an open write transaction."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        path = url.database

        def sqlite_busy() -> bool:
            connection = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                assert "locked" in str(error) or "busy" in str(error), error
                return True
            else:
                connection.execute("ROLLBACK")
                return False
            finally:
                connection.close()

        return sqlite_busy

    engine = create_engine(db_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        " AND application_name = :name AND xact_start IS NOT NULL"
    )

    def pg_busy() -> bool:
        with engine.connect() as connection:
            return bool(connection.scalar(query, {"name": APP_NAME}))

    return pg_busy


def _interruptible() -> None:
    """In the child: Ctrl-C's default disposition, as in a terminal. A shell gives its
    background jobs SIGINT ignored, Python then installs no KeyboardInterrupt handler,
    and a suite started with `&` or nohup would see the import ignore the signal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextmanager
def _import(
    url: str, path: Path, stderr: Path, stdout: Path | None = None
) -> Iterator[subprocess.Popen]:
    """`python cli.py claim import` in the background, its output going to files; killed
    on the way out if a failing assertion left it running."""
    with (stdout or Path("/dev/null")).open("w") as out, stderr.open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "cli.py", "--db", url, "claim", "import", str(path)],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            preexec_fn=_interruptible,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _wait_for_transaction(process: subprocess.Popen, busy: Callable[[], bool]) -> float:
    """Wait until the import's transaction is open (seen on two probes 30 ms apart, so a
    short read of the schema revision does not count); returns seconds waited."""
    started = time.monotonic()
    seen = False
    while time.monotonic() - started < 60:
        assert process.poll() is None, f"import ended (exit {process.returncode}) too soon"
        now = busy()
        if now and seen:
            return time.monotonic() - started
        seen = now
        time.sleep(0.03)
    pytest.fail("the import did not open its transaction within 60 s")


@dataclass
class Outcome:
    delay: float  # from the launch (even runs) or from the transaction's opening (odd)
    mid: bool  # the transaction was open just before the kill, and nothing was committed
    committed: bool


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(max(high, 2 * low))))


@pytest.mark.slow
def test_sigkill_mid_import_leaves_none_or_all(
    fb: FactBase, db_url: str, backend: str, tmp_path: Path
) -> None:
    started = time.monotonic()
    _base(fb, tmp_path)
    url, busy = _cli_url(db_url), _probe(db_url)
    rng = random.Random(f"factbase crash test {backend}")

    duration = math.nan
    if backend == "sqlite":  # one full import: measures the horizon, and "all" must hold
        path = _claims_file(tmp_path, "full", sentences=SENTENCES // 2)
        before = fb.counts()
        t0 = time.monotonic()
        with _import(url, path, tmp_path / "full.err") as process:
            assert process.wait(timeout=600) == 0, (tmp_path / "full.err").read_text()
        duration = time.monotonic() - t0
        assert _marked(fb, "full") == (CLAIMS, 1000)
        assert fb.counts()["claims"] - before["claims"] == CLAIMS
        assert fb.fsck() == []
    horizon = min(1.1 * duration, HORIZON_CAP) if backend == "sqlite" else HORIZON_CAP

    outcomes: list[Outcome] = []
    for run in range(KILLS):
        marker = f"kill{run:02d}"
        path = _claims_file(tmp_path, marker)
        before = fb.counts()
        err = tmp_path / f"{marker}.err"
        t0 = time.monotonic()
        with _import(url, path, err) as process:
            if run % 2:
                opened = _wait_for_transaction(process, busy)
                t0 += opened
                delay = _log_uniform(rng, 0.01, horizon - opened)
            else:
                delay = _log_uniform(rng, 0.05, horizon)
            time.sleep(max(0.0, t0 + delay - 0.03 - time.monotonic()))
            open_before = busy()
            time.sleep(max(0.0, t0 + delay - time.monotonic()))
            open_at_kill = busy()
            process.send_signal(signal.SIGKILL)
            code = process.wait(timeout=60)
        assert code in (0, -signal.SIGKILL), f"import failed (exit {code}): {err.read_text()}"

        claims, entities = _marked(fb, marker)
        after = fb.counts()
        if claims == 0:
            assert code != 0, "a finished import must have stored its claims"
            assert entities == 0, f"run {run}: the rolled-back import left entities behind"
            assert after == before, f"run {run}: a killed import changed the base"
        else:
            assert (claims, entities) == (CLAIMS, 1000), f"run {run}: a partial import"
            assert after["claims"] - before["claims"] == CLAIMS
            assert after["claim_spans"] - before["claim_spans"] == CLAIMS
        assert fb.fsck() == [], f"run {run}: fsck failed after a kill at {delay:.2f} s"
        outcomes.append(Outcome(delay, open_before and open_at_kill and claims == 0, claims > 0))
        path.unlink()

    mid = [o for o in outcomes if o.mid]
    early = [o for o in outcomes if not o.mid and not o.committed]
    done = [o for o in outcomes if o.committed]
    timed = "not timed" if math.isnan(duration) else f"{duration:.1f} s"
    print(
        f"\n{backend}: full import {timed}, horizon {horizon:.1f} s; "
        f"{len(mid)} kills mid-import, {len(early)} before the transaction, "
        f"{len(done)} after the commit; delays (* = mid-import) "
        + ", ".join(f"{o.delay:.2f}{'*' if o.mid else ''}" for o in outcomes)
        + f"; test took {time.monotonic() - started:.0f} s"
    )
    assert len(mid) >= KILLS // 4, "too few kills landed while the import's transaction was open"


@pytest.mark.slow
def test_sigint_mid_import_prints_one_line_and_changes_nothing(
    fb: FactBase, db_url: str, tmp_path: Path
) -> None:
    _base(fb, tmp_path)
    url, busy = _cli_url(db_url), _probe(db_url)
    path = _claims_file(tmp_path, "interrupted")
    before = fb.counts()
    for extra in (0.0, 0.4, 1.5):  # right after the transaction opens, and later in it
        out, err = tmp_path / "out", tmp_path / "err"
        with _import(url, path, err, out) as process:
            _wait_for_transaction(process, busy)
            time.sleep(extra)
            assert process.poll() is None, "the import finished before it could be interrupted"
            process.send_signal(signal.SIGINT)
            code = process.wait(timeout=60)
        said = err.read_text()
        assert (code, out.read_text(), said) == (130, "", INTERRUPTED), f"exit {code}: {said}"
        assert _marked(fb, "interrupted") == (0, 0)
        assert fb.counts() == before
        assert fb.fsck() == []
