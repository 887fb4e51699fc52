"""The session state machine that both players drive."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.dose_steps import source_values
from backcoach.core.errors import InvalidInput, NotNow
from backcoach.core.pain_stop import OptionKind, PainAction, PainKind, PainPlace, PainReport
from backcoach.core.planner import plan_program
from backcoach.core.rules import EndReason, OutcomeStatus
from backcoach.core.session_run import SessionRun
from backcoach.core.session_steps import StepKind
from tests.examples import example_profile
from tests.strategies import examples, profiles, red_flags

CATALOGUE = load_catalogue()
MAYA = example_profile(sessions_per_day=1)
MILD = PainReport(PainKind.mild, 3, PainPlace.lower_back)
SHARP = PainReport(PainKind.sharp, 5, PainPlace.lower_back)


def new_run() -> SessionRun:
    return SessionRun(list(plan_program(MAYA, CATALOGUE).exercises), CATALOGUE)


def run_to_end(run: SessionRun) -> None:
    while not run.ended:
        run.go_on()


def test_going_on_through_every_step_finishes_every_exercise():
    run = new_run()
    ids = [p.id for p in run.exercises]
    run_to_end(run)
    assert run.end_reason is EndReason.finished
    assert [o.exercise_id for o in run.outcomes] == ids
    assert all(o.status is OutcomeStatus.done for o in run.outcomes)
    assert run.progress()[0] == run.progress()[1]


def test_each_exercise_outcome_arrives_the_moment_it_ends():
    run = new_run()
    first = run.current
    assert first is not None and first.kind is StepKind.position
    outcome = None
    while outcome is None:
        outcome = run.go_on()
    assert outcome.exercise_id == first.exercise_id
    assert run.current is not None and run.current.exercise_id != first.exercise_id


def test_skip_moves_to_the_next_exercise():
    run = new_run()
    first_id = run.exercises[0].id
    outcome = run.skip_exercise()
    assert outcome.status is OutcomeStatus.skipped and outcome.exercise_id == first_id
    assert run.current is not None and run.current.exercise_id != first_id


def test_sharp_pain_ends_the_session_at_once():
    run = new_run()
    run.go_on()
    decision = run.this_hurts(SHARP)
    assert decision.action is PainAction.end_session
    assert run.ended and run.end_reason is EndReason.pain and run.current is None
    assert run.outcomes[-1].status is OutcomeStatus.stopped_for_pain
    assert run.outcomes[-1].pain == SHARP
    with pytest.raises(RuntimeError):
        run.go_on()


def test_mild_pain_must_be_answered_before_going_on():
    run = new_run()
    run.this_hurts(MILD)
    assert run.awaiting_choice is not None
    with pytest.raises(NotNow, match="pain"):
        run.go_on()
    outcome = run.choose(OptionKind.skip)
    assert outcome is not None and outcome.status is OutcomeStatus.stopped_for_pain


def test_mild_pain_never_carries_on_unchanged():
    run = new_run()
    run.go_on()
    run.go_on()
    decision = run.this_hurts(MILD)
    kinds = {o.kind for o in decision.options}
    assert OptionKind.smaller_movement not in kinds and OptionKind.skip in kinds
    assert all(o.dose is None or o.dose != run.exercises[0].dose for o in decision.options)


def test_an_easier_dose_restarts_the_exercise_and_remembers_the_pain():
    exercises = list(plan_program(MAYA, CATALOGUE).exercises)
    first = exercises[0]
    top = replace(first, dose=replace(first.dose, reps=max(source_values(first.exercise, "reps"))))
    run = SessionRun([top, *exercises[1:]], CATALOGUE)
    run.go_on()
    run.go_on()
    run.this_hurts(MILD)
    assert run.choose(OptionKind.easier_dose) is None
    assert run.current is not None and run.current.exercise_id == first.id and run.current.kind is not StepKind.position
    outcome = None
    while outcome is None:
        outcome = run.go_on()
    assert outcome.status is OutcomeStatus.done and outcome.pain == MILD and outcome.dose.reps == first.dose.reps


def test_an_easier_exercise_replaces_the_hard_one():
    plan = plan_program(MAYA, CATALOGUE)
    bridge = next(p for p in plan.exercises if p.id == "bridge")
    run = SessionRun([bridge], CATALOGUE)
    decision = run.this_hurts(MILD)
    offered = {o.exercise_id for o in decision.options if o.kind is OptionKind.easier_exercise}
    assert offered
    run.choose(next(o.id for o in decision.options if o.kind is OptionKind.easier_exercise))
    assert run.outcomes[-1].exercise_id == "bridge"
    assert run.outcomes[-1].status is OutcomeStatus.stopped_for_pain
    assert run.current is not None and run.current.exercise_id in offered


def test_each_easier_exercise_is_its_own_option():
    """Two easier exercises are two options: choosing the second plays the second, not the first."""
    bridge = next(p for p in plan_program(MAYA, CATALOGUE).exercises if p.id == "bridge")
    easier = [
        o for o in SessionRun([bridge], CATALOGUE).this_hurts(MILD).options if o.kind is OptionKind.easier_exercise
    ]
    assert len(easier) >= 2 and len({o.id for o in easier}) == len(easier)
    for option in easier:
        run = SessionRun([bridge], CATALOGUE)
        run.this_hurts(MILD)
        run.choose(option.id)
        assert run.current is not None and run.current.exercise_id == option.exercise_id
        assert option.label.endswith(CATALOGUE.get(option.exercise_id).name.lower())


def test_an_option_that_was_not_offered_is_refused():
    run = new_run()
    run.this_hurts(MILD)
    with pytest.raises(InvalidInput, match="not offered"):
        run.choose("easier_exercise:moonwalk")
    assert run.awaiting_choice is not None, "the choice is still to make"


def test_quit_does_not_mark_the_exercise_in_progress_done():
    run = new_run()
    run.go_on()
    run.quit()
    assert run.end_reason is EndReason.quit and run.outcomes == []


def test_resume_skips_exercises_already_done():
    exercises = list(plan_program(MAYA, CATALOGUE).exercises)
    run = SessionRun(exercises, CATALOGUE, already_done={exercises[0].id})
    assert [p.id for p in run.exercises] == [p.id for p in exercises[1:]]


actions = st.lists(st.sampled_from(["go", "go", "go", "skip", "mild", "severe", "quit"]), max_size=80)


@settings(max_examples=examples(500))
@given(profiles(red_flags(any_true=False)), actions)
def test_any_sequence_of_taps_keeps_the_rules(profile, taps):
    plan = plan_program(profile, CATALOGUE)
    run = SessionRun(list(plan.exercises), CATALOGUE)
    for tap in taps:
        if run.ended:
            break
        if run.awaiting_choice is not None:
            run.choose(run.awaiting_choice.options[-1].id)
            continue
        if tap == "go":
            run.go_on()
        elif tap == "skip":
            run.skip_exercise()
        elif tap == "mild":
            run.this_hurts(MILD)
        elif tap == "severe":
            run.this_hurts(SHARP)
            assert run.ended and run.end_reason is EndReason.pain
        else:
            run.quit()
    ids = [o.exercise_id for o in run.outcomes]
    assert len(ids) == len(set(ids)), "an exercise is recorded once"
    for outcome in run.outcomes:
        if outcome.pain is not None and outcome.pain.kind is not PainKind.mild:
            assert outcome.status is OutcomeStatus.stopped_for_pain


def test_pain_in_the_rest_between_exercises_blames_no_exercise():
    run = new_run()
    while run.current is not None and not run.current.between:
        run.go_on()
    done_before = list(run.outcomes)
    run.this_hurts(SHARP)
    assert run.end_reason is EndReason.pain
    assert run.outcomes == done_before


def test_quitting_while_choosing_after_pain_records_the_pain_stop():
    run = new_run()
    run.go_on()
    run.this_hurts(MILD)
    outcome = run.quit()
    assert outcome is not None and outcome.status is OutcomeStatus.stopped_for_pain and outcome.pain == MILD
    assert run.end_reason is EndReason.quit
