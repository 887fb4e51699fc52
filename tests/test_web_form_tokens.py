"""Every HTML form that changes something needs this browser's token (CSRF), and the JSON API takes
JSON only: a post without the token, with a wrong one, or with another browser's, is a friendly 403
page and changes nothing; with the token it works."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from backcoach.core.screening import QUESTION_IDS
from backcoach.services.context import Scope
from backcoach.services.programs import set_profile
from backcoach.web.app import create_app
from backcoach.web.form_tokens import COOKIE, FIELD, OUT_OF_DATE, FormTokens
from tests.examples import example_profile
from tests.forms import HIDDEN, form_token, post_form
from tests.test_web_pages import profile_form, screen_form, stored


def browser(ctx: Scope, tokens: FormTokens | None = None) -> TestClient:
    return TestClient(create_app(lambda: ctx.app, form_tokens=tokens), base_url="http://127.0.0.1")


@pytest.fixture
def client(ctx: Scope) -> TestClient:
    return browser(ctx)


def with_warning(ctx: Scope) -> None:
    """Maya, with a program and then a warning sign waiting for a professional's check."""
    set_profile(ctx, example_profile("maya"))
    client = browser(ctx)
    answers = {**dict.fromkeys(QUESTION_IDS, False), "cancer_history": True}
    client.post("/api/v1/rescreen", json={"answers": answers}).raise_for_status()
    client.post("/api/v1/activities", json={"name": "Walking", "score": 3}).raise_for_status()  # activity 1


def writes(client: TestClient) -> set[str]:
    """Every route of the app that takes a method other than GET."""
    routes = iter_route_contexts(client.app.routes)  # type: ignore[attr-defined]
    return {r.path for r in routes if r.path and r.methods and set(r.methods) - {"GET", "HEAD"}}


# Each form that posts, with answers that would change something if the token were not checked.
FORMS: dict[str, Callable[[Scope], dict[str, Any]]] = {
    "/screen": lambda ctx: {"data": screen_form(fever=True)},
    "/profile": lambda ctx: {"data": profile_form()},
    "/recheck": lambda ctx: {"data": dict.fromkeys(QUESTION_IDS, "no")},
    "/checked": lambda ctx: {"data": {"cleared_by": "Dr Shah", "cleared_on": ctx.now().date().isoformat()}},
    "/settings/reminders": lambda ctx: {"data": {"time_1": "07:30", "timezone": "Europe/London", "alarm": "10"}},
    "/settings/import": lambda ctx: {"files": {"file": ("b.json", stored(ctx).encode(), "application/json")}},
    "/activities": lambda ctx: {"data": {"name": "Gardening", "score": "4"}},
    "/activities/{activity_id}/ratings": lambda ctx: {"data": {"score": "5"}},
}


def test_every_page_route_that_posts_is_in_this_table(client: TestClient):
    """A new form route must be added to FORMS, and so is tested below."""
    posting = {path for path in writes(client) if not path.startswith("/api/")}
    assert posting == set(FORMS)


def _refusals(client: TestClient, other: TestClient) -> dict[str, dict[str, Any]]:
    """The ways a form can come without this browser's own field."""
    mine, theirs = form_token(client), form_token(other)
    assert mine != theirs  # each browser has its own
    return {
        "no token": {},
        "empty token": {FIELD: ""},
        "wrong token": {FIELD: "0" * 64},
        "another browser's token": {FIELD: theirs},
        "this browser's token, one letter changed": {FIELD: ("1" if mine[0] != "1" else "2") + mine[1:]},
        "a token and no cookie": {FIELD: mine, "drop_cookie": True},
        "a cookie made up by another site": {FIELD: mine, "cookie": "A" * 43},
        "not text": {FIELD: "\u00e9\u00e9"},
    }


@pytest.mark.parametrize("path", list(FORMS))
def test_a_form_without_this_browsers_token_is_refused_and_changes_nothing(ctx: Scope, path: str):
    with_warning(ctx)
    client, other = browser(ctx), browser(ctx)
    before = stored(ctx)
    for why, how in _refusals(client, other).items():
        sent = dict(FORMS[path](ctx))
        fields = {k: v for k, v in how.items() if k == FIELD}
        sent["data"] = {**sent.get("data", {}), **fields}
        if how.get("drop_cookie"):
            client.cookies.delete(COOKIE)
        elif "cookie" in how:
            client.cookies.set(COOKIE, how["cookie"])
        answer = client.post(path.format(activity_id=1), **sent)
        assert answer.status_code == 403, (path, why, answer.text[:300])
        assert answer.headers["content-type"].startswith("text/html") and OUT_OF_DATE in answer.text, (path, why)
        assert '<a class="brand" href="/">' in answer.text  # a whole page, with the way home
        assert stored(ctx) == before, (path, why)
        client.cookies.clear()
        form_token(client)  # the browser loads a page again, and has its cookie back


