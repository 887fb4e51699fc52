"""What a person sees when a session ends: what was done, how long, pain before and after, the
streak, and the last seven days. The terminal coach prints its own table; the web shows this."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from backcoach.core.history import DaySummary, streaks_from_days
from backcoach.core.lessons import Offer
from backcoach.core.rules import OutcomeStatus
from backcoach.core.timing import Dose, exercise_seconds
from backcoach.services.context import Scope

WEEK = 7
# Enough history for any streak a summary shows in words: longer runs read as "a year or more".
STREAK_HISTORY_DAYS = 366


@dataclass(frozen=True)
class DayDone:
    day: date
    sessions: int  # sessions with at least one exercise done


@dataclass(frozen=True)
class SessionSummary:
    done: list[str]  # exercise names, in the order they ended
    skipped: list[str]
    stopped_for_pain: list[str]
    minutes: int  # minutes of exercise in what was done, from the doses
    pain_before: int | None
    pain_after: int | None
    streak_days: int
    week: list[DayDone]  # the last seven days, today last
    lesson: Offer | None = None  # a short lesson offered now: the flare-up plan if pain rose or stopped a session


def last_week(done: list[DaySummary], today: date) -> list[DayDone]:
    """The last seven days, today last, from the sessions done day by day (at least that far back)."""
    first = today - timedelta(days=WEEK - 1)
    counts = {d.day: d.sessions_done for d in done}
    return [DayDone(first + timedelta(days=k), counts.get(first + timedelta(days=k), 0)) for k in range(WEEK)]


def session_summary(scope: Scope, session_id: int, pain_before: int | None, pain_after: int | None) -> SessionSummary:
    names = {e.id: e.name for e in scope.catalogue}
    by_status: dict[str, list[str]] = {status: [] for status in OutcomeStatus}
    seconds = 0
    for outcome in scope.repo.outcomes(session_id):
        by_status[outcome.status].append(names.get(outcome.exercise_id, outcome.exercise_id))
        if outcome.status == OutcomeStatus.done and outcome.exercise_id in names:
            seconds += exercise_seconds(Dose(**outcome.dose), scope.catalogue.get(outcome.exercise_id).pace)
    # One bounded read for the streak and the last seven days: sessions done, day by day.
    done = scope.repo.past.done_by_day(since=scope.now() - timedelta(days=STREAK_HISTORY_DAYS))
    today = scope.now().date()
    current, _ = streaks_from_days(done, today)
    return SessionSummary(
        done=by_status[OutcomeStatus.done],
        skipped=by_status[OutcomeStatus.skipped],
        stopped_for_pain=by_status[OutcomeStatus.stopped_for_pain],
        minutes=max(1, round(seconds / 60)) if seconds else 0,
        pain_before=pain_before,
        pain_after=pain_after,
        streak_days=current,
        week=last_week(done, today),
    )
