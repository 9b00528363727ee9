"""What every view shares: the FactBase, the reviewer, rendering, and library errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse

from .. import templating
from ..db import FactBase
from .security import csrf_token

T = TypeVar("T")

NAVIGATION = (
    ("/documents", "Documents"),
    ("/suggestions", "Suggestions"),
    ("/conflicts", "Conflicts"),
    ("/verify", "Verify"),
    ("/report", "Report"),
    ("/sources", "Sources"),
)


def base(request: Request) -> FactBase:
    return request.app.state.fb


def reviewer(request: Request) -> str | None:
    return request.session.get("reviewer")


async def call(request: Request, work: Callable[[FactBase], T]) -> T:
    """Run library work off the event loop, as the session's reviewer: the audit log,
    `created_by` and `decided_by` name them."""
    fb, name = base(request), reviewer(request)

    def acting() -> T:
        with fb.acting_as(name):
            return work(fb)

    return await run_in_threadpool(acting)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A template rendered with what the layout needs (navigation, reviewer, CSRF token)."""
    html = templating.render(
        template,
        request=request,
        navigation=NAVIGATION,
        here=request.url.path,
        reviewer=reviewer(request),
        csrf=csrf_token(request),
        **context,
    )
    return HTMLResponse(html, status_code=status_code)
