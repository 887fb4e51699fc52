"""The time zone a person chose with their reminders, read inside a transaction another read has
open (their days are counted in it), so a page needs no session of its own for it."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session as OrmSession

from backcoach.storage import tables as t

_SETTINGS = t.ReminderSettings.__table__.c
TIME_ZONE = select(_SETTINGS.timezone).where(_SETTINGS.person_id == bindparam("person"))


def chosen_time_zone(db: OrmSession, person_id: int) -> str | None:
    """The person's chosen zone name, or None (then this computer's is used)."""
    zone: str | None = db.execute(TIME_ZONE, {"person": person_id}).scalar()
    return zone
