"""The weekly review: explicit rules that grow, hold, reduce or pause each exercise.

Pain is read over the whole window since the last review (`pain_window`). The rules, in the
order they win:

1. A sharp, spreading or worsening pain stop pauses that exercise until a professional clears
   it (Smith et al. 2017: these are reasons to stop; the seeds say to stop if it hurts).
2. Pain of 7 or more anywhere in the window is critical (Medbridge Pathways): strengthening
   pauses while it settles, the rest steps down, and the person is told to see a professional.
3. Typical pain 2 points or more above the start or the last review, or a rise of 2 within a
   session (Medbridge Pathways; Ostelo et al. 2008): strengthening steps down. Gentle
   stretches stay, at their gentlest, to keep the person moving (NICE NG59 advises staying
   active), unless they were the ones that hurt.
4. A mild pain stop steps that exercise down, to an easier one, or pauses it.
5. Pain of 5 or more with a 1-point rise (Medbridge Pathways): no growth.
6. Sessions that felt hard: no growth; if most felt hard, every exercise steps down.
7. Growth: pain stable or falling against both the start and the last review, and the
   exercise done and rated easy in the last two sessions it was due (the NSCA "2-for-2" rule,
   Baechle and Earle, Essentials of Strength Training and Conditioning): one field grows one
   step (`dose_steps`); at the top of its sources' ranges it moves to its harder variant.
8. No growth makes the session longer than the minutes the person chose.
9. Pain high or rising at two reviews in a row, not easing after the program was made easier,
   or rising at three reviews in a row: see a professional (NICE NG59).

An exercise paused for pain, or any id in `unavailable`, is never brought in as a swap or a
harder step.

A physiotherapist's prescription (`core/prescription.ReviewLimits`) narrows rules 7 and the return
of set-aside exercises only: growth never above the prescribed dose, or none at all. Rules 1 to 6
(the pauses and the steps down) apply whatever it says: safety beats the setting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from backcoach.core.catalogue import Catalogue
from backcoach.core.dose_steps import gentlest, grow_one_step, step_down
from backcoach.core.history import SessionRecord
from backcoach.core.pain_stop import SEVERE_KINDS
from backcoach.core.pain_window import PainSignals, PastReview, pain_signals, see_a_professional
from backcoach.core.planner import PlannedExercise, starting_dose
from backcoach.core.prescription import ReviewLimits
from backcoach.core.profile import Profile, ruled_out_because
from backcoach.core.program_shape import strengthening_allowed
from backcoach.core.rules import EASY_IN_A_ROW, Difficulty, OutcomeStatus, is_strengthening
from backcoach.core.timing import Dose, exercise_seconds, session_seconds

EASY_SESSIONS_IN_A_ROW = int(EASY_IN_A_ROW.value)
SEVERE_PAIN = {kind.value for kind in SEVERE_KINDS}  # stored outcomes hold the kind as text


class Action(StrEnum):
    back = "back"  # an exercise set aside while pain was high comes back, at its starting dose
    grow = "grow"
    harder = "harder"
    hold = "hold"
    step_down = "step_down"
    easier = "easier"
    pause = "pause"


class PauseCode(StrEnum):
    """Why an exercise was paused. `hurt` is remembered until a professional clears it."""

    hurt = "hurt"
    pain_high = "pain_high"
    too_hard = "too_hard"


@dataclass(frozen=True)
class Change:
    exercise_id: str
    action: Action
    reason: str
    new_exercise_id: str | None = None
    code: str = ""  # a PauseCode for a pause


@dataclass(frozen=True)
class ReviewResult:
    exercises: tuple[PlannedExercise, ...]
    changes: tuple[Change, ...]
    advice: tuple[str, ...]
    alarm: bool  # pain high or rising in this window
    level: float | None  # the typical pain of the window

    @property
    def changed(self) -> bool:
        return any(c.action is not Action.hold for c in self.changes)

    @property
    def paused_for_pain(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.action is Action.pause and c.code == PauseCode.hurt)


@dataclass(frozen=True)
class _Context:
    sessions: Sequence[SessionRecord]
    profile: Profile
    catalogue: Catalogue
    signals: PainSignals
    hard: int
    mostly_hard: bool
    unavailable: Mapping[str, str]
    limits: ReviewLimits | None = None


def _pain_stops(sessions: Sequence[SessionRecord], exercise_id: str) -> set[str]:
    return {o.pain_kind for s in sessions for o in s.outcomes if o.exercise_id == exercise_id and o.pain_kind}


def _easy_in_a_row(sessions: Sequence[SessionRecord], exercise_id: str) -> bool:
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


def _swap(ctx: _Context, planned: PlannedExercise, options: list[str], taken: set[str]) -> PlannedExercise | None:
    for other_id in options:
        if other_id in taken or other_id in ctx.unavailable or other_id not in ctx.catalogue.ids():
            continue
        other = ctx.catalogue.get(other_id)
        if ruled_out_because(ctx.profile, other) is None:
            dose = starting_dose(other, ctx.profile.sessions_per_day)
            why = f"It takes over from {planned.exercise.name}, as the review explains."
            return PlannedExercise(other, dose, exercise_seconds(dose, other.pace), why)
    return None


def _lower(
    ctx: _Context, planned: PlannedExercise, taken: set[str], why: str, code: PauseCode
) -> tuple[PlannedExercise | None, Change]:
    """One step down: a smaller dose, else an easier exercise, else a pause."""
    dose = step_down(planned.exercise, planned.dose)
    if dose is not None:
        return _with_dose(planned, dose), Change(planned.id, Action.step_down, f"{why} We made it a little easier.")
    easier = _swap(ctx, planned, planned.exercise.easier, taken)
    if easier is not None:
        return easier, Change(planned.id, Action.easier, f"{why} We swapped it for {easier.exercise.name}.", easier.id)
    ask = " Ask a physiotherapist before you try it again." if code is PauseCode.hurt else ""
    return None, Change(
        planned.id, Action.pause, f"{why} It is already at its easiest, so we paused it.{ask}", code=code
    )


def _keep_moving(planned: PlannedExercise, why: str) -> tuple[PlannedExercise, Change]:
    """A gentle stretch that did not hurt stays when pain rises, at its gentlest dose."""
    lowest = gentlest(planned.exercise, planned.dose)
    if lowest != planned.dose:
        return _with_dose(planned, lowest), Change(
            planned.id, Action.step_down, f"{why} {planned.exercise.name} stays, at its gentlest, to keep you moving."
        )
    return planned, Change(planned.id, Action.hold, f"{why} {planned.exercise.name} stays gentle to keep you moving.")


def _decide(ctx: _Context, planned: PlannedExercise, taken: set[str]) -> tuple[PlannedExercise | None, Change]:
    name = planned.exercise.name
    stops = _pain_stops(ctx.sessions, planned.id)
    signals = ctx.signals
    if planned.id in ctx.unavailable:  # paused already (it hurt): it leaves the program until cleared
        return None, Change(planned.id, Action.pause, ctx.unavailable[planned.id], code=PauseCode.hurt)
    if stops & SEVERE_PAIN:
        return None, Change(
            planned.id,
            Action.pause,
            f"You stopped {name} because of {sorted(stops & SEVERE_PAIN)[0]}"
            " pain, so it is paused. Ask a physiotherapist before you try it again.",
            code=PauseCode.hurt,
        )
    if signals.critical and is_strengthening(planned.exercise):
        return None, Change(
            planned.id,
            Action.pause,
            f"Your pain reached {signals.window.worst} out of 10, so {name} is paused while it settles.",
            code=PauseCode.pain_high,
        )
    if signals.alarm and not stops and not is_strengthening(planned.exercise):
        return _keep_moving(planned, "Your pain has gone up.")
    if signals.alarm:
        return _lower(ctx, planned, taken, "Your pain has gone up.", PauseCode.hurt if stops else PauseCode.pain_high)
    if stops:
        return _lower(ctx, planned, taken, f"{name} caused some discomfort.", PauseCode.hurt)
    if signals.watch:
        return planned, Change(planned.id, Action.hold, "Your pain is up a little, so we keep things as they are.")
    if ctx.mostly_hard:
        return _lower(ctx, planned, taken, "Most sessions felt hard.", PauseCode.too_hard)
    if ctx.hard:
        return planned, Change(planned.id, Action.hold, "Some sessions felt hard, so we keep things as they are.")
    if not signals.stable:
        return planned, Change(planned.id, Action.hold, f"{name} stays the same until your pain is steady or lower.")
    if not _easy_in_a_row(ctx.sessions, planned.id):
        return planned, Change(
            planned.id, Action.hold, f"{name} stays the same until it feels easy two sessions in a row."
        )
    return _grow(ctx, planned, taken)


def _grow(ctx: _Context, planned: PlannedExercise, taken: set[str]) -> tuple[PlannedExercise, Change]:
    name = planned.exercise.name
    limits = ctx.limits
    if limits is not None and not limits.may_grow:
        return planned, Change(planned.id, Action.hold, f"{name} stays at the dose your physiotherapist set.")
    start = starting_dose(planned.exercise, ctx.profile.sessions_per_day)
    dose = grow_one_step(planned.exercise, start, planned.dose, ctx.profile.sessions_per_day)
    if dose is not None and (limits is None or limits.allows(planned.id, dose)):
        return _with_dose(planned, dose), Change(
            planned.id, Action.grow, f"{name} felt easy two sessions in a row with steady pain, so it grows one step."
        )
    if limits is not None and not limits.may_swap_harder:
        return planned, Change(
            planned.id, Action.hold, f"{name} is at the most your physiotherapist set for now; keep it up."
        )
    harder = _swap(ctx, planned, planned.exercise.harder, taken)
    if harder is not None:
        return harder, Change(
            planned.id,
            Action.harder,
            f"{name} is at the top of its range and felt easy, so you move on to {harder.exercise.name}.",
            harder.id,
        )
    return planned, Change(planned.id, Action.hold, f"{name} is at the top of what our sources give; keep it up.")


def _fit_in_minutes(
    before: Sequence[PlannedExercise], after: list[PlannedExercise | None], changes: list[Change], minutes: int
) -> None:
    """Undo growth, last first, until the session fits the minutes the person chose."""
    budget = minutes * 60

    def total() -> int:
        return session_seconds([p.seconds for p in after if p is not None])

    for index in reversed(range(len(changes))):
        if total() <= budget:
            return
        if changes[index].action in {Action.grow, Action.harder}:
            after[index] = before[index]
            changes[index] = Change(
                before[index].id,
                Action.hold,
                f"{before[index].exercise.name} stays the same: a bigger dose would not fit in your {minutes} minutes.",
            )
    # An easier exercise can take longer than the one it replaces: at its gentlest dose, or not at all.
    for index in reversed(range(len(changes))):
        swapped = after[index]
        if total() <= budget:
            return
        if changes[index].action is Action.easier and swapped is not None:
            after[index] = _with_dose(swapped, gentlest(swapped.exercise, swapped.dose))
            if total() > budget:
                after[index] = None
                changes[index] = Change(
                    before[index].id,
                    Action.pause,
                    f"{changes[index].reason} It does not fit in your {minutes} minutes, so it is paused for now.",
                    code=changes[index].code or PauseCode.too_hard,
                )


def review(
    program: Sequence[PlannedExercise],
    sessions: Sequence[SessionRecord],
    profile: Profile,
    catalogue: Catalogue,
    baseline: float,
    past: Sequence[PastReview] = (),
    unavailable: Mapping[str, str] | None = None,
    set_aside: Sequence[str] = (),
    limits: ReviewLimits | None = None,
) -> ReviewResult:
    """Review a window of sessions. `baseline` is the pain the program started from, `past` the
    earlier reviews (newest first), `unavailable` exercises that may not come back (paused for
    pain, with why), `set_aside` exercises left out or paused while pain was high or sessions
    hard, which may come back when pain is steady. `limits`: what a physiotherapist's prescription
    in force lets the review raise (None: no prescription)."""
    signals = pain_signals(sessions, baseline, past[0].level if past else None)
    checks = [s.check_in for s in sessions if s.check_in is not None]
    hard = sum(1 for c in checks if c.difficulty == Difficulty.hard)
    ctx = _Context(
        sessions,
        profile,
        catalogue,
        signals,
        hard,
        bool(checks) and hard * 2 > len(checks),
        unavailable or {},
        limits,
    )
    taken = {p.id for p in program}
    after: list[PlannedExercise | None] = []
    changes: list[Change] = []
    for planned in program:
        new, change = _decide(ctx, planned, taken)
        changes.append(change)
        after.append(new)
        if new is not None:
            taken.add(new.id)
    _fit_in_minutes(program, after, changes, profile.minutes_per_session)
    _bring_one_back(ctx, after, changes, set_aside)
    advice = _advice(signals, past, not sessions)
    return ReviewResult(tuple(p for p in after if p is not None), tuple(changes), advice, signals.alarm, signals.level)


def _bring_one_back(
    ctx: _Context, after: list[PlannedExercise | None], changes: list[Change], set_aside: Sequence[str]
) -> None:
    """In a calm window (pain steady or falling, nothing hard, no pain stop), one exercise set aside
    while pain was high comes back at its starting dose, if pain now allows it and it fits: small
    steps, as program_shape allows strengthening again."""
    sessions, signals = ctx.sessions, ctx.signals
    calm = signals.stable and not ctx.hard and not any(o.pain_kind for s in sessions for o in s.outcomes)
    if ctx.limits is not None and not ctx.limits.may_grow:
        return  # the physiotherapist switched growth off: nothing is added either
    if not calm or signals.level is None or any(c.action is not Action.hold for c in changes):
        return
    kept = [p for p in after if p is not None]
    allowed = strengthening_allowed(signals.level)
    strong = sum(1 for p in kept if is_strengthening(p.exercise))
    budget = ctx.profile.minutes_per_session * 60
    for exercise_id in set_aside:
        if (
            exercise_id in {p.id for p in kept}
            or exercise_id in ctx.unavailable
            or exercise_id not in ctx.catalogue.ids()
        ):
            continue
        exercise = ctx.catalogue.get(exercise_id)
        if ruled_out_because(ctx.profile, exercise) is not None:
            continue
        if is_strengthening(exercise) and allowed is not None and strong >= allowed:
            continue
        dose = starting_dose(exercise, ctx.profile.sessions_per_day)
        if ctx.limits is not None and not ctx.limits.allows(exercise_id, dose):
            continue
        planned = PlannedExercise(
            exercise,
            dose,
            exercise_seconds(dose, exercise.pace),
            f"Back now that your pain is steady: it {exercise.works}.",
        )
        if session_seconds([p.seconds for p in [*kept, planned]]) > budget:
            continue
        after.append(planned)
        changes.append(
            Change(
                exercise_id, Action.back, f"Your pain is steady, so {exercise.name} comes back at its starting dose."
            )
        )
        return


def _advice(signals: PainSignals, past: Sequence[PastReview], no_sessions: bool) -> tuple[str, ...]:
    advice = []
    professional = see_a_professional(signals, past)
    if professional is not None:
        advice.append(professional)
    elif signals.act:
        advice.append(
            "Your pain has gone up by 2 points or more. We eased your program. If it keeps rising, see a professional."
        )
    if no_sessions:
        advice.append("No sessions since the last review, so nothing changed. A little every day is the aim.")
    return tuple(advice)
