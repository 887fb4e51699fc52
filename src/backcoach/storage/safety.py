"""What the safety loop must remember for one person: exercises paused because they hurt, and
the clearances a professional gave. Both are append-only: a clearance never deletes a pause, it
closes it with who cleared it and when."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, Select, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from backcoach.core.errors import AlreadyRecorded
from backcoach.storage import tables as t
from backcoach.storage.locks import lost_a_race
from backcoach.storage.records import ClearanceRecord, ExerciseClearedRecord, PauseRecord

# Read on every progress page and start of a session (are the warning signs checked?): built once.
_CLEARANCES = t.Clearance.__table__
CLEARANCES_OF = select(_CLEARANCES).where(_CLEARANCES.c.person_id == bindparam("person")).order_by(_CLEARANCES.c.id)


class SafetyRecords:
    def __init__(self, sessions: sessionmaker[OrmSession], person_id: int) -> None:
        self._sessions = sessions
        self.person_id = person_id

    def pause_exercise(self, exercise_id: str, reason: str, session_id: int | None, now: datetime) -> None:
        """Pause an exercise for pain; pausing one that is already paused changes nothing."""
        try:
            with self._sessions.begin() as db:
                open_pause = db.scalars(self._open(exercise_id)).first()
                if open_pause is None:
                    db.add(
                        t.PausedExercise(
                            person_id=self.person_id,
                            exercise_id=exercise_id,
                            reason=reason,
                            paused_at=now,
                            session_id=session_id,
                        )
                    )
        except IntegrityError as error:  # another request paused it at the same moment: it is paused
            if not lost_a_race(error):
                raise

    def _open(self, exercise_id: str | None = None) -> Select[Any]:
        query = select(t.PausedExercise).where(
            t.PausedExercise.person_id == self.person_id, t.PausedExercise.cleared_at.is_(None)
        )
        return query if exercise_id is None else query.where(t.PausedExercise.exercise_id == exercise_id)

    def paused(self) -> list[PauseRecord]:
        with self._sessions() as db:
            rows = db.scalars(self._open().order_by(t.PausedExercise.id))
            return [PauseRecord(r.exercise_id, r.reason, r.paused_at, r.session_id) for r in rows]

    def cleared_exercises(self) -> list[ExerciseClearedRecord]:
        with self._sessions() as db:
            rows = db.scalars(
                select(t.PausedExercise)
                .where(t.PausedExercise.person_id == self.person_id, t.PausedExercise.cleared_at.is_not(None))
                .order_by(t.PausedExercise.id)
            )
            return [
                ExerciseClearedRecord(r.exercise_id, r.cleared_by or "", r.cleared_on or r.paused_at.date())
                for r in rows
            ]

    def clear_exercise(self, exercise_id: str, cleared_by: str, cleared_on: date, now: datetime) -> None:
        with self._sessions.begin() as db:
            row = db.scalars(self._open(exercise_id).with_for_update()).first()
            if row is None:  # cleared a moment ago, by another request
                raise AlreadyRecorded("That exercise is no longer paused.")
            row.cleared_at, row.cleared_by, row.cleared_on = now, cleared_by, cleared_on

    def add_clearance(
        self, screening_id: int, signs: list[str], cleared_by: str, cleared_on: date, now: datetime
    ) -> ClearanceRecord:
        try:
            return self._add_clearance(screening_id, signs, cleared_by, cleared_on, now)
        except IntegrityError as error:  # the same check sent twice (two tabs, a double tap)
            if not lost_a_race(error):
                raise
            raise AlreadyRecorded("That check is already recorded.") from None

    def _add_clearance(
        self, screening_id: int, signs: list[str], cleared_by: str, cleared_on: date, now: datetime
    ) -> ClearanceRecord:
        with self._sessions.begin() as db:
            row = t.Clearance(
                person_id=self.person_id,
                screening_id=screening_id,
                signs=signs,
                cleared_by=cleared_by,
                cleared_on=cleared_on,
                recorded_at=now,
            )
            db.add(row)
            db.flush()
            return _clearance(row)

    def clearances(self) -> list[ClearanceRecord]:
        with self._sessions() as db:
            return [_clearance(r) for r in db.connection().execute(CLEARANCES_OF, {"person": self.person_id})]


def _cleared(row: t.PausedExercise) -> ExerciseClearedRecord:
    return ExerciseClearedRecord(row.exercise_id, row.cleared_by or "", row.cleared_on or row.paused_at.date())


def _clearance(row: t.Clearance | Row[Any]) -> ClearanceRecord:
    return ClearanceRecord(row.id, row.screening_id, tuple(row.signs), row.cleared_by, row.cleared_on, row.recorded_at)
