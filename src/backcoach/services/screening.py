"""The warning-sign questions: answered at the start, and again when pain rises.

Any sign pauses the program at once. A clear answer after a rise in pain lets the weekly
review run if it came due meanwhile.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from backcoach.core.pain_gates import after_session_advice, clear_after_rise_message
from backcoach.core.planner import Plan
from backcoach.core.profile import neck_due
from backcoach.core.screening import ScreenResult, screen
from backcoach.core.warning_signs import Answer
from backcoach.services.clearances import effective_result, record_clearance, standing_warning
from backcoach.services.context import Scope
from backcoach.services.programs import current_program, pause_program, replan
from backcoach.services.review import ReviewView, review_if_due
from backcoach.storage.records import ClearanceRecord


@dataclass(frozen=True)
class Rescreened:
    result: ScreenResult
    review: ReviewView | None


def record_screening(scope: Scope, answers: Mapping[str, Answer], neck: bool | None = None) -> ScreenResult:
    """Store the answers to the warning-sign questions, judged with what is remembered: a sign
    pauses the program at once and stands until a professional has checked the person. `neck`:
    whether the neck questions are due (see `profile.neck_due`)."""
    result = screen(answers, neck)
    scope.writer().save_screening(answers, result.status.value, scope.now())
    judged = effective_result(scope, result)
    if not judged.is_clear:
        pause_program(scope, judged.message, "warning_sign")
    return judged


def first_screen(scope: Scope, answers: Mapping[str, Answer]) -> ScreenResult:
    """The warning signs at the start, before the profile questions. Answers with a sign are
    stored at once (and pause any program); clear ones are stored with the profile that follows.
    A sign answered earlier and not yet cleared still stands."""
    result = screen(answers)
    if not result.is_clear:
        return record_screening(scope, answers)
    standing = standing_warning(scope)
    return result if standing is None else standing.result()


def rescreen(scope: Scope, answers: Mapping[str, Answer]) -> Rescreened:
    """Ask the warning signs again (when pain rises). Any sign pauses the program; a clear
    answer lets the weekly review run if it came due meanwhile."""
    last = scope.repo.last_check_in()
    profile = scope.repo.latest_profile()
    result = record_screening(scope, answers, None if profile is None else neck_due(profile))
    if result.is_clear and last is not None:
        advice = after_session_advice(last.pain_before, last.pain_after, last.stop_scores, last.into_the_legs)
        if advice:
            result = replace(result, message=clear_after_rise_message(advice))
    return Rescreened(result, review_if_due(scope) if result.is_clear else None)


@dataclass(frozen=True)
class WarningCleared:
    clearance: ClearanceRecord
    plan: Plan | None  # the program planned again, gently, if there is a profile to plan from
    version: int | None  # the program version that starts again, if one was made


def clear_warning(scope: Scope, cleared_by: str, cleared_on: date) -> WarningCleared:
    """The person records that a doctor or physiotherapist checked them after a warning sign.
    The sign then stops counting, and the program is planned again from its starting doses."""
    record = record_clearance(scope, cleared_by, cleared_on)
    reason = (
        f"{record.cleared_by} checked you on {record.cleared_on.isoformat()}, so your program starts again, "
        "gently. Stop any exercise that hurts."
    )
    plan = replan(scope, reason)
    current = current_program(scope) if plan is not None and plan.exercises else None
    return WarningCleared(record, plan, None if current is None else current.version)
