"""After a session on the phone, the same loop as in the terminal: the warning signs again when
pain rose, and the weekly review (with its new program version) when one came due."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import App, check_in, give_maya_a_program, report_pain, start_session


def skip_to_check_in(page: Page) -> None:
    while not page.locator("#checkin").is_visible():
        page.locator("#skip").click()  # "Skip exercise", or "Skip the rest" between two


def answer_no_to_every_sign(page: Page) -> None:
    for fieldset in page.locator("fieldset.question").all():
        fieldset.locator("input[value=no]").check()
    page.get_by_role("button", name="Save my answers").click()


def test_pain_that_rose_brings_the_warning_signs_back_before_the_next_session(page: Page, app: App) -> None:
    give_maya_a_program(page)
    start_session(page, pain_before="3")
    skip_to_check_in(page)
    check_in(page, "6")  # up 3 points: Medbridge Pathways' "act" level

    rescreen = page.locator("#rescreen")
    expect(rescreen).to_be_visible()
    expect(rescreen.get_by_role("alert")).to_contain_text("answer the warning-sign questions again")
    expect(page.get_by_role("heading", name="Saved. Well done.")).to_be_hidden()

    # Until they are answered, the session page asks for them instead of offering a session.
    page.goto("/session")
    expect(page.get_by_role("heading", name="Before your next session")).to_be_visible()
    expect(page.get_by_role("button", name="Start", exact=True)).to_have_count(0)
    assert page.request.post("/api/v1/sessions", data={"resume": False}).status == 409

    page.get_by_role("link", name="Answer the questions").click()
    page.wait_for_url("**/recheck")
    answer_no_to_every_sign(page)
    expect(page.get_by_role("heading", name="your answers are saved")).to_be_visible()
    # Pain rose by 3, so the clear answer keeps the advice that fits, never "you can start gently".
    expect(page.get_by_role("status")).to_contain_text("went up from 3 to 6")
    expect(page.get_by_role("status")).not_to_contain_text("start gently")
    page.goto("/session")
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_visible()


def test_a_yes_at_the_recheck_pauses_the_program(page: Page, app: App) -> None:
    give_maya_a_program(page)
    start_session(page, pain_before="2")
    skip_to_check_in(page)
    check_in(page, "7")
    page.locator("#rescreen").get_by_role("link", name="Answer the questions").click()
    for fieldset in page.locator("fieldset.question").all():
        name = fieldset.locator("input").first.get_attribute("name")
        fieldset.locator(f"input[value={'yes' if name == 'leg_weakness' else 'no'}]").check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_role("heading", name="Get emergency help now")).to_be_visible()
    page.goto("/program")
    expect(page.get_by_role("heading", name="Your program is paused")).to_be_visible()


def test_a_review_that_came_due_shows_its_new_program_version(page: Page, app: App) -> None:
    give_maya_a_program(page)
    app.now.advance(days=7)  # a week since the program began: the review is due at the next check-in
    start_session(page, pain_before="3")
    report_pain(page, "A mild ache or stretch", 3)
    page.get_by_role("dialog").get_by_role("button", name="Skip this exercise").click()
    skip_to_check_in(page)
    check_in(page, "3")

    review = page.locator("#review")
    expect(review).to_be_visible()
    expect(review).to_contain_text("caused some discomfort")
    expect(review).to_contain_text("Your program has a new version (2)")
    review.get_by_role("link", name="See your program").click()
    expect(page.locator("p.meta")).to_contain_text("Version 2")
