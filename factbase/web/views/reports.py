"""Report and Sources: the consistency report and per-publication trust."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...errors import FactbaseError
from ...reports import page_context
from ..common import call, page

METHODS = ("truthfinder", "crh", "vote")


async def report(request: Request) -> Response:
    """The summary and the first conflicts of each section; the rest are in the queue."""
    data = await call(request, lambda fb: fb.report_page())
    return page(request, "report_screen.html", **page_context(data))


async def sources(request: Request) -> Response:
    """TruthFinder's trust as `check` stored it (instant); another method is computed now
    over the whole base, which the page says (minutes on a large base)."""
    method = request.query_params.get("method", "stored")
    if method == "stored":
        stored = await call(request, lambda fb: fb.stored_sources())
        return page(request, "sources.html", method=method, methods=METHODS, **stored)
    try:
        rows = await call(request, lambda fb: fb.sources(method))
    except FactbaseError as failure:
        return page(request, "error.html", status_code=400, message=str(failure))
    return page(request, "sources.html", rows=rows, method=method, methods=METHODS)


routes = [Route("/report", report), Route("/sources", sources)]
