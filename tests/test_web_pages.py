"""The server-rendered pages, on SQLite and PostgreSQL: every page renders, forms refuse bad answers
by name and store nothing, warning signs stop exercise, and the library filters."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from backcoach.core.screening import QUESTIONS
from backcoach.exports.transfer import export_document
from backcoach.services import clearances
from backcoach.services.activities import add_activity
from backcoach.services.context import App, Scope, local_scope
from backcoach.storage.database import open_database
from backcoach.storage.repository import Database
from backcoach.web.app import create_app
from tests.examples import example_data
from tests.forms import post_form

PAGES = ["/", "/screen", "/program", "/session", "/progress", "/library", "/library/bridge", "/settings", "/activities"]


@pytest.fixture
def client(ctx: Scope) -> TestClient:
    return TestClient(create_app(lambda: ctx.app), base_url="http://127.0.0.1")


def stored(ctx: Scope) -> str:
    return export_document(ctx.app.database.sessions)


def tables(ctx: Scope) -> dict[str, list[dict[str, Any]]]:
    return json.loads(stored(ctx))["tables"]


def said(page: Any, text: str) -> bool:
    """Whether the page shows this text (as the template escapes it)."""
    return str(escape(text)) in page.text


def screen_form(**yes: bool) -> dict[str, str]:
    return {"read_notice": "yes", **{q.id: "yes" if yes.get(q.id) else "no" for q in QUESTIONS}}


def profile_form(**changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        **{f"flag_{q.id}": "no" for q in QUESTIONS},
        "regions": ["lower_back"],
        "conditions": ["none"],
        "pain_now": "4",
        "can_floor": "yes",
        "can_kneel": "yes",
        "can_lie_on_front": "yes",
        "can_stand_unsupported": "yes",
        "minutes_per_session": "10",
        "sessions_per_day": "2",
        "goal": "relief",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def set_up(client: TestClient) -> None:
    answer = post_form(client, "/profile", data=profile_form(), follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/program"


# Every page renders ---------------------------------------------------------------------------------


def test_every_page_renders_for_a_new_person_and_stores_nothing(client: TestClient, ctx: Scope):
    before = stored(ctx)
    for path in PAGES:
        page = client.get(path)
        assert page.status_code == 200, path
        assert page.headers["content-type"].startswith("text/html") and "<h1" in page.text, path
    assert "No program yet" in client.get("/program").text
    assert "No program yet" in client.get("/session").text
    assert "No history yet" in client.get("/progress").text
    # With no answers yet, the profile form sends the person to the safety questions first.
    profile = client.get("/profile", follow_redirects=False)
    assert profile.status_code == 303 and profile.headers["location"] == "/screen"
    assert stored(ctx) == before


def test_every_page_renders_after_setup_and_a_session(client: TestClient, ctx: Scope):
    set_up(client)
    session = client.post("/api/v1/sessions").json()
    for exercise in session["exercises"]:
        body = {"exercise_id": exercise["id"], "status": "done"}
        assert client.post(f"/api/v1/sessions/{session['session_id']}/outcomes", json=body).status_code == 201
    finish = {"end_reason": "finished", "pain_before": 4, "pain_after": 3, "difficulty": "right"}
    assert client.post(f"/api/v1/sessions/{session['session_id']}/finish", json=finish).status_code == 200
    for path in [*PAGES, "/profile"]:
        assert client.get(path).status_code == 200, path
    # Two sessions a day, and only the first done: the second is offered, with what it holds and why.
    assert "Start today's session" in client.get("/").text
    assert "not in this session" in client.get("/session").text  # those asked for once a day are done
    session = client.post("/api/v1/sessions").json()
    for exercise in session["exercises"]:
        body = {"exercise_id": exercise["id"], "status": "done"}
        assert client.post(f"/api/v1/sessions/{session['session_id']}/outcomes", json=body).status_code == 201
    assert client.post(f"/api/v1/sessions/{session['session_id']}/finish", json=finish).status_code == 200
    # Today's sessions are done: the home page says so and when the next one is, and offers none.
    home = client.get("/").text
    assert "You have done everything due today" in home and "Your next session is tomorrow" in home
    assert 'href="/session"' not in home.split("<main", 1)[1]
    assert "Nothing to do right now" in client.get("/session").text
    progress = client.get("/progress")
    assert "Sessions done: 2." in progress.text and "<svg" in progress.text
    assert 'value="10"' in client.get("/profile").text  # the form shows the stored answers


# The safety questions -------------------------------------------------------------------------------


@pytest.mark.parametrize("question", [QUESTIONS[0], QUESTIONS[len(QUESTIONS) // 2], QUESTIONS[-1]], ids=lambda q: q.id)
def test_a_missing_answer_is_asked_again_by_name(client: TestClient, ctx: Scope, question):
    before = stored(ctx)
    form = {k: v for k, v in screen_form().items() if k != question.id}
    page = post_form(client, "/screen", data=form)
    assert page.status_code == 422
    assert said(page, f"Please answer: {question.text}")
    assert sum(said(page, f"Please answer: {q.text}") for q in QUESTIONS) == 1  # only the one left out
    assert 'value="no" checked' in page.text  # the other answers are kept
    assert stored(ctx) == before


def test_the_note_must_be_read_first(client: TestClient, ctx: Scope):
    before = stored(ctx)
    page = post_form(client, "/screen", data={k: v for k, v in screen_form().items() if k != "read_notice"})
    assert page.status_code == 422 and "tick the box" in page.text
    assert stored(ctx) == before


def test_clear_answers_lead_to_the_profile_form(client: TestClient, ctx: Scope):
    before = stored(ctx)
    page = post_form(client, "/screen", data=screen_form())
    assert page.status_code == 200 and 'action="/profile"' in page.text
    assert page.text.count('type="hidden" name="flag_') == len(QUESTIONS)
    assert stored(ctx) == before  # nothing is kept until the profile is saved


@pytest.mark.parametrize(
    ("sign", "heading"),
    [
        ("bladder_control", "Get emergency help now"),
        ("cancer_history", "See a doctor today"),
        ("onset_over_50", "Please see a doctor soon"),
    ],
)
def test_a_warning_sign_stops_exercise_and_is_stored(client: TestClient, ctx: Scope, sign, heading):
    page = post_form(client, "/screen", data=screen_form(**{sign: True}))
    assert page.status_code == 200 and heading in page.text and 'role="alert"' in page.text
    assert 'action="/profile"' not in page.text  # no way on to exercises
    (screening,) = tables(ctx)["screening"]
    assert screening["answers"][sign] is True and screening["status"] != "clear"
    assert tables(ctx)["program_version"] == []


def test_a_warning_sign_pauses_an_existing_program(client: TestClient, ctx: Scope):
    set_up(client)
    assert "Your program" in client.get("/program").text
    page = post_form(client, "/screen", data=screen_form(leg_weakness=True))
    assert "Get emergency help now" in page.text
    program = client.get("/program")
    assert "Your program is paused" in program.text and "Why:" not in program.text
    assert "No exercise for now" in client.get("/session").text
    assert client.post("/api/v1/sessions").status_code == 409
    screenings = tables(ctx)["screening"]
    assert len(screenings) == 2 and screenings[-1]["answers"]["leg_weakness"] is True
    assert [len(p["exercises"]) > 0 for p in tables(ctx)["program_version"]] == [True, False]


# The profile form -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"pain_now": "11"}, ["Pain now", "10"]),
        ({"pain_now": "lots"}, ["Pain now", "whole number"]),
        ({"pain_now": ""}, ["Pain now"]),
        ({"regions": None}, ["Where it hurts", "at least one"]),
        ({"minutes_per_session": "2"}, ["Minutes per session", "5"]),
        ({"minutes_per_session": "600"}, ["Minutes per session", "60"]),
        ({"sessions_per_day": "9"}, ["Sessions per day", "3"]),
        ({"goal": None}, ["Your goal"]),
        ({"regions": ["elbow"]}, ["Where it hurts"]),
    ],
    ids=[
        "pain 11",
        "pain lots",
        "pain empty",
        "no region",
        "minutes 2",
        "minutes 600",
        "sessions 9",
        "no goal",
        "elbow",
    ],
)
def test_bad_profile_answers_are_named_and_nothing_is_saved(client: TestClient, ctx: Scope, changes, words):
    before = stored(ctx)
    page = post_form(client, "/profile", data=profile_form(**changes), follow_redirects=False)
    assert page.status_code == 422
    message = re.search(r'<div class="errors".*?</div>', page.text, re.S)
    assert message is not None, page.text
    for word in words:
        assert word in message.group(), message.group()
    assert 'action="/profile"' in page.text  # the form is shown again, to put right
    assert stored(ctx) == before


def test_a_good_profile_goes_to_the_program_with_its_reasons(client: TestClient, ctx: Scope):
    answer = post_form(client, "/profile", data=profile_form(regions=["lower_back", "hips"]), follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/program"
    page = client.get("/program")
    assert page.status_code == 200 and "Your program" in page.text
    program = client.get("/api/v1/program").json()
    assert program["exercises"]
    for exercise in program["exercises"]:
        assert f'href="/library/{exercise["id"]}"' in page.text and said(page, exercise["name"])
        assert said(page, exercise["why"])
    assert page.text.count("<strong>Why:</strong>") == len(program["exercises"])
    assert [p["data"]["regions"] for p in tables(ctx)["profile_version"]] == [["lower_back", "hips"]]


def test_lost_screen_answers_send_the_person_back_to_the_questions(client: TestClient, ctx: Scope):
    before = stored(ctx)
    form = {k: v for k, v in profile_form().items() if not k.startswith("flag_")}
    answer = post_form(client, "/profile", data=form, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/screen"
    assert stored(ctx) == before


# The library ----------------------------------------------------------------------------------------


def listed(page: Any) -> set[str]:
    return set(re.findall(r'<h2><a href="/library/([a-z-]+)">', page.text))


@pytest.mark.parametrize(
    ("query", "has", "lacks"),
    [
        ({"region": "neck"}, {"neck-side-stretch", "neck-flexion-stretch"}, {"bridge", "walking"}),
        ({"kind": "aerobic"}, {"walking", "cycling", "water-activity"}, {"bridge", "knee-rolls"}),
        ({"position": "standing"}, {"walking", "hip-stretch"}, {"bridge", "cycling"}),
        ({"q": "piriformis"}, {"piriformis-stretch"}, {"bridge"}),  # a muscle
        ({"q": "pelvic lift"}, {"bridge"}, {"pelvic-tilt"}),  # another name for it
        ({"q": "KNEE chest"}, {"knee-to-chest", "double-knee-to-chest"}, {"knee-rolls"}),
        ({"region": "hips", "kind": "strengthen", "position": "lying_on_back"}, {"bridge"}, {"walking", "crunch"}),
    ],
)
def test_the_library_filters(client: TestClient, ctx: Scope, query, has, lacks):
    page = client.get("/library", params=query)
    assert page.status_code == 200
    found = listed(page)
    assert has <= found and not lacks & found, found
    assert f"{len(found)} exercise(s)" in page.text
    for exercise in ctx.catalogue:  # and exactly what the filter says
        expected = (
            ("region" not in query or query["region"] in exercise.regions)
            and ("kind" not in query or query["kind"] in exercise.kind)
            and ("position" not in query or query["position"] == exercise.position)
        )
        if "q" not in query:
            assert (exercise.id in found) == expected, exercise.id
    for name, value in query.items():
        if name != "q":
            assert f'<option value="{value}" selected>' in page.text  # the choice stays chosen


def test_the_library_without_filters_and_with_nothing_found(client: TestClient, ctx: Scope):
    assert listed(client.get("/library")) == set(ctx.catalogue.ids())
    for query in ({"q": "handstand"}, {"region": "elbow"}, {"kind": "juggling"}, {"position": "upside_down"}):
        page = client.get("/library", params=query)
        assert page.status_code == 200 and listed(page) == set() and "0 exercise(s)" in page.text


def test_an_exercise_page_and_an_unknown_one(client: TestClient):
    page = client.get("/library/bridge")
    assert page.status_code == 200 and "<h1>Bridge</h1>" in page.text and "Starting dose" in page.text
    missing = client.get("/library/moonwalk")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "Not found" in missing.text and said(missing, "No exercise called 'moonwalk'.")
    assert '<a class="brand" href="/">' in missing.text  # a whole page, with the way home


# Settings: import -----------------------------------------------------------------------------------


def test_a_damaged_import_file_imports_nothing(client: TestClient, ctx: Scope):
    for setup in (False, True):  # into an empty app, and into one in use
        if setup:
            set_up(client)
        before = stored(ctx)
        good = stored(ctx) if setup else json.dumps({"format": "backcoach-export", "version": 1, "tables": {}})
        for content in (good[: len(good) // 2].encode(), b"\xff\xfe\x00", b"{}", b"[1, 2, 3]"):
            page = post_form(
                client, "/settings/import", files={"file": ("backcoach.json", content, "application/json")}
            )
            assert page.status_code == 400 and "Nothing was imported" in page.text, content
            assert 'role="alert"' in page.text
            assert stored(ctx) == before


def test_settings_import_takes_a_good_export_into_an_empty_app_only(client: TestClient, ctx: Scope, new_database_url):
    set_up(client)
    export = stored(ctx)
    upload = {"file": ("backcoach.json", export.encode(), "application/json")}
    page = post_form(client, "/settings/import", files=upload)  # this app is in use: refused, and says why
    assert page.status_code == 400 and "Nothing was imported" in page.text and "not empty" in page.text
    assert stored(ctx) == export
    empty = local_scope(App(Database(open_database(new_database_url())), ctx.catalogue, ctx.now))
    page = post_form(
        TestClient(create_app(lambda: empty.app), base_url="http://127.0.0.1"), "/settings/import", files=upload
    )
    assert page.status_code == 200 and re.search(r"Imported \d+ records\.", page.text)
    assert stored(empty) == export


MARKUP = '<b>Sitting < 30 min</b><a href="https://evil.example">x</a>'


def test_markup_in_user_fields_lands_as_text_everywhere(client: TestClient, ctx: Scope):
    """An activity name and a clearance's "who" with markup in them, on every page that shows them."""
    client.post("/api/v1/profile", json=example_data("maya")).raise_for_status()
    add_activity(ctx, MARKUP, 4)
    clearances.pause_for_pain(ctx, "bridge", "It hurt.", None)
    body = {"cleared_by": MARKUP, "cleared_on": ctx.now().date().isoformat(), "exercise_id": "bridge"}
    client.post("/api/v1/clearances", json=body).raise_for_status()
    for path in ("/progress", "/program", "/checked"):
        html = client.get(path).text
        assert "<b>Sitting" not in html and 'href="https://evil.example"' not in html, path
    assert "&lt;b&gt;Sitting &lt; 30 min" in client.get("/progress").text


