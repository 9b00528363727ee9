"""Verify: a statement box; the verdict with evidence cards; the ClaimReview to download.

A GET with the statement in the query: verifying reads the base and changes nothing, and
the address can be shared.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...errors import FactbaseError
from ..common import call, page


async def verify(request: Request) -> Response:
    statement = request.query_params.get("statement", "").strip()
    result, error = None, None
    if statement:
        try:
            result = await call(request, lambda fb: fb.verify(statement))
        except FactbaseError as failure:
            error = str(failure)
    return page(
        request,
        "verify.html",
        status_code=400 if error else 200,
        statement=statement,
        result=result,
        error=error,
    )


async def claimreview(request: Request) -> Response:
    statement = request.query_params.get("statement", "").strip()
    if not statement:
        return page(request, "error.html", status_code=400, message="the statement is empty")
    try:
        review = await call(
            request,
            lambda fb: fb.review_statement(
                statement, url_template=str(request.url_for("verify")) + "#{id}"
            ),
        )
    except FactbaseError as failure:
        return page(request, "error.html", status_code=400, message=str(failure))
    return Response(
        json.dumps(review, indent=2, ensure_ascii=False) + "\n",
        media_type="application/ld+json",
        headers={"Content-Disposition": 'attachment; filename="claimreview.json"'},
    )


routes = [
    Route("/verify", verify, name="verify"),
    Route("/verify/claimreview.json", claimreview),
]
