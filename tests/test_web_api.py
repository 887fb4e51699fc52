"""The JSON API under /api/v1, on SQLite and PostgreSQL: a whole journey, then bad input of every kind.

Bad input always gets a 4xx whose JSON names the field or the problem, never a 500, and changes
nothing stored: the export before and after each refused request is the same, byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backcoach.services.context import App, Scope, local_scope
from backcoach.storage.database import open_database
from backcoach.storage.repository import Database
from backcoach.web.app import create_app
from tests.examples import example_data

API = "/api/v1"


def client_for(ctx: Scope) -> TestClient:
    # The local-only guard wants a loopback Host. A server error is raised here, so a 500 fails loudly.
    return TestClient(create_app(lambda: ctx.app), base_url="http://127.0.0.1")


@pytest.fixture
def client(ctx: Scope) -> TestClient:
    return client_for(ctx)


def exported(client: TestClient) -> str:
    answer = client.get(f"{API}/export")
    assert answer.status_code == 200
    return answer.text


def detail_text(answer: Any) -> str:
    """The problem a 4xx names, as one string: the app's sentence, or every field FastAPI refused."""
    detail = answer.json()["detail"]
    if isinstance(detail, str):
        return detail
    return " | ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in detail)


def refused(client: TestClient, method: str, path: str, body: Any, status: int | None, *words: str) -> list[str]:
    """Send a request that must be refused; return what went wrong (nothing, if all is well)."""
    before = exported(client)
    answer = client.request(method, path, json=body)
    problems = []
    if not 400 <= answer.status_code < 500 or (status is not None and answer.status_code != status):
        problems.append(f"status {answer.status_code}, wanted {status or '4xx'}: {answer.text[:300]}")
    elif not answer.headers["content-type"].startswith("application/json"):
        problems.append(f"not JSON: {answer.headers['content-type']}")
    else:
        text = detail_text(answer)
        problems += [f"{word!r} is not named in: {text}" for word in words if word not in text]
    if exported(client) != before:
        problems.append("something was stored")
    return problems


# The journey ----------------------------------------------------------------------------------------


