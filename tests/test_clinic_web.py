"""Clinic mode in the web app, through its real pages: signing in (and the second factor for
staff), the cookie's flags, forms refused without their token, https only off this computer's
own address, HSTS and no-store, and who reaches which pages."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient

from backcoach.services import clinic
from backcoach.services.context import App
from backcoach.web.app import create_app
from backcoach.web.deps import SESSION_COOKIE
from backcoach.web.form_tokens import FormTokens
from backcoach.web.guard import LOOPBACK_NAMES, PLAIN_HTTP
from tests.conftest import MovableNow
from tests.forms import form_token, post_form

PASSWORD = "correct horse battery staple"
HOST = "physio.example.org"


def browser(app: App, base_url: str = "https://127.0.0.1") -> TestClient:
    """A browser at the clinic, over https (as behind its proxy): its Secure cookies are sent back."""
    web = create_app(
        lambda: app,
        allowed_hosts=LOOPBACK_NAMES | {HOST},
        form_tokens=FormTokens(secure_cookie=True),
        clinic=True,
    )
    return TestClient(web, base_url=base_url, follow_redirects=False)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    signed_in = SESSION_COOKIE in client.cookies
    token = form_token(client, "/settings" if signed_in else "/sign-in")  # signed in, /sign-in goes home
    return client.post("/sign-in", data={"email": email, "password": password, "form_token": token})


@pytest.fixture
def maya(app: App) -> str:
    """A clinic, its admin, a physio and their patient Maya, who has chosen her password."""
    clinic.create_clinic(app, "Riverside", "admin@riverside.example", "Ada", PASSWORD)
    admin = app.database.accounts.by_email("admin@riverside.example")
    assert admin is not None
    from tests.test_clinic_access import staff_actor

    invite = clinic.add_staff(app, staff_actor(app, admin.email), "physio", "pat@riverside.example", "Pat")
    clinic.accept_invitation(app, invite.token, PASSWORD)
    _, patient_invite = clinic.invite_patient(
        app, staff_actor(app, "pat@riverside.example"), "Maya", "maya@example.org"
    )
    clinic.accept_invitation(app, patient_invite.token, PASSWORD)
    return "maya@example.org"


def test_nobody_signed_in_is_sent_to_sign_in(app: App, maya: str) -> None:
    client = browser(app)
    for path in ("/", "/program", "/progress", "/session", "/clinic"):
        answer = client.get(path)
        assert answer.status_code == 303 and answer.headers["location"] == "/sign-in", path
    api = client.get("/api/v1/program")
    assert api.status_code == 401 and api.json()["detail"] == "Please sign in."


def test_a_patient_signs_in_and_the_cookie_is_secure_httponly_and_strict(app: App, maya: str) -> None:
    client = browser(app)
    answer = sign_in(client, maya)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "="))
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert {"secure", "httponly", "samesite=strict", "path=/"} <= flags
    assert len(cookie.split(";")[0].split("=", 1)[1]) >= 43  # 256 random bits
    client.cookies.set(SESSION_COOKIE, cookie.split(";")[0].split("=", 1)[1])
    home = client.get("/")
    assert home.status_code == 200 and home.headers["cache-control"] == "no-store"
    assert client.get("/api/v1/program").status_code in (404, 409)  # hers: no program yet
    assert client.get("/clinic").status_code == 403  # not staff


def test_signing_in_makes_a_new_token_and_signing_out_ends_it(app: App, maya: str) -> None:
    client = browser(app)
    sign_in(client, maya)
    first = client.cookies[SESSION_COOKIE]
    sign_in(client, maya)
    second = client.cookies[SESSION_COOKIE]
    assert first != second
    stale = browser(app)
    stale.cookies.set(SESSION_COOKIE, first)
    assert stale.get("/").status_code == 303  # the old token was revoked at the new sign-in
    out = post_form(client, "/sign-out")
    assert out.headers["clear-site-data"] == '"cache", "storage"'  # nothing of hers left on a shared phone
    again = browser(app)
    again.cookies.set(SESSION_COOKIE, second)
    assert again.get("/").status_code == 303


def test_a_sign_in_form_without_its_token_is_refused(app: App, maya: str) -> None:
    client = browser(app)
    client.get("/sign-in")
    answer = client.post("/sign-in", data={"email": maya, "password": PASSWORD})
    assert answer.status_code == 403 and SESSION_COOKIE not in answer.headers.get("set-cookie", "")


def test_a_wrong_password_says_so_once_and_then_asks_to_wait(app: App, maya: str) -> None:
    client = browser(app)
    wrong = sign_in(client, maya, "not my password at all")
    assert wrong.status_code == 422 and "do not match" in wrong.text
    early = sign_in(client, maya)
    assert early.status_code == 429 and "Try again in 1 seconds" in early.text


def test_staff_need_their_code_before_any_staff_page(app: App, maya: str, now: MovableNow) -> None:
    client = browser(app)
    answer = sign_in(client, "pat@riverside.example")
    assert answer.headers["location"] == "/sign-in/code"
    assert client.get("/clinic").headers["location"] == "/sign-in"  # half signed in
    setup = client.get("/sign-in/code")
    assert "<svg" in setup.text and "Set up your sign-in code" in setup.text
    account = app.database.accounts.by_email("pat@riverside.example")
    assert account is not None and account.totp_secret is not None
    code = pyotp.TOTP(account.totp_secret).at(now().replace(tzinfo=UTC))
    done = post_form(client, "/sign-in/code", {"code": code})
    assert done.status_code == 200 and "recovery codes" in done.text.lower()
    assert client.get("/clinic").status_code == 200
    assert client.get("/program").status_code == 403  # a patient's page


def test_plain_http_is_refused_off_loopback_and_https_gets_hsts(app: App, maya: str) -> None:
    plain = browser(app, f"http://{HOST}").get("/sign-in")
    assert plain.status_code == 403 and plain.text == PLAIN_HTTP
    secure = browser(app, f"https://{HOST}").get("/sign-in")
    assert secure.status_code == 200
    assert secure.headers["strict-transport-security"].startswith("max-age=31536000")
    assert secure.headers["cache-control"] == "no-store"
    assert browser(app, "https://evil.example").get("/sign-in").status_code == 421


def test_local_mode_has_no_sign_in(app: App) -> None:
    local = TestClient(create_app(lambda: app), base_url="http://127.0.0.1")
    assert local.get("/sign-in").status_code == 404
    assert "cache-control" not in local.get("/").headers
