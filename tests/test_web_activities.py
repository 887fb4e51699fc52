"""The activities of the functional scale on the web, on SQLite and PostgreSQL: add up to three,
rate each again, see the ratings over time; bad input is shown in the page and saves nothing; the
JSON API takes JSON only; and the command line and the web say the same about the same history."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from backcoach.core.errors import InvalidInput
from backcoach.core.psfs import CHANGE_NOTE, MAX_NAME
from backcoach.exports.transfer import export_document
from backcoach.services import activities as use
from backcoach.services.context import Scope, local_scope
from backcoach.web.app import create_app
from tests.conftest import CliRun, MovableNow
from tests.examples import example_data, write_profile
from tests.forms import post_form

# What a browser sends with the app's own form posts and fetches: the write guard lets them through.
SAME_ORIGIN = {"origin": "http://127.0.0.1", "sec-fetch-site": "same-origin"}
API = "/api/v1"


@pytest.fixture
def client(ctx: Scope) -> TestClient:
    return TestClient(create_app(lambda: ctx.app), base_url="http://127.0.0.1", headers=SAME_ORIGIN)


def stored(ctx: Scope) -> str:
    return export_document(ctx.app.database.sessions)


def rows(ctx: Scope) -> tuple[int, int]:
    """(activities, ratings) stored."""
    tables = json.loads(stored(ctx))["tables"]
    return len(tables["psfs_activity"]), len(tables["psfs_rating"])


def said(page: Any, text: str) -> bool:
    return str(escape(text)) in page.text


def add(client: TestClient, name: str, score: str) -> Any:
    return post_form(client, "/activities", data={"name": name, "score": score}, follow_redirects=False)


def errors(page: Any) -> list[str]:
    """The messages in the page's error box, as the page holds them (escaped)."""
    box = re.search(r'<div class="errors".*?</div>', page.text, re.S)
    assert box is not None, "no error box"
    return re.findall(r"<li>(.*?)</li>", box.group(0), re.S)


# Add, rate, list ------------------------------------------------------------------------------------


def test_add_rate_and_see_the_ratings_over_time(client: TestClient, ctx: Scope, now: MovableNow):
    page = client.get("/activities")
    assert page.status_code == 200 and "Add an activity" in page.text
    # The rating is a row of buttons: radio inputs 0 to 10, and no number or text box for it.
    assert re.findall(r'type="radio" name="score" value="(\d+)"', page.text) == [str(n) for n in range(11)]
    assert not re.search(r'<input[^>]*type="number"', page.text)
    assert said(page, "0 = cannot do it") and said(page, "10 = as well as before")

    answer = add(client, "  Putting on socks ", "4")
    assert answer.status_code == 303 and answer.headers["location"] == "/activities?saved=1#activity-1"
    assert rows(ctx) == (1, 1)
    listed = client.get(answer.headers["location"])
    assert said(listed, "Saved: Putting on socks.")
    assert said(listed, "4 out of 10. Rate it again in a week or so to see how it changes.")

    for week, score in ((1, "6"), (2, "7")):
        now.advance(days=7)
        rated = post_form(client, "/activities/1/ratings", data={"score": score}, follow_redirects=False)
        assert rated.status_code == 303 and rated.headers["location"] == "/activities/1?saved=1", week
    assert rows(ctx) == (1, 3)
    history = client.get("/activities/1?saved=1")
    assert said(history, "Saved: 7 out of 10.")
    assert said(history, "4 → 7 out of 10. Up 3 points since you started: a real change.")
    days = re.findall(r"<tr><td>(\d\d \w\w\w \d{4})</td><td>(\d+) out of 10</td></tr>", history.text)
    assert days == [("02 Mar 2026", "4"), ("09 Mar 2026", "6"), ("16 Mar 2026", "7")]
    assert "<svg" in history.text and said(history, CHANGE_NOTE)
    assert said(client.get("/activities"), "4 → 7 out of 10. Up 3 points since you started: a real change.")


