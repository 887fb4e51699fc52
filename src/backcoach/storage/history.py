"""One person's sessions read back for the pure core and the faces: all of them, a page at a
time (newest first), or summed up day by day in the database (for the weekly summaries and the
streaks, so their cost does not grow with every row of a long history)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Select, bindparam, case, func, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from backcoach.core.history import CheckInRecord, DaySummary, OutcomeRecord, SessionRecord
from backcoach.core.rules import Difficulty, OutcomeStatus
from backcoach.storage import tables as t


def _day(value: date | str) -> date:
    """A day as the database gives it: SQLAlchemy's own parsing of SQLite's text costs more than
    the query for a year of days."""
    return value if isinstance(value, date) else date.fromisoformat(value)


# Built once on the tables themselves (no ORM bookkeeping per row) and given their values: a page
# of history is read on every visit, and building its statements cost more than running them.
_S, _O, _C = t.Session.__table__.c, t.ExerciseOutcomeRow.__table__.c, t.CheckIn.__table__.c
OUTCOMES_OF = (
    select(_O.session_id, _O.exercise_id, _O.status, _O.dose, _O.pain_kind, _O.pain_score)
    .where(_O.session_id.in_(bindparam("ids", expanding=True)))
    .order_by(_O.id)
)
CHECK_INS_OF = select(_C.session_id, _C.pain_before, _C.pain_after, _C.difficulty).where(
    _C.session_id.in_(bindparam("ids", expanding=True))
)
SESSIONS_OF = select(_S.id, _S.started_at, _S.status, _S.program_id).where(_S.person_id == bindparam("person"))
NEWEST = SESSIONS_OF.order_by(_S.id.desc()).limit(bindparam("limit"))
NEWEST_BEFORE = SESSIONS_OF.where(_S.id < bindparam("before")).order_by(_S.id.desc()).limit(bindparam("limit"))


def records(
    db: OrmSession, sessions: Select[int, datetime, str, int], values: dict[str, Any] | None = None
) -> list[SessionRecord]:
    """The sessions `sessions` selects (id, started_at, status, program_id) with `values`, in its
    order, with their outcomes and check-ins: three queries, of the columns needed and nothing more
    (not the plan)."""
    found = db.execute(sessions, values).all()
    ids = [row[0] for row in found]
    outcomes: dict[int, list[OutcomeRecord]] = {i: [] for i in ids}
    checkins: dict[int, CheckInRecord] = {}
    if ids:
        for session_id, *fields in db.execute(OUTCOMES_OF, {"ids": ids}):
            outcomes[session_id].append(OutcomeRecord(*fields))
        for session_id, *fields in db.execute(CHECK_INS_OF, {"ids": ids}):
            checkins[session_id] = CheckInRecord(*fields)
    return [
        SessionRecord(i, started, status, program, tuple(outcomes[i]), checkins.get(i))
        for i, started, status, program in found
    ]


class HistoryRecords:
    """One person's sessions, read only. Every query is filtered by `person_id`."""

    def __init__(self, sessions: sessionmaker[OrmSession], person_id: int) -> None:
        self._sessions = sessions
        self.person_id = person_id

    def sessions(self, since: datetime | None = None, after: datetime | None = None) -> list[SessionRecord]:
        """Sessions with their outcomes and check-in, oldest first, in three queries: all, or those
        started at `since` or later, or strictly `after` a moment (the last review's)."""
        with self._sessions() as db:
            query = SESSIONS_OF
            if since is not None:
                query = query.where(_S.started_at >= since)
            if after is not None:
                query = query.where(_S.started_at > after)
            return records(db, query.order_by(_S.started_at, _S.id), {"person": self.person_id})

    def page(self, limit: int, before: int | None = None) -> list[SessionRecord]:
        """Up to `limit` sessions, newest first (by id), each with its outcomes and check-in: the
        newest, or those older than session `before`. Three indexed queries, whatever the history."""
        values = {"person": self.person_id, "limit": limit, "before": before}
        with self._sessions() as db:
            return records(db, NEWEST if before is None else NEWEST_BEFORE, values)

    def checked_at(self) -> dict[int, datetime]:
        """When each session's check-in was saved, by session id."""
        c = t.CheckIn
        with self._sessions() as db:
            rows = db.execute(
                select(c.session_id, c.recorded_at)
                .join(t.Session, t.Session.id == c.session_id)
                .where(t.Session.person_id == self.person_id)
            ).all()
        return {session_id: at for session_id, at in rows}

    def done_by_day(self, since: datetime) -> list[DaySummary]:
        """How many sessions started at `since` or later had an exercise done, day by day, oldest
        first (only days with one): `days` with nothing but `sessions_done`, and cheaper."""
        day = func.date(t.Session.started_at, type_=Date)
        o = t.ExerciseOutcomeRow
        did = select(o.id).where(o.session_id == t.Session.id, o.status == OutcomeStatus.done).exists()
        with self._sessions() as db:
            rows = db.execute(
                select(day, func.count())
                .where(t.Session.person_id == self.person_id, t.Session.started_at >= since, did)
                .group_by(day)
                .order_by(day)
            ).all()
        return [DaySummary(found, sessions_done=count) for found, count in rows]

    def days(self, since: datetime | None = None) -> list[DaySummary]:
        """The sessions started at `since` or later (or all), summed up day by day in the database,
        oldest first: what `core.history.days_of` makes of the same sessions."""
        # Core rows through the session's connection: the ORM's result handling would cost more than
        # the query itself.
        with self._sessions() as db:
            rows = db.connection().execute(DAY_SUMS, {"person": self.person_id, "since": since or EARLIEST}).all()
        # As `days_of`: a day with nothing to count is left out. The sums come in DaySummary's order.
        found = [DaySummary(_day(day), *map(int, sums)) for day, *sums in rows if any(sums)]  # PostgreSQL sums: numeric
        return sorted(found, key=lambda summary: summary.day)


def _day_sums() -> Select[*tuple[Any, ...]]:
    """Each day's sums of one person's sessions from a moment on (`:person`, `:since`): one pass
    over the sessions, each with its check-in (at most one) and two looks at its outcomes through
    a covering index. Built once: a year's query takes about as long as building it again."""
    s, o, c = t.Session, t.ExerciseOutcomeRow, t.CheckIn
    day = func.date(s.started_at)  # a date (PostgreSQL) or its ISO text (SQLite): see _day
    did = select(o.id).where(o.session_id == s.id, o.status == OutcomeStatus.done).exists()
    stops = select(func.count(o.pain_kind)).where(o.session_id == s.id).scalar_subquery()
    return (
        select(
            day,
            func.count(case((did, 1))),
            func.coalesce(func.sum(stops), 0),
            func.coalesce(func.sum(c.pain_before), 0),
            func.count(c.pain_before),
            func.coalesce(func.sum(c.pain_after), 0),
            func.count(c.pain_after),
            func.count(case((c.difficulty == Difficulty.hard, 1))),
            func.count(case((c.difficulty == Difficulty.easy, 1))),
        )
        .select_from(s)
        .outerjoin(c, c.session_id == s.id)
        .where(s.person_id == bindparam("person"), s.started_at >= bindparam("since", type_=DateTime()))
        .group_by(day)
    )


EARLIEST = datetime(1, 1, 1)  # `since` for every session
DAY_SUMS = _day_sums()
