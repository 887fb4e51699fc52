"""The program builder in Chromium on a 360 px phone, with JavaScript off: a physiotherapist moves,
removes and adds exercises, changes a dose outside the sources with a reason, saves, and the
patient sees "Changed by your physiotherapist" with the note. Each page fits the phone's width."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.access import Actor, Role
from backcoach.services import clinic, programs
from backcoach.services.context import App as BackcoachApp
from backcoach.services.context import Scope
from backcoach.storage.database import open_database
from backcoach.storage.repository import Database
from backcoach.web.app import create_app
from tests.browser.conftest import BROWSER_START, PHONE
from tests.conftest import MovableNow
from tests.examples import example_profile
from tests.served import served

PASSWORD = "a long walk by the river"


@pytest.fixture
def place(tmp_path: Path) -> tuple[BackcoachApp, str]:
    database = Database(open_database(f"sqlite:///{tmp_path / 'c.sqlite3'}"))
    app = BackcoachApp(database, load_catalogue(), MovableNow(BROWSER_START))
    admin = clinic.create_clinic(app, "Riverside", "ada@riverside.example", "Ada Admin", PASSWORD)
    ada = Actor(Role.admin, None, admin.id, admin.clinic_id, admin.email)
    invite = clinic.add_staff(app, ada, "physio", "pat@riverside.example", "Pat Physio")
    clinic.accept_invitation(app, invite.token, PASSWORD)
    pat = Actor(Role.physio, None, invite.account.id, admin.clinic_id, "pat@riverside.example")
    entry, joined = clinic.invite_patient(app, pat, "Maya Patient", "maya@home.example")
    clinic.accept_invitation(app, joined.token, PASSWORD)
    own = Scope(app, Actor(Role.patient, entry.person_id, None, entry.clinic_id), entry.person_id)
    programs.set_profile(own, example_profile("maya", sessions_per_day=1))
    return app, entry.public_id


@pytest.fixture
def url(place: tuple[BackcoachApp, str]) -> Iterator[str]:
    with served(create_app(lambda: place[0], clinic=True)) as found:
        yield found


def phone(browser: Browser, url: str) -> Page:
    context = browser.new_context(viewport=PHONE, base_url=url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def sign_in(page: Page, app: BackcoachApp, email: str, staff: bool) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if staff:
        page.get_by_role("heading", name="Set up your sign-in code").wait_for()
        secret = page.locator("code.key").inner_text()
        page.get_by_label("Code").fill(pyotp.TOTP(secret).at(app.now().replace(tzinfo=UTC)))
        page.get_by_role("button", name="Go on").click()
        page.get_by_role("link", name="I have kept them: go on").click()


def fits(page: Page) -> None:
    """Nothing on the page reaches past the phone's right edge (the page runs no scripts to ask it)."""
    parts = page.locator("main, form.builder, ol.cards > li, form.builder label, form.builder select, button").all()
    for part in parts:
        box = part.bounding_box()
        assert box is None or box["x"] + box["width"] <= PHONE["width"], f"{page.url}: {part.inner_text()[:40]}"


@pytest.mark.browser
def test_a_physio_builds_a_program_on_a_phone_without_javascript(
    browser: Browser, place: tuple[BackcoachApp, str], url: str
) -> None:
    app, public_id = place
    physio = phone(browser, url)
    sign_in(physio, app, "pat@riverside.example", staff=True)
    physio.goto(f"/clinic/patients/{public_id}")
    physio.get_by_role("link", name="Change the program").click()
    fits(physio)
    cards = physio.locator("ol.cards > li")
    first = cards.nth(0).locator("h2").inner_text()
    cards.nth(0).get_by_role("button", name="Down").click()
    expect(cards.nth(1).locator("h2")).to_contain_text(first.split(". ", 1)[1])
    count = cards.count()
    cards.nth(count - 1).get_by_role("button", name="Remove").click()
    expect(cards).to_have_count(count - 1)
    physio.get_by_role("button", name="Add", exact=True).click()
    expect(cards).to_have_count(count)
    cards.nth(1).get_by_label("Repeats").fill("6")
    physio.get_by_role("button", name="Save the program").click()
    expect(physio.get_by_role("alert").first).to_contain_text("Write the reason")
    physio.locator('input[name="reason_1"]').fill("She managed 6 in clinic.")
    physio.get_by_label("A note to the patient").fill("Gentler on the hips for now.")
    physio.get_by_role("button", name="Save the program").click()
    expect(physio.get_by_role("status").first).to_contain_text("version 2")
    fits(physio)

    patient = phone(browser, url)
    sign_in(patient, app, "maya@home.example", staff=False)
    patient.goto("/program")
    expect(patient.get_by_role("note")).to_contain_text("Changed by your physiotherapist. Gentler on the hips for now.")
    expect(patient.locator("main")).to_contain_text("She managed 6 in clinic.")