def test_the_progress_page_links_to_the_activities_instead_of_the_terminal(client: TestClient, ctx: Scope):
    client.post(f"{API}/profile", json=example_data("maya")).raise_for_status()
    page = client.get("/progress")
    assert "backcoach activities" not in page.text and 'href="/activities"' in page.text
    add(client, "Sitting at my desk", "5")
    post_form(client, "/activities/1/ratings", data={"score": "6"})
    page = client.get("/progress")
    assert said(
        page, "Sitting at my desk: 5 → 6 out of 10. Up 1 point since you started: too small to call a change yet."
    )
    assert 'href="/activities"' in page.text and said(page, CHANGE_NOTE)


# Bad input: shown in the page, plainly, and nothing saved --------------------------------------------


@pytest.mark.parametrize(
    ("name", "score", "message"),
    [
        ("", "4", "The activity: give it a name of 1 to 200 characters."),
        ("    ", "4", "The activity: give it a name of 1 to 200 characters."),
        ("x" * (MAX_NAME + 1), "4", "The activity: give it a name of 1 to 200 characters."),
        ("Socks\nand shoes", "4", "The activity: write the name on one line, with letters, numbers and spaces."),
        ("Gardening", "", "The rating: choose a number from 0 to 10."),
        ("Gardening", "11", "The rating: give a whole number from 0 to 10, not 11."),
        ("Gardening", "-1", "The rating: give a whole number from 0 to 10, not -1."),
        ("Gardening", "4.5", "The rating: give a whole number from 0 to 10."),
        ("Gardening", "four", "The rating: give a whole number from 0 to 10."),
        ("Gardening", "1e3", "The rating: give a whole number from 0 to 10."),
    ],
)
def test_a_bad_new_activity_is_named_in_the_page_and_saves_nothing(
    client: TestClient, ctx: Scope, name: str, score: str, message: str
):
    add(client, "Putting on socks", "4")
    before = stored(ctx)
    page = add(client, name, score)
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert errors(page) == [str(escape(message))]
    assert stored(ctx) == before and rows(ctx) == (1, 1)
    if name.strip() and len(name) <= MAX_NAME and "\n" not in name:
        assert f'value="{escape(name)}"' in page.text  # what was typed is kept, to put right


def test_the_fourth_activity_and_a_duplicate_are_refused(client: TestClient, ctx: Scope):
    for name, score in (("Putting on socks", "4"), ("Sitting at my desk", "5"), ("Lifting my child", "2")):
        assert add(client, name, score).status_code == 303
    assert rows(ctx) == (3, 3)
    page = client.get("/activities")
    assert 'action="/activities"' not in page.text and "as many as the scale uses" in page.text
    before = stored(ctx)
    fourth = add(client, "Gardening", "3")  # a form kept open from before, or a second tab
    assert fourth.status_code == 422
    assert errors(fourth) == [str(escape("The activity: you already have 3 activities; the scale uses up to three."))]
    again = add(client, "sitting AT my  desk", "6")
    assert errors(again) == [
        str(escape('The activity: you already have "Sitting at my desk"; rate that one again instead.'))
    ]
    assert stored(ctx) == before and rows(ctx) == (3, 3)


def test_a_duplicate_is_refused_before_the_list_is_full(client: TestClient, ctx: Scope):
    add(client, "Putting on socks", "4")
    page = add(client, "PUTTING ON SOCKS", "5")
    assert page.status_code == 422 and "rate that one again instead" in page.text
    assert rows(ctx) == (1, 1)


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("", "The rating: choose a number from 0 to 10."),
        ("11", "The rating: give a whole number from 0 to 10, not 11."),
        ("7.0", "The rating: give a whole number from 0 to 10."),
        ("99999999999999999999", "The rating: give a whole number from 0 to 10."),
    ],
)
def test_a_bad_rating_is_named_in_the_page_and_saves_nothing(client: TestClient, ctx: Scope, score: str, message: str):
    add(client, "Putting on socks", "4")
    before = stored(ctx)
    page = post_form(client, "/activities/1/ratings", data={"score": score})
    assert page.status_code == 422 and errors(page) == [str(escape(message))]
    assert stored(ctx) == before and rows(ctx) == (1, 1)


