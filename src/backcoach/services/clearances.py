"""What the safety loop remembers: a warning sign until a professional has checked the person,
and an exercise that hurt until a professional says it is fine (`core.clearance` has the rules).

Every way into a program asks here first: the screen, a new profile, a re-screen, the weekly
review, the pain dialog's easier options and each session's list of exercises.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from backcoach.core.clearance import check_clearance, covered, positive_signs
from backcoach.core.errors import InvalidInput, NotNow
from backcoach.core.screening import ScreenResult, Urgency, screen
from backcoach.core.warning_signs import RANK
from backcoach.services.context import Scope
from backcoach.services.local_time import local_day
from backcoach.storage.records import ClearanceRecord, ExerciseClearedRecord, PauseRecord, ScreeningRecord

REMEMBERED = {
    Urgency.emergency: (
        "On {day} you told us about a sign that needs emergency care. If you have not been seen yet, go to an "
        "emergency department now, or call your local emergency number. Your program stays paused until a "
        "doctor has checked you and you record who checked you and when."
    ),
    Urgency.same_day: (
        "On {day} you told us about a sign that a doctor should check the same day. Your program stays paused "
        "until a doctor or physiotherapist has checked you and you record who checked you and when."
    ),
    Urgency.see_doctor: (
        "On {day} you told us about a sign that a doctor should check. Your program stays paused until a doctor "
        "or physiotherapist has checked you and you record who checked you and when."
    ),
}
COVERED = (
    "No new warning signs. {who} checked you on {day}, so the program can go on. Start gently, and stop any "
    "exercise that hurts."
)


@dataclass(frozen=True)
class StandingWarning:
    """A warning sign not yet cleared by a professional."""

    screening_id: int
    status: Urgency
    signs: tuple[str, ...]
    answered_at: datetime
    answers: dict[str, Any]

    def result(self) -> ScreenResult:
        """What to do, as the screen said then (where to go, how soon, why), and that it still stands."""
        words = REMEMBERED.get(self.status, REMEMBERED[Urgency.see_doctor])
        remembered = words.format(day=self.answered_at.date().isoformat())
        try:
            then = screen(self.answers).message
        except InvalidInput:  # answered to questions that have changed since
            then = ""
        return ScreenResult(self.status, f"{remembered} {then}".strip(), self.signs)


def _urgency(stored: str) -> Urgency:
    try:
        return Urgency(stored)
    except ValueError:
        return Urgency.see_doctor  # a level stored by another version: still a warning sign


def standing_warning(scope: Scope) -> StandingWarning | None:
    """Every warning sign that no professional's check covers, however many answers came after
    it, as one: the most urgent level among them, all their signs, and the day of the first. A
    later sign that is covered never hides an earlier one that is not; a check recorded now
    covers them all, so the person is shown all of them first."""
    done = scope.repo.safety.clearances()
    standing: list[tuple[ScreeningRecord, Urgency, list[str]]] = []
    for found in scope.repo.warnings():
        status, signs = _urgency(found.status), positive_signs(found.answers)
        if not covered(found.id, signs, status is Urgency.emergency, done):
            standing.append((found, status, signs))
    if not standing:
        return None
    worst = max(standing, key=lambda item: RANK[item[1]])
    every_sign = sorted({sign for _, _, signs in standing for sign in signs})
    first = min(found.answered_at for found, _, _ in standing)
    return StandingWarning(standing[0][0].id, worst[1], tuple(every_sign), first, dict(worst[0].answers))


def effective_result(scope: Scope, result: ScreenResult) -> ScreenResult:
    """The answers just stored, judged with what is remembered: an uncleared sign stands even
    when the new answers are clear; a sign a professional already checked does not block."""
    standing = standing_warning(scope)
    if standing is not None:  # it holds these answers' signs too, unless a check covers them
        return standing.result() if RANK[standing.status] > RANK[result.status] else result
    if result.is_clear:
        return result
    latest = scope.repo.safety.clearances()[-1]  # the sign is covered, so there is a clearance
    day = latest.cleared_on.isoformat()
    return replace(result, status=Urgency.clear, message=COVERED.format(who=latest.cleared_by, day=day))


def record_clearance(scope: Scope, cleared_by: str, cleared_on: date) -> ClearanceRecord:
    """The person records that a doctor or physiotherapist checked them after a warning sign."""
    standing = standing_warning(scope)
    if standing is None:
        raise NotNow("There is no warning sign waiting for a professional's check.")
    since = local_day(scope, standing.answered_at)
    checked = check_clearance(cleared_by, cleared_on, today(scope), since)
    return scope.writer().safety.add_clearance(
        standing.screening_id, list(standing.signs), checked.cleared_by, checked.cleared_on, scope.now()
    )


def today(scope: Scope) -> date:
    """Today, where the person is: the latest day a check can be recorded for."""
    return local_day(scope, scope.now())


def clearances(scope: Scope) -> list[ClearanceRecord]:
    return scope.repo.safety.clearances()


def cleared_exercises(scope: Scope) -> list[ExerciseClearedRecord]:
    return scope.repo.safety.cleared_exercises()


def paused(scope: Scope) -> list[PauseRecord]:
    return scope.repo.safety.paused()


def unavailable(scope: Scope) -> dict[str, str]:
    """Exercises that may not be offered, with why: those paused because they hurt."""
    return {p.exercise_id: p.reason for p in scope.repo.safety.paused()}


def pause_for_pain(scope: Scope, exercise_id: str, reason: str, session_id: int | None) -> None:
    scope.writer().safety.pause_exercise(exercise_id, reason, session_id, scope.now())


def clear_pause(scope: Scope, exercise_id: str, cleared_by: str, cleared_on: date) -> PauseRecord:
    found = next((p for p in scope.repo.safety.paused() if p.exercise_id == exercise_id), None)
    if found is None:
        catalogue = scope.catalogue
        names = ", ".join(f"{catalogue.get(p.exercise_id).name} ({p.exercise_id})" for p in paused(scope)) or "none"
        raise NotNow(f"{exercise_id} is not paused. Paused now: {names}.")
    checked = check_clearance(cleared_by, cleared_on, today(scope), local_day(scope, found.paused_at))
    scope.writer().safety.clear_exercise(exercise_id, checked.cleared_by, checked.cleared_on, scope.now())
    return found
