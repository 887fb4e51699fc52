"""The weekly review's rules, and its safety properties over generated histories."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.dose_steps import changed_fields, grow_one_step, one_source_allows, source_values, step_down
from backcoach.core.history import CheckInRecord, OutcomeRecord, SessionRecord
from backcoach.core.pain_window import PastReview, pain_window
from backcoach.core.planner import plan_program, starting_dose
from backcoach.core.profile import ruled_out_because
from backcoach.core.progression import Action, PauseCode, review
from backcoach.core.rules import ACT_RISE, CRITICAL_PAIN, is_strengthening
from backcoach.core.timing import session_seconds
from tests.examples import example_profile
from tests.strategies import examples, profiles, red_flags

CATALOGUE = load_catalogue()
MAYA = example_profile(sessions_per_day=2)
START = datetime(2026, 3, 2, 8)


def session(day: int, program, difficulty="easy", before=4, after=4, pain=None, score=3) -> SessionRecord:
    outcomes = tuple(
        OutcomeRecord(
            p.id,
            "stopped_for_pain" if pain and p.id in pain else "done",
            {},
            pain.get(p.id) if pain else None,
            score if pain and p.id in pain else None,
        )
        for p in program
    )
    return SessionRecord(
        day, START + timedelta(days=day), "finished", 1, outcomes, CheckInRecord(before, after, difficulty)
    )


def program(profile=MAYA):
    return list(plan_program(profile, CATALOGUE).exercises)


def test_two_easy_sessions_with_steady_pain_grow_each_exercise_one_field():
    exercises = program()
    result = review(exercises, [session(0, exercises), session(1, exercises)], MAYA, CATALOGUE, 4.0)
    assert any(c.action is Action.grow for c in result.changes)
    for before, after in zip(exercises, result.exercises, strict=True):
        assert len(changed_fields(before.dose, after.dose)) <= 1
    assert not result.advice


def test_a_hard_session_holds_everything():
    exercises = program()
    history = [session(0, exercises), session(1, exercises, difficulty="hard")]
    result = review(exercises, history, MAYA, CATALOGUE, 4.0)
    assert {c.action for c in result.changes} == {Action.hold}


def test_a_sharp_pain_stop_pauses_that_exercise_until_cleared():
    exercises = program()
    strong = next(p for p in exercises if is_strengthening(p.exercise))
    history = [session(0, exercises), session(1, exercises, pain={strong.id: "sharp"})]
    result = review(exercises, history, MAYA, CATALOGUE, 4.0)
    assert strong.id not in [p.id for p in result.exercises]
    change = next(c for c in result.changes if c.exercise_id == strong.id)
    assert change.action is Action.pause and change.code == PauseCode.hurt and "physiotherapist" in change.reason
    assert result.paused_for_pain == (change,)


def test_a_week_at_eight_that_ends_at_four_is_not_a_week_without_pain():
    exercises = program()
    history = [session(d, exercises, before=8, after=8) for d in range(5)]
    history += [session(5, exercises), session(6, exercises)]
    result = review(exercises, history, MAYA, CATALOGUE, 4.0)
    assert not any(c.action in {Action.grow, Action.harder} for c in result.changes)
    assert result.alarm and any("reached 8" in a for a in result.advice)


def test_pain_creeping_up_a_point_a_week_never_grows_and_ends_in_see_a_professional():
    exercises = program()
    past: list[PastReview] = []
    advice: list[str] = []
    for week, level in enumerate([3, 4, 5, 6]):
        history = [session(7 * week + d, exercises, before=level, after=level) for d in range(3)]
        result = review(exercises, history, MAYA, CATALOGUE, 2.0, past)
        assert not any(c.action in {Action.grow, Action.harder} for c in result.changes), week
        past = [PastReview(result.level, result.alarm), *past]
        exercises = list(result.exercises)
        advice += result.advice
    assert any("doctor or physiotherapist" in a for a in advice)


def test_a_rise_of_two_steps_strengthening_down_but_keeps_the_stretches():
    exercises = program()
    history = [session(0, exercises, before=4, after=6), session(1, exercises, before=5, after=6)]
    result = review(exercises, history, MAYA, CATALOGUE, 4.0)
    kept = {p.id for p in result.exercises}
    gentle = {p.id for p in exercises if not is_strengthening(p.exercise)}
    assert gentle <= kept, "gentle stretches that did not hurt stay, to keep the person moving"
    assert all(c.action is not Action.grow for c in result.changes)
    assert any("2 points" in a for a in result.advice) and result.alarm


def test_pain_of_seven_pauses_strengthening_and_sends_to_a_professional():
    exercises = program()
    result = review(exercises, [session(0, exercises, before=6, after=7)], MAYA, CATALOGUE, 4.0)
    assert not any(is_strengthening(p.exercise) for p in result.exercises)
    assert any(p.code == PauseCode.pain_high for p in result.changes if p.action is Action.pause)
    assert any("doctor or physiotherapist" in a for a in result.advice)


def test_high_at_two_reviews_in_a_row_means_see_a_professional():
    exercises = program()
    result = review(exercises, [session(0, exercises, before=5, after=7)], MAYA, CATALOGUE, 3.0, [PastReview(5, True)])
    assert any("doctor or physiotherapist" in a for a in result.advice)


def test_not_easing_after_the_program_was_eased_means_see_a_professional():
    exercises = program()
    result = review(exercises, [session(0, exercises, before=5, after=5)], MAYA, CATALOGUE, 5.0, [PastReview(5, True)])
    assert any("not eased" in a for a in result.advice)


def test_a_paused_exercise_never_comes_back_as_a_harder_step():
    knee = next(p for p in program() if p.id == "knee-to-chest")
    start = starting_dose(knee.exercise, 2)
    dose = knee.dose
    while (bigger := grow_one_step(knee.exercise, start, dose, 2)) is not None:
        dose = bigger
    top = replace(knee, dose=dose)
    history = [session(0, [top]), session(1, [top])]
    free = review([top], history, MAYA, CATALOGUE, 4.0)
    assert free.changes[0].action is Action.harder
    harder = free.changes[0].new_exercise_id
    assert harder is not None
    blocked = review([top], history, MAYA, CATALOGUE, 4.0, unavailable={harder: "it hurt"})
    assert harder not in {p.id for p in blocked.exercises}


def test_growth_keeps_every_grown_field_within_one_source():
    for exercise in CATALOGUE:
        if exercise.is_aerobic:
            continue
        start = starting_dose(exercise, 3)
        dose, seen = start, []
        while (bigger := grow_one_step(exercise, start, dose, 3)) is not None:
            assert len(changed_fields(dose, bigger)) == 1, exercise.id
            seen.append(bigger)
            dose = bigger
        assert all(one_source_allows(exercise, start, d) for d in seen), exercise.id


def test_steps_only_land_on_values_a_source_states():
    knee = CATALOGUE.get("knee-to-chest")
    planned = next(p for p in program() if p.id == "knee-to-chest")
    lower = step_down(knee, planned.dose)
    for field in ("hold_seconds", "reps", "sets", "times_per_day"):
        value = getattr(lower, field) if lower else None
        assert value is None or value in source_values(knee, field) or value == getattr(planned.dose, field)


def test_the_window_reads_worst_and_typical_pain():
    exercises = program()
    window = pain_window([session(0, exercises, before=2, after=3), session(1, exercises, before=3, after=9)])
    assert window.worst == 9 and window.typical == 3 and window.session_rise == 6


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
@given(profiles(red_flags(any_true=False)), histories, st.integers(0, 10), st.integers(0, 6))
def test_review_keeps_every_rule_over_generated_histories(profile, raw, baseline, rounds):
    exercises = list(plan_program(profile, CATALOGUE).exercises)
    past: list[PastReview] = []
    for week in range(rounds + 1):  # several reviews in a row, each on the last one's program
        history = []
        for day, (difficulty, before, after, pain, which) in enumerate(raw):
            stops = {exercises[which % len(exercises)].id: pain} if pain and exercises else None
            history.append(session(7 * week + day, exercises, difficulty, before, after, stops))
        result = review(exercises, history, profile, CATALOGUE, float(baseline), past)
        window = pain_window(history)
        grew = [c for c in result.changes if c.action in {Action.grow, Action.harder}]
        if grew:
            assert window.worst is not None and window.worst < CRITICAL_PAIN
            assert window.typical is not None and window.typical - baseline < ACT_RISE
        stopped = {o.exercise_id for s in history for o in s.outcomes if o.pain_kind}
        assert not {c.exercise_id for c in grew} & stopped
        before = {p.id: p for p in exercises}
        for planned in result.exercises:
            for name, limit in planned.exercise.dose_limits().items():
                value = getattr(planned.dose, name)
                assert value is None or (limit is not None and limit[0] <= value <= limit[1])
            assert planned.dose.times_per_day is None or planned.dose.times_per_day <= profile.sessions_per_day
            assert ruled_out_because(profile, planned.exercise) is None
            if planned.id in before and any(c.exercise_id == planned.id and c.action is Action.grow for c in grew):
                assert len(changed_fields(before[planned.id].dose, planned.dose)) == 1
        if grew:
            assert session_seconds([p.seconds for p in result.exercises]) <= profile.minutes_per_session * 60
        past = [PastReview(result.level, result.alarm), *past]
        exercises = list(result.exercises)


def test_strengthening_set_aside_while_pain_was_high_comes_back_when_it_is_steady():
    exercises = [p for p in program() if not is_strengthening(p.exercise)]
    strong = next(p for p in program() if is_strengthening(p.exercise))
    calm = [session(0, exercises, "right", 3, 3), session(1, exercises, "right", 3, 3)]
    result = review(exercises, calm, MAYA, CATALOGUE, 4.0, set_aside=[strong.id])
    back = [c for c in result.changes if c.action is Action.back]
    assert [c.exercise_id for c in back] == [strong.id]
    assert next(p for p in result.exercises if p.id == strong.id).dose == starting_dose(strong.exercise, 2)
    # Not while pain is high, not if it is paused for pain, and never more than one at a time.
    high = [session(0, exercises, "right", 7, 7)]
    assert not any(
        c.action is Action.back for c in review(exercises, high, MAYA, CATALOGUE, 4.0, set_aside=[strong.id]).changes
    )
    paused = review(exercises, calm, MAYA, CATALOGUE, 4.0, unavailable={strong.id: "It hurt."}, set_aside=[strong.id])
    assert not any(c.action is Action.back for c in paused.changes)


def test_pain_that_stays_high_without_easing_at_two_reviews_means_see_a_professional():
    exercises = program()
    history = [session(0, exercises, "right", 6, 6), session(1, exercises, "right", 6, 6)]
    steady = review(exercises, history, MAYA, CATALOGUE, 6.0, [PastReview(6, False), PastReview(6, False)])
    assert any("without easing" in a for a in steady.advice)
    easing = review(exercises, history, MAYA, CATALOGUE, 6.0, [PastReview(7, False), PastReview(8, False)])
    assert not any("without easing" in a for a in easing.advice)
    low = [session(0, exercises, "right", 2, 2), session(1, exercises, "right", 2, 2)]
    assert not review(exercises, low, MAYA, CATALOGUE, 2.0, [PastReview(2, False), PastReview(2, False)]).advice
