"""The progress summary: adherence by week, streaks, the pain trend and the functional scale."""

from __future__ import annotations

from dataclasses import dataclass

from backcoach.core.history import (
    PainTrend,
    PsfsRecord,
    WeekSummary,
    pain_trend,
    psfs_trend,
    streaks_from_days,
    weekly_from_days,
)
from backcoach.services.activities import Activity, activities_from
from backcoach.services.context import Scope
from backcoach.services.local_time import day_reader
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


def progress(scope: Scope) -> Progress | None:
    repo = scope.repo
    programs = program_versions(scope)
    profile = repo.latest_profile()
    if not programs or profile is None:
        return None
    days = repo.past.days()  # summed up in the database: a year costs about what a week does
    today = scope.now().date()
    weeks = weekly_from_days(days, programs[0].created_at.date(), today, profile.sessions_per_day)
    current, longest = streaks_from_days(days, today)
    ratings = repo.psfs_history()
    return Progress(
        weeks,
        current,
        longest,
        pain_trend(weeks),
        psfs_trend(ratings),
        ratings,
        activities_from([(a.id, a.name) for a in repo.psfs_activities()], ratings, day_reader(scope)),
        programs,
        sum(d.sessions_done for d in days),
    )
