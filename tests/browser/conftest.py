"""Browser tests: the real web app in a background thread, driven by headless Debian Chromium.

Each test gets a fresh SQLite file, a server on a free 127.0.0.1 port and its own browser
context. The player's countdowns run on Playwright's fake clock, so no test waits on the wall
clock. Every page must load only from the app itself and log no errors: the `open_page` (and so
the `page`) fixture checks both after each test. Select these tests with `pytest -m browser`.

The fake clock is paused from the first document on, at BROWSER_START, and moves only when a test
moves it (`page.clock.run_for`), never with real time: what a page shows after a step does not depend
on how busy the machine is or how long the browser took. Only an explicit `page.clock.resume()` lets it
flow (axe needs running timers), until `freeze_clock` pauses it again where it is.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, Playwright, ViewportSize, sync_playwright

from backcoach.catalogue.loader import load_catalogue
from backcoach.services.activities import add_activity, rate_activity
from backcoach.services.context import App as BackcoachApp
from backcoach.services.context import Scope, local_scope
from backcoach.services.sessions import log_session
from backcoach.storage.database import open_database
from backcoach.storage.repository import Database
from backcoach.web.app import create_app
from tests.conftest import MovableNow
from tests.examples import example_data

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE: ViewportSize = {"width": 360, "height": 740}
BROWSER_START = datetime(2026, 3, 2, 8, 0)  # the page's fake clock starts here; the server's clock matches


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@dataclass
class App:
    """The running app: its address, and the same context the server uses (to check the database)."""

    url: str
    ctx: Scope
    now: MovableNow

    def outcomes(self) -> list[tuple[str, str, str | None]]:
        """(exercise, status, pain kind) of every outcome of the newest session, in order."""
        history = self.ctx.repo.history()
        if not history:
            return []
        return [(o.exercise_id, o.status, o.pain_kind) for o in history[-1].outcomes]


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    now = MovableNow(BROWSER_START)
    ctx = local_scope(
        BackcoachApp(Database(open_database(f"sqlite:///{tmp_path / 'browser.sqlite3'}")), load_catalogue(), now)
    )
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(lambda: ctx.app), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)  # the server starting, not the player: the player runs on the fake clock
    assert server.started, "the app did not start"
    yield App(f"http://127.0.0.1:{port}", ctx, now)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@dataclass
class Watch:
    """What a page did that a test may check: requests made, and script errors (or blocked content)."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            self.errors.append(message.text)  # a CSP refusal, say


@pytest.fixture
def open_page(browser: Browser, app: App) -> Iterator[Callable[..., Page]]:
    """Open a page on a fresh browser context (phone-sized unless told), with the fake clock installed.

    After the test: no page may have asked any other host for anything, or thrown a script error."""
    watches: list[Watch] = []
    contexts = []

    def open_(viewport: ViewportSize | None = None, init_script: str | None = None, **options: Any) -> Page:
        context = browser.new_context(viewport=viewport or PHONE, base_url=app.url, **options)
        contexts.append(context)
        if init_script:
            context.add_init_script(init_script)
        # Installed and paused before the context has a page: every document it loads (the first, a
        # reload, the next page) starts at exactly BROWSER_START plus what the test has run since.
        # Installed on an open page instead, the clock would flow with real time until paused, and
        # pausing it at a time worked out beforehand fails ("Cannot fast-forward to the past") as soon
        # as the machine is slow enough for that time to have gone by.
        context.clock.install(time=BROWSER_START)
        context.clock.pause_at(BROWSER_START)
        page = context.new_page()
        page.set_default_timeout(10_000)
        watch = Watch()
        watches.append(watch)
        page.on("request", lambda request: watch.requests.append(request.url))
        page.on("pageerror", lambda error: watch.errors.append(str(error)))
        page.on("console", lambda message: watch.console(message))
        page.watch = watch  # type: ignore[attr-defined]
        return page

    yield open_
    for context in contexts:
        context.close()
    for watch in watches:
        assert not watch.errors, f"script or console errors: {watch.errors}"
        foreign = [url for url in watch.requests if not url.startswith(app.url + "/")]
        assert not foreign, f"requests to other hosts: {foreign}"


@pytest.fixture
def page(open_page: Callable[..., Page]) -> Page:
    return open_page()


# Journeys shared by the tests -------------------------------------------------------------


def answer_screen(page: Page, yes: tuple[str, ...] = (), unsure: tuple[str, ...] = ()) -> None:
    """On /screen: tick the notice and answer every question no, except those named yes or not sure."""
    page.get_by_label("I have read this").check()
    for fieldset in page.locator("fieldset.question").all():
        name = fieldset.locator("input[type=radio]").first.get_attribute("name")
        value = "yes" if name in yes else "unsure" if name in unsure else "no"
        fieldset.locator(f"input[value={value}]").check()
    page.get_by_role("button", name="Next").click()


