"""The weekly review: explicit rules that grow, hold, reduce or pause each exercise.

Every dose it sets is a value one of the exercise's sources states, so a review can never
leave the sources' ranges. The rules, in the order they win:

1. A sharp, spreading or worsening pain stop pauses that exercise (Smith et al. 2017; seed
   002_17edfd41803de707.txt says to stop if it hurts).
2. Pain of 7 or more is critical (Medbridge Pathways): strengthening pauses, the rest steps
   down, and the person is told to see a professional.
3. A rise of 2 points or more is a reason to act (Medbridge Pathways): every exercise steps down.
4. A mild pain stop steps that exercise down, to an easier one, or pauses it.
5. Pain of 5 or more with a 1-point rise is a reason to watch (Medbridge Pathways): no growth.
6. Sessions that felt hard: no growth; if most felt hard, every exercise steps down.
7. Growth: an exercise done in the last two sessions it was due, both rated easy, with no pain
   stop and pain not rising, grows one step (the NSCA "2-for-2" rule, Baechle and Earle,
   Essentials of Strength Training and Conditioning); at the top of its sources' ranges it
   moves to its harder variant when the person can do it.
8. Pain rising or critical at two reviews in a row: see a professional (NICE NG59 advises
   review when pain does not settle).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from backcoach.core.catalogue import Catalogue
from backcoach.core.exercise import Exercise, Pace
from backcoach.core.history import SessionRecord
from backcoach.core.planner import PlannedExercise, starting_dose
from backcoach.core.profile import Profile, ruled_out_because
from backcoach.core.rules import (
    ACT_RISE,
    CRITICAL_PAIN,
    EASY_IN_A_ROW,
    WATCH_LEVEL,
    WATCH_RISE,
    Difficulty,
    OutcomeStatus,
    is_strengthening,
)
from backcoach.core.timing import Dose, exercise_seconds, rep_time

EASY_SESSIONS_IN_A_ROW = int(EASY_IN_A_ROW.value)
SEVERE_PAIN = {"sharp", "spreading", "worsening"}
GROW_ORDER = ("reps", "hold_seconds", "hold_breaths", "sets", "times_per_day")


class Action(StrEnum):
    grow = "grow"
    harder = "harder"
    hold = "hold"
    step_down = "step_down"
    easier = "easier"
    pause = "pause"


@dataclass(frozen=True)
class Change:
    exercise_id: str
    action: Action
    reason: str
    new_exercise_id: str | None = None


@dataclass(frozen=True)
class ReviewResult:
    exercises: tuple[PlannedExercise, ...]
    changes: tuple[Change, ...]
    advice: tuple[str, ...]
    alarm: bool  # pain rising or critical this time: two in a row means "see a professional"

    @property
    def changed(self) -> bool:
        return any(c.action is not Action.hold for c in self.changes)


def source_values(exercise: Exercise, field: str) -> list[int]:
    """Every value the sources state for a field: the ends of each range they give."""
    given = [p for d in exercise.dosage if (p := getattr(d, field)) is not None]
    if not given and exercise.guideline_dose is not None and getattr(exercise.guideline_dose, field) is not None:
        given = [getattr(exercise.guideline_dose, field)]
    return sorted({v for pair in given for v in pair})


def volume(dose: Dose, pace: Pace) -> int:
    """Seconds of work in one session: what a grown dose must not push past the sources."""
    return rep_time(dose, pace) * dose.rep_count * dose.side_count * dose.set_count


def source_doses(exercise: Exercise) -> list[Dose]:
    """Each source's dose exactly as it gives it (a field it leaves out stays out)."""
    given = [*exercise.dosage, *([exercise.guideline_dose] if exercise.guideline_dose else [])]
    doses = []
    for d in given:
        numbers = {name: pair[1] for name in GROW_ORDER[:-1] if (pair := getattr(d, name)) is not None}
        if numbers:
            doses.append(Dose(**numbers, sides=d.sides or exercise.default_dose.sides))
    return doses


