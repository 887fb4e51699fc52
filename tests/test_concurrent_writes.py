"""Requests that arrive together: a double-tapped Done, a finish sent twice, two devices starting
at once, two profile saves. Through the real server (uvicorn, in a thread) on SQLite and PostgreSQL:
only 2xx and 4xx answers, never a 5xx, and nothing stored twice. Then the same races between
processes (here: apps that share only the database), which the server's own turn-taking cannot see.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.errors import AlreadyRecorded, SessionEnded
from backcoach.core.rules import EndReason, SessionStatus
from backcoach.services import sessions
from backcoach.services.context import App, Scope, local_scope
from backcoach.services.programs import set_profile
from backcoach.storage import tables as t
from backcoach.storage.database import open_database
from backcoach.storage.repository import Database
from backcoach.web.app import create_app
from tests.conftest import MovableNow
from tests.examples import example_data, example_profile
from tests.served import post_together, served, together

API = "/api/v1"
CLIENTS = 8


@pytest.fixture
def url(ctx: Scope) -> Iterator[str]:
    with served(create_app(lambda: ctx.app)) as address:
        yield address


def count(ctx: Scope, table: Any, *where: Any) -> int:
    with ctx.app.database.sessions() as db:
        return int(db.scalar(select(func.count()).select_from(table).where(*where)) or 0)


def statuses(answers: list[httpx.Response]) -> Counter[int]:
    found = Counter(a.status_code for a in answers)
    assert all(status < 500 for status in found), [a.text for a in answers if a.status_code >= 500]
    return found


def open_sessions(ctx: Scope) -> int:
    return count(ctx, t.Session, t.Session.status == SessionStatus.in_progress)


def started(url: str) -> dict[str, Any]:
    with httpx.Client(base_url=url) as client:
        assert client.post(f"{API}/profile", json=example_data("maya")).status_code == 200
        answer = client.post(f"{API}/sessions", json={"resume": True})
        assert answer.status_code == 200, answer.text
        return answer.json()


# Through the server ---------------------------------------------------------------------------


def test_profiles_saved_together_each_make_one_version(url: str, ctx: Scope):
    answers = post_together(url, CLIENTS, f"{API}/profile", example_data("maya"))
    assert statuses(answers) == {200: CLIENTS}
    with ctx.app.database.sessions() as db:
        versions = list(db.scalars(select(t.ProgramVersion.version).order_by(t.ProgramVersion.version)))
    assert versions == list(range(1, CLIENTS + 1))
    assert count(ctx, t.ProfileVersion) == CLIENTS


def test_starts_together_open_one_session_and_all_get_it(url: str, ctx: Scope):
    with httpx.Client(base_url=url) as client:
        assert client.post(f"{API}/profile", json=example_data("maya")).status_code == 200
    answers = post_together(url, CLIENTS, f"{API}/sessions", {"resume": True, "pain_before": 3})
    assert statuses(answers) == {200: CLIENTS}
    assert len({a.json()["session_id"] for a in answers}) == 1
    assert open_sessions(ctx) == 1 and count(ctx, t.Session) == 1


def test_fresh_starts_together_leave_at_most_one_session_open(url: str, ctx: Scope):
    started(url)
    answers = post_together(url, CLIENTS, f"{API}/sessions", {"resume": False})
    assert set(statuses(answers)) <= {200, 409}
    assert open_sessions(ctx) == 1


def test_a_done_tapped_many_times_is_stored_once(url: str, ctx: Scope):
    session = started(url)
    first = session["exercises"][0]["id"]
    at = f"{API}/sessions/{session['session_id']}/outcomes"
    answers = post_together(url, CLIENTS, at, {"exercise_id": first, "status": "done"})
    assert statuses(answers) == {201: 1, 409: CLIENTS - 1}
    assert count(ctx, t.ExerciseOutcomeRow) == 1


def test_a_finish_sent_many_times_finishes_once(url: str, ctx: Scope):
    session = started(url)
    body = {"end_reason": "finished", "pain_before": 3, "pain_after": 2, "difficulty": "right"}
    answers = post_together(url, CLIENTS, f"{API}/sessions/{session['session_id']}/finish", body)
    assert statuses(answers) == {200: 1, 409: CLIENTS - 1}
    assert count(ctx, t.CheckIn) == 1 and open_sessions(ctx) == 0


def test_a_pain_stop_sent_many_times_stops_and_pauses_once(url: str, ctx: Scope):
    session = started(url)
    first = session["exercises"][0]["id"]
    body = {"exercise_id": first, "pain": {"kind": "sharp", "score": 7, "place": "lower_back"}}
    answers = post_together(url, CLIENTS, f"{API}/sessions/{session['session_id']}/pain", body)
    assert statuses(answers) == {200: 1, 409: CLIENTS - 1}
    assert count(ctx, t.ExerciseOutcomeRow) == 1 and count(ctx, t.PausedExercise) == 1


def test_a_clearance_sent_many_times_is_recorded_once(url: str, ctx: Scope):
    flags = {**example_data("maya")["red_flags"], "fever": True}
    with httpx.Client(base_url=url) as client:
        assert client.post(f"{API}/profile", json=example_data("maya", red_flags=flags)).status_code == 200
    body = {"cleared_by": "Dr Shah", "cleared_on": "2026-03-02"}
    answers = post_together(url, CLIENTS, f"{API}/clearances", body)
    assert statuses(answers) == {200: 1, 409: CLIENTS - 1}
    assert count(ctx, t.Clearance) == 1


def test_everything_at_once_in_one_session_never_fails(url: str, ctx: Scope):
    """Every exercise's Done, twice, a second start, a pain report and a finish, all in one moment."""
    session = started(url)
    at = f"{API}/sessions/{session['session_id']}"
    ids = [e["id"] for e in session["exercises"]]
    finish = {"end_reason": "finished", "pain_before": 3, "pain_after": 2, "difficulty": "right"}
    work: list[tuple[str, Any]] = [(f"{at}/outcomes", {"exercise_id": i, "status": "done"}) for i in ids * 2]
    work += [(f"{API}/sessions", {"resume": True}), (f"{at}/finish", finish)]
    work += [(f"{at}/pain", {"exercise_id": ids[-1], "pain": {"kind": "mild", "score": 2, "place": "hips"}})]

    def send(index: int) -> httpx.Response:
        path, body = work[index]
        with httpx.Client(base_url=url, timeout=60) as client:
            return client.post(path, json=body)

    statuses(together(len(work), send))
    with ctx.app.database.sessions() as db:
        stored = list(db.scalars(select(t.ExerciseOutcomeRow.exercise_id)))
    assert len(stored) == len(set(stored))
    assert count(ctx, t.CheckIn) <= 1 and open_sessions(ctx) <= 1


