"""What a person tells us: warning-sign answers, where it hurts, health conditions, what they can
do, time and goal."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from backcoach.core.exercise import Condition, Exercise, Precaution, PrecautionEffect, Region
from backcoach.core.screening import ALL_QUESTION_IDS, NECK_QUESTION_IDS, QUESTION_IDS, MissingAnswers

# Limits of what the planner is built for; not clinical numbers.
MIN_MINUTES = 5
MAX_MINUTES = 60
MAX_SESSIONS_PER_DAY = 3

# A condition in the person's own terms, for the reasons the planner gives.
CONDITION_WORDS = {
    Condition.osteoporosis: "you have thin bones (osteoporosis)",
    Condition.hip_replacement: "you have had a hip replacement",
    Condition.pregnancy: "you are pregnant",
}

ANSWER_SCHEMA: dict[str, Any] = {"enum": [True, False, "unsure"]}
# Every question, and no other, must be answered; the neck ones only when the neck is a region.
RED_FLAGS_SCHEMA: dict[str, Any] = {
    "properties": {q: ANSWER_SCHEMA for q in ALL_QUESTION_IDS},
    "required": list(QUESTION_IDS),
    "additionalProperties": False,
    "description": 'Each warning-sign question id mapped to true, false or "unsure". The neck questions ('
    + ", ".join(NECK_QUESTION_IDS)
    + ") are all answered or none is; they are required when `regions` holds `neck` (the screen refuses a "
    + "neck profile without them), and they count whenever they are given.",
}


class Goal(StrEnum):
    relief = "relief"
    prevention = "prevention"


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # `regions` comes first: the warning-sign check reads it to know if the neck questions are due.
    regions: list[Region] = Field(min_length=1)
    red_flags: dict[str, bool | Literal["unsure"]] = Field(json_schema_extra=RED_FLAGS_SCHEMA)
    conditions: list[Condition] = Field(
        description="Known osteoporosis, a hip replacement, pregnancy; [] for none of these."
    )
    pain_now: int = Field(ge=0, le=10)
    can_floor: bool
    can_kneel: bool
    can_lie_on_front: bool
    can_stand_unsupported: bool
    minutes_per_session: int = Field(ge=MIN_MINUTES, le=MAX_MINUTES)
    sessions_per_day: int = Field(ge=1, le=MAX_SESSIONS_PER_DAY)
    goal: Goal

    @model_validator(mode="before")
    @classmethod
    def _stored_before_conditions(cls, data: Any, info: ValidationInfo) -> Any:
        # Profiles stored before conditions were asked read as "none of these".
        if info.context and info.context.get("stored") and isinstance(data, dict) and "conditions" not in data:
            return {**data, "conditions": []}
        return data

    @field_validator("red_flags")
    @classmethod
    def _every_question_answered(
        cls, answers: dict[str, bool | Literal["unsure"]], info: ValidationInfo
    ) -> dict[str, bool | Literal["unsure"]]:
        if info.context and info.context.get("stored"):
            return answers  # read as it was stored: the questions may have changed since
        # Every back question, and no unknown one: what the JSON schema says too. Whether the neck
        # questions are due (the neck is a region) and answered all or none is the screen's to say
        # (`neck_due`), in one sentence, so a client learns it like any other refusal.
        missing = [q for q in QUESTION_IDS if q not in answers]
        unknown = sorted(k for k in answers if k not in ALL_QUESTION_IDS)
        try:
            if missing or unknown:
                raise MissingAnswers(missing, unknown, [], [])
        except MissingAnswers as error:
            raise ValueError(f"{error} (questions: {', '.join(QUESTION_IDS)})") from None
        return answers

    @field_validator("regions")
    @classmethod
    def _no_repeats(cls, regions: list[Region]) -> list[Region]:
        return list(dict.fromkeys(regions))

    @field_validator("conditions")
    @classmethod
    def _no_repeated_conditions(cls, conditions: list[Condition]) -> list[Condition]:
        return list(dict.fromkeys(conditions))


def neck_due(profile: Profile) -> bool | None:
    """For `screen`: the neck questions are required when the neck is a region (True); otherwise
    they are welcome but not needed (None), and count if given: a "yes" is never ignored."""
    return True if Region.neck in profile.regions else None


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
    if Region.neck in exercise.regions and not all(q in profile.red_flags for q in NECK_QUESTION_IDS):
        # PRODUCT.md, after NICE CKS neck pain and IFOMPT 2020: ask the neck warning signs before neck exercise.
        return "It moves your neck, and the neck safety questions were not asked: pick your neck as a place that hurts."
    for precaution in _precautions(profile, exercise, PrecautionEffect.avoid):
        return f"You told us {CONDITION_WORDS[precaution.condition]}. {precaution.why}"
    return None


def adaptations(profile: Profile, exercise: Exercise) -> list[Precaution]:
    """The changes this exercise needs for the person's conditions (each says `how`)."""
    return _precautions(profile, exercise, PrecautionEffect.adapt)


def conditions_of(profile: Profile) -> set[Condition]:
    """The conditions ticked, and osteoporosis too when "thin bones" was answered yes or "not sure"
    at the warning signs: the precautions for it must not depend on which question said so."""
    conditions = set(profile.conditions)
    if profile.red_flags.get("thin_bones") in (True, "unsure"):
        conditions.add(Condition.osteoporosis)
    return conditions


def _precautions(profile: Profile, exercise: Exercise, effect: PrecautionEffect) -> list[Precaution]:
    have = conditions_of(profile)
    return [p for p in exercise.precautions if p.effect is effect and p.condition in have]