def grow_one_step(exercise: Exercise, dose: Dose, sessions_per_day: int) -> Dose | None:
    """The smallest step up: one number to the next value a source states, or one source's
    whole dose. A step never asks for more work in a session than the biggest source does,
    so numbers from different sources are not stacked (say, one source's reps with another's
    long holds). Times a day grow last, up to what the person chose."""
    cap = max((volume(d, exercise.pace) for d in source_doses(exercise)), default=0)
    now = volume(dose, exercise.pace)
    candidates = []
    for field in GROW_ORDER[:-1]:
        current = getattr(dose, field)
        higher = [v for v in source_values(exercise, field) if current is not None and v > current]
        if higher:
            candidates.append(replace(dose, **{field: higher[0]}))  # type: ignore[arg-type]
    candidates += [
        replace(d, times_per_day=dose.times_per_day, times_per_week=dose.times_per_week) for d in source_doses(exercise)
    ]
    fitting = [c for c in candidates if now < volume(c, exercise.pace) <= cap]
    if fitting:
        return min(fitting, key=lambda c: (volume(c, exercise.pace), GROW_ORDER.index(_changed(dose, c))))
    per_day = dose.times_per_day
    more = [v for v in source_values(exercise, "times_per_day") if per_day is not None and per_day < v]
    more = [v for v in more if v <= sessions_per_day]
    return replace(dose, times_per_day=more[0]) if more else None


def _changed(before: Dose, after: Dose) -> str:
    return next((f for f in GROW_ORDER if getattr(before, f) != getattr(after, f)), GROW_ORDER[0])


def step_down(exercise: Exercise, dose: Dose) -> Dose | None:
    for field in reversed(GROW_ORDER):
        current = getattr(dose, field)
        if current is None:
            continue
        lower = [v for v in source_values(exercise, field) if v < current]
        if lower:
            return replace(dose, **{field: lower[-1]})  # type: ignore[arg-type]
    return None


@dataclass(frozen=True)
class PainSignals:
    level: float | None
    rise: float | None

    @property
    def critical(self) -> bool:
        return self.level is not None and self.level >= CRITICAL_PAIN

    @property
    def act(self) -> bool:
        return self.rise is not None and self.rise >= ACT_RISE

    @property
    def watch(self) -> bool:
        return self.level is not None and self.level >= WATCH_LEVEL and (self.rise or 0) >= WATCH_RISE


def pain_signals(sessions: list[SessionRecord], baseline: float | None) -> PainSignals:
    """Pain now is the latest check-in rating; the rise is against the baseline (the pain at
    the previous review, or at the start) or within one session, whichever is larger."""
    checks = [s.check_in for s in sessions if s.check_in is not None]
    ratings = [c.pain_after if c.pain_after is not None else c.pain_before for c in checks]
    levels = [r for r in ratings if r is not None]
    if not levels:
        return PainSignals(None, None)
    level = float(levels[-1])
    rises: list[float] = [
        c.pain_after - c.pain_before for c in checks if c.pain_after is not None and c.pain_before is not None
    ]
    if baseline is not None:
        rises.append(level - baseline)
    return PainSignals(level, max(rises) if rises else None)


def _pain_stops(sessions: list[SessionRecord], exercise_id: str) -> set[str]:
    return {o.pain_kind for s in sessions for o in s.outcomes if o.exercise_id == exercise_id and o.pain_kind}


def _easy_in_a_row(sessions: list[SessionRecord], exercise_id: str) -> bool:
    """Done, and rated easy, in the last two sessions where the exercise came up."""
    relevant = [s for s in sessions if any(o.exercise_id == exercise_id for o in s.outcomes)][-EASY_SESSIONS_IN_A_ROW:]
    return len(relevant) == EASY_SESSIONS_IN_A_ROW and all(
        s.check_in is not None
        and s.check_in.difficulty == Difficulty.easy
        and any(o.exercise_id == exercise_id and o.status == OutcomeStatus.done for o in s.outcomes)
        for s in relevant
    )


def _with_dose(planned: PlannedExercise, dose: Dose) -> PlannedExercise:
    return replace(planned, dose=dose, seconds=exercise_seconds(dose, planned.exercise.pace))


def _swap(
    catalogue: Catalogue, profile: Profile, planned: PlannedExercise, options: list[str], taken: set[str]
) -> PlannedExercise | None:
    for other_id in options:
        if other_id in taken or other_id not in catalogue.ids():
            continue
        other = catalogue.get(other_id)
        if ruled_out_because(profile, other) is None:
            dose = starting_dose(other, profile.sessions_per_day)
            why = f"It takes over from {planned.exercise.name}, as the review explains."
            return PlannedExercise(other, dose, exercise_seconds(dose, other.pace), why)
    return None


