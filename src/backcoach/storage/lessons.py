"""What one person has read of the lessons, and when one was last offered to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from backcoach.storage import tables as t
from backcoach.storage.locks import lost_a_race


class LessonMarks:
    def __init__(self, sessions: sessionmaker[OrmSession], person_id: int) -> None:
        self._sessions = sessions
        self.person_id = person_id

    def read(self) -> set[str]:
        """The ids of the lessons this person has opened."""
        with self._sessions() as db:
            rows = db.scalars(
                select(t.LessonMark.lesson_id).where(
                    t.LessonMark.person_id == self.person_id, t.LessonMark.read_at.is_not(None)
                )
            )
            return set(rows)

    def last_offered(self) -> datetime | None:
        with self._sessions() as db:
            found: datetime | None = db.scalar(
                select(func.max(t.LessonMark.offered_at)).where(t.LessonMark.person_id == self.person_id)
            )
            return found

    def mark_offered(self, lesson_id: str, now: datetime) -> None:
        self._mark(lesson_id, now, read=False)

    def mark_read(self, lesson_id: str, now: datetime) -> None:
        """Read now; a lesson read before keeps the time it was first read."""
        self._mark(lesson_id, now, read=True)

    def _mark(self, lesson_id: str, now: datetime, read: bool) -> None:
        for _ in range(2):  # a second try updates the row another request added a moment ago
            try:
                with self._sessions.begin() as db:
                    row = db.scalars(
                        select(t.LessonMark).where(
                            t.LessonMark.person_id == self.person_id, t.LessonMark.lesson_id == lesson_id
                        )
                    ).first()
                    if row is None:
                        row = t.LessonMark(person_id=self.person_id, lesson_id=lesson_id)
                        db.add(row)
                    if read:
                        row.read_at = row.read_at or now
                    else:
                        row.offered_at = now
                return
            except IntegrityError as error:
                if not lost_a_race(error):
                    raise
