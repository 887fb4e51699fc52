"""Every control a finger can hit is at least 44 by 44 CSS pixels (WCAG 2.5.5), on every page and in
the player, held upright and on its side; and keyboard hints show only where there is a keyboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize

from tests.browser.conftest import EVERY_PAGE, PHONE, App, finish_step, give_maya_a_program, start_session, with_history

LANDSCAPE: ViewportSize = {"width": 780, "height": 360}
MIN_TARGET = 44

# For each visible control: what a finger hits (a radio or checkbox is hit through its label).
SMALL_TARGETS = """min => {
  const controls = document.querySelectorAll("a[href], button, input, select, textarea, summary");
  const small = [];
  for (const control of controls) {
    const target = ["radio", "checkbox"].includes(control.type) ? (control.closest("label") ?? control) : control;
    const box = target.getBoundingClientRect();
    const style = getComputedStyle(target);
    if (!box.width || !box.height || style.visibility === "hidden" || box.right < 0) continue; // not shown
    if (control.closest("[hidden], dialog:not([open])")) continue;
    if (box.width < min - 0.5 || box.height < min - 0.5) {
      const name = (target.textContent || target.name || target.id).trim().slice(0, 30);
      small.push(`${target.tagName.toLowerCase()} "${name}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}"""


def small_targets(page: Page, where: str) -> list[str]:
    found: list[Any] = page.evaluate(SMALL_TARGETS, MIN_TARGET)
    return [f"{where}: {item}" for item in found]


@pytest.mark.parametrize("viewport", [PHONE, LANDSCAPE], ids=["upright", "on its side"])
def test_every_control_on_every_page_is_big_enough(
    open_page: Callable[..., Page], app: App, viewport: ViewportSize
) -> None:
    page = open_page(viewport=viewport)
    give_maya_a_program(page)
    with_history(app)
    problems: list[str] = []
    for path in [*EVERY_PAGE, "/nowhere"]:
        page.goto(path)
        problems += small_targets(page, path)
    start_session(page)
    for step in range(4):
        problems += small_targets(page, f"player step {step}")
        finish_step(page)
    page.get_by_role("button", name="This hurts").click()
    problems += small_targets(page, "pain dialog")
    page.locator("#pain-dialog").get_by_role("button", name="Sharp").click()
    problems += small_targets(page, "pain dialog, how bad")
    page.locator("#pain-score").get_by_role("button", name="6", exact=True).click()
    problems += small_targets(page, "check-in")
    assert not problems, "\n".join(problems)
    page.watch.errors.remove("Failed to load resource: the server responded with a status of 404 (Not Found)")  # type: ignore[attr-defined]


def test_keyboard_hints_only_with_a_keyboard(open_page: Callable[..., Page], app: App) -> None:
    phone = open_page(has_touch=True, is_mobile=True)
    give_maya_a_program(phone)
    phone.goto("/session")
    assert not phone.locator(".keys").is_visible()
    desk = open_page(viewport={"width": 1280, "height": 800})
    desk.goto("/session")
    assert desk.locator(".keys").is_visible()
