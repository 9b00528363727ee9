"""The consistency report: where the sources disagree, as JSON, Markdown or one HTML file.

`build` gathers the report as plain data (the JSON format); `render` turns it
into text. Every stored string reaching HTML goes through the templates' escaping
(`templating.escape`: `html.escape` of the visible text), and
every one reaching Markdown through `display.md_escape`, so a claim holding
`<script>` or `<svg onload=…>` renders as text wherever the report is viewed.
Each quote is highlighted in its context, and in a value conflict what differs
between the two values: `<mark>` in HTML, «guillemets» in Markdown (emphasis
markers next to punctuation would not render, these always read).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import Any

from markupsafe import Markup
from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session, selectinload

from . import claims as claims_module
from . import sources, templating
from .conflicts import conflict_dict, list_conflicts, source_label, time_label
from .display import Segments, context_parts, differences, md_escape
from .models import (
    CONFLICT_STATUSES,
    Claim,
    ClaimSpan,
    Conflict,
    CorroboratedClaim,
    Document,
    Publication,
    Span,
)
from .rules import RULES, VALUE_RULES, rule_label
from .sources import publication_trust_by_name
from .values import value_label

FORMATS = ("md", "html", "json")
SECTIONS = (
    ("open", "Open conflicts"),
    ("confirmed", "Confirmed conflicts"),
    ("dismissed", "Dismissed conflicts"),
)


def _side(session: Session, claim: Claim) -> dict[str, Any]:
    """One claim as the report shows it: text, quote in context, source, time."""
    span = claim.spans[0] if claim.spans else None
    document = span.document if span else None
    left, quote, right = context_parts(document.text, span.start, span.end) if span else ("",) * 3
    return {
        "id": claim.id,
        "text": claim.text,
        "subject": claim.subject.name,
        "value": value_label(claim),
        "quote": span.exact if span else None,
        "context": left + quote + right if span else None,
        "context_quote": [len(left), len(left) + len(quote)] if span else None,
        "document": document.slug if document else None,
        "source": source_label(document) if document else None,
        "citation": claims_module.citation_text(document) if document else None,
        "when": time_label(claim),
        "earliest": claim.time_earliest.isoformat() if claim.time_earliest else None,
        "latest": claim.time_latest.isoformat() if claim.time_latest else None,
        "status": claim.status,
    }


def conflict_entry(session: Session, conflict: Conflict) -> dict[str, Any]:
    """One conflict as the report shows it: its JSON shape with both claims' `sides`."""
    claims = {
        c.id: c
        for c in session.scalars(
            select(Claim).where(Claim.id.in_((conflict.claim_a_id, conflict.claim_b_id)))
        )
    }
    return conflict_dict(conflict) | {
        "sides": [
            _side(session, claims[conflict.claim_a_id]),
            _side(session, claims[conflict.claim_b_id]),
        ]
    }


def _publications(
    session: Session, corroborated: set[int], in_conflict: set[int], confirmed: set[int]
) -> list[dict]:
    """Per publication, its trust beside the evidence it rests on: how many of its active
    claims another document corroborates, and how many a reviewer confirmed in conflict."""
    rows = session.execute(
        select(Publication.name, Claim.id)
        .join(Document, Document.publication_id == Publication.id)
        .join(Span, Span.document_id == Document.id)
        .join(ClaimSpan, ClaimSpan.span_id == Span.id)
        .join(Claim, Claim.id == ClaimSpan.claim_id)
        .where(Claim.status == "active")
        .distinct()
    ).all()
    documents = dict(
        session.execute(
            select(Publication.name, func.count(func.distinct(Document.slug)))
            .join(Document, Document.publication_id == Publication.id)
            .group_by(Publication.name)
        ).all()
    )
    trust = publication_trust_by_name(session)
    by_publication: dict[str, set[int]] = {name: set() for name in documents}
    for name, claim_id in rows:
        by_publication[name].add(claim_id)
    return [
        {
            "publication": name,
            "documents": documents[name],
            "claims": len(ids),
            "corroborated": len(ids & corroborated),
            "in_conflict": len(ids & in_conflict),
            "in_confirmed_conflict": len(ids & confirmed),
            "trust": trust[name],
        }
        for name, ids in sorted(by_publication.items())
    ]


