"""The end-of-session summary, as the API and the web player give it."""

from __future__ import annotations

from pydantic import BaseModel

from backcoach.core.lessons import Offer
from backcoach.services.summary import SessionSummary


class DayOut(BaseModel):
    day: str  # ISO date
    weekday: str  # "Mon"
    sessions: int


class LessonOfferOut(BaseModel):
    """A short lesson offered as the session ends: at most one a day, and the flare-up plan
    whenever pain rose or a pain stop happened."""

    id: str
    title: str
    summary: str
    reason: str  # flare or daily
    words: str  # why it is offered, in one line
    path: str  # where the web app shows it


def lesson_offer_out(offer: Offer | None) -> LessonOfferOut | None:
    if offer is None:
        return None
    lesson = offer.lesson
    return LessonOfferOut(
        id=lesson.id,
        title=lesson.title,
        summary=lesson.summary,
        reason=offer.reason.value,
        words=offer.words,
        path=f"/learn/{lesson.id}",
    )


class SummaryOut(BaseModel):
    done: list[str]
    skipped: list[str]
    stopped_for_pain: list[str]
    minutes: int
    pain_before: int | None
    pain_after: int | None
    streak_days: int
    week: list[DayOut]
    lesson: LessonOfferOut | None = None


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
        lesson=lesson_offer_out(summary.lesson),
    )
