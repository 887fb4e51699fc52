"""Local safety for the single-person app: only this machine's own pages may talk to it.

Other websites open in the same browser could otherwise send requests to the local app,
and DNS rebinding could make a foreign name point at 127.0.0.1. So every request must name
a loopback Host, and any Origin must be that same local address. Every response carries
headers that keep the pages from loading anything from elsewhere.
"""

from __future__ import annotations

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


def host_name(host: str) -> str:
    """'localhost:8000' -> 'localhost'; '[::1]:8000' -> '[::1]'."""
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host


def is_local_origin(origin: str, host: str) -> bool:
    for scheme in ("http://", "https://"):
        if origin.startswith(scheme):
            return origin[len(scheme) :] == host
    return False


class LocalOnly(BaseHTTPMiddleware):
    def __init__(self, app: ASGIApp, allowed_hosts: set[str] | None = None) -> None:
        super().__init__(app)
        self.allowed_hosts = allowed_hosts or LOOPBACK_NAMES

    async def dispatch(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        host = request.headers.get("host", "")
        origin = request.headers.get("origin")
        cross_site = request.headers.get("sec-fetch-site") == "cross-site"
        if host_name(host) not in self.allowed_hosts:
            response: Response = PlainTextResponse(
                "This app only answers on this computer's own address.", status_code=421
            )
        elif cross_site or (origin is not None and origin != "null" and not is_local_origin(origin, host)):
            response = PlainTextResponse("Requests from other websites are refused.", status_code=403)
        else:
            response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():  # on refusals too
            response.headers.setdefault(name, value)
        return response
