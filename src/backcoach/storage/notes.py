"""Clinicians' notes on one person's record: written once, read newest first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from backcoach.storage.clinic_tables import ClinicianNote


@dataclass(frozen=True)
class NoteRecord:
    id: int
    author: str
    text: str
    written_at: datetime


class ClinicianNotes:
    """One person's notes. Every query is filtered by `person_id`."""

    def __init__(self, sessions: sessionmaker[OrmSession], person_id: int) -> None:
        self._sessions = sessions
        self.person_id = person_id

    def add(self, account_id: int | None, author: str, text: str, now: datetime) -> NoteRecord:
        with self._sessions.begin() as db:
            row = ClinicianNote(
                person_id=self.person_id, account_id=account_id, author=author, text=text, written_at=now
            )
            db.add(row)
            db.flush()
            return NoteRecord(row.id, row.author, row.text, row.written_at)

    def newest(self, limit: int) -> list[NoteRecord]:
        n = ClinicianNote
        with self._sessions() as db:
            rows = db.scalars(select(n).where(n.person_id == self.person_id).order_by(n.id.desc()).limit(limit))
            return [NoteRecord(r.id, r.author, r.text, r.written_at) for r in rows]