def test_an_activity_that_is_not_there_is_not_found(client: TestClient, ctx: Scope):
    add(client, "Putting on socks", "4")
    before = stored(ctx)
    for path in ("/activities/2", "/activities/abc", "/activities/0", "/activities/99999999999999999999999"):
        assert client.get(path).status_code == 404, path
    for path in ("/activities/2/ratings", "/activities/abc/ratings", "/activities/-1/ratings"):
        page = post_form(client, path, data={"score": "5"})
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html"), path
    assert stored(ctx) == before


def test_a_form_post_from_another_website_is_refused(client: TestClient, ctx: Scope):
    for headers in ({"origin": "https://evil.example"}, {"origin": "null", "sec-fetch-site": "cross-site"}):
        answer = post_form(client, "/activities", data={"name": "Gardening", "score": "4"}, headers=headers)
        assert answer.status_code == 403
    assert ctx.app.database.find_first_person() is None


def test_markup_in_a_name_lands_as_text(client: TestClient, ctx: Scope):
    markup = "<b>Sitting</b><script>alert(1)</script>"
    add(client, markup, "4")
    for path in ("/activities", "/activities/1"):
        page = client.get(path)
        assert "<b>Sitting" not in page.text and "<script>alert" not in page.text, path
        assert "&lt;b&gt;Sitting&lt;/b&gt;" in page.text, path


# The JSON API --------------------------------------------------------------------------------------


def test_the_api_adds_rates_and_lists_in_the_cli_shapes(client: TestClient, ctx: Scope, now: MovableNow):
    assert client.get(f"{API}/activities").json() == []
    added = client.post(f"{API}/activities", json={"name": "Putting on socks", "score": 4})
    assert added.status_code == 201
    assert added.json() == {
        "id": 1,
        "name": "Putting on socks",
        "latest": 4,
        "ratings": [{"rated_at": "2026-03-02T08:00:00Z", "rated_on": "2026-03-02", "score": 4}],
        "ratings_count": 1,
        "change": 0,
        "real_change": False,
        "words": "4 out of 10. Rate it again in a week or so to see how it changes.",
    }
    now.advance(days=7)
    rated = client.post(f"{API}/activities/1/ratings", json={"score": 1})
    assert rated.status_code == 201 and rated.json()["change"] == -3 and rated.json()["real_change"] is True
    assert rated.json()["words"].startswith("4 → 1 out of 10. Down 3 points since you started: a real change.")
    assert client.get(f"{API}/activities").json() == [rated.json()]


