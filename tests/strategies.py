"""Hypothesis strategies for generated profiles, shared by the property tests."""

from __future__ import annotations

from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

from backcoach.core.exercise import Region
from backcoach.core.profile import MAX_MINUTES, MAX_SESSIONS_PER_DAY, MIN_MINUTES, Profile
from backcoach.core.screening import QUESTION_IDS

NO_FLAGS = dict.fromkeys(QUESTION_IDS, False)
QUICK_EXAMPLES = (30, 60)  # the fewest and the most examples a property test tries under the quick profile


def examples(full: int) -> int:
    """How many examples a property test tries: `full` under the thorough profile (CI), and under the
    quick one (the default) a twentieth of it, kept within QUICK_EXAMPLES, so bigger tests stay bigger.

    Call it in @settings(max_examples=...): the profile is loaded by tests/conftest.py, before any test
    module is imported."""
    if settings.get_current_profile_name().startswith("thorough"):  # also "thorough-with-verbose-verbosity"
        return full
    low, high = QUICK_EXAMPLES
    return min(max(full // 20, low), high)


def red_flags(any_true: bool | None = None) -> st.SearchStrategy[dict[str, bool]]:
    answers = st.fixed_dictionaries({q: st.booleans() for q in QUESTION_IDS})
    if any_true is None:
        # Mostly clear answers, so the planner is exercised as well as the screen.
        return st.one_of(st.just(dict(NO_FLAGS)), answers)
    if any_true:
        return answers.filter(lambda a: any(v for k, v in a.items() if k != "thoracic_pain"))
    return st.just(dict(NO_FLAGS))


def profile_data(flags: st.SearchStrategy[dict[str, bool]] | None = None) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "red_flags": flags if flags is not None else red_flags(),
            "regions": st.lists(st.sampled_from(list(Region)), min_size=1, max_size=5, unique=True),
            "pain_now": st.integers(0, 10),
            "can_floor": st.booleans(),
            "can_kneel": st.booleans(),
            "can_lie_on_front": st.booleans(),
            "can_stand_unsupported": st.booleans(),
            "minutes_per_session": st.integers(MIN_MINUTES, MAX_MINUTES),
            "sessions_per_day": st.integers(1, MAX_SESSIONS_PER_DAY),
            "goal": st.sampled_from(["relief", "prevention"]),
        }
    )


def profiles(flags: st.SearchStrategy[dict[str, bool]] | None = None) -> st.SearchStrategy[Profile]:
    return profile_data(flags).map(Profile.model_validate)
