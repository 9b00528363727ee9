"""Claim: the quote in context, citations in every style, corroborations, conflicts,
history from the audit log; edit and retract."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...citations import STYLES
from ...conflicts import QueueFilter
from ...curation import ClaimEdit
from ...errors import FactbaseError, InvalidClaim
from ..common import call, page
from ..security import checked_form


def _screen(fb: Any, claim_id: int) -> dict[str, Any]:
    claim = fb.claim(claim_id)
    return {
        "claim": claim,
        "history": fb.history("claim", claim_id),
        "conflicts": fb.conflict_queue(QueueFilter(ids=claim["conflicts"], limit=1000))["items"],
    }


async def show(request: Request, error: str | None = None, status_code: int = 200) -> Response:
    claim_id = request.path_params["id"]
    data = await call(request, lambda fb: _screen(fb, claim_id))
    return page(request, "claim.html", status_code=status_code, error=error, **data)


async def citations(request: Request) -> Response:
    """The claim's citation in every style: rendered by citeproc, the slowest part of the
    screen, so the page loads it after itself (htmx, on load)."""
    claim_id = request.path_params["id"]
    cited = await call(
        request, lambda fb: [(style, fb.cite_claim(claim_id, style)) for style in STYLES]
    )
    return page(request, "partials/citations.html", citations=cited)


def _edit(form: Any) -> ClaimEdit:
    """The fields the form changed: an empty box leaves a field as it is, but `when` and
    `attributed_to` have a "clear" box, as `--when ''` does on the command line."""

    def given(key: str) -> str | None:
        value = str(form.get(key) or "").strip()
        return value or None

    edit = ClaimEdit(
        text=given("text"),
        subject=given("subject"),
        predicate=given("predicate"),
        object=given("object"),
        value=given("value"),
        unit=given("unit"),
        when="" if form.get("clear_when") else given("when"),
        modality=given("modality"),
        attributed_to="" if form.get("clear_attributed_to") else given("attributed_to"),
    )
    polarity = form.get("polarity")
    if polarity in ("negated", "affirmed"):
        edit.negated = polarity == "negated"
    return edit


async def edit(request: Request) -> Response:
    claim_id = request.path_params["id"]
    form = await checked_form(request)
    try:
        change = _edit(form)
        current = await call(request, lambda fb: fb.claim(claim_id))
        for key in ("text", "subject", "predicate", "object", "unit", "modality"):
            if getattr(change, key) == current.get(key):
                setattr(change, key, None)  # unchanged boxes are not edits
        if change.negated is not None and change.negated == (current["polarity"] == "negated"):
            change.negated = None
        if not change.given():
            raise InvalidClaim("nothing to change: edit a field first")
        await call(request, lambda fb: fb.edit_claim(claim_id, change))
    except FactbaseError as failure:
        return await show(request, str(failure), 400)
    return RedirectResponse(f"/claims/{claim_id}", status_code=303)


async def retract(request: Request) -> Response:
    claim_id = request.path_params["id"]
    form = await checked_form(request)
    reason = str(form.get("reason") or "").strip()
    try:
        await call(request, lambda fb: fb.retract_claim(claim_id, reason))
    except FactbaseError as failure:
        return await show(request, str(failure), 400)
    return RedirectResponse(f"/claims/{claim_id}", status_code=303)


routes = [
    Route("/claims/{id:int}", show),
    Route("/claims/{id:int}/citations", citations),
    Route("/claims/{id:int}/edit", edit, methods=["POST"]),
    Route("/claims/{id:int}/retract", retract, methods=["POST"]),
]
