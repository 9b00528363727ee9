"""Literal values of claims: how `--value` is typed, stored and shown.

Pure functions over a claim's fields (no session): the importer types values with them,
the conflict check explains with them, and the claims module shows them.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import TYPE_CHECKING, Any

from .display import value_words
from .errors import InvalidClaim
from .inputs import ClaimInput
from .reading.numbers import parse_quantity
from .reading.timex import parse_date

if TYPE_CHECKING:
    from .models import Claim


def parse_number(text: str | None) -> tuple[float, str | None] | None:
    """ "130 servicemen" → (130.0, "servicemen"), "42 million euros" → (42000000.0, "EUR");
    None when the text is not one number (`reading.numbers.parse_quantity` reads it)."""
    quantity = parse_quantity(text or "")
    if quantity is None or quantity.value is None:
        return None
    return quantity.value, quantity.unit


_ISO_DATE = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")
# A unit after a number: up to three words of letters ("million euros"), or a symbol.
_UNIT_WORDS = re.compile(r"^(?:[^\W\d_]+(?:[ -][^\W\d_]+){0,2}|[%$€£])$")


def value_kind(value: str | float | int, unit: str | None = None) -> str:
    """How a predicate without a value type reads a value: a number (with an optional
    unit, "130 servicemen", "42,000,000"), an ISO date with a month ("2006-08-16"),
    else text. A bare year ("1999") is a number: give a date-typed predicate for years.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "number"
    text = str(value).strip()
    quantity = parse_number(text)
    if quantity is not None and (quantity[1] is None or _UNIT_WORDS.match(quantity[1])):
        return "number"
    if unit is not None:
        return "number"  # and parse_number's refusal names the problem
    return "date" if _ISO_DATE.match(text) else "string"


def value_fields(predicate_value_type: str, inp: ClaimInput) -> dict[str, Any]:
    """Map `--value` onto the typed value columns the predicate asks for.

    An untyped predicate ("any") takes an object or a value, typed by `value_kind`;
    the rules then compare values of one kind only.
    """
    if inp.object is not None and inp.value is not None:
        raise InvalidClaim("give either an object or a value, not both")
    if inp.object is not None and predicate_value_type not in {"entity", "any"}:
        raise InvalidClaim(
            f"predicate {inp.predicate!r} takes a {predicate_value_type} value (--value), "
            "not an object"
        )
    if inp.value is None:
        if inp.unit is not None:
            raise InvalidClaim("--unit goes with a numeric --value")
        return {}
    if predicate_value_type == "entity":
        raise InvalidClaim(f"predicate {inp.predicate!r} takes an object entity (--object)")
    kind = predicate_value_type
    if kind == "any":
        kind = "string" if isinstance(inp.value, bool) else value_kind(inp.value, inp.unit)
    if kind == "number":
        if isinstance(inp.value, bool):
            raise InvalidClaim(f"not a number: {inp.value!r}")
        if isinstance(inp.value, int | float):
            number, unit = float(inp.value), inp.unit
        else:
            quantity = parse_number(str(inp.value))
            if quantity is None:
                raise InvalidClaim(f"predicate {inp.predicate!r} takes a number: {inp.value!r}")
            number, unit = quantity[0], inp.unit or quantity[1]
        if not math.isfinite(number):
            raise InvalidClaim(f"not a finite number: {inp.value!r}")
        return {"value_number": number, "value_unit": unit}
    if kind == "date":
        day, _precision = parse_date(str(inp.value))
        return {"value_date": day}
    value = str(inp.value).strip()
    if not value:
        raise InvalidClaim("the value is empty")
    return {"value_text": value}


def value_shape(
    number: float | None, unit: str | None, day: date | None, text: str | None
) -> dict[str, Any] | None:
    """A literal value's JSON shape: {"number", "unit"}, {"date"} or {"text"}; None if none."""
    if number is not None:
        return {"number": number, "unit": unit}
    if day is not None:
        return {"date": day.isoformat()}
    if text is not None:
        return {"text": text}
    return None


def value_dict(claim: Claim) -> dict[str, Any] | None:
    return value_shape(claim.value_number, claim.value_unit, claim.value_date, claim.value_text)


def value_label(claim: Claim) -> str:
    """The object or value in words, for tables and explanations."""
    return value_words(claim.object.name if claim.object else None, value_dict(claim))