def test_the_whole_journey_through_the_api(client: TestClient, ctx: Scope):
    saved = client.post(f"{API}/profile", json=example_data("maya"))
    assert saved.status_code == 200, saved.text
    assert saved.json()["status"] == "ok" and saved.json()["exercises"]

    program = client.get(f"{API}/program").json()
    assert program["version"] == 1 and program["reason"] == "Your first program."
    ids = [e["id"] for e in program["exercises"]]
    assert ids == [e["id"] for e in saved.json()["exercises"]]
    assert all(e["why"] and e["seconds"] > 0 for e in program["exercises"])

    started = client.post(f"{API}/sessions").json()
    session = started["session_id"]
    assert started["resumed"] is False and started["done"] == []
    assert [e["id"] for e in started["exercises"]] == ids
    assert {s["exercise_id"] for s in started["steps"]} == set(ids)
    *first, last = started["exercises"]

    for exercise in first:
        answer = client.post(
            f"{API}/sessions/{session}/outcomes",
            json={"exercise_id": exercise["id"], "status": "done"},
        )
        assert answer.status_code == 201 and answer.json() == {"saved": True}, answer.text
    # A reload mid-session resumes the same session, with what was done.
    resumed = client.post(f"{API}/sessions", json={"resume": True}).json()
    assert resumed["session_id"] == session and resumed["resumed"] is True
    assert resumed["done"] == [e["id"] for e in first]

    # Mild discomfort: never the same dose again, but easier ways on; nothing is stored yet.
    mild = {"kind": "mild", "score": 3, "place": "lower_back"}
    offer = client.post(f"{API}/sessions/{session}/pain", json={"exercise_id": last["id"], "pain": mild})
    assert offer.status_code == 200, offer.text
    assert offer.json()["action"] == "offer_easier" and offer.json()["options"]
    assert "skip" in {o["kind"] for o in offer.json()["options"]}
    assert len(ctx.repo.outcomes(session)) == len(first)
    # The choice waits on the server: a reload comes back to the same options.
    again = client.post(f"{API}/sessions", json={"resume": True}).json()
    assert again["pending"] == offer.json() and again["pending_exercise"] == last["id"]
    # Each easier exercise is its own option: the second one offered is the one that plays.
    option = [o for o in offer.json()["options"] if o["kind"] == "easier_exercise"][-1]
    choice = client.post(f"{API}/sessions/{session}/choice", json={"option_id": option["id"]})
    assert choice.status_code == 200, choice.text
    assert choice.json()["exercise"]["id"] == option["exercise_id"] != last["id"]
    assert {s["exercise_id"] for s in choice.json()["steps"]} == {option["exercise_id"]}
    last = choice.json()["exercise"]
    assert client.post(f"{API}/sessions", json={"resume": True}).json()["pending"] is None

    # Sharp pain ends the session, and the stop is stored with its report.
    sharp = {"kind": "sharp", "score": 6, "place": "lower_back"}
    stop = client.post(f"{API}/sessions/{session}/pain", json={"exercise_id": last["id"], "pain": sharp})
    assert stop.status_code == 200 and stop.json()["action"] == "end_session" and stop.json()["options"] == []
    stored = {o.exercise_id: o for o in ctx.repo.outcomes(session)}
    assert stored[last["id"]].status == "stopped_for_pain"
    assert (stored[last["id"]].pain_kind, stored[last["id"]].pain_score) == ("sharp", 6)
    assert all(stored[e["id"]].status == "done" for e in first)
    bridge = started["exercises"][-1]["id"]
    assert (stored[bridge].status, stored[bridge].pain_kind) == ("stopped_for_pain", "mild")

    finished = client.post(
        f"{API}/sessions/{session}/finish",
        json={"end_reason": "pain", "pain_before": 4, "pain_after": 6, "difficulty": "hard"},
    )
    assert finished.status_code == 200 and finished.json()["saved"] is True
    assert finished.json()["rescreen_needed"] is True, "pain rose by 2: the warning signs come next"
    (record,) = ctx.repo.history()
    assert record.status == "stopped_for_pain" and record.check_in is not None
    assert (record.check_in.pain_before, record.check_in.pain_after, record.check_in.difficulty) == (4, 6, "hard")
    assert ctx.repo.open_session() is None

    export = json.loads(exported(client))
    assert len(export["tables"]["session"]) == 1 and len(export["tables"]["exercise_outcome"]) == len(ids) + 1


# Bad input, field by field -------------------------------------------------------------------------

