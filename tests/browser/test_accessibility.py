"""axe-core on every page and every state of the player: no serious or critical violations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.conftest import (
    EVERY_PAGE,
    PHONE,
    App,
    answer_screen,
    freeze_clock,
    give_maya_a_program,
    play_until,
    set_up_maya,
    start_session,
    step_kind,
    with_history,
)

AXE = Axe()


def serious(page: Page, where: str) -> list[str]:
    """axe's serious and critical findings, one line each. Lets the fake clock flow: axe waits on timers."""
    page.clock.resume()
    results: dict[str, Any] = AXE.run(page).response
    found = []
    for violation in results["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [", ".join(node["target"]) for node in violation["nodes"]][:5]
            found.append(f"{where}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


LANDSCAPE: ViewportSize = {"width": 780, "height": 360}


@pytest.mark.parametrize(
    ("scheme", "viewport"),
    [("light", PHONE), ("dark", PHONE), ("light", LANDSCAPE)],
    ids=["light upright", "dark upright", "light on its side"],
)
def test_every_page_passes_axe(open_page: Callable[..., Page], app: App, scheme: str, viewport: ViewportSize) -> None:
    page = open_page(color_scheme=scheme, viewport=viewport)
    page.goto("/screen")
    problems = serious(page, "/screen")
    answer_screen(page)
    problems += serious(page, "profile form")
    set_up_maya(page)
    with_history(app)
    for path in EVERY_PAGE:
        page.goto(path)
        problems += serious(page, path)
    assert not problems, "\n".join(problems)


def test_warning_sign_pages_pass_axe(page: Page, app: App) -> None:
    page.goto("/screen")
    answer_screen(page, yes=("saddle_numbness",))
    problems = serious(page, "emergency result")
    for path in ("/", "/program", "/session", "/progress"):
        page.goto(path)
        problems += serious(page, f"{path} without a program")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewport", [PHONE, LANDSCAPE], ids=["upright", "on its side"])
def test_the_player_passes_axe_in_every_state(open_page: Callable[..., Page], app: App, viewport: ViewportSize) -> None:
    page = open_page(viewport=viewport)
    give_maya_a_program(page)
    start_session(page)
    problems = serious(page, "player, get into position")
    freeze_clock(page)
    play_until(page, lambda: step_kind(page) == "reps")
    page.clock.run_for(6000)
    problems += serious(page, "player, repeats")  # 50 seconds of repeats: axe is done long before
    freeze_clock(page)
    play_until(page, lambda: step_kind(page) == "rest" and page.locator("#next-up").inner_text() == "Next up: Bridge")
    problems += serious(page, "player, a rest counting down")

    freeze_clock(page)
    page.get_by_role("button", name="This hurts").click()
    dialog = page.get_by_role("dialog")
    problems += serious(page, "pain dialog")
    dialog.get_by_role("button", name="A mild ache or stretch").click()
    problems += serious(page, "pain dialog, how bad")
    dialog.locator("#pain-score").get_by_role("button", name="3", exact=True).click()
    expect(dialog.get_by_role("button", name="Skip this exercise")).to_be_visible()
    problems += serious(page, "pain dialog, the options")
    dialog.get_by_role("button", name="Skip this exercise").click()
    expect(page.get_by_role("heading", name="Check-in")).to_be_visible()
    problems += serious(page, "check-in")
    page.get_by_role("button", name="Save").click()  # no pain given yet: asked for, in the page
    expect(page.locator("#checkin-error")).to_be_visible()
    problems += serious(page, "check-in, pain after missing")
    page.locator("#pain-after").get_by_role("button", name="3", exact=True).click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Saved. Well done.")).to_be_visible()
    problems += serious(page, "saved")
    assert not problems, "\n".join(problems)
