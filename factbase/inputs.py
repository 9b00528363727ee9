"""What users give for a claim: the fields of `claim add` and of one line of `claim import`.

Below the claims, importer and curation modules, which all take it, so that none of them
needs another's module for its input shape.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from .errors import InvalidClaim


@dataclass
class ClaimInput:
    """The fields of `claim add` and of one line of `claim import`."""

    text: str
    doc: str
    quote: str | list[str]
    subject: str
    predicate: str
    object: str | None = None
    value: str | float | int | None = None
    unit: str | None = None
    when: str | None = None
    negated: bool = False
    modality: str = "asserted"
    attributed_to: str | None = None
    occurrence: int | None = None

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> ClaimInput:
        """Build from a JSON/YAML object, rejecting unknown or missing keys."""
        unknown = data.keys() - _INPUT_FIELDS
        if unknown:
            raise InvalidClaim(f"unknown keys {sorted(unknown)}")
        missing = [
            key for key in ("text", "doc", "quote", "subject", "predicate") if key not in data
        ]
        if missing:
            raise InvalidClaim(f"missing keys {missing}")
        for key, kind in (("negated", bool), ("occurrence", int)):
            if data.get(key) is not None and type(data[key]) is not kind:
                raise InvalidClaim(f"{key!r} must be {kind.__name__}: {data[key]!r}")
        for key in ("text", "doc", "subject", "predicate", "object", "unit", "when"):
            if data.get(key) is not None and not isinstance(data[key], str):
                raise InvalidClaim(f"{key!r} must be a string: {data[key]!r}")
        return cls(**data)

    @property
    def quotes(self) -> list[str]:
        return [self.quote] if isinstance(self.quote, str) else list(self.quote)


# Computed once: `claim import` validates every line against it.
_INPUT_FIELDS = frozenset(f.name for f in fields(ClaimInput))
