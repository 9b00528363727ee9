"""reading.compare: values compared by what they say."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factbase.reading.compare import quantities_agree, value_key, values_agree

SEED_ADDRESS = "4526 43rd Street NW, Washington, DC 20016"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("4526 43rd Street NW", SEED_ADDRESS),
        ("4526 43rd Street NW, Washington", SEED_ADDRESS),
        ("southwestern Uzbekistan", "the southwest of Uzbekistan"),
        ("south-western Uzbekistan", "southwestern Uzbekistan"),
        ("Paris, France", "Paris France"),
        ("4526 43rd street NW Washington DC 20016", SEED_ADDRESS),
        ("A Collective Response.", "a collective response"),
        ("", ""),
    ],
)
def test_agree(a: str, b: str) -> None:
    assert values_agree(a, b) and values_agree(b, a)
    assert value_key(a) == value_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("4516 43rd Street NW", SEED_ADDRESS),
        ("4516 43rd Street NW, Washington DC 20016", SEED_ADDRESS),
        ("4526 43rd Street NW Suite 5", "4526 43rd Street NW"),  # not a part of its own
        ("Paris, France", "Paris, Texas"),
        ("northern Uzbekistan", "southern Uzbekistan"),
        ("Tashkent", "Samarkand"),
        ("", "the"),
    ],
)
def test_disagree(a: str, b: str) -> None:
    assert not values_agree(a, b) and not values_agree(b, a)


def test_quantities_agree_after_units() -> None:
    assert quantities_agree((42, "million euros"), (42_000_000, "EUR")) is True
    assert quantities_agree((42, "million euros"), (45_000_000, "EUR")) is False
    assert quantities_agree((42, "million euros"), (45_000_000, "EUR"), 3e6) is True
    assert quantities_agree((1.5, "km"), (1500, "m")) is True
    assert quantities_agree((1.5, "km"), (1500, "EUR")) is None


PIECES = st.sampled_from(
    ["4526", "4516", "43rd", "Street", "NW", "Washington", "DC", "the", "of", "southwest",
     "southwestern", "Uzbekistan", "Paris", "France", "", "a"]
)  # fmt: skip
VALUES = st.lists(PIECES, max_size=6).flatmap(
    lambda words: st.lists(st.sampled_from([" ", ", ", "; ", " - "]), min_size=len(words),
                           max_size=len(words)).map(
        lambda seps: "".join(w + s for w, s in zip(words, seps, strict=True)).strip(" ,;-")
    )
)  # fmt: skip


@given(VALUES, VALUES)
def test_agreement_is_symmetric_and_keyed(a: str, b: str) -> None:
    assert values_agree(a, b) == values_agree(b, a)
    if values_agree(a, b):
        assert value_key(a) == value_key(b)  # grouping by key finds every agreeing pair


@given(VALUES)
def test_a_value_agrees_with_itself_and_its_first_parts(value: str) -> None:
    assert values_agree(value, value)
    first = value.split(",")[0]
    if set(first.replace(";", " ").replace("-", " ").split()) - {"the", "of", "a"}:
        assert values_agree(first, value)  # a value's first parts are a less specific form
