"""The import's shortcuts in quote matching agree with the general path, character for character.

`_unify` handles ASCII text with one translate instead of the regex passes, and
`_canonical` returns a quote unchanged when nothing would touch it; both must give what
the passes and `normalize_for_match` give, on every ASCII character and on random mixes
of the characters the normalisation treats specially.
"""

from __future__ import annotations

import random

from factbase import spans

SPECIAL = "‘’‚‛′ʼ‹›“”„‟″«»‐‑‒–—―−…\u00a0\u2009\u3000"
ASCII = "".join(chr(c) for c in range(128))


def _passes(s: str) -> str:
    for pattern, replacement in spans._UNIFY:
        s = pattern.sub(replacement, s)
    return s


def test_ascii_translate_matches_the_regex_passes() -> None:
    assert spans._unify(ASCII) == _passes(ASCII)
    for c in ASCII:
        assert spans._unify(f"a{c}b") == _passes(f"a{c}b"), repr(c)


def test_canonical_matches_normalize_for_match() -> None:
    rng = random.Random(5)
    alphabets = (ASCII, "ab -'\"\t\n\x0b\x1f\x00" + SPECIAL)
    for n in range(20_000):
        alphabet = alphabets[n % 2]
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        assert spans._unify(s) == _passes(s), repr(s)
        assert spans._canonical(s) == spans.normalize_for_match(s)[0], repr(s)
