"""A care team's patient page, used as a physiotherapist would: the record with its charts, every
session with its pain stops a page at a time, the program's history, notes, alerts acknowledged
with a note, a paused exercise or a warning sign cleared after an assessment, and the handout with
the clinic's name. Each change is audited; a wrong form changes nothing; outside the care team
every one of them is a 404 that changes nothing."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from backcoach.core.pain_stop import PainKind, PainPlace, PainReport
from backcoach.core.screening import QUESTION_IDS
from backcoach.services import clearances, clinic, patient_care
from backcoach.services.context import App, Scope
from backcoach.services.programs import current_program, set_profile
from backcoach.services.progress import progress
from backcoach.services.screening import rescreen
from backcoach.services.sessions import log_session
from tests.clinic.helpers import Riverside, riverside
from tests.examples import example_profile
from tests.forms import post_form
from tests.test_handout import pdf_text

SHARP = PainReport(PainKind.sharp, 8, PainPlace.lower_back)


@pytest.fixture
def place(app: App) -> Riverside:
    return riverside(app)


@pytest.fixture
def pat(place: Riverside) -> TestClient:
    return place.clinic.signed_in(place.pat)


@pytest.fixture
def maya(place: Riverside) -> Scope:
    scope = place.clinic.own_scope(place.maya)
    set_profile(scope, example_profile("maya"))
    return scope


def path_of(place: Riverside) -> str:
    return f"/clinic/patients/{place.maya.public_id}"


def trail(place: Riverside, action: str) -> list[str]:
    events = clinic.audit_trail(place.clinic.app, place.admin.actor, action, None, place.maya.public_id)
    return [e.detail for e in events]


def a_pain_stop(maya: Scope) -> str:
    """A session stopped by sharp pain at 8/10 in the first exercise: it is paused, and alerts."""
    program = current_program(maya)
    assert program is not None
    first = program.exercises[0].id
    log_session(maya, 4, 6, "right", [], {first: SHARP})
    return first


def test_the_record_shows_charts_sessions_with_pain_stops_and_the_programs_history(
    place: Riverside, pat: TestClient, maya: Scope
) -> None:
    first = a_pain_stop(maya)
    page = pat.get(path_of(place)).text
    assert page.count('<svg viewBox="0 0 320 160" role="img"') >= 2  # sessions and pain charts
    assert "pain stop: sharp, 8/10" in page and maya.catalogue.get(first).name in page
    assert "Paused because it hurt" in page and f'name="exercise" value="{first}"' in page
    assert "How the program changed" not in page or "Version 1" in page


def test_sessions_come_a_page_at_a_time_newest_first(place: Riverside, maya: Scope) -> None:
    for day in range(patient_care.SESSIONS_PER_PAGE + 2):
        log_session(maya, 3, 2 if day % 2 else 3, "right", [], {})
        place.clinic.app.now.advance(hours=12)  # type: ignore[attr-defined]
    pat = place.clinic.signed_in(place.pat)  # after the days gone by: a staff sign-in lasts 12 hours at most
    page = pat.get(path_of(place)).text
    rows = re.findall(r"<tr><td>\d\d \w\w\w \d{4}", page)
    older = re.search(r'href="(/clinic/patients/[0-9a-f-]+\?before=\d+)#sessions-heading">Older sessions', page)
    assert len(rows) == patient_care.SESSIONS_PER_PAGE and older is not None
    rest = pat.get(older.group(1)).text
    assert len(re.findall(r"<tr><td>\d\d \w\w\w \d{4}", rest)) == 2 and "Older sessions" not in rest
    assert pat.get(f"{path_of(place)}?before=abc").status_code == 422


def test_a_note_is_kept_escaped_signed_and_audited_and_a_bad_one_changes_nothing(
    place: Riverside, pat: TestClient, maya: Scope
) -> None:
    done = post_form(pat, f"{path_of(place)}/notes", {"note": "Walks <b>30 min</b>\nno leg pain"})
    assert done.status_code == 303 and done.headers["location"].endswith("?done=note")
    page = pat.get(done.headers["location"]).text
    assert "Walks &lt;b&gt;30 min&lt;/b&gt;\nno leg pain" in page and "Pat Physio" in page
    assert "Your note is saved" in page and len(trail(place, "note_written")) == 1
    for bad in ("   ", "x" * 2001, "bell \x07"):
        refused = post_form(pat, f"{path_of(place)}/notes", {"note": bad})
        assert refused.status_code == 422 and 'role="alert"' in refused.text
    assert len(maya.repo.notes.newest(10)) == 1 and len(trail(place, "note_written")) == 1


def test_an_alert_is_acknowledged_with_a_note_and_leaves_the_open_list(
    place: Riverside, pat: TestClient, maya: Scope
) -> None:
    a_pain_stop(maya)
    page = pat.get(path_of(place)).text
    keys = re.findall(r'name="alert" value="([^"]+)"', page)
    assert keys and "tier-critical" in page
    blank = post_form(pat, f"{path_of(place)}/alerts", {"alert": keys[0], "note": " "})
    assert blank.status_code == 422 and not trail(place, "alert_acknowledged")
    done = post_form(pat, f"{path_of(place)}/alerts", {"alert": keys[0], "note": "Phoned her: <ok>"})
    assert done.status_code == 303
    after = pat.get(done.headers["location"]).text
    assert f'value="{keys[0]}"' not in after and "Phoned her: &lt;ok&gt;" in after
    assert trail(place, "alert_acknowledged") == [keys[0]]
    again = post_form(pat, f"{path_of(place)}/alerts", {"alert": keys[0], "note": "again"})
    assert again.status_code == 409 and trail(place, "alert_acknowledged") == [keys[0]]


def test_a_paused_exercise_is_cleared_after_an_assessment(place: Riverside, pat: TestClient, maya: Scope) -> None:
    first = a_pain_stop(maya)
    blank = post_form(pat, f"{path_of(place)}/clear", {"exercise": first, "assessment": ""})
    assert blank.status_code == 422 and clearances.paused(maya)
    wrong = post_form(pat, f"{path_of(place)}/clear", {"exercise": "no-such-exercise", "assessment": "fine"})
    assert wrong.status_code == 422 and clearances.paused(maya)
    done = post_form(pat, f"{path_of(place)}/clear", {"exercise": first, "assessment": "Moves freely, no pain"})
    assert done.status_code == 200 and "may be offered again" in done.text
    assert not clearances.paused(maya) and trail(place, "exercise_cleared") == [first]
    assert "after an assessment: Moves freely, no pain" in maya.repo.notes.newest(1)[0].text


def test_a_warning_sign_is_cleared_and_the_patient_sees_who_checked(
    place: Riverside, pat: TestClient, maya: Scope
) -> None:
    rescreen(maya, {**dict.fromkeys(QUESTION_IDS, False), "fever": True})
    assert 'class="alert doctor"' in pat.get(path_of(place)).text
    done = post_form(pat, f"{path_of(place)}/clear", {"assessment": "No infection: temperature normal"})
    assert done.status_code == 200 and "The warning sign is cleared" in done.text
    assert clearances.standing_warning(maya) is None and len(trail(place, "warning_cleared")) == 1
    program = current_program(maya)
    assert program is not None and not program.paused and "Pat Physio" in program.reason
    own = place.clinic.signed_in(place.maya)
    assert "Pat Physio checked you" in own.get("/program").text


def test_the_handout_names_the_clinic_and_the_patient_and_is_audited(
    place: Riverside, pat: TestClient, maya: Scope
) -> None:
    printed = pat.get(f"{path_of(place)}/handout.pdf")
    assert printed.status_code == 200 and printed.headers["content-type"] == "application/pdf"
    text = pdf_text(printed.content)
    assert "Riverside" in text and "Maya Patient" in text
    assert len(clinic.audit_trail(place.clinic.app, place.admin.actor, "handout_printed")) == 1
    rescreen(maya, {**dict.fromkeys(QUESTION_IDS, False), "fever": True})
    paused = pat.get(f"{path_of(place)}/handout.pdf")
    assert paused.status_code == 409 and "Nothing to print" in paused.text


def test_outside_the_care_team_every_change_is_a_404_that_changes_nothing(place: Riverside, maya: Scope) -> None:
    first = a_pain_stop(maya)
    quinn = place.clinic.signed_in(place.quinn)
    key = patient_care.record_view(place.clinic.app, place.pat.actor, place.maya.public_id).alerts[0].key
    for action, form in (
        ("notes", {"note": "hello"}),
        ("alerts", {"alert": key, "note": "seen"}),
        ("clear", {"exercise": first, "assessment": "fine"}),
    ):
        assert post_form(quinn, f"{path_of(place)}/{action}", form).status_code == 404
    assert quinn.get(f"{path_of(place)}/handout.pdf").status_code == 404
    assert not maya.repo.notes.newest(5) and clearances.paused(maya)
    assert not trail(place, "alert_acknowledged")


def test_rising_pain_reaches_the_patient_in_her_own_words(place: Riverside, maya: Scope) -> None:
    log_session(maya, 3, 3, "right", [], {})
    place.clinic.app.now.advance(days=1)  # type: ignore[attr-defined]
    before = place.clinic.signed_in(place.maya).get("/progress").text
    assert 'class="alert doctor" role="status"' not in before
    log_session(maya, 3, 5, "hard", [], {})
    page = place.clinic.signed_in(place.maya).get("/progress").text
    notice = re.search(r'class="alert doctor" role="status"><p>([^<]+)</p>', page)
    assert notice is not None and "out of 10" in notice.group(1) and "tier" not in notice.group(1)


def test_the_care_teams_charts_are_the_latest_weeks_of_the_whole_history(place: Riverside, maya: Scope) -> None:
    """The page reads only the weeks it charts; they are the same weeks the whole history gives."""
    for _ in range(20 * 7 // 3):  # twenty weeks, a session every third day
        log_session(maya, 4, 3, "right", [], {})
        place.clinic.app.now.advance(days=3)  # type: ignore[attr-defined]
    whole, recent = progress(maya), progress(maya, patient_care.CHART_WEEKS)
    assert whole is not None and recent is not None
    assert recent.weeks == whole.weeks[-patient_care.CHART_WEEKS :] and len(whole.weeks) > patient_care.CHART_WEEKS
    view = patient_care.record_view(place.clinic.app, place.pat.actor, place.maya.public_id)
    assert view.progress is not None and view.progress.weeks == recent.weeks
