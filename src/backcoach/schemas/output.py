"""What the app gives out as JSON: the same models for `--json` on the command line and for
the web API's responses (and its OpenAPI document). Each `*_out` function turns a value that a
use case returned into its model."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.pain_stop import OptionKind, PainDecision
from backcoach.core.planner import LeftOut, Plan, PlannedExercise
from backcoach.core.progression import Change, ReviewResult
from backcoach.core.screening import ANSWERS, Question, ScreenResult
from backcoach.core.session_steps import Step
from backcoach.core.sources import ALL_SOURCES
from backcoach.schemas.input import DoseBody
from backcoach.schemas.session_summary import SummaryOut, summary_out

if TYPE_CHECKING:  # storage loads only for commands that need it, so `plan --json` starts at once
    from backcoach.core.catalogue import Catalogue
    from backcoach.services.activities import Activity
    from backcoach.services.clearances import StandingWarning
    from backcoach.services.programs import ProgramView
    from backcoach.services.review import ReviewView
    from backcoach.services.screening import WarningCleared
    from backcoach.services.sessions import Finished, LiveSession
    from backcoach.storage.records import ClearanceRecord, ExerciseClearedRecord, PauseRecord


class Problem(BaseModel):
    detail: str


class FieldProblem(BaseModel):
    """One field the request's own checks refused: where it is and what is wrong."""

    loc: list[str | int]
    msg: str
    type: str


class Invalid(BaseModel):
    """A 422: from the request's checks, a list naming each field; from the app's, one sentence naming it."""

    detail: str | list[FieldProblem]


class Saved(BaseModel):
    saved: bool = True


class QuestionOut(BaseModel):
    id: str
    text: str
    urgency: str | None  # None: it counts only as a part of a pattern of answers
    source: str
    source_title: str  # the guideline's name, to show a person
    counts_alone: bool
    region: str | None  # "neck": asked only when the neck is one of the person's regions
    answers: list[bool | Literal["unsure"]]  # what may be sent back: yes, no, not sure


class StepOut(BaseModel):
    kind: str
    exercise_id: str
    exercise_name: str
    cue: str
    seconds: int
    side: str | None
    set_number: int
    sets: int
    rep: int | None
    reps: int | None
    breaths: int | None
    rep_seconds: int | None
    details: list[str]
    between: bool
    timed: bool


class PlannedOut(BaseModel):
    id: str
    name: str
    dose: DoseBody
    why: str
    seconds: int


class LeftOutOut(BaseModel):
    id: str
    why: str
    code: str


class PlanOut(BaseModel):
    status: str
    message: str
    exercises: list[PlannedOut]
    left_out: list[LeftOutOut]
    activity: list[LeftOutOut]
    minutes: float
    notes: list[str]


class ExplanationOut(BaseModel):
    reason_code: str
    message: str
    left_out: list[LeftOutOut]
    activity: list[LeftOutOut]
    notes: list[str]


class ProgramOut(BaseModel):
    version: int
    reason: str
    created_at: str
    paused: bool
    exercises: list[PlannedOut]
    explanation: ExplanationOut | None


class OptionOut(BaseModel):
    id: str  # what to send back to choose it: unique among this decision's options
    kind: OptionKind
    label: str
    dose: DoseBody | None
    exercise_id: str | None


class DecisionOut(BaseModel):
    action: Literal["end_session", "offer_easier"]
    message: str
    options: list[OptionOut]


class SessionOut(BaseModel):
    session_id: int
    resumed: bool
    stopped_for_pain: bool = False  # a pain stop ended it: go to the check-in, play nothing
    message: str | None = None
    done: list[str]
    planned: int  # exercises in this session in all, counting those already done
    pain_before: int | None = None  # as given when the session started
    advice: list[str] = []  # with pain of 7 or more: why only the gentlest movements are left today
    exercises: list[PlannedOut]
    steps: list[StepOut]
    pending: DecisionOut | None = None  # a pain-stop choice still to make (after a reload, say)
    pending_exercise: str | None = None  # the exercise that choice is about


class ChoiceOut(BaseModel):
    """What to play next for this exercise: its remaining steps, or nothing if it was skipped."""

    exercise: PlannedOut | None
    steps: list[StepOut]


class ChangeOut(BaseModel):
    exercise_id: str
    action: str
    reason: str
    new_exercise_id: str | None
    line: str  # the change in one sentence that names the exercise, as every face shows it


class ReviewOut(BaseModel):
    changed: bool
    new_version: int | None
    changes: list[ChangeOut]
    advice: list[str]


