"""What a person tells us: warning-sign answers, where it hurts, what they can do, time and goal."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from backcoach.core.exercise import Exercise, Region
from backcoach.core.screening import QUESTION_IDS, MissingAnswers, screen

# Limits of what the planner is built for; not clinical numbers.
MIN_MINUTES = 5
MAX_MINUTES = 60
MAX_SESSIONS_PER_DAY = 3


class Goal(StrEnum):
    relief = "relief"
    prevention = "prevention"


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Every question, and no other, must be answered: the schema says so too, for API clients.
    red_flags: dict[str, bool] = Field(
        json_schema_extra={
            "properties": {q: {"type": "boolean"} for q in QUESTION_IDS},
            "required": list(QUESTION_IDS),
            "additionalProperties": False,
        }
    )
    regions: list[Region] = Field(min_length=1)
    pain_now: int = Field(ge=0, le=10)
    can_floor: bool
    can_kneel: bool
    can_lie_on_front: bool
    can_stand_unsupported: bool
    minutes_per_session: int = Field(ge=MIN_MINUTES, le=MAX_MINUTES)
    sessions_per_day: int = Field(ge=1, le=MAX_SESSIONS_PER_DAY)
    goal: Goal

    @field_validator("red_flags")
    @classmethod
    def _every_question_answered(cls, answers: dict[str, bool], info: ValidationInfo) -> dict[str, bool]:
        if info.context and info.context.get("stored"):
            return answers  # read as it was stored: the questions may have changed since
        try:
            screen(answers)
        except MissingAnswers as error:
            raise ValueError(f"{error} (questions: {', '.join(QUESTION_IDS)})") from None
        return answers

    @field_validator("regions")
    @classmethod
    def _no_repeats(cls, regions: list[Region]) -> list[Region]:
        return list(dict.fromkeys(regions))


def ruled_out_because(profile: Profile, exercise: Exercise) -> str | None:
    """Why the person cannot do this exercise, in their terms, or None if they can."""
    if exercise.needs_floor and not profile.can_floor:
        return "You said getting down to the floor and up again is hard; this one is done on the floor."
    if exercise.needs_kneeling and not profile.can_kneel:
        return "You said kneeling is hard; this one is done on your hands and knees."
    if exercise.needs_lying_on_front and not profile.can_lie_on_front:
        return "You said lying on your front is hard; this one starts on your front."
    if exercise.needs_standing and not profile.can_stand_unsupported:
        return "You said standing without support is hard; this one is done standing."
    return None
