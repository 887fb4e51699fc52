"""On the phone: a warning sign stays until the person records that a doctor checked them, and an
exercise that hurt stays paused until a physiotherapist says it is fine; both on the page
"A doctor or physiotherapist checked me"."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from backcoach.core.screening import QUESTION_IDS
from tests.browser.conftest import App, give_maya_a_program

NO = dict.fromkeys(QUESTION_IDS, False)


def test_a_sign_stays_until_a_doctor_checked_and_then_the_program_comes_back(page: Page, app: App) -> None:
    give_maya_a_program(page)
    assert page.request.post("/api/v1/rescreen", data={"answers": {**NO, "fever": True}}).ok
    # Answering "no" afterwards does not undo it.
    assert page.request.post("/api/v1/rescreen", data={"answers": NO}).json()["status"] != "ok"
    page.goto("/")
    expect(page.get_by_role("alert")).to_contain_text("stays paused")
    expect(page.get_by_role("link", name="Start today's session")).to_have_count(0)
    page.goto("/session")
    expect(page.get_by_role("button", name="Start", exact=True)).to_have_count(0)
    page.get_by_role("link", name="A doctor or physiotherapist checked me").click()
    page.wait_for_url("**/checked")
    page.get_by_label("Who checked you?").fill("Dr <b>Shah</b>")  # shown as typed, never as markup
    page.get_by_role("button", name="Save: I was checked").click()
    expect(page.get_by_role("status")).to_contain_text("Dr <b>Shah</b> checked you")
    page.get_by_role("link", name="See your program").click()
    expect(page.get_by_role("link", name="Start today's session")).to_be_visible()
    expect(page.locator(".meta")).to_contain_text("starts again, gently")


def test_a_check_in_the_future_is_refused_and_changes_nothing(page: Page, app: App) -> None:
    give_maya_a_program(page)
    assert page.request.post("/api/v1/rescreen", data={"answers": {**NO, "cancer_history": True}}).ok
    page.goto("/checked")
    day = page.get_by_label("On which day?")
    expect(day).to_have_attribute("max", "2026-03-02")  # the phone's date picker offers no later day
    # Sent anyway (an old browser, a script), the server refuses it in one line and keeps the sign.
    token = page.locator("input[name=form_token]").first.get_attribute("value") or ""
    form: dict[str, str | float | bool] = {"cleared_by": "my GP", "cleared_on": "2999-01-01", "form_token": token}
    refused = page.request.post("/checked", form=form, headers={"Origin": app.url})
    assert refused.status == 422 and "cannot be in the future" in refused.text()
    assert page.request.get("/api/v1/safety").json()["warning"] is not None


def test_an_exercise_that_hurt_is_listed_and_can_be_cleared(page: Page, app: App) -> None:
    give_maya_a_program(page)
    start = page.request.post("/api/v1/sessions", data={"resume": False, "pain_before": 3}).json()
    at = f"/api/v1/sessions/{start['session_id']}"
    bridge = {"exercise_id": "bridge", "pain": {"kind": "sharp", "score": 5, "place": "lower_back"}}
    assert page.request.post(f"{at}/pain", data=bridge).json()["action"] == "end_session"
    page.goto("/program")
    paused = page.get_by_role("region", name="Paused because it hurt")
    expect(paused).to_contain_text("Bridge")
    paused.get_by_role("link", name="A physiotherapist said one of these is fine").click()
    page.get_by_label("Who said it is fine?").fill("my physiotherapist")
    page.get_by_role("button", name="Save: Bridge is fine for me").click()
    expect(page.get_by_role("status")).to_contain_text("Bridge may be offered again")
    expect(page.get_by_role("main")).to_contain_text("Bridge: my physiotherapist")  # listed with the checks
    safety = page.request.get("/api/v1/safety").json()
    assert safety["paused"] == [] and [e["exercise_id"] for e in safety["exercises_cleared"]] == ["bridge"]
