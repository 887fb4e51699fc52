"""Request and response bodies of the JSON API. Field names match the command line's JSON."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from backcoach.core.pain_stop import OptionKind, PainKind, PainPlace


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DoseBody(Strict):
    hold_seconds: int | None = Field(default=None, ge=1, le=600)
    hold_breaths: int | None = Field(default=None, ge=1, le=60)
    reps: int | None = Field(default=None, ge=1, le=100)
    sets: int | None = Field(default=None, ge=1, le=10)
    rest_seconds: int | None = Field(default=None, ge=0, le=600)
    times_per_day: int | None = Field(default=None, ge=1, le=10)
    times_per_week: int | None = Field(default=None, ge=1, le=7)
    sides: Literal["each", "alternate"] | None = None


class PainBody(Strict):
    kind: PainKind
    score: int = Field(ge=0, le=10)
    place: PainPlace


class StartBody(Strict):
    resume: bool = True


class OutcomeBody(Strict):
    exercise_id: str = Field(min_length=1, max_length=80)
    status: Literal["done", "skipped", "stopped_for_pain"]
    dose: DoseBody
    pain: PainBody | None = None


class PainStopBody(Strict):
    exercise_id: str = Field(min_length=1, max_length=80)
    dose: DoseBody
    pain: PainBody
    between: bool = False  # it hurt in the rest between exercises: nothing is blamed


class ChoiceBody(Strict):
    exercise_id: str = Field(min_length=1, max_length=80)
    dose: DoseBody
    option: OptionKind


class FinishBody(Strict):
    end_reason: Literal["finished", "pain", "quit"]
    pain_before: int | None = Field(default=None, ge=0, le=10)
    pain_after: int | None = Field(default=None, ge=0, le=10)
    difficulty: Literal["easy", "right", "hard"] | None = None


class Problem(BaseModel):
    detail: str


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
