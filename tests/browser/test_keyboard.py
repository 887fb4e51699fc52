"""The player with the keyboard alone, and what a screen reader is told (milestones, not every second)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import App, freeze_clock, give_maya_a_program, play_until, step_kind

WATCH_ANNOUNCEMENTS = """() => {
  window.announced = [];
  new MutationObserver(() => window.announced.push(document.getElementById("announce").textContent))
    .observe(document.getElementById("announce"), { childList: true, characterData: true, subtree: true });
}"""


def focused(page: Page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")


def tab_to(page: Page, name: str, limit: int = 30) -> None:
    for _ in range(limit):
        if focused(page) == name:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {name!r}; it stopped on {focused(page)!r}")


def test_a_session_by_keyboard_alone(page: Page, app: App) -> None:
    give_maya_a_program(page)
    page.goto("/session")
    freeze_clock(page)
    tab_to(page, "4")  # the pain before: a row of buttons, 0 to 10
    page.keyboard.press("Enter")
    tab_to(page, "begin")
    page.keyboard.press("Enter")
    expect(page.locator("#player")).to_be_visible()
    page.evaluate(WATCH_ANNOUNCEMENTS)
    expect(page.locator("#announce")).to_have_text("Next exercise: Knee to chest.")
    assert focused(page) == "next"

    # Space (or Enter) goes on, whether the focus is on the Next button or nowhere in particular:
    # "I'm ready" gives five seconds to settle, and Space again starts at once.
    page.keyboard.press("Space")
    expect(page.locator("#get-set")).to_be_visible()
    page.keyboard.press("Space")
    assert step_kind(page) == "hold"
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Enter")
    assert step_kind(page) == "relax"
    tab_to(page, "skip")
    tab_to(page, "pause")
    tab_to(page, "end")
    tab_to(page, "hurts")
    tab_to(page, "next")
    page.keyboard.press("Enter")
    assert step_kind(page) == "hold"

    # Plain ticks of the countdown change what is shown but tell the screen reader nothing.
    page.clock.run_for(3000)
    expect(page.locator("#big")).to_have_text("2")
    assert page.evaluate("window.announced") == []

    # H opens the pain dialog and the countdown waits; Escape closes it and the same hold carries on.
    page.keyboard.press("h")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    assert focused(page) != "next"  # the focus moved into the dialog
    page.clock.run_for(5000)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert step_kind(page) == "hold"
    expect(page.locator("#big")).to_have_text("2")
    assert focused(page) == "next"

    play_until(page, lambda: step_kind(page) == "switch_side")
    expect(page.locator("#announce")).to_have_text("Switch sides. Now the right side.")
    play_until(page, lambda: page.locator("#ex-name").inner_text() == "Knee rolls" and step_kind(page) == "position")
    expect(page.locator("#announce")).to_have_text("Next exercise: Knee rolls.")
    assert page.evaluate("window.announced") == [
        "Switch sides. Now the right side.",
        "Rest. Next up: Knee rolls.",
        "Next exercise: Knee rolls.",
    ]

    # S skips the exercise; V turns the voice off, and says so.
    with page.expect_response(lambda r: r.url.endswith("/outcomes") and '"knee-rolls"' in (r.request.post_data or "")):
        page.keyboard.press("s")
    expect(page.locator("#next-up")).to_have_text("Next up: Pelvic tilt")
    expect(page.locator("#announce")).to_have_text("Skipped Knee rolls. Rest. Next up: Pelvic tilt.")
    page.keyboard.press("v")
    expect(page.locator("#announce")).to_have_text("Voice off.")
    assert app.outcomes() == [("knee-to-chest", "done", None), ("knee-rolls", "skipped", None)]
