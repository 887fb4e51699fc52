"""A warning sign on the safety screen sends the person for help, and no page offers exercise."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import App, answer_screen, give_maya_a_program


def no_exercise_offered(page: Page) -> None:
    """No page offers a session; the home page says what to do next; the API refuses one."""
    for path in ("/", "/program", "/session", "/progress", "/library"):
        page.goto(path)
        expect(page.locator("main a[href='/session']")).to_have_count(0)
    page.goto("/")
    expect(page.locator("main")).to_contain_text("What to do next")
    expect(page.get_by_role("link", name="A doctor or physiotherapist checked me")).to_be_visible()
    page.goto("/program")
    expect(page.locator("ol.cards")).to_have_count(0)
    page.goto("/session")
    expect(page.get_by_role("heading", level=1)).to_have_text("No exercise for now")
    expect(page.locator("#player")).to_have_count(0)
    expect(page.get_by_role("button", name="Start")).to_have_count(0)
    assert page.request.post("/api/v1/sessions", data={"resume": True}).status == 409


def test_numbness_on_a_first_screen_means_emergency_help(page: Page, app: App) -> None:
    page.goto("/screen")
    answer_screen(page, yes=("saddle_numbness",))
    alert = page.get_by_role("alert")
    expect(alert.get_by_role("heading", level=1)).to_have_text("Get emergency help now")
    expect(alert).to_have_class("alert emergency")
    expect(page.get_by_role("button", name="Make my program")).to_have_count(0)
    no_exercise_offered(page)
    page.goto("/program")  # what to do, not "Start" again: the answers cannot undo a sign
    expect(page.get_by_role("heading", level=1)).to_have_text("No program for now")
    expect(page.get_by_role("alert")).to_contain_text("emergency")
    page.goto("/")  # the home page says what to do first, before anything else
    expect(page.get_by_role("heading", level=1)).to_have_text("Get the medical help this says first")


def test_numbness_on_a_later_screen_pauses_the_program(page: Page, app: App) -> None:
    give_maya_a_program(page)
    page.goto("/screen")
    answer_screen(page, yes=("saddle_numbness",))
    expect(page.get_by_role("heading", level=1)).to_have_text("Get emergency help now")
    no_exercise_offered(page)
    page.goto("/program")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your program is paused")


def test_not_sure_is_an_answer_that_says_who_can_check(page: Page, app: App) -> None:
    page.goto("/screen")
    answer_screen(page, unsure=("fever",))
    alert = page.get_by_role("alert")
    expect(alert.get_by_role("heading", level=1)).to_have_text("See a doctor today")
    expect(alert).to_contain_text("You were not sure about fever or chills")
    no_exercise_offered(page)


def test_the_neck_questions_show_when_the_neck_is_picked(page: Page, app: App) -> None:
    page.goto("/screen")
    answer_screen(page)
    neck = page.locator("fieldset.neck-signs")
    expect(neck).to_be_hidden()
    page.get_by_label("Neck").check()
    expect(neck).to_be_visible()
    for fieldset in neck.locator("fieldset.question").all():
        fieldset.locator("input[value=no]").check()
    neck.locator("fieldset.question", has_text="clumsy").locator("input[value=yes]").check()
    page.get_by_label("None of these").check()
    page.get_by_label("How much does it hurt now?").fill("3")
    page.get_by_role("button", name="Make my program").click()
    expect(page.get_by_role("alert").get_by_role("heading", level=1)).to_have_text("See a doctor today")
    no_exercise_offered(page)
