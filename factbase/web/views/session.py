"""Login (with a token) and the reviewer's name, asked once and kept in the session."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...display import visible
from ..common import page
from ..security import checked_form, log_in

MAX_NAME = 100  # decided_by and created_by hold 100 characters


def _next(value: object) -> str:
    """Where to go after a form: a path on this desk only, never another site."""
    target = str(value or "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


async def login_form(request: Request) -> Response:
    return page(request, "login.html", next=_next(request.query_params.get("next")), error=None)


async def login(request: Request) -> Response:
    form = await checked_form(request)
    if not log_in(request, str(form.get("token") or "")):
        return page(
            request,
            "login.html",
            status_code=403,
            next=_next(form.get("next")),
            error="wrong access token",
        )
    return RedirectResponse(_next(form.get("next")), status_code=303)


async def reviewer_form(request: Request) -> Response:
    return page(request, "reviewer.html", next=_next(request.query_params.get("next")), error=None)


async def set_reviewer(request: Request) -> Response:
    form = await checked_form(request)
    name = " ".join(visible(str(form.get("name") or "")).split())
    if not name or len(name) > MAX_NAME:
        error = f"give your name (1 to {MAX_NAME} characters): it goes in the audit log"
        return page(
            request, "reviewer.html", status_code=400, next=_next(form.get("next")), error=error
        )
    request.session["reviewer"] = name
    return RedirectResponse(_next(form.get("next")), status_code=303)


async def logout(request: Request) -> Response:
    await checked_form(request)
    request.session.clear()
    return RedirectResponse("/", status_code=303)


routes = [
    Route("/login", login_form),
    Route("/login", login, methods=["POST"]),
    Route("/reviewer", reviewer_form),
    Route("/reviewer", set_reviewer, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
]
