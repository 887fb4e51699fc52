"""A program becomes a list of steps a player can run, one instruction at a time.

Steps are plain data: what to do, a short cue to say aloud, and how long it should take.
The durations come from `timing`, so the steps of a session add up to the planned time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from backcoach.core.exercise import Kind
from backcoach.core.planner import Plan, PlannedExercise
from backcoach.core.timing import (
    BETWEEN_EXERCISES,
    GET_INTO_POSITION,
    MOVE_INTO_AND_OUT,
    REP,
    SWITCH_SIDES,
    hold_time,
    rest_between_sets,
)


class StepKind(StrEnum):
    position = "position"  # get into the start position; waits for the person
    hold = "hold"  # hold a position: a countdown (seconds or breaths)
    relax = "relax"  # come out of a hold before the next one
    reps = "reps"  # a counted set of repetitions
    switch_side = "switch_side"
    rest = "rest"


@dataclass(frozen=True)
class Step:
    kind: StepKind
    exercise_id: str
    exercise_name: str
    cue: str
    seconds: int
    side: str | None = None
    set_number: int = 1
    sets: int = 1
    rep: int | None = None
    reps: int | None = None
    breaths: int | None = None
    rep_seconds: int | None = None
    details: tuple[str, ...] = field(default=())
    between: bool = False  # the rest between two exercises: it carries the next exercise's id

    @property
    def timed(self) -> bool:
        """A countdown runs by itself; other steps wait for the person (or count reps)."""
        return self.kind in {StepKind.hold, StepKind.relax, StepKind.rest, StepKind.switch_side}


def _hold_words(planned: PlannedExercise) -> str:
    dose = planned.dose
    if dose.hold_breaths:
        amount = "1 deep breath" if dose.hold_breaths == 1 else f"{dose.hold_breaths} slow breaths"
    else:
        amount = f"{dose.hold_seconds} seconds"
    verb = "Tighten gently" if Kind.strengthen in planned.exercise.kind else "Ease into the stretch"
    return f"{verb} and hold for {amount}."


def _sides(planned: PlannedExercise) -> list[str | None]:
    return ["left", "right"] if planned.dose.sides == "each" else [None]


def exercise_steps(planned: PlannedExercise) -> list[Step]:
    ex, dose = planned.exercise, planned.dose
    first = Step(
        StepKind.position,
        ex.id,
        ex.name,
        cue=f"{ex.name}. {ex.start[0]}",
        seconds=GET_INTO_POSITION,
        details=(*ex.start, *ex.action),
    )
    steps = [first]
    held = hold_time(dose)
    sets, reps = dose.set_count, dose.rep_count
    sides = _sides(planned)
    for set_number in range(1, sets + 1):
        for side_index, side in enumerate(sides):
            this = replace(first, side=side, set_number=set_number, sets=sets, reps=reps, details=())
            side_words = f"{side.capitalize()} side. " if side else ""
            if held:
                for rep in range(1, reps + 1):
                    steps.append(
                        replace(
                            this,
                            kind=StepKind.hold,
                            cue=f"{side_words}{_hold_words(planned)}",
                            seconds=held,
                            rep=rep,
                            breaths=dose.hold_breaths,
                        )
                    )
                    steps.append(
                        replace(
                            this,
                            kind=StepKind.relax,
                            cue="Relax and come back to the start.",
                            seconds=MOVE_INTO_AND_OUT,
                            rep=rep,
                        )
                    )
            else:
                pace = REP[ex.pace]
                turn = ", sides in turn" if dose.sides == "alternate" else ""
                slow = "slow " if ex.pace == "slow" else ""
                steps.append(
                    replace(
                        this,
                        kind=StepKind.reps,
                        cue=f"{side_words}Do {reps} {slow}repeats{turn}.",
                        seconds=pace * reps,
                        rep_seconds=pace,
                    )
                )
            if side_index < len(sides) - 1:
                steps.append(replace(this, kind=StepKind.switch_side, cue="Switch sides.", seconds=SWITCH_SIDES))
        if set_number < sets:
            steps.append(
                replace(
                    first,
                    kind=StepKind.rest,
                    cue=f"Rest. Set {set_number + 1} of {sets} comes next.",
                    seconds=rest_between_sets(dose),
                    set_number=set_number,
                    sets=sets,
                    details=(),
                )
            )
    return steps


def is_due(planned: PlannedExercise, day_index: int, session_of_day: int) -> bool:
    """Whether an exercise belongs in this session, given how often its dose says to do it.

    `day_index` counts days since the program started; `session_of_day` counts from 0.
    """
    dose = planned.dose
    # No source number for times a day means once a day: more would go beyond the sources.
    if session_of_day >= (dose.times_per_day or 1):
        return False
    if dose.times_per_week is not None and dose.times_per_week < 7:
        spread = {(i * 7) // dose.times_per_week for i in range(dose.times_per_week)}
        return day_index % 7 in spread
    return True


def session_exercises(plan: Plan, day_index: int = 0, session_of_day: int = 0) -> list[PlannedExercise]:
    return [p for p in plan.exercises if is_due(p, day_index, session_of_day)]


def session_steps(exercises: Iterable[PlannedExercise]) -> list[Step]:
    steps: list[Step] = []
    for planned in exercises:
        if steps:
            steps.append(
                Step(
                    StepKind.rest,
                    planned.id,
                    planned.exercise.name,
                    cue=f"Rest. Next: {planned.exercise.name}.",
                    seconds=BETWEEN_EXERCISES,
                    between=True,
                )
            )
        steps.extend(exercise_steps(planned))
    return steps


def total_seconds(steps: Iterable[Step]) -> int:
    return sum(step.seconds for step in steps)
