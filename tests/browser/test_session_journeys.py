"""Journey 3, "do a session without reading", in a real browser: a whole session, pain stops, a reload."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    GET_SET_MS,
    App,
    check_in,
    finish_step,
    give_maya_a_program,
    play_until,
    report_pain,
    set_up_maya,
    start_session,
    step_kind,
)

MAYA = ["knee-to-chest", "knee-rolls", "pelvic-tilt", "bridge"]  # lower back, everything allowed, 5 minutes


def exported_outcomes(page: Page) -> list[str]:
    """The exercises with a saved outcome, read through the app's own export."""
    document = json.loads(page.request.get("/api/v1/export").text())
    return [row["exercise_id"] for row in document["tables"]["exercise_outcome"]]


def test_a_whole_session_from_a_clear_screen_to_progress(page: Page, app: App) -> None:
    set_up_maya(page)
    program = page.locator("ol.cards h2").all_inner_texts()
    assert program == ["Knee to chest", "Knee rolls", "Pelvic tilt", "Bridge"]

    start_session(page, pain_before="4")
    expect(page.locator("#ex-count")).to_have_text("Exercise 1 of 4")
    expect(page.locator("#ex-name")).to_have_text("Knee to chest")
    expect(page.get_by_role("button", name="This hurts")).to_be_visible()
    page.get_by_role("button", name="I'm ready").click()
    expect(page.locator("#get-set")).to_contain_text("Starting in 5")  # then it begins by itself
    page.clock.run_for(GET_SET_MS)

    # A hold counts down on the fake clock: 5 seconds, then 3 left after 2 seconds.
    assert step_kind(page) == "hold"
    expect(page.locator("#sub")).to_contain_text("Left side")
    expect(page.locator("#big")).to_have_text("5")
    page.clock.run_for(2000)
    expect(page.locator("#big")).to_have_text("3")
    page.clock.run_for(3200)
    assert step_kind(page) == "relax"

    play_until(page, lambda: step_kind(page) == "switch_side")
    expect(page.locator("#cue")).to_have_text("Switch sides.")
    finish_step(page)
    expect(page.locator("#sub")).to_contain_text("Right side")

    # The first exercise is saved the moment it ends, before the session is over.
    assert exported_outcomes(page) == []
    with page.expect_response(re.compile(r"/outcomes$")) as saved:
        play_until(page, lambda: page.locator("#ex-count").inner_text() == "Exercise 2 of 4")
    assert saved.value.status == 201
    assert exported_outcomes(page) == ["knee-to-chest"]
    assert app.outcomes() == [("knee-to-chest", "done", None)]

    # Repeats are paced by themselves, and a tap counts one more.
    play_until(page, lambda: step_kind(page) == "reps")
    expect(page.locator("#ex-name")).to_have_text("Pelvic tilt")
    assert app.outcomes() == [("knee-to-chest", "done", None), ("knee-rolls", "done", None)]
    count = page.locator("#count")
    expect(count).to_contain_text("1")
    page.clock.run_for(5100)
    expect(page.locator("#count-now")).to_have_text("2")
    count.click()
    expect(page.locator("#count-now")).to_have_text("3")

    with page.expect_response(lambda r: r.url.endswith("/outcomes") and '"bridge"' in (r.request.post_data or "")):
        play_until(page, lambda: page.locator("#checkin").is_visible())
    expect(page.get_by_role("heading", name="Check-in")).to_be_visible()
    expect(page.get_by_role("button", name="This hurts")).to_be_hidden()
    assert [o[:2] for o in app.outcomes()] == [(name, "done") for name in MAYA]

    check_in(page, 3, "Easy")
    expect(page.get_by_role("heading", name="Saved. Well done.")).to_be_visible()
    summary = page.locator("#summary")
    expect(summary).to_contain_text("Done: Knee to chest, Knee rolls, Pelvic tilt, Bridge.")
    expect(summary).to_contain_text("Pain: 4 before, 3 after.")
    expect(page.locator("#week li")).to_have_count(7)
    expect(page.locator("#week li.done")).to_have_count(1)
    page.get_by_role("link", name="See your progress").click()
    expect(page.locator("main")).to_contain_text("Sessions done: 1.")
    session = app.ctx.repo.history()[-1]
    assert session.status == "finished"
    assert session.check_in is not None
    assert (session.check_in.pain_before, session.check_in.pain_after, session.check_in.difficulty) == (4, 3, "easy")


