"""The rows `claim import` writes, column by column, on both backends.

The importer writes entities, spans, claims, claim_spans and audit events with the bare
driver, in the form SQLAlchemy's column types would give them. Here every expected value
is derived by hand (offsets from the document text, intervals from the calendar, the
audit record's fields in their historical order); those expected rows are written through
the ORM in a transaction that is then rolled back, and what each path stored is read back
with the driver and compared: same values, same date and timestamp text on SQLite, same
JSON text in the audit log (`before` is JSON null, not SQL NULL).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from factbase import FactBase
from factbase.ingest import get_document
from factbase.models import Claim, ClaimSpan, Entity, EntityAlias, Event, Predicate, Span
from factbase.store import current_user

from .conftest import SEEDS

FIR, EDM, IWPR = "fir-6-17", "edm-3-176", "nbca-2007-05-30"
LEFT = "having abandoned it last year"
ADDRESS = "4526 43rd Street NW, Washington, DC 20016"
TYPOGRAPHIC = "Astana shares Bishkek's - and Dushanbe's - interest"
TYPOGRAPHIC_EXACT = "Astana shares Bishkek’s–and Dushanbe’s–interest"
IGLA = "Igla and Strela hand-held surface-to-air missiles"

FIRST = [
    {"text": " Uzbekistan  left\nthe CST ", "doc": FIR, "quote": LEFT, "subject": "Uzbekistan",
     "predicate": "abandoned", "object": "CSTO", "when": "last year"},
    {"text": "Uzbekistan sent 130 servicemen", "doc": EDM, "quote": "a total of 130 servicemen",
     "subject": "Uzbekistan", "predicate": "servicemen sent", "value": "130 servicemen",
     "when": "2006-09-19", "negated": True, "modality": "reported",
     "attributed_to": "A  New Source"},
    {"text": "Jamestown's address", "doc": FIR, "quote": [ADDRESS, LEFT],
     "subject": "The Jamestown Foundation", "predicate": "postal address", "value": ADDRESS},
    {"text": "Igla deal dated", "doc": IWPR, "quote": IGLA, "subject": "Igla deal",
     "predicate": "dated", "value": "30 May 2007", "when": "~1996"},
    {"text": " Uzbekistan  left\nthe CST ", "doc": FIR, "quote": LEFT, "subject": "Uzbekistan",
     "predicate": "abandoned", "object": "CSTO", "when": "last year"},  # duplicate: skipped
    {"text": "Kazakhstan shares the interest", "doc": FIR, "quote": TYPOGRAPHIC,
     "subject": "Kazakhstan", "predicate": "left", "object": "Uzbekistan"},
    {"text": "Putin, second mention", "doc": FIR, "quote": "Vladimir Putin", "occurrence": 2,
     "subject": "Vladimir Putin", "predicate": "left", "object": "CSTO", "when": "1999/2001",
     "attributed_to": "Uzbekistan", "modality": "hedged"},
]  # fmt: skip
SECOND = [
    FIRST[0],  # stored by the first import: skipped
    FIRST[0] | {"negated": True},
]

# Per imported claim (in order): the hand-derived columns, with entity and predicate names
# for ids and (document, exact, occurrence) for each span.
EXPECTED: list[dict[str, Any]] = [
    {"text": "Uzbekistan left the CST", "subject": "Uzbekistan", "predicate": "left",
     "object": "Collective Security Treaty", "time": ("last year", date(1999, 1, 1),
     date(1999, 12, 31), "year", date(2000, 9, 1)), "spans": [(FIR, LEFT, 1)]},
    {"text": "Uzbekistan sent 130 servicemen", "subject": "Uzbekistan",
     "predicate": "servicemen sent", "value_number": 130.0, "value_unit": "servicemen",
     "polarity": "negated", "modality": "reported", "attributed_to": "A New Source",
     "time": ("2006-09-19", date(2006, 9, 19), date(2006, 9, 19), "day", None),
     "spans": [(EDM, "a total of 130 servicemen", 1)]},
    {"text": "Jamestown's address", "subject": "The Jamestown Foundation",
     "predicate": "postal address", "value_text": ADDRESS,
     "spans": [(FIR, ADDRESS, 1), (FIR, LEFT, 1)]},
    {"text": "Igla deal dated", "subject": "Igla deal", "predicate": "dated",
     "value_date": date(2007, 5, 30),
     "time": ("~1996", date(1995, 1, 1), date(1997, 12, 31), "year", None),
     "spans": [(IWPR, IGLA, 1)]},
    {"text": "Kazakhstan shares the interest", "subject": "Kazakhstan", "predicate": "left",
     "object": "Uzbekistan", "spans": [(FIR, TYPOGRAPHIC_EXACT, 1)]},
    {"text": "Putin, second mention", "subject": "Vladimir Putin", "predicate": "left",
     "object": "Collective Security Treaty", "modality": "hedged", "attributed_to": "Uzbekistan",
     "time": ("1999/2001", date(1999, 1, 1), date(2001, 12, 31), "year", None),
     "spans": [(FIR, "Vladimir Putin", 2)]},
    {"text": "Uzbekistan left the CST", "subject": "Uzbekistan", "predicate": "left",
     "object": "Collective Security Treaty", "polarity": "negated", "time": ("last year",
     date(1999, 1, 1), date(1999, 12, 31), "year", date(2000, 9, 1)), "spans": [(FIR, LEFT, 1)]},
]  # fmt: skip
NEW_ENTITIES = [  # in order of creation: first mention, subject before object before source
    "Uzbekistan",
    "A New Source",
    "The Jamestown Foundation",
    "Igla deal",
    "Kazakhstan",
    "Vladimir Putin",
]


@pytest.fixture
def base(fb: FactBase) -> FactBase:
    fb.ingest([SEEDS])
    fb.add_entity("Collective Security Treaty", kind="treaty", aliases=["CSTO"])
    fb.add_predicate("left", kind="event", aliases=["abandoned"])
    fb.add_predicate("postal address", kind="attribute", single_valued=True, value_type="string")
    fb.add_predicate("servicemen sent", kind="attribute", single_valued=True, value_type="number")
    fb.add_predicate("dated", kind="attribute", single_valued=True, value_type="date")
    return fb


def _write(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    return path


def _span(text: str, exact: str, occurrence: int) -> tuple[int, int, str, str, str]:
    """(start, end, exact, prefix, suffix) of the n-th non-overlapping occurrence."""
    end = 0
    for _ in range(occurrence):
        start = text.index(exact, end)
        end = start + len(exact)
    return start, end, exact, text[max(0, start - 32) : start], text[end : end + 32]


def _raw(connection: Connection, claims: list[int], entities: list[int]) -> dict[str, list]:
    """What the driver reads back: the import's rows, surrogate ids of links and events aside."""

    def rows(sql: str, ids: list[int]) -> list[tuple]:
        listed = ", ".join(str(int(i)) for i in ids)
        return [tuple(row) for row in connection.exec_driver_sql(sql.format(listed))]

    return {
        "claims": rows("SELECT * FROM claims WHERE id IN ({}) ORDER BY id", claims),
        "claim_spans": rows(
            "SELECT claim_id, span_id FROM claim_spans WHERE claim_id IN ({})"
            " ORDER BY claim_id, span_id",
            claims,
        ),
        "spans": rows(
            "SELECT * FROM spans WHERE id IN"
            " (SELECT span_id FROM claim_spans WHERE claim_id IN ({})) ORDER BY id",
            claims,
        ),
        "claim events": rows(
            "SELECT at, actor, action, target, target_id, CAST(before AS TEXT),"
            " CAST(after AS TEXT) FROM events WHERE target = 'claim' AND target_id IN ({})"
            " ORDER BY target_id",
            claims,
        ),
        "entities": rows("SELECT * FROM entities WHERE id IN ({}) ORDER BY id", entities),
        "entity_aliases": rows(
            "SELECT entity_id, alias, key FROM entity_aliases WHERE entity_id IN ({})"
            " ORDER BY entity_id",
            entities,
        ),
        "entity events": rows(
            "SELECT at, actor, action, target, target_id, CAST(before AS TEXT),"
            " CAST(after AS TEXT) FROM events WHERE target = 'entity' AND target_id IN ({})"
            " ORDER BY target_id",
            entities,
        ),
    }


