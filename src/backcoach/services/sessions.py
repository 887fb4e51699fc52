"""Sessions, saved as they go: one flow for every player.

`LiveSession` is a stored session driven through the core state machine (`SessionRun`).
Every change is saved the moment it happens: an exercise's outcome, a pain stop, the option
chosen after one. The terminal coach keeps one `LiveSession` for a whole session; the web
player's requests each rebuild it from storage with `load`. Both therefore run the same pain
rules, offer the same options and store the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from backcoach.core.errors import AlreadyRecorded, InvalidInput, NotFound, NothingDue, RescreenNeeded
from backcoach.core.pain_stop import PainAction, PainDecision, PainKind, PainPlace, PainReport, ends_session
from backcoach.core.planner import PlannedExercise
from backcoach.core.rules import END_STATUS, Difficulty, EndReason, SessionStatus
from backcoach.core.session_run import ExerciseOutcome, SessionRun
from backcoach.core.session_steps import Step, is_due
from backcoach.services.context import Scope
from backcoach.services.programs import active_program, planned_from, program_json
from backcoach.services.review import AfterSession, after_session, rescreen_due
from backcoach.storage.records import SessionState, StoredOutcome


def _pain_json(report: PainReport) -> dict[str, Any]:
    return {"kind": report.kind.value, "score": report.score, "place": report.place.value}


def _pain(data: dict[str, Any]) -> PainReport:
    return PainReport(PainKind(data["kind"]), int(data["score"]), PainPlace(data["place"]))


def _ended_by_pain(row: StoredOutcome) -> bool:
    if row.pain_kind is None or row.pain_score is None or row.pain_place is None:
        return False
    return ends_session(PainReport(PainKind(row.pain_kind), row.pain_score, PainPlace(row.pain_place)))


class LiveSession:
    """One stored session and its state machine. Methods mirror `SessionRun`, and save."""

    def __init__(self, scope: Scope, state: SessionState, run: SessionRun, resumed: bool, done: list[str]) -> None:
        self.scope = scope
        self.session_id = state.id
        self.started_at = state.started_at
        self.run = run
        self.resumed = resumed
        self.done_before = done  # exercises saved before this player took over
        self.planned_count = len(done) + len(run.exercises)

    # Building it -----------------------------------------------------------------------

    @classmethod
    def load(cls, scope: Scope, session_id: int, resumed: bool = True) -> LiveSession:
        """The open session `session_id` of this patient, as stored, or NotFound."""
        state = scope.repo.session(session_id)
        if state.status != SessionStatus.in_progress:
            raise NotFound(f"Session {session_id} has ended; start a new one.")
        return cls._from_state(scope, state, resumed)

    @classmethod
    def _from_state(cls, scope: Scope, state: SessionState, resumed: bool) -> LiveSession:
        rows = scope.repo.outcomes(state.id)
        done = [o.exercise_id for o in rows]
        if any(_ended_by_pain(row) for row in rows):
            # A pain stop is always honoured, whichever player or device comes back to it.
            run = SessionRun([], scope.catalogue)
            run.end_reason = EndReason.pain
            return cls(scope, state, run, resumed, done)
        items = state.plan if state.plan is not None else scope.repo.program(state.program_id).exercises
        noted = {item["id"]: _pain(item["pain"]) for item in items if item.get("pain")}
        run = SessionRun(list(planned_from(items, scope.catalogue)), scope.catalogue, set(done), noted)
        live = cls(scope, state, run, resumed, done)
        pending = state.pending_pain
        if pending is not None and not run.ended:
            run.go_to(pending["exercise_id"])
            run.this_hurts(_pain(pending["pain"]), pending["between"])  # the same decision: the rules are pure
        return live

    # What a player shows ------------------------------------------------------------------

    @property
    def ended(self) -> bool:
        return self.run.ended

    @property
    def stopped_for_pain(self) -> bool:
        return self.run.end_reason is EndReason.pain

    @property
    def end_reason(self) -> EndReason | None:
        return self.run.end_reason

    @property
    def exercises(self) -> list[PlannedExercise]:
        return self.run.exercises

    @property
    def steps(self) -> list[Step]:
        return self.run.steps

    @property
    def index(self) -> int:
        return self.run.index

    @property
    def current(self) -> Step | None:
        return self.run.current

    @property
    def current_exercise(self) -> PlannedExercise | None:
        return self.run.current_exercise

    @property
    def awaiting_choice(self) -> PainDecision | None:
        return self.run.awaiting_choice

    @property
    def outcomes(self) -> list[ExerciseOutcome]:
        return self.run.outcomes

    def progress(self) -> tuple[int, int]:
        return self.run.progress()

    # What the person does (each saves at once) --------------------------------------------

    def go_on(self) -> ExerciseOutcome | None:
        return self._save(self.run.go_on())

    def skip_exercise(self) -> ExerciseOutcome:
        outcome = self.run.skip_exercise()
        self._save(outcome)
        return outcome

    def this_hurts(self, report: PainReport, between: bool | None = None) -> PainDecision:
        step = self.run.current
        recorded = len(self.run.outcomes)
        decision = self.run.this_hurts(report, between)
        if decision.action is PainAction.end_session:
            for outcome in self.run.outcomes[recorded:]:  # none if it hurt in the rest between exercises
                self._save(outcome)
        elif step is not None:
            in_rest = step.between if between is None else between
            pending = {"exercise_id": step.exercise_id, "between": in_rest, "pain": _pain_json(report)}
            self.scope.repo.set_session_state(self.session_id, None, pending)
        return decision

    def choose(self, option_id: str) -> ExerciseOutcome | None:
        outcome = self.run.choose(option_id)
        noted = self.run.noted_pain
        plan = [
            {**item, "pain": _pain_json(noted[item["id"]])} if item["id"] in noted else item
            for item in program_json(self.run.exercises)
        ]
        if outcome is not None:
            self._save(outcome)
        self.scope.repo.set_session_state(self.session_id, plan, None)
        return outcome

    def quit(self) -> ExerciseOutcome | None:
        return self._save(self.run.quit())

    # For a player that keeps its own step position (the web page) ----------------------------

    def complete(self, exercise_id: str, skipped: bool = False) -> ExerciseOutcome:
        """The player says this exercise is over: done, or skipped."""
        self._check_new(exercise_id)
        self.run.go_to(exercise_id)
        if skipped:
            return self.skip_exercise()
        outcome = None
        while outcome is None:
            outcome = self.go_on()
        return outcome

    def pain_at(self, exercise_id: str, between: bool, report: PainReport) -> PainDecision:
        """Pain reported by a player that keeps its own place: during `exercise_id`, or in the
        rest just before it (`between`)."""
        if self.run.awaiting_choice is None:
            self._check_new(exercise_id)
            self.run.go_to(exercise_id)
        return self.this_hurts(report, between)

    def _check_new(self, exercise_id: str) -> None:
        if self.run.ended:
            raise AlreadyRecorded("This session has ended; nothing more can be recorded in it.")
        if exercise_id in self.done_before or any(o.exercise_id == exercise_id for o in self.run.outcomes):
            raise AlreadyRecorded(f"{exercise_id} already has an outcome in this session.")

    def _save(self, outcome: ExerciseOutcome | None) -> ExerciseOutcome | None:
        if outcome is not None:
            self.scope.repo.record_outcome(self.session_id, outcome, self.scope.now())
        return outcome


# Starting, finishing, logging -------------------------------------------------------------


def due_now(scope: Scope) -> tuple[int, list[PlannedExercise]]:
    """The current program's id and what is due in the next session today."""
    program = active_program(scope)
    now = scope.now()
    today = datetime.combine(now.date(), datetime.min.time())
    day_index = (now.date() - program.created_at.date()).days
    done_today = scope.repo.sessions_ended_between(today, today + timedelta(days=1))
    return program.id, [p for p in program.exercises if is_due(p, day_index, done_today)]


