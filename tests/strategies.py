"""Hypothesis strategies for generated profiles, shared by the property tests: warning-sign answers
(yes, no, "not sure"; the neck ones when the neck is a region), health conditions and the rest."""

from __future__ import annotations

from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

from backcoach.core.exercise import Condition, Region
from backcoach.core.profile import MAX_MINUTES, MAX_SESSIONS_PER_DAY, MIN_MINUTES, Profile
from backcoach.core.screening import ANSWERS, NECK_QUESTION_IDS, QUESTION_IDS, Answer, screen

NO_FLAGS: dict[str, Answer] = dict.fromkeys(QUESTION_IDS, False)
NO_NECK_FLAGS: dict[str, Answer] = dict.fromkeys(NECK_QUESTION_IDS, False)
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


def answers_to(ids: tuple[str, ...]) -> st.SearchStrategy[dict[str, Answer]]:
    """Any answers to these questions: yes, no or "not sure"."""
    return st.fixed_dictionaries({q: st.sampled_from(ANSWERS) for q in ids})


def red_flags(any_true: bool | None = None) -> st.SearchStrategy[dict[str, Answer]]:
    """Answers to the back questions: mostly clear (None), some sign that counts (True), or all no (False)."""
    answers = answers_to(QUESTION_IDS)
    if any_true is None:
        # Mostly clear answers, so the planner is exercised as well as the screen.
        return st.one_of(st.just(dict(NO_FLAGS)), answers)
    if any_true:
        return answers.filter(lambda a: not screen(a).is_clear)
    return st.just(dict(NO_FLAGS))


def neck_flags(any_true: bool | None = None) -> st.SearchStrategy[dict[str, Answer]]:
    """Answers to the neck questions, asked when the neck is a region (the same three choices)."""
    answers = answers_to(NECK_QUESTION_IDS)
    if any_true is None:
        return st.one_of(st.just(dict(NO_NECK_FLAGS)), answers)
    if any_true:
        return answers.filter(lambda a: not screen({**NO_FLAGS, **a}).is_clear)
    return st.just(dict(NO_NECK_FLAGS))


def _with_neck(data: dict[str, Any], neck: st.SearchStrategy[dict[str, Answer]]) -> st.SearchStrategy[dict[str, Any]]:
    if Region.neck not in data["regions"]:
        return st.just(data)
    return neck.map(lambda answers: {**data, "red_flags": {**data["red_flags"], **answers}})


def profile_data(
    flags: st.SearchStrategy[dict[str, Answer]] | None = None,
    neck: st.SearchStrategy[dict[str, Answer]] | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """Profiles as JSON-like data. With `flags` given and `neck` not, the neck answers are all no,
    so `red_flags(any_true=False)` still means a person with no warning sign."""
    neck_answers = neck if neck is not None else (neck_flags() if flags is None else neck_flags(any_true=False))
    base = st.fixed_dictionaries(
        {
            "red_flags": flags if flags is not None else red_flags(),
            "regions": st.lists(st.sampled_from(list(Region)), min_size=1, max_size=5, unique=True),
            "conditions": st.lists(st.sampled_from(list(Condition)), max_size=3, unique=True),
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
    return base.flatmap(lambda data: _with_neck(data, neck_answers))


def profiles(
    flags: st.SearchStrategy[dict[str, Answer]] | None = None,
    neck: st.SearchStrategy[dict[str, Answer]] | None = None,
) -> st.SearchStrategy[Profile]:
    return profile_data(flags, neck).map(Profile.model_validate)