WRONG_TYPE = {"integer": "three", "boolean": "yes", "string": 3, "object": "an object", "array": "a list"}


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follow $ref, and take X from "X or null"."""
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    options = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    return _resolve(doc, options[0]) if len(options) == 1 else schema


def _json_type(schema: dict[str, Any]) -> str:
    return "string" if "enum" in schema or "const" in schema else str(schema["type"])


def _out_of_range(doc: dict[str, Any], schema: dict[str, Any]) -> Iterator[Any]:
    if "minimum" in schema:
        yield int(schema["minimum"]) - 1  # the document may say 0.0 for 0
    if "maximum" in schema:
        yield int(schema["maximum"]) + 1
    if "enum" in schema:
        yield "sideways"
    if "minLength" in schema:
        yield ""
    if "maxLength" in schema:
        yield "x" * (schema["maxLength"] + 1)
    if "minItems" in schema:
        yield []
    if schema.get("type") == "array" and "enum" in _resolve(doc, schema["items"]):
        yield ["sideways"]


def broken_bodies(doc: dict[str, Any], schema: dict[str, Any], body: dict[str, Any], path: tuple[str, ...] = ()):
    """Every way to get one field of a good body wrong, read from the API's own OpenAPI document:
    each required field missing, each field of the wrong type or out of range, an unknown field in each object.
    Yields (what is wrong, the body, the word the answer must name)."""
    schema = _resolve(doc, schema)
    for name, field in schema["properties"].items():
        field = _resolve(doc, field)
        where = ".".join((*path, name))
        if name in schema.get("required", []):
            yield f"{where} missing", {k: v for k, v in body.items() if k != name}, name
        yield f"{where} of the wrong type", {**body, name: WRONG_TYPE[_json_type(field)]}, name
        for value in _out_of_range(doc, field):
            yield f"{where} = {value!r}", {**body, name: value}, name
        if _json_type(field) == "object" and "properties" in field and isinstance(body.get(name), dict):
            for what, inner, word in broken_bodies(doc, field, body[name], (*path, name)):
                yield what, {**body, name: inner}, word
    yield f"{'.'.join(path) or 'the body'} with an unknown field", {**body, "colour": "blue"}, "colour"


@pytest.fixture
def mid_session(client: TestClient) -> dict[str, Any]:
    """Maya part way through a session: the first exercise is done, so doing it again is a duplicate."""
    assert client.post(f"{API}/profile", json=example_data("maya")).status_code == 200
    started = client.post(f"{API}/sessions").json()
    first = started["exercises"][0]
    body = {"exercise_id": first["id"], "status": "done"}
    assert client.post(f"{API}/sessions/{started['session_id']}/outcomes", json=body).status_code == 201
    return started


def good_bodies(started: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A good body for each route, using the session's last exercise (the bridge, for Maya)."""
    last = started["exercises"][-1]
    pain = {"kind": "sharp", "score": 6, "place": "lower_back"}
    return {
        "/plan": example_data("maya"),
        "/profile": example_data("maya"),
        "/sessions": {"resume": True},
        "/sessions/{session_id}/outcomes": {"exercise_id": last["id"], "status": "skipped"},
        "/sessions/{session_id}/pain": {"exercise_id": last["id"], "pain": pain, "between": False},
        "/sessions/{session_id}/choice": {"option_id": "skip"},
        "/rescreen": {"answers": dict.fromkeys(example_data("maya")["red_flags"], False)},
        "/log": {
            "pain_before": 4,
            "pain_after": 3,
            "difficulty": "easy",
            "skipped": [last["id"]],
            "pain_stops": {last["id"]: pain},
        },
        "/clearances": {"cleared_by": "Dr Shah", "cleared_on": "2026-03-02", "exercise_id": last["id"]},
        "/activities": {"name": "Putting on socks", "score": 4},
        "/activities/{activity_id}/ratings": {"score": 6},
        "/sessions/{session_id}/finish": {
            "end_reason": "finished",
            "pain_before": 4,
            "pain_after": 3,
            "difficulty": "right",
        },
    }


ROUTES = [
    "/plan",
    "/profile",
    "/sessions",
    "/sessions/{session_id}/outcomes",
    "/sessions/{session_id}/pain",
    "/sessions/{session_id}/choice",
    "/sessions/{session_id}/finish",
    "/rescreen",
    "/log",
    "/clearances",
    "/activities",
    "/activities/{activity_id}/ratings",
]


def test_every_route_that_takes_a_body_is_tried_below(client: TestClient):
    doc = client.get(f"{API}/openapi.json").json()
    with_body = {path for path, ops in doc["paths"].items() for op in ops.values() if "requestBody" in op}
    assert with_body == {API + route for route in ROUTES} | {f"{API}/import"}  # import has its own test


@pytest.mark.parametrize("route", ROUTES)
def test_every_body_field_wrong_in_turn_is_refused_by_name(client: TestClient, mid_session, route: str):
    doc = client.get(f"{API}/openapi.json").json()
    operation = doc["paths"][API + route]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    path = API + route.replace("{session_id}", str(mid_session["session_id"])).replace("{activity_id}", "1")
    cases = list(broken_bodies(doc, schema, good_bodies(mid_session)[route]))
    assert len(cases) >= 2  # at least one field wrong, and an unknown field
    cases += [("no body at all", None, "body"), ("a list, not an object", [1, 2], "body")]
    if route == "/sessions":
        cases = [c for c in cases if c[1] is not None]  # the body is optional: none means "resume"
    problems = [f"{what}: {p}" for what, body, word in cases for p in refused(client, "POST", path, body, None, word)]
    assert problems == []


