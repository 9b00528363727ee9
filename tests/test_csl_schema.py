"""CSL-JSON against the official csl-data.json schema (tests/vendor/csl/README.md).

`export csl`, `cite --style csl-json` and `doc cite --style csl-json` on the seed base, and
the item of a document with nothing but its text, all validate; a broken item does not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from factbase import ClaimInput, FactBase

from .conftest import Invoke

SCHEMA = json.loads((Path(__file__).parent / "vendor" / "csl" / "csl-data.json").read_text("utf-8"))
jsonschema.Draft7Validator.check_schema(SCHEMA)
VALIDATOR = jsonschema.Draft7Validator(
    SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
)


def _errors(items: Any) -> list[str]:
    """Every schema violation, as "path: message"."""
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in VALIDATOR.iter_errors(items)
    ]


def test_the_vendored_schema_is_the_one_described() -> None:
    assert SCHEMA["$id"] == (
        "https://resource.citationstyles.org/schema/v1.0/input/json/csl-data.json"
    )
    assert SCHEMA["items"]["additionalProperties"] is False
    assert SCHEMA["items"]["required"] == ["type", "id"]


def test_export_csl_validates(seeded: FactBase, seeded_cli: Invoke) -> None:
    items = seeded.export_csl()
    assert len(items) == len(seeded.documents()) >= 5
    assert _errors(items) == []
    exported = json.loads(seeded_cli("export", "csl").stdout)
    assert exported == items


def test_every_claims_csl_json_citation_validates(seeded: FactBase, seeded_cli: Invoke) -> None:
    claims = seeded.claims()
    assert claims
    for claim in claims:
        citation = seeded.claim_citation(claim["id"], "csl-json")
        items = json.loads(citation["text"])
        assert items == [r["reference"] for r in citation["references"]]
        assert _errors(items) == [], claim["id"]
    for claim in (claims[0], claims[-1]):
        printed = seeded_cli("cite", str(claim["id"]), "--style", "csl-json").stdout
        assert _errors(json.loads(printed)) == [], claim["id"]


def test_every_documents_csl_json_reference_validates(seeded: FactBase) -> None:
    for document in seeded.documents():
        reference = seeded.document_citation(document["slug"], "csl-json")["reference"]
        assert _errors([reference]) == [], document["slug"]


def test_a_bare_document_still_validates(fb: FactBase, tmp_path: Path) -> None:
    """No title, authors, date or publication: the item is id, type and the undated note."""
    path = tmp_path / "bare.txt"
    path.write_text("Nothing here but a line that says the sky is green today.\n", "utf-8")
    fb.ingest([path])
    document = fb.document("bare")
    assert not any(document[key] for key in ("title", "authors", "date", "publication"))
    fb.add_predicate("is", kind="state", value_type="string")
    claim = fb.add_claim(
        ClaimInput(text="The sky is green", doc="bare", quote="the sky is green",
                   subject="Sky", predicate="is", value="green")
    )  # fmt: skip
    items = fb.export_csl()
    assert [set(item) for item in items] == [{"id", "type", "note"}]
    assert _errors(items) == []
    assert _errors(json.loads(fb.claim_citation(claim["id"], "csl-json")["text"])) == []


@pytest.mark.parametrize(
    ("change", "fault"),
    [
        ({"type": "newspaper"}, "is not one of"),
        ({"issued": "2000-09"}, "is not valid under any"),
        ({"issued": {"date-parts": [[2000, 9, 1, 12]]}}, "is not valid under any"),
        ({"author": [{"name": "A. Writer"}]}, "is not valid under any"),
        ({"container": "Monitor"}, "Additional properties"),
        ({"id": None}, "is not of type"),
    ],
)
def test_a_broken_item_fails(seeded: FactBase, change: dict[str, Any], fault: str) -> None:
    """Negative control: the schema rejects what a careless export could write."""
    item = seeded.export_csl()[0]
    assert _errors([item]) == []
    errors = _errors([item | change])
    assert errors and any(fault in error for error in errors), errors
    missing = {key: value for key, value in item.items() if key != "type"}
    assert any("'type' is a required property" in e for e in _errors([missing]))
