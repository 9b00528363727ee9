"""reading.numbers: quantities as people write them, one parser for the whole of factbase."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factbase.reading.numbers import (
    normalize_quantity,
    numbers_in,
    parse_number_words,
    parse_quantity,
    quantities,
)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # (text of the quantity, value, unit, kind, hedge)
        ("It cost 42 million euros.", ("42 million euros", 42e6, "EUR", "currency", None)),
        ("It cost €42m.", ("€42m", 42e6, "EUR", "currency", None)),
        ("It cost EUR 42 million.", ("EUR 42 million", 42e6, "EUR", "currency", None)),
        ("US$5bn in aid", ("US$5bn", 5e9, "USD", "currency", None)),
        ("£300,000 fine", ("£300,000", 3e5, "GBP", "currency", None)),
        ("forty-two million euros", ("forty-two million euros", 42e6, "EUR", "currency", None)),
        ("some 130 servicemen", ("some 130 servicemen", 130, "servicemen", "count", "some")),
        ("nearly 500 people", ("nearly 500 people", 500, "people", "count", "nearly")),
        (
            "more than 1,700 troops",
            ("more than 1,700 troops", 1700, "troops", "count", "more than"),
        ),
        ("1,700", ("1,700", 1700, None, None, None)),
        (
            "four Japanese engineers",
            ("four Japanese engineers", 4, "Japanese engineers", "count", None),
        ),
        ("thirteen", ("thirteen", 13, None, None, None)),
        ("a hundred and thirty", ("a hundred and thirty", 130, None, None, None)),
        ("nineteen ninety-six", ("nineteen ninety-six", 1996, None, None, None)),
        ("seven hundred thousand", ("seven hundred thousand", 7e5, None, None, None)),
        ("1.5 km of road", ("1.5 km", 1.5, "km", "physical", None)),
        ("a 40km road", ("40km", 40, "km", "physical", None)),
        ("12% of", ("12%", 12, "%", "percent", None)),
        ("12 per cent", ("12 per cent", 12, "%", "percent", None)),
        ("3.5 million tonnes", ("3.5 million tonnes", 3.5e6, "tonnes", "physical", None)),
    ],
)
def test_quantities(text: str, found: tuple) -> None:  # type: ignore[type-arg]
    (quantity,) = quantities(text)
    assert (quantity.text, quantity.value, quantity.unit, quantity.kind, quantity.hedge) == found
    assert quantity.low == quantity.high == quantity.value


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("300–400 troops", 300, 400, "troops"),
        ("300-400", 300, 400, None),
        ("between 300 and 400 men", 300, 400, "men"),
        ("300 to 400", 300, 400, None),
        ("$3-4 million", 3e6, 4e6, "USD"),
    ],
)
def test_intervals(text: str, low: float, high: float, unit: str | None) -> None:
    (quantity,) = quantities(text)
    assert (quantity.value, quantity.low, quantity.high, quantity.unit) == (None, low, high, unit)


@pytest.mark.parametrize(
    "text",
    ["4526 43rd Street", "in the 1990s", "on 1999-08-29", "a 4x4 truck", "no number here", "us"],
)
def test_what_is_not_a_quantity(text: str) -> None:
    assert [q.text for q in quantities(text)] in ([], ["4526"])


def test_a_year_counts_nothing_and_function_words_are_not_units() -> None:
    assert [(q.text, q.unit) for q in quantities("in 1999 Uzbekistan left")] == [("1999", None)]
    assert [(q.text, q.unit) for q in quantities("2 in 2005 were")] == [
        ("2", None),
        ("2005", None),
    ]
    assert [(q.text, q.unit) for q in quantities("130 were killed")] == [("130", None)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42 million euros", (42e6, "EUR")),
        ("€42m", (42e6, "EUR")),
        ("42000000", (42e6, None)),
        ("130 servicemen", (130, "servicemen")),
        ("1.5 km", (1.5, "km")),
        ("4526 43rd Street NW", (4526, "43rd Street NW")),
        ("130 Russian servicemen in Uzbekistan", (130, "Russian servicemen in Uzbekistan")),
        ("12%", (12, "%")),
    ],
)
def test_parse_quantity(value: str, expected: tuple[float, str | None]) -> None:
    quantity = parse_quantity(value)
    assert quantity is not None
    assert (quantity.value, quantity.unit) == expected


@pytest.mark.parametrize("value", ["about 5", "300-400", "5 and 6", "", "five apples and 6", "x"])
def test_parse_quantity_refuses_what_is_not_one_value(value: str) -> None:
    assert parse_quantity(value) is None


def test_numbers_in_gives_scaled_and_written() -> None:
    assert {45.0, 45e6} <= numbers_in("it cost 45 million euros")
    assert 42e6 in numbers_in("put the bill at forty-two million euros")
    assert 4526 in numbers_in("4,526 43rd Street")


@pytest.mark.parametrize(
    ("number", "unit", "expected"),
    [
        (42, "million euros", (42e6, "EUR")),
        (42e6, "EUR", (42e6, "EUR")),
        (42e6, "€", (42e6, "EUR")),
        (3, "billion US dollars", (3e9, "USD")),
        (1.5, "km", (1500, "m")),
        (2, "Miles", (3218.688, "m")),
        (2, "metric tons", (2000, "kg")),
        (12, "per cent", (12, "%")),
        (130, "servicemen", (130, "serviceman")),
        (3, "units", (3, "unit")),  # not pint's micro-nit
        (2, "square kilometres", (2e6, "m ** 2")),
        (7, "million", (7e6, None)),
        (7, None, (7, None)),
    ],
)
def test_normalize_quantity(number: float, unit: str | None, expected: tuple) -> None:  # type: ignore[type-arg]
    value, base = normalize_quantity(number, unit)
    assert base == expected[1]
    assert value == pytest.approx(expected[0])


_WORDS = st.sampled_from(
    ["42", "million", "euros", "€", "some", "130", "servicemen", "-", "–", "400", "thirteen",
     "a", "hundred", "and", "forty", "two", "%", "km", "1,700", "in", "1999", "nearly", "m",
     "between", "to", "Japanese", "engineers", "1999-08-29", ",", "."]
)  # fmt: skip


@given(st.lists(_WORDS, max_size=14), st.sampled_from([" ", "", "  "]))
def test_quantities_slice_back_in_order(words: list[str], sep: str) -> None:
    text = sep.join(words)
    found = quantities(text)
    for quantity in found:
        assert text[quantity.start : quantity.end] == quantity.text
        assert quantity.low <= quantity.high
        assert quantity.value is None or quantity.value == quantity.low
    for before, after in zip(found, found[1:], strict=False):
        assert before.end <= after.start


@given(st.integers(min_value=0, max_value=10**12))
def test_digits_round_trip(number: int) -> None:
    for written in (str(number), f"{number:,}"):
        (quantity,) = quantities(f"it was {written} then")
        assert quantity.value == number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("three", 3),
        ("forty-two", 42),
        ("forty two", 42),
        ("a hundred and thirty", 130),
        ("1,700", 1700),
        ("2 million", 2e6),
        ("ten", 10),
        ("three weeks", None),  # not only a number
        ("a", None),
        ("", None),
        ("weeks", None),
    ],
)
def test_parse_number_words(text: str, expected: float | None) -> None:
    assert parse_number_words(text) == expected
