"""The clinic's per-patient summaries (`PatientStatus`): marking them dirty, reading the list over
them, and a clinic's own thresholds.

Marking is done here, below every use case, so no write path can forget it: whenever a flush writes a
row of a person's record (a row with a `person_id`, or one that belongs to their session or PSFS
activity), the same transaction bumps that person's summary version and marks it dirty. The use
cases never call it; `services.roster` refreshes the dirty rows when a list or banner is read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, event, func, or_, select, update
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from backcoach.core.rules import OutcomeStatus
from backcoach.storage import tables as t
from backcoach.storage.clinic_tables import Account, CareTeam, ClinicPatient, ClinicThresholds, PatientStatus

PAINS_KEPT = 8  # check-ins in the sparkline
DONE_DAYS_KEPT = 28  # the longer adherence window
CRITICAL = 3  # the rank of core.alerts' critical tier (TIER_RANK); 0 is "no open alert"


# Marking dirty -----------------------------------------------------------------------------------


def _owners(rows: Iterable[object]) -> tuple[set[int], set[int], set[int]]:
    """Person ids, session ids and PSFS activity ids the changed rows belong to."""
    people: set[int] = set()
    sessions: set[int] = set()
    activities: set[int] = set()
    for row in rows:
        if isinstance(row, PatientStatus | t.Person) or not isinstance(row, t.Base):
            continue
        columns = row.__table__.c
        for name, found in (("person_id", people), ("session_id", sessions), ("activity_id", activities)):
            value = getattr(row, name, None) if name in columns else None
            if isinstance(value, int):
                found.add(value)
                break
    return people, sessions, activities


@event.listens_for(OrmSession, "after_flush")
def _mark_dirty(session: OrmSession, _context: object) -> None:
    people, sessions, activities = _owners(chain(session.new, session.dirty, session.deleted))
    if not (people or sessions or activities):
        return
    s = PatientStatus
    whose = [s.person_id.in_(people)] if people else []
    if sessions:
        whose.append(s.person_id.in_(select(t.Session.person_id).where(t.Session.id.in_(sessions))))
    if activities:
        whose.append(s.person_id.in_(select(t.PsfsActivity.person_id).where(t.PsfsActivity.id.in_(activities))))
    session.connection().execute(update(s).where(or_(*whose)).values(version=s.version + 1, dirty=True))


_MARK_PERSON = (
    update(PatientStatus)
    .where(PatientStatus.person_id == bindparam("person"))
    .values(version=PatientStatus.version + 1, dirty=True)
)


def mark_person_dirty(session: OrmSession, person_id: int) -> None:
    """Mark one person's summary dirty, for a write made with a Core statement (which the flush
    above never sees). A person who is nobody's patient in a clinic has no summary: nothing changes."""
    session.connection().execute(_MARK_PERSON, {"person": person_id})


# Reading and writing summaries -------------------------------------------------------------------


@dataclass(frozen=True)
class Cutoffs:
    """Engagement tiers as moments: a `since` at or before one has reached that tier (`core.alerts`
    compares the gap with `>=`). Made from the clinic's thresholds by `services.roster`."""

    low: datetime
    high: datetime
    dropped: datetime


@dataclass(frozen=True)
class RosterQuery:
    clinic_id: int
    cared_for_by: int | None  # a physiotherapist's care teams; None for the whole clinic
    search: str = ""
    tier: int | None = None  # only this rank (0: no open alert)
    open_only: bool = False
    not_joined: bool = False
    offset: int = 0
    limit: int = 50


@dataclass(frozen=True)
class RosterRow:
    person_id: int
    public_id: str
    name: str
    joined: bool
    rank: int  # the top open tier now, engagement included (0: none)
    engagement_rank: int  # the open engagement tier now (0: none)
    alerts: list[dict[str, Any]]
    engagement_since: datetime | None
    last_session_at: datetime | None
    done_days: list[str]
    pains: list[list[Any]]


def _acked(bit: int) -> Any:
    return PatientStatus.engagement_acked.op("&")(bit) == 0


def engagement_rank(c: Cutoffs) -> Any:
    """The open engagement tier now, in SQL: reached, and not acknowledged for this `since`."""
    since = PatientStatus.engagement_since
    return case(
        (since <= c.dropped, case((_acked(4), 3), else_=0)),
        (since <= c.high, case((_acked(2), 2), else_=0)),
        (since <= c.low, case((_acked(1), 1), else_=0)),
        else_=0,
    )


def _rank(c: Cutoffs) -> Any:
    stored, engagement = PatientStatus.stored_rank, engagement_rank(c)
    return case((stored >= engagement, stored), else_=engagement)


def _mine(query: Any, clinic_id: int, cared_for_by: int | None) -> Any:
    query = query.where(PatientStatus.clinic_id == clinic_id)
    if cared_for_by is not None:
        team = select(CareTeam.person_id).where(CareTeam.account_id == cared_for_by)
        query = query.where(PatientStatus.person_id.in_(team))
    return query


