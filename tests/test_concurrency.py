"""Concurrent writers (issue 5, item 4): 4 processes import claims while a 5th runs `check`.

Every process is a separate Python interpreter running the real CLI (`factbase.cli.app`,
in-process so that each writer pays the interpreter start once, not ten times) against
the same SQLite file or the same PostgreSQL database. Each writer imports its 1,000
claims as 10 files of 100, so the writers interleave; the claims of each round name
entities that no writer has created yet and that every writer uses, so on PostgreSQL
they race to create them (unique-key violations, retried by `FactBase._write`). The
checker runs `check` in a loop until the writers are done.

Afterwards every claim is present exactly once, with the subject, object and quote its
file gave it, no entity exists twice, fsck passes, and no process printed an error.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text

from factbase import FactBase
from factbase.spans import find_quote

from .conftest import ROOT, SEEDS

WRITERS = 4
IMPORTS = 10
PER_IMPORT = 100
PREDICATE = "concurrently mentions"
TIMEOUT = 180  # seconds for the whole run; it takes 10-16 s per backend on 2 cores

# One writer or the checker: the CLI's own entry point, called in a loop. A retry of
# `FactBase._write` (the database asked to run the transaction again) is counted by
# wrapping `store.backoff`, and reported on stdout as "retries N".
DRIVER = r"""
import sys
from pathlib import Path

import factbase.store as store
from factbase.cli import app

retries = 0
real_backoff = store.backoff


def counting_backoff(attempt):
    global retries
    retries += 1
    real_backoff(attempt)


store.backoff = counting_backoff
role, url, *rest = sys.argv[1:]


def run(*args):
    code = app(["--db", url, *args], standalone_mode=False)
    if code:
        print(f"exit code {code} from {args}", file=sys.stderr)
        sys.exit(code)


if role == "writer":
    for path in rest:
        run("claim", "import", path)
else:  # checker: `check` until the stop file appears, then once more
    stop = Path(rest[0])
    checks = 0
    while not stop.exists():
        run("check", "--json")
        checks += 1
    run("check", "--json")
    print(f"checks {checks + 1}")
print(f"retries {retries}")
"""


def _unique_quotes(fb: FactBase) -> list[tuple[str, str]]:
    """(slug, five-word quote) pairs that occur exactly once in their seed document."""
    quotes = []
    for document in fb.documents():
        body = fb.document(document["slug"], with_text=True)["text"]
        words = body.split()
        for start in range(0, len(words) - 5, 3):
            quote = " ".join(words[start : start + 5])
            if len(find_quote(body, quote)) == 1:
                quotes.append((document["slug"], quote))
    return quotes


def _claim_files(directory: Path, quotes: list[tuple[str, str]]) -> tuple[list[list[Path]], dict]:
    """Each writer's 10 JSONL files, and every claim text → (subject, object, quote, negated)."""
    expected: dict[str, tuple[str, str, str, bool]] = {}
    files: list[list[Path]] = []
    for writer in range(WRITERS):
        paths = []
        for round_ in range(IMPORTS):
            lines = []
            for n in range(PER_IMPORT):
                serial = (writer * IMPORTS + round_) * PER_IMPORT + n
                slug, quote = quotes[serial % len(quotes)]
                # Shared by all writers and new in this round: the entity-creation race.
                subject = f"Round {round_} shared subject {n % 10}"
                if n % 4 == 3:  # some subjects belong to one writer only
                    subject = f"Writer {writer} own subject {n % 3}"
                obj = f"Round {round_} shared object {n % 7}"
                negated = n % 25 == 0  # negations give `check` conflicts to write
                claim_text = f"writer {writer} round {round_} claim {n}: {subject} / {obj}"
                expected[claim_text] = (subject, obj, quote, negated)
                lines.append(
                    json.dumps(
                        {
                            "text": claim_text,
                            "doc": slug,
                            "quote": quote,
                            "subject": subject,
                            "predicate": PREDICATE,
                            "object": obj,
                            "negated": negated,
                        }
                    )
                )
            path = directory / f"writer{writer}-round{round_}.jsonl"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            paths.append(path)
        files.append(paths)
    return files, expected


def _start(role: str, url: str, args: list[str], log: Path) -> tuple[subprocess.Popen, Path]:
    """A driver process whose stdout/stderr go to files (no pipe can fill up and block it)."""
    with log.with_suffix(".out").open("w") as out, log.with_suffix(".err").open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-c", DRIVER, role, url, *args], cwd=ROOT, stdout=out, stderr=err
        )
    return process, log


