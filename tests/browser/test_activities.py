"""The activities pages on a small touch phone (360 x 740): an activity is added and rated again with
taps on big 0-10 buttons, and nothing about the rating opens the on-screen keyboard."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import App, give_maya_a_program

# Input types that bring up a phone's keyboard; none may be used for the rating.
KEYBOARD_TYPES = ("text", "number", "tel", "search", "email", "url", "password", "")


def controls(page: Page) -> Locator:
    """What a thumb presses on these pages: buttons, links styled as buttons, fields and the 0-10 buttons."""
    return page.locator(
        "main button, main a.button, main input:not([type=radio]):not([type=hidden]), main .scale-button > span"
    )


def all_big_enough(page: Page) -> None:
    for control in controls(page).all():
        box = control.bounding_box()
        assert box is not None, control
        assert box["height"] >= 44, f"{control.evaluate('e => e.outerHTML')[:80]} is {box['height']} px tall"
        assert box["width"] >= 44, f"{control.evaluate('e => e.outerHTML')[:80]} is {box['width']} px wide"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360, f"{page.url} scrolls sideways"


def rating_takes_no_keyboard(page: Page) -> Locator:
    """The rating group: eleven radio buttons and nothing typed."""
    rating = page.get_by_role("group", name="How well can you do it now?")
    kinds = rating.locator("input").evaluate_all("inputs => inputs.map(i => i.type)")
    assert kinds == ["radio"] * 11
    assert rating.locator("textarea, select, [contenteditable], [inputmode]").count() == 0
    return rating


def tap_rating(page: Page, score: int) -> None:
    rating = rating_takes_no_keyboard(page)
    button = rating.get_by_role("radio", name=str(score), exact=True)
    button.tap()
    expect(button).to_be_checked()
    focused = page.evaluate("document.activeElement && document.activeElement.type")
    assert focused not in KEYBOARD_TYPES, f"tapping a rating focused a {focused!r} input"


def test_add_an_activity_and_rate_it_again_with_taps(open_page: Callable[..., Page], app: App) -> None:
    page = open_page(has_touch=True, is_mobile=True)
    give_maya_a_program(page)
    page.goto("/progress")
    page.get_by_role("link", name="Add an activity").tap()
    page.wait_for_url("**/activities")
    all_big_enough(page)

    name = page.get_by_label("What does your back make hard to do?")
    name.tap()
    name.fill("Putting on socks")  # the name is typed; the rating never is
    tap_rating(page, 4)
    page.get_by_role("button", name="Save this activity").tap()
    page.wait_for_url("**/activities?saved=1*")
    expect(page.get_by_role("status")).to_contain_text("Saved: Putting on socks.")
    [stored] = app.ctx.repo.psfs.history()
    assert (stored.activity, stored.score) == ("Putting on socks", 4)

    app.now.advance(days=7)
    page.get_by_role("link", name="Rate it again: Putting on socks").tap()
    page.wait_for_url("**/activities/1")
    all_big_enough(page)
    tap_rating(page, 7)
    page.get_by_role("button", name="Save this rating").tap()
    page.wait_for_url("**/activities/1?saved=1")
    expect(page.get_by_role("status")).to_have_text("Saved: 7 out of 10.")
    expect(page.locator("p.lead")).to_have_text("4 → 7 out of 10. Up 3 points since you started: a real change.")
    expect(page.get_by_role("region", name="Your ratings over time").locator("tbody tr")).to_have_count(2)
    assert [r.score for r in app.ctx.repo.psfs.history()] == [4, 7]
    all_big_enough(page)

    page.goto("/progress")
    expect(
        page.get_by_text("Putting on socks: 4 → 7 out of 10. Up 3 points since you started: a real change.")
    ).to_be_visible()


def test_a_rating_not_chosen_is_asked_for_before_anything_is_sent(open_page: Callable[..., Page], app: App) -> None:
    page = open_page(has_touch=True, is_mobile=True)
    page.goto("/activities")
    page.get_by_label("What does your back make hard to do?").fill("Sitting at my desk")
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.method))
    page.get_by_role("button", name="Save this activity").tap()
    # The phone asks for a rating itself (the server would too, in the page: tests/test_web_activities.py).
    assert page.locator("input[name=score]").first.evaluate("e => !e.validity.valid")
    assert "POST" not in sent and app.ctx.repo.psfs.activities() == []
    expect(page.get_by_label("What does your back make hard to do?")).to_have_value("Sitting at my desk")
