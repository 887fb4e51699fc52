"""One person's functional-scale activities and their ratings.

What a page or a reply shows of an activity is bounded however often it was rated: its latest
ratings, read newest first through the index on (activity, time), with the first rating and the
count beside them (`summaries`), so the words for the change since the start stay true. The whole
series is read only for an export (`history`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, func, insert, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from backcoach.core.errors import NotFound
from backcoach.core.history import PsfsRecord
from backcoach.storage import tables as t
from backcoach.storage.patient_status import mark_person_dirty
from backcoach.storage.records import ActivityRecord
from backcoach.storage.time_zone import chosen_time_zone

MAX_ID = 2**63 - 1  # ids beyond what the databases store name nothing

# A rating and the reply to it are the hottest write a client repeats, so their statements are
# built once, on the tables themselves (no ORM bookkeeping per row), and given their values.
_ACTIVITY, _RATING = t.PsfsActivity.__table__.c, t.PsfsRating.__table__.c
OWNER = select(_ACTIVITY.person_id).where(_ACTIVITY.id == bindparam("activity"), _ACTIVITY.retired_at.is_(None))
ADD_RATING = insert(cast(Table, t.PsfsRating.__table__))
_OF_THIS = _RATING.activity_id == _ACTIVITY.id
_FIRST = select(_RATING.score).where(_OF_THIS).order_by(_RATING.rated_at, _RATING.id).limit(1).scalar_subquery()
_COUNT = select(func.count()).where(_OF_THIS).scalar_subquery()
SUMMARIES = (
    select(_ACTIVITY.id, _ACTIVITY.name, _FIRST, _COUNT)
    .where(_ACTIVITY.person_id == bindparam("person"), _ACTIVITY.retired_at.is_(None))
    .order_by(_ACTIVITY.id)
)
ONE_SUMMARY = SUMMARIES.where(_ACTIVITY.id == bindparam("activity"))
# The one just rated, even if set aside in the moment since: the rating was saved, so it is answered.
JUST_RATED = select(_ACTIVITY.id, _ACTIVITY.name, _FIRST, _COUNT).where(
    _ACTIVITY.person_id == bindparam("person"), _ACTIVITY.id == bindparam("activity")
)
LATEST = (
    select(_RATING.rated_at, _RATING.score, _RATING.id)
    .where(_RATING.activity_id == bindparam("activity"))
    .order_by(_RATING.rated_at.desc(), _RATING.id.desc())
    .limit(bindparam("latest"))
)


@dataclass(frozen=True)
class ActivityRatings:
    id: int
    name: str
    first: int | None  # the first score ever; None only for an activity with no rating
    count: int  # how many ratings in all
    latest: tuple[PsfsRecord, ...]  # the latest few, oldest first


@dataclass(frozen=True)
class Summaries:
    """What a page or a reply shows of the person's activities, read in one session."""

    activities: list[ActivityRatings]
    time_zone: str | None  # the zone the person chose (their days are counted in it), or None