def test_refusals_that_need_the_stored_session(client: TestClient, mid_session):
    session = mid_session["session_id"]
    first, *_, last = mid_session["exercises"]
    outcome = {"exercise_id": last["id"], "status": "done"}
    pain = {"kind": "mild", "score": 2, "place": "lower_back"}
    at = f"{API}/sessions/{session}"
    cases: list[tuple[Any, ...]] = [  # (path, body, status, words the answer must name...)
        # An exercise that is not in the catalogue, or not in this session.
        (f"{at}/outcomes", {**outcome, "exercise_id": "moonwalk"}, 422, "exercise_id", "moonwalk"),
        (f"{at}/outcomes", {**outcome, "exercise_id": "walking"}, 422, "exercise_id", "walking"),
        (f"{at}/pain", {"exercise_id": "moonwalk", "pain": pain}, 422, "exercise_id"),
        # A choice when no pain stop is waiting for one.
        (f"{at}/choice", {"option_id": "skip"}, 409, "no pain-stop choice"),
        # The same exercise twice.
        (f"{at}/outcomes", {"exercise_id": first["id"], "status": "done"}, 409, first["id"]),
        (f"{at}/pain", {"exercise_id": first["id"], "pain": pain}, 409, first["id"]),
        # A session that is not open, or not a session at all.
        (f"{API}/sessions/{session + 1}/outcomes", outcome, 404, f"session {session + 1}"),
        (f"{API}/sessions/-1/pain", {"exercise_id": last["id"], "pain": pain}, 404, "session"),
        (f"{API}/sessions/{session + 1}/finish", {"end_reason": "finished"}, 404, "session"),
        (f"{API}/sessions/today/outcomes", outcome, 422, "session_id"),
        (f"{API}/sessions/1.5/finish", {"end_reason": "finished"}, 422, "session_id"),
        # A paper log of exercises that are not in today's session.
        (f"{API}/log", {"pain_before": 3, "pain_after": 2, "skipped": ["moonwalk"]}, 422, "moonwalk"),
    ]
    problems = [
        f"{path} {body}: {p}"
        for path, body, status, *words in cases
        for p in refused(client, "POST", path, body, status, *words)
    ]
    assert problems == []


def test_only_an_offered_option_can_be_chosen(client: TestClient, mid_session):
    at = f"{API}/sessions/{mid_session['session_id']}"
    last = mid_session["exercises"][-1]
    offer = client.post(
        f"{at}/pain", json={"exercise_id": last["id"], "pain": {"kind": "mild", "score": 2, "place": "hips"}}
    )
    offered = [o["id"] for o in offer.json()["options"]]
    assert len(set(offered)) == len(offered), "each option has its own id"
    assert refused(client, "POST", f"{at}/choice", {"option_id": "easier_exercise:moonwalk"}, 422, "not offered") == []
    # While the choice waits, nothing else goes on for that session.
    assert refused(client, "POST", f"{at}/outcomes", {"exercise_id": last["id"], "status": "done"}, 409, "pain") == []


def test_a_finished_session_takes_nothing_more(client: TestClient, mid_session):
    session = mid_session["session_id"]
    last = mid_session["exercises"][-1]
    finish = {"end_reason": "finished", "pain_before": 4, "pain_after": 3, "difficulty": "right"}
    assert client.post(f"{API}/sessions/{session}/finish", json=finish).status_code == 200
    at = f"{API}/sessions/{session}"
    not_open = f"Session {session} has ended"
    assert refused(client, "POST", f"{at}/finish", finish, 409, not_open) == []
    outcome = {"exercise_id": last["id"], "status": "done"}
    assert refused(client, "POST", f"{at}/outcomes", outcome, 409, not_open) == []
    pain = {"kind": "sharp", "score": 8, "place": "legs"}
    assert refused(client, "POST", f"{at}/pain", {"exercise_id": last["id"], "pain": pain}, 409, not_open) == []


def test_without_a_program_there_is_nothing_to_start(client: TestClient, ctx: Scope):
    assert refused(client, "GET", f"{API}/program", None, 404, "no program") == []
    assert refused(client, "POST", f"{API}/sessions", None, 409, "no program") == []
    assert refused(client, "GET", f"{API}/exercises/moonwalk", None, 404, "moonwalk") == []


