"""The JSON API, fuzzed from its own OpenAPI document with schemathesis.

Every operation under /api/v1 gets schema-valid and schema-breaking requests (schemathesis's
coverage, examples and fuzzing phases; at most 25 fuzzed examples each, derandomized so a run
repeats). Every response is checked with all of schemathesis's default checks: no 500, only
documented status codes and content types, bodies that fit their declared schema, schema-breaking
requests refused and schema-valid ones accepted.

It runs in process on a fresh SQLite database with Maya's profile, so the session routes have a
program to work on. Schema-valid session requests are steered at the open session and, often, at
one of its exercises with a dose inside that exercise's sources, so the fuzzer reaches the pain
rules and the stored outcomes rather than stopping at a 404.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import positive_data_acceptance

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.planner import PlannedExercise
from backcoach.core.screening import QUESTION_IDS
from backcoach.services import clearances, sessions
from backcoach.services.context import App, Scope, local_scope
from backcoach.services.programs import set_profile
from backcoach.services.review import rescreen_due
from backcoach.services.screening import clear_warning, rescreen
from backcoach.services.sessions import due_now
from backcoach.storage.database import open_database
from backcoach.storage.repository import Database
from backcoach.web import activity_routes, api, clearance_routes
from backcoach.web.app import create_app
from backcoach.web.idempotency import HEADER, KEY
from tests.conftest import MovableNow
from tests.examples import example_profile

# The app is built at import, so that schemathesis can read its OpenAPI document while pytest collects
# the tests; it asks for its database only at the first request, which the fixture below has made.
STATE: dict[str, Scope] = {}
NOW = MovableNow(datetime(2026, 3, 2, 8, 0))
app = create_app(lambda: STATE["ctx"].app)
KEYS = itertools.count()
BASE_URL = "http://127.0.0.1"  # the local-only guard answers nothing else
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, headers={"Host": "127.0.0.1"})

# Where a schema-valid request may still be refused, because what decides is stored data the schema
# cannot know. schemathesis's own "schema-valid data is accepted" check is replaced there by
# `refused_only_for_stored_data`, which still fails if the request checks (FastAPI's list of fields)
# refuse schema-valid data, and allows only the app's own refusal, one sentence naming the problem:
STORED_DATA_REFUSALS = {
    # Which exercises the open session holds, and the dose range each exercise's sources give.
    "/api/v1/sessions/{session_id}/outcomes": 422,
    "/api/v1/sessions/{session_id}/pain": 422,
    # Whether a pain stop is waiting for a choice, and which options it offered.
    "/api/v1/sessions/{session_id}/choice": 422,
    # Which exercises are in today's session.
    "/api/v1/log": 422,
    # The rows of an export (their columns, types and links) are checked by the import, not the schema,
    # and this database is not empty, so every import here is refused (test_web_api: and stores nothing).
    "/api/v1/import": 400,
    # The day of a clearance is checked against today and the day the sign or pause was recorded.
    "/api/v1/clearances": 422,
    # The neck questions are due when the person's regions (or, at a re-screen, the stored profile's)
    # hold the neck, and are answered all or none: a rule between fields that the schema cannot state.
    "/api/v1/plan": 422,
    "/api/v1/profile": 422,
    "/api/v1/rescreen": 422,
    # The activities the person already has: a fourth, or a name they have (in any case or spacing), is
    # refused; so is a name of spaces only, which the schema's length cannot tell from a real one.
    "/api/v1/activities": 422,
}


@pytest.fixture(scope="module", autouse=True)
def fresh_database(tmp_path_factory: pytest.TempPathFactory) -> None:
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.sqlite3'}"
    ctx = local_scope(App(Database(open_database(url)), load_catalogue(), NOW))
    set_profile(ctx, example_profile("maya"))
    STATE["ctx"] = ctx


def program_back(ctx: Scope) -> None:
    """A fuzzed profile with a warning sign pauses the program: give Maya's back, so sessions can start."""
    if clearances.standing_warning(ctx) is not None:  # a fuzzed "yes" stands until someone checked Maya
        clear_warning(ctx, "Dr Fuzz", ctx.now().date())
    found = ctx.repo.current_program()
    if found is None or not found.exercises:
        set_profile(ctx, example_profile("maya"))


