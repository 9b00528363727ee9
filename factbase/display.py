"""Stored text made safe and readable for people: terminals, Markdown, highlights, numbers.

Pure functions, no database: the CLI and the reports call them on every stored
string they show, so that what a source said can neither drive the reader's
terminal (escape sequences) nor inject HTML into a rendered report, and so that
a quote or a disagreement stands out where it is shown.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any

Segments = list[tuple[str, bool]]
"Text cut into runs, each marked True when it should stand out (a quote, a difference)"

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides and
# isolates that reorder what a terminal shows ("Trojan Source").
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
# A backslash is doubled only where it could be read as the start of an escape, so the
# escaping stays reversible while ordinary backslashes (C:\path) read as they are.
_VISIBLE_RE = re.compile(rf"\\(?=[\\xu{_CONTROL}])|[{_CONTROL}]")
_WHITESPACE = re.compile(r"\s+")
_MD_SPECIALS = re.compile(r"[\\`*_\[\]|~]")
# What would open a heading, list, quote or rule at the start of a line ("0.674" does not).
_MD_BLOCK_START = re.compile(r"^(\s*)(#|[+=-](?=[\s+=-]|$)|\d+[.)](?=\s|$))")
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\\":
        return "\\\\"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every terminal control character shown as an escape (ESC as ``\\x1b``).

    Tab and newline stay: they lay text out without driving the terminal.
    """
    return _VISIBLE_RE.sub(_escape, text)


def md_escape(text: str) -> str:
    """`text` as one line of Markdown that renders as exactly this text, never as markup.

    ``<``, ``>`` and ``&`` become entities (no raw HTML, no autolink); Markdown's inline
    and table metacharacters are backslash-escaped, as is a heading, list or rule
    marker that starts the text; line breaks become spaces; controls are made visible.
    """
    line = _WHITESPACE.sub(" ", visible(text)) if "\n" in text else visible(text)
    line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    line = _MD_SPECIALS.sub(lambda m: "\\" + m.group(), line)
    return _MD_BLOCK_START.sub(lambda m: m[1] + m[2][:-1] + "\\" + m[2][-1], line)


def format_number(number: float) -> str:
    """A number as people write it: 42,000,000 and 0.000015, never 4.2e+07 or 1.5e-05.

    The digits are those of the shortest repr, so the text reads back as the same float.
    """
    if not math.isfinite(number):
        return str(number)
    decimal = Decimal(str(number)).normalize()
    return "0" if decimal.is_zero() else f"{decimal:,f}"


def value_words(obj: str | None, value: Mapping[str, Any] | None) -> str:
    """A claim's object or value in words (its JSON `object` and `value`): "42,000,000 EUR"."""
    if obj is not None:
        return obj
    value = value or {}
    if value.get("number") is not None:
        number = format_number(value["number"])
        return f"{number} {value['unit']}" if value.get("unit") else number
    return str(value.get("date") or value.get("text") or "")


def context_parts(text: str, start: int, end: int, width: int = 60) -> tuple[str, str, str]:
    """``text[start:end]`` and up to `width` characters each side, as one line in three parts.

    Partial words at the cut ends are dropped and the cuts marked with "…";
    whitespace runs collapse to one space so the snippet fits a message line. The
    middle part is the quote (whitespace collapsed), apart so it can be highlighted.
    """
    low, high = max(0, start - width), min(len(text), end + width)
    left, right = text[low:start], text[end:high]
    if low > 0 and not text[low - 1].isspace():
        left = re.sub(r"^\S*", "", left)
    if high < len(text) and not text[high].isspace():
        right = re.sub(r"\S*$", "", right)
    snippet = left + text[start:end] + right
    line, (cut_a, cut_b) = _one_line(snippet, (len(left), len(snippet) - len(right)))
    left, quote, right = line[:cut_a], line[cut_a:cut_b], line[cut_b:]
    if quote.startswith(" "):
        left, quote = left + " ", quote[1:]
    if quote.endswith(" "):
        quote, right = quote[:-1], " " + right
    return ("…" if low > 0 else "") + left, quote, right + ("…" if high < len(text) else "")


