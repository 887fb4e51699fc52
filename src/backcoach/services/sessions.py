"""Starting, finishing and logging sessions: the use cases around one session's flow
(`live_session.LiveSession`), the same for the terminal coach, the phone and a paper log."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from backcoach.core.dose_steps import gentlest
from backcoach.core.errors import (
    AlreadyRecorded,
    BackcoachError,
    InvalidInput,
    NothingDue,
    RescreenNeeded,
    RestToday,
    SessionEnded,
)
from backcoach.core.pain_gates import before_session_advice, high_pain_today
from backcoach.core.pain_stop import OptionKind, PainAction, PainReport
from backcoach.core.planner import PlannedExercise
from backcoach.core.rules import END_STATUS, Difficulty, EndReason, SessionStatus, is_strengthening
from backcoach.core.timing import exercise_seconds
from backcoach.services.context import Scope
from backcoach.services.lessons import offer_after_session
from backcoach.services.live_session import LiveSession
from backcoach.services.programs import ProgramView, active_program
from backcoach.services.review import AfterSession, after_session, rescreen_due
from backcoach.services.summary import SessionSummary, session_summary
from backcoach.services.today import due_on
from backcoach.storage.records import SessionState
from backcoach.storage.stored_json import exercises_json

__all__ = ["Finished", "LiveSession", "due_now", "finish", "log_session", "open_session", "start"]


# Starting, finishing, logging -------------------------------------------------------------


def due_now(
    scope: Scope, program: ProgramView | None = None, setting_aside: int | None = None
) -> tuple[int, list[PlannedExercise]]:
    """The current program's id and what is due in the next session today (of `program`, the
    active one, when it was just read), counting the open session `setting_aside` as ended."""
    program = program or active_program(scope)
    now = scope.now()
    midnight = datetime.combine(now.date(), datetime.min.time())
    done_today = scope.repo.sessions_taken_between(midnight, midnight + timedelta(days=1), setting_aside)
    return program.id, due_on(scope, program.created_at.date(), now.date(), done_today, program.exercises)


def gentlest_only(due: list[PlannedExercise]) -> list[PlannedExercise]:
    """With pain of 7 or more: only the gentle movements, each at its gentlest dose."""
    gentle = [p for p in due if not is_strengthening(p.exercise)]
    return [
        replace(p, dose=(dose := gentlest(p.exercise, p.dose)), seconds=exercise_seconds(dose, p.exercise.pace))
        for p in gentle
    ]


def open_session(scope: Scope) -> SessionState | None:
    return scope.repo.open_session()


def start(scope: Scope, resume: bool = True, pain_before: int | None = None, gate: bool = True) -> LiveSession:
    """Resume the unfinished session if asked, else start today's (the old one is closed).
    A re-screen that is due comes first, and a session with nothing due is not started. With
    pain of 7 or more only the gentlest movements are left (`gate`; a paper log records what
    was done from the handout, so it is not gated)."""
    _check_score(pain_before, "pain_before")
    program = active_program(scope)  # NoProgram or ProgramPaused (a warning sign): no session, not even an old one
    if rescreen_due(scope):
        raise RescreenNeeded()  # the warning signs come first, before a new session or an old one
    unfinished = scope.repo.open_session()
    worse = gate and high_pain_today(pain_before) and unfinished is not None and unfinished.pain_before != pain_before
    if unfinished is not None and resume and not worse:
        if unfinished.pain_before is None and pain_before is not None:
            scope.repo.set_pain_before(unfinished.id, pain_before)
            unfinished = scope.repo.session(unfinished.id)
        return LiveSession.from_state(scope, unfinished, resumed=True)
    set_aside = None
    if unfinished is not None:  # set aside (pain is now 7 or more, say): it counts if anything was done in it
        if LiveSession.has_unsaved_pain(unfinished):
            old = LiveSession.from_state(scope, unfinished, resumed=True)
            with suppress(SessionEnded):  # finished a moment ago on another device: it stays as it ended
                old.close()
        set_aside = unfinished.id
    program_id, due = due_now(scope, program, set_aside)
    refused: BackcoachError | None = None
    if not due:
        refused = NothingDue()
    elif gate and high_pain_today(pain_before):
        due = gentlest_only(due)
        if not due:
            refused = RestToday(" ".join(("Rest today.", *before_session_advice(pain_before))))
    if refused is not None:
        if set_aside is not None:  # set aside all the same, as asked
            scope.repo.end_session(set_aside, SessionStatus.quit, scope.now())
        raise refused
    repo = scope.writer()
    plan, now = exercises_json(due), scope.now()
    try:
        session_id = repo.start_session(program_id, plan, pain_before, now, set_aside)  # and the old one ended
    except AlreadyRecorded:  # another request opened one this moment (a double tap, two devices): carry on with it
        opened = scope.repo.open_session()
        if opened is None:
            raise
        return LiveSession.from_state(scope, opened, resumed=True)
    stored = SessionState(session_id, program_id, now, SessionStatus.in_progress, tuple(plan), None, pain_before)
    return LiveSession.from_state(scope, stored, resumed=False, rows=[])  # as just stored: nothing done yet


def _check_score(value: int | None, name: str) -> None:
    if value is not None and not 0 <= value <= 10:
        raise InvalidInput(name, f"give a whole number from 0 to 10, not {value}")


def difficulty_of(value: str | None) -> Difficulty | None:
    if value is None:
        return None
    try:
        return Difficulty(value)
    except ValueError:
        words = ", ".join(d.value for d in Difficulty)
        raise InvalidInput(
            "difficulty", f"use one of {words}", f"difficulty must be one of {words}, not {value!r}"
        ) from None


@dataclass(frozen=True)
class Finished:
    session_id: int
    exercises: int
    after: AfterSession
    summary: SessionSummary


def finish(
    scope: Scope,
    session_id: int,
    reason: EndReason,
    pain_before: int | None,
    pain_after: int | None,
    difficulty: str | None,
) -> Finished:
    """End a session with its check-in, then what comes after: a re-screen if pain rose, else
    the weekly review if it is due."""
    _check_score(pain_before, "pain_before")
    _check_score(pain_after, "pain_after")
    felt = difficulty_of(difficulty)
    live = LiveSession.load(scope, session_id, to_close=True)
    live.close()
    if pain_before is None:
        pain_before = live.pain_before  # given when the session started
    if live.stopped_for_pain:
        reason = EndReason.pain  # a pain stop is never turned into "finished" by a player
    status = END_STATUS[reason]
    scope.repo.finish_session(session_id, status, pain_before, pain_after, felt, scope.now())
    summary = session_summary(scope, session_id, pain_before, pain_after)
    offer = offer_after_session(scope, pain_before, pain_after, bool(summary.stopped_for_pain))
    return Finished(session_id, live.planned_count, after_session(scope), replace(summary, lesson=offer))


def log_session(
    scope: Scope,
    pain_before: int,
    pain_after: int,
    difficulty: str,
    skipped: list[str],
    pain_stops: dict[str, PainReport],
) -> Finished:
    """Record a session done without the coach (from a handout, say), through the same
    session flow as the players: pain stops are judged by the same rules."""
    _check_score(pain_before, "pain_before")
    _check_score(pain_after, "pain_after")
    difficulty_of(difficulty)  # checked before anything is stored; `finish` uses it
    if rescreen_due(scope):
        raise RescreenNeeded()
    _, due = due_now(scope)
    ids = {p.id for p in due}
    unknown = [name for name in [*skipped, *pain_stops] if name not in ids]
    if unknown:
        raise InvalidInput("exercise", f"{unknown[0]!r} is not in today's session ({', '.join(sorted(ids))})")
    live = start(scope, resume=False, pain_before=pain_before, gate=False)
    for planned in list(live.exercises):
        if live.ended:
            break  # a pain stop ended the session: nothing after it was done
        report = pain_stops.get(planned.id)
        if report is not None:
            decision = live.pain_at(planned.id, False, report)
            if decision.action is not PainAction.end_session:
                skip = next(o for o in decision.options if o.kind is OptionKind.skip)
                live.choose(skip.id)
        else:
            live.complete(planned.id, skipped=planned.id in skipped)
    reason = EndReason.pain if live.stopped_for_pain else EndReason.finished
    return finish(scope, live.session_id, reason, pain_before, pain_after, difficulty)
