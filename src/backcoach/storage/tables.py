"""The database tables. History is appended, never rewritten: a changed profile or program
is a new row with its reason, so a person can always see what changed and why."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from backcoach.core.rules import Difficulty, OutcomeStatus, SessionStatus, sql_in


class Base(DeclarativeBase):
    # Datetimes are stored as naive UTC on both SQLite and PostgreSQL.
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, datetime: DateTime(timezone=False), date: Date}  # noqa: RUF012


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]


class Screening(Base):
    """The warning-sign answers, each time they are asked."""

    __tablename__ = "screening"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    answered_at: Mapped[datetime]
    answers: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(20))
    # The newest session with a check-in when these answers were given: re-screening after a
    # rise in pain is done once answers come after that session (no clock needed to tell).
    after_session_id: Mapped[int | None] = mapped_column(ForeignKey("session.id"))


class ProfileVersion(Base):
    __tablename__ = "profile_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    created_at: Mapped[datetime]
    data: Mapped[dict[str, Any]]


class ProgramVersion(Base):
    __tablename__ = "program_version"
    __table_args__ = (UniqueConstraint("person_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    version: Mapped[int]
    created_at: Mapped[datetime]
    profile_id: Mapped[int] = mapped_column(ForeignKey("profile_version.id"))
    reason: Mapped[str] = mapped_column(Text)
    # [{"id", "dose", "why"}], plus each change's reason when a review made this version
    exercises: Mapped[list[Any]]
    changes: Mapped[list[Any]] = mapped_column(default=list)
    # What was decided then: the planner's why-not list and notes, or the review's, with reason codes.
    explanation: Mapped[dict[str, Any] | None]


class Session(Base):
    __tablename__ = "session"
    __table_args__ = (
        # At most one open session per person: two devices starting at once cannot both open one.
        Index(
            "uq_session_one_open",
            "person_id",
            unique=True,
            sqlite_where=text("status = 'in_progress'"),
            postgresql_where=text("status = 'in_progress'"),
        ),
        CheckConstraint(sql_in("status", SessionStatus)),
        CheckConstraint("pain_before is null or (pain_before between 0 and 10)", name="ck_session_pain_before"),
        # One person's sessions by time (today's, the last week's) and newest first (a page of history).
        Index("ix_session_person_started", "person_id", "started_at"),
        Index("ix_session_person_newest", "person_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program_version.id"))
    started_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default=SessionStatus.in_progress)
    # This session's own exercises and doses: what was due when it started, changed by pain-stop choices.
    plan: Mapped[list[Any] | None]
    # A mild pain stop whose option is not chosen yet: every player and device comes back to it.
    pending_pain: Mapped[dict[str, Any] | None]
    # Pain before the session, kept from the start, so a reload or another device cannot lose it.
    pain_before: Mapped[int | None]


class ExerciseOutcomeRow(Base):
    __tablename__ = "exercise_outcome"
    __table_args__ = (
        UniqueConstraint("session_id", "exercise_id"),
        CheckConstraint(sql_in("status", OutcomeStatus)),
        # What the day-by-day sums read of a session's outcomes, found in the index alone.
        Index("ix_exercise_outcome_session_sums", "session_id", "status", "pain_kind"),
        CheckConstraint("pain_score is null or (pain_score between 0 and 10)"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session.id"), index=True)
    exercise_id: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20))
    dose: Mapped[dict[str, Any]]
    pain_kind: Mapped[str | None] = mapped_column(String(20))
    pain_score: Mapped[int | None] = mapped_column(Integer)
    pain_place: Mapped[str | None] = mapped_column(String(20))
    recorded_at: Mapped[datetime]


class CheckIn(Base):
    __tablename__ = "check_in"
    __table_args__ = (
        CheckConstraint("pain_before is null or (pain_before between 0 and 10)"),
        CheckConstraint("pain_after is null or (pain_after between 0 and 10)"),
        CheckConstraint(sql_in("difficulty", Difficulty, nullable=True)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session.id"), unique=True)
    pain_before: Mapped[int | None]
    pain_after: Mapped[int | None]
    difficulty: Mapped[str | None] = mapped_column(String(10))
    recorded_at: Mapped[datetime]


class PsfsActivity(Base):
    """Patient-Specific Functional Scale: an activity the person names, up to three."""

    __tablename__ = "psfs_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    retired_at: Mapped[datetime | None]


class PsfsRating(Base):
    __tablename__ = "psfs_rating"
    __table_args__ = (
        CheckConstraint("score between 0 and 10"),
        Index("ix_psfs_rating_activity_time", "activity_id", "rated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("psfs_activity.id"), index=True)
    rated_at: Mapped[datetime]
    score: Mapped[int]


class Review(Base):
    """A progression review: when it ran and what it advised, even when nothing changed."""

    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    reviewed_at: Mapped[datetime]
    period_start: Mapped[datetime]
    program_id: Mapped[int | None] = mapped_column(ForeignKey("program_version.id"))
    advice: Mapped[list[Any]]
    # Pain rising or critical at this review; two in a row means "see a professional".
    alarm: Mapped[bool] = mapped_column(default=False)
    pain_level: Mapped[float | None]


class ReminderSettings(Base):
    """When the person wants to be reminded: local times ("07:30"), in their time zone."""

    __tablename__ = "reminder_settings"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    times: Mapped[list[Any]]
    timezone: Mapped[str] = mapped_column(String(64))
    alarm_minutes: Mapped[int] = mapped_column(default=10)
    updated_at: Mapped[datetime]


class PausedExercise(Base):
    """An exercise paused because it hurt. It is never offered again (in a session, a review, a
    swap or a new plan) until the person records that a professional cleared it."""

    __tablename__ = "paused_exercise"
    __table_args__ = (
        Index(
            "uq_paused_exercise_open",
            "person_id",
            "exercise_id",
            unique=True,
            sqlite_where=text("cleared_at is null"),
            postgresql_where=text("cleared_at is null"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    exercise_id: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    paused_at: Mapped[datetime]
    session_id: Mapped[int | None] = mapped_column(ForeignKey("session.id"))
    cleared_at: Mapped[datetime | None]
    cleared_by: Mapped[str | None] = mapped_column(String(200))
    cleared_on: Mapped[date | None]


class Clearance(Base):
    """A doctor or physiotherapist checked the person after a warning sign, as the person (or,
    in a clinic, their physiotherapist) records it: who and when, and the signs it covers."""

    __tablename__ = "clearance"
    __table_args__ = (UniqueConstraint("person_id", "screening_id"),)  # a double submit records one check

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    screening_id: Mapped[int] = mapped_column(ForeignKey("screening.id"))
    signs: Mapped[list[Any]]
    cleared_by: Mapped[str] = mapped_column(String(200))
    cleared_on: Mapped[date]
    recorded_at: Mapped[datetime]


class IdempotentRequest(Base):
    """A request that changes something, sent with an Idempotency-Key, and the answer it got: the
    same request sent again with that key gets the same answer, and nothing is done twice. Kept
    per `owner` (who acts on whose record: "local" for the one person on this machine), so nobody
    is ever answered with someone else's answer. Not history: it is neither exported nor imported."""

    __tablename__ = "idempotent_request"
    __table_args__ = (UniqueConstraint("owner", "key"), {"info": {"history": False}})

    id: Mapped[int] = mapped_column(primary_key=True)
    owner: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64))  # what was asked: method, path and body, hashed
    claimed_at: Mapped[datetime] = mapped_column(index=True)  # by the clock on the wall, in UTC
    status_code: Mapped[int | None]  # None while the first request is still being answered
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    media_type: Mapped[str | None] = mapped_column(String(100))


class LessonMark(Base):
    """A lesson the person was offered after a session, or read: one row per lesson, with the last
    time it was offered (one offer a day at most) and the first time it was opened (read)."""

    __tablename__ = "lesson_mark"
    __table_args__ = (UniqueConstraint("person_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    lesson_id: Mapped[str] = mapped_column(String(50))
    offered_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]


# The clinic's tables share this metadata (migrations and checks see every table); imported last
# because they build on `Base`.
from backcoach.storage import clinic_tables as _clinic_tables  # noqa: E402, F401