class StatusStore:
    def __init__(self, sessions: sessionmaker[OrmSession]) -> None:
        self._sessions = sessions

    def roster_select(self, q: RosterQuery, c: Cutoffs) -> tuple[Select[Any], Select[Any]]:
        """The page's query and its count, for running and for EXPLAIN (bench/clinic.py)."""
        s, p, a = PatientStatus, ClinicPatient, Account
        rank, engagement = _rank(c).label("rank"), engagement_rank(c).label("engagement_rank")
        base = _mine(
            select(s, p.public_id, p.name, a.password_hash.is_not(None).label("joined"), rank, engagement)
            .join(p, p.person_id == s.person_id)
            .join(a, a.person_id == s.person_id),
            q.clinic_id,
            q.cared_for_by,
        )
        wanted = []
        if q.search:
            needle = q.search.lower()
            wanted.append(
                or_(func.lower(p.name).contains(needle, autoescape=True), a.email.contains(needle, autoescape=True))
            )
        if q.tier is not None:
            wanted.append(_rank(c) == q.tier)
        if q.open_only:
            wanted.append(_rank(c) > 0)
        if q.not_joined:
            wanted.append(a.password_hash.is_(None))
        if wanted:
            base = base.where(*wanted)
        count = select(func.count()).select_from(base.subquery())
        page = base.order_by(rank.desc(), p.name, s.person_id).offset(q.offset).limit(q.limit)
        return page, count

    def roster(self, q: RosterQuery, c: Cutoffs) -> tuple[list[RosterRow], int]:
        page, count = self.roster_select(q, c)
        with self._sessions() as db:
            total = int(db.scalar(count) or 0)
            rows = [
                RosterRow(
                    st.person_id,
                    public_id,
                    name,
                    bool(joined),
                    int(rank),
                    int(engagement),
                    list(st.alerts or []),
                    st.engagement_since,
                    st.last_session_at,
                    list(st.done_days or []),
                    list(st.pains or []),
                )
                for st, public_id, name, joined, rank, engagement in db.execute(page)
            ]
        return rows, total

    def critical(self, clinic_id: int, cared_for_by: int | None, c: Cutoffs, limit: int) -> list[tuple[Any, ...]]:
        """Patients with an open critical alert: (public id, name, stored alerts, engagement rank)."""
        s, p = PatientStatus, ClinicPatient
        dropped = and_(s.engagement_since <= c.dropped, _acked(4))
        query = _mine(
            select(p.public_id, p.name, s.alerts, engagement_rank(c)).join(p, p.person_id == s.person_id),
            clinic_id,
            cared_for_by,
        ).where(or_(s.stored_rank == CRITICAL, dropped))
        with self._sessions() as db:
            return [tuple(row) for row in db.execute(query.order_by(p.name, s.person_id).limit(limit))]

    def needing_refresh(self, clinic_id: int, cared_for_by: int | None, now: datetime) -> list[tuple[int, int]]:
        """(person id, version) of the summaries a write made dirty, or whose alerts age out by now."""
        s = PatientStatus
        query = _mine(select(s.person_id, s.version), clinic_id, cared_for_by).where(
            or_(s.dirty.is_(True), s.stale_at <= now)
        )
        with self._sessions() as db:
            return [(int(a), int(b)) for a, b in db.execute(query.order_by(s.person_id))]

    def save(self, person_id: int, version: int, values: dict[str, Any]) -> bool:
        """Store a summary computed from the record as of `version`; a write since then (a newer
        version) keeps the row dirty, to be computed again."""
        with self._sessions.begin() as db:
            done = db.execute(
                update(PatientStatus)
                .where(PatientStatus.person_id == person_id, PatientStatus.version == version)
                .values(**values, dirty=False)
            )
            return bool(getattr(done, "rowcount", 0))

    def ensure(self, person_id: int, clinic_id: int) -> None:
        """A summary row for a clinic patient who has none (one made before summaries existed)."""
        with self._sessions.begin() as db:
            if db.get(PatientStatus, person_id) is None:
                db.add(PatientStatus(person_id=person_id, clinic_id=clinic_id))

    def mark_clinic(self, db: OrmSession, clinic_id: int) -> None:
        s = PatientStatus
        db.execute(update(s).where(s.clinic_id == clinic_id).values(version=s.version + 1, dirty=True))

    # What the summary shows besides the alerts: bounded reads of one person's record -----------

    def done_days(self, person_id: int, since: datetime) -> list[str]:
        o = t.ExerciseOutcomeRow
        done = select(o.id).where(o.session_id == t.Session.id, o.status == OutcomeStatus.done).exists()
        with self._sessions() as db:
            starts = db.scalars(
                select(t.Session.started_at).where(
                    t.Session.person_id == person_id, t.Session.started_at >= since, done
                )
            )
            return sorted({at.date().isoformat() for at in starts})

    def pains(self, person_id: int) -> list[list[Any]]:
        c = t.CheckIn
        with self._sessions() as db:
            rows = db.execute(
                select(t.Session.started_at, c.pain_before, c.pain_after)
                .join(c, c.session_id == t.Session.id)
                .where(t.Session.person_id == person_id, or_(c.pain_before.is_not(None), c.pain_after.is_not(None)))
                .order_by(t.Session.started_at.desc(), t.Session.id.desc())
                .limit(PAINS_KEPT)
            ).all()
        return [[at.date().isoformat(), max(v for v in (b, a) if v is not None)] for at, b, a in reversed(rows)]

    # A clinic's thresholds ------------------------------------------------------------------------

    def thresholds(self, clinic_id: int) -> dict[str, Any]:
        with self._sessions() as db:
            row = db.get(ClinicThresholds, clinic_id)
            return dict(row.values) if row is not None else {}

    def set_thresholds(self, clinic_id: int, values: dict[str, Any], now: datetime, by: str) -> None:
        """Store the clinic's own values and mark every summary of the clinic dirty, together."""
        with self._sessions.begin() as db:
            row = db.get(ClinicThresholds, clinic_id)
            if row is None:
                db.add(ClinicThresholds(clinic_id=clinic_id, values=values, changed_at=now, changed_by=by))
            else:
                row.values, row.changed_at, row.changed_by = values, now, by
            db.flush()
            self.mark_clinic(db, clinic_id)
