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

from dataclasses import dataclass, field

from backcoach.core.catalogue import Catalogue
from backcoach.core.exercise import Exercise, Region
from backcoach.core.profile import Goal, Profile, ruled_out_because
from backcoach.core.rules import CRITICAL_PAIN, is_strengthening
from backcoach.core.screening import Urgency, screen
from backcoach.core.timing import BETWEEN_EXERCISES, Dose, exercise_seconds

MIN_EXERCISES = 3
MAX_EXERCISES = 6

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
    first_program, profile_changed, warning_sign, nothing_fits, review."""

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
    served = [REGION_WORDS[r] for r in wanted if r in exercise.regions]
    what = "strengthens" if is_strengthening(exercise) else "gently stretches and loosens"
    count = len(exercise.sources)
    backing = "one of our sources recommends it" if count == 1 else f"{count} of our sources recommend it"
    if not served:
        return f"It {what} your back in general and {backing}; it fills out a short program."
    return f"It {what} your {' and '.join(served)}, and {backing}."


def _order(chosen: list[PlannedExercise]) -> list[PlannedExercise]:
    return sorted(chosen, key=lambda p: is_strengthening(p.exercise))


def plan_program(profile: Profile, catalogue: Catalogue) -> Plan:
    result = screen(profile.red_flags)
    if not result.is_clear:
        return Plan(result.status, result.message)
    wanted = list(profile.regions)
    high_pain = profile.pain_now >= CRITICAL_PAIN
    left_out: list[LeftOut] = []
    candidates: list[Exercise] = []
    elsewhere: list[Exercise] = []  # safe for this person, but aimed at other areas
    for exercise in catalogue:
        if exercise.is_aerobic:
            continue
        reason = ruled_out_because(profile, exercise)
        if reason is None and high_pain and is_strengthening(exercise):
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

    chosen = _choose(_interleave(candidates, wanted), profile, wanted, [], left_out)
    if len(chosen) < MIN_EXERCISES:
        # Too few for the painful areas: fill out with safe exercises for the back in general.
        chosen = _choose(_interleave(elsewhere, wanted), profile, wanted, chosen, left_out)
    else:
        area = " and ".join(REGION_WORDS[r] for r in wanted)
        left_out.extend(LeftOut(e.id, f"It works on other areas than your {area}.", "other_area") for e in elsewhere)

    notes = _notes(profile, len(chosen))
    return Plan(
        Urgency.clear,
        result.message,
        tuple(_order(chosen)),
        tuple(sorted(left_out, key=lambda x: x.id)),
        _activity(profile, catalogue),
        notes,
    )


def _interleave(exercises: list[Exercise], wanted: list[Region]) -> list[Exercise]:
    """Gentle and strengthening exercises in turn, two gentle for each strengthening one,
    so a short session still mixes both as the sources advise."""
    gentle = sorted((e for e in exercises if not is_strengthening(e)), key=lambda e: _rank(e, wanted))
    strong = sorted((e for e in exercises if is_strengthening(e)), key=lambda e: _rank(e, wanted))
    queue: list[Exercise] = []
    while gentle or strong:
        for pool, take in ((gentle, 2), (strong, 1)):
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
) -> list[PlannedExercise]:
    """Add exercises from the queue while they fit; explain each one that does not."""
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
        if len(chosen) >= MAX_EXERCISES:
            left_out.append(
                LeftOut(exercise.id, f"The program already has {MAX_EXERCISES} exercises.", "max_exercises")
            )
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
            chosen.append(PlannedExercise(exercise, dose, seconds, _why_chosen(exercise, wanted)))
    return chosen


def _notes(profile: Profile, count: int) -> tuple[str, ...]:
    notes = []
    if profile.pain_now >= CRITICAL_PAIN:
        notes.append("Your pain is high today, so the program keeps to gentle stretches. Go slowly.")
    if count < MIN_EXERCISES:
        notes.append(
            f"Only {count} exercise(s) suit what you told us. A physiotherapist can suggest others that fit you."
        )
    if profile.goal is Goal.prevention:
        notes.append("Keep going even when your back feels fine: that is how these exercises help prevent pain.")
    notes.append("Results take a few weeks of regular practice (004_7cab17a5ac68f44c.txt).")
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
                f"{exercise.name} is good alongside your routine (002_17edfd41803de707.txt); build up slowly "
                "towards the WHO aim of 150 minutes of activity a week.",
                "activity",
            )
        )
    return tuple(suggestions)