# Between processes ------------------------------------------------------------------------------


@pytest.fixture
def processes(database_url: str, now: MovableNow) -> Callable[[int], list[Scope]]:
    """`processes(n)`: n scopes on the same database, each with its own engine and its own app, as
    n servers (or a server and commands) would have: none waits for another's turn in its process."""
    catalogue = load_catalogue()
    return lambda n: [local_scope(App(Database(open_database(database_url)), catalogue, now)) for _ in range(n)]


def outcome_of(work: Callable[[], Any]) -> str:
    try:
        work()
    except (AlreadyRecorded, SessionEnded) as refusal:
        return type(refusal).__name__
    return "done"


def test_processes_saving_profiles_together_number_their_versions_in_turn(processes: Callable[[int], list[Scope]]):
    scopes = processes(4)
    together(4, lambda i: set_profile(scopes[i], example_profile("maya")))
    assert [p.version for p in scopes[0].repo.programs()] == [1, 2, 3, 4]
    assert count(scopes[0], t.Person) == 1  # the local person is made once, too


def test_processes_starting_together_share_one_session(processes: Callable[[int], list[Scope]]):
    scopes = processes(4)
    set_profile(scopes[0], example_profile("maya"))
    live = together(4, lambda i: sessions.start(scopes[i], resume=True))
    assert len({s.session_id for s in live}) == 1 and open_sessions(scopes[0]) == 1


def test_processes_finishing_together_finish_once(processes: Callable[[int], list[Scope]]):
    scopes = processes(4)
    set_profile(scopes[0], example_profile("maya"))
    session = sessions.start(scopes[0]).session_id
    results = together(
        4, lambda i: outcome_of(lambda: sessions.finish(scopes[i], session, EndReason.finished, 3, 2, "right"))
    )
    assert sorted(results) == ["SessionEnded"] * 3 + ["done"]
    assert count(scopes[0], t.CheckIn) == 1


def test_processes_saving_the_same_outcome_together_store_it_once(processes: Callable[[int], list[Scope]]):
    scopes = processes(4)
    set_profile(scopes[0], example_profile("maya"))
    live = sessions.start(scopes[0])
    first = live.exercises[0].id
    loaded = [sessions.LiveSession.load(s, live.session_id) for s in scopes]  # all loaded before any saves
    results = together(4, lambda i: outcome_of(lambda: loaded[i].complete(first)))
    assert sorted(results) == ["AlreadyRecorded"] * 3 + ["done"]
    assert count(scopes[0], t.ExerciseOutcomeRow) == 1


def test_an_outcome_after_a_finish_from_another_process_is_refused(processes: Callable[[int], list[Scope]]):
    one, other = processes(2)
    set_profile(one, example_profile("maya"))
    live = sessions.start(one)
    late = sessions.LiveSession.load(other, live.session_id)  # loaded while the session was open
    sessions.finish(one, live.session_id, EndReason.finished, 3, 2, "right")
    with pytest.raises(SessionEnded):
        late.complete(live.exercises[0].id)
    assert count(one, t.ExerciseOutcomeRow) == 0
