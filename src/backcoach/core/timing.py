"""How long a dose takes, for fitting a program into the minutes a person has.

These are estimates of movement time, not doses: no source gives them, and none of them
changes what a person is asked to do. The player lets people move at their own pace
(breaths and "get into position" wait for a tap), so these only plan the session length.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from backcoach.core.exercise import Pace

GET_INTO_POSITION = 15  # seconds to read the cue and settle into the start position
BREATH = 6  # one slow, deep breath in and out
MOVE_INTO_AND_OUT = 4  # moving into a held position and back out of it
REP = {Pace.steady: 3, Pace.slow: 5}  # one repetition without a hold
SWITCH_SIDES = 5
REST_WHEN_SOURCE_GIVES_NONE = 20  # a short "rest until you are ready" between sets
BETWEEN_EXERCISES = 10


@dataclass(frozen=True)
class Dose:
    """One concrete dose: single numbers, ready to run. None means the field does not apply."""

    hold_seconds: int | None = None
    hold_breaths: int | None = None
    reps: int | None = None
    sets: int | None = None
    rest_seconds: int | None = None
    times_per_day: int | None = None
    times_per_week: int | None = None
    sides: str | None = None

    @property
    def side_count(self) -> int:
        return 2 if self.sides == "each" else 1

    @property
    def set_count(self) -> int:
        return self.sets or 1

    @property
    def rep_count(self) -> int:
        return self.reps or 1


def hold_time(dose: Dose) -> int:
    if dose.hold_seconds:
        return dose.hold_seconds
    if dose.hold_breaths:
        return dose.hold_breaths * BREATH
    return 0


def rep_time(dose: Dose, pace: Pace) -> int:
    held = hold_time(dose)
    return held + MOVE_INTO_AND_OUT if held else REP[pace]


def rest_between_sets(dose: Dose) -> int:
    return dose.rest_seconds if dose.rest_seconds is not None else REST_WHEN_SOURCE_GIVES_NONE


def exercise_seconds(dose: Dose, pace: Pace) -> int:
    """Seconds for one exercise at this dose, from getting into position to the last rep."""
    one_set = dose.rep_count * rep_time(dose, pace) * dose.side_count
    if dose.sides == "each" and dose.set_count >= 1:
        one_set += SWITCH_SIDES
    rests = (dose.set_count - 1) * rest_between_sets(dose)
    return GET_INTO_POSITION + one_set * dose.set_count + rests


def session_seconds(exercise_seconds: Sequence[int]) -> int:
    """A whole session: each exercise's seconds, and the pauses between them."""
    return sum(exercise_seconds) + BETWEEN_EXERCISES * max(0, len(exercise_seconds) - 1)