def test_a_reply_shows_the_latest_ratings_yet_the_change_counts_from_the_first(
    client: TestClient, ctx: Scope, now: MovableNow
):
    """However often an activity is rated, a reply carries its latest SHOWN_RATINGS ratings (so the
    cost of a rating does not grow with the series), while the change is still the latest against
    the very first; the page says so, and the export keeps every rating."""
    client.post(f"{API}/activities", json={"name": "Putting on socks", "score": 2})
    scores = [(2 + n) % 11 for n in range(1, use.SHOWN_RATINGS + 5)]
    for score in scores:
        now.advance(hours=1)
        use.rate_activity(ctx, 1, score)
    now.advance(hours=1)
    reply = client.post(f"{API}/activities/1/ratings", json={"score": 9}).json()
    shown = [r["score"] for r in reply["ratings"]]
    assert len(shown) == use.SHOWN_RATINGS and shown == [*scores, 9][-use.SHOWN_RATINGS :]
    assert reply["ratings_count"] == len(scores) + 2 and reply["change"] == 9 - 2
    assert reply["words"].startswith("2 → 9 out of 10. Up 7 points")
    assert client.get(f"{API}/activities").json() == [reply]
    page = client.get("/activities/1").text
    assert f"The latest {use.SHOWN_RATINGS} of your {len(scores) + 2} ratings" in page
    assert len(json.loads(stored(ctx))["tables"]["psfs_rating"]) == len(scores) + 2


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"name": "", "score": 4}, 422, "name"),
        ({"name": "   ", "score": 4}, 422, "1 to 200 characters"),
        ({"name": "x" * (MAX_NAME + 1), "score": 4}, 422, "name"),
        ({"name": "Gardening", "score": 11}, 422, "score"),
        ({"name": "Gardening", "score": "4"}, 422, "score"),  # a string is not a number
        ({"name": "Gardening", "score": 4.5}, 422, "score"),
        ({"name": "Gardening"}, 422, "score"),
        ({"name": "Gardening", "score": 4, "extra": 1}, 422, "extra"),
        ({"name": "putting on socks", "score": 4}, 422, "rate that one again instead"),
    ],
)
def test_the_api_refuses_bad_activities_and_saves_nothing(
    client: TestClient, ctx: Scope, body: dict[str, Any], status: int, words: str
):
    client.post(f"{API}/activities", json={"name": "Putting on socks", "score": 4}).raise_for_status()
    before = stored(ctx)
    answer = client.post(f"{API}/activities", json=body)
    assert answer.status_code == status and words in answer.text, answer.text
    assert stored(ctx) == before


def test_the_api_takes_json_only(client: TestClient, ctx: Scope):
    client.post(f"{API}/activities", json={"name": "Putting on socks", "score": 4}).raise_for_status()
    before = stored(ctx)
    body = json.dumps({"name": "Gardening", "score": 4})
    for path, sent in ((f"{API}/activities", body), (f"{API}/activities/1/ratings", json.dumps({"score": 5}))):
        for kind in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None):
            headers = {"content-type": kind} if kind else {}
            answer = client.post(path, content=sent.encode(), headers=headers)  # a page's form, say
            assert answer.status_code == 415 and "application/json" in answer.json()["detail"], (path, kind)
        form = client.post(path, data={"name": "Gardening", "score": "4"})
        assert form.status_code == 415, path
    assert stored(ctx) == before


def test_the_api_refuses_a_fourth_activity_and_a_rating_for_none(client: TestClient, ctx: Scope):
    for name in ("Putting on socks", "Sitting at my desk", "Lifting my child"):
        client.post(f"{API}/activities", json={"name": name, "score": 4}).raise_for_status()
    before = stored(ctx)
    fourth = client.post(f"{API}/activities", json={"name": "Gardening", "score": 4})
    assert fourth.status_code == 422 and "already have 3 activities" in fourth.json()["detail"]
    for activity_id in ("4", "0", "-1", str(2**63)):
        answer = client.post(f"{API}/activities/{activity_id}/ratings", json={"score": 5})
        assert answer.status_code == 404, activity_id
    assert client.post(f"{API}/activities/x/ratings", json={"score": 5}).status_code == 422
    assert client.post(f"{API}/activities/1/ratings", json={"score": -1}).status_code == 422
    assert stored(ctx) == before and rows(ctx) == (3, 3)


# One use case, every face --------------------------------------------------------------------------


def change_lines(text: str, names: list[str]) -> list[str]:
    return [line for line in text.splitlines() if any(line.startswith(f"{name}: ") for name in names)]