def test_a_warning_sign_pauses_the_program_and_sessions_do_not_start(client: TestClient):
    assert client.post(f"{API}/profile", json=example_data("maya")).status_code == 200
    flags = {**example_data("maya")["red_flags"], "bladder_control": True}
    paused = client.post(f"{API}/profile", json=example_data("maya", red_flags=flags))
    assert paused.status_code == 200 and paused.json()["status"] == "emergency" and paused.json()["exercises"] == []
    assert client.get(f"{API}/program").json()["exercises"] == []
    assert refused(client, "POST", f"{API}/sessions", None, 409, "paused") == []


# Import ---------------------------------------------------------------------------------------------


def test_damaged_import_is_refused_and_stores_nothing(client: TestClient, ctx: Scope, mid_session, new_database_url):
    good = exported(client)
    data = json.loads(good)
    wrong_row = json.loads(good)
    wrong_row["tables"]["exercise_outcome"][0]["exercise_id"] = 7
    damaged = [
        (good[: len(good) // 2], "not valid JSON"),  # cut short
        (good.replace(":", "", 1), "not valid JSON (line 2"),
        ("", "not valid JSON"),
        (json.dumps({**data, "format": "something-else"}), "not a backcoach export"),
        (json.dumps({**data, "version": 99}), "version 99"),
        (json.dumps({**data, "tables": {**data["tables"], "notes": []}}), "unknown table(s): notes"),
        (json.dumps(wrong_row), "table 'exercise_outcome', row 1, field 'exercise_id': has the wrong type"),
    ]
    empty = client_for(local_scope(App(Database(open_database(new_database_url())), ctx.catalogue, ctx.now)))
    json_type = {"content-type": "application/json"}
    for target in (client, empty):  # into this database, and into an empty one
        before = exported(target)
        for document, words in damaged:
            answer = target.post(f"{API}/import", content=document.encode(), headers=json_type)
            assert answer.status_code == 400 and words in answer.json()["detail"], (words, answer.text)
            assert exported(target) == before, words
        answer = target.post(f"{API}/import", content=b"\xff\xfe not text", headers=json_type)
        assert answer.status_code == 400 and exported(target) == before
        for kind in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None):
            sent = {"content-type": kind} if kind else {}
            answer = target.post(f"{API}/import", content=good.encode(), headers=sent)  # a page's form, say
            assert answer.status_code == 415 and "application/json" in answer.json()["detail"], kind
            assert exported(target) == before
    # The same export goes into the empty database whole, and comes out the same.
    answer = empty.post(f"{API}/import", content=good.encode(), headers=json_type)
    assert answer.status_code == 200 and answer.json()["imported"] > 0, answer.text
    assert exported(empty) == good
    # Into a database that already has data, even a good file is refused.
    refusal = client.post(f"{API}/import", content=good.encode(), headers=json_type)
    assert refusal.status_code == 409 and "not empty" in refusal.json()["detail"]
    assert exported(client) == good


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_a_number_that_is_not_json_is_refused_by_name(client: TestClient, number: str):
    body = '{"pain_before": NUMBER, "pain_after": 3}'.replace("NUMBER", number)
    answer = client.post(f"{API}/log", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 422, answer.text
    assert [p["loc"] for p in answer.json()["detail"]] == [["body", "pain_before"]]


def test_a_pain_stop_in_one_tab_stops_the_other(client: TestClient, mid_session, ctx: Scope):
    """Tab B reports sharp pain into the legs; tab A, which never saw it, tries to go on and finish."""
    at = f"{API}/sessions/{mid_session['session_id']}"
    _, second, *rest = [e["id"] for e in mid_session["exercises"]]
    pain = {"kind": "sharp", "score": 6, "place": "legs"}
    assert client.post(f"{at}/pain", json={"exercise_id": second, "pain": pain}).json()["action"] == "end_session"
    for exercise in rest:  # tab A goes on
        answer = client.post(f"{at}/outcomes", json={"exercise_id": exercise, "status": "done"})
        assert answer.status_code == 409 and "ended" in answer.json()["detail"]
    body = {"end_reason": "finished", "pain_after": 0, "difficulty": "easy"}
    assert client.post(f"{at}/finish", json=body).raise_for_status().json()["rescreen_needed"]
    session = ctx.repo.history()[-1]
    assert session.status == "stopped_for_pain", "a pain stop is never turned into 'finished' by a player"
    assert [o.exercise_id for o in session.outcomes][-1] == second