def _reference(session: Session, claim_ids: list[int], entity_ids: dict[str, int]) -> None:
    """Replace the import's rows by the expected ones, written through the ORM.

    Ids and timestamps are the import's own; every other value comes from EXPECTED.
    """
    imported = list(session.scalars(select(Claim).where(Claim.id.in_(claim_ids))))
    created = {c.id: (c.created_at, c.created_by) for c in imported}
    span_ids = {(s.document_id, s.start, s.end): s.id for c in imported for s in c.spans}
    at = {(e.target, e.target_id): e.at for e in session.scalars(select(Event))}
    new = [entity_ids[name] for name in NEW_ENTITIES]
    session.expunge_all()
    for sql in (
        "DELETE FROM events WHERE target = 'claim' AND target_id IN ({claims})",
        "DELETE FROM events WHERE target = 'entity' AND target_id IN ({entities})",
        "DELETE FROM claim_spans WHERE claim_id IN ({claims})",
        "DELETE FROM claims WHERE id IN ({claims})",
        "DELETE FROM spans WHERE id IN ({spans})",
        "DELETE FROM entity_aliases WHERE entity_id IN ({entities})",
        "DELETE FROM entities WHERE id IN ({entities})",
    ):
        session.connection().exec_driver_sql(
            sql.format(
                claims=", ".join(map(str, claim_ids)),
                entities=", ".join(map(str, new)),
                spans=", ".join(map(str, span_ids.values())),
            )
        )

    for name, i in zip(NEW_ENTITIES, new, strict=True):
        session.add(Entity(id=i, name=name))
        session.add(EntityAlias(entity_id=i, alias=name, key=name.casefold()))
        session.add(
            Event(at=at[("entity", i)], actor=current_user(), action="create", target="entity",
                  target_id=i, before=None, after={"name": name})
        )  # fmt: skip
    predicates = {p.name: p.id for p in session.scalars(select(Predicate))}
    documents = {slug: get_document(session, slug) for slug in (FIR, EDM, IWPR)}
    for claim_id, expected in zip(claim_ids, EXPECTED, strict=True):
        spans = []
        for slug, quoted, occurrence in expected["spans"]:
            document = documents[slug]
            start, end, exact, prefix, suffix = _span(document.text, quoted, occurrence)
            span_id = span_ids[(document.id, start, end)]
            if session.get(Span, span_id) is None:
                session.add(
                    Span(id=span_id, document_id=document.id, start=start, end=end, exact=exact,
                         prefix=prefix, suffix=suffix)
                )  # fmt: skip
            spans.append(span_id)
        raw, earliest, latest, precision, anchor = expected.get("time") or (None,) * 5
        values = {
            "text": expected["text"],
            "predicate_id": predicates[expected["predicate"]],
            "value_text": expected.get("value_text"),
            "value_number": expected.get("value_number"),
            "value_unit": expected.get("value_unit"),
            "value_date": expected.get("value_date"),
            "polarity": expected.get("polarity", "affirmed"),
            "modality": expected.get("modality", "asserted"),
            "time_raw": raw,
            "time_earliest": earliest,
            "time_latest": latest,
            "time_precision": precision,
            "time_anchor": anchor,
            "status": "active",
            "subject_id": entity_ids[expected["subject"]],
        }
        # The audit record lists the roles a claim names first, then the absent ones.
        named = [role for role in ("object", "attributed_to") if role in expected]
        for role in named + [role for role in ("object", "attributed_to") if role not in named]:
            values[f"{role}_id"] = entity_ids[expected[role]] if role in expected else None
        created_at, created_by = created[claim_id]
        session.add(Claim(id=claim_id, created_at=created_at, created_by=created_by, **values))
        session.flush()
        session.add_all(ClaimSpan(claim_id=claim_id, span_id=span_id) for span_id in spans)
        after = {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}
        session.add(
            Event(at=at[("claim", claim_id)], actor=current_user(), action="create",
                  target="claim", target_id=claim_id, before=None, after=after | {"spans": spans})
        )  # fmt: skip
    session.flush()


def test_imported_rows_match_hand_derived_orm_rows(base: FactBase, tmp_path: Path) -> None:
    first = base.import_claims(_write(tmp_path / "first.jsonl", FIRST))
    assert (first["imported"], first["skipped"]) == (6, 1)
    second = base.import_claims(_write(tmp_path / "second.jsonl", SECOND))
    assert (second["imported"], second["skipped"]) == (1, 1)
    claim_ids = first["ids"] + second["ids"]
    entity_ids = {e["name"]: e["id"] for e in base.entities()}
    assert set(NEW_ENTITIES) < set(entity_ids)
    new = [entity_ids[name] for name in NEW_ENTITIES]
    assert new == sorted(new)

    with Session(base.store.engine) as session:
        imported = _raw(session.connection(), claim_ids, new)
        assert [len(imported[t]) for t in imported] == [7, 8, 6, 7, 6, 6, 6]
        _reference(session, claim_ids, entity_ids)
        expected = _raw(session.connection(), claim_ids, new)
        session.rollback()
    for table in imported:
        assert imported[table] == expected[table], table
    assert base.fsck() == []
