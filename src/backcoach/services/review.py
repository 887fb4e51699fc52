"""The weekly review and the warning-sign questions asked again: the end of the safety loop.

After every session (coached, played on a phone or logged from paper) `after_session` runs
the same steps, whichever face asked: if pain rose, the warning signs must be answered again
before anything else; otherwise, if a week has passed, the review runs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta

from backcoach.core.errors import RescreenNeeded
from backcoach.core.pain_gates import after_session_advice
from backcoach.core.pain_window import PastReview
from backcoach.core.planner import Explanation
from backcoach.core.progression import Action, PauseCode, ReviewResult, review
from backcoach.core.rules import REVIEW_EVERY_DAYS, RISING_REVIEWS, ask_warning_signs_again
from backcoach.services.clearances import pause_for_pain, unavailable
from backcoach.services.context import Scope
from backcoach.services.prescribing import limits_in_force
from backcoach.services.programs import current_program, program_versions
from backcoach.storage.records import LastCheckIn
from backcoach.storage.stored_json import exercises_json, explanation_json

REVIEW_EVERY = timedelta(days=REVIEW_EVERY_DAYS.value)


@dataclass(frozen=True)
class ReviewView:
    """A review that ran: each change with its reason, any advice, and the new version if any."""

    result: ReviewResult
    new_version: int | None

    @property
    def changed(self) -> bool:
        return self.result.changed


@dataclass(frozen=True)
class AfterSession:
    """What comes after a session ends: re-screening first, else a review if one came due."""

    rescreen_needed: bool
    review: ReviewView | None
    advice: tuple[str, ...] = ()  # what to do now, when pain rose, was critical or went into the legs


def review_due(scope: Scope) -> bool:
    found = current_program(scope)
    if found is None or found.paused:
        return False
    last = scope.repo.last_review()
    since = last.reviewed_at if last else found.created_at
    return scope.now() - since >= REVIEW_EVERY


def run_review(scope: Scope) -> ReviewView | None:
    """Review now. None when there is no active program to review. While the warning signs are
    owed after a rise in pain, they come first (RescreenNeeded)."""
    if rescreen_due(scope):
        raise RescreenNeeded()
    repo = scope.writer()
    found = current_program(scope)
    if found is None or found.paused:
        return None
    profile = repo.profile(found.profile_id)  # the answers this program was planned from
    past = repo.recent_reviews(int(RISING_REVIEWS.value) - 1)
    last = past[0] if past else None
    period_start = last.reviewed_at if last else found.created_at
    # Each session counts in one review only: those since the program began, then those after the last review.
    sessions = repo.history(after=last.reviewed_at) if last else repo.history(since=found.created_at)
    # A physiotherapist's prescription in force narrows what the review may raise (never its safety steps).
    prescribed = limits_in_force(scope)
    limits, since = (None, 0) if prescribed is None else prescribed
    result = review(
        list(found.exercises),
        sessions,
        profile,
        scope.catalogue,
        float(profile.pain_now),  # the program's starting pain: a slow creep still shows against it
        [PastReview(r.pain_level, r.alarm) for r in past],
        unavailable(scope),
        set_aside(scope, found.profile_id, since),
        limits,
    )
    for change in result.paused_for_pain:
        pause_for_pain(scope, change.exercise_id, change.reason, None)
    saved = None
    if result.changed:
        reason = " ".join(c.reason for c in result.changes if c.action is not Action.hold)
        explanation = Explanation("review", reason, notes=result.advice)
        saved = repo.save_program(
            found.profile_id,
            exercises_json(result.exercises),
            reason,
            [asdict(c) for c in result.changes],
            explanation_json(explanation),
            scope.now(),
        )
    level = result.level if result.level is not None else (last.pain_level if last else float(profile.pain_now))
    repo.save_review(
        period_start, None if saved is None else saved.id, list(result.advice), result.alarm, level, scope.now()
    )
    return ReviewView(result, None if saved is None else saved.version)


def set_aside(scope: Scope, profile_id: int, since: int = 0) -> list[str]:
    """Exercises set aside while pain was high or sessions hard, since these answers were given
    (and since version `since`, a physiotherapist's prescription): those the plan left out for
    pain today, and those a review paused for it; newest first."""
    found: list[str] = []
    for version in reversed(program_versions(scope)):
        if version.profile_id != profile_id or version.version < since:
            continue
        for change in version.changes:
            if change.get("action") == Action.pause and change.get("code") in (PauseCode.pain_high, PauseCode.too_hard):
                found.append(str(change["exercise_id"]))
        if version.explanation is not None:
            found += [x.id for x in version.explanation.left_out if x.code == "high_pain"]
    return list(dict.fromkeys(found))


def review_if_due(scope: Scope) -> ReviewView | None:
    return run_review(scope) if review_due(scope) else None


def rescreen_due(scope: Scope, last: LastCheckIn | None = None) -> bool:
    """The newest session changed the symptoms (pain rose, a critical stop, pain into the legs)
    and the warning signs were not answered since (`last`: the newest check-in, if just read)."""
    last = last or scope.repo.last_check_in()
    if last is None or not ask_warning_signs_again(
        last.pain_before, last.pain_after, last.stop_scores, last.into_the_legs
    ):
        return False
    screened = scope.repo.latest_screening()
    return screened is None or screened.after_session_id is None or screened.after_session_id < last.session_id


def after_session(scope: Scope) -> AfterSession:
    last = scope.repo.last_check_in()
    advice: tuple[str, ...] = ()
    if last is not None:
        advice = after_session_advice(last.pain_before, last.pain_after, last.stop_scores, last.into_the_legs)
        advice += tuple(  # what this session paused, so the person knows before the next one
            f"{scope.catalogue.get(p.exercise_id).name} is paused until a physiotherapist says it is fine."
            for p in scope.repo.safety.paused()
            if p.session_id == last.session_id and p.exercise_id in scope.catalogue.ids()
        )
    if rescreen_due(scope, last):
        return AfterSession(True, None, advice)
    return AfterSession(False, review_if_due(scope), advice)
