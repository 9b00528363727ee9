"""Memory and time of a quote against a large document (issue 13, item 4).

    python benchmarks/bench_memory.py                   # SQLite, a 50 MB document
    python benchmarks/bench_memory.py --mb 50 --db both

Builds a base holding one document of N MB (newsroom-like sentences with curly quotes,
dashes and paragraph breaks, one sentence that occurs once, in the middle), then runs each
case in a fresh subprocess and reads its peak RSS (`VmHWM`) against its RSS just before the
call (after the imports and the engine), so the figure is what the call itself needed:

- `FactBase.add_claim` with the unique sentence as the quote (found);
- `FactBase.add_claim` with a quote the document does not hold (the error, with the
  closest passage);
- `FactBase.import_claims` of a one-line JSONL quoting the unique sentence;
- the peer: read the same text from the database with the bare driver and `str.find` it.

Targets: at most 3x the document's size in UTF-8 bytes, at most 2 s per quote.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
UNIQUE = "The delegation from Karovel signed the water treaty on 3 March 2004 in Tashkent."
MISSING = "The delegation from Karovel rejected the water treaty on 3 March 2004 in Bishkek."
SENTENCES = [
    "The ministry did not respond to requests for comment.",
    "Officials declined to give further details about the “programme”.",
    "Analysts in the region – including two former ministers – were divided.",
    "The statement was read out on state television that evening.",
    "Diplomats described the atmosphere as cordial but guarded.",
    "Opposition figures called for a parliament’s inquiry into the deal.",
    "No figures were given for the cost of the programme.",
]

# Runs in the child: RSS before the call, the call, peak RSS and time after it.
CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from factbase.db import FactBase
from factbase.inputs import ClaimInput
from factbase.errors import FactbaseError

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024

case, url, arg = sys.argv[1], sys.argv[2], sys.argv[3]
fb = FactBase(url)
fb.predicates()  # connect and load the models before the baseline
before = status("VmRSS")
started, cpu = time.perf_counter(), time.process_time()
outcome = "ok"
if case == "peer":
    import sqlite3
    import psycopg
    if url.startswith("sqlite"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
    else:
        connection = psycopg.connect(url.replace("postgresql+psycopg", "postgresql"))
    text = connection.execute("SELECT text FROM documents").fetchone()[0]
    outcome = str(text.find(arg))
elif case == "import":
    try:
        outcome = str(fb.import_claims(arg)["imported"])
    except FactbaseError as error:
        outcome = str(error)[:60]
else:
    inp = ClaimInput(text=arg, doc="big", quote=arg, subject="Karovel", predicate="signed")
    try:
        outcome = str(fb.add_claim(inp)["id"])
    except FactbaseError as error:
        outcome = str(error)[:60]
elapsed = time.perf_counter() - started
used = status("VmHWM") - before
print(json.dumps({{"seconds": elapsed, "cpu": time.process_time() - cpu, "used": used,
                  "peak": status("VmHWM"), "outcome": outcome}}))
"""


def document(path: Path, megabytes: int) -> int:
    """Write the big document; returns its size in UTF-8 bytes."""
    rng = random.Random(13)
    target = megabytes * 1_000_000
    parts, size, placed = [], 0, False
    while size < target:
        paragraph = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 8)))
        if not placed and size >= target // 2:
            paragraph += " " + UNIQUE
            placed = True
        parts.append(paragraph)
        size += len(paragraph.encode()) + 2
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return path.stat().st_size


def measure(case: str, url: str, arg: str) -> dict:
    child = CHILD.format(root=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", child, case, url, arg],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(url: str, name: str, workdir: Path, megabytes: int) -> None:
    from factbase.db import FactBase

    path = workdir / "big.txt"
    size = document(path, megabytes)
    fb = FactBase(url)
    fb.add_predicate("signed", "event")
    fb.ingest([path], slug="big", date="2004-03-10")
    fb.close()
    line = {"text": UNIQUE, "doc": "big", "quote": UNIQUE, "subject": "Karovel"}
    jsonl = workdir / "one.jsonl"
    jsonl.write_text(json.dumps({**line, "predicate": "signed"}) + "\n", encoding="utf-8")
    print(f"\n== {name}: one document of {size / 1e6:.1f} MB; load {os.getloadavg()[0]:.2f}")
    limit = 3 * size
    cases = [
        ("claim add, unique quote", "add", UNIQUE),
        ("claim add, quote not there", "add", MISSING),
        ("claim import, one line", "import", str(jsonl)),
        ("peer: driver read + str.find", "peer", UNIQUE),
    ]
    for label, case, arg in cases:
        found = measure(case, url, arg)
        mem_ok = found["used"] <= limit
        time_ok = found["seconds"] <= 2
        mark = "" if case == "peer" else ("ok" if mem_ok and time_ok else "MISSED")
        print(
            f"  {label:<30} {found['seconds']:5.2f} s (cpu {found['cpu']:5.2f} s)"
            f" {found['used'] / 1e6:6.1f} MB used"
            f" ({found['used'] / size:4.2f}x; peak RSS {found['peak'] / 1e6:6.1f} MB)"
            f"   target <= 2 s, <= 3x  {mark}   [{found['outcome']}]"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=50, help="document size in MB")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fb-memory-") as tmp:
        workdir = Path(tmp)
        if args.db in ("sqlite", "both"):
            run(f"sqlite:///{workdir / 'memory.db'}", "SQLite", workdir, args.mb)
        if args.db in ("postgresql", "both"):
            import psycopg

            server = PG_SERVER.replace("postgresql+psycopg", "postgresql")
            with psycopg.connect(server, autocommit=True) as connection:
                connection.execute("DROP DATABASE IF EXISTS fb_memory")
                connection.execute("CREATE DATABASE fb_memory")
            try:
                run(PG_SERVER.rsplit("/", 1)[0] + "/fb_memory", "PostgreSQL", workdir, args.mb)
            finally:
                with psycopg.connect(server, autocommit=True) as connection:
                    connection.execute("DROP DATABASE IF EXISTS fb_memory WITH (FORCE)")


if __name__ == "__main__":
    main()
