"""Suggestions: the queue `factbase suggest` fills, best first; accept, edit then accept,
reject with a reason (keyboard: j/k move, a accept, e edit, r reject, in static/desk.js).

The queue is the library's (`FactBase.suggest`, `list_suggestions`, `accept_suggestion`,
`reject_suggestion`); a base without it shows the screen saying so, and claims are
still added by selecting passages in the reader.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...errors import FactbaseError
from ..common import base, call, is_htmx, page, reviewer
from ..security import checked_form

DOCUMENTS_SHOWN = 200  # "suggest" buttons; further documents by `factbase suggest DOC`
EDITABLE = (
    "text",
    "subject",
    "predicate",
    "object",
    "value",
    "unit",
    "when",
    "modality",
    "attributed_to",
)
STATUSES = ("suggested", "accepted", "rejected")


def corrections(suggestion: dict[str, Any], form: Any) -> dict[str, Any]:
    """What the reviewer changed in the edit fields: only those go to `accept_suggestion`
    (an untouched box accepts the suggestion as read)."""
    changed: dict[str, Any] = {}
    for key in EDITABLE:
        given = str(form.get(key) or "").strip()
        shown = suggestion.get(key)
        if key == "when":
            shown = shown["raw"] if shown else None
        if given and given != str(shown or ""):
            changed[key] = given
    negated = form.get("negated") in ("on", "true", "1")
    if "text" in form and negated != bool(suggestion.get("negated")):
        changed["negated"] = negated  # the edit fields were sent: the box says
    return changed


def available(request: Request) -> bool:
    return hasattr(base(request), "list_suggestions")


async def queue(request: Request) -> Response:
    doc = request.query_params.get("doc") or None
    status = request.query_params.get("status") or "suggested"
    documents = await call(request, lambda fb: fb.document_page(DOCUMENTS_SHOWN)["items"])
    suggestions: list[dict[str, Any]] = []
    error = None
    if available(request):
        try:
            found = await call(request, lambda fb: fb.list_suggestions(doc=doc, status=status))
            suggestions = sorted(found, key=lambda s: (-(s.get("score") or 0), s["id"]))
        except FactbaseError as failure:
            error = str(failure)
    return page(
        request,
        "suggestions.html",
        status_code=400 if error else 200,
        available=available(request),
        suggestions=suggestions,
        documents=documents,
        doc=doc,
        status=status,
        error=error,
        editable=EDITABLE,
        statuses=STATUSES,
    )


async def run(request: Request) -> Response:
    """Run the reading layer over one document (the per-document "suggest" button)."""
    form = await checked_form(request)
    slug = str(form.get("doc") or "")
    if not available(request):
        return page(request, "error.html", status_code=404, message="no suggestion queue here")
    try:
        found = await call(request, lambda fb: fb.suggest(slug))
    except FactbaseError as failure:
        return page(request, "partials/suggest_done.html", status_code=400, error=str(failure))
    return page(request, "partials/suggest_done.html", slug=slug, count=len(found), error=None)


async def decide(request: Request) -> Response:
    suggestion_id = request.path_params["id"]
    action = request.path_params["action"]
    form = await checked_form(request)
    if not available(request):
        return page(request, "error.html", status_code=404, message="no suggestion queue here")
    error = None
    try:
        if action == "accept":
            current = await call(request, lambda fb: fb.get_suggestion(suggestion_id))
            overrides = corrections(current, form)
            await call(
                request,
                lambda fb: fb.accept_suggestion(
                    suggestion_id, **overrides, reviewer=reviewer(request)
                ),
            )
        else:
            reason = str(form.get("reason") or "")
            await call(
                request,
                lambda fb: fb.reject_suggestion(suggestion_id, reason, reviewer=reviewer(request)),
            )
    except FactbaseError as failure:
        error = str(failure)
    if not is_htmx(request):
        if error:
            return page(request, "error.html", status_code=400, message=error)
        return RedirectResponse("/suggestions", status_code=303)
    suggestion = await call(request, lambda fb: fb.get_suggestion(suggestion_id))
    return page(
        request,
        "partials/suggestion.html",
        status_code=400 if error else 200,
        s=suggestion,
        error=error,
        editable=EDITABLE,
    )


routes = [
    Route("/suggestions", queue),
    Route("/suggestions/run", run, methods=["POST"]),
    Route("/suggestions/{id:int}/{action:str}", decide, methods=["POST"]),
]
