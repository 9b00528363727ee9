"""What keeps a desk's unpublished work to its reviewers.

- Binding anything but a loopback address needs an access token (`--token` or
  FACTBASE_TOKEN); `require_token` refuses to start without one.
- With a token, every page but the login form and the static files needs a signed
  session cookie (Starlette's SessionMiddleware: HttpOnly, SameSite=Strict) that the login
  form sets; without one, only loopback Host headers are served (DNS rebinding).
- Every change is a POST carrying the session's CSRF token, as the `csrf` form field or
  the X-CSRF-Token header (htmx sends it): without it, 403. GET changes nothing.
- Every response carries a Content-Security-Policy without inline script, frame-ancestors
  'none', X-Content-Type-Options: nosniff and no-referrer.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets

from starlette.datastructures import FormData, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import FactbaseError

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
OPEN_PATHS = ("/login", "/static/")  # served before login


class TokenRequired(FactbaseError):
    "Binding a non-loopback address without an access token"


def is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve anywhere


def require_token(host: str, token: str | None) -> None:
    """Refuse to serve a non-loopback address without a token: anyone who reaches it
    would read and change the base."""
    if not is_loopback(host) and not token:
        raise TokenRequired(
            f"serving on {host} needs an access token: pass --token or set FACTBASE_TOKEN"
        )


def token_matches(given: str | None, token: str) -> bool:
    return hmac.compare_digest((given or "").encode(), token.encode())


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def checked_form(request: Request) -> FormData:
    """The POST's form, once its CSRF token matches the session's; else 403."""
    form = await request.form()
    given = request.headers.get("x-csrf-token") or form.get("csrf")
    expected = request.session.get("csrf")
    if not expected or not isinstance(given, str) or not hmac.compare_digest(given, expected):
        raise HTTPException(403, "the form is missing its CSRF token or it has expired: reload")
    return form


def logged_in(request: Request) -> bool:
    token = request.app.state.token
    return not token or request.session.get("token_ok") == _fingerprint(token)


def _fingerprint(token: str) -> str:
    """What the session keeps of the token: a changed token logs everyone out."""
    return hmac.new(token.encode(), b"factbase desk session", "sha256").hexdigest()


def log_in(request: Request, given: str | None) -> bool:
    token = request.app.state.token
    if token and token_matches(given, token):
        request.session["token_ok"] = _fingerprint(token)
        return True
    return False


def headers_middleware(app: ASGIApp) -> ASGIApp:
    """Add the security headers to every HTTP response, errors included."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name == "Cache-Control" and scope["path"].startswith("/static/"):
                        continue
                    headers[name] = value
            await send(message)

        await app(scope, receive, sending)

    return wrapped
