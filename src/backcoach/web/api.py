"""The JSON API under /api/v1: the same use cases as the command line, in the same shapes
(`schemas/output.py`). Errors are mapped once, in `web/errors.py`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from backcoach.core.errors import NotFound, TransferError
from backcoach.core.pain_stop import END_MESSAGE, PainReport
from backcoach.core.planner import plan_program
from backcoach.core.screening import ALL_QUESTIONS
from backcoach.core.session_steps import exercise_steps
from backcoach.exports.transfer import FORMAT, TABLE_NAMES, VERSION
from backcoach.schemas.history_out import HistoryPageOut, history_page_out
from backcoach.schemas.input import (
    ChoiceBody,
    FinishBody,
    LogBody,
    OutcomeBody,
    PainBody,
    PainStopBody,
    ProfileBody,
    RescreenBody,
    StartBody,
)
from backcoach.schemas.json_text import MAX_IMPORT_BYTES
from backcoach.schemas.output import (
    ChoiceOut,
    DecisionOut,
    FinishOut,
    Invalid,
    PlanOut,
    Problem,
    ProgramOut,
    QuestionOut,
    Saved,
    ScreenOut,
    SessionOut,
    decision_out,
    finish_out,
    plan_out,
    planned_out,
    program_out,
    question_out,
    screen_out,
    session_out,
    step_out,
)
from backcoach.services import sessions
from backcoach.services.context import Scope
from backcoach.services.history_pages import CURSOR_PATTERN, DEFAULT_PAGE, MAX_PAGE, history_page
from backcoach.services.programs import current_program, program_versions, set_profile
from backcoach.services.screening import rescreen
from backcoach.services.transfer import bring_in, export_mine
from backcoach.web.deps import AppDep, ScopeDep
from backcoach.web.idempotency import ChangeRoute

router = APIRouter(prefix="/api/v1", tags=["api"], route_class=ChangeRoute)
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem}}
BODY: dict[int | str, dict[str, Any]] = {400: {"model": Problem}}  # a body that is not even text or JSON
CONFLICT: dict[int | str, dict[str, Any]] = {**BODY, **NOT_FOUND, 409: {"model": Problem}, 422: {"model": Invalid}}
CHECKED: dict[int | str, dict[str, Any]] = {**BODY, 422: {"model": Invalid}}  # the app's own checks too
# The import reads the raw body itself, so that a damaged file is a 400 naming the line, as on the command line.
EXPORT_DOCUMENT: dict[str, Any] = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["format", "version", "tables"],
                "properties": {
                    "format": {"const": FORMAT},
                    "version": {"enum": [1, VERSION]},
                    "tables": {
                        "type": "object",
                        "propertyNames": {"enum": TABLE_NAMES},
                        "additionalProperties": {"type": "array", "items": {"type": "object"}},
                    },
                },
            }
        }
    },
}


def _pain(body: PainBody) -> PainReport:
    return PainReport(body.kind, body.score, body.place)


@router.get("/exercises")
def list_exercises(app: AppDep) -> list[dict[str, Any]]:
    """The whole catalogue, in the same shape as `backcoach exercises --json`."""
    return [e.model_dump(mode="json") for e in app.catalogue]


@router.get("/exercises/{exercise_id}", responses=NOT_FOUND)
def get_exercise(exercise_id: str, app: AppDep) -> dict[str, Any]:
    if exercise_id not in app.catalogue.ids():
        raise NotFound(f"There is no exercise with id {exercise_id!r}.")
    return app.catalogue.get(exercise_id).model_dump(mode="json")


@router.get("/screen/questions")
def screen_questions() -> list[QuestionOut]:
    """The warning-sign questions, as `backcoach screen --list --json` gives them (the neck ones, with
    `region: "neck"`, only for a person whose regions include the neck)."""
    return [question_out(q) for q in ALL_QUESTIONS]


@router.post("/plan", responses=CHECKED)
def try_plan(profile: ProfileBody, app: AppDep) -> PlanOut:
    """Plan from a profile without saving anything."""
    return plan_out(plan_program(profile, app.catalogue))


@router.post("/profile", responses=CHECKED)
def save_profile(profile: ProfileBody, scope: ScopeDep) -> PlanOut:
    """Screen, save the profile and (if the screen is clear) a new program version."""
    return plan_out(set_profile(scope, profile))


@router.post("/rescreen", responses=CONFLICT)
def answer_again(body: RescreenBody, scope: ScopeDep) -> ScreenOut:
    """The warning-sign questions answered again (asked for when pain rose). Any sign pauses the
    program; a clear answer lets a weekly review that came due run."""
    done = rescreen(scope, body.answers)
    return screen_out(done.result, done.review)


@router.get("/program", responses=NOT_FOUND)
def get_program(scope: ScopeDep) -> ProgramOut:
    found = current_program(scope)
    if found is None:
        raise NotFound("There is no program yet.")
    return program_out(found)


@router.get("/program/versions")
def get_program_versions(scope: ScopeDep) -> list[ProgramOut]:
    """Every version of the program, oldest first, each with what was decided then."""
    return [program_out(v) for v in program_versions(scope)]


@router.get("/sessions", responses=CHECKED)
def list_sessions(
    scope: ScopeDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="How many sessions, at most, on this page.")] = (
        DEFAULT_PAGE
    ),
    before: Annotated[
        str | None,
        Query(pattern=CURSOR_PATTERN, description="The `next` of the page before: the sessions older than it."),
    ] = None,
) -> HistoryPageOut:
    """Your sessions a page at a time, newest first, each with its outcomes and check-in. Give a
    page's `next` as `before` for the page after it; every session is on exactly one page."""
    return history_page_out(history_page(scope, limit, before))


