"""One step up or down a dose, only ever to a number a source states.

A growth step changes one field, to the next value a source (a seed, or the named guideline
an exercise cites) gives for it, and every field that has grown beyond the starting dose must
come from one and the same source: one article's long holds are never paired with another's
extra sets or times a day. Times a day grow last, and never past what the person chose.
"""

from __future__ import annotations

from dataclasses import replace

from backcoach.core.exercise import DoseNumbers, Exercise
from backcoach.core.timing import Dose

# The order a dose grows in: more repeats first, then longer holds, then more sets, then more often.
GROW_ORDER = ("reps", "hold_seconds", "hold_breaths", "sets", "times_per_day")


def source_doses(exercise: Exercise) -> list[DoseNumbers]:
    """Each source's dose as it gives it: the seeds, then the guideline the exercise cites."""
    return [*exercise.dosage, *([exercise.guideline_dose] if exercise.guideline_dose else [])]


def source_values(exercise: Exercise, field: str) -> list[int]:
    """Every value the sources state for a field: the ends of each range they give. Sets also
    take each whole number inside a range, so sets grow one at a time (1, 2, 3), never 1 to 3
    at once: the smallest step there is, and still inside what the source gives."""
    given = [pair for d in source_doses(exercise) if (pair := getattr(d, field)) is not None]
    if field == "sets":
        return sorted({v for low, high in given for v in range(low, high + 1)})
    return sorted({v for pair in given for v in pair})


def grown_fields(start: Dose, dose: Dose) -> list[str]:
    return [
        f
        for f in GROW_ORDER
        if (now := getattr(dose, f)) is not None and (was := getattr(start, f)) is not None and now > was
    ]


def one_source_allows(exercise: Exercise, start: Dose, dose: Dose) -> bool:
    """Whether one source gives every field that has grown beyond the start, at its new value."""
    grown = grown_fields(start, dose)
    if not grown:
        return True
    for given in source_doses(exercise):
        ranges = [getattr(given, f) for f in grown]
        if all(r is not None and r[0] <= getattr(dose, f) <= r[1] for f, r in zip(grown, ranges, strict=True)):
            return True
    return False


def changed_fields(before: Dose, after: Dose) -> list[str]:
    return [f for f in (*GROW_ORDER, "rest_seconds", "times_per_week") if getattr(before, f) != getattr(after, f)]


def grow_one_step(exercise: Exercise, start: Dose, dose: Dose, sessions_per_day: int) -> Dose | None:
    """The smallest step up from `dose`: one field to the next value a source states, keeping
    every grown field within one source; None at the top of what the sources give."""
    for field in GROW_ORDER:
        current = getattr(dose, field)
        if current is None:
            continue
        for value in source_values(exercise, field):
            if value <= current or (field == "times_per_day" and value > sessions_per_day):
                continue
            candidate = replace(dose, **{field: value})  # type: ignore[arg-type]
            if one_source_allows(exercise, start, candidate):
                return candidate
    return None


def step_down(exercise: Exercise, dose: Dose) -> Dose | None:
    """One field, last grown first, down to the next lower value a source states."""
    for field in reversed(GROW_ORDER):
        current = getattr(dose, field)
        if current is None:
            continue
        lower = [v for v in source_values(exercise, field) if v < current]
        if lower:
            return replace(dose, **{field: lower[-1]})  # type: ignore[arg-type]
    return None


def gentlest(exercise: Exercise, dose: Dose) -> Dose:
    """The dose with every field that can shrink at the lowest value a source states."""
    lowest = dose
    while (lower := step_down(exercise, lowest)) is not None:
        lowest = lower
    return lowest
