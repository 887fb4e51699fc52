"""The program builder's pages, without JavaScript: one form posted whole by each button (up, down,
remove, add, keep as a template, save), the patient then seeing "Changed by your physiotherapist"
with the reason on /program, and the clinic's templates page. What people type is escaped."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backcoach.services import clinic, programs
from backcoach.services.context import App
from tests.clinic.helpers import Riverside, riverside
from tests.examples import example_profile
from tests.forms import post_form

ROW_ID = re.compile(r'name="id_(\d+)" value="([a-z0-9-]+)"')
INPUT = re.compile(r'<input[^>]*name="([a-z_]+_\d+)" value="([^"]*)"')
SIDES = re.compile(
    r'name="sides_(\d+)">\s*(?:<option value="[a-z]+">[a-z]+</option>)*<option value="([a-z]+)" selected'
)


@pytest.fixture
def place(app: App) -> Riverside:
    found = riverside(app)
    programs.set_profile(found.clinic.own_scope(found.maya), example_profile("maya", sessions_per_day=1))
    return found


@pytest.fixture
def pat(place: Riverside) -> TestClient:
    return place.clinic.signed_in(place.pat)


def builder(place: Riverside) -> str:
    return f"/clinic/patients/{place.maya.public_id}/prescribe"


def form_of(html: str) -> dict[str, Any]:
    """The builder form's rows as a browser would post them back."""
    values: dict[str, Any] = {name: value for name, value in INPUT.findall(html)}
    values |= {f"id_{i}": v for i, v in ROW_ID.findall(html)}
    for i, side in re.findall(
        r'name="sides_(\d+)">\s*(?:<option value="[a-z]+">[a-z]+</option>)*<option value="([a-z]+)" selected', html
    ):
        values[f"sides_{i}"] = side
    values["review"] = "ceiling"
    return values


def rows(html: str) -> list[str]:
    return [v for _, v in ROW_ID.findall(html)]


def test_the_patient_page_links_to_the_builder(place: Riverside, pat: TestClient) -> None:
    page = pat.get(f"/clinic/patients/{place.maya.public_id}").text
    assert f'href="{builder(place)}">Change the program' in page


def test_a_physio_moves_removes_adds_and_saves_and_the_patient_sees_it(place: Riverside, pat: TestClient) -> None:
    shown = pat.get(builder(place))
    assert shown.status_code == 200 and 'name="op" value="save"' in shown.text
    start = rows(shown.text)
    moved = post_form(pat, builder(place), {**form_of(shown.text), "op": "down-0"})
    assert rows(moved.text) == [start[1], start[0], *start[2:]]
    gone = post_form(pat, builder(place), {**form_of(moved.text), "op": "remove-2"})
    assert rows(gone.text) == [start[1], start[0], *start[3:]]
    added = post_form(pat, builder(place), {**form_of(gone.text), "op": "add", "add": start[2]})
    assert rows(added.text)[-1] == start[2]
    note = "Fewer <script>alert(1)</script> twists."
    saved = post_form(pat, builder(place), {**form_of(added.text), "op": "save", "note": note})
    assert saved.status_code == 303, saved.text
    assert "version 2 is the patient" in pat.get(saved.headers["location"]).text
    maya = place.clinic.signed_in(place.maya)
    program = maya.get("/program").text
    assert "Changed by your physiotherapist." in program
    assert "Fewer &lt;script&gt;alert(1)&lt;/script&gt; twists." in program and "<script>alert(1)" not in program
    events = clinic.audit_trail(place.clinic.app, place.admin.actor, "program_prescribed", None, None)
    assert len(events) == 1 and events[0].actor == place.pat.email


def test_a_dose_outside_the_sources_asks_for_a_reason_then_shows_it(place: Riverside, pat: TestClient) -> None:
    shown = pat.get(builder(place)).text
    values = {**form_of(shown), "reps_0": "6", "op": "save"}  # knee to chest: the sources give 2 to 3
    refused = post_form(pat, builder(place), values)
    assert refused.status_code == 422 and "Write the reason" in refused.text and 'name="reason_0"' in refused.text
    assert programs.current_program(place.clinic.own_scope(place.maya)).version == 1  # type: ignore[union-attr]
    reason = "Six is fine for <b>her</b>."
    saved = post_form(pat, builder(place), {**values, "reason_0": reason})
    assert saved.status_code == 303
    program = place.clinic.signed_in(place.maya).get("/program").text
    assert "Six is fine for &lt;b&gt;her&lt;/b&gt;." in program
    again = pat.get(saved.headers["location"]).text  # the staff see it too, and start from it with its reason
    assert (
        "Prescribed by pat@riverside.example" in again and again.count("Six is fine for &lt;b&gt;her&lt;/b&gt;.") >= 2
    )
    assert 'name="reason_0" maxlength="400" value="Six is fine for &lt;b&gt;her&lt;/b&gt;."' in again


def test_bad_numbers_change_nothing(place: Riverside, pat: TestClient) -> None:
    shown = pat.get(builder(place)).text
    refused = post_form(pat, builder(place), {**form_of(shown), "reps_0": "many", "op": "save"})
    assert refused.status_code == 422 and "give the repeats" in refused.text
    assert programs.current_program(place.clinic.own_scope(place.maya)).version == 1  # type: ignore[union-attr]


def test_templates_are_kept_escaped_started_from_and_deleted(place: Riverside, pat: TestClient) -> None:
    shown = pat.get(builder(place)).text
    name = "Low back <i>gentle</i>"
    kept = post_form(pat, builder(place), {**form_of(shown), "op": "template", "template_name": name})
    assert (
        kept.status_code == 200 and "Low back &lt;i&gt;gentle&lt;/i&gt;" in kept.text and "<i>gentle" not in kept.text
    )
    listed = pat.get("/clinic/templates").text
    assert "Low back &lt;i&gt;gentle&lt;/i&gt;" in listed
    template_id = re.search(r"/clinic/templates/([0-9a-f-]{36})/delete", listed)
    assert template_id is not None
    started = pat.get(f"{builder(place)}?start={template_id.group(1)}")
    assert started.status_code == 200 and rows(started.text) == rows(shown)
    hilltop = place.clinic.signed_in(place.other_admin)
    assert "Low back" not in hilltop.get("/clinic/templates").text
    assert post_form(hilltop, f"/clinic/templates/{template_id.group(1)}/delete").status_code == 404
    gone = post_form(pat, f"/clinic/templates/{template_id.group(1)}/delete")
    assert gone.status_code == 303 and "Low back" not in pat.get("/clinic/templates").text


def test_an_unknown_template_shows_the_current_program_with_a_message(place: Riverside, pat: TestClient) -> None:
    shown = pat.get(f"{builder(place)}?start=no-such-template")
    assert shown.status_code == 422 and "There is no such template" in shown.text


def test_a_standing_warning_sign_shows_and_saving_is_refused(place: Riverside, pat: TestClient) -> None:
    from backcoach.services.screening import rescreen

    rescreen(
        place.clinic.own_scope(place.maya), dict(example_profile("maya").red_flags, fever=True, injects_drugs=True)
    )
    shown = pat.get(builder(place)).text
    assert "No program can be prescribed" in shown
    refused = post_form(pat, builder(place), {**form_of(shown), "op": "save"})
    assert refused.status_code == 422 and "Nothing was saved." in refused.text