def open_session(scope: Scope) -> SessionState | None:
    return scope.repo.open_session()


def start(scope: Scope, resume: bool = True) -> LiveSession:
    """Resume the unfinished session if asked, else start today's (the old one is closed).
    A re-screen that is due comes first, and a session with nothing due is not started."""
    unfinished = scope.repo.open_session()
    if unfinished is not None and resume:
        return LiveSession._from_state(scope, unfinished, True)
    if rescreen_due(scope):
        raise RescreenNeeded()
    program_id, due = due_now(scope)  # NoProgram or ProgramPaused before anything is written
    if not due:
        raise NothingDue()
    repo = scope.writer()
    if unfinished is not None:
        repo.end_session(unfinished.id, SessionStatus.quit, scope.now())
    session_id = repo.start_session(program_id, program_json(due), scope.now())
    return LiveSession._from_state(scope, repo.session(session_id), False)


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
    live = LiveSession.load(scope, session_id)
    if live.stopped_for_pain:
        reason = EndReason.pain  # a pain stop is never turned into "finished" by a player
    status = END_STATUS[reason]
    scope.repo.finish_session(session_id, status, pain_before, pain_after, felt, scope.now())
    return Finished(session_id, live.planned_count, after_session(scope))


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
    difficulty_of(difficulty)
    if rescreen_due(scope):
        raise RescreenNeeded()
    _, due = due_now(scope)
    ids = {p.id for p in due}
    unknown = [name for name in [*skipped, *pain_stops] if name not in ids]
    if unknown:
        raise InvalidInput("exercise", f"{unknown[0]!r} is not in today's session ({', '.join(sorted(ids))})")
    live = start(scope, resume=False)
    for planned in list(live.exercises):
        if live.ended:
            break  # a pain stop ended the session: nothing after it was done
        report = pain_stops.get(planned.id)
        if report is not None:
            decision = live.pain_at(planned.id, False, report)
            if decision.action is not PainAction.end_session:
                skip = next(o for o in decision.options if o.kind.value == "skip")
                live.choose(skip.id)
        else:
            live.complete(planned.id, skipped=planned.id in skipped)
    reason = EndReason.pain if live.stopped_for_pain else EndReason.finished
    return finish(scope, live.session_id, reason, pain_before, pain_after, difficulty)
