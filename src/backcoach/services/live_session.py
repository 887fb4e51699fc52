"""One stored session driven through the core state machine: the one session flow every
player runs.

A `LiveSession` is a stored session and its `SessionRun`. Every change is saved the moment it
happens: an exercise's outcome, a pain stop, the option chosen after one, pain noted on an
exercise that carries on. The terminal coach keeps one `LiveSession` for a whole session; the
web player's requests each rebuild it from storage (`load`). So both run the same pain rules,
offer the same options and store the same rows, and a reload, another device or a crash comes
back to exactly where the stored session is.

What is stored with the session (`session.plan`, `session.pending_pain`):
- the plan: this session's exercises in order, with their doses, and any pain noted on one;
- a pain report still waiting for its option to be chosen, or one that ended the session in
  the rest between exercises (`"ended": true`), so that no player carries on after it.
"""

from __future__ import annotations

from typing import Any

from backcoach.core.errors import AlreadyRecorded, InvalidInput, NotNow, RescreenNeeded, SessionEnded
from backcoach.core.pain_gates import before_session_advice
from backcoach.core.pain_stop import (
    PainAction,
    PainDecision,
    PainKind,
    PainPlace,
    PainReport,
    ends_session,
    pauses_the_exercise,
)
from backcoach.core.planner import PlannedExercise
from backcoach.core.profile import ruled_out_because
from backcoach.core.rules import EndReason, OutcomeStatus, SessionStatus
from backcoach.core.session_run import ExerciseOutcome, SessionRun
from backcoach.core.session_steps import Step
from backcoach.services.clearances import pause_for_pain, unavailable
from backcoach.services.context import Scope
from backcoach.services.programs import active_program
from backcoach.services.review import rescreen_due
from backcoach.storage.records import SessionState, StoredOutcome
from backcoach.storage.stored_json import exercises_json, pain_from, pain_json, planned_from


def not_offered(scope: Scope) -> set[str]:
    """What the pain dialog may not suggest: exercises paused because they hurt, and those the
    person said they cannot do."""
    profile = scope.repo.latest_profile()
    cannot = set() if profile is None else {e.id for e in scope.catalogue if ruled_out_because(profile, e) is not None}
    return cannot | set(unavailable(scope))


def _ended_by_pain(row: StoredOutcome) -> bool:
    if row.pain_kind is None or row.pain_score is None or row.pain_place is None:
        return False
    return ends_session(PainReport(PainKind(row.pain_kind), row.pain_score, PainPlace(row.pain_place)))


