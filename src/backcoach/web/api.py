"""The JSON API under /api/v1, over the same services as the command line."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from backcoach.core.pain_stop import END_MESSAGE, OptionKind, PainAction, PainReport, decide, easier_dose
from backcoach.core.planner import PlannedExercise, plan_program, starting_dose
from backcoach.core.screening import QUESTIONS
from backcoach.core.session_run import EndReason, ExerciseOutcome, OutcomeStatus
from backcoach.core.session_steps import exercise_steps
from backcoach.core.timing import Dose, exercise_seconds
from backcoach.exports.transfer import FORMAT, VERSION, TransferError, export_document, import_document
from backcoach.schemas.output import plan_json, step_json
from backcoach.services import sessions
from backcoach.services.context import Context
from backcoach.services.programs import current_program, program_exercises, set_profile
from backcoach.web.schemas import (
    ChoiceBody,
    ChoiceOut,
    DecisionOut,
    DoseBody,
    FinishBody,
    Invalid,
    OutcomeBody,
    PainStopBody,
    PlannedOut,
    Problem,
    ProfileBody,
    Saved,
    SessionOut,
    StartBody,
    StepOut,
)

router = APIRouter(prefix="/api/v1", tags=["api"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem}}
BODY: dict[int | str, dict[str, Any]] = {400: {"model": Problem}}  # a body that is not even text or JSON
CONFLICT: dict[int | str, dict[str, Any]] = {**BODY, **NOT_FOUND, 409: {"model": Problem}, 422: {"model": Invalid}}
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
                    "version": {"const": VERSION},
                    "tables": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "object"}},
                    },
                },
            }
        }
    },
}


def get_context(request: Request) -> Context:
    return request.app.state.context()  # type: ignore[no-any-return]


Ctx = Annotated[Context, Depends(get_context)]


def _planned(p: PlannedExercise) -> PlannedOut:
    return PlannedOut(id=p.id, name=p.exercise.name, dose=DoseBody(**asdict(p.dose)), why=p.why, seconds=p.seconds)


def _steps(planned: PlannedExercise, skip_position: bool = False) -> list[StepOut]:
    steps = exercise_steps(planned)
    return [StepOut(**step_json(s)) for s in steps[1 if skip_position else 0 :]]


@router.get("/exercises")
def list_exercises(ctx: Ctx) -> list[dict[str, Any]]:
    """The whole catalogue, in the same shape as `backcoach exercises --json`."""
    return [e.model_dump(mode="json") for e in ctx.catalogue]


@router.get("/exercises/{exercise_id}", responses=NOT_FOUND)
def get_exercise(exercise_id: str, ctx: Ctx) -> dict[str, Any]:
    if exercise_id not in ctx.catalogue.ids():
        raise HTTPException(404, f"no exercise with id {exercise_id!r}")
    return ctx.catalogue.get(exercise_id).model_dump(mode="json")


@router.get("/screen/questions")
def screen_questions() -> list[dict[str, Any]]:
    return [{"id": q.id, "text": q.text, "urgency": q.urgency.value, "source": q.source} for q in QUESTIONS]


@router.post("/plan", responses=BODY)
def try_plan(profile: ProfileBody, ctx: Ctx) -> dict[str, Any]:
    """Plan from a profile without saving anything."""
    return plan_json(plan_program(profile, ctx.catalogue))


@router.post("/profile", responses=BODY)
def save_profile(profile: ProfileBody, ctx: Ctx) -> dict[str, Any]:
    """Screen, save the profile and (if the screen is clear) a new program version."""
    return plan_json(set_profile(ctx, profile))


@router.get("/program", responses=NOT_FOUND)
def get_program(ctx: Ctx) -> dict[str, Any]:
    found = current_program(ctx)
    if found is None:
        raise HTTPException(404, "there is no program yet")
    row, exercises = found
    return {
        "version": row.version,
        "reason": row.reason,
        "created_at": row.created_at.isoformat(),
        "exercises": [_planned(p).model_dump() for p in exercises],
    }


@router.post("/sessions", responses=CONFLICT)
def start_session(ctx: Ctx, body: StartBody | None = None) -> SessionOut:
    """Resume the unfinished session, or start today's."""
    try:
        active = sessions.start(ctx, resume=body.resume if body else True)
    except sessions.NoProgram as error:
        raise HTTPException(409, str(error)) from None
    done = [o.exercise_id for o in ctx.repo.outcomes(active.session_id)]
    return SessionOut(
        session_id=active.session_id,
        resumed=active.resumed,
        stopped_for_pain=active.stopped_for_pain,
        message=END_MESSAGE if active.stopped_for_pain else None,
        done=done,
        exercises=[_planned(p) for p in active.run.exercises],
        steps=[StepOut(**step_json(s)) for s in active.run.steps],
    )


def _open_session(ctx: Context, session_id: int) -> list[PlannedExercise]:
    """The program of an unfinished session of this person, or a 404 / 409."""
    row = ctx.repo.open_session(ctx.person_id)
    if row is None or row.id != session_id:
        raise HTTPException(404, f"session {session_id} is not an unfinished session of yours")
    return program_exercises(ctx.repo.program(row.program_id), ctx.catalogue)


