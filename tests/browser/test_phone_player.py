"""The phone player, as a person on the bedroom floor meets it: pause, end early, the phone on its
side, the second session of a day, a day with nothing left, a pain report in two taps, and a
whole session with the network gone."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import (
    GET_SET_MS,
    App,
    check_in,
    finish_step,
    freeze_clock,
    give_maya_a_program,
    play_until,
    report_pain,
    start_session,
    step_kind,
)
from tests.examples import example_data

LANDSCAPE = {"width": 780, "height": 360}


def covered(page: Page, target: Locator) -> bool:
    """Whether anything else is drawn over the middle of `target` (the red button, say)."""
    return bool(
        target.evaluate(
            """e => { const r = e.getBoundingClientRect();
                const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                return !(top === e || e.contains(top)); }"""
        )
    )


def fully_on_screen(page: Page, target: Locator) -> None:
    box = target.bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"] + 0.5, target
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 0.5, target
    assert not covered(page, target), target


def test_pause_stops_the_clock_and_resume_carries_on(page: Page, app: App) -> None:
    give_maya_a_program(page)
    start_session(page)
    finish_step(page)
    assert step_kind(page) == "hold"
    page.clock.run_for(2000)
    expect(page.locator("#big")).to_have_text("3")
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    expect(page.locator("#paused-note")).to_be_visible()
    page.clock.run_for(60_000)  # a minute on the phone, paused
    expect(page.locator("#big")).to_have_text("3")
    assert step_kind(page) == "hold"
    page.get_by_role("button", name="Next").click()  # nothing moves on while paused
    assert step_kind(page) == "hold"
    page.get_by_role("button", name="Resume").click()
    page.clock.run_for(1000)
    expect(page.locator("#big")).to_have_text("2")
    assert app.outcomes() == []


def test_ending_early_asks_first_and_keeps_what_was_done(page: Page, app: App) -> None:
    give_maya_a_program(page)
    start_session(page)
    play_until(page, lambda: page.locator("#ex-count").inner_text() == "Exercise 2 of 4")
    page.get_by_role("button", name="End session").click()
    dialog = page.locator("#end-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Carry on").click()
    expect(page.locator("#player")).to_be_visible()
    page.get_by_role("button", name="End session").click()
    dialog.get_by_role("button", name="End session").click()
    expect(page.get_by_role("heading", name="Check-in")).to_be_visible()
    check_in(page, 3)
    expect(page.get_by_role("heading", name="Saved.", exact=True)).to_be_visible()
    expect(page.locator("#summary")).to_contain_text("Done: Knee to chest.")
    session = app.ctx.repo.history()[-1]
    assert session.status == "quit"
    assert [(o.exercise_id, o.status) for o in session.outcomes] == [("knee-to-chest", "done")]


def test_after_get_ready_it_starts_by_itself_unless_told_to_wait(page: Page, app: App) -> None:
    give_maya_a_program(page)
    start_session(page)
    assert step_kind(page) == "position"
    page.clock.run_for(10_250)  # time to read and lie down, then "Starting in 5"
    expect(page.locator("#get-set")).to_be_visible()
    page.get_by_role("button", name="Not yet").click()
    expect(page.locator("#get-set")).to_be_hidden()
    page.clock.run_for(60_000)
    assert step_kind(page) == "position"  # it waits now, for as long as it takes
    page.get_by_role("button", name="I'm ready").click()
    expect(page.locator("#get-set-count")).to_have_text("5")
    page.clock.run_for(GET_SET_MS)
    assert step_kind(page) == "hold"


def test_on_its_side_the_countdown_cue_and_next_are_on_screen_and_not_covered(
    open_page: Callable[..., Page], app: App
) -> None:
    for viewport in (LANDSCAPE, {"width": 360, "height": 740}, {"width": 320, "height": 568}):
        page = open_page(viewport=viewport)
        give_maya_a_program(page)
        start_session(page)
        for _ in range(3):
            for control in ("#cue", "#next", "#hurts", "#skip", "#pause", "#end"):
                fully_on_screen(page, page.locator(control))
            if step_kind(page) == "hold":
                fully_on_screen(page, page.locator("#big"))
            finish_step(page)
        play_until(page, lambda: step_kind(page) == "reps")  # noqa: B023 - used at once
        fully_on_screen(page, page.locator("#count"))
        page.get_by_role("button", name="This hurts").click()
        dialog = page.locator("#pain-dialog")
        expect(dialog).to_be_visible()
        for kind in dialog.locator("[data-kind]").all():
            fully_on_screen(page, kind)
        page.keyboard.press("Escape")
        page.locator("#end").click()
        page.locator("#end-yes").click()
        check_in(page, 3)
        expect(page.locator("#saved")).to_be_visible()
        page.context.close()
        app.now.advance(days=1)  # the next size gets a new day's session


def test_the_figure_is_large_in_portrait(page: Page, app: App) -> None:
    give_maya_a_program(page)
    start_session(page)
    image = page.locator("#figure img")
    expect(image).to_be_visible()
    box = image.bounding_box()
    assert box is not None and box["width"] >= 180  # at least half of the 360 px wide screen


def test_the_second_session_of_a_day_counts_what_it_holds(page: Page, app: App) -> None:
    # Twice a day: the second session holds only what is done twice a day (or nothing).
    response = page.request.post(
        "/api/v1/profile", data=example_data("maya", sessions_per_day=2, minutes_per_session=5)
    )
    assert response.ok
    first = page.request.post("/api/v1/sessions", data={"pain_before": 3}).json()
    for exercise in first["exercises"]:
        body = {"exercise_id": exercise["id"], "status": "done"}
        assert page.request.post(f"/api/v1/sessions/{first['session_id']}/outcomes", data=body).ok
    finish = {"end_reason": "finished", "pain_after": 2, "difficulty": "right"}
    assert page.request.post(f"/api/v1/sessions/{first['session_id']}/finish", data=finish).ok
    page.goto("/session")
    if page.get_by_role("heading", name="Nothing to do right now").count():
        expect(page.get_by_role("status")).to_contain_text("Your next session is tomorrow")
        return
    due = page.locator("#start .meta").inner_text()
    count = int(due.split(" ")[0])
    start_session(page)
    expect(page.locator("#ex-count")).to_have_text(f"Exercise 1 of {count}")
    page.reload()
    start_session(page, pain_before=None)
    expect(page.locator("#ex-count")).to_have_text(f"Exercise 1 of {count}")


def test_a_day_with_nothing_left_says_so_and_when_the_next_session_is(page: Page, app: App) -> None:
    give_maya_a_program(page)
    start_session(page)
    while not page.locator("#checkin").is_visible():
        finish_step(page)
    check_in(page, 3)
    expect(page.get_by_role("heading", name="Saved. Well done.")).to_be_visible()
    page.goto("/session")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nothing to do right now")
    expect(page.get_by_role("status")).to_contain_text("Your next session is tomorrow")
    expect(page.get_by_role("button", name="Start", exact=True)).to_have_count(0)
    page.goto("/")
    expect(page.locator("main a[href='/session']")).to_have_count(0)
    # Only sessions that were planned and done count: one, however often the page was opened.
    page.goto("/progress")
    expect(page.locator("main")).to_contain_text("Sessions done: 1.")


def test_skipping_everything_is_not_praised(page: Page, app: App) -> None:
    give_maya_a_program(page)
    start_session(page)
    while not page.locator("#checkin").is_visible():
        page.locator("#skip").click()
    check_in(page, 4)
    expect(page.get_by_role("heading", name="Saved.", exact=True)).to_be_visible()
    expect(page.locator("#summary")).to_contain_text("Skipped: Knee to chest, Knee rolls, Pelvic tilt, Bridge.")
    page.goto("/session")  # nothing was done, so today's session is still there to do
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_visible()


def test_the_pain_report_takes_two_taps(page: Page, app: App) -> None:
    give_maya_a_program(page)
    start_session(page)
    finish_step(page)
    page.get_by_role("button", name="This hurts").click()
    dialog = page.locator("#pain-dialog")
    expect(dialog.locator("input")).to_have_count(0)  # nothing to type: no keyboard opens
    dialog.get_by_role("button", name="Sharp").click()  # tap one
    with page.expect_response(lambda r: r.url.endswith("/pain")):
        dialog.locator("#pain-score").get_by_role("button", name="6", exact=True).click()  # tap two
    expect(page.get_by_role("heading", name="Check-in")).to_be_visible()
    assert app.outcomes() == [("knee-to-chest", "stopped_for_pain", "sharp")]


def test_pain_into_a_leg_is_one_more_tap_and_asks_the_warning_signs_again(page: Page, app: App) -> None:
    give_maya_a_program(page)
    start_session(page)
    finish_step(page)
    report_pain(page, "A mild ache or stretch", 2, into_a_leg=True)
    expect(page.get_by_role("heading", name="Check-in")).to_be_visible()  # into the legs: stop
    check_in(page, 2)
    expect(page.get_by_role("heading", name="Saved. Your pain went up")).to_be_visible()
    place = app.ctx.repo.history()[-1]
    assert place.outcomes[-1].pain_kind == "mild"


def test_a_whole_session_with_the_network_gone_reaches_the_server_once(page: Page, app: App) -> None:
    give_maya_a_program(page)
    page.goto("/session")
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now the service worker answers for the page, and keeps today's figures
    assert page.evaluate("window.backcoachOffline") is True
    freeze_clock(page)
    page.context.set_offline(True)
    page.locator("#pain-before").get_by_role("button", name="4", exact=True).click()
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.locator("#player")).to_be_visible()
    expect(page.locator("#figure img")).to_have_count(1)  # from the service worker's cache
    while not page.locator("#checkin").is_visible():
        finish_step(page)
    check_in(page, 3)
    expect(page.locator("#offline-note")).to_be_visible()
    expect(page.locator("#summary")).to_contain_text("Done: Knee to chest, Knee rolls, Pelvic tilt, Bridge.")
    assert app.ctx.repo.history() == []  # nothing has reached the server yet

    page.context.set_offline(False)
    page.evaluate("window.backcoachOutbox.flush()")
    page.evaluate("window.backcoachOutbox.flush()")  # twice: a replay that is sent again changes nothing
    history = app.ctx.repo.history()
    assert len(history) == 1
    session = history[0]
    assert session.status == "finished"
    assert [(o.exercise_id, o.status) for o in session.outcomes] == [
        ("knee-to-chest", "done"),
        ("knee-rolls", "done"),
        ("pelvic-tilt", "done"),
        ("bridge", "done"),
    ]
    assert session.check_in is not None and (session.check_in.pain_before, session.check_in.pain_after) == (4, 3)
    assert page.evaluate("window.backcoachOutbox.pending()") == 0
    page.reload()  # online again, and the day's session is done
    expect(page.get_by_role("heading", level=1)).to_have_text("Nothing to do right now")
    page.watch.errors[:] = [e for e in page.watch.errors if "ERR_INTERNET_DISCONNECTED" not in e]  # type: ignore[attr-defined]


def test_the_time_zone_starts_as_the_phones_own(open_page: Callable[..., Page], app: App) -> None:
    page = open_page(timezone_id="Asia/Tokyo")
    page.goto("/settings")
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
