"""One run through a session: where the person is, and what happened to each exercise.

This is the player's brain with no screen: the terminal coach and the web player both drive
it. Each method that ends an exercise returns its outcome, so a caller can save it at once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace

from backcoach.core.catalogue import Catalogue
from backcoach.core.errors import InvalidInput, NotNow
from backcoach.core.pain_stop import OptionKind, PainAction, PainDecision, PainReport, decide
from backcoach.core.planner import PlannedExercise, starting_dose
from backcoach.core.rules import EndReason, OutcomeStatus
from backcoach.core.session_steps import Step, exercise_steps, session_steps
from backcoach.core.timing import Dose, exercise_seconds


@dataclass(frozen=True)
class ExerciseOutcome:
    exercise_id: str
    status: OutcomeStatus
    dose: Dose
    pain: PainReport | None = None
    note: str | None = None


class SessionRun:
    def __init__(
        self,
        exercises: list[PlannedExercise],
        catalogue: Catalogue,
        already_done: Collection[str] = (),
        noted_pain: Mapping[str, PainReport] | None = None,
        not_offered: Collection[str] = (),
    ):
        """`not_offered`: exercises the pain dialog may never suggest (the person cannot do them,
        or they were paused because they hurt)."""
        self.catalogue = catalogue
        self.not_offered = frozenset(not_offered)
        self.exercises = [p for p in exercises if p.id not in already_done]
        self.done_before = frozenset(already_done)  # still part of this session: never offered again
        self.steps: list[Step] = session_steps(self.exercises)
        self.index = 0
        self.outcomes: list[ExerciseOutcome] = []
        self.end_reason: EndReason | None = None
        self._pain: PainReport | None = None  # the pain report being dealt with now
        self._pain_between = False  # ...and whether it came in the rest before an exercise
        # Pain reported on an exercise that carries on (smaller or easier): its outcome keeps it.
        self._noted: dict[str, PainReport] = dict(noted_pain or {})
        self._pending: PainDecision | None = None
        if not self.steps:
            self.end_reason = EndReason.finished

    # What the player shows -------------------------------------------------------------

    @property
    def ended(self) -> bool:
        return self.end_reason is not None

    @property
    def current(self) -> Step | None:
        return None if self.ended else self.steps[self.index]

    @property
    def current_exercise(self) -> PlannedExercise | None:
        step = self.current
        if step is None:
            return None
        return next(p for p in self.exercises if p.id == step.exercise_id)

    @property
    def awaiting_choice(self) -> PainDecision | None:
        """After a mild pain stop, the options the person must choose from before going on."""
        return self._pending

    @property
    def saves(self) -> bool:
        """This run keeps nothing: the application layer's LiveSession is the one that saves."""
        return False

    @property
    def noted_pain(self) -> dict[str, PainReport]:
        """Pain reported on exercises that carried on at a smaller or easier dose, by exercise."""
        return dict(self._noted)

    def progress(self) -> tuple[int, int]:
        """Seconds behind and seconds in total, for a progress bar."""
        done = sum(s.seconds for s in self.steps[: self.index])
        return done, sum(s.seconds for s in self.steps)

    # What the person does --------------------------------------------------------------

    def go_on(self) -> ExerciseOutcome | None:
        """The current step is over; move to the next. Returns an outcome if an exercise ended."""
        step = self._require_free_step()
        self.index += 1
        if self._at_exercise_end(step.exercise_id):
            return self._record(step.exercise_id, OutcomeStatus.done)
        return None

    def skip_exercise(self) -> ExerciseOutcome:
        step = self._require_free_step()
        hurt = self._pain is not None or step.exercise_id in self._noted
        status = OutcomeStatus.stopped_for_pain if hurt else OutcomeStatus.skipped
        self._jump_past(step.exercise_id)
        return self._record(step.exercise_id, status)

    def this_hurts(self, report: PainReport, between: bool | None = None) -> PainDecision:
        """Always honoured: the session ends, or the exercise must change or be skipped.

        During the rest between two exercises, the next one has not started: a stop that ends
        the session records nothing against it, and milder options apply to it. `between` says
        so for a player whose rest is not among these steps (after a resume); else the step tells."""
        planned = self._require_exercise()
        step = self._require_step()
        self._pain_between = step.between if between is None else between
        in_session = {p.id for p in self.exercises} | self.done_before
        allowed = {
            e
            for e in planned.exercise.easier
            if e in self.catalogue.ids() and e not in in_session and e not in self.not_offered
        }
        names = {e: self.catalogue.get(e).name.lower() for e in allowed}
        decision = decide(report, planned.exercise, planned.dose, allowed, names)
        self._pain = report
        if decision.action is PainAction.end_session:
            if not self._pain_between:
                self._record(planned.id, OutcomeStatus.stopped_for_pain)
            self.end_reason = EndReason.pain
        else:
            self._pending = decision
        return decision

    def go_to(self, exercise_id: str) -> None:
        """Move to the start of an exercise still to do, as a player that keeps its own step
        position reports it. Unknown exercises are refused."""
        if self._pending is not None:
            raise NotNow("Choose what to do about the pain first.")
        starts = [i for i, s in enumerate(self.steps) if s.exercise_id == exercise_id and s.kind == "position"]
        if not starts or self.ended:
            raise InvalidInput("exercise_id", f"{exercise_id!r} is not still to do in this session")
        self.index = starts[0]

    def choose(self, option_id: str) -> ExerciseOutcome | None:
        """Apply one of the options offered after a mild pain stop, named by its id."""
        decision = self._pending
        if decision is None:
            raise InvalidInput("option", "there is no pain-stop choice to make")
        option = next((o for o in decision.options if o.id == option_id), None)
        if option is None:
            offered = ", ".join(o.id for o in decision.options)
            raise InvalidInput("option", f"{option_id!r} was not offered (offered: {offered})")
        kind = option.kind
        self._pending = None
        planned = self._require_exercise()
        if kind is OptionKind.skip:
            return self.skip_exercise()
        if kind is OptionKind.easier_exercise and option.exercise_id is not None:
            easier = self.catalogue.get(option.exercise_id)
            dose = starting_dose(easier, planned.dose.times_per_day or 1)
            swap = PlannedExercise(
                easier,
                dose,
                exercise_seconds(dose, easier.pace),
                f"An easier exercise instead of {planned.exercise.name}, after discomfort.",
            )
            outcome = self.skip_exercise()
            self._insert(swap)
            return outcome
        # A smaller movement or an easier dose: restart this exercise's holds or reps.
        if self._pain is not None:
            self._noted[planned.id] = self._pain
            self._pain = None
        dose = option.dose or planned.dose
        self._restart(replace(planned, dose=dose, seconds=exercise_seconds(dose, planned.exercise.pace)))
        return None

    def quit(self) -> ExerciseOutcome | None:
        """Stop now. The exercise in progress is not recorded as done; if the person quits while
        choosing what to do about pain, the pain stop is recorded."""
        outcome = None
        if self._pending is not None:
            self._pending = None
            planned = self._require_exercise()
            if not self._pain_between:
                outcome = self._record(planned.id, OutcomeStatus.stopped_for_pain)
        self.end_reason = EndReason.quit
        return outcome

    # Inner workings --------------------------------------------------------------------

    def _require_step(self) -> Step:
        step = self.current
        if step is None:
            raise RuntimeError("the session has ended")
        return step

    def _require_free_step(self) -> Step:
        if self._pending is not None:
            raise NotNow("Choose what to do about the pain first.")
        return self._require_step()

    def _require_exercise(self) -> PlannedExercise:
        planned = self.current_exercise
        if planned is None:
            raise RuntimeError("the session has ended")
        return planned

    def _at_exercise_end(self, exercise_id: str) -> bool:
        if self.index >= len(self.steps):
            self.end_reason = EndReason.finished
            return True
        following = self.steps[self.index]
        # The rest between exercises carries the next exercise's id.
        return following.exercise_id != exercise_id

    def _span(self, exercise_id: str) -> tuple[int, int]:
        """Indexes of the first and one past the last step of this exercise (its own steps only)."""
        first = next(i for i, s in enumerate(self.steps) if s.exercise_id == exercise_id and s.kind == "position")
        last = first
        while last < len(self.steps) and self.steps[last].exercise_id == exercise_id:
            last += 1
        return first, last

    def _jump_past(self, exercise_id: str) -> None:
        _, end = self._span(exercise_id)
        self.index = end
        if self.index >= len(self.steps):
            self.end_reason = EndReason.finished

    def _restart(self, planned: PlannedExercise) -> None:
        first, end = self._span(planned.id)
        self.exercises = [planned if p.id == planned.id else p for p in self.exercises]
        fresh = exercise_steps(planned)[1:]  # already in position: start with the holds or reps
        self.steps[first + 1 : end] = fresh
        if not self._pain_between:  # it hurt during the exercise: carry on with its holds or reps
            self.index = first + 1  # (in the rest before it, the rest and getting into position remain)

    def _insert(self, planned: PlannedExercise) -> None:
        self.exercises.append(planned)
        steps = exercise_steps(planned)
        self.steps[self.index : self.index] = steps
        if self.end_reason is EndReason.finished:
            self.end_reason = None

    def _record(self, exercise_id: str, status: OutcomeStatus) -> ExerciseOutcome:
        planned = next(p for p in self.exercises if p.id == exercise_id)
        pain = self._pain if self._pain is not None else self._noted.pop(exercise_id, None)
        self._pain = None
        outcome = ExerciseOutcome(exercise_id, status, planned.dose, pain)
        self.outcomes.append(outcome)
        return outcome
