"""Plain values read from storage. The repository hands these out, never ORM rows, so nothing
above storage can lazy-load, write back by accident, or depend on the table layout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class ProgramRecord:
    id: int
    version: int
    created_at: datetime
    profile_id: int
    reason: str
    exercises: tuple[dict[str, Any], ...]  # {"id", "dose", "why"}
    changes: tuple[dict[str, Any], ...]
    explanation: dict[str, Any] | None  # what the planner or review decided then; None before migration 0003


@dataclass(frozen=True)
class SessionState:
    """A stored session: its own list of exercises and any pain-stop choice still to be made."""

    id: int
    program_id: int
    started_at: datetime
    status: str
    plan: tuple[dict[str, Any], ...] | None  # None for sessions stored before migration 0003
    pending_pain: dict[str, Any] | None
    pain_before: int | None


@dataclass(frozen=True)
class StoredOutcome:
    exercise_id: str
    status: str
    dose: dict[str, Any]
    pain_kind: str | None
    pain_score: int | None
    pain_place: str | None


@dataclass(frozen=True)
class ScreeningRecord:
    id: int
    answered_at: datetime
    answers: dict[str, Any]
    status: str
    after_session_id: int | None  # the newest session with a check-in when these answers were given


@dataclass(frozen=True)
class ReviewRecord:
    reviewed_at: datetime
    pain_level: float | None
    alarm: bool


@dataclass(frozen=True)
class ReminderRecord:
    times: tuple[str, ...]
    timezone: str
    alarm_minutes: int
    updated_at: datetime


@dataclass(frozen=True)
class ActivityRecord:
    id: int
    name: str


@dataclass(frozen=True)
class PersonRecord:
    id: int
    created_at: datetime


@dataclass(frozen=True)
class LastCheckIn:
    """The newest check-in of a finished session, with when it ended."""

    session_id: int
    ended_at: datetime
    pain_before: int | None
    pain_after: int | None
    stop_scores: tuple[int, ...]  # pain reported at each stop in that session
    into_the_legs: bool  # whether any of them went into the legs


@dataclass(frozen=True)
class PauseRecord:
    """An exercise paused because it hurt, not yet cleared."""

    exercise_id: str
    reason: str
    paused_at: datetime
    session_id: int | None  # the session where it hurt; None when a review paused it


@dataclass(frozen=True)
class ExerciseClearedRecord:
    """A pause lifted: who said the exercise is fine, and on which day."""

    exercise_id: str
    cleared_by: str
    cleared_on: date


@dataclass(frozen=True)
class ClearanceRecord:
    """A professional's check after a warning sign, as recorded: who, when, which signs."""

    id: int
    screening_id: int
    signs: tuple[str, ...]
    cleared_by: str
    cleared_on: date
    recorded_at: datetime
