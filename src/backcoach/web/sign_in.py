"""Clinic mode: signing in (password, then the authenticator code for staff), signing out, and
choosing a first password from an invitation. Only in clinic mode; the use cases are
`services/accounts.py` and `services/clinic.py`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backcoach.core.access import STAFF, Role
from backcoach.core.errors import InvalidInput, NotSignedIn
from backcoach.security.session_rules import timeouts_for
from backcoach.services import accounts, clinic
from backcoach.web.deps import SESSION_COOKIE, AppDep, LoginDep, client_address, signed_in
from backcoach.web.pages import page

router = APIRouter(include_in_schema=False)
TEXT = Annotated[str, Form(max_length=400)]
PASSWORD = Annotated[str, Form(max_length=1000)]


def home_of(role: str) -> str:
    return "/clinic" if Role(role) in STAFF else "/"


def _set_session_cookie(request: Request, response: Response, token: str, role: str) -> None:
    _, absolute = timeouts_for(role)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(absolute.total_seconds()),
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.app.state.form_tokens.secure_cookie,
    )


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, login: LoginDep) -> Response:
    if login is not None and not login.needs_second_factor:
        return RedirectResponse(home_of(login.account.role), status_code=303)
    return page(request, "sign_in.html", email="", error=None, joined=request.query_params.get("joined") == "1")


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in(request: Request, app: AppDep, email: TEXT = "", password: PASSWORD = "") -> Response:
    try:
        done = accounts.sign_in(app, email, password, client_address(request), request.cookies.get(SESSION_COOKIE))
    except InvalidInput as error:
        return page(request, "sign_in.html", 422, email=email, error=error.message, joined=False)
    found = accounts.current_login(app, done.token)
    assert found is not None
    response = RedirectResponse("/sign-in/code" if done.second_factor else home_of(found.account.role), status_code=303)
    _set_session_cookie(request, response, done.token, found.account.role)
    return response


def _half_signed_in(login: accounts.Login | None) -> accounts.Login:
    if login is None:
        raise NotSignedIn()
    return login


@router.get("/sign-in/code", response_class=HTMLResponse)
def code_page(request: Request, app: AppDep, login: LoginDep) -> Response:
    found = _half_signed_in(login)
    if not found.needs_second_factor:
        return RedirectResponse(home_of(found.account.role), status_code=303)
    setup = None if found.account.totp_confirmed else accounts.totp_setup(app, found)
    return page(request, "sign_in_code.html", setup=setup, error=None)


@router.post("/sign-in/code", response_class=HTMLResponse)
def code(request: Request, app: AppDep, login: LoginDep, code: TEXT = "") -> Response:
    found = _half_signed_in(login)
    try:
        recovery = accounts.second_factor(app, found, code, client_address(request))
    except InvalidInput as error:
        setup = None if found.account.totp_confirmed else accounts.totp_setup(app, found)
        return page(request, "sign_in_code.html", 422, setup=setup, error=error.message)
    if recovery:
        return page(request, "recovery_codes.html", codes=recovery, next=home_of(found.account.role))
    return RedirectResponse(home_of(found.account.role), status_code=303)


@router.post("/sign-out")
def sign_out(request: Request, app: AppDep, login: LoginDep) -> Response:
    if login is not None:
        accounts.sign_out(app, login, client_address(request))
    return _signed_out()


def _signed_out() -> Response:
    """Back to the sign-in page, with nothing of the record left in this browser: the cookie, and
    the pages and queued requests the offline player kept (a phone may be shared)."""
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@router.post("/sign-out-everywhere")
def sign_out_everywhere(request: Request, app: AppDep) -> Response:
    accounts.sign_out_everywhere(app, signed_in(request), client_address(request))
    return _signed_out()


@router.get("/join", response_class=HTMLResponse)
def join_page(request: Request) -> Response:
    # The link's token stays out of the address bar's history only as far as the browser allows;
    # it works once, and the page sends no Referer (Referrer-Policy: no-referrer).
    token = request.query_params.get("t", "")[:200]
    return page(request, "join.html", token=token, error=None)


@router.post("/join", response_class=HTMLResponse)
def join(
    request: Request, app: AppDep, token: TEXT = "", code: TEXT = "", password: PASSWORD = "", again: PASSWORD = ""
) -> Response:
    try:
        if password != again:
            raise InvalidInput("again", "different", "The two passwords are not the same.")
        clinic.accept_invitation(app, token or code, password, client_address(request))
    except InvalidInput as error:
        return page(request, "join.html", 422, token=token, error=error.message)
    return RedirectResponse("/sign-in?joined=1", status_code=303)