def set_up_maya(page: Page) -> None:
    """A clear screen and Maya's answers: lower back, pain 4, can do everything, 5 minutes (four exercises)."""
    page.goto("/")
    page.get_by_role("link", name="Start", exact=True).click()
    page.wait_for_url("**/screen")
    answer_screen(page)
    page.get_by_role("heading", name="About your back and your day").wait_for()
    page.get_by_label("Lower back").check()
    page.get_by_label("None of these").check()
    page.get_by_label("How much does it hurt now?").fill("4")
    page.get_by_label("Minutes for each session").fill("5")
    page.get_by_label("Sessions each day").fill("1")
    page.get_by_label("Ease the pain I have now").check()
    page.get_by_role("button", name="Make my program").click()
    page.wait_for_url("**/program")


def give_maya_a_program(page: Page) -> None:
    """Maya's program, saved through the API: quicker than the forms for tests about what comes after."""
    # Five minutes: the four exercises (three stretches, then the bridge) these tests walk through.
    response = page.request.post(
        "/api/v1/profile", data=example_data("maya", sessions_per_day=1, minutes_per_session=5)
    )
    assert response.ok, response.text()


# Pauses Playwright's fake clock in this document at the very time it shows, in one step of the page's
# own script, so no time can go by between reading it and pausing it. (`__pwClock.controller` is the
# clock Playwright installs; its `pauseAt` is what `page.clock.pause_at` runs in each frame.)
PAUSE_WHERE_IT_IS = """async () => {
  const clock = globalThis.__pwClock && globalThis.__pwClock.controller;
  if (!clock) throw new Error("Playwright's fake clock is not installed on this page");
  const shown = Math.ceil(Date.now());  // whole milliseconds, as Playwright keeps them
  await clock.pauseAt(shown);
  return shown;
}"""
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
GET_SET_MS = 5 * 1000 + 250  # the player's "Starting in 5" after "I'm ready", and a tick


def freeze_clock(page: Page) -> None:
    """Make sure the page's fake clock stands still: from now on time moves only when a test moves it.

    open_page pauses it from the start, so this changes nothing unless a test let it flow with
    page.clock.resume(); then it stops where it is, never later (which would run the page's timers on)
    nor earlier (Playwright refuses to go back)."""
    shown_ms = page.evaluate(PAUSE_WHERE_IT_IS)
    # Tell Playwright too, at the same instant, so later documents (a reload) start from here. An exact
    # ISO time, not float seconds, which could round to the millisecond before.
    page.clock.pause_at((EPOCH + timedelta(milliseconds=shown_ms)).isoformat(timespec="milliseconds"))


def start_session(page: Page, pain_before: str | None = "4", voice: bool = True, wait_for: str = "#player") -> None:
    """Open the session page, stop the clock, tap the pain before (unless None), and press Start."""
    page.goto("/session")
    freeze_clock(page)
    if pain_before is not None:
        tap_score(page.locator("#pain-before"), pain_before)
    page.get_by_label("Speak the steps out loud").set_checked(voice)
    page.get_by_role("button", name="Start", exact=True).click()
    page.locator(wait_for).wait_for()


def tap_score(scale: Locator, score: str | int) -> None:
    """One tap on a 0 to 10 scale (the pain before, the check-in, the pain report)."""
    scale.get_by_role("button", name=str(score), exact=True).click()


def report_pain(page: Page, kind: str, score: int, into_a_leg: bool = False) -> None:
    """Tap "This hurts", then the kind of pain, "into a leg" if so, and how bad."""
    page.get_by_role("button", name="This hurts").click()
    dialog = page.locator("#pain-dialog")
    dialog.get_by_role("button", name=kind).click()
    if into_a_leg:
        dialog.get_by_role("button", name="It goes down into a leg").click()
    tap_score(dialog.locator("#pain-score"), score)


def check_in(page: Page, pain_after: str | int, felt: str = "About right") -> None:
    checkin = page.locator("#checkin")
    tap_score(checkin.locator("#pain-after"), pain_after)
    checkin.get_by_label(felt).check()
    checkin.get_by_role("button", name="Save").click()


def step_kind(page: Page) -> str:
    return page.locator("#player").get_attribute("data-kind") or ""


def finish_step(page: Page) -> None:
    """Play the current step to its end: press "I'm ready" on a position step, else let the clock run."""
    player = page.evaluate("({ ...document.getElementById('player').dataset })")
    if player["kind"] == "position":
        page.locator("#next").click()  # "I'm ready": then "Starting in 5"
        page.clock.run_for(GET_SET_MS)
    else:
        page.clock.run_for(int(player["seconds"]) * 1000 + 250)


def play_until(page: Page, done: Callable[[], bool], limit: int = 200) -> None:
    for _ in range(limit):
        if done():
            return
        finish_step(page)
    raise AssertionError("the player never got there")


# Every page a person can reach, once they have a program.
EVERY_PAGE = [
    "/",
    "/screen",
    "/profile",
    "/program",
    "/session",
    "/progress",
    "/library",
    "/library/bridge",
    "/learn",
    "/learn/flare-up",
    "/settings",
    "/checked",
    "/activities",
    "/activities/1",
]


def with_history(app: App) -> None:
    """One session done from paper and one activity rated twice, so the progress page has something to draw."""
    log_session(app.ctx, pain_before=4, pain_after=3, difficulty="right", skipped=[], pain_stops={})
    add_activity(app.ctx, "Putting on socks", 4)
    app.now.advance(days=1)
    rate_activity(app.ctx, 1, 6)
