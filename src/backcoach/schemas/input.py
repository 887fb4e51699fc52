"""What the web API takes: strict request bodies, with the same fields and limits as the core."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

from backcoach.core.exercise import Condition
from backcoach.core.pain_stop import PainKind, PainPlace
from backcoach.core.profile import MAX_MINUTES, MAX_SESSIONS_PER_DAY, MIN_MINUTES, RED_FLAGS_SCHEMA, Profile
from backcoach.core.psfs import HIGHEST, LOWEST, MAX_NAME
from backcoach.core.rules import Difficulty, EndReason

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

    red_flags: dict[str, StrictBool | Literal["unsure"]] = Field(json_schema_extra=RED_FLAGS_SCHEMA)
    conditions: list[Condition] = Field(description=Profile.model_fields["conditions"].description)
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
    place: PainPlace = PainPlace.not_asked  # without it: not in the legs, as the phone's one-tap report says


class StartBody(Strict):
    resume: StrictBool = True
    pain_before: StrictInt | None = Field(default=None, ge=0, le=10)  # kept with the session from the start


class OutcomeBody(Strict):
    """An exercise is over in the player: done, or skipped. Its dose is the session's own."""

    exercise_id: str = Field(min_length=1, max_length=80)
    status: Literal["done", "skipped"]


class PainStopBody(Strict):
    exercise_id: str = Field(min_length=1, max_length=80)
    pain: PainBody
    between: StrictBool = False  # it hurt in the rest between exercises: nothing is blamed


class ChoiceBody(Strict):
    option_id: str = Field(min_length=1, max_length=120)


class FinishBody(Strict):
    end_reason: EndReason
    pain_before: StrictInt | None = Field(default=None, ge=0, le=10)
    pain_after: StrictInt | None = Field(default=None, ge=0, le=10)
    difficulty: Difficulty | None = None


class RescreenBody(Strict):
    """The warning-sign questions answered again: every question, true, false or "unsure" (and the
    neck ones all or none: a client asks them when the person's regions include the neck)."""

    answers: dict[str, StrictBool | Literal["unsure"]] = Field(json_schema_extra=RED_FLAGS_SCHEMA)


class LogBody(Strict):
    """A session done from paper: how it went, what was skipped, and any pain stops."""

    pain_before: StrictInt = Field(ge=0, le=10)
    pain_after: StrictInt = Field(ge=0, le=10)
    difficulty: Difficulty = Difficulty.right
    skipped: list[str] = Field(default_factory=list, max_length=20)
    pain_stops: dict[str, PainBody] = Field(default_factory=dict, max_length=20)


class ClearanceBody(Strict):
    """A doctor or physiotherapist checked the person: after a warning sign, or (with
    `exercise_id`) about an exercise paused because it hurt."""

    cleared_by: str = Field(min_length=1, max_length=200)
    cleared_on: date = Field(strict=False)  # an ISO date string, as JSON carries it
    exercise_id: str | None = Field(default=None, min_length=1, max_length=100)


class ActivityBody(Strict):
    """A new activity for the functional scale, with how well the person can do it now."""

    name: str = Field(min_length=1, max_length=MAX_NAME)
    score: StrictInt = Field(ge=LOWEST, le=HIGHEST)


class RatingBody(Strict):
    """One activity rated again, from 0 (cannot do it) to 10 (as well as before the problem)."""

    score: StrictInt = Field(ge=LOWEST, le=HIGHEST)
