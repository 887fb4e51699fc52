"""What the history says: adherence per week, streaks, the pain trend and the functional scale.

Pure functions over plain records, so the command line, the web pages and the review all
read history the same way. A change in pain counts as real when it is at least 2 points or
30% on the 0-10 scale (Ostelo et al. 2008).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean
from typing import Any

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


def _mean(values: list[int]) -> float | None:
    return round(fmean(values), 1) if values else None


def weekly(sessions: list[SessionRecord], start: date, today: date, sessions_per_day: int) -> list[WeekSummary]:
    """One summary per week from `start` to `today`; the last week may be partial."""
    by_week: dict[int, list[SessionRecord]] = defaultdict(list)
    for s in sessions:
        by_week[(s.started_at.date() - start).days // 7].append(s)
    weeks = []
    for index in range((today - start).days // 7 + 1):
        week_start = start + timedelta(days=7 * index)
        days = min(7, (today - week_start).days + 1)
        rows = by_week.get(index, [])
        checks = [s.check_in for s in rows if s.check_in is not None]
        weeks.append(
            WeekSummary(
                start=week_start,
                sessions_done=sum(1 for s in rows if s.did_exercise),
                sessions_planned=days * sessions_per_day,
                pain_before=_mean([c.pain_before for c in checks if c.pain_before is not None]),
                pain_after=_mean([c.pain_after for c in checks if c.pain_after is not None]),
                pain_stops=sum(s.pain_stops for s in rows),
                hard_sessions=sum(1 for c in checks if c.difficulty == Difficulty.hard),
                easy_sessions=sum(1 for c in checks if c.difficulty == Difficulty.easy),
            )
        )
    return weeks


def streaks(sessions: list[SessionRecord], today: date) -> tuple[int, int]:
    """(current, longest) runs of days with at least one session done."""
    days = sorted({s.started_at.date() for s in sessions if s.did_exercise})
    longest = run = 0
    previous: date | None = None
    for day in days:
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


def psfs_trend(records: list[PsfsRecord]) -> dict[str, tuple[int, int]]:
    """For each activity: (first score, latest score). Higher means easier to do."""
    trend: dict[str, tuple[int, int]] = {}
    for r in records:
        first = trend[r.activity][0] if r.activity in trend else r.score
        trend[r.activity] = (first, r.score)
    return trend
