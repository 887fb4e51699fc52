"""A patient's own account page: who they are, signing out everywhere, and their own data as one
file: their rows of the history tables and nobody else's, and none of the clinic's tables."""

from __future__ import annotations

import json

import pytest

from backcoach.core.errors import NotAllowed
from backcoach.exports.transfer import TABLE_NAMES
from backcoach.services.context import App, Scope
from backcoach.services.programs import set_profile
from backcoach.services.sessions import log_session
from backcoach.services.transfer import export_patient
from tests.clinic.helpers import Riverside, riverside
from tests.examples import example_profile
from tests.forms import post_form


@pytest.fixture
def place(app: App) -> Riverside:
    return riverside(app)


def test_the_account_page_shows_who_they_are_as_text(place: Riverside) -> None:
    c = place.clinic
    odd = c.patient(place.pat, "odd@home.example", "Jo <img src=x onerror=alert(1)>")
    page = c.signed_in(odd).get("/account").text
    assert "Jo &lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page
    assert "odd@home.example" in page
    for action in ('action="/sign-out-everywhere"', 'href="/account/export"', 'action="/account/delete"'):
        assert action in page


def test_signing_out_everywhere_ends_every_sign_in(place: Riverside) -> None:
    phone, laptop = place.clinic.signed_in(place.maya), place.clinic.signed_in(place.maya)
    assert phone.get("/account").status_code == laptop.get("/account").status_code == 200
    assert post_form(phone, "/sign-out-everywhere", {}).headers["location"] == "/sign-in"
    assert phone.get("/account").headers["location"] == laptop.get("/account").headers["location"] == "/sign-in"


def with_history(scope: Scope) -> None:
    set_profile(scope, example_profile("maya"))
    log_session(scope, pain_before=4, pain_after=2, difficulty="easy", skipped=[], pain_stops={})


def test_download_my_data_holds_only_their_own_history(place: Riverside) -> None:
    c = place.clinic
    with_history(c.own_scope(place.maya))
    with_history(c.own_scope(place.other_patient))
    got = c.signed_in(place.maya).get("/account/export")
    assert got.headers["content-type"] == "application/json"
    assert got.headers["content-disposition"].startswith("attachment; filename=")
    document = json.loads(got.text)
    assert document["format"] == "backcoach-export"
    tables = document["tables"]
    assert set(tables) <= set(TABLE_NAMES)
    assert not {"account", "audit_event", "care_team", "clinic_patient"} & set(tables)
    maya_id = place.maya.actor.person_id
    assert [row["id"] for row in tables["person"]] == [maya_id]
    assert [row["person_id"] for row in tables["session"]] == [maya_id]
    assert len(tables["check_in"]) == 1 and tables["check_in"][0]["pain_after"] == 2
    assert {row["person_id"] for row in tables["profile_version"]} == {maya_id}
    text = got.text
    assert "Nora" not in text and "nora@home.example" not in text and "maya@home.example" not in text


def test_only_whom_the_policy_allows_may_export_a_record(place: Riverside) -> None:
    c = place.clinic
    maya_id = place.maya.actor.person_id or 0
    assert json.loads(export_patient(Scope(c.app, place.pat.actor, maya_id)))["tables"]["person"][0]["id"] == maya_id
    for outsider in (place.quinn, place.admin, place.other_admin, place.other_patient):
        with pytest.raises(NotAllowed):
            export_patient(Scope(c.app, outsider.actor, maya_id))
