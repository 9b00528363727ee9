"""reading.lemmas: words with offsets and their lemmas."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factbase.reading.lemmas import lemma, lemma_key, tokens


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("withdrew", "withdraw"),
        ("withdrawn", "withdraw"),
        ("withdraws", "withdraw"),
        ("left", "leave"),
        ("leaves", "leave"),
        ("abandoned", "abandon"),
        ("rejoined", "rejoin"),
        ("was", "be"),
        ("servicemen", "serviceman"),
        ("engineers", "engineer"),
        ("Said", "say"),
        ("Uzbekistan's", "uzbekistan"),
        ("Uzbekistan’s", "uzbekistan"),
        ("Karimov", "karimov"),  # unknown words stay, lower-cased
        ("1,700", "1,700"),
    ],
)
def test_lemma(word: str, expected: str) -> None:
    assert lemma(word) == expected


def test_inflections_share_a_key() -> None:
    assert lemma_key("Uzbekistan withdrew from the CST") == lemma_key(
        "uzbekistan withdraws from the CST"
    )
    assert lemma_key("withdrew from") == ("withdraw", "from")
    assert lemma_key("left") != lemma_key("lifted")


def test_tokens_keep_numbers_and_contractions_whole() -> None:
    assert [t.text for t in tokens("In 1,700 cases it didn't; 4526 43rd St., 3.5%")] == [
        "In", "1,700", "cases", "it", "didn't", "4526", "43rd", "St", "3.5",
    ]  # fmt: skip
    assert [t.text for t in tokens("Russian-Uzbek ties — Uzbekistan’s")] == [
        "Russian", "Uzbek", "ties", "Uzbekistan’s",
    ]  # fmt: skip


@given(st.text())
def test_tokens_slice_the_text_back(text: str) -> None:
    previous_end = 0
    for token in tokens(text):
        assert text[token.start : token.end] == token.text
        assert token.start >= previous_end
        previous_end = token.end


@given(st.text(alphabet=st.characters(categories=["L", "Nd", "Zs", "P"]), max_size=40))
def test_lemma_key_is_aligned_with_tokens_and_lower_case(text: str) -> None:
    key = lemma_key(text)
    assert len(key) == len(tokens(text))
    assert all(word == word.lower() or not word.isascii() for word in key)