class FinishOut(BaseModel):
    """A session ended. Next: answer the warning-sign questions again if pain rose; any review
    that came due has run."""

    saved: bool = True
    exercises: int
    rescreen_needed: bool
    rescreen_message: str | None
    review: ReviewOut | None
    advice: list[str] = []  # what to do now, when pain rose, was critical or went into the legs
    summary: SummaryOut | None = None  # what was done, minutes, pain before and after, the streak, the week


class ScreenOut(BaseModel):
    status: str  # emergency, same_day, see_doctor or ok
    message: str
    signs: list[str]
    unsure: list[str] = []  # the questions answered "not sure"
    review: ReviewOut | None = None


RESCREEN_MESSAGE = "Your pain went up. Please answer the warning-sign questions again before you go on."


def dose_out(dose: Any) -> DoseBody:
    return DoseBody(**asdict(dose))


def planned_out(p: PlannedExercise) -> PlannedOut:
    return PlannedOut(id=p.id, name=p.exercise.name, dose=dose_out(p.dose), why=p.why, seconds=p.seconds)


def step_out(step: Step) -> StepOut:
    data = asdict(step)
    data["kind"] = step.kind.value
    data["details"] = list(step.details)
    data["timed"] = step.timed
    return StepOut(**data)


def question_out(q: Question) -> QuestionOut:
    return QuestionOut(
        id=q.id,
        text=q.text,
        urgency=None if q.urgency is None else q.urgency.value,
        source=q.source,
        source_title=ALL_SOURCES[q.source].title,
        counts_alone=q.counts_alone,
        region=None if q.region is None else q.region.value,
        answers=list(ANSWERS),
    )


def _left_out(items: tuple[LeftOut, ...]) -> list[LeftOutOut]:
    return [LeftOutOut(id=x.id, why=x.why, code=x.code) for x in items]


def plan_out(plan: Plan) -> PlanOut:
    return PlanOut(
        status=plan.status.value,
        message=plan.message,
        exercises=[planned_out(p) for p in plan.exercises],
        left_out=_left_out(plan.left_out),
        activity=_left_out(plan.activity),
        minutes=plan.minutes,
        notes=list(plan.notes),
    )


def program_out(program: ProgramView) -> ProgramOut:
    e = program.explanation
    explanation = None
    if e is not None:
        explanation = ExplanationOut(
            reason_code=e.reason_code,
            message=e.message,
            left_out=_left_out(e.left_out),
            activity=_left_out(e.activity),
            notes=list(e.notes),
        )
    return ProgramOut(
        version=program.version,
        reason=program.reason,
        created_at=program.created_at.isoformat(),
        paused=program.paused,
        exercises=[planned_out(p) for p in program.exercises],
        explanation=explanation,
    )


def decision_out(decision: PainDecision) -> DecisionOut:
    return DecisionOut(
        action=decision.action.value,
        message=decision.message,
        options=[
            OptionOut(
                id=o.id,
                kind=o.kind,
                label=o.label,
                exercise_id=o.exercise_id,
                dose=dose_out(o.dose) if o.dose else None,
            )
            for o in decision.options
        ],
    )


def session_out(live: LiveSession, message: str | None) -> SessionOut:
    pending = live.awaiting_choice
    return SessionOut(
        session_id=live.session_id,
        resumed=live.resumed,
        stopped_for_pain=live.stopped_for_pain,
        message=message if live.stopped_for_pain else None,
        done=list(live.done_before),
        planned=live.planned_count,
        pain_before=live.pain_before,
        advice=list(live.advice),
        exercises=[planned_out(p) for p in live.exercises],
        steps=[step_out(s) for s in live.steps] if not live.ended else [],
        pending=decision_out(pending) if pending is not None else None,
        pending_exercise=live.current_exercise.id if pending is not None and live.current_exercise else None,
    )


def change_line(change: Change) -> str:
    """ "Knee rolls: Your pain has gone up. We made it a little easier." The name leads, once."""
    name = load_catalogue().get(change.exercise_id).name
    return change.reason if change.reason.startswith(name) else f"{name}: {change.reason}"


def review_result_out(result: ReviewResult, new_version: int | None) -> ReviewOut:
    return ReviewOut(
        changed=result.changed,
        new_version=new_version,
        changes=[
            ChangeOut(
                exercise_id=c.exercise_id,
                action=c.action.value,
                reason=c.reason,
                new_exercise_id=c.new_exercise_id,
                line=change_line(c),
            )
            for c in result.changes
        ],
        advice=list(result.advice),
    )


def review_out(view: ReviewView | None) -> ReviewOut | None:
    return None if view is None else review_result_out(view.result, view.new_version)


def finish_out(finished: Finished) -> FinishOut:
    after = finished.after
    return FinishOut(
        exercises=finished.exercises,
        rescreen_needed=after.rescreen_needed,
        rescreen_message=RESCREEN_MESSAGE if after.rescreen_needed else None,
        review=review_out(after.review),
        advice=list(after.advice),
        summary=summary_out(finished.summary),
    )


