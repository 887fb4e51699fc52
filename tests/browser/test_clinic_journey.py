"""Clinic mode end to end in Chromium: the first admin signs in and sets up their code, adds a
physiotherapist; the physiotherapist joins from the link, signs in with their code and invites a
patient; the patient, on a small phone, joins, signs in, answers the questions and sees their
program, which the physiotherapist then sees on the patient's page. Every page at 360 px wide fits."""

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
from tests.browser.conftest import BROWSER_START, PHONE, Watch, set_up_maya
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


@pytest.mark.browser
def test_admin_physio_and_patient_each_get_in_and_the_patient_sees_a_program(
    open_page: Callable[[ViewportSize], Page], clinic_app: BackcoachApp, clinic_url: str
) -> None:
    admin = open_page(DESK)
    sign_in(admin, clinic_app, "ada@riverside.example", staff=True)
    admin.get_by_role("link", name="Staff").click()
    admin.get_by_label("Name").fill("Pat Physio")
    admin.get_by_label("Email address").fill("pat@riverside.example")
    admin.get_by_label("Physiotherapist").check()
    admin.get_by_role("button", name="Add and make an invitation").click()
    physio_link = admin.locator(".invite-link").inner_text()
    assert physio_link.startswith(f"{clinic_url}/join?t=")
    expect(admin.get_by_role("row", name="Pat Physio")).to_contain_text("Not set up yet")

    physio = open_page(DESK)
    join(physio, physio_link)
    clinic_app.now.advance(seconds=31)  # type: ignore[attr-defined]  # a new 30-second step for the next code
    sign_in(physio, clinic_app, "pat@riverside.example", staff=True)
    expect(physio.get_by_role("navigation", name="Main").get_by_role("link")).to_have_text(["Patients"])
    physio.get_by_role("link", name="Invite a new patient").click()
    physio.get_by_label("Name").fill("Maya Patient")
    physio.get_by_label("Email address").fill("maya@home.example")
    physio.get_by_role("button", name="Make the invitation").click()
    patient_link = physio.locator(".invite-link").inner_text()
    expect(physio.get_by_role("button", name="Print this")).to_be_visible()

    patient = open_page(PHONE)
    join(patient, patient_link)
    fits(patient, PHONE["width"])
    sign_in(patient, clinic_app, "maya@home.example", staff=False)
    patient.wait_for_url(f"{clinic_url}/")
    expect(patient.get_by_role("link", name="Account")).to_be_visible()
    set_up_maya(patient)
    expect(patient.get_by_role("heading", name="Your program")).to_be_visible()
    fits(patient, PHONE["width"])
    patient.get_by_role("link", name="Account").click()
    expect(patient.get_by_text("maya@home.example")).to_be_visible()
    fits(patient, PHONE["width"])

    physio.get_by_role("link", name="Go to Maya Patient's page").click()
    expect(physio.get_by_role("region", name="Program")).to_contain_text("Version 1")
    admin.get_by_role("link", name="Audit").click()
    expect(admin.locator("tbody")).to_contain_text("read_record")


@pytest.mark.browser
def test_the_staff_pages_fit_a_small_phone(open_page: Callable[[ViewportSize], Page], clinic_app: BackcoachApp) -> None:
    admin = open_page(PHONE)
    sign_in(admin, clinic_app, "ada@riverside.example", staff=True)
    admin.goto("/clinic/staff")
    admin.get_by_label("Name").fill("Pat Physio")
    admin.get_by_label("Email address").fill("pat@riverside.example")
    admin.get_by_role("button", name="Add and make an invitation").click()
    fits(admin, PHONE["width"])
    for path in ("/clinic", "/clinic/patients/new", "/clinic/audit", "/clinic/thresholds"):
        admin.goto(path)
        fits(admin, PHONE["width"])