@pytest.mark.parametrize("path", list(FORMS))
def test_with_this_browsers_token_the_form_works(ctx: Scope, new_database_url: Callable[[], str], path: str):
    with_warning(ctx)
    target = ctx
    if path == "/settings/import":  # into an empty app
        from backcoach.services.context import App, local_scope
        from backcoach.storage.database import open_database
        from backcoach.storage.repository import Database

        target = local_scope(App(Database(open_database(new_database_url())), ctx.catalogue, ctx.now))
    client = browser(target)
    before = stored(target)
    answer = post_form(client, path.format(activity_id=1), follow_redirects=False, **FORMS[path](ctx))
    assert answer.status_code in (200, 303), answer.text[:500]
    assert OUT_OF_DATE not in answer.text
    assert stored(target) != before  # it did what it says


def test_the_cookie_is_strict_httponly_and_site_wide(ctx: Scope):
    cookie = browser(ctx).get("/screen").headers["set-cookie"]
    parts = {p.strip().split("=")[0].lower(): p.strip() for p in cookie.split(";")}
    assert cookie.startswith(f"{COOKIE}=") and re.match(rf"{COOKIE}=[A-Za-z0-9_-]{{43}};", cookie)
    assert "httponly" in parts and parts["samesite"].lower() == "samesite=strict" and parts["path"] == "Path=/"
    assert "secure" not in parts  # this computer's own http address
    secured = browser(ctx, FormTokens(secure_cookie=True)).get("/screen").headers["set-cookie"]
    assert "secure" in secured.lower()  # ready for a clinic over https


def test_a_browser_keeps_its_token_and_a_page_without_a_form_sets_no_cookie(client: TestClient):
    assert "set-cookie" not in client.get("/library").headers
    first = form_token(client)
    again = client.get("/settings")
    assert "set-cookie" not in again.headers  # the cookie it has is kept
    found = HIDDEN.search(again.text)
    assert found is not None and found.group(1) == first


def test_a_configured_secret_outlasts_a_restart_and_a_new_one_does_not(ctx: Scope):
    same = FormTokens.from_settings("a secret for this clinic", secure_cookie=False)
    old = browser(ctx, same)
    token = form_token(old)
    for restarted, works in ((FormTokens.from_settings("a secret for this clinic", False), True), (None, False)):
        again = browser(ctx, restarted)
        again.cookies = old.cookies
        answer = again.post("/screen", data={**screen_form(), FIELD: token})
        assert (answer.status_code == 200) is works, answer.status_code
        assert (OUT_OF_DATE in answer.text) is not works


PAGES_WITH_FORMS = ["/screen", "/profile", "/recheck", "/checked", "/settings"]


def test_every_form_that_posts_carries_the_token(ctx: Scope, client: TestClient):
    with_warning(ctx)
    from backcoach.services import clearances

    clearances.pause_for_pain(ctx, "bridge", "It hurt.", None)
    counted = 0
    for path in PAGES_WITH_FORMS:
        html = client.get(path).text
        for form in re.findall(r"<form [^>]*>.*?</form>", html, re.S):
            if 'method="post"' in form:
                assert HIDDEN.search(form), (path, form[:200])
                counted += 1
    assert counted == 7  # screen, profile, recheck, two on /checked, two on /settings


# The JSON API: JSON only --------------------------------------------------------------------------


def api_writes(client: TestClient) -> list[str]:
    return sorted(re.sub(r"\{[a-z_]+\}", "1", path) for path in writes(client) if path.startswith("/api/"))


@pytest.mark.parametrize(
    "kind", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", None]
)
def test_every_api_write_refuses_a_body_that_is_not_json(ctx: Scope, client: TestClient, kind: str | None):
    set_profile(ctx, example_profile("maya"))
    before = stored(ctx)
    paths = api_writes(client)
    assert len(paths) >= 10 and "/api/v1/sessions" in paths and "/api/v1/import" in paths
    headers = {"content-type": kind} if kind else {}
    for path in paths:
        answer = client.post(path, content=b'{"resume": false}', headers=headers)
        assert answer.status_code == 415, (path, kind, answer.text)
        assert "application/json" in answer.json()["detail"], path
    assert stored(ctx) == before
    # A form field in a JSON route's place is no way round it either.
    assert client.post("/api/v1/sessions", data={"resume": "false"}).status_code == 415
    assert client.post("/api/v1/sessions", json={"resume": True}).status_code == 200  # JSON is served
