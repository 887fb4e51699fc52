"""The progress summary: adherence by week, streaks, the pain trend and the functional scale."""

from __future__ import annotations

from dataclasses import dataclass

from backcoach.core.history import PainTrend, WeekSummary, pain_trend, psfs_trend, streaks, weekly
from backcoach.services.context import Context
from backcoach.storage.tables import ProgramVersion


@dataclass(frozen=True)
class Progress:
    weeks: list[WeekSummary]
    current_streak: int
    longest_streak: int
    pain: PainTrend
    psfs: dict[str, tuple[int, int]]
    programs: list[ProgramVersion]
    sessions_done: int


def progress(ctx: Context) -> Progress | None:
    person = ctx.person_id
    programs = ctx.repo.programs(person)
    profile = ctx.repo.latest_profile(person)
    if not programs or profile is None:
        return None
    sessions = ctx.repo.history(person)
    today = ctx.now().date()
    weeks = weekly(sessions, programs[0].created_at.date(), today, profile.sessions_per_day)
    current, longest = streaks(sessions, today)
    return Progress(
        weeks,
        current,
        longest,
        pain_trend(weeks),
        psfs_trend(ctx.repo.psfs_history(person)),
        programs,
        sum(1 for s in sessions if s.did_exercise),
    )
