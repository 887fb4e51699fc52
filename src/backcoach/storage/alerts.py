"""What the alert rules read of one person's record, and the alerts a clinician acknowledged.

Only the window the rules need, each read bounded and on an index: the first program's time, the
last session with an exercise done, the latest two check-ins with pain, the pain stops of sessions
since a moment, and the last two ratings of each current activity. Never the whole history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
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
        with self._sessions() as db:
            return RecordWindow(
                db.scalar(
                    select(func.min(t.ProgramVersion.created_at)).where(t.ProgramVersion.person_id == self.person_id)
                ),
                self._last_session(db),
                self._check_ins(db),
                self._stops(db, stops_since),
                self._ratings(db),
            )

    def _last_session(self, db: OrmSession) -> datetime | None:
        o = t.ExerciseOutcomeRow
        done = select(o.id).where(o.session_id == t.Session.id, o.status == OutcomeStatus.done).exists()
        return db.scalar(
            select(t.Session.started_at)
            .where(t.Session.person_id == self.person_id, done)
            .order_by(t.Session.started_at.desc())
            .limit(1)
        )

    def _check_ins(self, db: OrmSession) -> tuple[CheckInPain, ...]:
        c = t.CheckIn
        rows = db.execute(
            select(t.Session.id, t.Session.started_at, c.pain_before, c.pain_after)
            .join(c, c.session_id == t.Session.id)
            .where(t.Session.person_id == self.person_id, or_(c.pain_before.is_not(None), c.pain_after.is_not(None)))
            .order_by(t.Session.started_at.desc(), t.Session.id.desc())
            .limit(CHECK_INS_READ)
        ).all()
        return tuple(CheckInPain(*row) for row in reversed(rows))

    def _stops(self, db: OrmSession, since: datetime) -> tuple[StopFact, ...]:
        """Pain stops recorded against an exercise, and those still waiting for a choice or that
        ended a session in the rest between exercises (kept on the session)."""
        o, s = t.ExerciseOutcomeRow, t.Session
        mine = (s.person_id == self.person_id, s.started_at >= since)
        found = [
            StopFact(session_id, exercise_id, started, PainKind(kind or ""), score or 0, place == PainPlace.legs)
            for session_id, exercise_id, started, kind, score, place in db.execute(
                select(o.session_id, o.exercise_id, s.started_at, o.pain_kind, o.pain_score, o.pain_place)
                .join(s, s.id == o.session_id)
                .where(*mine, o.pain_kind.is_not(None), o.pain_score.is_not(None))
                .order_by(s.started_at, o.id)
            )
        ]
        for session_id, started, pending in db.execute(
            select(s.id, s.started_at, s.pending_pain).where(*mine, s.pending_pain.is_not(None))
        ):
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
