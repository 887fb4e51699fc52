"""The physiotherapist's loop in Chromium: Pat signs in with her code and invites Maya; Maya, on a
360 px phone, joins, gets her program and does a session that sharp pain stops; Pat sees the alert,
opens Maya's page, acknowledges it with a note and clears the exercise after assessing her; Maya
sees the change to her program and its reason. Every page at 360 px wide fits."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from backcoach.core.access import Actor, Role
from backcoach.services import clinic
from backcoach.services.context import App as BackcoachApp
from tests.browser.clinic.conftest import DESK, PASSWORD, fits, join, sign_in
from tests.browser.conftest import PHONE, check_in, report_pain, set_up_maya, start_session


def staff_actor(app: BackcoachApp, email: str) -> Actor:
    account = app.database.accounts.by_email(email)
    assert account is not None
    return Actor(Role(account.role), account.person_id, account.id, account.clinic_id, account.email)


def physio_invites_maya(open_page: Callable[[ViewportSize], Page], app: BackcoachApp) -> tuple[Page, str]:
    """Pat joins (through the use cases: the journey test walks that path), signs in with her code
    and invites Maya from her pages; the invitation's link."""
    admin = staff_actor(app, "ada@riverside.example")
    invite = clinic.add_staff(app, admin, "physio", "pat@riverside.example", "Pat Physio")
    clinic.accept_invitation(app, invite.token, PASSWORD)
    app.now.advance(seconds=31)  # type: ignore[attr-defined]  # a new 30-second step for her first code
    physio = open_page(DESK)
    sign_in(physio, app, "pat@riverside.example", staff=True)
    physio.get_by_role("link", name="Invite a new patient").click()
    physio.get_by_label("Name").fill("Maya Patient")
    physio.get_by_label("Email address").fill("maya@home.example")
    physio.get_by_role("button", name="Make the invitation").click()
    return physio, physio.locator(".invite-link").inner_text()


@pytest.mark.browser
def test_a_pain_stop_reaches_the_physio_who_clears_it_and_the_patient_sees_why(
    open_page: Callable[[ViewportSize], Page], clinic_app: BackcoachApp
) -> None:
    physio, link = physio_invites_maya(open_page, clinic_app)

    maya = open_page(PHONE)
    join(maya, link)
    sign_in(maya, clinic_app, "maya@home.example", staff=False)
    set_up_maya(maya)
    first = maya.locator("ol.cards h2").first.inner_text()
    start_session(maya, pain_before="4")
    report_pain(maya, "Sharp", 7)  # sharp pain ends the session, and pauses the exercise
    check_in(maya, "6")
    fits(maya, PHONE["width"])

    physio.goto("/clinic")
    physio.get_by_role("link", name="Maya Patient").first.click()
    alerts = physio.get_by_role("region", name="Alerts")
    expect(alerts.locator(".tier-critical")).to_have_count(1)
    expect(alerts.locator(".tier-critical")).to_contain_text("7/10")
    critical = alerts.locator(".tier-critical")
    critical.get_by_label("What you did or decided").fill("Called Maya: <b>no</b> leg symptoms.")
    critical.get_by_role("button", name="Acknowledge").click()
    expect(physio.get_by_role("status")).to_contain_text("The alert is acknowledged")
    expect(alerts.locator(".tier-critical")).to_have_count(0)

    safety = physio.get_by_role("region", name="Safety")
    expect(safety).to_contain_text("Paused because it hurt")
    safety.get_by_label("Your assessment").first.fill("Assessed in clinic: moves freely, no leg pain.")
    safety.get_by_role("button", name="Clear").first.click()
    expect(physio.get_by_role("status")).to_contain_text("may be offered again. It is in the sessions again")
    expect(physio.get_by_role("region", name="Notes")).to_contain_text("Assessed in clinic")
    physio.set_viewport_size(PHONE)
    fits(physio, PHONE["width"])

    maya.goto("/program")
    card = maya.locator("ol.cards li").filter(has_text=first)
    expect(card).to_contain_text("Back in your sessions: Pat Physio said it is fine on 02 Mar 2026")
    fits(maya, PHONE["width"])