def _wait(process: subprocess.Popen, deadline: float) -> int:
    try:
        return process.wait(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail(f"process {process.args[3]} still running after {TIMEOUT} s: killed")


def _assert_clean(role: str, code: int, log: Path) -> str:
    out = log.with_suffix(".out").read_text()
    err = log.with_suffix(".err").read_text()
    assert code == 0, f"{role} exited {code}: {err[-2000:]}"
    for bad in ("database is locked", "Traceback", "Error", "error"):
        assert bad not in err, f"{role} printed {bad!r} on stderr:\n{err[-2000:]}"
    return out


@pytest.mark.slow
def test_four_writers_and_a_checker_lose_nothing(fb: FactBase, db_url: str, tmp_path: Path) -> None:
    fb.ingest([SEEDS])
    fb.add_predicate(PREDICATE, "state")
    quotes = _unique_quotes(fb)
    assert len(quotes) >= 500, "the seed documents should give plenty of distinct quotes"
    files, expected = _claim_files(tmp_path, quotes)
    before = fb.counts()

    started = time.monotonic()
    deadline = started + TIMEOUT
    stop = tmp_path / "writers-done"
    checker = _start("checker", db_url, [str(stop)], tmp_path / "checker")
    writers = [
        _start("writer", db_url, [str(p) for p in paths], tmp_path / f"w{i}")
        for i, paths in enumerate(files)
    ]
    writer_codes = [_wait(process, deadline) for process, _log in writers]
    writers_done = time.monotonic()
    stop.touch()
    checker_code = _wait(checker[0], deadline)
    elapsed = time.monotonic() - started

    retries = 0
    for i, ((_process, log), code) in enumerate(zip(writers, writer_codes, strict=True)):
        out = _assert_clean(f"writer {i}", code, log)
        assert _numbers(r"imported (\d+) claims", out) == [PER_IMPORT] * IMPORTS, out
        retries += _numbers(r"retries (\d+)", out)[0]
    out = _assert_clean("checker", checker_code, checker[1])
    checks = _numbers(r"checks (\d+)", out)[0]
    retries += _numbers(r"retries (\d+)", out)[0]
    assert checks >= 2, "the checker should have run `check` while the writers wrote"
    print(
        f"\n{fb.store.dialect}: {WRITERS} writers done in {writers_done - started:.1f} s, "
        f"all in {elapsed:.1f} s; {checks} checks; {retries} transactions retried"
    )

    _assert_every_claim_once(fb, expected)
    _assert_no_duplicate_entities(fb, expected)
    after = fb.counts()
    total = WRITERS * IMPORTS * PER_IMPORT
    assert after["claims"] - before["claims"] == total
    assert after["claim_spans"] - before["claim_spans"] == total
    with fb.store.session() as session:  # one audit event per claim and entity, no more
        events = dict(
            session.execute(text("SELECT target, count(*) FROM events GROUP BY target")).all()
        )
    assert events["claim"] == total
    assert events["entity"] == after["entities"]
    assert fb.fsck() == []
    # A last check on the quiet base agrees with what the concurrent ones stored.
    result = fb.check()
    assert result["new"] == 0 and result["resolved"] == 0
    assert result["claims_checked"] == total
    assert fb.conflicts(status="open"), "the negated claims should conflict with others"


def _numbers(pattern: str, output: str) -> list[int]:
    """The numbers of the whole lines `pattern` matches in a process's output."""
    found = [int(n) for n in re.findall(f"^{pattern}$", output, re.MULTILINE)]
    assert found, f"no line {pattern!r} in:\n{output[-2000:]}"
    return found


def _assert_every_claim_once(fb: FactBase, expected: dict) -> None:
    with fb.store.session() as session:
        rows = session.execute(
            text(
                "SELECT c.text, s.name, o.name, sp.exact, c.polarity FROM claims c"
                " JOIN entities s ON s.id = c.subject_id"
                " JOIN entities o ON o.id = c.object_id"
                " JOIN claim_spans cs ON cs.claim_id = c.id"
                " JOIN spans sp ON sp.id = cs.span_id"
            )
        ).all()
    per_text = Counter(row[0] for row in rows)
    twice = {t: n for t, n in per_text.items() if n > 1}
    assert not twice, f"{len(twice)} claims stored more than once, e.g. {list(twice)[:3]}"
    missing = set(expected) - set(per_text)
    assert not missing, f"{len(missing)} claims lost, e.g. {sorted(missing)[:3]}"
    assert set(per_text) == set(expected)
    # A quote matches across line breaks: compare the stored span's words with it.
    stored = {
        row[0]: (row[1], row[2], " ".join(row[3].split()), row[4] == "negated") for row in rows
    }
    wrong = {t: (stored[t], want) for t, want in expected.items() if stored[t] != want}
    assert not wrong, f"{len(wrong)} claims stored with other fields, e.g. {list(wrong)[:2]}"


def _assert_no_duplicate_entities(fb: FactBase, expected: dict) -> None:
    with fb.store.session() as session:
        names = session.scalars(text("SELECT name FROM entities")).all()
        keys = session.scalars(text("SELECT key FROM entity_aliases")).all()
        orphans = session.scalar(
            text(
                "SELECT count(*) FROM entities"
                " WHERE id NOT IN (SELECT entity_id FROM entity_aliases)"
            )
        )
    assert [n for n, c in Counter(names).items() if c > 1] == []
    assert [k for k, c in Counter(keys).items() if c > 1] == []
    assert len(keys) == len(names), "every entity has exactly its own name as its alias"
    assert orphans == 0
    used = {name for subject, obj, _q, _n in expected.values() for name in (subject, obj)}
    assert set(names) == used, "no entity created but unused (a rolled-back attempt's leftovers)"
