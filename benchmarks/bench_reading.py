"""The reading layer against the peer a developer would reach for (issue 11, section 2).

    python benchmarks/bench_reading.py [--names 20000] [--repeat 20]

- numbers: the share of written quantities read to the right value, `reading.numbers`
  against text2num's `alpha2digit` + the old digits-and-scale regex (what factbase used
  before), on the forms the issue lists;
- mentions: time to index a vocabulary of N person names and to find them in a 5 kB text,
  against one compiled regular expression alternating every name (longest first);
- per 5 kB document: quantities, cues of every sentence, mentions — what `suggest` pays.

The seed texts are the 5 kB documents (shipped in seeds/); nothing is downloaded.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factbase.reading.cues import read_cues  # noqa: E402
from factbase.reading.mentions import EntityName, PredicateName, Vocabulary, mentions  # noqa: E402
from factbase.reading.numbers import quantities  # noqa: E402

# (text, the value a reader must give). Forms from the issue and from the seed corpus.
NUMBERS = [
    ("42 million euros", 42e6),
    ("€42m", 42e6),
    ("EUR 42 million", 42e6),
    ("US$5bn", 5e9),
    ("some 130 servicemen", 130),
    ("1,700", 1700),
    ("nearly 500", 500),
    ("four Japanese engineers", 4),
    ("thirteen", 13),
    ("forty-two million euros", 42e6),
    ("a hundred and thirty", 130),
    ("one hundred thirty", 130),
    ("nineteen ninety-six", 1996),
    ("seven hundred thousand", 7e5),
    ("3.5 million tonnes", 3.5e6),
    ("twenty-one", 21),
    ("£300,000", 3e5),
    ("12 per cent", 12),
    ("two thousand and six", 2006),
    ("a million", 1e6),
]
_OLD = re.compile(
    r"(?<![\w.,])(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d+))?(?![\d])"
    r"(?:\s*(?P<word>thousand|million|billion|mn|bn|m|k)\b)?",
    re.IGNORECASE,
)
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "mn": 1e6, "bn": 1e9, "m": 1e6, "k": 1e3}


def _peer_value(text: str) -> float | None:
    """What factbase read before: text2num's alpha2digit, then digits and a scale word."""
    from text_to_num import alpha2digit

    found = _OLD.search(alpha2digit(text, "en"))
    if not found:
        return None
    number = float(found["whole"].replace(",", "") + "." + (found["fraction"] or "0"))
    return number * _SCALE[found["word"].lower()] if found["word"] else number


def _ours(text: str) -> float | None:
    found = quantities(text)
    return found[0].value if found else None


def _best(work: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    print("numbers: share of written quantities read to the right value")
    ours = sum(_ours(text) == value for text, value in NUMBERS)
    try:
        peer = sum(_peer_value(text) == value for text, value in NUMBERS)
        peer_shown = f"{peer}/{len(NUMBERS)}"
    except ImportError:
        peer_shown = "text2num not installed"
    print(f"  reading.numbers {ours}/{len(NUMBERS)}   text2num + regex {peer_shown}")
    for text, value in NUMBERS:
        if _ours(text) != value:
            print(f"  missed: {text!r} → {_ours(text)} (wanted {value})")

    documents = [p.read_text("utf-8")[:5000] for p in sorted((ROOT / "seeds").glob("*.txt"))]
    names = [f"Person{i} Surname{i}" for i in range(args.names)]
    text = documents[0] + " Person7 Surname7 met Person9999 Surname9999."
    started = time.perf_counter()
    vocabulary = Vocabulary(
        [EntityName(i, name, "person") for i, name in enumerate(names)],
        [PredicateName(1, "left", ("withdrew from", "abandoned"))],
    )
    ours_index = time.perf_counter() - started
    started = time.perf_counter()
    alternation = re.compile(
        r"\b(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b",
        re.IGNORECASE,
    )
    peer_index = time.perf_counter() - started
    mentions(text, vocabulary)
    ours_find = _best(lambda: mentions(text, vocabulary), args.repeat)
    peer_find = _best(lambda: alternation.findall(text), args.repeat)
    print(f"mentions, {args.names:,} names, 5 kB text (best of {args.repeat})")
    print(f"  index: reading.mentions {ours_index * 1e3:.0f} ms, regex {peer_index * 1e3:.0f} ms")
    print(f"  find: reading.mentions {ours_find * 1e3:.1f} ms, regex {peer_find * 1e3:.1f} ms")

    sentences = [re.split(r"(?<=[.!?])\s+", doc) for doc in documents]
    per_doc = {
        "quantities": _best(lambda: [quantities(d) for d in documents], args.repeat),
        "cues": _best(lambda: [read_cues(s) for doc in sentences for s in doc], args.repeat),
        "mentions": _best(lambda: [mentions(d, vocabulary) for d in documents], args.repeat),
    }
    total = sum(per_doc.values()) / len(documents)
    shown = ", ".join(f"{k} {v / len(documents) * 1e3:.1f} ms" for k, v in per_doc.items())
    print(f"per 5 kB document: {shown}; total {total * 1e3:.1f} ms")
    print(f"  10,000 documents: {total * 1e4:.0f} s of reading (suggest's budget: 60 s in all)")


if __name__ == "__main__":
    main()
