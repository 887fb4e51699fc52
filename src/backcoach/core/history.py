"""What the history says: adherence per week, streaks, the pain trend and the functional scale.

Pure functions over plain records, so the command line, the web pages and the review all
read history the same way. A change in pain counts as real when it is at least 2 points or
30% on the 0-10 scale (Ostelo et al. 2008).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from backcoach.core.rules import MEANINGFUL_FRACTION, MEANINGFUL_POINTS, Difficulty, OutcomeStatus
from backcoach.core.sources import title_of

# What counts as a real change, for a person, with the study it comes from by its plain name.
REAL_CHANGE = (
    f"A drop of {MEANINGFUL_POINTS.value:g} points, or of {MEANINGFUL_FRACTION.value:.0%}, on the 0 to 10 pain "
    f"scale is a real change. Source: {title_of('OSTELO-2008')}."
)


@dataclass(frozen=True)
class OutcomeRecord:
    exercise_id: str
    status: str
    dose: dict[str, Any]
    pain_kind: str | None = None
    pain_score: int | None = None


@dataclass(frozen=True)
class CheckInRecord:
    pain_before: int | None
    pain_after: int | None
    difficulty: str | None


@dataclass(frozen=True)
class SessionRecord:
    id: int
    started_at: datetime
    status: str
    program_id: int
    outcomes: tuple[OutcomeRecord, ...]
    check_in: CheckInRecord | None

    @property
    def did_exercise(self) -> bool:
        return any(o.status == OutcomeStatus.done for o in self.outcomes)

    @property
    def pain_stops(self) -> int:
        return sum(1 for o in self.outcomes if o.pain_kind is not None)


@dataclass(frozen=True)
class PsfsRecord:
    activity: str
    rated_at: datetime
    score: int
    activity_id: int = 0  # which activity: names are not unique in older records
    rating_id: int = 0  # the rating's own id (0 when not read)


@dataclass(frozen=True)
class WeekSummary:
    start: date
    sessions_done: int
    sessions_planned: int
    pain_before: float | None
    pain_after: float | None
    pain_stops: int
    hard_sessions: int
    easy_sessions: int

    @property
    def adherence(self) -> float:
        return min(1.0, self.sessions_done / self.sessions_planned) if self.sessions_planned else 0.0


@dataclass(frozen=True)
class PainTrend:
    first: float | None
    latest: float | None
    change: float | None  # negative means less pain
    meaningful: bool
    words: str


class DaySummary(NamedTuple):
    """One day of sessions, by the day each started: what the weekly summaries and the streaks
    are made of. Totals and counts rather than means, so days add up into weeks exactly. A named
    tuple: a year of them is made on every progress page, and a tuple is made fastest."""

    day: date
    sessions_done: int = 0  # sessions with at least one exercise done
    pain_stops: int = 0
    pain_before_total: int = 0
    pain_before_count: int = 0
    pain_after_total: int = 0
    pain_after_count: int = 0
    hard_sessions: int = 0
    easy_sessions: int = 0


def days_of(sessions: list[SessionRecord]) -> list[DaySummary]:
    """The sessions, day by day, oldest first; a day with nothing to count is left out (storage
    computes the same in SQL: `HistoryRecords.days`)."""
    by_day: dict[date, list[SessionRecord]] = defaultdict(list)
    for s in sessions:
        by_day[s.started_at.date()].append(s)
    found = []
    for day in sorted(by_day):
        rows = by_day[day]
        checks = [s.check_in for s in rows if s.check_in is not None]
        before = [c.pain_before for c in checks if c.pain_before is not None]
        after = [c.pain_after for c in checks if c.pain_after is not None]
        summary = DaySummary(
            day,
            sessions_done=sum(1 for s in rows if s.did_exercise),
            pain_stops=sum(s.pain_stops for s in rows),
            pain_before_total=sum(before),
            pain_before_count=len(before),
            pain_after_total=sum(after),
            pain_after_count=len(after),
            hard_sessions=sum(1 for c in checks if c.difficulty == Difficulty.hard),
            easy_sessions=sum(1 for c in checks if c.difficulty == Difficulty.easy),
        )
        if summary != DaySummary(day):
            found.append(summary)
    return found


def _mean_of(total: int, count: int) -> float | None:
    return round(total / count, 1) if count else None


def weekly(sessions: list[SessionRecord], start: date, today: date, sessions_per_day: int) -> list[WeekSummary]:
    """One summary per week from `start` to `today`; the last week may be partial."""
    return weekly_from_days(days_of(sessions), start, today, sessions_per_day)


def weekly_from_days(days: list[DaySummary], start: date, today: date, sessions_per_day: int) -> list[WeekSummary]:
    """`weekly`, from the sessions summed up day by day."""
    count = (today - start).days // 7 + 1
    sums = [[0] * 8 for _ in range(count)]  # a year of days is added up on every progress page: one pass
    for d in days:
        index = (d.day - start).days // 7
        if 0 <= index < count:
            week = sums[index]
            for field, value in enumerate(d[1:]):
                week[field] += value
    weeks = []
    for index, week in enumerate(sums):
        done, stops, before_total, before_count, after_total, after_count, hard, easy = week
        week_start = start + timedelta(days=7 * index)
        weeks.append(
            WeekSummary(
                start=week_start,
                sessions_done=done,
                sessions_planned=min(7, (today - week_start).days + 1) * sessions_per_day,
                pain_before=_mean_of(before_total, before_count),
                pain_after=_mean_of(after_total, after_count),
                pain_stops=stops,
                hard_sessions=hard,
                easy_sessions=easy,
            )
        )
    return weeks


def streaks(sessions: list[SessionRecord], today: date) -> tuple[int, int]:
    """(current, longest) runs of days with at least one session done."""
    return streaks_from_days(days_of(sessions), today)


def streaks_from_days(days: list[DaySummary], today: date) -> tuple[int, int]:
    """`streaks`, from the sessions summed up day by day."""
    done = sorted(d.day for d in days if d.sessions_done)
    longest = run = 0
    previous: date | None = None
    for day in done:
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day
    current = run if previous is not None and (today - previous).days <= 1 else 0
    return current, longest


def is_meaningful(first: float, latest: float) -> bool:
    drop = abs(latest - first)
    return drop >= MEANINGFUL_POINTS.value or (first > 0 and drop / first >= MEANINGFUL_FRACTION.value)


def pain_trend(weeks: list[WeekSummary]) -> PainTrend:
    """Compare the first and the latest week that have pain ratings (before each session)."""
    rated = [w.pain_before for w in weeks if w.pain_before is not None]
    if len(rated) < 2:
        return PainTrend(
            rated[0] if rated else None,
            None,
            None,
            False,
            "Not enough weeks yet to see a trend. Results take a few weeks.",
        )
    first, latest = rated[0], rated[-1]
    change = round(latest - first, 1)
    meaningful = is_meaningful(first, latest)
    if meaningful and change < 0:
        words = f"Your pain has dropped from {first} to {latest}. That is a real change."
    elif meaningful and change > 0:
        words = f"Your pain has risen from {first} to {latest}. Please talk to a doctor or physiotherapist."
    else:
        words = f"Your pain went from {first} to {latest}: not yet a clear change. Results take a few weeks."
    return PainTrend(first, latest, change, meaningful, words)
