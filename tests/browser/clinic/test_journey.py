"""Clinic mode end to end in Chromium: the first admin signs in and sets up their code, adds a
physiotherapist; the physiotherapist joins from the link, signs in with their code and invites a
patient; the patient, on a small phone, joins, signs in, answers the questions and sees their
program, which the physiotherapist then sees on the patient's page. Every page at 360 px wide fits."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from backcoach.services.context import App as BackcoachApp
from tests.browser.clinic.conftest import DESK, fits, join, sign_in
from tests.browser.conftest import PHONE, set_up_maya


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