# A database that cannot be opened ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["a folder", "not a database", "under a file"])
def test_a_database_that_cannot_be_opened_is_a_page_and_a_problem(tmp_path, kind: str):
    from backcoach.services.context import open_app
    from backcoach.settings import Settings

    (tmp_path / "folder.sqlite3").mkdir()
    (tmp_path / "junk.sqlite3").write_text("this is not a database " * 100)
    path = {"a folder": "folder.sqlite3", "not a database": "junk.sqlite3", "under a file": "junk.sqlite3/x/db"}[kind]
    url = f"sqlite:///{tmp_path / path}"
    client = TestClient(create_app(lambda: open_app(Settings(database_url=url))), base_url="http://127.0.0.1")
    for page in ("/", "/program", "/settings"):
        answer = client.get(page)
        assert answer.status_code == 503 and answer.headers["content-type"].startswith("text/html"), page
        assert "<h1>Sorry</h1>" in answer.text and "Cannot" in answer.text and "reload the page" in answer.text
        assert "Traceback" not in answer.text and '<a class="brand" href="/">' in answer.text
    posted = post_form(client, "/screen", data=screen_form())
    assert posted.status_code == 503 and "<h1>Sorry</h1>" in posted.text
    problem = client.get("/api/v1/program")
    assert problem.status_code == 503 and problem.headers["content-type"] == "application/json"
    assert problem.json()["detail"].startswith("Cannot")
