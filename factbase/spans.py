"""Locate a quote in a document text and turn it into a span.

Users type quotes with straight quotes, hyphens and their own line breaks while
documents carry curly quotes, en/em dashes, non-breaking spaces and wrapped
lines. Matching therefore runs on a canonical form of both strings, and every
canonical character remembers the original character it came from, so that a
match maps back to the document's own characters and offsets
(``text[start:end] == exact``, the span invariant). Pure functions, no database.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from factbase.display import context_parts
from factbase.errors import AmbiguousQuote, QuoteNotFound

CONTEXT = 32
"Characters of prefix/suffix kept with a span (W3C TextQuoteSelector)"

# One-character replacements keep offsets intact; a few C-level regex passes
# beat str.translate, whose per-character table lookup is slow on non-ASCII text.
_UNIFY = (
    (re.compile(r"[^\S ]"), " "),
    (re.compile("[‘’‚‛′ʼ‹›]"), "'"),
    (re.compile("[“”„‟″«»]"), '"'),
    (re.compile("[‐‑‒–—―−]"), "-"),
)
# Applied after unifying, so only spaces, "-" and "…" remain to handle: spaces
# around a dash vanish, other runs of spaces become one, "…" becomes "...".
_RESHAPE = re.compile(r" (?: *- *| +)|- +|…")
# Whatever either step would touch; a string without it is its own canonical form.
_TOUCHED = re.compile("|".join([p.pattern for p, _ in _UNIFY] + ["  ", " -", "- ", "…"]))
# In ASCII text only control characters are whitespace besides the space, and none of the
# other characters unifying replaces occur: one translate does what the passes do.
_ASCII_UNIFY = str.maketrans(dict.fromkeys("\t\n\v\f\r\x1c\x1d\x1e\x1f", " "))
_WHITESPACE = re.compile(r"\s+")
_SHOWN_OCCURRENCES = 5
_SHOWN_CHARS = 120


@dataclass(frozen=True, slots=True)
class Match:
    """A located quote: a TextPositionSelector plus a TextQuoteSelector.

    ``start``/``end`` are offsets into the original text (end exclusive) and
    ``exact == text[start:end]``; ``prefix``/``suffix`` hold up to ``CONTEXT``
    characters on either side so the span can be re-anchored if offsets drift.
    """

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def make_match(text: str, start: int, end: int) -> Match:
    "Build the span for ``text[start:end]``; the only place a Match is made, so it stays valid"
    if not 0 <= start < end <= len(text):
        raise ValueError(f"invalid span [{start}, {end}) for a text of {len(text)} characters")
    return Match(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
    )


def _unify(s: str) -> str:
    """The one-character replacements of `_UNIFY`, ASCII text in a single translate."""
    if s.isascii():
        return s.translate(_ASCII_UNIFY)
    for pattern, replacement in _UNIFY:
        s = pattern.sub(replacement, s)
    return s


def normalize_for_match(s: str) -> tuple[str, list[int]]:
    """Return the canonical form of ``s`` and, per canonical character, its index in ``s``.

    Quote marks, dashes and whitespace are unified; whitespace runs collapse to
    one space mapped to the run's first character; whitespace next to a dash
    disappears; "…" expands to "..." (three characters mapped to the same index).
    Built with regex passes over a length-preserving unification, so it stays
    fast on megabyte texts.
    """
    unified = _unify(s)
    pieces: list[str] = []
    index: list[int] = []
    pos = 0
    for m in _RESHAPE.finditer(unified):
        pieces.append(unified[pos : m.start()])
        index.extend(range(pos, m.start()))
        found = m.group()
        if found == "…":
            pieces.append("...")
            index.extend((m.start(),) * 3)
        elif "-" in found:
            pieces.append("-")
            index.append(m.start() + found.index("-"))
        else:
            pieces.append(" ")
            index.append(m.start())
        pos = m.end()
    pieces.append(unified[pos:])
    index.extend(range(pos, len(s)))
    return "".join(pieces), index


# Texts longer than this are searched in place with a pattern built from the quote, so no
# canonical copy or offset map of the whole text is ever built (a 50 MB document would need
# gigabytes for a per-character map). Shorter ones get a cached canonical form: an import
# looks up dozens of quotes per document, and `str.find` on it beats a pattern per quote.
LARGE_TEXT = 1_000_000
_DASHES = "-‐‑‒–—―−"
_QUOTE_CLASS = {"'": "['‘’‚‛′ʼ‹›]", '"': '["“”„‟″«»]'}
_DOT_RUN = re.compile(r"\.+|[^.]+")
_MAX_DOTS = 12  # longer runs of dots match only as many literal dots


class _Canonical:
    """A text's canonical form and the map of its canonical offsets back to the text.

    The map is stored per reshaped piece (a collapsed space run, a dash that absorbed its
    spaces, an expanded "…"), not per character: between pieces offsets only shift, so a
    canonical offset maps back by bisecting the pieces' canonical starts. `index(i)` equals
    ``normalize_for_match(text)[1][i]``.
    """

    __slots__ = ("text", "starts", "sources", "ends", "widths")

    def __init__(self, s: str):
        unified = _unify(s)
        self.starts: array[int] = array("q")  # canonical offset of each piece
        self.sources: array[int] = array("q")  # text offset its characters map to
        self.ends: array[int] = array("q")  # text offset just after the piece
        self.widths = bytearray()  # canonical length: 3 for "…", else 1
        pieces: list[str] = []
        pos = shift = 0  # text offset after the last piece; canonical minus text offset
        for m in _RESHAPE.finditer(unified):
            pieces.append(unified[pos : m.start()])
            found = m.group()
            if found == "…":
                piece, source = "...", m.start()
            elif "-" in found:
                piece, source = "-", m.start() + found.index("-")
            else:
                piece, source = " ", m.start()
            pieces.append(piece)
            self.starts.append(m.start() + shift)
            self.sources.append(source)
            self.ends.append(m.end())
            self.widths.append(len(piece))
            shift += len(piece) - len(found)
            pos = m.end()
        if pieces:
            pieces.append(unified[pos:])
            self.text = "".join(pieces)
        else:
            self.text = unified

    def index(self, i: int) -> int:
        k = bisect_right(self.starts, i) - 1
        if k < 0:
            return i
        start, width = self.starts[k], self.widths[k]
        if i < start + width:
            return self.sources[k]
        return self.ends[k] + i - start - width

    def on_boundary(self, i: int) -> bool:
        'Whether canonical offset `i` starts a text character (only inside a "…" it does not)'
        k = bisect_right(self.starts, i) - 1
        return k < 0 or self.widths[k] != 3 or not self.starts[k] < i < self.starts[k] + 3

    def find(self, text: str, needle: str) -> list[Match]:
        haystack = self.text
        plain = not self.starts  # the canonical form is the text: offsets are the same
        matches: list[Match] = []
        at = haystack.find(needle)
        while at != -1:
            stop = at + len(needle)
            if plain:
                matches.append(make_match(text, at, stop))
                at = haystack.find(needle, stop)
            elif self.on_boundary(at) and self.on_boundary(stop):
                matches.append(make_match(text, self.index(at), self.index(stop - 1) + 1))
                at = haystack.find(needle, stop)
            else:
                at = haystack.find(needle, at + 1)
        return matches


def _dots(count: int) -> str:
    """A pattern for what a run of `count` canonical dots comes from: "." and "…" (three)."""
    if count > _MAX_DOTS:
        return re.escape("." * count)

    def spellings(n: int) -> list[str]:
        if n == 0:
            return [""]
        found = ["\\." + rest for rest in spellings(n - 1)]
        return found + (["…" + rest for rest in spellings(n - 3)] if n >= 3 else [])

    return "(?:" + "|".join(sorted(spellings(count), key=len, reverse=True)) + ")"


@lru_cache(maxsize=256)
def _pattern(needle: str) -> re.Pattern[str]:
    """A pattern matching, in the original text, exactly what canonicalises to `needle`.

    `needle` is canonical and stripped: no space runs, no space beside a dash, no "…".
    A space is any whitespace run; a dash any dash with any whitespace around it (none
    outside the needle's ends, where a span never takes it); quote marks any of their
    typographic forms; a run of dots any mix of dots and ellipses of that length.
    """
    parts: list[str] = []
    last = len(needle) - 1
    for run in _DOT_RUN.finditer(needle):
        chunk = run.group()
        if chunk[0] == ".":
            parts.append(_dots(len(chunk)))
            continue
        for offset, char in enumerate(chunk, start=run.start()):
            if char == " ":
                parts.append(r"\s+")
            elif char == "-":
                dash = f"[{re.escape(_DASHES)}]"
                parts.append(
                    ("" if offset == 0 else r"\s*") + dash + ("" if offset == last else r"\s*")
                )
            elif char in _QUOTE_CLASS:
                parts.append(_QUOTE_CLASS[char])
            else:
                parts.append(re.escape(char))
    return re.compile("".join(parts))


def find_quote(text: str, quote: str) -> list[Match]:
    """Return every non-overlapping occurrence of ``quote`` in ``text``, in order.

    A canonical match is kept only if both ends fall on original-character
    boundaries (a quote ".." must not match two thirds of an "…"), so each
    match's ``exact`` normalises to exactly the quote.
    """
    needle = _canonical(quote).strip(" ")
    if not needle:
        raise QuoteNotFound("quote is empty: it holds nothing but whitespace")
    if len(text) > LARGE_TEXT:
        return [make_match(text, m.start(), m.end()) for m in _pattern(needle).finditer(text)]
    return _normalized_text(text).find(text, needle)


def _canonical(s: str) -> str:
    """``normalize_for_match(s)[0]``, skipping the work for the common already-plain quote.

    Printable ASCII holds no character the unifying step replaces (all non-ASCII, or
    control characters), so three substring tests tell whether reshaping would act.
    """
    if s.isascii() and s.isprintable():
        touched = "  " in s or " -" in s or "- " in s
    else:
        touched = _TOUCHED.search(s) is not None
    return normalize_for_match(s)[0] if touched else s


@lru_cache(maxsize=16)
def _normalized_text(text: str) -> _Canonical:
    """A document's matching form, kept for the next quote of the same document (imports)."""
    return _Canonical(text)


def locate(
    text: str, quote: str, occurrence: int | None = None, where: str = "the document"
) -> Match:
    """Return the single span for ``quote``, or raise a one-line error the user can act on.

    ``occurrence`` (1-based) picks one of several matches; ``where`` names the
    document in messages.
    """
    matches = find_quote(text, quote)
    if not matches:
        start, end, score = closest_passage(text, quote)
        hint = (
            f"; closest passage: '{_shown(context(text, start, end, width=0))}' "
            f"({score:.0f}% similar)"
            if end > start
            else ""
        )
        raise QuoteNotFound(f"quote not found in {where}: '{_shown(quote)}'{hint}")
    if occurrence is None:
        if len(matches) == 1:
            return matches[0]
        listed = ", ".join(
            f"#{n} at {m.start} '{_shown(context(text, m.start, m.end, width=20))}'"
            for n, m in enumerate(matches[:_SHOWN_OCCURRENCES], start=1)
        )
        if len(matches) > _SHOWN_OCCURRENCES:
            listed += f", and {len(matches) - _SHOWN_OCCURRENCES} more"
        raise AmbiguousQuote(
            f"quote occurs {len(matches)} times in {where}: {listed}; pick one with --occurrence N"
        )
    if not 1 <= occurrence <= len(matches):
        times = "once" if len(matches) == 1 else f"{len(matches)} times"
        raise QuoteNotFound(
            f"quote occurs {times} in {where}, so there is no occurrence {occurrence}; "
            f"pick one from 1 to {len(matches)}"
        )
    return matches[occurrence - 1]


def closest_passage(text: str, quote: str) -> tuple[int, int, float]:
    """Return ``(start, end, score)`` of the passage of ``text`` most like ``quote``.

    Compared in canonical form so typography does not cost similarity; the
    passage is widened to whole words and trimmed of whitespace so it reads well
    and can be pasted back as a quote. Score is 0..100; ``(0, 0, 0.0)`` if
    either string is blank. A text over `LARGE_TEXT` is compared chunk by chunk as it
    stands (unifying 50 MB of typography took longer than the comparison), so no copy or
    offset map of it is built: there a curly quote costs one character of similarity.
    """
    needle = normalize_for_match(quote)[0].strip(" ")
    if not needle:
        return 0, 0, 0.0
    if len(text) > LARGE_TEXT:
        found = _closest_in_chunks(text, needle)
        if found is None:
            return 0, 0, 0.0
        start, end, score = found
    else:
        haystack, index = normalize_for_match(text)
        alignment = fuzz.partial_ratio_alignment(needle, haystack)
        if alignment.dest_end <= alignment.dest_start:
            return 0, 0, 0.0
        start, end = index[alignment.dest_start], index[alignment.dest_end - 1] + 1
        score = alignment.score
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end, score


_CHUNK = 1 << 20


def _closest_in_chunks(text: str, needle: str) -> tuple[int, int, float] | None:
    """The best alignment of `needle` over overlapping chunks of `text`, first best wins.

    Chunks overlap by three needle lengths, more than any passage as similar as the
    needle can span; each chunk must beat the best so far, which rapidfuzz uses to cut
    its work short.
    """
    best: tuple[int, int, float] | None = None
    overlap = 3 * len(needle)
    for offset in range(0, len(text), _CHUNK):
        piece = text[offset : offset + _CHUNK + overlap]
        alignment = fuzz.partial_ratio_alignment(
            needle, piece, score_cutoff=best[2] + 1e-9 if best else 0
        )
        if alignment is not None and alignment.dest_end > alignment.dest_start:
            best = (offset + alignment.dest_start, offset + alignment.dest_end, alignment.score)
            if alignment.score >= 100:
                break
    return best


def context(text: str, start: int, end: int, width: int = 60) -> str:
    """Return ``text[start:end]`` with up to ``width`` characters each side, as one line.

    See :func:`factbase.display.context_parts`, which keeps the quote apart.
    """
    return "".join(context_parts(text, start, end, width))


def _shown(s: str) -> str:
    "One line, whitespace collapsed and clipped, so a message stays on a single line"
    line = _WHITESPACE.sub(" ", s).strip()
    return line if len(line) <= _SHOWN_CHARS else line[: _SHOWN_CHARS - 1] + "…"


def occurrence_at(text: str, start: int, end: int, exact: str) -> int:
    """The 1-based occurrence of the quote `exact` that sits at `text[start:end]`.

    For a passage selected in a reader: the stored text must hold exactly `exact` there
    (else the reader showed another text, or the request was forged), and the passage must
    start and end on text, so that `locate` finds this very span again.
    """
    if not 0 <= start < end <= len(text) or text[start:end] != exact:
        found = _shown(text[max(start, 0) : max(end, 0)])
        raise QuoteNotFound(
            f"the selection does not match the document: characters {start}-{end} hold "
            f"'{found}', not '{_shown(exact)}'"
        )
    if exact != exact.strip():
        raise QuoteNotFound(
            f"the selection '{_shown(exact)}' must start and end on a character of text, "
            "not on whitespace"
        )
    for n, match in enumerate(find_quote(text, exact), start=1):
        if (match.start, match.end) == (start, end):
            return n
    raise QuoteNotFound(
        f"the selection '{_shown(exact)}' overlaps another occurrence of the same text: "
        "select a longer passage"
    )
