"""Safety properties of the planner, checked over thousands of generated profiles."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.exercise import PrecautionEffect, Region
from backcoach.core.planner import plan_program
from backcoach.core.profile import Profile, adaptations, ruled_out_because
from backcoach.core.program_shape import MAX_EXERCISES
from backcoach.core.rules import CRITICAL_PAIN
from backcoach.core.screening import Urgency
from backcoach.core.session_steps import session_exercises, session_steps, total_seconds
from backcoach.core.timing import Dose
from tests.strategies import examples, neck_flags, profiles, red_flags

CATALOGUE = load_catalogue()
MANY = settings(max_examples=examples(2000))


@MANY
@given(profiles(red_flags(any_true=True)))
def test_no_program_when_any_warning_sign_is_true(profile: Profile):
    plan = plan_program(profile, CATALOGUE)
    assert plan.status is not Urgency.clear
    assert plan.exercises == () and plan.activity == ()
    assert plan.message


@MANY
@given(profiles())
def test_never_an_exercise_the_profile_rules_out(profile: Profile):
    plan = plan_program(profile, CATALOGUE)
    for planned in plan.exercises:
        assert ruled_out_because(profile, planned.exercise) is None, planned.id
    for activity in plan.activity:
        assert ruled_out_because(profile, CATALOGUE.get(activity.id)) is None


@MANY
@given(profiles(), st.integers(0, 60), st.integers(0, 2))
def test_session_time_fits_the_minutes_given(profile: Profile, day: int, session_of_day: int):
    plan = plan_program(profile, CATALOGUE)
    assert plan.seconds <= profile.minutes_per_session * 60
    steps = session_steps(session_exercises(plan, day, session_of_day))
    assert total_seconds(steps) <= profile.minutes_per_session * 60
    # The steps of the whole program add up to the time the plan announces.
    assert total_seconds(session_steps(plan.exercises)) == plan.seconds


def dose_within_sources(planned_id: str, dose: Dose) -> None:
    limits = CATALOGUE.get(planned_id).dose_limits()
    for name, limit in limits.items():
        value = getattr(dose, name)
        if value is None:
            continue
        assert limit is not None, f"{planned_id}.{name}={value} has no source"
        assert limit[0] <= value <= limit[1], f"{planned_id}.{name}={value} outside {limit}"


@MANY
@given(profiles())
def test_every_dose_within_its_sources(profile: Profile):
    for planned in plan_program(profile, CATALOGUE).exercises:
        dose_within_sources(planned.id, planned.dose)
        assert planned.dose.times_per_day is None or planned.dose.times_per_day <= profile.sessions_per_day


@MANY
@given(profiles())
def test_same_profile_same_program(profile: Profile):
    first = plan_program(profile, CATALOGUE)
    again = plan_program(Profile.model_validate(profile.model_dump()), CATALOGUE)
    assert first == again


@MANY
@given(profiles())
def test_every_exercise_is_either_chosen_or_explained(profile: Profile):
    plan = plan_program(profile, CATALOGUE)
    if plan.status is not Urgency.clear:
        return
    chosen = {p.id for p in plan.exercises}
    left = {x.id for x in plan.left_out}
    assert not chosen & left
    gentle_first = [p.exercise for p in plan.exercises]
    assert len(gentle_first) <= MAX_EXERCISES
    assert all(p.why for p in plan.exercises) and all(x.why for x in plan.left_out)
    assert chosen | left == {e.id for e in CATALOGUE if not e.is_aerobic}


@MANY
@given(profiles())
def test_high_pain_keeps_to_gentle_exercises(profile: Profile):
    plan = plan_program(profile, CATALOGUE)
    if profile.pain_now >= CRITICAL_PAIN:
        for planned in plan.exercises:
            assert set(planned.exercise.kind) & {"stretch", "mobilise"}, planned.id


@MANY
@given(profiles())
def test_gentle_exercises_come_before_strengthening(profile: Profile):
    kinds = [set(p.exercise.kind) for p in plan_program(profile, CATALOGUE).exercises]
    gentle = [bool(k & {"stretch", "mobilise"}) for k in kinds]
    assert gentle == sorted(gentle, reverse=True)


@MANY
@given(profiles(red_flags(any_true=False), neck_flags(any_true=True)))
def test_no_program_when_a_neck_warning_sign_is_true(profile: Profile):
    plan = plan_program(profile, CATALOGUE)
    if Region.neck in profile.regions:
        assert plan.status is not Urgency.clear and plan.exercises == ()
        assert "neck" in plan.message
    else:
        assert not any(q.startswith("neck_") for q in profile.red_flags)  # asked only for the neck


@MANY
@given(profiles(red_flags(any_true=False)))
def test_conditions_rule_out_or_change_exercises(profile: Profile):
    plan = plan_program(profile, CATALOGUE)
    for planned in plan.exercises:
        avoid = [
            p
            for p in planned.exercise.precautions
            if p.effect is PrecautionEffect.avoid and p.condition in profile.conditions
        ]
        assert not avoid, f"{planned.id} is to be avoided with {avoid[0].condition}"
        for change in adaptations(profile, planned.exercise):
            assert change.how and change.how in planned.why
