"""The warning-sign questions: answered at the start, and again when pain rises.

Any sign pauses the program at once. A clear answer after a rise in pain lets the weekly
review run if it came due meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass

from backcoach.core.screening import ScreenResult, screen
from backcoach.services.context import Scope
from backcoach.services.programs import pause_program
from backcoach.services.review import ReviewView, review_if_due


@dataclass(frozen=True)
class Rescreened:
    result: ScreenResult
    review: ReviewView | None


def record_screening(scope: Scope, answers: dict[str, bool]) -> ScreenResult:
    """Store the answers to the warning-sign questions; any sign pauses the program at once."""
    result = screen(answers)
    scope.writer().save_screening(answers, result.status.value, scope.now())
    if not result.is_clear:
        pause_program(scope, result.message, "warning_sign")
    return result


def first_screen(scope: Scope, answers: dict[str, bool]) -> ScreenResult:
    """The warning signs at the start, before the profile questions. Answers with a sign are
    stored at once (and pause any program); clear ones are stored with the profile that follows."""
    result = screen(answers)
    return record_screening(scope, answers) if not result.is_clear else result


def rescreen(scope: Scope, answers: dict[str, bool]) -> Rescreened:
    """Ask the warning signs again (when pain rises). Any sign pauses the program; a clear
    answer lets the weekly review run if it came due meanwhile."""
    result = record_screening(scope, answers)
    return Rescreened(result, review_if_due(scope) if result.is_clear else None)