def build(session: Session) -> dict[str, Any]:
    """The whole report as JSON-ready data."""
    conflicts = list_conflicts(session)
    ids = {claim_id for c in conflicts for claim_id in (c.claim_a_id, c.claim_b_id)}
    claims = {c.id: c for c in session.scalars(select(Claim).where(Claim.id.in_(ids)))}
    corroborated = set(session.scalars(select(CorroboratedClaim.claim_id)))
    open_ids = {
        claim_id
        for c in conflicts
        if c.status == "open"
        for claim_id in (c.claim_a_id, c.claim_b_id)
    }
    confirmed_ids = {
        claim_id
        for c in conflicts
        if c.status == "confirmed"
        for claim_id in (c.claim_a_id, c.claim_b_id)
    }
    counts = Counter((c.rule, c.status) for c in conflicts)
    summary = {
        "documents": session.scalar(select(func.count(func.distinct(Document.slug)))),
        "claims": session.scalar(select(func.count(Claim.id)).where(Claim.status == "active")),
        "corroborations": session.scalar(select(func.count(CorroboratedClaim.id))),
        "conflicts": {
            rule: {status: counts[(rule, status)] for status in CONFLICT_STATUSES} for rule in RULES
        },
        "publications": _publications(session, corroborated, open_ids, confirmed_ids),
    }
    report: dict[str, Any] = {"summary": summary}
    for status, _title in SECTIONS:
        report[status] = [
            conflict_dict(c)
            | {
                "sides": [
                    _side(session, claims[c.claim_a_id]),
                    _side(session, claims[c.claim_b_id]),
                ]
            }
            for c in conflicts
            if c.status == status
        ]
    report["timelines"] = _timelines(session, [c for c in conflicts if c.status == "open"], claims)
    for section in ("open", "confirmed", "dismissed"):
        for entry in report[section]:
            entry.pop("detected_at")
    return report


# The desk's Report screen: a page, not the whole report ---------------------------------------

PAGE_SECTION = 10  # conflicts shown per section; the rest are one link away, in the queue


def build_page(session: Session, per_section: int = PAGE_SECTION) -> dict[str, Any]:
    """The report as the desk shows it at once on any base: ``build``'s summary (counts by
    GROUP BY, the trust ``check`` stored), the first *per_section* conflicts of each section
    with both sides, their timelines, and each section's ``total``.

    ``build`` loads every conflict's sides and runs truth discovery: minutes at 1M claims.
    ``trust`` says whether the stored trust is current (``sources.trust_state``).
    """
    counts = Counter(
        {
            (rule, status): n
            for rule, status, n in session.execute(
                select(Conflict.rule, Conflict.status, func.count()).group_by(
                    Conflict.rule, Conflict.status
                )
            )
        }
    )
    summary = {
        "documents": session.scalar(select(func.count(func.distinct(Document.slug)))),
        "claims": session.scalar(select(func.count(Claim.id)).where(Claim.status == "active")),
        "corroborations": session.scalar(select(func.count(CorroboratedClaim.id))),
        "conflicts": {
            rule: {status: counts[(rule, status)] for status in CONFLICT_STATUSES} for rule in RULES
        },
        "publications": _stored_publications(session),
    }
    shown = {
        status: list(
            session.scalars(
                select(Conflict)
                .where(Conflict.status == status)
                .order_by(Conflict.id)
                .limit(per_section)
            )
        )
        for status, _title in SECTIONS
    }
    ids = {i for found in shown.values() for c in found for i in (c.claim_a_id, c.claim_b_id)}
    claims = {
        c.id: c
        for c in session.scalars(
            select(Claim)
            .where(Claim.id.in_(ids))
            .options(
                selectinload(Claim.subject),
                selectinload(Claim.spans).selectinload(Span.document),
            )
        )
    }
    page: dict[str, Any] = {"summary": summary, "trust": sources.trust_state(session)}
    for status, _title in SECTIONS:
        page[status] = [
            conflict_dict(c)
            | {
                "sides": [
                    _side(session, claims[c.claim_a_id]),
                    _side(session, claims[c.claim_b_id]),
                ]
            }
            for c in shown[status]
        ]
        page[f"{status}_total"] = sum(counts[(rule, status)] for rule in RULES)
    page["timelines"] = _timelines(session, shown["open"], claims)
    for status, _title in SECTIONS:
        for entry in page[status]:
            entry.pop("detected_at")
    return page


def _stored_publications(session: Session) -> list[dict]:
    """``_publications``' rows from grouped counts and the stored trust (None: not stored)."""
    counts = sources.source_counts(session)
    confirmed = sources.claims_in_conflict(session, "confirmed")
    trust = sources.stored_trust(session)
    names = session.execute(select(Publication.id, Publication.name).order_by(Publication.name))
    return [
        {
            "publication": name,
            "documents": counts[pid]["documents"],
            "claims": counts[pid]["claims"],
            "corroborated": counts[pid]["corroborated"],
            "in_conflict": counts[pid]["in_open_conflict"],
            "in_confirmed_conflict": confirmed.get(pid, 0),
            "trust": round(trust[pid], 4) if pid in trust else None,
        }
        for pid, name in names
        if counts[pid]["documents"]
    ]