def screen_out(result: ScreenResult, review: ReviewView | None = None) -> ScreenOut:
    return ScreenOut(
        status=result.status.value,
        message=result.message,
        signs=list(result.signs),
        unsure=list(result.unsure),
        review=review_out(review),
    )


# What the safety loop remembers ---------------------------------------------------------------


class WarningOut(BaseModel):
    status: str
    message: str
    signs: list[str]
    answered_on: date


class PausedOut(BaseModel):
    exercise_id: str
    name: str
    reason: str
    paused_on: date


class ClearanceOut(BaseModel):
    cleared_by: str
    cleared_on: date
    signs: list[str]


class ExerciseClearedOut(BaseModel):
    exercise_id: str
    name: str
    cleared_by: str
    cleared_on: date


class SafetyOut(BaseModel):
    """A warning sign waiting for a professional's check, exercises paused because they hurt, and
    the checks recorded so far (after warning signs, and on paused exercises)."""

    warning: WarningOut | None
    paused: list[PausedOut]
    clearances: list[ClearanceOut]
    exercises_cleared: list[ExerciseClearedOut] = []


class ClearedOut(BaseModel):
    message: str
    program_version: int | None  # the new version, when the program changed


def exercise_cleared_out(name: str, version: ProgramView | None) -> ClearedOut:
    back = f" It is back in your program (version {version.version})." if version else ""
    return ClearedOut(message=f"{name} may be offered again.{back}", program_version=version and version.version)


def warning_cleared_out(done: WarningCleared, next_step: str) -> ClearedOut:
    """`next_step`: how this face says "answer the other questions" (a page, or `backcoach setup`)."""
    words = f"Saved: {done.clearance.cleared_by} checked you on {done.clearance.cleared_on.isoformat()}."
    if done.plan is None:
        return ClearedOut(message=f"{words} {next_step}", program_version=None)
    if done.version is not None:
        return ClearedOut(message=f"{words} Your program starts again, gently.", program_version=done.version)
    return ClearedOut(message=f"{words} {done.plan.message}", program_version=None)


def safety_out(
    warning: StandingWarning | None,
    paused: list[PauseRecord],
    clearances: list[ClearanceRecord],
    catalogue: Catalogue,
    exercises_cleared: list[ExerciseClearedRecord] | None = None,
) -> SafetyOut:
    def name(exercise_id: str) -> str:
        return catalogue.get(exercise_id).name if exercise_id in catalogue.ids() else exercise_id

    return SafetyOut(
        warning=None
        if warning is None
        else WarningOut(
            status=warning.status.value,
            message=warning.result().message,
            signs=list(warning.signs),
            answered_on=warning.answered_at.date(),
        ),
        paused=[
            PausedOut(
                exercise_id=p.exercise_id, name=name(p.exercise_id), reason=p.reason, paused_on=p.paused_at.date()
            )
            for p in paused
        ],
        clearances=[
            ClearanceOut(cleared_by=c.cleared_by, cleared_on=c.cleared_on, signs=list(c.signs)) for c in clearances
        ],
        exercises_cleared=[
            ExerciseClearedOut(
                exercise_id=e.exercise_id, name=name(e.exercise_id), cleared_by=e.cleared_by, cleared_on=e.cleared_on
            )
            for e in exercises_cleared or []
        ],
    )


# Activities (the Patient-Specific Functional Scale) --------------------------------------------


class RatingOut(BaseModel):
    rated_at: datetime  # in UTC, with its zone: 2026-03-02T08:00:00Z
    rated_on: date  # the person's own calendar day
    score: int


class ActivityOut(BaseModel):
    """An activity with its latest ratings, oldest first (up to a year of weekly ones:
    `services.activities.SHOWN_RATINGS`), how many there are in all, and what the change since the
    first one means. The export holds every rating."""

    id: int
    name: str
    latest: int | None
    ratings: list[RatingOut]
    ratings_count: int  # all of them, shown or not
    change: int | None  # the latest rating minus the first: above 0 is easier to do
    real_change: bool  # at least the scale's real change (3 points on one activity)
    words: str | None  # the change in words, as the pages and `backcoach progress` say it


def activity_out(activity: Activity) -> ActivityOut:
    change = activity.change
    return ActivityOut(
        id=activity.id,
        name=activity.name,
        latest=activity.latest,
        ratings=[
            RatingOut(rated_at=r.rated_at.replace(tzinfo=UTC), rated_on=r.day, score=r.score) for r in activity.ratings
        ],
        ratings_count=activity.count,
        change=None if change is None else change.change,
        real_change=change is not None and change.real,
        words=None if change is None else change.words,
    )
