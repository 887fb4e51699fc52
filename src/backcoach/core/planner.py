"""From a profile to a program: a few exercises, gentle ones first, that fit the time given.

The planner is deterministic and explains itself: every chosen exercise carries one sentence
saying why, and every exercise left out says why too. Its rules, and their sources:

- No program at all unless the safety screen is clear (NICE NG59; see `screening`).
- Never an exercise the person said they cannot do (`profile.ruled_out_because`).
- Stretching and mobilising before strengthening: 004_7cab17a5ac68f44c.txt advises stretches
  first, then back exercises; 000_c93f4b904139ebfa.txt says the best routine mixes both.
- Doses start from each exercise's conservative default, always inside its sources' ranges.
- At pain 7 or more, strengthening waits: the Medbridge Pathways monitoring treats 7 as
  critical, and 000_c93f4b904139ebfa.txt says to start slow and easy.
- Walking, cycling and water activity are suggested alongside, as 002_17edfd41803de707.txt does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from backcoach.core.catalogue import Catalogue
from backcoach.core.exercise import Exercise, Region
from backcoach.core.profile import Goal, Profile, adaptations, neck_due, ruled_out_because
from backcoach.core.program_shape import MAX_EXERCISES, MIN_EXERCISES, Shape, shape_for
from backcoach.core.rules import CRITICAL_PAIN, is_strengthening
from backcoach.core.screening import ScreenResult, Urgency, screen
from backcoach.core.sources import SEEDS
from backcoach.core.timing import BETWEEN_EXERCISES, Dose, exercise_seconds

REGION_WORDS = {
    Region.neck: "neck",
    Region.upper_back: "upper back",
    Region.middle_back: "middle back",
    Region.lower_back: "lower back",
    Region.hips: "hips",
}


@dataclass(frozen=True)
class PlannedExercise:
    exercise: Exercise
    dose: Dose
    seconds: int
    why: str

    @property
    def id(self) -> str:
        return self.exercise.id


@dataclass(frozen=True)
class LeftOut:
    id: str
    why: str
    code: str = ""  # why, as a reason code: cannot_do, high_pain, other_area, max_exercises, no_time, crowds_out


@dataclass(frozen=True)
class Explanation:
    """Why a program version looks as it does, stored with it. `reason_code` is one of:
    first_program, profile_changed, warning_sign, nothing_fits, review, cleared (a professional's check),
    prescribed (a physiotherapist's program, `services/prescribing`)."""

    reason_code: str
    message: str
    left_out: tuple[LeftOut, ...] = ()
    activity: tuple[LeftOut, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    status: Urgency
    message: str
    exercises: tuple[PlannedExercise, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    activity: tuple[LeftOut, ...] = ()  # suggested aerobic activity, each with its reason
    notes: tuple[str, ...] = field(default=())

    @property
    def seconds(self) -> int:
        if not self.exercises:
            return 0
        return sum(p.seconds for p in self.exercises) + BETWEEN_EXERCISES * (len(self.exercises) - 1)

    @property
    def minutes(self) -> float:
        return round(self.seconds / 60, 1)


def starting_dose(exercise: Exercise, sessions_per_day: int) -> Dose:
    """The low end of each default range. Times a day follows the person's choice, kept
    inside the range the sources give; with no source number, once a day."""
    default = exercise.default_dose

    def low(pair: tuple[int, int] | None) -> int | None:
        return None if pair is None else pair[0]

    limit = exercise.dose_limits()["times_per_day"]
    times_per_day = None
    if limit is not None and default.times_per_day is not None:
        times_per_day = max(default.times_per_day[0], min(sessions_per_day, limit[1]))
    return Dose(
        hold_seconds=low(default.hold_seconds),
        hold_breaths=low(default.hold_breaths),
        reps=low(default.reps),
        sets=low(default.sets),
        rest_seconds=default.rest_seconds[1] if default.rest_seconds else None,  # more rest is gentler
        times_per_day=times_per_day,
        times_per_week=low(default.times_per_week),
        sides=default.sides,
    )


def _rank(exercise: Exercise, wanted: list[Region]) -> tuple[int, int, str]:
    """Higher is better: more of the person's regions served, then more sources agreeing."""
    served = sum(1 for r in wanted if r in exercise.regions)
    return (-served, -len(exercise.sources), exercise.id)


def _why_chosen(exercise: Exercise, wanted: list[Region]) -> str:
    """What the exercise works, in the catalogue's own words (`Exercise.works`, taken from the
    seeds' descriptions), then which of the person's areas it helps. Saying what it works,
    rather than "strengthens your lower back", keeps the curl-up a tummy exercise."""
    served = [REGION_WORDS[r] for r in wanted if r in exercise.regions]
    count = len(exercise.sources)
    backing = "one of our sources recommends it" if count == 1 else f"{count} of our sources recommend it"
    if not served:
        return f"It {exercise.works}. It helps your back in general, and {backing}; it fills out a short program."
    return f"It {exercise.works}. That helps your {' and '.join(served)}, and {backing}."


def _order(chosen: list[PlannedExercise]) -> list[PlannedExercise]:
    return sorted(chosen, key=lambda p: is_strengthening(p.exercise))


def plan_program(
    profile: Profile,
    catalogue: Catalogue,
    unavailable: Mapping[str, str] | None = None,
    screened: ScreenResult | None = None,
) -> Plan:
    """`unavailable` maps exercises that may not be offered (paused because they hurt) to why.
    `screened` is the screen as the application layer judged it, with what it remembers (a
    sign not yet cleared, a clearance); by default, the profile's own answers decide."""
    # The neck questions are due, and decide too, when the neck is one of the regions.
    result = screened if screened is not None else screen(profile.red_flags, neck_due(profile))
    if not result.is_clear:
        return Plan(result.status, result.message)
    wanted = list(profile.regions)
    shape = shape_for(profile)
    paused = unavailable or {}
    left_out: list[LeftOut] = []
    candidates: list[Exercise] = []
    elsewhere: list[Exercise] = []  # safe for this person, but aimed at other areas
    for exercise in catalogue:
        if exercise.is_aerobic:
            continue
        reason = ruled_out_because(profile, exercise)
        if exercise.id in paused:
            left_out.append(LeftOut(exercise.id, paused[exercise.id], "paused"))
        elif reason is None and shape.max_strengthening == 0 and is_strengthening(exercise):
            left_out.append(
                LeftOut(
                    exercise.id,
                    f"Strengthening waits until your pain is below {CRITICAL_PAIN} out of 10; gentle stretches "
                    "come first.",
                    "high_pain",
                )
            )
        elif reason is None and not any(r in exercise.regions for r in wanted):
            elsewhere.append(exercise)
        elif reason is None:
            candidates.append(exercise)
        else:
            left_out.append(LeftOut(exercise.id, reason, "cannot_do"))

    limit = shape.max_exercises
    chosen = _choose(_interleave(candidates, wanted, shape, left_out), profile, wanted, [], left_out, limit)
    if len(chosen) < MIN_EXERCISES:
        # Too few for the painful areas: fill out with safe exercises for the back in general.
        taken = sum(1 for p in chosen if is_strengthening(p.exercise))
        more = _interleave(elsewhere, wanted, shape, left_out, taken)
        chosen = _choose(more, profile, wanted, chosen, left_out, limit)
    else:
        area = " and ".join(REGION_WORDS[r] for r in wanted)
        left_out.extend(LeftOut(e.id, f"It works on other areas than your {area}.", "other_area") for e in elsewhere)

    notes = (*((shape.note,) if shape.note else ()), *_notes(profile, len(chosen)))
    return Plan(
        Urgency.clear,
        result.message,
        tuple(_order(chosen)),
        tuple(sorted(left_out, key=lambda x: x.id)),
        _activity(profile, catalogue),
        notes,
    )


def _interleave(
    exercises: list[Exercise], wanted: list[Region], shape: Shape, left_out: list[LeftOut], taken: int = 0
) -> list[Exercise]:
    """Gentle and strengthening exercises in turn (`program_shape` says how many of each), so a
    short session still mixes both as the sources advise."""
    gentle = sorted((e for e in exercises if not is_strengthening(e)), key=lambda e: _rank(e, wanted))
    strong = sorted((e for e in exercises if is_strengthening(e)), key=lambda e: _rank(e, wanted))
    if shape.max_strengthening is not None:
        room = max(0, shape.max_strengthening - taken)
        why = "With your pain today, the program starts with fewer strengthening exercises."
        left_out.extend(LeftOut(e.id, why, "high_pain") for e in strong[room:])
        del strong[room:]
    queue: list[Exercise] = []
    while gentle or strong:
        for pool, take in ((gentle, shape.gentle_per_strengthening), (strong, 1)):
            queue.extend(pool[:take])
            del pool[:take]
    return queue


def _program_seconds(chosen: list[PlannedExercise]) -> int:
    return sum(p.seconds for p in chosen) + BETWEEN_EXERCISES * max(0, len(chosen) - 1)


def _choose(
    queue: list[Exercise],
    profile: Profile,
    wanted: list[Region],
    chosen: list[PlannedExercise],
    left_out: list[LeftOut],
    limit: int = MAX_EXERCISES,
) -> list[PlannedExercise]:
    """Add exercises from the queue while they fit, up to `limit`; explain each one that does not."""
    budget = profile.minutes_per_session * 60
    chosen = list(chosen)
    timed = [(e, starting_dose(e, profile.sessions_per_day)) for e in queue]
    seconds_of = {e.id: exercise_seconds(d, e.pace) for e, d in timed}
    for index, (exercise, dose) in enumerate(timed):
        seconds = seconds_of[exercise.id]
        used = _program_seconds(chosen)
        extra = seconds + (BETWEEN_EXERCISES if chosen else 0)
        # Keep room for enough other exercises to reach the minimum, if the time allows it.
        still_needed = max(0, MIN_EXERCISES - len(chosen) - 1)
        others = sorted(seconds_of[e.id] + BETWEEN_EXERCISES for e, _ in timed[index + 1 :])[:still_needed]
        if len(chosen) >= limit:
            why = (
                f"The program already has {limit} exercises."
                if limit == MAX_EXERCISES
                else f"Your pain is high today, so the program keeps to {limit} gentle movements."
            )
            left_out.append(LeftOut(exercise.id, why, "max_exercises" if limit == MAX_EXERCISES else "high_pain"))
        elif used + extra > budget:
            left_out.append(
                LeftOut(exercise.id, f"It would not fit in your {profile.minutes_per_session} minutes.", "no_time")
            )
        elif len(others) == still_needed and used + extra + sum(others) > budget:
            minutes = round(seconds / 60)
            left_out.append(
                LeftOut(
                    exercise.id,
                    f"It takes about {minutes} minutes, which would leave too little time for other exercises.",
                    "crowds_out",
                )
            )
        else:
            # A change the person's conditions need goes with the reason, so every face shows it.
            why = " ".join([_why_chosen(exercise, wanted), *(str(p.how) for p in adaptations(profile, exercise))])
            chosen.append(PlannedExercise(exercise, dose, seconds, why))
    return chosen


def _notes(profile: Profile, count: int) -> tuple[str, ...]:
    notes = []  # the note on pain today comes from `program_shape`
    if count < MIN_EXERCISES:
        notes.append(
            f"Only {count} exercise(s) suit what you told us. A physiotherapist can suggest others that fit you."
        )
    if profile.goal is Goal.prevention:
        notes.append("Keep going even when your back feels fine: that is how these exercises help prevent pain.")
    # The human title, never the file name: people read this note.
    notes.append(f"Results take a few weeks of regular practice ({SEEDS['004_7cab17a5ac68f44c.txt'].title}).")
    return tuple(notes)


def _activity(profile: Profile, catalogue: Catalogue) -> tuple[LeftOut, ...]:
    suggestions = []
    for exercise in catalogue:
        if not exercise.is_aerobic:
            continue
        if ruled_out_because(profile, exercise) is not None:
            continue
        suggestions.append(
            LeftOut(
                exercise.id,
                f"{exercise.name} is good alongside your routine, as one of our sources suggests "
                f"({SEEDS[exercise.sources[0]].title}). Build up slowly towards the World Health "
                "Organization's aim of 150 minutes of activity a week.",
                "activity",
            )
        )
    return tuple(suggestions)