def open_session(ctx: Scope) -> tuple[int, list[PlannedExercise]]:
    """The open session and its exercises; one is started if there is none."""
    row = ctx.repo.open_session()
    if row is None:
        program_back(ctx)
        if rescreen_due(ctx):  # a fuzzed check-in said pain rose: answer the warning signs "no"
            rescreen(ctx, dict.fromkeys(QUESTION_IDS, False))
        if not due_now(ctx)[1]:  # today's sessions are all done: tomorrow, then
            NOW.advance(days=1)
        sessions.start(ctx, resume=False)
        row = ctx.repo.open_session()
        assert row is not None
    return row.id, sessions.LiveSession.load(ctx, row.id).exercises


def steer(case: schemathesis.Case) -> None:
    """Point a schema-valid session request at the open session, and most of them at one of its exercises."""
    key = case.headers.get(HEADER) if case.headers else None
    if case.headers and isinstance(key, str) and KEY.fullmatch(key):  # a key sent again is test_idempotency's
        case.headers[HEADER] = f"{key[:90]}-{next(KEYS)}"  # each case is a new request
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    if case.operation.path == "/api/v1/sessions":
        program_back(STATE["ctx"])
    if "{session_id}" not in case.operation.path or int(case.path_parameters["session_id"]) < 0:
        return  # keep the negative ids as generated: no session of ours (404)
    session_id, exercises = open_session(STATE["ctx"])
    case.path_parameters = {**case.path_parameters, "session_id": session_id}
    body: Any = case.body
    if not isinstance(body, dict) or not isinstance(body.get("exercise_id"), str):
        return
    pick = len(body["exercise_id"]) % (len(exercises) + 1)
    if pick == len(exercises):
        return  # keep the generated id: not in this session (422)
    case.body = {**body, "exercise_id": exercises[pick].id}


def refused_only_for_stored_data(ctx: Any, response: schemathesis.Response, case: schemathesis.Case) -> bool | None:
    """Schema-valid data is accepted, or refused by the app (not the request checks) for a stored-data reason."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    status = response.status_code
    allowed = STORED_DATA_REFUSALS[case.operation.path]
    if status < 400 or status in (404, 409):
        return None
    detail = response.json().get("detail")
    assert status == allowed and isinstance(detail, str), f"schema-valid request refused with {status}: {detail!r}"
    return None


@schema.parametrize()
@settings(
    # The same small count in both Hypothesis profiles, not tests.strategies.examples(): each example
    # is a whole request through the app and its database, with schemathesis's coverage and examples
    # phases on top (about 30 s for the 16 operations at 25), so this is already all a quick run can
    # afford, and CI keeps it derandomized and repeatable rather than larger.
    max_examples=25,
    deadline=None,  # the first request of a run migrates the database
    derandomize=True,
    database=None,
    # The profile and session bodies are large objects with many constraints; hypothesis may discard
    # many draws or grow big inputs on the way to valid ones, which is expected here, not a problem.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
def test_api_keeps_its_own_schema(case: schemathesis.Case) -> None:
    steer(case)
    if case.operation.path in STORED_DATA_REFUSALS:
        case.call_and_validate(
            base_url=BASE_URL,
            excluded_checks=[positive_data_acceptance],
            additional_checks=[refused_only_for_stored_data],
        )
    else:
        case.call_and_validate(base_url=BASE_URL)


def test_every_api_operation_is_fuzzed() -> None:
    """Nothing the API router serves is left out of the OpenAPI document, and so out of the fuzzing above."""
    routes = [*api.router.routes, *clearance_routes.api.routes, *activity_routes.api.routes]
    served = {(method, route.path) for route in routes for method in route.methods}  # type: ignore[attr-defined]
    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results)  # every operation loads: none is skipped
    fuzzed = {(r.ok().method.upper(), r.ok().path) for r in results if isinstance(r, Ok)}
    assert served == fuzzed