def _timelines(session: Session, open_conflicts: list[Conflict], claims: dict[int, Claim]) -> list:
    """Per subject in open conflict: its dated claims of the predicates in conflict."""
    wanted: dict[int, set[int]] = {}
    for conflict in open_conflicts:
        for claim_id in (conflict.claim_a_id, conflict.claim_b_id):
            claim = claims[claim_id]
            wanted.setdefault(claim.subject_id, set()).add(claim.predicate_id)
    in_conflict = {cid for c in open_conflicts for cid in (c.claim_a_id, c.claim_b_id)}
    pairs = [(subject, predicate) for subject, ids in wanted.items() for predicate in ids]
    by_subject: dict[int, list[Claim]] = {}
    # One query for every subject (a query each was most of the desk's report page).
    for start in range(0, len(pairs), 500):
        for claim in session.scalars(
            select(Claim)
            .where(
                tuple_(Claim.subject_id, Claim.predicate_id).in_(pairs[start : start + 500]),
                Claim.status == "active",
                Claim.time_earliest.is_not(None),
            )
            .options(selectinload(Claim.subject), selectinload(Claim.predicate))
        ):
            by_subject.setdefault(claim.subject_id, []).append(claim)
    timelines = []
    for subject_id in sorted(by_subject):
        rows = sorted(by_subject[subject_id], key=lambda c: (c.time_earliest, c.id))
        timelines.append(
            {
                "subject": rows[0].subject.name,
                "claims": [
                    {
                        "id": c.id,
                        "label": f"#{c.id} {c.predicate.name} {value_label(c)}",
                        "earliest": c.time_earliest.isoformat(),
                        "latest": c.time_latest.isoformat(),
                        "in_conflict": c.id in in_conflict,
                    }
                    for c in rows
                    if c.time_earliest and c.time_latest
                ],
            }
        )
    return timelines


def render(report: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt == "md":
        return markdown(report)
    if fmt == "html":
        return html_page(report)
    raise ValueError(f"unknown report format {fmt!r}")


# Markdown ------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    return md_escape("" if value is None else str(value))


def _sides(entry: dict[str, Any], key: str) -> tuple[Segments, Segments]:
    """Both sides' `key` as runs to highlight: the quote in its context, differing values."""
    a, b = entry["sides"]
    if key == "value" and entry["rule"] in VALUE_RULES and a["value"] != b["value"]:
        return differences(a["value"], b["value"])
    return _runs(a, key), _runs(b, key)


def _runs(side: dict[str, Any], key: str) -> Segments:
    text = "" if side[key] is None else str(side[key])
    if key == "context" and side["context_quote"]:
        start, end = side["context_quote"]
        return [(text[:start], False), (text[start:end], True), (text[end:], False)]
    return [(text, False)]


def _md_runs(runs: Segments) -> str:
    return "".join(f"«{md_escape(part)}»" if mark else md_escape(part) for part, mark in runs)


def _md_table(header: list[str], rows: list[list[Any]], escaped: bool = False) -> list[str]:
    """A Markdown table; its cells are escaped here unless `escaped` says they are."""
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(v if escaped else _cell(v) for v in row) + " |" for row in rows]
    return lines + [""]


def _summary_rows(summary: dict[str, Any]) -> tuple[list[list[Any]], list[list[Any]]]:
    by_rule = [
        [rule_label(rule), *(summary["conflicts"][rule][s] for s in CONFLICT_STATUSES)]
        for rule in RULES
    ]
    publications = [
        [
            p["publication"],
            p["documents"],
            *("—" if p[key] is None else p[key] for key in ("claims", "corroborated")),
            p["in_conflict"],
            p["in_confirmed_conflict"],
            "—" if p["trust"] is None else f"{p['trust']:.3f}",
        ]
        for p in summary["publications"]
    ]
    return by_rule, publications


PUBLICATION_HEADER = [
    "publication",
    "documents",
    "claims",
    "corroborated",
    "in open conflict",
    "in confirmed conflict",
    "trust",
]
SIDE_ROWS = (
    ("text", "claim"),
    ("value", "object/value"),
    ("context", "quote in context"),
    ("citation", "source"),
    ("when", "when"),
)