def _lower(
    catalogue: Catalogue, profile: Profile, planned: PlannedExercise, taken: set[str], why: str
) -> tuple[PlannedExercise | None, Change]:
    """One step down: a smaller dose, else an easier exercise, else a pause."""
    dose = step_down(planned.exercise, planned.dose)
    if dose is not None:
        return _with_dose(planned, dose), Change(planned.id, Action.step_down, f"{why} We made it a little easier.")
    easier = _swap(catalogue, profile, planned, planned.exercise.easier, taken)
    if easier is not None:
        return easier, Change(planned.id, Action.easier, f"{why} We swapped it for {easier.exercise.name}.", easier.id)
    return None, Change(planned.id, Action.pause, f"{why} It is already at its easiest, so we paused it.")


def review(
    program: list[PlannedExercise],
    sessions: list[SessionRecord],
    profile: Profile,
    catalogue: Catalogue,
    baseline: float | None,
    alarm_last_time: bool,
) -> ReviewResult:
    signals = pain_signals(sessions, baseline)
    checks = [s.check_in for s in sessions if s.check_in is not None]
    hard = sum(1 for c in checks if c.difficulty == Difficulty.hard)
    mostly_hard = bool(checks) and hard * 2 > len(checks)
    taken = {p.id for p in program}
    kept: list[PlannedExercise] = []
    changes: list[Change] = []
    for planned in program:
        new, change = _decide(planned, sessions, profile, catalogue, signals, hard, mostly_hard, taken)
        changes.append(change)
        if new is not None:
            taken.add(new.id)
            kept.append(new)
    alarm = signals.critical or signals.act
    advice = _advice(signals, alarm and alarm_last_time, not sessions)
    return ReviewResult(tuple(kept), tuple(changes), advice, alarm)


def _decide(
    planned: PlannedExercise,
    sessions: list[SessionRecord],
    profile: Profile,
    catalogue: Catalogue,
    signals: PainSignals,
    hard: int,
    mostly_hard: bool,
    taken: set[str],
) -> tuple[PlannedExercise | None, Change]:
    name = planned.exercise.name
    stops = _pain_stops(sessions, planned.id)
    if stops & SEVERE_PAIN:
        return None, Change(
            planned.id,
            Action.pause,
            f"You stopped {name} because of {sorted(stops & SEVERE_PAIN)[0]}"
            " pain, so it is paused. Ask a physiotherapist before you try it again.",
        )
    if signals.critical and is_strengthening(planned.exercise):
        return None, Change(
            planned.id,
            Action.pause,
            f"Your pain reached {signals.level:g} out of 10, so {name} is paused while it settles.",
        )
    if signals.critical or signals.act:
        return _lower(catalogue, profile, planned, taken, "Your pain has gone up.")
    if stops:
        return _lower(catalogue, profile, planned, taken, f"{name} caused some discomfort.")
    if signals.watch:
        return planned, Change(planned.id, Action.hold, "Your pain is up a little, so we keep things as they are.")
    if mostly_hard:
        return _lower(catalogue, profile, planned, taken, "Most sessions felt hard.")
    if hard:
        return planned, Change(planned.id, Action.hold, "Some sessions felt hard, so we keep things as they are.")
    if not _easy_in_a_row(sessions, planned.id):
        return planned, Change(
            planned.id, Action.hold, f"{name} stays the same until it feels easy two sessions in a row."
        )
    dose = grow_one_step(planned.exercise, planned.dose, profile.sessions_per_day)
    if dose is not None:
        return _with_dose(planned, dose), Change(
            planned.id, Action.grow, f"{name} felt easy two sessions in a row with no pain, so it grows one step."
        )
    harder = _swap(catalogue, profile, planned, planned.exercise.harder, taken)
    if harder is not None:
        return harder, Change(
            planned.id,
            Action.harder,
            f"{name} is at the top of its range and felt easy, so you move on to {harder.exercise.name}.",
            harder.id,
        )
    return planned, Change(planned.id, Action.hold, f"{name} is at the top of what our sources give; keep it up.")


def _advice(signals: PainSignals, alarm_twice: bool, no_sessions: bool) -> tuple[str, ...]:
    advice = []
    if signals.critical:
        advice.append("Your pain is 7 or more out of 10. Please see a doctor or physiotherapist.")
    elif alarm_twice:
        advice.append("Your pain has been rising for two reviews in a row. Please see a doctor or physiotherapist.")
    elif signals.act:
        advice.append(
            "Your pain has gone up by 2 points or more. We eased your program. If it keeps rising, see a professional."
        )
    if no_sessions:
        advice.append("No sessions since the last review, so nothing changed. A little every day is the aim.")
    return tuple(advice)
