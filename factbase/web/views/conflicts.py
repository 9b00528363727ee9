"""Conflicts: the triage queue with facets, the pair view, and decisions made in place.

Confirm, dismiss (with a reason) and reopen are POSTs; under htmx they answer with the
updated row (or pair view section), which replaces the old one in the page.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...conflicts import QUEUE_FACETS, QueueFilter
from ...errors import FactbaseError, InvalidDecision
from ...reports import conflict_view
from ..common import call, is_htmx, page
from ..security import checked_form

PAGE_SIZE = 50


def _filters(request: Request) -> QueueFilter:
    query = request.query_params
    try:
        number = max(1, int(query.get("page", "1")))
    except ValueError:
        number = 1
    chosen = {name: query.get(name) or None for name in QUEUE_FACETS}
    return QueueFilter(**chosen, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)


async def queue(request: Request) -> Response:
    filters = _filters(request)
    if "status" not in request.query_params:
        filters.status = "open"
    found = await call(request, lambda fb: fb.conflict_queue(filters))
    chosen = {name: getattr(filters, name) for name in QUEUE_FACETS}
    return page(
        request,
        "conflicts.html",
        queue=found,
        chosen=chosen,
        page_number=filters.offset // PAGE_SIZE + 1,
        pages=max(1, -(-found["total"] // PAGE_SIZE)),
    )


async def pair(request: Request) -> Response:
    conflict_id = request.path_params["id"]
    entry = await call(request, lambda fb: fb.conflict_entry(conflict_id))
    return page(request, "conflict.html", entry=conflict_view(entry))


async def decide(request: Request) -> Response:
    conflict_id = request.path_params["id"]
    form = await checked_form(request)
    decision = str(form.get("decision") or "")
    reason = str(form.get("reason") or "").strip() or None
    error = None
    try:
        if decision not in ("confirm", "dismiss", "reopen"):
            raise InvalidDecision(f"unknown decision {decision!r}: confirm, dismiss or reopen")
        await call(request, lambda fb: fb.decide(conflict_id, decision, reason))
    except FactbaseError as failure:
        error = str(failure)
    if not is_htmx(request):
        if error:
            return page(request, "error.html", status_code=400, message=error)
        return RedirectResponse(f"/conflicts/{conflict_id}", status_code=303)
    status = 400 if error else 200
    if form.get("view") == "pair":
        entry = await call(request, lambda fb: fb.conflict_entry(conflict_id))
        return page(request, "partials/decision.html", status_code=status, entry=entry, error=error)
    found = await call(request, lambda fb: fb.conflict_queue(QueueFilter(ids=[conflict_id])))
    return page(
        request,
        "partials/conflict_row.html",
        status_code=status,
        conflict=found["items"][0],
        error=error,
    )


routes = [
    Route("/conflicts", queue),
    Route("/conflicts/{id:int}", pair),
    Route("/conflicts/{id:int}/decide", decide, methods=["POST"]),
]