def markdown(report: dict[str, Any]) -> str:
    summary = report["summary"]
    lines = [
        "# Consistency report",
        "",
        f"{summary['documents']} documents, {summary['claims']} active claims, "
        f"{summary['corroborations']} corroborated claims, "
        f"{len(report['open'])} open conflicts.",
        "",
        "## Conflicts by rule",
        "",
    ]
    by_rule, publications = _summary_rows(summary)
    lines += _md_table(["rule", *CONFLICT_STATUSES], by_rule)
    lines += ["## Publications", ""] + _md_table(PUBLICATION_HEADER, publications)
    for status, title in SECTIONS:
        lines += [f"## {title}", ""]
        if not report[status]:
            lines += ["None.", ""]
        for entry in report[status]:
            a, b = entry["sides"]
            internal = " (internal)" if entry["internal"] else ""
            lines += [
                f"### Conflict {entry['id']}: {_cell(rule_label(entry['rule']))}{internal}",
                "",
            ]
            lines += [f"{_cell(entry['explanation'])}.", ""]
            if entry["reason"]:
                decision = (entry["status"], entry["decided_by"], entry["reason"])
                lines += ["Decision: {} by {}: {}".format(*map(_cell, decision)), ""]
            lines += _md_table(
                ["", f"claim {a['id']}", f"claim {b['id']}"],
                [[_cell(label), *map(_md_runs, _sides(entry, key))] for key, label in SIDE_ROWS],
                escaped=True,
            )
    return "\n".join(lines).rstrip() + "\n"


# HTML ----------------------------------------------------------------------------------------
# The page is the templates the desk renders too (factbase/templates): report.html around
# the partials the desk's Report and Conflicts screens include, so both show a conflict
# the same way.


def _e(value: Any) -> str:
    return str(templating.escape(value))


def _year_fraction(day: str) -> float:
    d = date.fromisoformat(day)
    return d.year + (d.timetuple().tm_yday - 1) / 366


def timeline_svg(timeline: dict[str, Any], width: int = 900) -> str:
    """Claims of one subject as bars (points when short) on a year axis; conflicting ones red."""
    claims = timeline["claims"]
    start = min(_year_fraction(c["earliest"]) for c in claims)
    end = max(_year_fraction(c["latest"]) + 1 / 366 for c in claims)
    first, last = int(start), int(end) + 1
    label_width, row, top = 320, 20, 24
    height = top + row * len(claims) + 10
    scale = (width - label_width - 20) / (last - first)

    def x(year: float) -> float:
        return label_width + (year - first) * scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="timeline of {_e(timeline["subject"])}">'
    ]
    for year in range(first, last + 1):
        parts.append(
            f'<line x1="{x(year):.1f}" y1="{top - 6}" x2="{x(year):.1f}" y2="{height - 6}" '
            'stroke="#ddd"/>'
            f'<text x="{x(year):.1f}" y="{top - 10}" text-anchor="middle">{year}</text>'
        )
    for index, claim in enumerate(claims):
        y = top + index * row
        colour = "#c62828" if claim["in_conflict"] else "#1565c0"
        x0, x1 = x(_year_fraction(claim["earliest"])), x(_year_fraction(claim["latest"]) + 1 / 366)
        parts.append(f'<text x="4" y="{y + 13}">{_e(claim["label"][:48])}</text>')
        if x1 - x0 < 4:
            parts.append(f'<circle cx="{(x0 + x1) / 2:.1f}" cy="{y + 9}" r="4" fill="{colour}"/>')
        else:
            parts.append(
                f'<rect x="{x0:.1f}" y="{y + 3}" width="{x1 - x0:.1f}" height="12" '
                f'fill="{colour}" opacity="0.8"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def conflict_view(entry: dict[str, Any]) -> dict[str, Any]:
    """A report entry (a conflict with its `sides`) with the `rows` the conflict template
    shows: per row, both sides' runs to highlight (quote in context, differing values)."""
    return entry | {
        "rows": [
            {"key": key, "label": label, "cells": _sides(entry, key)} for key, label in SIDE_ROWS
        ]
    }


def html_context(report: dict[str, Any]) -> dict[str, Any]:
    """What the report templates show, from the report's data (`build`)."""
    summary = report["summary"]
    by_rule, publications = _summary_rows(summary)
    return {
        "summary": summary,
        "open_count": len(report["open"]),
        "rule_header": ["rule", *CONFLICT_STATUSES],
        "by_rule": by_rule,
        "publication_header": PUBLICATION_HEADER,
        "publications": publications,
        "timelines": [
            {"subject": t["subject"], "svg": Markup(timeline_svg(t))} for t in report["timelines"]
        ],
        "sections": [
            {"title": title, "entries": [conflict_view(e) for e in report[status]]}
            for status, title in SECTIONS
        ],
    }


def page_context(page: dict[str, Any]) -> dict[str, Any]:
    """What the desk's Report screen shows, from ``build_page``: ``html_context``'s keys,
    each section with its ``total`` and the queue that lists all of it."""
    context = html_context(page)
    context["open_count"] = page["open_total"]
    for section, (status, _title) in zip(context["sections"], SECTIONS, strict=True):
        section["total"] = page[f"{status}_total"]
        section["more"] = f"/conflicts?status={status}"
    return context | {"trust": page["trust"]}


def html_page(report: dict[str, Any]) -> str:
    return templating.render("report.html", **html_context(report))
