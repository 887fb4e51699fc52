"""What today holds for the person: the one answer every face gives to "can I exercise now?".

The home page, the program page and the session page all ask this, so that no page offers a
session that `sessions.start` would refuse: not after a warning sign, not while the warning-sign
questions are owed, not when nothing is due (and then it says when the next session is).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from backcoach.core.errors import NoProgram, ProgramPaused
from backcoach.core.planner import PlannedExercise
from backcoach.core.session_steps import is_due
from backcoach.services.clearances import standing_warning, unavailable
from backcoach.services.context import Scope
from backcoach.services.programs import active_program
from backcoach.services.review import rescreen_due
from backcoach.storage.records import SessionState

# How far ahead to look for the next session: a week covers every "times a week" spread.
LOOK_AHEAD_DAYS = 7


class TodayState(StrEnum):
    no_program = "no_program"
    warning = "warning"  # a warning sign waits for a professional's check: no exercise at all
    paused = "paused"  # the program is paused for another reason
    rescreen = "rescreen"  # pain rose: the warning-sign questions come first
    carry_on = "carry_on"  # a session was started and not finished
    nothing_due = "nothing_due"
    ready = "ready"


@dataclass(frozen=True)
class Today:
    state: TodayState
    message: str
    due: list[PlannedExercise]
    open_session: SessionState | None = None
    next_day: date | None = None  # when something is due next, if nothing is due now
    in_program: int = 0  # exercises in the program, to say why a session holds fewer

    @property
    def fewer_because(self) -> str | None:
        """Why today's session holds fewer exercises than the program, in one sentence."""
        left = self.in_program - len(self.due)
        if self.state is not TodayState.ready or left <= 0:
            return None
        them = "One exercise in your program is" if left == 1 else f"{left} exercises in your program are"
        return f"{them} not in this session: done as often as asked today, set for other days, or paused."

    @property
    def can_start(self) -> bool:
        return self.state in (TodayState.ready, TodayState.carry_on)


def due_on(
    scope: Scope, program_start: date, day: date, session_of_day: int, exercises: Sequence[PlannedExercise]
) -> list[PlannedExercise]:
    paused = unavailable(scope)
    index = (day - program_start).days
    return [p for p in exercises if is_due(p, index, session_of_day) and p.id not in paused]


def next_session_words(today: date, day: date | None) -> str:
    if day is None:
        return "Nothing in your program is due this week."
    if day == today + timedelta(days=1):
        return "Your next session is tomorrow."
    return f"Your next session is on {day.strftime('%A')}."


def today(scope: Scope) -> Today:
    """What the person can do now, in the order the rules check it."""
    standing = standing_warning(scope)
    if standing is not None:
        return Today(TodayState.warning, standing.result().message, [])
    try:
        program = active_program(scope)
    except NoProgram as error:
        return Today(TodayState.no_program, str(error), [])
    except ProgramPaused as error:
        return Today(TodayState.paused, error.reason, [])
    if rescreen_due(scope):
        return Today(
            TodayState.rescreen,
            "Your pain went up at your last check-in. Please answer the warning-sign questions again first.",
            [],
        )
    unfinished = scope.repo.open_session()
    if unfinished is not None:
        return Today(TodayState.carry_on, "You have a session that did not finish.", [], unfinished)
    now = scope.now()
    start_day, day = program.created_at.date(), now.date()
    midnight = datetime.combine(day, datetime.min.time())
    done_today = scope.repo.sessions_taken_between(midnight, midnight + timedelta(days=1))
    due = due_on(scope, start_day, day, done_today, program.exercises)
    if due:
        return Today(TodayState.ready, "", due, in_program=len(program.exercises))
    ahead = (day + timedelta(days=k) for k in range(1, LOOK_AHEAD_DAYS + 1))
    next_day = next((d for d in ahead if due_on(scope, start_day, d, 0, program.exercises)), None)
    message = f"You have done everything due today. Well done. {next_session_words(day, next_day)}"
    return Today(TodayState.nothing_due, message, [], next_day=next_day)
