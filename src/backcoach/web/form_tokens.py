"""Proof that a form was sent from one of this app's own pages, in this same browser (CSRF tokens).

Each browser gets a random token in a cookie (HttpOnly, SameSite=Strict, Path=/). Every form the
app shows carries, in a hidden field, an HMAC of that token with this app's secret. A form post is
served only when the field matches the cookie, compared in constant time; otherwise it is refused
with a page that says to reload, and nothing is changed. Another website can neither read the field
nor, even if it managed to set a cookie, work out the field for it without the secret.

This comes on top of the Origin and fetch-metadata guard (`guard.py`), not instead of it. The JSON
API under /api/v1 takes no form: it needs application/json (`json_only`), which a form cannot send.

The secret is made new each time the app starts unless one is configured, so after a restart an
open page's form is out of date: reloading the page gives it a new field. The cookie's Secure flag
is off on this computer's own http address and can be turned on (a clinic behind https).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field

from fastapi import HTTPException, Request
from fastapi.responses import Response
from markupsafe import Markup

from backcoach.core.errors import NotAllowed
from backcoach.web.guard import SAFE_METHODS

COOKIE = "backcoach_form"
FIELD = "form_token"
OUT_OF_DATE = "This form is out of date. Please go back, reload the page and try again."
BROWSER_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")  # what secrets.token_urlsafe(32) makes


class FormOutOfDate(NotAllowed):
    def __init__(self) -> None:
        super().__init__(OUT_OF_DATE)


@dataclass(frozen=True)
class FormTokens:
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    secure_cookie: bool = False

    @classmethod
    def from_settings(cls, secret: str, secure_cookie: bool) -> FormTokens:
        if not secret:
            return cls(secure_cookie=secure_cookie)
        return cls(hashlib.sha256(secret.encode()).digest(), secure_cookie)

    def field_for(self, browser: str) -> str:
        return hmac.new(self.secret, browser.encode("ascii"), hashlib.sha256).hexdigest()

    def matches(self, browser: str | None, sent: object) -> bool:
        if browser is None or not BROWSER_TOKEN.match(browser) or not isinstance(sent, str):
            return False
        return hmac.compare_digest(self.field_for(browser).encode(), sent.encode("utf-8", "replace"))


def _tokens(request: Request) -> FormTokens:
    return request.app.state.form_tokens  # type: ignore[no-any-return]


def browser_token(request: Request) -> str:
    """This browser's token: from its cookie, or a new one that the response then sets."""
    known = request.cookies.get(COOKIE)
    if known is not None and BROWSER_TOKEN.match(known):
        return known
    made: str | None = getattr(request.state, "new_form_cookie", None)
    if made is None:
        made = secrets.token_urlsafe(32)
        request.state.new_form_cookie = made
    return made


def hidden_field(request: Request) -> Markup:
    """The hidden field every form that posts carries (a template global)."""
    value = _tokens(request).field_for(browser_token(request))
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, value)


def set_new_cookie(request: Request, response: Response) -> None:
    """Give the browser its token, when the page just shown made one for it."""
    made: str | None = getattr(request.state, "new_form_cookie", None)
    if made is not None:
        secure = _tokens(request).secure_cookie
        response.set_cookie(COOKIE, made, path="/", httponly=True, samesite="strict", secure=secure)


async def check_form(request: Request) -> None:
    """A dependency on every page route: a write must carry this browser's field."""
    if request.method in SAFE_METHODS:
        return
    form = await request.form()
    if not _tokens(request).matches(request.cookies.get(COOKIE), form.get(FIELD)):
        raise FormOutOfDate()


JSON_TYPES = re.compile(r"^application/([a-z0-9.+-]+\+)?json$")


async def json_only(request: Request) -> None:  # async: it needs no worker thread
    """A dependency on every API route: a write with a body must send it as JSON (415 otherwise),
    so that no page's form, whatever it sends, ever reaches a use case."""
    if request.method in SAFE_METHODS:
        return
    kind = request.headers.get("content-type")
    has_body = request.headers.get("content-length", "0") != "0" or "transfer-encoding" in request.headers
    if kind is None and not has_body:
        return
    if kind is None or not JSON_TYPES.match(kind.split(";")[0].strip().lower()):
        named = kind.split(";")[0].strip() if kind else "no type"
        raise HTTPException(415, f"Send the body as application/json, not {named}.")