def test_mild_pain_offers_a_gentler_way_and_sharp_pain_ends_the_session(page: Page, app: App) -> None:
    give_maya_a_program(page)
    start_session(page)
    finish_step(page)
    assert step_kind(page) == "hold"
    page.clock.run_for(2000)
    report_pain(page, "A mild ache or stretch", 3)

    # The countdown waits while the dialog is open, then the options appear.
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Some mild discomfort is normal")
    options = dialog.get_by_role("button")
    expect(options.filter(has_text="Skip this exercise")).to_be_visible()
    # Nothing offers to carry on unchanged ("a smaller movement" is gone): at its starting dose the
    # knee hug has no easier dose, so skipping it is the way on.
    expect(dialog.get_by_role("button", name="smaller")).to_have_count(0)
    page.clock.run_for(10_000)
    expect(page.locator("#big")).to_have_text("3")
    with page.expect_response(re.compile(r"/choice$")):
        dialog.get_by_role("button", name="Skip this exercise").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#next-up")).to_have_text("Next up: Knee rolls")
    assert app.outcomes() == [("knee-to-chest", "stopped_for_pain", "mild")]

    play_until(page, lambda: page.locator("#ex-name").inner_text() == "Pelvic tilt" and step_kind(page) == "reps")
    page.clock.run_for(6000)
    report_pain(page, "Sharp", 5)
    checkin = page.locator("#checkin")
    expect(checkin).to_be_visible()
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(checkin.get_by_role("alert")).to_contain_text("Stop here for today")
    expect(page.get_by_role("button", name="This hurts")).to_be_hidden()
    expect(page.locator("#player")).to_be_hidden()
    assert app.outcomes() == [
        ("knee-to-chest", "stopped_for_pain", "mild"),
        ("knee-rolls", "done", None),
        ("pelvic-tilt", "stopped_for_pain", "sharp"),
    ]

    # Nothing plays on after the stop, not even when the clock runs on.
    page.clock.run_for(120_000)
    assert len(app.outcomes()) == 3
    check_in(page, 5)
    # No "well done" after a sharp stop: what it paused, said at once.
    expect(page.get_by_role("heading", name="Saved.", exact=True)).to_be_visible()
    expect(page.locator("#after-advice")).to_contain_text(
        "Pelvic tilt is paused until a physiotherapist says it is fine"
    )
    session = app.ctx.repo.history()[-1]
    assert session.status == "stopped_for_pain"
    assert session.outcomes[-1].pain_score == 5


def test_a_reload_mid_session_carries_on_at_the_next_exercise(page: Page, app: App) -> None:
    give_maya_a_program(page)
    start_session(page)
    with page.expect_response(re.compile(r"/outcomes$")):
        play_until(page, lambda: step_kind(page) == "rest")
    assert app.outcomes() == [("knee-to-chest", "done", None)]

    page.reload()
    start_session(page, pain_before=None)
    expect(page.locator("#ex-name")).to_have_text("Knee rolls")
    expect(page.locator("#ex-count")).to_have_text("Exercise 2 of 4")
    assert step_kind(page) == "position"
    expect(page.locator("#welcome-back")).to_have_text("Welcome back: exercise 2 of 4.")

    with page.expect_response(lambda r: r.url.endswith("/outcomes") and '"bridge"' in (r.request.post_data or "")):
        play_until(page, lambda: page.locator("#checkin").is_visible())
    assert [o[0] for o in app.outcomes()] == MAYA  # each once: the first was not saved again
    check_in(page, 3)
    expect(page.get_by_role("heading", name="Saved. Well done.")).to_be_visible()
    session = app.ctx.repo.history()[-1]
    assert session.check_in is not None and session.check_in.pain_before == 4  # remembered from before the reload


def test_pain_in_the_rest_before_an_exercise_and_a_switch_to_an_easier_one(page: Page, app: App) -> None:
    give_maya_a_program(page)
    start_session(page)
    play_until(page, lambda: step_kind(page) == "rest" and page.locator("#next-up").inner_text() == "Next up: Bridge")
    expect(page.locator("#ex-name")).to_have_text("Rest")  # the rest belongs to the pelvic tilt just done
    expect(page.locator("#ex-count")).to_have_text("Exercise 3 of 4")
    report_pain(page, "A mild ache or stretch", 2)
    dialog = page.get_by_role("dialog")
    # The bridge starts at its gentlest dose, so there is no easier dose to offer: an easier exercise, or skip.
    expect(dialog.get_by_role("button", name="Do fewer or shorter repeats")).to_have_count(0)
    with page.expect_response(re.compile(r"/choice$")):  # the server saves the stop with the choice
        dialog.get_by_role("button", name="Switch to an easier exercise").click()
    assert step_kind(page) == "rest"  # the rest it came in goes on, then the stand-in starts
    finish_step(page)
    expect(page.locator("#ex-name")).to_have_text("Deep abdominal bracing")
    assert step_kind(page) == "position"
    assert app.outcomes()[-1] == ("bridge", "stopped_for_pain", "mild")
    assert app.ctx.repo.history()[-1].outcomes[-1].dose["reps"] == 10

    with page.expect_response(re.compile(r"/outcomes$")):
        play_until(page, lambda: page.locator("#checkin").is_visible())
    assert [o[:2] for o in app.outcomes()] == [
        ("knee-to-chest", "done"),
        ("knee-rolls", "done"),
        ("pelvic-tilt", "done"),
        ("bridge", "stopped_for_pain"),
        ("deep-abdominal-bracing", "done"),
    ]


def test_a_reload_after_a_pain_stop_goes_back_to_the_check_in_not_the_exercises(page: Page, app: App) -> None:
    give_maya_a_program(page)
    start_session(page)
    finish_step(page)
    report_pain(page, "Spreading, for example down a leg", 4, into_a_leg=True)
    expect(page.get_by_role("heading", name="Check-in")).to_be_visible()

    page.reload()  # straight back to the check-in, with no Start to press
    expect(page.get_by_role("heading", name="Check-in")).to_be_visible()
    expect(page.locator("#checkin").get_by_role("alert")).to_contain_text("Stop here for today")
    expect(page.locator("#player")).to_be_hidden()
    expect(page.get_by_role("button", name="This hurts")).to_be_hidden()
    check_in(page, 3)
    # Pain that went into the legs: the warning-sign questions come next, before any other session.
    expect(page.get_by_role("heading", name="Saved. Your pain went up")).to_be_visible()
    session = app.ctx.repo.history()[-1]
    assert session.status == "stopped_for_pain"
    assert [(o.exercise_id, o.status, o.pain_kind) for o in session.outcomes] == [
        ("knee-to-chest", "stopped_for_pain", "spreading")
    ]
