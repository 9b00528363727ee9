"""English number words, the one table `numbers` (quantities) and `timex` (counts, spelled
years) both read. Kept apart from `numbers` so that `factbase when` can read time without
importing the lemmatizer and units that quantities need."""

from __future__ import annotations

ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen")
TEENS += ("seventeen", "eighteen", "nineteen")
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# Each word for 0–19 and the tens, with its value.
SMALL: dict[str, int] = {w: i for i, w in enumerate(("zero", *ONES, *TEENS))} | {
    w: 20 + 10 * i for i, w in enumerate(TENS)
}
