"""Input an attacker or a slip of the keyboard sends to the clinic's pages: digits that are not
ASCII ("²" is a digit to Python's str), doubled signs, a bad cursor. Each gets one clear answer
(422), never a server error, and changes nothing. And an admin outside a patient's care team sees
nothing of the record in the list or the banner."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from backcoach.core.errors import NotFound
from backcoach.services import clinic, patient_care, programs, sessions
from backcoach.services.context import App
from tests.clinic.helpers import Riverside, riverside
from tests.clinic.test_prescribe_pages import builder, form_of
from tests.examples import example_profile
from tests.forms import post_form

THRESHOLDS = {
    "engagement_low_hours": "49",
    "engagement_high_days": "14",
    "engagement_dropped_days": "21",
    "pain_watch_level": "5",
    "pain_watch_rise": "1",
    "pain_act_rise": "2",
    "pain_critical": "7",
    "function_drop": "20",
}


@pytest.fixture
def place(app: App) -> Riverside:
    found = riverside(app)
    programs.set_profile(found.clinic.own_scope(found.maya), example_profile("maya", sessions_per_day=1))
    return found


def no_raise(browser: TestClient) -> TestClient:
    browser.raise_server_exceptions = False  # type: ignore[attr-defined]  # a 500 is an answer to check
    return browser


def versions(place: Riverside) -> int:
    return len(programs.program_versions(place.clinic.own_scope(place.maya)))


@pytest.mark.parametrize("typed", ["²", "--5", "1_0", "٣"])
def test_an_odd_number_in_a_dose_is_refused_and_saves_nothing(place: Riverside, typed: str) -> None:
    pat = no_raise(place.clinic.signed_in(place.pat))
    form = form_of(pat.get(builder(place)).text)
    field = next(k for k in form if re.fullmatch(r"(reps|hold_seconds|sets|hold_breaths)_0", k))
    before = versions(place)
    done = post_form(pat, builder(place), {**form, field: typed, "op": "save"})
    assert done.status_code == 422 and versions(place) == before, typed


@pytest.mark.parametrize("op", ["up-²", "down-٣", "remove-99999999999999999999", "up--1"])
def test_an_odd_row_button_changes_nothing(place: Riverside, op: str) -> None:
    pat = no_raise(place.clinic.signed_in(place.pat))
    form = form_of(pat.get(builder(place)).text)
    done = post_form(pat, builder(place), {**form, "op": op})
    assert done.status_code == 200 and form_of(done.text).keys() >= {k for k in form if k.startswith("id_")}


@pytest.mark.parametrize("page", ["²", "٣", "-1", "0", "1" * 30])
def test_an_odd_page_of_the_list_is_a_clear_422(place: Riverside, page: str) -> None:
    shown = no_raise(place.clinic.signed_in(place.pat)).get("/clinic", params={"page": page})
    assert shown.status_code == 422 and "page number" in shown.text


def test_an_odd_threshold_is_refused_and_changes_nothing(place: Riverside) -> None:
    admin = no_raise(place.clinic.signed_in(place.admin))
    done = post_form(admin, "/clinic/thresholds", {**THRESHOLDS, "pain_critical": "²"})
    assert done.status_code == 422
    assert not clinic.audit_trail(place.clinic.app, place.admin.actor, "thresholds_changed")


@pytest.mark.parametrize("before", ["abc", "99999999999999999999999", "-1", "²", "1" * 300])
def test_an_odd_cursor_on_the_patient_page_is_a_clear_422(place: Riverside, before: str) -> None:
    shown = no_raise(place.clinic.signed_in(place.pat)).get(
        f"/clinic/patients/{place.maya.public_id}", params={"before": before}
    )
    assert shown.status_code == 422


def test_an_admin_outside_the_care_team_sees_names_but_nothing_of_the_record(place: Riverside, app: App) -> None:
    maya = place.clinic.own_scope(place.maya)
    sessions.log_session(maya, 3, 3, "right", [], {})
    app.now.advance(days=1)  # type: ignore[attr-defined]
    sessions.log_session(maya, 5, 8, "hard", [], {})  # 8/10: a critical alert for her care team
    with pytest.raises(NotFound):
        patient_care.record_view(app, place.admin.actor, place.maya.public_id)
    home = place.clinic.signed_in(place.admin).get("/clinic").text
    assert "Everyone in the clinic" in home and "Maya Patient" in home
    assert not [w for w in ("Severe pain", "Worst pain at the last", "Critical alerts", "8/10") if w in home]
    pat_home = place.clinic.signed_in(place.pat).get("/clinic").text
    assert "Critical alerts" in pat_home and "Worst pain at the last" in pat_home
    listed = clinic.audit_trail(app, place.admin.actor, "patients_listed")
    assert len(listed) == 2 and listed[0].detail.startswith("page 1: 1 of 1")
