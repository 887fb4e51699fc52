"""At 360 x 740, a small phone: nothing scrolls sideways, and the red button never hides the Next button."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import (
    EVERY_PAGE,
    App,
    finish_step,
    give_maya_a_program,
    start_session,
    step_kind,
    with_history,
)


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide"


def apart(a: Locator, b: Locator) -> bool:
    one, two = a.bounding_box(), b.bounding_box()
    assert one is not None and two is not None
    return one["y"] + one["height"] <= two["y"] or two["y"] + two["height"] <= one["y"]


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("BACKCOACH_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_every_page_fits_a_small_phone(page: Page, app: App) -> None:
    give_maya_a_program(page)
    with_history(app)
    for path in EVERY_PAGE:
        page.goto(path)
        no_sideways_scroll(page)


# Whatever in the page is cut off and scrolls inside a box of its own (a wide table in an
# overflow:auto wrapper, say): the page itself does not scroll sideways, yet the text is hidden.
CUT_OFF = """() => [...document.querySelectorAll("main *")]
  .filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "visible")
  .map((e) => e.tagName + "." + e.className)"""


def test_each_exercise_page_shows_its_sources_whole_on_a_small_phone(page: Page, app: App) -> None:
    for exercise_id in app.ctx.app.catalogue.ids():
        page.goto(f"/library/{exercise_id}")
        no_sideways_scroll(page)
        assert page.evaluate(CUT_OFF) == [], exercise_id
        for card in page.locator(".dose-sources .card").all():
            box = card.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, exercise_id


def test_the_player_reads_at_arms_length(page: Page, app: App, tmp_path: Path) -> None:
    folder = shots(tmp_path)
    give_maya_a_program(page)
    start_session(page)
    hurts, next_ = page.get_by_role("button", name="This hurts"), page.locator("#next")
    page.screenshot(path=folder / "player-position.png")
    for _ in range(3):
        expect(hurts).to_be_in_viewport()
        expect(next_).to_be_in_viewport()
        assert apart(hurts, next_)
        no_sideways_scroll(page)
        if step_kind(page) == "hold":
            break
        finish_step(page)
    page.clock.run_for(2000)
    expect(page.locator("#big")).to_have_text("3")
    # Readable from the floor: a countdown over 100 px tall, and a red button a thumb cannot miss.
    assert page.locator("#big").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 100
    box = hurts.bounding_box()
    assert box is not None and box["height"] >= 60 and box["width"] >= 300
    assert hurts.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(179, 38, 30)"
    page.screenshot(path=folder / "player-hold.png")
    while step_kind(page) != "reps":
        finish_step(page)
    page.clock.run_for(12_000)
    expect(hurts).to_be_in_viewport()
    expect(next_).to_be_in_viewport()
    assert apart(hurts, next_)
    page.screenshot(path=folder / "player-reps.png")
    hurts.click()
    expect(page.get_by_role("dialog")).to_be_visible()
    no_sideways_scroll(page)
    page.screenshot(path=folder / "player-pain-dialog.png")
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="A mild ache or stretch").click()
    dialog.locator("#pain-score").get_by_role("button", name="3", exact=True).click()
    expect(dialog.get_by_role("button", name="Skip this exercise")).to_be_visible()  # the options are shown
    options = dialog.get_by_role("button")
    expect(options.first).to_be_focused()
    for option in options.all():
        expect(option).to_be_in_viewport()
    no_sideways_scroll(page)
    page.screenshot(path=folder / "player-pain-options.png")
    dialog.get_by_role("button", name="Skip this exercise").click()
    page.get_by_role("button", name="This hurts").click()
    dialog.get_by_role("button", name="Sharp").click()
    dialog.locator("#pain-score").get_by_role("button", name="6", exact=True).click()
    expect(page.get_by_role("heading", name="Check-in")).to_be_visible()
    no_sideways_scroll(page)
    page.screenshot(path=folder / "player-check-in.png")
