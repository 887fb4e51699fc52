"""How pain today, the goal and what is paused shape a new program: properties over 10,000
generated profiles (under the thorough profile), as issue 10 asks."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.exercise import Region
from backcoach.core.planner import Plan, plan_program
from backcoach.core.profile import Goal, Profile, ruled_out_because
from backcoach.core.program_shape import MIN_EXERCISES
from backcoach.core.rules import CRITICAL_PAIN, WATCH_LEVEL, is_strengthening
from backcoach.core.screening import NECK_QUESTION_IDS
from backcoach.core.timing import session_seconds
from tests.examples import example_profile
from tests.strategies import examples, profiles, red_flags

CATALOGUE = load_catalogue()
IDS = sorted(e.id for e in CATALOGUE if not e.is_aerobic)


@settings(max_examples=examples(10_000))
@given(profiles(red_flags(any_true=False)), st.sets(st.sampled_from(IDS), max_size=4))
def test_every_new_program_keeps_the_rules(profile: Profile, paused: set[str]):
    plan = plan_program(profile, CATALOGUE, dict.fromkeys(paused, "It hurt."))
    chosen = [p.exercise for p in plan.exercises]
    assert not paused & {e.id for e in chosen}, "an exercise paused for pain came back"
    assert all(ruled_out_because(profile, e) is None for e in chosen)
    if not all(q in profile.red_flags for q in NECK_QUESTION_IDS):  # "ask before neck exercise"
        assert not any(Region.neck in e.regions for e in chosen)
    assert session_seconds([p.seconds for p in plan.exercises]) <= profile.minutes_per_session * 60
    strengthening = sum(1 for e in chosen if is_strengthening(e))
    if profile.pain_now >= CRITICAL_PAIN:
        assert strengthening == 0 and len(chosen) <= MIN_EXERCISES
    elif profile.pain_now >= WATCH_LEVEL:
        assert strengthening <= 1
    for planned in plan.exercises:
        for name, limit in planned.exercise.dose_limits().items():
            value = getattr(planned.dose, name)
            assert value is None or (limit is not None and limit[0] <= value <= limit[1])
    left = {x.id for x in plan.left_out}
    assert paused <= left, "every paused exercise is explained"


def test_high_pain_keeps_to_a_few_gentle_exercises():
    plan = plan_program(example_profile(pain_now=10, minutes_per_session=30), CATALOGUE)
    assert 0 < len(plan.exercises) <= MIN_EXERCISES
    assert not any(is_strengthening(p.exercise) for p in plan.exercises)
    assert any("see a doctor or physiotherapist" in n for n in plan.notes)


def test_watch_level_pain_starts_with_one_strengthening_exercise():
    plan = plan_program(example_profile(pain_now=6, minutes_per_session=30), CATALOGUE)
    assert sum(1 for p in plan.exercises if is_strengthening(p.exercise)) == 1
    assert any(x.code == "high_pain" for x in plan.left_out)


def test_prevention_brings_strengthening_in_early():
    relief = plan_program(example_profile(pain_now=2, minutes_per_session=10, goal=Goal.relief), CATALOGUE)
    prevention = plan_program(example_profile(pain_now=2, minutes_per_session=10, goal=Goal.prevention), CATALOGUE)

    def strong(plan: Plan) -> int:
        return sum(1 for p in plan.exercises if is_strengthening(p.exercise))

    assert strong(prevention) > strong(relief)
