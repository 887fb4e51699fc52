"""Request and response bodies of the JSON API. Field names match the command line's JSON."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

from backcoach.core.pain_stop import OptionKind, PainKind, PainPlace
from backcoach.core.profile import MAX_MINUTES, MAX_SESSIONS_PER_DAY, MIN_MINUTES, Profile

# The API takes JSON types as its schema gives them, without pydantic's lax coercion: 0 is not false
# and "4" is not 4. JSON Schema's integers include 4.0, though, so that is taken as 4.


def _whole_numbers(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in data.items()}
    return data


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _whole(cls, data: Any) -> Any:
        return _whole_numbers(data)


class ProfileBody(Profile):
    """A profile as the JSON API takes it: the same fields and limits, in JSON types only."""

    red_flags: dict[str, StrictBool] = Field(json_schema_extra=Profile.model_fields["red_flags"].json_schema_extra)
    pain_now: StrictInt = Field(ge=0, le=10)
    can_floor: StrictBool
    can_kneel: StrictBool
    can_lie_on_front: StrictBool
    can_stand_unsupported: StrictBool
    minutes_per_session: StrictInt = Field(ge=MIN_MINUTES, le=MAX_MINUTES)
    sessions_per_day: StrictInt = Field(ge=1, le=MAX_SESSIONS_PER_DAY)

    @model_validator(mode="before")
    @classmethod
    def _whole(cls, data: Any) -> Any:
        return _whole_numbers(data)


class DoseBody(Strict):
    hold_seconds: StrictInt | None = Field(default=None, ge=1, le=600)
    hold_breaths: StrictInt | None = Field(default=None, ge=1, le=60)
    reps: StrictInt | None = Field(default=None, ge=1, le=100)
    sets: StrictInt | None = Field(default=None, ge=1, le=10)
    rest_seconds: StrictInt | None = Field(default=None, ge=0, le=600)
    times_per_day: StrictInt | None = Field(default=None, ge=1, le=10)
    times_per_week: StrictInt | None = Field(default=None, ge=1, le=7)
    sides: Literal["each", "alternate"] | None = None


class PainBody(Strict):
    kind: PainKind
    score: StrictInt = Field(ge=0, le=10)
    place: PainPlace


class StartBody(Strict):
    resume: StrictBool = True


class OutcomeBody(Strict):
    exercise_id: str = Field(min_length=1, max_length=80)
    status: Literal["done", "skipped", "stopped_for_pain"]
    dose: DoseBody
    pain: PainBody | None = None


class PainStopBody(Strict):
    exercise_id: str = Field(min_length=1, max_length=80)
    dose: DoseBody
    pain: PainBody
    between: StrictBool = False  # it hurt in the rest between exercises: nothing is blamed


class ChoiceBody(Strict):
    exercise_id: str = Field(min_length=1, max_length=80)
    dose: DoseBody
    option: OptionKind


class FinishBody(Strict):
    end_reason: Literal["finished", "pain", "quit"]
    pain_before: StrictInt | None = Field(default=None, ge=0, le=10)
    pain_after: StrictInt | None = Field(default=None, ge=0, le=10)
    difficulty: Literal["easy", "right", "hard"] | None = None


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


class SessionOut(BaseModel):
    session_id: int
    resumed: bool
    stopped_for_pain: bool = False  # a pain stop ended it: go to the check-in, play nothing
    message: str | None = None
    done: list[str]
    exercises: list[PlannedOut]
    steps: list[StepOut]


class OptionOut(BaseModel):
    kind: OptionKind
    label: str
    dose: DoseBody | None
    exercise_id: str | None


class DecisionOut(BaseModel):
    action: Literal["end_session", "offer_easier"]
    message: str
    options: list[OptionOut]


class ChoiceOut(BaseModel):
    """What to play next for this exercise: its remaining steps, or nothing if it was skipped."""

    exercise: PlannedOut | None
    steps: list[StepOut]