def _exercise_in(ctx: Context, program: list[PlannedExercise], exercise_id: str) -> PlannedExercise:
    """A program exercise, or an easier one that can stand in for it after a pain stop."""
    for planned in program:
        if planned.id == exercise_id:
            return planned
    for planned in program:
        if exercise_id in planned.exercise.easier:
            easier = ctx.catalogue.get(exercise_id)
            dose = starting_dose(easier, planned.dose.times_per_day or 1)
            return PlannedExercise(easier, dose, exercise_seconds(dose, easier.pace), planned.why)
    raise HTTPException(422, f"exercise_id: {exercise_id!r} is not in this session")


def _checked_dose(planned: PlannedExercise, body: DoseBody) -> Dose:
    """The dose the player ran, if it stays within the exercise's sources; else a 422."""
    dose = Dose(**body.model_dump())
    limits = planned.exercise.dose_limits()
    for name, limit in limits.items():
        value = getattr(dose, name)
        if value is not None and name != "rest_seconds" and (limit is None or not limit[0] <= value <= limit[1]):
            raise HTTPException(422, f"dose.{name}: {value} is outside what the sources give for {planned.id}")
    return dose


@router.post("/sessions/{session_id}/outcomes", status_code=201, responses=CONFLICT)
def record_outcome(session_id: int, body: OutcomeBody, ctx: Ctx) -> Saved:
    """Save one exercise's outcome the moment it ends."""
    planned = _exercise_in(ctx, _open_session(ctx, session_id), body.exercise_id)
    dose = _checked_dose(planned, body.dose)
    if body.status == "stopped_for_pain" and body.pain is None:
        raise HTTPException(422, "pain: a pain stop needs the pain report")
    if any(o.exercise_id == body.exercise_id for o in ctx.repo.outcomes(session_id)):
        raise HTTPException(409, f"{body.exercise_id} already has an outcome in this session")
    pain = PainReport(body.pain.kind, body.pain.score, body.pain.place) if body.pain else None
    sessions.record(ctx, session_id, ExerciseOutcome(body.exercise_id, OutcomeStatus(body.status), dose, pain))
    return Saved()


@router.post("/sessions/{session_id}/pain", responses=CONFLICT)
def this_hurts(session_id: int, body: PainStopBody, ctx: Ctx) -> DecisionOut:
    """The same pain-stop rules as the terminal coach. A stop that ends the session is saved here."""
    program = _open_session(ctx, session_id)
    planned = _exercise_in(ctx, program, body.exercise_id)
    dose = _checked_dose(planned, body.dose)
    in_session = {p.id for p in program}
    allowed = {e for e in planned.exercise.easier if e not in in_session}
    report = PainReport(body.pain.kind, body.pain.score, body.pain.place)
    decision = decide(report, planned.exercise, dose, allowed)
    recorded = {o.exercise_id for o in ctx.repo.outcomes(session_id)}
    if decision.action is PainAction.end_session and not body.between and planned.id not in recorded:
        sessions.record(ctx, session_id, ExerciseOutcome(planned.id, OutcomeStatus.stopped_for_pain, dose, report))
    options = [
        {
            "kind": o.kind,
            "label": o.label,
            "exercise_id": o.exercise_id,
            "dose": DoseBody(**asdict(o.dose)) if o.dose else None,
        }
        for o in decision.options
    ]
    return DecisionOut(action=decision.action.value, message=decision.message, options=options)


@router.post("/sessions/{session_id}/choice", responses=CONFLICT)
def choose(session_id: int, body: ChoiceBody, ctx: Ctx) -> ChoiceOut:
    """After mild discomfort: the steps to play for the chosen option."""
    program = _open_session(ctx, session_id)
    planned = _exercise_in(ctx, program, body.exercise_id)
    dose = _checked_dose(planned, body.dose)
    if body.option is OptionKind.skip:
        return ChoiceOut(exercise=None, steps=[])
    if body.option is OptionKind.easier_exercise:
        in_session = {p.id for p in program}
        easier = next((e for e in planned.exercise.easier if e not in in_session), None)
        if easier is None:
            raise HTTPException(422, "option: there is no easier exercise for this one")
        swap = _exercise_in(ctx, program, easier)
        return ChoiceOut(exercise=_planned(swap), steps=_steps(swap))
    lower = easier_dose(planned.exercise, dose) or dose
    again = replace(planned, dose=lower, seconds=exercise_seconds(lower, planned.exercise.pace))
    return ChoiceOut(exercise=_planned(again), steps=_steps(again, skip_position=True))


@router.post("/sessions/{session_id}/finish", responses=CONFLICT)
def finish_session(session_id: int, body: FinishBody, ctx: Ctx) -> Saved:
    _open_session(ctx, session_id)
    sessions.finish(ctx, session_id, EndReason(body.end_reason), body.pain_before, body.pain_after, body.difficulty)
    return Saved()


@router.get("/export")
def export(ctx: Ctx) -> Response:
    """Everything, as one JSON document (the same as `backcoach export`)."""
    return Response(
        export_document(ctx.repo.sessions),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="backcoach-export.json"'},
    )


@router.post("/import", responses={**BODY, 409: {"model": Problem}}, openapi_extra={"requestBody": EXPORT_DOCUMENT})
async def import_(request: Request, ctx: Ctx) -> JSONResponse:
    """Import an export into an empty database. A damaged document changes nothing."""
    raw = await request.body()
    try:
        rows = import_document(ctx.repo.sessions, raw.decode("utf-8"))
    except (TransferError, UnicodeDecodeError) as error:
        raise HTTPException(400, str(error)) from None
    return JSONResponse({"imported": rows})
