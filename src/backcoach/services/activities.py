"""The Patient-Specific Functional Scale: up to three activities a person names and rates from
0 (cannot do it) to 10 (as well as before the problem), rated again over the weeks. The rules and
the words for a change are the core's (`core/psfs.py`); every face calls these use cases."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from backcoach.core.errors import NotFound
from backcoach.core.history import PsfsRecord
from backcoach.core.psfs import ActivityChange, activity_change, check_name, check_new, check_score
from backcoach.services.context import Scope
from backcoach.services.local_time import day_reader


@dataclass(frozen=True)
class Rating:
    rated_at: datetime  # UTC, as stored
    day: date  # the person's own calendar day then
    score: int


@dataclass(frozen=True)
class Activity:
    id: int
    name: str
    latest: int | None
    ratings: tuple[Rating, ...] = ()  # oldest first

    @property
    def change(self) -> ActivityChange | None:
        """The latest rating against the first, in the core's words; None before any rating."""
        return activity_change([r.score for r in self.ratings]) if self.ratings else None


def activities_from(
    activity_rows: list[tuple[int, str]], history: list[PsfsRecord], day_of: Callable[[datetime], date]
) -> list[Activity]:
    by_id: dict[int, list[Rating]] = defaultdict(list)
    for record in history:
        by_id[record.activity_id].append(Rating(record.rated_at, day_of(record.rated_at), record.score))
    found = []
    for activity_id, name in activity_rows:
        ratings = tuple(by_id[activity_id])
        found.append(Activity(activity_id, name, ratings[-1].score if ratings else None, ratings))
    return found


def activities(scope: Scope) -> list[Activity]:
    """The person's activities in the order they named them, each with every rating."""
    repo = scope.repo
    return activities_from([(a.id, a.name) for a in repo.psfs_activities()], repo.psfs_history(), day_reader(scope))


def activity(scope: Scope, activity_id: int) -> Activity:
    """One activity with its ratings (read alone: the others' ratings are not read)."""
    repo = scope.repo
    named = [(a.id, a.name) for a in repo.psfs_activities() if a.id == activity_id]
    if not named:
        raise NotFound(f"There is no activity number {activity_id} of yours.")
    return activities_from(named, repo.psfs_history(activity_id), day_reader(scope))[0]


def add_activity(scope: Scope, name: str, score: int) -> Activity:
    """A new activity and its first rating. Refused, with nothing saved, for an empty or long name,
    a rating outside 0 to 10, a fourth activity, or a name the person already has."""
    name = check_name(name)
    check_score(score)
    # Checked against the others inside the write itself, so two adds at once cannot make four.
    activity_id = scope.writer().add_psfs_activity(name, score, scope.now(), lambda others: check_new(name, others))
    return activity(scope, activity_id)


def rate_activity(scope: Scope, activity_id: int, score: int) -> Activity:
    """A new rating, dated now, for one of the person's activities (NotFound for anyone else's)."""
    check_score(score)
    scope.repo.rate_psfs(activity_id, score, scope.now())
    return activity(scope, activity_id)