class LiveSession:
    """One stored session and its state machine. Methods mirror `SessionRun`, and save."""

    def __init__(
        self,
        scope: Scope,
        state: SessionState,
        run: SessionRun,
        plan: list[dict[str, Any]],
        done: list[str],
        resumed: bool,
    ) -> None:
        self.scope = scope
        self.session_id = state.id
        self.started_at = state.started_at
        self.run = run
        self.plan = plan  # the whole session in order, done exercises included
        self.done_before = done  # exercises saved before this player took over
        self.resumed = resumed  # taken up again after it was left (a reload, another device, a crash)
        self.pain_before = state.pain_before
        self.planned_count = len(done) + len(run.exercises)

    # Building it -----------------------------------------------------------------------

    @classmethod
    def load(cls, scope: Scope, session_id: int, to_close: bool = False) -> LiveSession:
        """The open session `session_id` of this patient, as stored, or NotFound (SessionEnded once
        it has ended). To go on with it, the program must not be paused and no warning signs may be
        owed; it can always be closed."""
        state, rows = scope.repo.session_with_outcomes(session_id)
        if state.status != SessionStatus.in_progress:
            raise SessionEnded(session_id)
        if not to_close:
            active_program(scope)
            if rescreen_due(scope):
                raise RescreenNeeded()
        return cls.from_state(scope, state, resumed=True, rows=rows)

    @classmethod
    def from_state(
        cls, scope: Scope, state: SessionState, resumed: bool, rows: list[StoredOutcome] | None = None
    ) -> LiveSession:
        """The stored session and its outcomes (`rows`: read here unless given) as a live one."""
        if rows is None:
            rows = scope.repo.outcomes(state.id)
        done = [o.exercise_id for o in rows]
        plan = list(state.plan if state.plan is not None else scope.repo.program(state.program_id).exercises)
        pending = state.pending_pain
        if any(_ended_by_pain(row) for row in rows) or (pending is not None and pending.get("ended")):
            # A pain stop is always honoured, whichever player or device comes back to it.
            run = SessionRun([], scope.catalogue)
            run.end_reason = EndReason.pain
            return cls(scope, state, run, plan, done, resumed)
        noted = {item["id"]: pain_from(item["pain"]) for item in plan if item.get("pain")}
        run = SessionRun(
            list(planned_from(plan, scope.catalogue)), scope.catalogue, set(done), noted, not_offered(scope)
        )
        if pending is not None and not run.ended and any(p.id == pending["exercise_id"] for p in run.exercises):
            run.go_to(pending["exercise_id"])
            run.this_hurts(pain_from(pending["pain"]), pending["between"])  # the same decision: the rules are pure
        return cls(scope, state, run, plan, done, resumed)

    # What a player shows ------------------------------------------------------------------

    @property
    def saves(self) -> bool:
        return True

    @property
    def advice(self) -> tuple[str, ...]:
        """What to know before playing: with pain of 7 or more, why only gentle movements are left."""
        return before_session_advice(self.pain_before)

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
        if step is None:
            return decision
        in_rest = step.between if between is None else between
        waiting = {"exercise_id": step.exercise_id, "between": in_rest, "pain": pain_json(report)}
        if decision.action is PainAction.offer_easier:
            self.scope.repo.set_session_state(self.session_id, None, waiting)
        elif len(self.run.outcomes) > recorded:
            self._save(self.run.outcomes[-1])  # the stop, against the exercise that hurt
            if pauses_the_exercise(report):
                name = self.scope.catalogue.get(step.exercise_id).name
                why = (
                    f"{name} hurt ({report.kind.value} pain), so it is paused. "
                    "Ask a physiotherapist before you try it again."
                )
                pause_for_pain(self.scope, step.exercise_id, why, self.session_id)
        else:  # it ended the session in the rest between exercises: blame none, but remember it
            self.scope.repo.set_session_state(self.session_id, None, {**waiting, "ended": True})
        return decision

    def choose(self, option_id: str) -> ExerciseOutcome | None:
        """Apply the chosen option; its outcome, the new plan and the cleared choice are saved together."""
        if self.run.awaiting_choice is None:  # made already, say, and sent again
            raise NotNow("No pain-stop choice is waiting: there is no pain-stop choice to make.")
        hurt = self.run.current_exercise
        known = {item["id"] for item in self.plan}
        outcome = self.run.choose(option_id)
        added = [p for p in self.run.exercises if p.id not in known]
        self.plan = self._plan_after(hurt.id if hurt else None, added)
        self.scope.repo.save_choice(self.session_id, outcome, self.plan, self.scope.now())
        return outcome

    def quit(self) -> ExerciseOutcome | None:
        return self._save(self.run.quit())

    @staticmethod
    def has_unsaved_pain(state: SessionState) -> bool:
        """Whether closing the stored session would save anything (`close`): a pain-stop choice
        still waiting, or pain noted on an exercise."""
        return state.pending_pain is not None or any(item.get("pain") for item in state.plan or ())

    def close(self) -> None:
        """Before the session ends: a choice still waiting, or pain noted on an exercise never
        finished, is saved as a pain stop, as the terminal does when the person quits."""
        if self.run.awaiting_choice is not None:
            self.quit()
        saved = set(self.done_before) | {o.exercise_id for o in self.run.outcomes}
        for exercise_id, report in self.run.noted_pain.items():
            if exercise_id not in saved:
                planned = next(p for p in self.run.exercises if p.id == exercise_id)
                self._save(ExerciseOutcome(exercise_id, OutcomeStatus.stopped_for_pain, planned.dose, report))

    # For a player that keeps its own step position (the web page) ----------------------------

    def complete(self, exercise_id: str, skipped: bool = False) -> ExerciseOutcome:
        """The player says this exercise is over: done, or skipped."""
        self._check_new(exercise_id)
        waiting = self.run.awaiting_choice
        if waiting is not None:
            return self._complete_beside_a_choice(exercise_id, skipped)
        self.run.go_to(exercise_id)
        if skipped:
            return self.skip_exercise()
        outcome = None
        while outcome is None:
            outcome = self.go_on()
        return outcome

    def _complete_beside_a_choice(self, exercise_id: str, skipped: bool) -> ExerciseOutcome:
        """A player sends each outcome as the exercise ends, without waiting: the one before may
        arrive after a pain report on the next. Save it; the choice stays waiting."""
        hurt = self.run.current_exercise
        if hurt is not None and hurt.id == exercise_id:
            raise NotNow("Choose what to do about the pain first.")
        planned = next((p for p in self.run.exercises if p.id == exercise_id), None)
        if planned is None:
            raise InvalidInput("exercise_id", f"{exercise_id!r} is not still to do in this session")
        noted = self.run.noted_pain.get(exercise_id)
        status = OutcomeStatus.skipped if skipped else OutcomeStatus.done
        if skipped and noted is not None:
            status = OutcomeStatus.stopped_for_pain
        outcome = ExerciseOutcome(exercise_id, status, planned.dose, noted)
        self.scope.repo.record_outcome(self.session_id, outcome, self.scope.now(), self._waiting())
        return outcome

    def pain_at(self, exercise_id: str, between: bool, report: PainReport) -> PainDecision:
        """Pain reported by a player that keeps its own place: during `exercise_id`, or in the
        rest just before it (`between`)."""
        if self.run.awaiting_choice is None:
            self._check_new(exercise_id)
            self.run.go_to(exercise_id)
        elif self.run.current_exercise is not None and self.run.current_exercise.id != exercise_id:
            raise NotNow("Choose what to do about the pain first.")
        return self.this_hurts(report, between)

    # Inner workings --------------------------------------------------------------------

    def _check_new(self, exercise_id: str) -> None:
        if self.run.ended:
            raise AlreadyRecorded("This session has ended; nothing more can be recorded in it.")
        if exercise_id in self.done_before or any(o.exercise_id == exercise_id for o in self.run.outcomes):
            raise AlreadyRecorded(f"{exercise_id} already has an outcome in this session.")

    def _plan_after(self, hurt_id: str | None, added: list[PlannedExercise]) -> list[dict[str, Any]]:
        """The whole plan again, in order: doses as they are now, pain noted where it was, and an
        easier exercise right after the one it stands in for."""
        now = {item["id"]: item for item in exercises_json(self.run.exercises)}
        noted = self.run.noted_pain
        plan = []
        for item in self.plan:
            current = dict(now.get(item["id"], item))
            if item["id"] in noted:
                current["pain"] = pain_json(noted[item["id"]])
            plan.append(current)
            if item["id"] == hurt_id:
                plan += exercises_json(added)
        return plan

    def _save(self, outcome: ExerciseOutcome | None) -> ExerciseOutcome | None:
        if outcome is not None:
            self.scope.repo.record_outcome(self.session_id, outcome, self.scope.now(), self._waiting())
        return outcome

    def _waiting(self) -> dict[str, Any] | None:
        """The stored pending choice as it should be after this write: still there if one waits."""
        return self.scope.repo.session(self.session_id).pending_pain if self.run.awaiting_choice else None
