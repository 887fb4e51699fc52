"""A physiotherapist's prescription: the exercises and doses they chose, checked, and the limits it
sets on the weekly review.

Pure rules, no I/O. The application layer (`services/prescribing.py`) reads the patient's record
and asks these. Two kinds of check:

- **Input** (`dose_problems`): every number is one the exercise's dose model has (its default dose
  names the fields it runs with), a whole number from its floor (`exercise.AT_LEAST_ONE`). A dose
  outside what the exercise's sources give (`Exercise.dose_limits`) needs a written reason, kept
  with the version and shown to the patient. The app's own bounds still hold: a session no longer
  than the longest the app plans (`profile.MAX_MINUTES`), no more times a day than a person may
  choose (`profile.MAX_SESSIONS_PER_DAY`), at most 7 days a week.
- **Safety** (`refusals`): never an exercise the patient said they cannot do
  (`profile.ruled_out_because`), never one paused because it hurt and not cleared. A standing
  warning sign refuses any program at all; the application layer checks that first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from enum import StrEnum

from backcoach.core.catalogue import Catalogue
from backcoach.core.exercise import AT_LEAST_ONE, NUMBER_FIELDS, Exercise
from backcoach.core.profile import MAX_MINUTES, MAX_SESSIONS_PER_DAY, Profile, ruled_out_because
from backcoach.core.timing import Dose, exercise_seconds, session_seconds

DAYS_A_WEEK = 7
REASON_LENGTH = 400  # characters: a sentence or two, as a form field holds
FIELD_WORDS = {
    "hold_seconds": "hold (seconds)",
    "hold_breaths": "hold (breaths)",
    "reps": "repeats",
    "sets": "sets",
    "rest_seconds": "rest (seconds)",
    "times_per_day": "times a day",
    "times_per_week": "days a week",
    "sides": "sides",
}


class ReviewMode(StrEnum):
    """What the weekly review may do to a prescribed program. In every mode the review's safety
    rules still apply: a pain stop pauses, rising or critical pain steps down or pauses, sessions
    that mostly felt hard step down. Safety beats the setting."""

    ceiling = "ceiling"  # it may lower doses and raise them again, never above what was prescribed
    sources = "sources"  # it works as for anyone: growth inside the sources' ranges, harder variants
    off = "off"  # it never raises anything and adds nothing; it only makes things easier or pauses


REVIEW_WORDS = {
    ReviewMode.ceiling: "The weekly review may make doses easier, and bring them back up, never above these.",
    ReviewMode.sources: "The weekly review grows doses as for anyone, inside the sources' ranges.",
    ReviewMode.off: "The weekly review changes nothing, except to make things easier or pause when pain says so.",
}


@dataclass(frozen=True)
class Row:
    """One exercise of a prescription: its dose, and the physiotherapist's reason for a dose
    outside the sources' ranges ("" when none is needed)."""

    exercise_id: str
    dose: Dose
    reason: str = ""


@dataclass(frozen=True)
class ReviewLimits:
    """What a prescription in force lets the weekly review do: its mode, and the prescribed doses
    (the ceiling in `ReviewMode.ceiling`)."""

    mode: ReviewMode
    ceiling: Mapping[str, Dose]

    @property
    def may_grow(self) -> bool:
        return self.mode is not ReviewMode.off

    @property
    def may_swap_harder(self) -> bool:
        return self.mode is ReviewMode.sources

    def allows(self, exercise_id: str, dose: Dose) -> bool:
        """Whether the review may set this dose: in ceiling mode, no number above the prescribed one
        (an exercise not prescribed, such as an easier swap, has no room to grow)."""
        if self.mode is ReviewMode.off:
            return False
        if self.mode is ReviewMode.sources:
            return True
        top = self.ceiling.get(exercise_id)
        return top is not None and within(dose, top)


def within(dose: Dose, top: Dose) -> bool:
    """No number of `dose` above the same number of `top`."""
    for name in NUMBER_FIELDS:
        value, limit = getattr(dose, name), getattr(top, name)
        if value is not None and (limit is None or value > limit):
            return False
    return True


def dose_fields(exercise: Exercise) -> tuple[str, ...]:
    """The numbers this exercise runs with, as its default dose names them (and sides, if it has sides)."""
    numbers = tuple(n for n, pair in exercise.default_dose.numbers().items() if pair is not None)
    return numbers + (("sides",) if exercise.default_dose.sides is not None else ())


def source_sides(exercise: Exercise) -> set[str]:
    given = [*exercise.dosage, *([exercise.guideline_dose] if exercise.guideline_dose else [])]
    return {s for d in [*given, exercise.default_dose] if (s := d.sides) is not None}


