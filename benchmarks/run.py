"""Every issue-5 and issue-13 figure from one command, each beside its peer and target.

    python benchmarks/run.py                              # SQLite and PostgreSQL, 100k and 1M
    python benchmarks/run.py --sizes 100000 --db sqlite   # a quicker look

Runs ``bench_scale.py`` (import vs ``sqlite-utils insert`` and the bare driver, per phase,
growth, block shape, query latency, verify, CLI wall times), ``bench_memory.py`` (a quote
against a 50 MB document: time and peak RSS vs the driver and ``str.find``) and
``bench_check.py`` (check time and peak RSS vs a raw scan, planted conflicts found) one
after the other, so they never compete for the machine, and prints their output as it comes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    sizes = [str(size) for size in args.sizes]
    commands = [
        [sys.executable, str(HERE / "bench_scale.py"), "--claims", *sizes, "--db", args.db],
        [sys.executable, str(HERE / "bench_memory.py"), "--db", args.db],
        [sys.executable, str(HERE / "bench_check.py"), "--sizes", *sizes, "--db", args.db],
    ]
    failed = 0
    for command in commands:
        shown = [Path(part).name if part.endswith(".py") else part for part in command]
        print(f"\n$ {' '.join(shown)}", flush=True)
        failed |= subprocess.run(command, cwd=HERE.parent, check=False).returncode
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