class PsfsRecords:
    """One person's activities and ratings. Every query is filtered by `person_id`."""

    def __init__(self, sessions: sessionmaker[OrmSession], person_id: int) -> None:
        self._sessions = sessions
        self.person_id = person_id

    def activities(self) -> list[ActivityRecord]:
        with self._sessions() as db:
            rows = db.scalars(
                select(t.PsfsActivity)
                .where(t.PsfsActivity.person_id == self.person_id, t.PsfsActivity.retired_at.is_(None))
                .order_by(t.PsfsActivity.id)
            )
            return [ActivityRecord(r.id, r.name) for r in rows]

    def add_activity(
        self, name: str, score: int, now: datetime, check: Callable[[list[str]], None] = lambda _: None
    ) -> int:
        """Add an activity with its first rating. `check` is given the names of the person's other
        activities and raises to refuse: then nothing is saved. It reads them after this one is
        written, in the same transaction, so two adds at once cannot both pass: the write takes
        SQLite's lock first (and a fresh view), and the person's row locked makes PostgreSQL wait."""
        with self._sessions.begin() as db:
            row = t.PsfsActivity(person_id=self.person_id, name=name, created_at=now)
            db.add(row)
            db.flush()
            # FOR NO KEY UPDATE: it waits for another add's lock, yet not for the key-share lock that
            # the other add's own insert holds on this row (FOR UPDATE would deadlock with it).
            db.execute(select(t.Person.id).where(t.Person.id == self.person_id).with_for_update(key_share=True))
            others = db.scalars(
                select(t.PsfsActivity.name).where(
                    t.PsfsActivity.person_id == self.person_id,
                    t.PsfsActivity.retired_at.is_(None),
                    t.PsfsActivity.id != row.id,
                )
            )
            check(list(others))
            db.add(t.PsfsRating(activity_id=row.id, score=score, rated_at=now))
            return row.id

    def rate(self, activity_id: int, score: int, now: datetime, latest: int) -> Summaries:
        """A new rating for one of the person's activities (NotFound for anyone else's), and the
        activity read back with its `latest` ratings. The read comes after the write's commit, so
        the file's one write lock is held for the write alone (other writers wait less); it shows
        this rating, and any made in the moment since (and the activity even if it was set aside
        in that moment: the rating is saved, and the answer says so)."""
        with self._sessions.begin() as db:
            owner = db.execute(OWNER, {"activity": activity_id}).scalar() if 0 < activity_id <= MAX_ID else None
            if owner != self.person_id:
                raise NotFound(f"There is no activity number {activity_id} of yours.")
            db.execute(ADD_RATING, {"activity_id": activity_id, "score": score, "rated_at": now})
            mark_person_dirty(db, self.person_id)  # written past the ORM, so marked here
        with self._sessions() as db:
            found = activity_summaries(db, self.person_id, activity_id, latest, JUST_RATED)
            return Summaries(found, chosen_time_zone(db, self.person_id))

    def summaries(self, activity_id: int | None, latest: int) -> Summaries:
        """The person's activities (or the one) in the order they named them, each with its first
        score, its count and its `latest` ratings (a few indexed reads, however long the series),
        and their time zone, in one session."""
        with self._sessions() as db:
            found = activity_summaries(db, self.person_id, activity_id, latest)
            return Summaries(found, chosen_time_zone(db, self.person_id))

    def history(self, activity_id: int | None = None) -> list[PsfsRecord]:
        """Every rating, oldest first: of every activity, or of one (`activity_id`). For an export."""
        query = (
            select(t.PsfsActivity.name, t.PsfsRating.rated_at, t.PsfsRating.score, t.PsfsActivity.id, t.PsfsRating.id)
            .join(t.PsfsRating, t.PsfsRating.activity_id == t.PsfsActivity.id)
            .where(t.PsfsActivity.person_id == self.person_id)
            .order_by(t.PsfsRating.rated_at, t.PsfsRating.id)
        )
        if activity_id is not None:
            query = query.where(t.PsfsActivity.id == activity_id)
        with self._sessions() as db:
            rows = db.execute(query)
            return [PsfsRecord(name, at, score, activity, rating) for name, at, score, activity, rating in rows]


def activity_summaries(
    db: OrmSession, person_id: int, activity_id: int | None, latest: int, finding: Select[Any] = ONE_SUMMARY
) -> list[ActivityRatings]:
    """A person's activities (or the one, found by `finding`) in the order they named them, each with
    its first score, its count and its `latest` ratings, read in `db`'s session through the index
    on (activity, time): a few small reads, however long the series."""
    if activity_id is None:
        rows = db.execute(SUMMARIES, {"person": person_id}).all()
    elif 0 < activity_id <= MAX_ID:
        rows = db.execute(finding, {"person": person_id, "activity": activity_id}).all()
    else:
        return []
    found = []
    for one, name, first_score, how_many in rows:
        newest = db.execute(LATEST, {"activity": one, "latest": latest})
        shown = [PsfsRecord(name, at, score, one, rating) for at, score, rating in newest]
        found.append(ActivityRatings(one, name, first_score, how_many, tuple(reversed(shown))))
    return found
