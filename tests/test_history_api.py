"""GET /api/v1/sessions: the history a page at a time, newest first, on SQLite and PostgreSQL.

Pages read one after the other hold every session exactly once, each with the outcomes and the
check-in stored with it; a bad cursor or limit is a 422 naming the field; nobody else's sessions
are ever on a page."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from backcoach.core.history import SessionRecord
from backcoach.core.rules import EndReason
from backcoach.services import programs, sessions
from backcoach.services.context import Actor, Role, Scope, patient_scope
from backcoach.services.history_pages import MAX_PAGE
from backcoach.web.app import create_app
from tests.conftest import MovableNow
from tests.examples import example_profile

API = "/api/v1"


def live_through(scope: Scope, now: MovableNow, count: int) -> None:
    """`count` sessions, one every twelve hours: finished with a check-in, or set aside (every third)."""
    programs.set_profile(scope, example_profile("maya"))
    for number in range(count):
        now.advance(hours=12)
        live = sessions.start(scope, resume=False)
        live.complete(live.exercises[0].id, skipped=number % 2 == 0)
        if number % 3 != 2:
            sessions.finish(scope, live.session_id, EndReason.finished, 4, 3, "right")
    now.advance(hours=12)
    sessions.start(scope, resume=False)  # one still open, with nothing done yet


def as_json(record: SessionRecord) -> dict[str, Any]:
    checked = record.check_in
    return {
        "id": record.id,
        "status": record.status,
        "program_id": record.program_id,
        "outcomes": [
            {"exercise_id": o.exercise_id, "status": o.status, "dose": o.dose, "pain_kind": o.pain_kind}
            | {"pain_score": o.pain_score}
            for o in record.outcomes
        ],
        "check_in": None if checked is None else vars(checked),
    }


def read_all(client: TestClient, limit: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    before = None
    for _ in range(100):
        answer = client.get(f"{API}/sessions", params={"limit": limit} | ({"before": before} if before else {}))
        assert answer.status_code == 200, answer.text
        page = answer.json()
        assert len(page["sessions"]) <= limit
        found += page["sessions"]
        before = page["next"]
        if before is None:
            return found
        assert len(page["sessions"]) == limit, "only the last page may hold fewer"
    raise AssertionError("the pages never ended")


@pytest.fixture
def client(ctx: Scope) -> TestClient:
    return TestClient(create_app(lambda: ctx.app), base_url="http://127.0.0.1")


@pytest.mark.parametrize("limit", [1, 7, 20, MAX_PAGE])
def test_pages_read_in_turn_hold_every_session_once_newest_first(
    ctx: Scope, now: MovableNow, client: TestClient, limit: int
):
    live_through(ctx, now, 16)
    stored = ctx.repo.history()
    assert len(stored) == 17
    found = read_all(client, limit)
    assert [s["id"] for s in found] == [s.id for s in reversed(stored)]
    for page_session, record in zip(found, reversed(stored), strict=True):
        assert {k: v for k, v in page_session.items() if k != "started_at"} == as_json(record)
        assert page_session["started_at"] == record.started_at.isoformat() + "Z"
    assert found[0]["status"] == "in_progress" and found[0]["check_in"] is None
    assert any(s["check_in"] is None and s["status"] == "quit" for s in found), "set aside: no check-in"
    assert all(s["outcomes"] for s in found[1:])


def test_a_session_saved_between_pages_moves_nothing(ctx: Scope, now: MovableNow, client: TestClient):
    live_through(ctx, now, 6)
    first = client.get(f"{API}/sessions", params={"limit": 3}).json()
    now.advance(hours=12)
    sessions.start(ctx, resume=False)  # newer than every page
    rest = client.get(f"{API}/sessions", params={"limit": 100, "before": first["next"]}).json()
    ids = [s["id"] for s in first["sessions"] + rest["sessions"]]
    assert ids == sorted(ids, reverse=True) and len(ids) == len(set(ids)) == 7
    assert rest["next"] is None


def test_no_history_is_one_empty_page(client: TestClient):
    assert client.get(f"{API}/sessions").json() == {"sessions": [], "next": None}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": MAX_PAGE + 1}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"limit": -3}, "limit"),
        ({"before": "abc"}, "before"),
        ({"before": "0"}, "before"),
        ({"before": "-5"}, "before"),
        ({"before": "1.5"}, "before"),
        ({"before": ""}, "before"),
        ({"before": "9" * 19}, "before"),  # past the largest id a database stores
        ({"before": "1" * 40}, "before"),
    ],
)
def test_a_bad_cursor_or_limit_is_refused_naming_it(
    ctx: Scope, now: MovableNow, client: TestClient, params: dict[str, Any], field: str
):
    live_through(ctx, now, 2)
    answer = client.get(f"{API}/sessions", params=params)
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"]
    named = detail if isinstance(detail, str) else " ".join(str(e["loc"]) for e in detail)
    assert field in named


def test_nobody_else_s_sessions_are_on_a_page(ctx: Scope, now: MovableNow, client: TestClient):
    live_through(ctx, now, 4)  # the person on this computer (the first)
    other = ctx.app.database.add_person(now())
    theirs = patient_scope(ctx.app, Actor(Role.patient, other.id), other.id)
    live_through(theirs, now, 5)
    mine = {s.id for s in ctx.repo.history()}
    their_ids = {s.id for s in theirs.repo.history()}
    assert their_ids and not mine & their_ids
    found = read_all(client, 2)
    assert {s["id"] for s in found} == mine
    # A cursor past their sessions still finds only mine.
    older = client.get(f"{API}/sessions", params={"before": str(max(their_ids) + 1)}).json()
    assert {s["id"] for s in older["sessions"]} == mine


def test_the_history_read_is_documented(client: TestClient):
    doc = client.get(f"{API}/openapi.json").json()
    route = doc["paths"][f"{API}/sessions"]["get"]
    params = {p["name"]: p for p in route["parameters"]}
    assert params["limit"]["schema"]["maximum"] == MAX_PAGE and params["limit"]["schema"]["minimum"] == 1
    assert "pattern" in str(params["before"]["schema"])
    assert route["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("HistoryPageOut")
    page = doc["components"]["schemas"]["HistoryPageOut"]
    assert set(page["properties"]) == {"sessions", "next"}
    assert "422" in route["responses"]
