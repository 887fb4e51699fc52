"""The physiotherapist's pages: the list of patients, inviting one (the link and code shown once),
a new invitation for one who has not joined, and a patient's page: their program, last sessions
and safety, each read written to the audit trail. An admin adds a physiotherapist to a care team
and confirms a deletion the patient asked for."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from backcoach.core.screening import QUESTION_IDS
from backcoach.services import clinic
from backcoach.services.context import App
from backcoach.services.programs import set_profile
from backcoach.services.screening import rescreen
from backcoach.services.sessions import log_session
from tests.clinic.helpers import PASSWORD, Riverside, riverside
from tests.examples import example_profile
from tests.forms import post_form

LINK = re.compile(r'<a class="invite-link" href="[^"]+\?t=([^"]+)">')


@pytest.fixture
def place(app: App) -> Riverside:
    return riverside(app)


@pytest.fixture
def pat(place: Riverside) -> TestClient:
    return place.clinic.signed_in(place.pat)


def reads(place: Riverside, public_id: str) -> int:
    events = clinic.audit_trail(place.clinic.app, place.admin.actor, "read_record", None, public_id)
    return len(events)


def test_a_physio_invites_a_patient_who_then_joins_and_signs_in(place: Riverside, pat: TestClient) -> None:
    shown = post_form(pat, "/clinic/patients/new", {"name": "Sam <b>Lee</b>", "email": "sam@home.example"})
    assert shown.status_code == 200
    home = pat.get("/clinic").text
    assert "Sam &lt;b&gt;Lee&lt;/b&gt;" in home and "not joined yet" in home
    public_id = re.search(r'href="/clinic/patients/([0-9a-f-]{36})">Sam', home)
    assert public_id is not None
    page = pat.get(f"/clinic/patients/{public_id.group(1)}").text
    assert "Not joined yet" in page and "New invitation" in page
    again = post_form(pat, f"/clinic/patients/{public_id.group(1)}/invitation", {})
    token = LINK.search(again.text)
    assert again.status_code == 200 and token is not None and "shown only this once" in again.text
    sam = place.clinic.browser()
    sam.get(f"/join?t={token.group(1)}")
    joined = post_form(sam, "/join", {"token": token.group(1), "password": PASSWORD, "again": PASSWORD})
    assert joined.headers["location"] == "/sign-in?joined=1"
    place.clinic.sign_in(sam, "sam@home.example")
    assert sam.get("/").status_code == 200
    assert "Joined" in pat.get(f"/clinic/patients/{public_id.group(1)}").text
    assert "New invitation" not in pat.get(f"/clinic/patients/{public_id.group(1)}").text
    refused = post_form(pat, f"/clinic/patients/{public_id.group(1)}/invitation", {})
    assert refused.status_code == 422 and "already chosen a password" in refused.text


def test_the_invitation_page_shows_the_link_and_code_once_and_prints(place: Riverside, pat: TestClient) -> None:
    shown = post_form(pat, "/clinic/patients/new", {"name": "Lou", "email": "lou@home.example"})
    code = re.search(r'<p class="invite-code"><code>([^<]+)</code>', shown.text)
    assert code is not None and "data-print" in shown.text
    assert code.group(1) not in pat.get("/clinic").text
    lou = place.clinic.browser()
    lou.get("/join")
    assert post_form(lou, "/join", {"code": code.group(1), "password": PASSWORD, "again": PASSWORD}).status_code == 303


def test_a_wrong_new_patient_form_keeps_what_was_typed(place: Riverside, pat: TestClient) -> None:
    refused = post_form(pat, "/clinic/patients/new", {"name": "Lou", "email": "lou at home"})
    assert refused.status_code == 422 and 'value="lou at home"' in refused.text
    taken = post_form(pat, "/clinic/patients/new", {"name": "Maya", "email": place.maya.email})
    assert taken.status_code == 422 and "already exists" in taken.text
    assert [p.name for p in clinic.patients(place.clinic.app, place.pat.actor)] == ["Maya Patient"]


def test_the_patients_page_shows_the_program_sessions_and_safety_and_is_audited(
    place: Riverside, pat: TestClient
) -> None:
    maya = place.clinic.own_scope(place.maya)
    set_profile(maya, example_profile("maya"))
    log_session(maya, pain_before=5, pain_after=3, difficulty="right", skipped=[], pain_stops={})
    path = f"/clinic/patients/{place.maya.public_id}"
    page = pat.get(path).text
    assert "Version 1" in page and "/library/" in page
    assert re.search(r"<td>5</td>\s*<td>3</td>\s*<td>right</td>", page)
    assert "No warning sign waiting" in page
    assert reads(place, place.maya.public_id) == 1
    rescreen(maya, {**dict.fromkeys(QUESTION_IDS, False), "fever": True})
    assert 'class="alert doctor" role="alert"' in pat.get(path).text
    assert reads(place, place.maya.public_id) == 2
    assert "Care team" not in page  # the admin's part of the page


def test_an_admin_outside_the_care_team_sees_no_record_and_adds_a_physio(place: Riverside) -> None:
    admin = place.clinic.signed_in(place.admin)
    path = f"/clinic/patients/{place.maya.public_id}"
    page = admin.get(path).text
    assert "Maya Patient" in page and "their record is not shown" in page and "Sessions</h2>" not in page
    assert reads(place, place.maya.public_id) == 0
    assert "Pat Physio</li>" in page and f'<option value="{place.quinn.public_id}">Quinn Physio</option>' in page
    quinn = place.clinic.signed_in(place.quinn)
    assert quinn.get(path).status_code == 404
    added = post_form(admin, f"{path}/care-team", {"physio": place.quinn.public_id})
    assert added.headers["location"] == f"{path}?done=added"
    assert "Added to the care team." in admin.get(added.headers["location"]).text
    assert quinn.get(path).status_code == 200
    assert post_form(admin, f"{path}/care-team", {"physio": place.other_admin.public_id}).status_code == 404


def test_a_deletion_the_patient_asked_for_is_confirmed_by_an_admin(place: Riverside) -> None:
    admin = place.clinic.signed_in(place.admin)
    maya = place.clinic.signed_in(place.maya)
    path = f"/clinic/patients/{place.maya.public_id}"
    assert "Delete record" not in admin.get(path).text
    not_asked = post_form(admin, f"{path}/delete", {"confirm": "yes"})
    assert not_asked.status_code == 422 and "has not asked" in not_asked.text
    assert "Are you sure?" in post_form(maya, "/account/delete", {}).text  # the first press only asks
    assert place.clinic.app.database.clinic(place.admin.actor.clinic_id or 0).patient(place.maya.public_id)
    assert post_form(maya, "/account/delete", {"confirm": "yes"}).status_code == 200
    assert "You asked for your record to be deleted" in maya.get("/account").text
    assert "Delete record" in admin.get(path).text
    unticked = post_form(admin, f"{path}/delete", {})
    assert unticked.status_code == 422 and "Tick the box" in unticked.text
    deleted = post_form(admin, f"{path}/delete", {"confirm": "yes"})
    assert deleted.status_code == 200 and "Record deleted" in deleted.text
    assert admin.get(path).status_code == 404
    assert maya.get("/").headers["location"] == "/sign-in"  # her account went with her record
    trail = [
        e.action for e in clinic.audit_trail(place.clinic.app, place.admin.actor, None, None, place.maya.public_id)
    ]
    assert trail[:2] == ["patient_deleted", "deletion_requested"]
