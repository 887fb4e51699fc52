"""What the alert rules read of one person's record, and the alerts a clinician acknowledged.

Only the window the rules need, each read bounded and on an index: the first program's time, the
last session with an exercise done, the latest two check-ins with pain, the pain stops of sessions
since a moment, and the last two ratings of each current activity. Never the whole history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from backcoach.core.alerts import CheckInPain, FunctionRating, StopFact
from backcoach.core.errors import AlreadyRecorded
from backcoach.core.pain_stop import PainKind, PainPlace
from backcoach.core.rules import OutcomeStatus
from backcoach.storage import tables as t
from backcoach.storage.clinic_tables import AlertAck
from backcoach.storage.locks import lost_a_race
from backcoach.storage.psfs import activity_summaries
from backcoach.storage.stored_json import pain_from

CHECK_INS_READ = 2  # the pain rules compare the latest check-in with the one before
RATINGS_READ = 2  # the function rules compare each activity's latest rating with the one before


# Read on every progress page and after every session: built once on the tables, given only the
# person (`:person`) and the moment pain stops are read from (`:since`).
_S, _O, _C = t.Session.__table__.c, t.ExerciseOutcomeRow.__table__.c, t.CheckIn.__table__.c
_MINE = _S.person_id == bindparam("person")
FIRST_PROGRAM = select(func.min(t.ProgramVersion.__table__.c.created_at)).where(
    t.ProgramVersion.__table__.c.person_id == bindparam("person")
)
_DONE = select(_O.id).where(_O.session_id == _S.id, _O.status == OutcomeStatus.done).exists()
LAST_SESSION_DONE = select(_S.started_at).where(_MINE, _DONE).order_by(_S.started_at.desc()).limit(1)
LATEST_CHECK_INS = (
    select(_S.id, _S.started_at, _C.pain_before, _C.pain_after)
    .join_from(t.Session.__table__, t.CheckIn.__table__, _C.session_id == _S.id)
    .where(_MINE, or_(_C.pain_before.is_not(None), _C.pain_after.is_not(None)))
    .order_by(_S.started_at.desc(), _S.id.desc())
    .limit(CHECK_INS_READ)
)
_SINCE = _S.started_at >= bindparam("since")
STOPS_SINCE = (
    select(_O.session_id, _O.exercise_id, _S.started_at, _O.pain_kind, _O.pain_score, _O.pain_place)
    .join_from(t.ExerciseOutcomeRow.__table__, t.Session.__table__, _S.id == _O.session_id)
    .where(_MINE, _SINCE, _O.pain_kind.is_not(None), _O.pain_score.is_not(None))
    .order_by(_S.started_at, _O.id)
)
WAITING_STOPS_SINCE = select(_S.id, _S.started_at, _S.pending_pain).where(_MINE, _SINCE, _S.pending_pain.is_not(None))


@dataclass(frozen=True)
class RecordWindow:
    program_since: datetime | None
    last_session_at: datetime | None
    check_ins: tuple[CheckInPain, ...]
    pain_stops: tuple[StopFact, ...]
    function: tuple[FunctionRating, ...]


@dataclass(frozen=True)
class AckRecord:
    alert_key: str
    note: str
    actor: str
    acknowledged_at: datetime


class AlertRecords:
    """One person's facts for the alert rules, and their acknowledged alerts. Every query is filtered by `person_id`."""

    def __init__(self, sessions: sessionmaker[OrmSession], person_id: int) -> None:
        self._sessions = sessions
        self.person_id = person_id

    def window(self, stops_since: datetime) -> RecordWindow:
        """The facts, read together (one transaction)."""
        values = {"person": self.person_id, "since": stops_since}
        with self._sessions() as db:
            read = db.connection().execute
            return RecordWindow(
                read(FIRST_PROGRAM, values).scalar(),
                read(LAST_SESSION_DONE, values).scalar(),
                tuple(CheckInPain(*row) for row in reversed(read(LATEST_CHECK_INS, values).all())),
                self._stops(db, values),
                self._ratings(db),
            )

    def _stops(self, db: OrmSession, values: dict[str, Any]) -> tuple[StopFact, ...]:
        """Pain stops recorded against an exercise, and those still waiting for a choice or that
        ended a session in the rest between exercises (kept on the session)."""
        read = db.connection().execute
        found = [
            StopFact(session_id, exercise_id, started, PainKind(kind or ""), score or 0, place == PainPlace.legs)
            for session_id, exercise_id, started, kind, score, place in read(STOPS_SINCE, values)
        ]
        for session_id, started, pending in read(WAITING_STOPS_SINCE, values):
            if not isinstance(pending, dict) or "pain" not in pending:
                continue  # a JSON null
            report = pain_from(pending["pain"])
            exercise = "" if pending.get("between") else str(pending.get("exercise_id", ""))
            found.append(
                StopFact(session_id, exercise, started, report.kind, report.score, report.place is PainPlace.legs)
            )
        return tuple(sorted(found, key=lambda stop: (stop.at, stop.session_id)))

    def _ratings(self, db: OrmSession) -> tuple[FunctionRating, ...]:
        found = [r for one in activity_summaries(db, self.person_id, None, RATINGS_READ) for r in one.latest]
        ordered = sorted(found, key=lambda r: (r.rated_at, r.rating_id))
        return tuple(FunctionRating(r.activity_id, r.activity, r.rated_at, r.score) for r in ordered)

    # Acknowledgements ------------------------------------------------------------------------------

    def acknowledged(self, keys: list[str]) -> dict[str, AckRecord]:
        """The acknowledgements of these alert keys (those of the alerts shown now), by key."""
        if not keys:
            return {}
        with self._sessions() as db:
            rows = db.scalars(
                select(AlertAck).where(AlertAck.person_id == self.person_id, AlertAck.alert_key.in_(keys))
            )
            return {row.alert_key: AckRecord(row.alert_key, row.note, row.actor, row.acknowledged_at) for row in rows}

    def acknowledge(self, key: str, note: str, account_id: int | None, actor: str, now: datetime) -> AckRecord:
        try:
            with self._sessions.begin() as db:
                db.add(
                    AlertAck(
                        person_id=self.person_id,
                        alert_key=key,
                        note=note,
                        account_id=account_id,
                        actor=actor,
                        acknowledged_at=now,
                    )
                )
        except IntegrityError as error:  # acknowledged a moment ago, by another request
            if not lost_a_race(error):
                raise
            raise AlreadyRecorded("That alert is already acknowledged.") from None
        return AckRecord(key, note, actor, now)
