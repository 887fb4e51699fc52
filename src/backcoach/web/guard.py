"""Local safety for the single-person app: only this machine's own pages may talk to it.

Other websites open in the same browser could otherwise send requests to the local app,
and DNS rebinding could make a foreign name point at 127.0.0.1. So every request must name
a loopback Host, and any Origin must be that same local address. Every response carries
headers that keep the pages from loading anything from elsewhere.
"""

from __future__ import annotations

import re

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


class LocalOnly:
    """Every request names an allowed Host and comes from this app's own pages. In clinic mode the
    allowed names include the clinic's own, plain http is refused except on this computer's own
    address (the https proxy in front passes requests on over loopback with X-Forwarded-Proto, which
    uvicorn trusts from 127.0.0.1 only), and answers carry HSTS and `Cache-Control: no-store`.

    Plain ASGI middleware, not Starlette's BaseHTTPMiddleware: that one runs each request through a
    task and a memory stream, which costs more than many of the requests themselves."""

    def __init__(self, app: ASGIApp, allowed_hosts: set[str] | None = None, clinic: bool = False) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts or LOOPBACK_NAMES
        self.clinic = clinic
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]

    def refusal(self, scope: Scope) -> Response | None:
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        method = scope["method"]
        refusal = refused_because(method, headers.get("origin"), headers.get("sec-fetch-site"), host)
        if host_name(host) not in self.allowed_hosts:
            return PlainTextResponse("This app only answers on this computer's own address.", status_code=421)
        if refusal is not None:
            return PlainTextResponse(refusal, status_code=403)
        if self.clinic and scope.get("scheme") != "https" and host_name(host) not in LOOPBACK_NAMES:
            return PlainTextResponse(PLAIN_HTTP, status_code=403)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"
        static = str(scope.get("path", "")).startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                known = {name for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in known]  # on refusals too
                if self.clinic:
                    if https and b"strict-transport-security" not in known:
                        extra.append((b"strict-transport-security", HSTS.encode()))
                    if not static:
                        message["headers"] = [(k, v) for k, v in message.get("headers", []) if k != b"cache-control"]
                        extra.append((b"cache-control", NO_STORE.encode()))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        refused = self.refusal(scope)
        if refused is not None:
            await refused(scope, receive, with_headers)
            return
        await self.app(scope, receive, with_headers)
