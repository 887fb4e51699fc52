"""The short lessons in a real browser: one offered after a session, never two in a day; the
flare-up plan after a pain stop, shown even with no network; the Learn page lists them all and
marks the read ones; lesson text is shown as text, never markup."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from backcoach.services.lessons import all_lessons
from tests.browser.conftest import App, check_in, freeze_clock, report_pain, start_session
from tests.browser.test_layout import no_sideways_scroll
from tests.browser.test_safety_loop import skip_to_check_in
from tests.examples import example_data


def two_sessions_a_day(page: Page) -> None:
    response = page.request.post(
        "/api/v1/profile", data=example_data("maya", sessions_per_day=2, minutes_per_session=5)
    )
    assert response.ok, response.text()


def saved_offer(page: Page) -> Locator:
    return page.locator("#saved [data-lesson-offer]")


def test_one_lesson_is_offered_after_a_session_and_no_second_one_that_day(page: Page, app: App) -> None:
    two_sessions_a_day(page)
    start_session(page, pain_before="4")
    skip_to_check_in(page)
    check_in(page, "3")
    offer = saved_offer(page)
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("A short read for today")
    link = offer.get_by_role("link", name="Read: Why these exercises help")
    expect(link).to_be_visible()

    start_session(page, pain_before="3")  # the second session of the day: no lesson this time
    skip_to_check_in(page)
    check_in(page, "3")
    expect(page.locator("#saved")).to_be_visible()
    expect(saved_offer(page)).to_be_hidden()

    # Nothing is read until it is opened; opening it marks it read on the Learn page.
    page.goto("/learn")
    expect(page.get_by_role("status")).to_have_text("You have read 0 of 8.")
    page.get_by_role("link", name="Why these exercises help").click()
    page.wait_for_url("**/learn/why-it-helps")
    expect(page.get_by_role("heading", name="Why these exercises help", level=1)).to_be_visible()
    expect(page.locator(".lesson-sources")).to_contain_text("The best back pain exercises")
    expect(page.locator("main")).not_to_contain_text(".txt")  # sources by their titles, never file names
    no_sideways_scroll(page)


def test_the_learn_page_lists_every_lesson_and_marks_the_read_ones(page: Page, app: App) -> None:
    two_sessions_a_day(page)  # read marks are kept once there is a person to keep them for
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Learn").click()
    page.wait_for_url("**/learn")
    cards = page.locator("ul.lessons > li")
    expect(cards).to_have_count(len(all_lessons()))
    assert cards.locator("h2").all_inner_texts() == [lesson.title for lesson in all_lessons()]
    expect(cards.locator(".read-mark")).to_have_text(["Not read yet"] * len(all_lessons()))
    page.goto("/learn/posture")
    page.goto("/learn/how-long")
    page.goto("/learn")
    expect(page.get_by_role("status")).to_have_text("You have read 2 of 8.")
    expect(page.locator("#lesson-posture .read-mark")).to_have_text("✓ Read")
    expect(page.locator("#lesson-how-long .read-mark")).to_have_text("✓ Read")
    expect(page.locator("#lesson-start-slow .read-mark")).to_have_text("Not read yet")
    no_sideways_scroll(page)
    missing = page.request.get("/learn/nothing-here")
    assert missing.status == 404 and "Page not found" in missing.text()


def test_after_a_pain_stop_the_flare_up_plan_is_shown_then_offered(page: Page, app: App) -> None:
    two_sessions_a_day(page)
    start_session(page, pain_before="4")
    report_pain(page, "Sharp", 5)  # sharp pain ends the session
    plan = page.locator("#flare-plan")
    expect(plan).to_be_visible()
    expect(plan).to_contain_text("Your flare-up plan")
    expect(plan).to_contain_text("Get emergency help now if you have numbness")
    expect(plan.get_by_role("link", name="Check the warning signs")).to_have_attribute("href", "/recheck")
    no_sideways_scroll(page)
    check_in(page, "5")
    offer = saved_offer(page)
    expect(offer).to_contain_text("Here is what to do in a flare-up")
    offer.get_by_role("link", name="Read: Your flare-up plan").click()
    page.wait_for_url("**/learn/flare-up")
    expect(page.get_by_role("link", name="Check the warning signs")).to_be_visible()


def test_the_flare_up_plan_shows_after_a_pain_stop_with_no_network(page: Page, app: App) -> None:
    two_sessions_a_day(page)
    page.goto("/session")
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now the service worker answers for the page, and keeps today's figures
    assert page.evaluate("window.backcoachOffline") is True
    freeze_clock(page)
    page.context.set_offline(True)
    page.locator("#pain-before").get_by_role("button", name="4", exact=True).click()
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.locator("#player")).to_be_visible()
    report_pain(page, "Sharp", 5)
    expect(page.locator("#end-message")).to_contain_text("offline")
    expect(page.locator("#flare-plan")).to_be_visible()
    expect(page.locator("#flare-plan")).to_contain_text("Get emergency help now")
    page.context.set_offline(False)
    page.watch.errors[:] = [e for e in page.watch.errors if "ERR_INTERNET_DISCONNECTED" not in e]  # type: ignore[attr-defined]


def test_a_session_that_rose_in_pain_offers_the_flare_up_plan_beside_the_warning_signs(page: Page, app: App) -> None:
    two_sessions_a_day(page)
    start_session(page, pain_before="3")
    skip_to_check_in(page)
    check_in(page, "6")
    rescreen = page.locator("#rescreen")
    expect(rescreen).to_be_visible()
    expect(rescreen.locator("[data-lesson-offer]")).to_contain_text("Read: Your flare-up plan")