@router.post("/sessions", responses=CONFLICT)
def start_session(scope: ScopeDep, body: StartBody | None = None) -> SessionOut:
    """Resume the unfinished session, or start today's."""
    live = sessions.start(scope, resume=body.resume if body else True, pain_before=body.pain_before if body else None)
    return session_out(live, END_MESSAGE)


@router.post("/sessions/{session_id}/outcomes", status_code=201, responses=CONFLICT)
def record_outcome(session_id: int, body: OutcomeBody, scope: ScopeDep) -> Saved:
    """An exercise is over: done or skipped, at the dose the session holds. Saved at once."""
    live = sessions.LiveSession.load(scope, session_id)
    live.complete(body.exercise_id, skipped=body.status == "skipped")
    return Saved()


@router.post("/sessions/{session_id}/pain", responses=CONFLICT)
def this_hurts(session_id: int, body: PainStopBody, scope: ScopeDep) -> DecisionOut:
    """The same pain-stop rules as the terminal coach. A stop that ends the session is saved
    here; milder pain leaves options, each with its own id, to choose from."""
    live = sessions.LiveSession.load(scope, session_id)
    return decision_out(live.pain_at(body.exercise_id, body.between, _pain(body.pain)))


@router.post("/sessions/{session_id}/choice", responses=CONFLICT)
def choose(session_id: int, body: ChoiceBody, scope: ScopeDep) -> ChoiceOut:
    """After mild discomfort: apply the chosen option; returns the steps to play for it."""
    live = sessions.LiveSession.load(scope, session_id)
    hurt = live.current_exercise
    before = {p.id for p in live.exercises}
    live.choose(body.option_id)
    now = {p.id: p for p in live.exercises}
    added = [p for p in live.exercises if p.id not in before]
    if added:  # an easier exercise instead: all of its steps, getting into position first
        return ChoiceOut(exercise=planned_out(added[0]), steps=[step_out(s) for s in exercise_steps(added[0])])
    if hurt is None or live.outcomes:  # skipped: go on to what comes next
        return ChoiceOut(exercise=None, steps=[])
    again = now[hurt.id]  # an easier dose: its holds or repeats again, already in position
    return ChoiceOut(exercise=planned_out(again), steps=[step_out(s) for s in exercise_steps(again)[1:]])


@router.post("/sessions/{session_id}/finish", responses=CONFLICT)
def finish_session(session_id: int, body: FinishBody, scope: ScopeDep) -> FinishOut:
    """End the session with its check-in. Next comes a re-screen if pain rose, else any review
    that came due (it has run, and its changes are in the answer)."""
    return finish_out(
        sessions.finish(scope, session_id, body.end_reason, body.pain_before, body.pain_after, body.difficulty)
    )


@router.post("/log", responses=CONFLICT)
def log_session(body: LogBody, scope: ScopeDep) -> FinishOut:
    """A session done without the coach (from a printed handout, say), as `backcoach log`."""
    stops = {exercise_id: _pain(pain) for exercise_id, pain in body.pain_stops.items()}
    finished = sessions.log_session(
        scope, body.pain_before, body.pain_after, body.difficulty, list(body.skipped), stops
    )
    return finish_out(finished)


@router.get("/export")
async def export(scope: ScopeDep) -> Response:
    """Everything, as one JSON document (the same as `backcoach export`); in a clinic, your own record."""
    # Made in a thread, also on SQLite: a year of history takes over 100 ms, which no other request
    # on this server should wait for.
    return Response(
        await run_in_threadpool(export_mine, scope),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="backcoach-export.json"'},
    )


@router.post(
    "/import",
    responses={
        **BODY,
        409: {"model": Problem},
        415: {"model": Problem},
        422: {"model": Invalid},
        503: {"model": Problem},
    },
    openapi_extra={"requestBody": EXPORT_DOCUMENT},
)
async def import_(request: Request, scope: ScopeDep, replace: bool = False) -> JSONResponse:
    """Import an export into an empty database. A damaged document changes nothing. The body is
    the export itself, sent as application/json: a form or any other type from a page is refused.
    With `replace=true`, everything already there is replaced, after a backup whose path is given."""
    # Any other type of body is refused before this (415: `form_tokens.json_only`).
    raw = b""
    async for chunk in request.stream():  # read no more than an export can be
        raw += chunk
        if len(raw) > MAX_IMPORT_BYTES:
            raise TransferError(f"the file is too large for a backcoach export (over {MAX_IMPORT_BYTES // 1024} KB)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise TransferError("the file is not UTF-8 text") from None
    return JSONResponse(await run_in_threadpool(_import, scope, text, replace))


def _import(scope: Scope, text: str, replace: bool) -> dict[str, Any]:
    done = bring_in(scope, text, replace)
    if replace:
        return {"imported": done.rows, "backup": None if done.backup is None else str(done.backup)}
    return {"imported": done.rows}
