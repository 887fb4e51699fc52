"""The Patient-Specific Functional Scale: up to three activities a person names and rates from
0 (cannot do it) to 10 (as well as before the problem), rated again over the weeks. The rules and
the words for a change are the core's (`core/psfs.py`); every face calls these use cases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from backcoach.core.errors import NotFound
from backcoach.core.psfs import ActivityChange, change_since_first, check_name, check_new, check_score
from backcoach.services.context import Scope
from backcoach.services.local_time import days_in
from backcoach.storage.psfs import ActivityRatings, Summaries


@dataclass(frozen=True)
class Rating:
    rated_at: datetime  # UTC, as stored
    day: date  # the person's own calendar day then
    score: int


# How many of an activity's latest ratings a page or a reply shows: a year of weekly ratings, so
# what one request reads and sends stays bounded however often it was rated. A display limit,
# not a clinical one; the export holds every rating.
SHOWN_RATINGS = 52


@dataclass(frozen=True)
class Activity:
    id: int
    name: str
    latest: int | None
    ratings: tuple[Rating, ...] = ()  # the latest SHOWN_RATINGS, oldest first
    first: int | None = None  # the first rating ever, shown or not
    count: int = 0  # how many ratings in all

    @property
    def change(self) -> ActivityChange | None:
        """The latest rating against the first, in the core's words; None before any rating."""
        if self.first is None or self.latest is None:
            return None
        return change_since_first(self.first, self.latest, self.count)


def activity_from(found: ActivityRatings, day_of: Callable[[datetime], date]) -> Activity:
    ratings = tuple(Rating(r.rated_at, day_of(r.rated_at), r.score) for r in found.latest)
    latest = ratings[-1].score if ratings else None
    return Activity(found.id, found.name, latest, ratings, found.first, found.count)


def activities_from(read: Summaries) -> list[Activity]:
    day_of = days_in(read.time_zone)
    return [activity_from(found, day_of) for found in read.activities]


def activities(scope: Scope) -> list[Activity]:
    """The person's activities in the order they named them, each with its latest ratings."""
    return activities_from(scope.repo.psfs.summaries(None, SHOWN_RATINGS))


def activity(scope: Scope, activity_id: int) -> Activity:
    """One activity with its latest ratings (read alone: the others' ratings are not read)."""
    return _the_one(activity_id, scope.repo.psfs.summaries(activity_id, SHOWN_RATINGS))


def _the_one(activity_id: int, read: Summaries) -> Activity:
    found = activities_from(read)
    if not found:  # never named, someone else's, or set aside (also a moment after a rating)
        raise NotFound(f"There is no activity number {activity_id} of yours.")
    return found[0]


def add_activity(scope: Scope, name: str, score: int) -> Activity:
    """A new activity and its first rating. Refused, with nothing saved, for an empty or long name,
    a rating outside 0 to 10, a fourth activity, or a name the person already has."""
    name = check_name(name)
    check_score(score)
    # Checked against the others inside the write itself, so two adds at once cannot make four.
    activity_id = scope.writer().psfs.add_activity(name, score, scope.now(), lambda others: check_new(name, others))
    return activity(scope, activity_id)


def rate_activity(scope: Scope, activity_id: int, score: int) -> Activity:
    """A new rating, dated now, for one of the person's activities (NotFound for anyone else's)."""
    check_score(score)
    return _the_one(activity_id, scope.repo.psfs.rate(activity_id, score, scope.now(), SHOWN_RATINGS))
