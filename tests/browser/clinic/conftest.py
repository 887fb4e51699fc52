"""Clinic mode in Chromium: a clinic on a real server (on loopback), its first admin, and pages opened
at a given size on Playwright's fake clock; signing in (with the code an authenticator app would
show), joining from an invitation link, and whether a page fits its width."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from backcoach.catalogue.loader import load_catalogue
from backcoach.services import clinic
from backcoach.services.context import App as BackcoachApp
from backcoach.storage.database import open_database
from backcoach.storage.repository import Database
from backcoach.web.app import create_app
from tests.browser.conftest import BROWSER_START, Watch
from tests.conftest import MovableNow
from tests.served import served

PASSWORD = "a long walk by the river"
DESK: ViewportSize = {"width": 1024, "height": 768}


@pytest.fixture
def clinic_app(tmp_path: Path) -> BackcoachApp:
    now = MovableNow(BROWSER_START)
    app = BackcoachApp(Database(open_database(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")), load_catalogue(), now)
    clinic.create_clinic(app, "Riverside", "ada@riverside.example", "Ada Admin", PASSWORD)
    return app


@pytest.fixture
def clinic_url(clinic_app: BackcoachApp) -> Iterator[str]:
    with served(create_app(lambda: clinic_app, clinic=True)) as url:
        yield url


@pytest.fixture
def open_page(browser: Browser, clinic_url: str) -> Iterator[Callable[[ViewportSize], Page]]:
    contexts: list[BrowserContext] = []
    watches: list[Watch] = []

    def open_(viewport: ViewportSize) -> Page:
        context = browser.new_context(viewport=viewport, base_url=clinic_url)
        context.clock.install(time=BROWSER_START)
        context.clock.pause_at(BROWSER_START)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        watch = Watch()
        watches.append(watch)
        page.on("request", lambda request: watch.requests.append(request.url))
        page.on("pageerror", lambda error: watch.errors.append(str(error)))
        page.on("console", lambda message: watch.console(message))
        return page

    yield open_
    for context in contexts:
        context.close()
    for watch in watches:
        assert not watch.errors, f"script or console errors: {watch.errors}"
        assert all(url.startswith(clinic_url + "/") for url in watch.requests)


def fits(page: Page, width: int) -> None:
    wide = page.evaluate("document.scrollingElement.scrollWidth")
    assert wide <= width, f"{page.url} is {wide} px wide"


def sign_in(page: Page, app: BackcoachApp, email: str, staff: bool) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if not staff:
        return
    page.get_by_role("heading", name="Set up your sign-in code").wait_for()
    secret = page.locator("code.key").inner_text()
    page.get_by_label("Code").fill(pyotp.TOTP(secret).at(app.now().replace(tzinfo=UTC)))
    page.get_by_role("button", name="Go on").click()
    page.get_by_role("heading", name="Keep these recovery codes").wait_for()
    page.get_by_role("link", name="I have kept them: go on").click()
    page.wait_for_url("**/clinic")


def join(page: Page, link: str) -> None:
    page.goto(link)
    page.get_by_label("New password").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_role("button", name="Save my password").click()
    page.wait_for_url("**/sign-in?joined=1")
    expect(page.get_by_role("status")).to_contain_text("Your password is saved")
