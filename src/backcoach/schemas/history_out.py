"""A page of past sessions as JSON: what `GET /api/v1/sessions` gives out (`services.history_pages`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from backcoach.core.history import SessionRecord

if TYPE_CHECKING:  # as in `schemas.output`: the models load without the services and storage
    from backcoach.services.history_pages import HistoryPage


class PastOutcomeOut(BaseModel):
    exercise_id: str
    status: str  # done, skipped or stopped_for_pain
    dose: dict[str, Any]  # the dose it was done at, as stored with the outcome
    pain_kind: str | None  # the pain reported at a stop, if any
    pain_score: int | None


class PastCheckInOut(BaseModel):
    pain_before: int | None
    pain_after: int | None
    difficulty: str | None  # easy, right or hard


class PastSessionOut(BaseModel):
    id: int
    started_at: datetime  # in UTC, with its zone: 2026-03-02T08:00:00Z
    status: str  # in_progress, finished, stopped_for_pain or quit
    program_id: int
    outcomes: list[PastOutcomeOut]  # in the order they were saved
    check_in: PastCheckInOut | None  # None for a session that ended without one (set aside, say)


class HistoryPageOut(BaseModel):
    sessions: list[PastSessionOut]  # newest first
    next: str | None = Field(
        description="Give this as `before` for the next, older page; null when this page holds the oldest session."
    )


def past_session_out(record: SessionRecord) -> PastSessionOut:
    checked = record.check_in
    return PastSessionOut(
        id=record.id,
        started_at=record.started_at.replace(tzinfo=UTC),
        status=record.status,
        program_id=record.program_id,
        outcomes=[
            PastOutcomeOut(
                exercise_id=o.exercise_id, status=o.status, dose=o.dose, pain_kind=o.pain_kind, pain_score=o.pain_score
            )
            for o in record.outcomes
        ],
        check_in=None
        if checked is None
        else PastCheckInOut(
            pain_before=checked.pain_before, pain_after=checked.pain_after, difficulty=checked.difficulty
        ),
    )


def history_page_out(page: HistoryPage) -> HistoryPageOut:
    return HistoryPageOut(sessions=[past_session_out(s) for s in page.sessions], next=page.next)
