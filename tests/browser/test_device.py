"""What the player asks of the device: a screen that stays on, and a voice only when wanted."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.conftest import App, finish_step, give_maya_a_program, play_until, start_session, step_kind

# Stands in for the Screen Wake Lock and speech APIs, and records what the page asks of them.
STUBS = """
window.wakeRequests = [];
window.spoken = [];
window.pretendVisibility = "visible";
Object.defineProperty(Document.prototype, "visibilityState", {
  configurable: true,
  get: () => window.pretendVisibility,
});
Object.defineProperty(Navigator.prototype, "wakeLock", {
  configurable: true,
  get: () => ({
    request: async (type) => {
      window.wakeRequests.push(type);
      return { released: false, release: async () => {}, addEventListener() {} };
    },
  }),
});
window.SpeechSynthesisUtterance = window.SpeechSynthesisUtterance || function (text) { this.text = text; };
const speech = window.speechSynthesis || {};
speech.speak = (utterance) => window.spoken.push(utterance.text);
speech.cancel = () => {};
if (!window.speechSynthesis) Object.defineProperty(window, "speechSynthesis", { value: speech });
"""


def set_visibility(page: Page, state: str) -> None:
    page.evaluate(
        "state => { window.pretendVisibility = state; document.dispatchEvent(new Event('visibilitychange')); }", state
    )


def test_the_screen_is_kept_on_from_start_and_after_coming_back(open_page: Callable[..., Page], app: App) -> None:
    page = open_page(init_script=STUBS)
    give_maya_a_program(page)
    page.goto("/session")
    assert page.evaluate("window.wakeRequests") == []  # not before the person starts
    start_session(page)
    expect(page.locator("#player")).to_be_visible()
    assert page.evaluate("window.wakeRequests") == ["screen"]

    set_visibility(page, "hidden")  # the browser lets the lock go when the page is hidden
    assert page.evaluate("window.wakeRequests") == ["screen"]
    set_visibility(page, "visible")
    assert page.evaluate("window.wakeRequests") == ["screen", "screen"]


def test_cues_are_spoken_only_after_start_and_only_with_the_voice_on(open_page: Callable[..., Page], app: App) -> None:
    page = open_page(init_script=STUBS)
    give_maya_a_program(page)
    page.goto("/session")
    assert page.evaluate("window.spoken") == []
    start_session(page, voice=True)
    spoken = page.evaluate("window.spoken")
    assert spoken[0] == "Let's start."
    # Getting ready is one line, not the whole list of steps (those are on the screen).
    assert spoken[1] == "Knee to chest. Lie on your back on the floor or a firm mat."
    assert len(spoken) == 2
    finish_step(page)  # "I'm ready", then five seconds
    assert page.evaluate("window.spoken")[-3:] == [
        "Ready.",
        "Go.",
        "Left side. Ease into the stretch and hold for 5 seconds.",
    ]
    play_until(page, lambda: step_kind(page) == "switch_side")
    assert page.evaluate("window.spoken")[-1] == "Switch sides. Now the right side."
    play_until(page, lambda: step_kind(page) == "reps")
    page.clock.run_for(5100)
    # Every repeat is counted out loud, from the first.
    assert page.evaluate("window.spoken")[-2:] == ["Do 10 slow repeats. 1", "2"]

    quiet = open_page(init_script=STUBS)
    quiet.goto("/session")
    start_session(quiet, voice=False)
    for _ in range(5):
        finish_step(quiet)
    assert quiet.evaluate("window.spoken") == []
    quiet.reload()
    expect(quiet.get_by_label("Speak the steps out loud")).not_to_be_checked()  # the choice is remembered
