"""The physiotherapist's loop in Chromium: Pat signs in with her code and invites Maya; Maya, on a
360 px phone, joins and answers the questions; Pat prescribes her program from one of the clinic's
templates with one dose changed, and prints the handout; Maya does a session that sharp pain
stops; Pat sees the alert, opens Maya's page, acknowledges it with a note, clears the exercise
after assessing her and changes the program; Maya sees the changes and their reasons. Every page
at 360 px wide fits."""

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


def prescribe_from_a_template(physio: Page) -> str:
    """Keep a fresh plan as the clinic's template, start Maya's program from it, change the first
    exercise's repeats (with a reason if that is outside the sources), save; the exercise's name."""
    physio.get_by_role("link", name="Change the program").click()
    physio.get_by_role("link", name="a fresh plan from the patient's answers").click()
    physio.get_by_label("Template name").fill("Low back, <gentle> start")
    physio.get_by_role("button", name="Keep as the clinic's template").click()
    expect(physio.get_by_role("status")).to_contain_text("Kept as the clinic's template")
    physio.get_by_role("link", name="template “Low back, <gentle> start”").click()
    card = physio.locator("ol.cards > li").first
    name = card.locator("h2 a").inner_text()
    repeats = card.get_by_label("Repeats")
    repeats.fill(str(int(repeats.input_value() or "1") + 1))
    physio.get_by_role("button", name="Check the draft").click()
    reason = physio.locator('ol.cards > li input[type="text"][name="reason_0"]')
    if reason.count():
        reason.fill("She did these easily in clinic.")
    physio.get_by_label("A note to the patient").fill("One more repeat of the first exercise.")
    physio.get_by_role("button", name="Save the program").click()
    expect(physio.get_by_role("status").first).to_contain_text("is the patient's program now")
    return name


@pytest.mark.browser
def test_prescribed_from_a_template_a_pain_stop_reaches_the_physio_who_clears_and_changes_it(
    open_page: Callable[[ViewportSize], Page], clinic_app: BackcoachApp
) -> None:
    physio, link = physio_invites_maya(open_page, clinic_app)

    maya = open_page(PHONE)
    join(maya, link)
    sign_in(maya, clinic_app, "maya@home.example", staff=False)
    set_up_maya(maya)

    physio.goto("/clinic")
    physio.get_by_role("link", name="Maya Patient").first.click()
    first = prescribe_from_a_template(physio)
    physio.get_by_role("link", name="Maya Patient").click()
    handout = physio.request.get(physio.get_by_role("link", name="Print the handout").get_attribute("href") or "")
    assert handout.ok and handout.headers["content-type"] == "application/pdf"
    maya.goto("/program")
    expect(maya.get_by_role("note")).to_contain_text("Changed by your physiotherapist. One more repeat")
    fits(maya, PHONE["width"])
    start_session(maya, pain_before="4")
    report_pain(maya, "Sharp", 7)  # sharp pain ends the session, and pauses the exercise
    check_in(maya, "6")
    expect(maya.locator("#rescreen")).to_be_visible()  # saved: pain rose 2 points, so the signs are asked again
    fits(maya, PHONE["width"])

    physio.goto("/clinic/templates")  # any staff page: the critical alert is at the top
    banner = physio.get_by_role("complementary", name="Critical alerts")
    expect(banner).to_contain_text("Maya Patient")
    banner.get_by_role("link", name="Maya Patient").click()
    alerts = physio.get_by_role("region", name="Alerts")
    expect(alerts.locator(".tier-critical")).to_have_count(1)
    expect(alerts.locator(".tier-critical")).to_contain_text("7/10")
    critical = alerts.locator(".tier-critical")
    critical.get_by_label("What you did or decided").fill("Called Maya: <b>no</b> leg symptoms.")
    critical.get_by_role("button", name="Acknowledge").click()
    expect(physio.get_by_role("status")).to_contain_text("The alert is acknowledged")
    expect(alerts.locator(".tier-critical")).to_have_count(0)
    expect(physio.get_by_role("complementary", name="Critical alerts")).to_have_count(0)

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

    physio.get_by_role("link", name="Change the program").click()
    card = physio.locator("ol.cards > li").filter(has_text=first)
    card.get_by_role("button", name="Remove").click()
    physio.get_by_label("A note to the patient").fill(f"{first} is out for now: we will try it again next visit.")
    physio.get_by_role("button", name="Save the program").click()
    expect(physio.get_by_role("status").first).to_contain_text("is the patient's program now")
    fits(physio, PHONE["width"])

    maya.goto("/program")
    expect(maya.get_by_role("note")).to_contain_text(f"{first} is out for now: we will try it again next visit.")
    expect(maya.locator("ol.cards")).not_to_contain_text(first)
    fits(maya, PHONE["width"])