def outside_sources(exercise: Exercise, dose: Dose) -> list[str]:
    """Each number (or sides) of `dose` outside what the exercise's sources give, in words."""
    found = []
    for name, limit in exercise.dose_limits().items():
        value = getattr(dose, name)
        if value is not None and limit is not None and not limit[0] <= value <= limit[1]:
            found.append(f"{FIELD_WORDS[name]} {value} (the sources give {limit[0]} to {limit[1]})")
    if dose.sides is not None and dose.sides not in source_sides(exercise):
        found.append(f"sides '{dose.sides}' (the sources say {' or '.join(sorted(source_sides(exercise)))})")
    return found


def dose_problems(exercise: Exercise, row: Row) -> list[str]:
    """What is wrong with one row's dose as input, in words a clinician reads; [] when it may be saved."""
    name, dose, wanted = exercise.name, row.dose, dose_fields(exercise)
    problems = []
    for field in (f.name for f in fields(Dose)):
        value = getattr(dose, field)
        if field not in wanted:
            if value is not None:
                problems.append(f"{name} has no {FIELD_WORDS[field]}.")
            continue
        if value is None:
            problems.append(f"{name}: give the {FIELD_WORDS[field]}.")
        elif field == "sides":
            if value not in ("each", "alternate"):
                problems.append(f"{name}: sides must be each or alternate.")
        elif value < (1 if field in AT_LEAST_ONE else 0):
            problems.append(f"{name}: {FIELD_WORDS[field]} must be at least {1 if field in AT_LEAST_ONE else 0}.")
    if problems:
        return problems
    if dose.times_per_day is not None and dose.times_per_day > MAX_SESSIONS_PER_DAY:
        problems.append(f"{name}: at most {MAX_SESSIONS_PER_DAY} times a day, as a patient may choose.")
    if dose.times_per_week is not None and dose.times_per_week > DAYS_A_WEEK:
        problems.append(f"{name}: a week has {DAYS_A_WEEK} days.")
    if exercise_seconds(dose, exercise.pace) > MAX_MINUTES * 60:
        problems.append(f"{name}: this dose takes longer than a whole session may ({MAX_MINUTES} minutes).")
    outside = outside_sources(exercise, dose)
    if outside and not row.reason.strip():
        problems.append(f"{name}: {'; '.join(outside)}. Write the reason for a dose outside the sources' range.")
    if len(row.reason) > REASON_LENGTH:
        problems.append(f"{name}: keep the reason under {REASON_LENGTH} characters.")
    return problems


def input_problems(rows: Sequence[Row], catalogue: Catalogue) -> list[str]:
    """Everything wrong with a draft as input: no exercise, an unknown or repeated one, an activity
    (walking, cycling and water are suggested alongside a program, never a step of it), a dose."""
    if not rows:
        return ["Add at least one exercise."]
    problems, seen = [], set()
    for row in rows:
        if row.exercise_id not in catalogue.ids():
            problems.append("One of the exercises is not in the catalogue.")
            continue
        exercise = catalogue.get(row.exercise_id)
        if exercise.is_aerobic:
            problems.append(f"{exercise.name} is an activity to suggest alongside the program, not an exercise in it.")
        elif row.exercise_id in seen:
            problems.append(f"{exercise.name} is in the program twice.")
        else:
            problems += dose_problems(exercise, row)
        seen.add(row.exercise_id)
    if not problems and session_seconds([seconds(catalogue, r) for r in rows]) > MAX_MINUTES * 60:
        problems.append(f"The whole session would take longer than {MAX_MINUTES} minutes, the longest the app plans.")
    return problems


def refusals(rows: Sequence[Row], profile: Profile, catalogue: Catalogue, paused: Mapping[str, str]) -> list[str]:
    """The hard safety rules: each exercise the patient said they cannot do, or paused because it
    hurt and not cleared, with why. Rows naming no catalogue exercise are left to `input_problems`."""
    found = []
    for row in rows:
        if row.exercise_id not in catalogue.ids():
            continue
        exercise = catalogue.get(row.exercise_id)
        if row.exercise_id in paused:
            found.append(f"{exercise.name} is paused because it hurt, and no professional has cleared it yet.")
        elif (why := ruled_out_because(profile, exercise)) is not None:
            found.append(f"{exercise.name}: the patient cannot do it. {why}")
    return found


def seconds(catalogue: Catalogue, row: Row) -> int:
    return exercise_seconds(row.dose, catalogue.get(row.exercise_id).pace)


def moved(rows: Sequence[Row], index: int, step: int) -> list[Row]:
    """The rows with one moved up (step -1) or down (+1); unchanged at either end or out of range."""
    out, other = list(rows), index + step
    if 0 <= index < len(out) and 0 <= other < len(out):
        out[index], out[other] = out[other], out[index]
    return out


def removed(rows: Sequence[Row], index: int) -> list[Row]:
    return [r for i, r in enumerate(rows) if i != index]


def with_dose(row: Row, **numbers: int | str | None) -> Row:
    return replace(row, dose=replace(row.dose, **numbers))  # type: ignore[arg-type]