def _one_line(text: str, cuts: tuple[int, int]) -> tuple[str, tuple[int, int]]:
    """`text` with whitespace runs as one space, stripped, and where `cuts` land in it."""
    pieces: list[str] = []
    mapped = [len(text) if cut >= len(text) else cut for cut in cuts]
    length = 0
    for run in re.finditer(r"\s+|\S+", text):
        piece = " " if run.group().isspace() else run.group()
        for index, cut in enumerate(cuts):
            if run.start() <= cut < run.end():
                mapped[index] = length + min(cut - run.start(), len(piece))
        pieces.append(piece)
        length += len(piece)
    mapped = [length if cut >= len(text) else m for cut, m in zip(cuts, mapped, strict=True)]
    line = "".join(pieces)
    lead = len(line) - len(line.lstrip())
    line = line.strip()
    a, b = (min(max(cut - lead, 0), len(line)) for cut in mapped)
    return line, (a, b)


def marked(segments: Segments, before: str = "«", after: str = "»") -> str:
    """Plain text with each marked run between `before` and `after` (survives pipes)."""
    return "".join(f"{before}{part}{after}" if mark else part for part, mark in segments)


def differences(a: str, b: str) -> tuple[Segments, Segments]:
    """What differs between two values, marked in each: "45[2]6 …" against "45[1]6 …".

    Words are compared first (difflib on word and punctuation tokens); a word
    replaced by a similar one ("4526" by "4516") is compared character by
    character, so only the digits that differ are marked.
    """
    left, right = _TOKENS.findall(a), _TOKENS.findall(b)
    ours: Segments = []
    theirs: Segments = []
    matcher = SequenceMatcher(None, left, right, autojunk=False)
    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        old, new = "".join(left[i1:i2]), "".join(right[j1:j2])
        between_changes = 0 < index < len(opcodes) - 1 and old.isspace()
        if tag == "equal" and between_changes:  # "«Igor Sergeev»", not "«Igor» «Sergeev»"
            ours.append((old, True))
            theirs.append((new, True))
        elif tag == "equal":
            ours.append((old, False))
            theirs.append((new, False))
        elif tag == "replace" and i2 - i1 == j2 - j1 == 1 and _similar(old, new):
            chars = SequenceMatcher(None, old, new, autojunk=False)
            for op, k1, k2, m1, m2 in chars.get_opcodes():
                ours.append((old[k1:k2], op != "equal"))
                theirs.append((new[m1:m2], op != "equal"))
        else:
            ours.append((old, True))
            theirs.append((new, True))
    return _merged(ours), _merged(theirs)


def _similar(a: str, b: str) -> bool:
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.5


def _merged(segments: Sequence[tuple[str, bool]]) -> Segments:
    """Adjacent runs with the same mark joined, empty runs dropped."""
    merged: Segments = []
    for part, mark in segments:
        if not part:
            continue
        if merged and merged[-1][1] == mark:
            merged[-1] = (merged[-1][0] + part, mark)
        else:
            merged.append((part, mark))
    return merged


def layers(length: int, spans: Sequence[tuple[int, int, int]]) -> list[tuple[int, int, tuple]]:
    """A text of `length` cut where any span starts or ends: `(start, end, keys)` runs,
    each with the keys of every `(start, end, key)` span covering it (overlaps included).

    A reader highlights each run once, however many claims' spans stack over it, and a
    click on it can show all of them.
    """
    ends = (max(0, min(at, length)) for start, end, _ in spans for at in (start, end))
    cuts = sorted({0, length, *ends})
    starts: dict[int, list[tuple[int, int]]] = {}
    for start, end, key in spans:
        starts.setdefault(start, []).append((end, key))
    open_spans: dict[int, set] = {}
    runs: list[tuple[int, int, tuple]] = []
    for low, high in zip(cuts, cuts[1:], strict=False):
        for end, key in starts.get(low, ()):
            open_spans.setdefault(end, set()).add(key)
        for end in [end for end in open_spans if end <= low]:
            del open_spans[end]
        keys = tuple(sorted(k for ks in open_spans.values() for k in ks))
        runs.append((low, high, keys))
    return runs
