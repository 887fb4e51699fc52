"""Profiles and program versions: screen, plan, store, and read back what was decided then."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from backcoach.core.catalogue import Catalogue
from backcoach.core.errors import NoProgram, ProgramPaused
from backcoach.core.planner import Explanation, LeftOut, Plan, PlannedExercise, plan_program, starting_dose
from backcoach.core.profile import Profile, neck_due, ruled_out_because
from backcoach.core.screening import ScreenResult, Urgency, screen
from backcoach.core.sources import with_titles
from backcoach.core.timing import exercise_seconds, session_seconds
from backcoach.services.clearances import clear_pause, effective_result, standing_warning, unavailable
from backcoach.services.context import Scope
from backcoach.storage.records import ProgramRecord
from backcoach.storage.stored_json import exercises_json, explanation_from, explanation_json, planned_from


@dataclass(frozen=True)
class ProgramView:
    id: int
    version: int
    created_at: datetime
    reason: str
    exercises: tuple[PlannedExercise, ...]
    explanation: Explanation | None  # None for versions stored before explanations were kept
    profile_id: int
    changes: tuple[dict[str, Any], ...] = ()

    @property
    def paused(self) -> bool:
        return not self.exercises


def program_view(record: ProgramRecord, catalogue: Catalogue) -> ProgramView:
    """A stored version as people read it. Versions stored before sources had plain names may name
    a seed by its file name in their text; those read with the seed's title (`with_titles`)."""
    exercises = tuple(replace(p, why=with_titles(p.why)) for p in planned_from(record.exercises, catalogue))
    return ProgramView(
        record.id,
        record.version,
        record.created_at,
        with_titles(record.reason),
        exercises,
        _explanation_with_titles(explanation_from(record.explanation)),
        record.profile_id,
        record.changes,
    )


def _explanation_with_titles(e: Explanation | None) -> Explanation | None:
    if e is None:
        return None

    def items(found: tuple[LeftOut, ...]) -> tuple[LeftOut, ...]:
        return tuple(replace(x, why=with_titles(x.why)) for x in found)

    notes = tuple(with_titles(n) for n in e.notes)
    return replace(
        e, message=with_titles(e.message), left_out=items(e.left_out), activity=items(e.activity), notes=notes
    )


def plan_explanation(plan: Plan, reason_code: str) -> Explanation:
    return Explanation(reason_code, plan.message, plan.left_out, plan.activity, plan.notes)


def set_profile(scope: Scope, profile: Profile) -> Plan:
    """Screen, store the answers and profile, and store a new program if the screen is clear.
    A warning sign answered earlier and not yet cleared by a professional still stands. The
    record's turn (`Scope.changing`): a physiotherapist's prescription checked against the answers
    before these is never saved after them."""
    with scope.changing():
        return _set_profile(scope, profile)


def _set_profile(scope: Scope, profile: Profile) -> Plan:
    repo = scope.writer()
    now = scope.now()
    result = screen(profile.red_flags, neck_due(profile))
    repo.save_screening(profile.red_flags, result.status.value, now)
    judged = effective_result(scope, result)
    plan = plan_program(profile, scope.catalogue, unavailable(scope), judged)
    profile_id = repo.save_profile(profile, now)
    existing = repo.current_program()
    if plan.exercises:
        code = "profile_changed" if existing else "first_program"
        reason = "Your answers changed, so we made a new program." if existing else "Your first program."
        repo.save_program(
            profile_id, exercises_json(plan.exercises), reason, [], explanation_json(plan_explanation(plan, code)), now
        )
    elif existing is not None and existing.exercises:
        # A warning sign (or nothing left that fits) pauses the program: an empty version says why.
        code = "nothing_fits" if judged.is_clear else "warning_sign"
        repo.save_program(profile_id, [], plan.message, [], explanation_json(plan_explanation(plan, code)), now)
    return plan


def replan(scope: Scope, reason: str) -> Plan | None:
    """Plan again from the latest profile, as the screen now stands (after a clearance, say):
    the program starts again from its gentlest doses. None when there is no profile yet."""
    repo = scope.writer()
    profile = repo.latest_profile()
    if profile is None:
        return None
    standing = standing_warning(scope)
    judged = standing.result() if standing is not None else ScreenResult(Urgency.clear, reason, ())
    plan = plan_program(profile, scope.catalogue, unavailable(scope), judged)
    if plan.exercises:
        explanation = explanation_json(plan_explanation(plan, "cleared"))
        repo.save_program(
            repo.latest_profile_id(), exercises_json(plan.exercises), reason, [], explanation, scope.now()
        )
    return plan


def pause_program(scope: Scope, message: str, reason_code: str) -> None:
    """Store an empty version that says why, if the program is not already paused."""
    repo = scope.writer()
    found = repo.current_program()
    if found is not None and found.exercises:
        explanation = explanation_json(Explanation(reason_code, message))
        repo.save_program(found.profile_id, [], message, [], explanation, scope.now())


def current_program(scope: Scope) -> ProgramView | None:
    found = scope.repo.current_program()
    return None if found is None else program_view(found, scope.catalogue)


def active_program(scope: Scope) -> ProgramView:
    """The current program if it has exercises; else NoProgram or ProgramPaused."""
    found = current_program(scope)
    if found is None:
        standing = standing_warning(scope)  # a sign at the first screen: no program until a check
        raise NoProgram() if standing is None else ProgramPaused(standing.result().message)
    if found.paused:
        raise ProgramPaused(found.reason)
    standing = standing_warning(scope)
    if standing is not None:  # a sign from before signs were remembered, say: it stands all the same
        raise ProgramPaused(standing.result().message)
    return found


def program_versions(scope: Scope) -> list[ProgramView]:
    return [program_view(r, scope.catalogue) for r in scope.repo.programs()]


def latest_profile(scope: Scope) -> Profile | None:
    return scope.repo.latest_profile()


def clear_exercise(scope: Scope, exercise_id: str, cleared_by: str, cleared_on: date) -> ProgramView | None:
    """A professional said a paused exercise is fine: it may be offered again, and it comes back
    into the program at its starting dose if the person can do it and it fits their minutes.
    Returns the new program version, or None when it could not come back yet."""
    clear_pause(scope, exercise_id, cleared_by, cleared_on)
    found = current_program(scope)
    profile = scope.repo.latest_profile()
    exercise = scope.catalogue.get(exercise_id) if exercise_id in scope.catalogue.ids() else None
    if found is None or found.paused or profile is None or exercise is None:
        return None
    if exercise_id in {p.id for p in found.exercises} or ruled_out_because(profile, exercise) is not None:
        return None
    dose = starting_dose(exercise, profile.sessions_per_day)
    who = " ".join(cleared_by.split())
    why = f"Back after {who} said it is fine, at its starting dose."
    back = PlannedExercise(exercise, dose, exercise_seconds(dose, exercise.pace), why)
    exercises = [*found.exercises, back]
    if session_seconds([p.seconds for p in exercises]) > profile.minutes_per_session * 60:
        return None
    reason = f"{exercise.name} is back: {who} said it is fine. It starts again at its starting dose."
    saved = scope.writer().save_program(
        found.profile_id,
        exercises_json(exercises),
        reason,
        [],
        explanation_json(Explanation("cleared", reason)),
        scope.now(),
    )
    return program_view(saved, scope.catalogue)
