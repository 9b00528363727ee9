"""Truth discovery on the book-author data set of Yin, Han & Yu (KDD 2007) (issue 14).

The data stays in ../shared/data/truth/books (``--data``). It goes in through the normal
import: one document per bookstore listing its books (one line per listing), a single-valued
predicate "authors", and one claim per listing that names someone, quoting its line (listings
whose authors are empty or "Not Available" state nothing and give no claim). Then each method
runs through ``FactBase.truth`` and the value it believes most for each of the 100 gold books
is scored: right when its surnames (``truth.name_key``) equal the gold authors' surnames.

Majority vote over the exact author strings (every listing, no import) is printed as the
baseline the issue names, beside the accuracy the paper reports for TruthFinder.

Run ``python benchmarks/bench_truth.py [--db sqlite|postgresql] [--data DIR]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from factbase import FactBase  # noqa: E402
from factbase.truth import METHODS, name_key, parse_names  # noqa: E402

# ../shared next to the checkout (or next to the worktrees' folder, /work/wt/NAME)
DATA = next(
    (
        up / "shared" / "data" / "truth" / "books"
        for up in Path(__file__).resolve().parents[2:4]
        if (up / "shared" / "data" / "truth" / "books").is_dir()
    ),
    Path("../shared/data/truth/books"),
)
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
# The accuracy Yin, Han & Yu report for TruthFinder on these books (KDD 2007 §5; TKDE 20(6)
# 2008, the book-author experiment). Not set: no stored copy of either paper's experiments
# section, nor of a later paper's re-run (Dong et al. VLDB 2009, Zhao et al. VLDB 2012, Li
# et al. VLDB 2012 / SIGMOD 2014, Pasternack & Roth, Waguih & Berti-Equille 2014), could be
# read; what was searched is in benchmarks/README.md. No figure is quoted from memory: set
# it with its table number once it has been read in the paper.
PAPER_TRUTHFINDER: float | None = None


def read_listings(data: Path) -> list[tuple[str, str, str, str]]:
    """(store, isbn, title, authors) per line of book.txt."""
    with open(data / "book.txt", encoding="utf-8", errors="replace") as lines:
        return [tuple(line.rstrip("\n").split("\t")) for line in lines]  # type: ignore[misc]


def read_gold(data: Path) -> dict[str, tuple[str, ...]]:
    with open(data / "book_golden.txt", encoding="utf-8") as lines:
        return {
            isbn: name_key(authors)
            for isbn, authors in (li.rstrip("\n").split("\t") for li in lines)
        }


def subject(isbn: str) -> str:
    return f"ISBN {isbn}"


def build(url: str, listings: list[tuple[str, str, str, str]], work: Path) -> int:
    """Import the listings as documents and claims; returns the number of claims."""
    by_store: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for store, isbn, title, authors in listings:
        by_store[store].append((isbn, title, authors))
    documents, claims = work / "stores", work / "claims.jsonl"
    documents.mkdir()
    with FactBase(url) as fb:
        fb.add_predicate("authors", kind="attribute", single_valued=True, value_type="string")
        with open(claims, "w", encoding="utf-8") as out:
            for n, (store, books) in enumerate(sorted(by_store.items())):
                slug = f"store-{n:03d}"
                lines = [
                    f"[{i}] ISBN {isbn}: {title} | by {authors}"
                    for i, (isbn, title, authors) in enumerate(books, 1)
                ]
                (documents / f"{slug}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
                fb.ingest([documents / f"{slug}.txt"], publication=store, title=f"{store} listings")
                for line, (isbn, _title, authors) in zip(lines, books, strict=True):
                    if parse_names(authors):
                        claim = {
                            "text": f"{subject(isbn)} is by {authors}",
                            "doc": slug,
                            "quote": line,
                            "subject": subject(isbn),
                            "predicate": "authors",
                            "value": authors,
                        }
                        out.write(json.dumps(claim) + "\n")
        return fb.import_claims(claims)["imported"]


def exact_vote(
    listings: list[tuple[str, str, str, str]], gold: dict[str, tuple[str, ...]]
) -> float:
    """Majority vote over exact author strings, one vote per listing (the issue's baseline)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for _store, isbn, _title, authors in listings:
        votes[isbn][authors] += 1
    right = 0
    for isbn, authors in gold.items():
        best = max(votes[isbn].items(), key=lambda item: (item[1], item[0]))[0]
        right += name_key(best) == authors
    return right / len(gold)


def accuracy(values: list[dict], gold: dict[str, tuple[str, ...]]) -> float:
    best: dict[str, tuple[float, str]] = {}
    for row in values:
        isbn = row["subject"].removeprefix("ISBN ")
        if isbn in gold and (isbn not in best or row["confidence"] > best[isbn][0]):
            best[isbn] = (row["confidence"], row["value"]["text"])
    return sum(
        name_key(best[isbn][1]) == authors for isbn, authors in gold.items() if isbn in best
    ) / len(gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    listings, gold = read_listings(args.data), read_gold(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.db == "sqlite":
            url = f"sqlite:///{work / 'books.db'}"
            drop = None
        else:
            from sqlalchemy import create_engine, text

            name = f"factbase_bench_truth_{int(time.time())}"
            admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            url, drop = f"{PG_SERVER}/{name}", (admin, name)
        try:
            started = time.perf_counter()
            claims = build(url, listings, work)
            print(
                f"imported {len(listings):,} listings as {claims:,} claims "
                f"in {time.perf_counter() - started:.1f} s ({args.db})"
            )
            rows: list[tuple[str, float | None, str]] = [
                ("majority vote, exact strings (baseline)", exact_vote(listings, gold), "")
            ]
            with FactBase(url) as fb:
                for method in METHODS:
                    started = time.perf_counter()
                    values = fb.truth(predicate="authors", method=method)["values"]
                    seconds = time.perf_counter() - started
                    rows.append(
                        (
                            f"factbase truth --method {method}",
                            accuracy(values, gold),
                            f"{seconds:.1f} s",
                        )
                    )
            rows.append(("TruthFinder as reported (Yin, Han & Yu 2007)", PAPER_TRUTHFINDER, "—"))
        finally:
            if drop:
                admin, name = drop
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print(f"\n| method | accuracy on {len(gold)} gold books | time |\n| --- | ---: | ---: |")
    for label, value, seconds in rows:
        shown = "not found (benchmarks/README.md)" if value is None else f"{value:.2f}"
        print(f"| {label} | {shown} | {seconds} |")


if __name__ == "__main__":
    main()
