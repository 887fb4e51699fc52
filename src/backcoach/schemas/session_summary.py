"""The end-of-session summary, as the API and the web player give it."""

from __future__ import annotations

from pydantic import BaseModel

from backcoach.services.summary import SessionSummary


class DayOut(BaseModel):
    day: str  # ISO date
    weekday: str  # "Mon"
    sessions: int


class SummaryOut(BaseModel):
    done: list[str]
    skipped: list[str]
    stopped_for_pain: list[str]
    minutes: int
    pain_before: int | None
    pain_after: int | None
    streak_days: int
    week: list[DayOut]


def summary_out(summary: SessionSummary) -> SummaryOut:
    return SummaryOut(
        done=summary.done,
        skipped=summary.skipped,
        stopped_for_pain=summary.stopped_for_pain,
        minutes=summary.minutes,
        pain_before=summary.pain_before,
        pain_after=summary.pain_after,
        streak_days=summary.streak_days,
        week=[DayOut(day=d.day.isoformat(), weekday=d.day.strftime("%a"), sessions=d.sessions) for d in summary.week],
    )
