"""The warning signs through the web forms: "not sure", the neck questions and the conditions."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from backcoach.core.screening import NECK_QUESTIONS, QUESTIONS
from backcoach.services.context import Scope
from tests.examples import example_data
from tests.forms import post_form
from tests.test_web_pages import client, profile_form, said, screen_form, set_up, stored, tables

__all__ = ["client"]  # the fixture, shared with the page tests

NECK_NO = {q.id: "no" for q in NECK_QUESTIONS}


def test_every_question_offers_not_sure(client: TestClient):
    page = client.get("/screen")
    assert page.text.count('value="unsure"') == len(QUESTIONS)
    assert "Not sure" in page.text


def test_not_sure_is_handled_as_a_yes_and_explained(client: TestClient, ctx: Scope):
    form = {**screen_form(), "saddle_numbness": "unsure"}
    page = post_form(client, "/screen", data=form)
    assert page.status_code == 200 and "Get emergency help now" in page.text
    assert said(page, "You were not sure about") and 'action="/profile"' not in page.text
    (screening,) = tables(ctx)["screening"]
    assert screening["answers"]["saddle_numbness"] == "unsure" and screening["status"] == "emergency"
    assert tables(ctx)["program_version"] == [] and tables(ctx)["profile_version"] == []


def test_an_answer_the_form_never_offered_is_refused(client: TestClient, ctx: Scope):
    before = stored(ctx)
    page = post_form(client, "/screen", data={**screen_form(), "fever": "maybe"})
    assert page.status_code == 422 and said(page, "Please answer: Do you have a fever, or chills?")
    assert stored(ctx) == before


def test_the_profile_form_asks_the_neck_questions_and_the_conditions(client: TestClient):
    page = post_form(client, "/screen", data=screen_form())
    assert 'class="neck-signs"' in page.text
    for q in NECK_QUESTIONS:
        assert said(page, q.text) and f'name="{q.id}"' in page.text
    assert 'name="conditions" value="osteoporosis"' in page.text and "None of these" in page.text


def test_the_neck_questions_are_required_for_the_neck(client: TestClient, ctx: Scope):
    before = stored(ctx)
    page = post_form(client, "/profile", data=profile_form(regions=["neck"]), follow_redirects=False)
    assert page.status_code == 422
    assert all(said(page, f"Please answer: {q.text}") for q in NECK_QUESTIONS)
    assert stored(ctx) == before


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (NECK_NO, "did not pick your neck"),
        ({"neck_headache": "no"}, "a question we did not ask"),
    ],
    ids=["neck answers without the neck", "an unknown neck question"],
)
def test_neck_answers_without_the_neck_are_refused(client: TestClient, ctx: Scope, extra, words):
    before = stored(ctx)
    page = post_form(client, "/profile", data={**profile_form(), **extra}, follow_redirects=False)
    assert page.status_code == 422 and words in page.text
    assert 'value="no" checked' not in page.text  # shown again without them, so they can be sent again
    assert stored(ctx) == before


def test_clear_neck_answers_give_a_program_and_are_stored(client: TestClient, ctx: Scope):
    answer = post_form(client, "/profile", data={**profile_form(regions=["neck"]), **NECK_NO}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/program"
    (profile,) = tables(ctx)["profile_version"]
    assert all(profile["data"]["red_flags"][q.id] is False for q in NECK_QUESTIONS)
    page = client.get("/profile")
    assert page.text.count('value="no" checked') == len(NECK_QUESTIONS)  # shown again as answered
    recheck = client.get("/recheck")
    assert all(said(recheck, q.text) for q in NECK_QUESTIONS)  # asked again with the neck


@pytest.mark.parametrize(("sign", "answer"), [("neck_double_vision", "yes"), ("neck_clumsy_hands", "unsure")])
def test_a_neck_warning_sign_gives_no_program(client: TestClient, ctx: Scope, sign, answer):
    form = {**profile_form(regions=["neck", "upper_back"]), **NECK_NO, sign: answer}
    page = post_form(client, "/profile", data=form, follow_redirects=False)
    assert page.status_code == 200 and 'role="alert"' in page.text and said(page, "neck")
    assert ("not sure" in page.text) == (answer == "unsure")
    assert tables(ctx)["program_version"] == []
    (screening,) = tables(ctx)["screening"]
    assert screening["answers"][sign] == (True if answer == "yes" else "unsure")


def test_a_neck_warning_sign_pauses_an_existing_program(client: TestClient, ctx: Scope):
    set_up(client)
    form = {**profile_form(regions=["neck"]), **NECK_NO, "neck_speaking": "yes"}
    page = post_form(client, "/profile", data=form, follow_redirects=False)
    assert "Get emergency help now" in page.text
    assert [len(p["exercises"]) > 0 for p in tables(ctx)["program_version"]] == [True, False]


@pytest.mark.parametrize(
    ("ticked", "words"),
    [([], "tick the ones that apply"), (["none", "pregnancy"], "not both"), (["gout"], "did not ask about")],
    ids=["nothing ticked", "none and a condition", "unknown"],
)
def test_conditions_must_be_answered(client: TestClient, ctx: Scope, ticked, words):
    before = stored(ctx)
    page = post_form(client, "/profile", data=profile_form(conditions=ticked or None), follow_redirects=False)
    assert page.status_code == 422 and words in page.text
    assert stored(ctx) == before


def test_conditions_are_stored_with_the_profile(client: TestClient, ctx: Scope):
    form = profile_form(conditions=["osteoporosis", "hip_replacement"])
    assert post_form(client, "/profile", data=form, follow_redirects=False).status_code == 303
    (profile,) = tables(ctx)["profile_version"]
    assert profile["data"]["conditions"] == ["osteoporosis", "hip_replacement"]
    assert 'value="osteoporosis" checked' in client.get("/profile").text


def test_not_sure_when_asked_again_pauses_the_program(client: TestClient, ctx: Scope):
    set_up(client)
    form = {q.id: "no" for q in QUESTIONS} | {"weight_loss": "unsure"}
    page = post_form(client, "/recheck", data=form)
    assert "See a doctor today" in page.text and "not sure" in page.text
    assert tables(ctx)["screening"][-1]["answers"]["weight_loss"] == "unsure"


def test_the_api_takes_not_sure_and_refuses_other_words(client: TestClient, ctx: Scope):
    maya = example_data("maya")
    unsure = client.post("/api/v1/profile", json={**maya, "red_flags": {**maya["red_flags"], "fever": "unsure"}})
    assert unsure.status_code == 200 and unsure.json()["status"] == "same_day"
    assert "not sure" in unsure.json()["message"]
    before = stored(ctx)
    for word in ("yes", "maybe", 1):
        refused = client.post("/api/v1/profile", json={**maya, "red_flags": {**maya["red_flags"], "fever": word}})
        assert refused.status_code == 422, word
    assert client.post("/api/v1/profile", json={k: v for k, v in maya.items() if k != "conditions"}).status_code == 422
    assert stored(ctx) == before
    questions = client.get("/api/v1/screen/questions").json()
    assert all(q["answers"] == [True, False, "unsure"] for q in questions)
