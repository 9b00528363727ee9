"""The desk's Starlette application: `create_app(FactBase or URL)`.

Middleware, outermost first: security headers on every response; the trusted-host check
(loopback names only when no token guards the desk, against DNS rebinding); the signed
session cookie; the gate that sends a visitor to the login form (with a token) and then
asks the reviewer's name once. Views (factbase/web/views) call FactBase only.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from ..db import FactBase
from ..errors import FactbaseError
from .common import page
from .security import OPEN_PATHS, headers_middleware, logged_in
from .views import claims, conflicts, documents, reports, session, suggestions, verify

STATIC = Path(__file__).parent / "static"
SESSION_COOKIE = "factbase_desk"
SESSION_MAX_AGE = 12 * 3600  # a working day; then the token is asked again


class Gate:
    """Login first (when a token guards the desk), then the reviewer's name, then the page."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(OPEN_PATHS):
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        target = None
        if not logged_in(request):
            target = "/login"
        elif not request.session.get("reviewer") and scope["path"] not in ("/reviewer",):
            target = "/reviewer"
        if target is None:
            await self.app(scope, receive, send)
            return
        here = scope["path"] + ("?" + request.url.query if request.url.query else "")
        location = f"{target}?next={quote(here)}"
        if request.method != "GET" or request.headers.get("hx-request") == "true":
            response: Response = Response(
                "log in first", status_code=401, headers={"HX-Redirect": location}
            )
        else:
            response = RedirectResponse(location, status_code=303)
        await response(scope, receive, send)


async def home(_request: Request) -> Response:
    return RedirectResponse("/documents", status_code=303)


async def http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    return page(request, "error.html", status_code=error.status_code, message=error.detail)


async def library_error(request: Request, error: Exception) -> Response:
    """A user error the views did not catch (an unknown slug or id): its one line, 4xx."""
    name = type(error).__name__
    status = 404 if name.startswith("Unknown") else 400
    return page(request, "error.html", status_code=status, message=str(error))


async def server_error(request: Request, _error: Exception) -> Response:
    """Anything else: a page without a traceback (the log has it)."""
    try:
        return page(request, "error.html", status_code=500, message="the desk hit an error")
    except Exception:  # the session itself may be what broke
        return Response("the desk hit an error", status_code=500, media_type="text/plain")


def create_app(
    fb: FactBase | str | None = None,
    *,
    token: str | None = None,
    secret: str | None = None,
    allowed_hosts: list[str] | None = None,
) -> Starlette:
    """The desk over `fb` (a FactBase, or a database URL; default FACTBASE_DB).

    `token` guards every page behind a login form; `secret` signs session cookies (a new
    random one per start by default, so a restart logs everyone out); `allowed_hosts`
    are the Host headers served (default: loopback names, or any with a token).
    """
    base = fb if isinstance(fb, FactBase) else FactBase(fb, create=False)
    if allowed_hosts is None:
        allowed_hosts = ["*"] if token else ["127.0.0.1", "localhost", "::1", "[::1]"]
    routes: list[Any] = [
        Route("/", home),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
        *session.routes,
        *documents.routes,
        *suggestions.routes,
        *conflicts.routes,
        *claims.routes,
        *verify.routes,
        *reports.routes,
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(headers_middleware),  # type: ignore[arg-type]
            Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts),
            Middleware(
                SessionMiddleware,
                secret_key=secret or secrets.token_urlsafe(32),
                session_cookie=SESSION_COOKIE,
                max_age=SESSION_MAX_AGE,
                same_site="strict",
            ),
            Middleware(Gate),
        ],
        exception_handlers={
            HTTPException: http_error,
            FactbaseError: library_error,
            Exception: server_error,
        },
    )
    app.state.fb = base
    app.state.token = token
    return app