def test_the_same_history_through_the_cli_and_the_web_gives_the_same_sentences(
    client: TestClient, cli_at: Callable[[str], CliRun], tmp_path: Path
):
    """Three activities rated over four weeks: one up by 3 (real), one up by 2 (too small), one down
    by 3 (real, worse). The command line's `progress` and the web's pages say the same sentences."""
    weeks = {"Putting on socks": [4, 5, 6, 7], "Sitting at my desk": [5, 6, 6, 7], "Lifting my child": [6, 5, 4, 3]}
    names = list(weeks)
    cli = cli_at("2026-03-02T08:00:00")
    cli("setup", "--profile", str(write_profile(tmp_path)))
    client.post(f"{API}/profile", json=example_data("maya")).raise_for_status()
    for name, scores in weeks.items():
        cli("activities", "add", name, str(scores[0]))
        assert add(client, name, str(scores[0])).status_code == 303
    for week in range(1, 4):
        for number, scores in enumerate(weeks.values(), start=1):
            cli("activities", "rate", str(number), str(scores[week]))
            answer = post_form(client, f"/activities/{number}/ratings", data={"score": str(scores[week])})
            assert answer.status_code == 200, answer.text  # followed the redirect to the activity's page

    from_cli = change_lines(cli("progress"), names)
    assert from_cli == [
        "Putting on socks: 4 → 7 out of 10. Up 3 points since you started: a real change.",
        "Sitting at my desk: 5 → 7 out of 10. Up 2 points since you started: too small to call a change yet.",
        "Lifting my child: 6 → 3 out of 10. Down 3 points since you started: a real change. "
        "If it stays this hard, talk to your doctor or physiotherapist.",
    ]
    progress = client.get("/progress")
    listed = client.get("/activities")
    api = {a["name"]: a["words"] for a in client.get(f"{API}/activities").json()}
    for line in from_cli:
        name, words = line.split(": ", 1)
        assert said(progress, line), line
        assert said(listed, words), line
        number = names.index(name) + 1
        assert said(client.get(f"/activities/{number}"), words), line
        assert api[name] == words
    cli_json = {a["name"]: a["words"] for a in json.loads(cli("activities", "--json"))}
    assert cli_json == api


def test_a_method_the_address_does_not_take_names_every_one_it_does(client: TestClient):
    answer = client.request("DELETE", f"{API}/activities")
    assert answer.status_code == 405 and answer.headers["allow"] == "GET, POST"
    assert client.request("PUT", f"{API}/activities/1/ratings").headers["allow"] == "POST"


def test_adds_at_the_same_moment_never_make_a_fourth(ctx: Scope):
    """Two phones (or a double tap) adding the third activity at once: one is saved, the others are
    refused with the plain message, never an error, and there are never more than three."""
    for name in ("Putting on socks", "Sitting at my desk"):
        use.add_activity(ctx, name, 4)
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def add_one(name: str) -> None:
        scope = local_scope(ctx.app)  # each request has its own scope, as in the app
        start.wait()
        try:
            use.add_activity(scope, name, 5)
            outcomes.append("saved")
        except InvalidInput as refused:
            outcomes.append(refused.problem)

    threads = [threading.Thread(target=add_one, args=(f"Gardening {n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["saved"] + ["you already have 3 activities; the scale uses up to three"] * 3
    assert rows(ctx) == (3, 3)


def test_a_rating_is_answered_even_if_its_activity_was_set_aside_as_it_was_saved(
    ctx: Scope, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reply is read after the rating's commit: an activity set aside in that moment (by
    another device) is still answered with the saved rating, not as missing."""
    from sqlalchemy import text

    added = use.add_activity(ctx, "Carrying the shopping", 4)
    sessions = ctx.repo.psfs._sessions
    real_begin = sessions.begin

    @contextmanager
    def begin_then_set_aside() -> Iterator[Any]:
        with real_begin() as db:
            yield db
        with real_begin() as other:
            other.execute(text("UPDATE psfs_activity SET retired_at = created_at WHERE id = :id"), {"id": added.id})

    monkeypatch.setattr(sessions, "begin", begin_then_set_aside)
    rated = use.rate_activity(ctx, added.id, 6)
    assert (rated.id, rated.latest, rated.count) == (added.id, 6, 2)
    monkeypatch.undo()
    assert use.activities(ctx) == []  # set aside: no longer listed
