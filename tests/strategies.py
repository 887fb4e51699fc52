"""Hypothesis strategies shared by the property tests: generated profiles (warning-sign answers: yes,
no, "not sure"; the neck ones when the neck is a region; health conditions and the rest), and the
recent records and clinic thresholds the alert rules read."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

from backcoach.core.alerts import (
    DEFAULTS,
    AlertFacts,
    AlertThresholds,
    CheckInPain,
    FunctionRating,
    StopFact,
    WarningFact,
)
from backcoach.core.exercise import Condition, Region
from backcoach.core.pain_stop import PainKind
from backcoach.core.profile import MAX_MINUTES, MAX_SESSIONS_PER_DAY, MIN_MINUTES, Profile
from backcoach.core.screening import ANSWERS, NECK_QUESTION_IDS, QUESTION_IDS, Answer, screen
from backcoach.core.warning_signs import Urgency

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


# Alert facts (core/alerts.py) --------------------------------------------------------------------

ALERT_NOW = datetime(2026, 3, 2, 8, 0)
PAIN = st.integers(0, 10)


@st.composite
def check_ins(draw: st.DrawFn) -> tuple[CheckInPain, ...]:
    """Up to four check-ins, oldest first, a day or more apart, each with pain before, after or both."""
    count = draw(st.integers(0, 4))
    start = draw(st.integers(count, 40))  # days before ALERT_NOW of the first
    found = []
    for i in range(count):
        before, after = draw(st.one_of(st.none(), PAIN)), draw(st.one_of(st.none(), PAIN))
        found.append(CheckInPain(i + 1, ALERT_NOW - timedelta(days=start - i), before, after))
    return tuple(found)


def pain_stops() -> st.SearchStrategy[StopFact]:
    return st.builds(
        StopFact,
        session_id=st.integers(1, 50),
        exercise_id=st.sampled_from(["pelvic-tilt", "bridge", "cat-cow", ""]),
        at=st.integers(0, 14 * 24).map(lambda hours: ALERT_NOW - timedelta(hours=hours)),
        kind=st.sampled_from(list(PainKind)),
        score=PAIN,
        into_the_legs=st.booleans(),
    )


@st.composite
def function_ratings(draw: st.DrawFn) -> tuple[FunctionRating, ...]:
    """Up to three activities, each rated up to four times a week apart, oldest first."""
    found = []
    for activity_id in range(1, draw(st.integers(0, 3)) + 1):
        for week, score in enumerate(draw(st.lists(PAIN, max_size=4))):
            at = ALERT_NOW - timedelta(days=30 - 7 * week, hours=activity_id)
            found.append(FunctionRating(activity_id, f"activity {activity_id}", at, score))
    return tuple(sorted(found, key=lambda r: r.at))


def warnings() -> st.SearchStrategy[WarningFact]:
    return st.builds(
        WarningFact,
        screening_id=st.integers(1, 100),
        answered_at=st.integers(0, 60).map(lambda days: ALERT_NOW - timedelta(days=days)),
        urgency=st.sampled_from([Urgency.emergency, Urgency.same_day, Urgency.see_doctor]),
        signs=st.lists(st.sampled_from(QUESTION_IDS), min_size=1, max_size=3, unique=True).map(tuple),
        after_check_in=st.booleans(),
    )


@st.composite
def alert_facts(draw: st.DrawFn, warning: bool | None = None) -> AlertFacts:
    """A person's recent record as the alert rules read it. `warning`: True always one, False never."""
    program = draw(st.one_of(st.none(), st.integers(0, 60 * 24).map(lambda h: ALERT_NOW - timedelta(hours=h))))
    last = None
    if program is not None and draw(st.booleans()):
        span = int((ALERT_NOW - program).total_seconds() // 3600)
        last = ALERT_NOW - timedelta(hours=draw(st.integers(0, span)))
    sign = {None: st.one_of(st.none(), warnings()), True: warnings(), False: st.none()}[warning]
    return AlertFacts(
        program_since=program,
        last_session_at=last,
        check_ins=draw(check_ins()),
        pain_stops=tuple(draw(st.lists(pain_stops(), max_size=4))),
        function=draw(function_ratings()),
        warning=draw(sign),
    )


@st.composite
def alert_thresholds(draw: st.DrawFn) -> AlertThresholds:
    """Any thresholds a clinic may set: the bounds of `AlertThresholds`, drawn from the defaults."""
    dropped = draw(st.integers(2, DEFAULTS.engagement_dropped_days))
    high = draw(st.integers(1, dropped - 1))
    critical = draw(st.integers(1, DEFAULTS.pain_critical))
    act = draw(st.integers(1, DEFAULTS.pain_act_rise))
    return AlertThresholds(
        engagement_low_hours=draw(st.integers(1, high * 24 - 1)),
        engagement_high_days=high,
        engagement_dropped_days=dropped,
        pain_watch_level=draw(st.integers(0, min(DEFAULTS.pain_watch_level, critical - 1))),
        pain_watch_rise=1,
        pain_act_rise=act,
        pain_critical=critical,
        function_drop=draw(st.floats(0.01, DEFAULTS.function_drop)),
    )
