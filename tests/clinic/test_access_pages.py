"""Who reaches which clinic page: signed out, the sign-in page; a patient on staff pages and a
physiotherapist on the admin's, 403; a patient outside the policy, 404 whatever the reason. And the
header shows each role its own links."""

from __future__ import annotations

import re
import uuid

import pytest
from fastapi.testclient import TestClient

from backcoach.services.context import App
from backcoach.web.app import create_app
from tests.clinic.helpers import Riverside, riverside
from tests.forms import post_form

STAFF_PAGES = ["/clinic", "/clinic/patients/new"]
ADMIN_PAGES = ["/clinic/staff", "/clinic/audit", "/clinic/audit.csv"]
PATIENT_PAGES = ["/account", "/account/export"]


@pytest.fixture
def place(app: App) -> Riverside:
    return riverside(app)


def nav_links(page: str) -> list[str]:
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', page, re.S)
    return re.findall(r'<a href="([^"]+)">', nav.group(1)) if nav else []


def test_signed_out_every_clinic_page_goes_to_sign_in_and_the_header_is_only_the_brand(place: Riverside) -> None:
    browser = place.clinic.browser()
    maya_page = f"/clinic/patients/{place.maya.public_id}"
    for path in [*STAFF_PAGES, *ADMIN_PAGES, *PATIENT_PAGES, maya_page, "/", "/program"]:
        answer = browser.get(path)
        assert (answer.status_code, answer.headers.get("location")) == (303, "/sign-in"), path
    for path in [f"{maya_page}/invitation", f"{maya_page}/delete", "/clinic/patients/new", "/account/delete"]:
        assert post_form(browser, path, {}).headers.get("location") == "/sign-in", path
    sign_in = browser.get("/sign-in").text
    assert nav_links(sign_in) == [] and "Sign out" not in sign_in
    assert '<a class="brand" href="/">backcoach</a>' in sign_in


def test_a_patient_on_staff_pages_is_refused(place: Riverside) -> None:
    maya = place.clinic.signed_in(place.maya)
    for path in [*STAFF_PAGES, *ADMIN_PAGES, f"/clinic/patients/{place.maya.public_id}"]:
        assert maya.get(path).status_code == 403, path
    assert post_form(maya, "/clinic/patients/new", {"name": "X", "email": "x@home.example"}).status_code == 403
    assert post_form(maya, "/clinic/staff", {"name": "X", "email": "x@x.example", "role": "admin"}).status_code == 403


def test_a_physio_on_the_admins_pages_is_refused_and_staff_have_no_patient_account(place: Riverside) -> None:
    pat = place.clinic.signed_in(place.pat)
    for path in ADMIN_PAGES:
        assert pat.get(path).status_code == 403, path
    assert post_form(pat, "/clinic/staff", {"name": "X", "email": "x@x.example", "role": "admin"}).status_code == 403
    assert post_form(pat, f"/clinic/staff/{place.quinn.public_id}/disable", {}).status_code == 403
    assert pat.get("/account").status_code == 403


def test_outside_the_policy_a_patient_is_not_found_whatever_the_reason(place: Riverside) -> None:
    quinn = place.clinic.signed_in(place.quinn)  # a physiotherapist, not in Maya's care team
    other_admin = place.clinic.signed_in(place.other_admin)
    pat = place.clinic.signed_in(place.pat)
    maya = place.maya.public_id
    cases = [
        (quinn, maya),  # outside the care team
        (other_admin, maya),  # another clinic's admin
        (pat, place.other_patient.public_id),  # another clinic's patient
        (pat, str(uuid.uuid4())),  # nobody
        (pat, "not-a-uuid"),
        (pat, "x" * 500),
    ]
    answers = [browser.get(f"/clinic/patients/{public_id}") for browser, public_id in cases]
    assert [a.status_code for a in answers] == [404] * len(cases)
    assert len({a.text.split("<main")[1].split("</main>")[0] for a in answers}) == 1  # nothing tells them apart
    for path in ("invitation", "delete", "care-team"):
        assert post_form(quinn, f"/clinic/patients/{maya}/{path}", {"confirm": "yes"}).status_code in (403, 404)
        assert post_form(other_admin, f"/clinic/patients/{maya}/{path}", {"confirm": "yes"}).status_code == 404
    assert pat.get(f"/clinic/patients/{maya}").status_code == 200


def test_each_role_sees_its_own_links_and_a_sign_out_button(place: Riverside) -> None:
    c = place.clinic
    assert nav_links(c.signed_in(place.admin).get("/clinic").text) == ["/clinic", "/clinic/staff", "/clinic/audit"]
    assert nav_links(c.signed_in(place.pat).get("/clinic").text) == ["/clinic"]
    maya = c.signed_in(place.maya)
    home = maya.get("/").text
    assert nav_links(home) == ["/program", "/session", "/progress", "/library", "/learn", "/account"]
    assert 'action="/sign-out"' in home
    assert post_form(maya, "/sign-out", {}).headers["location"] == "/sign-in"
    assert maya.get("/").headers["location"] == "/sign-in"


def test_a_half_signed_in_staff_member_sees_no_links(place: Riverside) -> None:
    browser = place.clinic.browser()
    post_form(browser, "/sign-in", {"email": place.pat.email, "password": "a long walk by the river"})
    page = browser.get("/sign-in/code").text
    assert nav_links(page) == [] and "Set up your sign-in code" in page
    assert browser.get("/clinic").headers["location"] == "/sign-in"


def test_local_mode_has_the_one_persons_links_and_no_clinic_pages(app: App) -> None:
    local = TestClient(create_app(lambda: app), base_url="http://127.0.0.1")
    page = local.get("/").text
    assert nav_links(page) == ["/program", "/session", "/progress", "/library", "/learn", "/settings"]
    assert "Sign out" not in page and '<a class="brand" href="/">backcoach</a>' in page
    for path in ["/clinic", "/clinic/staff", "/account", "/sign-in"]:
        assert local.get(path).status_code == 404, path
