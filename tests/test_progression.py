"""The weekly review's rules, and its safety properties over generated histories."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.history import CheckInRecord, OutcomeRecord, SessionRecord
from backcoach.core.planner import plan_program
from backcoach.core.profile import ruled_out_because
from backcoach.core.progression import (
    Action,
    grow_one_step,
    review,
    source_doses,
    source_values,
    step_down,
    volume,
)
from tests.examples import example_profile
from tests.strategies import examples, profiles, red_flags

CATALOGUE = load_catalogue()
MAYA = example_profile(sessions_per_day=2)
START = datetime(2026, 3, 2, 8)


def session(day: int, program, difficulty="easy", before=4, after=4, pain=None) -> SessionRecord:
    outcomes = tuple(
        OutcomeRecord(
            p.id,
            "stopped_for_pain" if pain and p.id in pain else "done",
            {},
            pain.get(p.id) if pain else None,
            3 if pain and p.id in pain else None,
        )
        for p in program
    )
    return SessionRecord(
        day, START + timedelta(days=day), "finished", 1, outcomes, CheckInRecord(before, after, difficulty)
    )


def program():
    return list(plan_program(MAYA, CATALOGUE).exercises)


def test_two_easy_sessions_grow_each_exercise_one_step():
    exercises = program()
    result = review(exercises, [session(0, exercises), session(1, exercises)], MAYA, CATALOGUE, 4.0, False)
    assert all(c.action in {Action.grow, Action.harder, Action.hold} for c in result.changes)
    knee = next(p for p in result.exercises if p.id == "knee-to-chest")
    assert knee.dose.reps == 3, "reps grow first, to the next value a source gives (001: 2-3)"
    assert result.changed and not result.advice


def test_a_hard_session_holds_everything():
    exercises = program()
    history = [session(0, exercises), session(1, exercises, difficulty="hard")]
    result = review(exercises, history, MAYA, CATALOGUE, 4.0, False)
    assert {c.action for c in result.changes} == {Action.hold}
    assert not result.changed


def test_a_sharp_pain_stop_pauses_that_exercise():
    exercises = program()
    history = [session(0, exercises), session(1, exercises, pain={"bridge": "sharp"})]
    result = review(exercises, history, MAYA, CATALOGUE, 4.0, False)
    assert "bridge" not in [p.id for p in result.exercises]
    change = next(c for c in result.changes if c.exercise_id == "bridge")
    assert change.action is Action.pause and "physiotherapist" in change.reason


def test_a_rise_of_two_points_eases_everything_and_says_so():
    exercises = program()
    history = [session(0, exercises, before=4, after=6), session(1, exercises, before=5, after=6)]
    result = review(exercises, history, MAYA, CATALOGUE, 4.0, False)
    assert all(c.action in {Action.step_down, Action.easier, Action.pause} for c in result.changes)
    assert any("2 points" in a for a in result.advice) and result.alarm


def test_pain_of_seven_pauses_strengthening_and_sends_to_a_professional():
    exercises = program()
    result = review(exercises, [session(0, exercises, before=6, after=7)], MAYA, CATALOGUE, 4.0, False)
    assert "bridge" not in [p.id for p in result.exercises]
    assert any("doctor or physiotherapist" in a for a in result.advice)


def test_rising_two_reviews_in_a_row_means_see_a_professional():
    exercises = program()
    result = review(exercises, [session(0, exercises, before=5, after=6)], MAYA, CATALOGUE, 3.0, True)
    assert any("two reviews in a row" in a for a in result.advice)


def test_at_the_top_of_the_range_the_harder_variant_takes_over():
    knee = next(p for p in program() if p.id == "knee-to-chest")
    dose = knee.dose
    while (bigger := grow_one_step(knee.exercise, dose, 2)) is not None:
        dose = bigger
    # The top is source 000's own dose: a 30-second hold once each side, now twice a day.
    assert (dose.hold_seconds, dose.reps, dose.times_per_day) == (30, None, 2)
    from dataclasses import replace

    top = replace(knee, dose=dose)
    result = review([top], [session(0, [top]), session(1, [top])], MAYA, CATALOGUE, 4.0, False)
    assert result.changes[0].action is Action.harder
    assert result.exercises[0].id == "double-knee-to-chest"


def test_growth_never_stacks_one_sources_reps_on_anothers_holds():
    rolls = next(p for p in program() if p.id == "knee-rolls")
    dose, seen = rolls.dose, []
    while (bigger := grow_one_step(rolls.exercise, dose, 2)) is not None:
        seen.append(bigger)
        dose = bigger
    cap = max(volume(d, rolls.exercise.pace) for d in source_doses(rolls.exercise))
    assert seen and all(volume(d, rolls.exercise.pace) <= cap for d in seen)
    assert not any(d.reps and d.reps >= 8 and d.hold_seconds for d in seen), "001's holds with 002's reps"


def test_steps_only_land_on_values_a_source_states():
    knee = CATALOGUE.get("knee-to-chest")
    assert source_values(knee, "hold_seconds") == [5, 30]
    planned = next(p for p in program() if p.id == "knee-to-chest")
    lower = step_down(knee, planned.dose)
    assert lower is None or lower.times_per_day == 1


histories = st.lists(
    st.tuples(
        st.sampled_from(["easy", "right", "hard"]),
        st.integers(0, 10),
        st.integers(0, 10),
        st.sampled_from([None, "mild", "sharp", "spreading", "worsening"]),
        st.integers(0, 5),
    ),
    max_size=14,
)


@settings(max_examples=examples(600))
@given(profiles(red_flags(any_true=False)), histories, st.integers(0, 10), st.booleans(), st.integers(0, 6))
def test_review_never_leaves_the_sources_and_never_grows_after_a_pain_stop(profile, raw, baseline, alarm, rounds):
    exercises = list(plan_program(profile, CATALOGUE).exercises)
    for _ in range(rounds + 1):  # several reviews in a row, each on the last one's program
        history = []
        for day, (difficulty, before, after, pain, which) in enumerate(raw):
            stops = {exercises[which % len(exercises)].id: pain} if pain and exercises else None
            history.append(session(day, exercises, difficulty, before, after, stops))
        result = review(exercises, history, profile, CATALOGUE, float(baseline), alarm)
        stopped = {o.exercise_id for s in history for o in s.outcomes if o.pain_kind}
        for change in result.changes:
            if change.exercise_id in stopped:
                assert change.action not in {Action.grow, Action.harder}
        for planned in result.exercises:
            limits = planned.exercise.dose_limits()
            for name, limit in limits.items():
                value = getattr(planned.dose, name)
                assert value is None or (limit is not None and limit[0] <= value <= limit[1])
            assert planned.dose.times_per_day is None or planned.dose.times_per_day <= profile.sessions_per_day
            assert ruled_out_because(profile, planned.exercise) is None
            grew = next((c for c in result.changes if c.exercise_id == planned.id and c.action is Action.grow), None)
            if grew is not None:
                cap = max(volume(d, planned.exercise.pace) for d in source_doses(planned.exercise))
                assert volume(planned.dose, planned.exercise.pace) <= cap
        exercises = list(result.exercises)
