"""Reading and writing one person's history. Each write is its own short transaction, so a
crash loses at most the step in progress."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from backcoach.core.history import CheckInRecord, OutcomeRecord, PsfsRecord, SessionRecord
from backcoach.core.profile import Profile
from backcoach.core.screening import ScreenResult
from backcoach.core.session_run import ExerciseOutcome
from backcoach.storage import tables as t


class Repository:
    def __init__(self, sessions: sessionmaker[OrmSession]) -> None:
        self._sessions = sessions

    @property
    def sessions(self) -> sessionmaker[OrmSession]:
        """The session factory, for whole-database work such as export and import."""
        return self._sessions

    # People, screening and profile -------------------------------------------------------

    def find_person_id(self) -> int | None:
        with self._sessions() as db:
            return db.scalars(select(t.Person.id).order_by(t.Person.id)).first()

    def person_id(self, now: datetime) -> int:
        """The single local person, created on first use."""
        with self._sessions.begin() as db:
            person = db.scalars(select(t.Person).order_by(t.Person.id)).first()
            if person is None:
                person = t.Person(created_at=now)
                db.add(person)
                db.flush()
            return person.id

    def save_screening(self, person_id: int, answers: dict[str, bool], result: ScreenResult, now: datetime) -> None:
        with self._sessions.begin() as db:
            db.add(t.Screening(person_id=person_id, answered_at=now, answers=answers, status=result.status.value))

    def save_profile(self, person_id: int, profile: Profile, now: datetime) -> int:
        with self._sessions.begin() as db:
            row = t.ProfileVersion(person_id=person_id, created_at=now, data=profile.model_dump(mode="json"))
            db.add(row)
            db.flush()
            return row.id

    def latest_profile(self, person_id: int) -> Profile | None:
        with self._sessions() as db:
            row = db.scalars(
                select(t.ProfileVersion)
                .where(t.ProfileVersion.person_id == person_id)
                .order_by(t.ProfileVersion.id.desc())
            ).first()
            return None if row is None else Profile.model_validate(row.data)

    # Programs ------------------------------------------------------------------------------

    def save_program(
        self,
        person_id: int,
        profile_id: int,
        exercises: list[dict[str, Any]],
        reason: str,
        changes: list[dict[str, Any]],
        now: datetime,
    ) -> t.ProgramVersion:
        with self._sessions.begin() as db:
            latest = db.scalar(
                select(func.max(t.ProgramVersion.version)).where(t.ProgramVersion.person_id == person_id)
            )
            row = t.ProgramVersion(
                person_id=person_id,
                version=(latest or 0) + 1,
                created_at=now,
                profile_id=profile_id,
                reason=reason,
                exercises=exercises,
                changes=changes,
            )
            db.add(row)
            db.flush()
            return row

    def current_program(self, person_id: int) -> t.ProgramVersion | None:
        with self._sessions() as db:
            return db.scalars(
                select(t.ProgramVersion)
                .where(t.ProgramVersion.person_id == person_id)
                .order_by(t.ProgramVersion.version.desc())
            ).first()

    def program(self, program_id: int) -> t.ProgramVersion:
        with self._sessions() as db:
            return db.get_one(t.ProgramVersion, program_id)

    def programs(self, person_id: int) -> list[t.ProgramVersion]:
        with self._sessions() as db:
            return list(
                db.scalars(
                    select(t.ProgramVersion)
                    .where(t.ProgramVersion.person_id == person_id)
                    .order_by(t.ProgramVersion.version)
                )
            )

    # Sessions and what happened in them -------------------------------------------------

    def start_session(self, person_id: int, program_id: int, now: datetime) -> int:
        with self._sessions.begin() as db:
            row = t.Session(person_id=person_id, program_id=program_id, started_at=now, status="in_progress")
            db.add(row)
            db.flush()
            return row.id

    def open_session(self, person_id: int) -> t.Session | None:
        """The newest session that was never finished, if any: it can be resumed."""
        with self._sessions() as db:
            return db.scalars(
                select(t.Session)
                .where(t.Session.person_id == person_id, t.Session.status == "in_progress")
                .order_by(t.Session.id.desc())
            ).first()

    def record_outcome(self, session_id: int, outcome: ExerciseOutcome, now: datetime) -> None:
        pain = outcome.pain
        with self._sessions.begin() as db:
            db.add(
                t.ExerciseOutcomeRow(
                    session_id=session_id,
                    exercise_id=outcome.exercise_id,
                    status=outcome.status.value,
                    dose=asdict(outcome.dose),
                    pain_kind=pain.kind.value if pain else None,
                    pain_score=pain.score if pain else None,
                    pain_place=pain.place.value if pain else None,
                    recorded_at=now,
                )
            )

    def outcomes(self, session_id: int) -> list[t.ExerciseOutcomeRow]:
        with self._sessions() as db:
            return list(
                db.scalars(
                    select(t.ExerciseOutcomeRow)
                    .where(t.ExerciseOutcomeRow.session_id == session_id)
                    .order_by(t.ExerciseOutcomeRow.id)
                )
            )

    def end_session(self, session_id: int, status: str, now: datetime) -> None:
        with self._sessions.begin() as db:
            row = db.get_one(t.Session, session_id)
            row.status = status
            row.ended_at = now

    def finish_session(
        self,
        session_id: int,
        status: str,
        pain_before: int | None,
        pain_after: int | None,
        difficulty: str | None,
        now: datetime,
    ) -> None:
        """End a session and store its check-in together: both are saved, or neither."""
        with self._sessions.begin() as db:
            row = db.get_one(t.Session, session_id)
            row.status = status
            row.ended_at = now
            db.add(
                t.CheckIn(
                    session_id=session_id,
                    pain_before=pain_before,
                    pain_after=pain_after,
                    difficulty=difficulty,
                    recorded_at=now,
                )
            )

    # Functional scale ---------------------------------------------------------------------

    def psfs_activities(self, person_id: int) -> list[t.PsfsActivity]:
        with self._sessions() as db:
            return list(
                db.scalars(
                    select(t.PsfsActivity)
                    .where(t.PsfsActivity.person_id == person_id, t.PsfsActivity.retired_at.is_(None))
                    .order_by(t.PsfsActivity.id)
                )
            )

    def add_psfs_activity(self, person_id: int, name: str, now: datetime) -> int:
        with self._sessions.begin() as db:
            row = t.PsfsActivity(person_id=person_id, name=name, created_at=now)
            db.add(row)
            db.flush()
            return row.id

    def rate_psfs(self, activity_id: int, score: int, now: datetime) -> None:
        with self._sessions.begin() as db:
            db.add(t.PsfsRating(activity_id=activity_id, score=score, rated_at=now))

    # Reviews ----------------------------------------------------------------------------------

    def save_review(
        self,
        person_id: int,
        period_start: datetime,
        program_id: int | None,
        advice: list[str],
        alarm: bool,
        pain_level: float | None,
        now: datetime,
    ) -> None:
        with self._sessions.begin() as db:
            db.add(
                t.Review(
                    person_id=person_id,
                    reviewed_at=now,
                    period_start=period_start,
                    program_id=program_id,
                    advice=advice,
                    alarm=alarm,
                    pain_level=pain_level,
                )
            )

    def last_review(self, person_id: int) -> t.Review | None:
        with self._sessions() as db:
            return db.scalars(
                select(t.Review).where(t.Review.person_id == person_id).order_by(t.Review.id.desc())
            ).first()

    # Reminders ------------------------------------------------------------------------------

    def reminders(self, person_id: int) -> t.ReminderSettings | None:
        with self._sessions() as db:
            return db.get(t.ReminderSettings, person_id)

    def save_reminders(
        self, person_id: int, times: list[str], timezone: str, alarm_minutes: int, now: datetime
    ) -> None:
        with self._sessions.begin() as db:
            db.merge(
                t.ReminderSettings(
                    person_id=person_id, times=times, timezone=timezone, alarm_minutes=alarm_minutes, updated_at=now
                )
            )

    # History for the pure core --------------------------------------------------------------

    def history(self, person_id: int, since: datetime | None = None) -> list[SessionRecord]:
        """Sessions with their outcomes and check-in, oldest first, in three queries."""
        with self._sessions() as db:
            query = select(t.Session).where(t.Session.person_id == person_id)
            if since is not None:
                query = query.where(t.Session.started_at >= since)
            sessions = list(db.scalars(query.order_by(t.Session.started_at, t.Session.id)))
            ids = [s.id for s in sessions]
            outcomes: dict[int, list[OutcomeRecord]] = {i: [] for i in ids}
            checkins: dict[int, CheckInRecord] = {}
            if ids:
                for row in db.scalars(
                    select(t.ExerciseOutcomeRow)
                    .where(t.ExerciseOutcomeRow.session_id.in_(ids))
                    .order_by(t.ExerciseOutcomeRow.id)
                ):
                    outcomes[row.session_id].append(
                        OutcomeRecord(row.exercise_id, row.status, row.dose, row.pain_kind, row.pain_score)
                    )
                for c in db.scalars(select(t.CheckIn).where(t.CheckIn.session_id.in_(ids))):
                    checkins[c.session_id] = CheckInRecord(c.pain_before, c.pain_after, c.difficulty)
            return [
                SessionRecord(s.id, s.started_at, s.status, s.program_id, tuple(outcomes[s.id]), checkins.get(s.id))
                for s in sessions
            ]

    def psfs_history(self, person_id: int) -> list[PsfsRecord]:
        with self._sessions() as db:
            rows = db.execute(
                select(t.PsfsActivity.name, t.PsfsRating.rated_at, t.PsfsRating.score)
                .join(t.PsfsRating, t.PsfsRating.activity_id == t.PsfsActivity.id)
                .where(t.PsfsActivity.person_id == person_id)
                .order_by(t.PsfsRating.rated_at, t.PsfsRating.id)
            )
            return [PsfsRecord(name, at, score) for name, at, score in rows]
