"""Nothing is fetched from anywhere but the app itself (the `page` fixture checks this after every test)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import EVERY_PAGE, App, finish_step, give_maya_a_program, start_session, with_history


def test_every_page_and_the_player_load_only_from_the_app(page: Page, app: App) -> None:
    give_maya_a_program(page)
    with_history(app)
    for path in EVERY_PAGE:
        response = page.goto(path)
        assert response is not None and response.ok
        assert "default-src 'self'" in response.headers["content-security-policy"]
    start_session(page)
    for _ in range(4):
        finish_step(page)
    page.get_by_role("button", name="This hurts").click()
    expect(page.get_by_role("dialog")).to_be_visible()

    requests: list[str] = page.watch.requests  # type: ignore[attr-defined]
    assert any("/static/player.js?v=" in url for url in requests)
    assert any(url.endswith("/static/app.css") for url in requests)
    assert any(url.endswith("/api/v1/sessions") for url in requests)
    foreign = [url for url in requests if not url.startswith(app.url + "/")]
    assert foreign == []
