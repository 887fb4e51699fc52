"""The progress summary: adherence by week, streaks, the pain trend and the functional scale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from backcoach.core.history import (
    PainTrend,
    PsfsRecord,
    WeekSummary,
    pain_trend,
    streaks_from_days,
    weekly_from_days,
)
from backcoach.services.activities import SHOWN_RATINGS, Activity, activities_from
from backcoach.services.context import Scope
from backcoach.services.programs import ProgramView, program_versions


@dataclass(frozen=True)
class Progress:
    weeks: list[WeekSummary]
    current_streak: int
    longest_streak: int
    pain: PainTrend
    psfs: dict[str, tuple[int, int]]
    psfs_ratings: list[PsfsRecord]
    activities: list[Activity]  # each with its ratings and what the change means
    programs: list[ProgramView]
    sessions_done: int


def progress(scope: Scope, recent_weeks: int | None = None) -> Progress | None:
    """The whole history, or only its latest `recent_weeks` (a care team's charts: the cost stays
    that of those weeks however long the history; streaks and totals then count those weeks only)."""
    repo = scope.repo
    programs = program_versions(scope)
    profile = repo.latest_profile()
    if not programs or profile is None:
        return None
    today = scope.now().date()
    start = programs[0].created_at.date()
    if recent_weeks is not None:  # whole weeks from the program's start, so each week is the same
        start += timedelta(days=7 * max(0, (today - start).days // 7 - recent_weeks + 1))
    since = None if recent_weeks is None else datetime.combine(start, time())
    days = repo.past.days(since)  # summed up in the database
    weeks = weekly_from_days(days, start, today, profile.sessions_per_day)
    current, longest = streaks_from_days(days, today)
    read = repo.psfs.summaries(None, SHOWN_RATINGS)
    activities = activities_from(read)
    ratings = sorted((r for one in read.activities for r in one.latest), key=lambda r: (r.rated_at, r.rating_id))
    return Progress(
        weeks,
        current,
        longest,
        pain_trend(weeks),
        {a.name: (a.first, a.latest) for a in activities if a.first is not None and a.latest is not None},
        ratings,
        activities,
        programs,
        sum(d.sessions_done for d in days),
    )
