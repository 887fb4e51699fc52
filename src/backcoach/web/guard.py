"""Local safety for the single-person app: only this machine's own pages may talk to it.

Other websites open in the same browser could otherwise send requests to the local app,
and DNS rebinding could make a foreign name point at 127.0.0.1. So every request must name
a loopback Host, and any Origin must be that same local address. Every response carries
headers that keep the pages from loading anything from elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp

LOOPBACK_NAMES = {"127.0.0.1", "localhost", "[::1]"}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), screen-wake-lock=(self)",
}


# A Host header is a name and, at most, a port of digits: nothing else may follow the name
# ("127.0.0.1:8000@evil.example" names no loopback host).
HOST = re.compile(r"^(?P<name>\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(?P<port>[0-9]{1,5}))?$")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def host_name(host: str) -> str:
    """'localhost:8000' -> 'localhost'; '[::1]:8000' -> '[::1]'; '' for anything that is not a host."""
    found = HOST.match(host)
    return found.group("name").lower() if found else ""


def is_local_origin(origin: str, host: str) -> bool:
    for scheme in ("http://", "https://"):
        if origin.startswith(scheme):
            return origin[len(scheme) :] == host
    return False


def refused_because(method: str, origin: str | None, fetch_site: str | None, host: str) -> str | None:
    """Why a request from a browser page must be refused, or None. A write needs this app's own
    Origin; when the browser hides it ("null", as a no-referrer page sends), only its own word that
    the request is same-origin will do: another port on this computer is same-site, never
    same-origin. A request with neither header comes from a program, not a web page."""
    if fetch_site == "cross-site":
        return "Requests from other websites are refused."
    if origin is not None and origin != "null":
        return None if is_local_origin(origin, host) else "Requests from other websites are refused."
    if method in SAFE_METHODS:
        return None
    if fetch_site in (None, "same-origin", "none") and not (origin == "null" and fetch_site is None):
        return None
    return "Requests from other websites are refused."


# Clinic mode: browsers keep to https for a year once they have seen the clinic over https, and
# nothing with health data is kept in a cache (OWASP ASVS 5.0 V3.4.1 and V14.3).
HSTS = "max-age=31536000; includeSubDomains"
NO_STORE = "no-store"
PLAIN_HTTP = "This clinic only answers over https. Open it with https:// in front of its address."


class LocalOnly(BaseHTTPMiddleware):
    """Every request names an allowed Host and comes from this app's own pages. In clinic mode the
    allowed names include the clinic's own, plain http is refused except on this computer's own
    address (the https proxy in front passes requests on over loopback with X-Forwarded-Proto, which
    uvicorn trusts from 127.0.0.1 only), and answers carry HSTS and `Cache-Control: no-store`."""

    def __init__(self, app: ASGIApp, allowed_hosts: set[str] | None = None, clinic: bool = False) -> None:
        super().__init__(app)
        self.allowed_hosts = allowed_hosts or LOOPBACK_NAMES
        self.clinic = clinic

    async def dispatch(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        host = request.headers.get("host", "")
        headers = request.headers
        refusal = refused_because(request.method, headers.get("origin"), headers.get("sec-fetch-site"), host)
        if host_name(host) not in self.allowed_hosts:
            response: Response = PlainTextResponse(
                "This app only answers on this computer's own address.", status_code=421
            )
        elif refusal is not None:
            response = PlainTextResponse(refusal, status_code=403)
        elif self.clinic and request.url.scheme != "https" and host_name(host) not in LOOPBACK_NAMES:
            response = PlainTextResponse(PLAIN_HTTP, status_code=403)
        else:
            response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():  # on refusals too
            response.headers.setdefault(name, value)
        if self.clinic:
            if request.url.scheme == "https":
                response.headers.setdefault("Strict-Transport-Security", HSTS)
            if not request.url.path.startswith("/static/"):
                response.headers["Cache-Control"] = NO_STORE
        return response
