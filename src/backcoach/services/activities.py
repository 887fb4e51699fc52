"""The Patient-Specific Functional Scale: up to three activities a person names and rates from
0 (cannot do it) to 10 (as well as before the problem), re-rated over the weeks."""

from __future__ import annotations

from dataclasses import dataclass

from backcoach.core.errors import InvalidInput
from backcoach.services.context import Scope

MAX_ACTIVITIES = 3  # the PSFS asks for up to three activities
MAX_NAME = 200


@dataclass(frozen=True)
class Activity:
    id: int
    name: str
    latest: int | None


def _check_score(score: int) -> int:
    if not 0 <= score <= 10:
        raise InvalidInput("score", f"give a whole number from 0 to 10, not {score}")
    return score


def activities(scope: Scope) -> list[Activity]:
    repo = scope.repo
    latest = {r.activity: r.score for r in repo.psfs_history()}
    return [Activity(a.id, a.name, latest.get(a.name)) for a in repo.psfs_activities()]


def add_activity(scope: Scope, name: str, score: int) -> Activity:
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidInput("name", f"the activity needs a name of 1 to {MAX_NAME} characters")
    _check_score(score)
    if len(scope.repo.psfs_activities()) >= MAX_ACTIVITIES:
        raise InvalidInput("name", f"you already have {MAX_ACTIVITIES} activities; the scale uses up to three")
    activity_id = scope.writer().add_psfs_activity(name, score, scope.now())
    return Activity(activity_id, name, score)


def rate_activity(scope: Scope, activity_id: int, score: int) -> Activity:
    _check_score(score)
    scope.repo.rate_psfs(activity_id, score, scope.now())  # NotFound if it is not this person's
    return next(a for a in activities(scope) if a.id == activity_id)
