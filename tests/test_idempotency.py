"""The Idempotency-Key header: a request sent again with its key gets the first answer again, byte
for byte, and nothing is done twice; a key used for another request is refused by name; one
person's key never finds another's answer. On SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backcoach.services import idempotency, sessions
from backcoach.services.context import Actor, Role, Scope, patient_scope
from backcoach.storage import tables as t
from backcoach.web.app import create_app
from backcoach.web.idempotency import HEADER
from tests.examples import example_data
from tests.served import post_together, served

API = "/api/v1"


@pytest.fixture
def client(ctx: Scope) -> TestClient:
    return TestClient(create_app(lambda: ctx.app), base_url="http://127.0.0.1")


def key(name: str) -> dict[str, str]:
    return {HEADER: f"test-key-{name}"}


def rows(ctx: Scope, table: Any) -> int:
    with ctx.app.database.sessions() as db:
        return int(db.scalar(select(func.count()).select_from(table)) or 0)


def with_session(client: TestClient) -> dict[str, Any]:
    assert client.post(f"{API}/profile", json=example_data("maya")).status_code == 200
    answer = client.post(f"{API}/sessions", json={"resume": True})
    assert answer.status_code == 200
    return answer.json()


def same_answer(first: Any, again: Any) -> None:
    """The answers (from the test client or a real one) are the same: status, type and bytes."""
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again.headers["content-type"] == first.headers["content-type"]
    assert again.headers.get("Idempotent-Replayed") == "true" and "Idempotent-Replayed" not in first.headers


def test_a_repeat_gets_the_first_answer_byte_for_byte_and_nothing_is_done_again(client: TestClient, ctx: Scope):
    session = with_session(client)
    at = f"{API}/sessions/{session['session_id']}"
    first_exercise = session["exercises"][0]["id"]
    done = client.post(f"{at}/outcomes", json={"exercise_id": first_exercise, "status": "done"}, headers=key("done"))
    assert done.status_code == 201
    finish = {"end_reason": "finished", "pain_before": 3, "pain_after": 2, "difficulty": "right"}
    finished = client.post(f"{at}/finish", json=finish, headers=key("finish"))
    assert finished.status_code == 200
    # The phone was offline and sends its queue again, twice: each gets what it got the first time,
    # though the session has ended since (without the key, the outcome would now be refused).
    for _ in range(2):
        same_answer(
            done,
            client.post(f"{at}/outcomes", json={"exercise_id": first_exercise, "status": "done"}, headers=key("done")),
        )
        same_answer(finished, client.post(f"{at}/finish", json=finish, headers=key("finish")))
    assert rows(ctx, t.ExerciseOutcomeRow) == 1 and rows(ctx, t.CheckIn) == 1
    assert client.post(f"{at}/finish", json=finish).status_code == 409


def test_a_start_and_a_profile_sent_again_are_not_done_again(client: TestClient, ctx: Scope):
    profile = client.post(f"{API}/profile", json=example_data("maya"), headers=key("profile"))
    again = client.post(f"{API}/profile", json=example_data("maya"), headers=key("profile"))
    same_answer(profile, again)
    assert rows(ctx, t.ProgramVersion) == 1 and rows(ctx, t.ProfileVersion) == 1
    fresh = client.post(f"{API}/sessions", json={"resume": False}, headers=key("start"))
    same_answer(fresh, client.post(f"{API}/sessions", json={"resume": False}, headers=key("start")))
    assert rows(ctx, t.Session) == 1  # without the key, a second fresh start would set the first aside


def test_the_same_json_in_another_order_or_spacing_is_the_same_request(client: TestClient):
    body = {"resume": True, "pain_before": 2}
    assert client.post(f"{API}/profile", json=example_data("maya")).status_code == 200
    first = client.post(f"{API}/sessions", json=body, headers=key("spacing"))
    spaced = '{ "pain_before" : 2,\n "resume": true }'
    again = client.post(
        f"{API}/sessions", content=spaced, headers={**key("spacing"), "content-type": "application/json"}
    )
    same_answer(first, again)


def test_a_key_used_for_another_request_is_refused_by_name_and_nothing_is_done(client: TestClient, ctx: Scope):
    session = with_session(client)
    at = f"{API}/sessions/{session['session_id']}"
    first, second = (e["id"] for e in session["exercises"][:2])
    assert (
        client.post(f"{at}/outcomes", json={"exercise_id": first, "status": "done"}, headers=key("k")).status_code
        == 201
    )
    other_body = client.post(f"{at}/outcomes", json={"exercise_id": second, "status": "done"}, headers=key("k"))
    other_route = client.post(f"{API}/sessions", json={"resume": True}, headers=key("k"))
    for refused in (other_body, other_route):
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"] == ["header", HEADER]
        assert HEADER in refused.json()["detail"][0]["msg"]
    assert rows(ctx, t.ExerciseOutcomeRow) == 1


@pytest.mark.parametrize("bad", ["short", "a" * 101, "has space in it", "semi;colon-key", "ünïcödé-key"])
def test_a_key_that_is_not_8_to_100_plain_characters_is_refused_by_name(client: TestClient, ctx: Scope, bad: str):
    answer = client.post(f"{API}/profile", json=example_data("maya"), headers={HEADER.encode(): bad.encode("utf-8")})
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"] == ["header", HEADER]
    assert rows(ctx, t.ProfileVersion) == 0


def test_a_refusal_is_kept_too_but_a_server_error_is_not(
    client: TestClient, ctx: Scope, monkeypatch: pytest.MonkeyPatch
):
    no_program = client.post(f"{API}/sessions", json={"resume": True}, headers=key("early"))
    assert no_program.status_code == 409
    assert client.post(f"{API}/profile", json=example_data("maya")).status_code == 200
    # Sent again with its key, it is the same request, and gets the same answer; a new request gets a new one.
    same_answer(no_program, client.post(f"{API}/sessions", json={"resume": True}, headers=key("early")))
    assert client.post(f"{API}/sessions", json={"resume": True}, headers=key("later")).status_code == 200
    # A server error is not an answer to keep: sent again, the request is tried again.
    session = client.get(f"{API}/program").json()
    assert session["exercises"]
    broken = TestClient(create_app(lambda: ctx.app), base_url="http://127.0.0.1", raise_server_exceptions=False)

    def fail(*_: Any, **__: Any) -> None:
        raise RuntimeError("the disk is full")

    with monkeypatch.context() as patch:
        patch.setattr(sessions.LiveSession, "complete", fail)
        body = {"exercise_id": session["exercises"][0]["id"], "status": "done"}
        open_id = ctx.repo.open_session()
        assert open_id is not None
        at = f"{API}/sessions/{open_id.id}/outcomes"
        assert broken.post(at, json=body, headers=key("retry")).status_code == 500
    assert client.post(at, json=body, headers=key("retry")).status_code == 201
    assert rows(ctx, t.ExerciseOutcomeRow) == 1


def test_an_import_sent_again_is_imported_once(client: TestClient, ctx: Scope, new_database_url: Any):
    from backcoach.catalogue.loader import load_catalogue
    from backcoach.services.context import App, local_scope
    from backcoach.storage.database import open_database
    from backcoach.storage.repository import Database

    with_session(client)
    document = client.get(f"{API}/export").content
    empty = local_scope(App(Database(open_database(new_database_url())), load_catalogue(), ctx.now))
    target = TestClient(create_app(lambda: empty.app), base_url="http://127.0.0.1")
    headers = {**key("import"), "content-type": "application/json"}
    first = target.post(f"{API}/import", content=document, headers=headers)
    assert first.status_code == 200, first.text  # the key's own row does not make the database "not empty"
    same_answer(first, target.post(f"{API}/import", content=document, headers=headers))
    assert target.get(f"{API}/export").content == document  # nor is it exported


def test_requests_with_one_key_at_the_same_moment_are_done_once(ctx: Scope):
    with served(create_app(lambda: ctx.app)) as url:
        with httpx.Client(base_url=url) as client:
            assert client.post(f"{API}/profile", json=example_data("maya")).status_code == 200
        answers = post_together(url, 8, f"{API}/sessions", {"resume": False}, key("together"))
    done = [a for a in answers if a.status_code == 200]
    busy = [a for a in answers if a.status_code != 200]  # on a very slow machine: still being answered
    assert all(a.status_code == 409 and "still being answered" in a.text for a in busy)
    assert len({a.content for a in done}) == 1 and len(done) >= 1
    assert sum(a.headers.get("Idempotent-Replayed") != "true" for a in done) == 1
    assert rows(ctx, t.Session) == 1


# The keys as stored ----------------------------------------------------------------------------


def test_one_persons_key_never_finds_anothers_answer(ctx: Scope):
    database = ctx.app.database
    one, other = (database.add_person(ctx.now()) for _ in range(2))
    scopes = [patient_scope(ctx.app, Actor(Role.patient, p.id), p.id) for p in (one, other)]
    asked = idempotency.fingerprint("POST", "/api/v1/sessions?", b"{}")
    assert idempotency.claim(scopes[0], "same-key-1", asked) is None
    idempotency.answer(scopes[0], "same-key-1", 200, b'{"mine": 1}', "application/json")
    assert idempotency.claim(scopes[1], "same-key-1", asked) is None  # theirs is a new request
    found = idempotency.claim(scopes[0], "same-key-1", asked)
    assert found is not None and found.body == b'{"mine": 1}'


@pytest.fixture
def stored(ctx: Scope) -> Iterator[Any]:
    yield ctx.app.database.idempotent


def test_a_key_left_unanswered_by_a_stopped_server_is_taken_over_later(stored: Any):
    at = datetime(2026, 3, 2, 8, 0)
    later = at + idempotency.ABANDONED_AFTER + timedelta(seconds=1)
    long_ago = at - idempotency.KEEP_FOR
    assert stored.claim("local", "left-behind", "f", at, at - idempotency.ABANDONED_AFTER, long_ago) is None
    waiting = stored.claim("local", "left-behind", "f", at, at - idempotency.ABANDONED_AFTER, long_ago)
    assert waiting is not None and waiting.status_code is None  # still being answered: wait, or try again
    assert stored.claim("local", "left-behind", "f", later, later - idempotency.ABANDONED_AFTER, long_ago) is None


def test_keys_are_forgotten_after_their_time(stored: Any):
    at = datetime(2026, 3, 2, 8, 0)
    assert stored.claim("local", "old-key-1", "f", at, at, at - idempotency.KEEP_FOR) is None
    stored.answer("local", "old-key-1", 201, b"{}", "application/json")
    month = at + idempotency.KEEP_FOR + timedelta(days=1)
    assert stored.claim("local", "old-key-1", "g", month, month, month - idempotency.KEEP_FOR) is None


def test_the_api_documents_the_header_on_every_route_that_changes_something(client: TestClient):
    doc = client.get(f"{API}/openapi.json").json()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            named = [p for p in operation.get("parameters", []) if p["in"] == "header" and p["name"] == HEADER]
            assert len(named) == (0 if method == "get" else 1), (method, path)
            if named:
                assert named[0]["schema"]["pattern"] == "^[A-Za-z0-9_-]+$" and not named[0]["required"]
                assert {"409", "422"} <= set(operation["responses"])
