"""The care team's alert rules (core/alerts.py), one by one at their boundaries, and the thresholds a
clinic may set. The properties over generated records are in tests/test_alert_properties.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from backcoach.core.alerts import (
    DEFAULT_RULES,
    DEFAULTS,
    AlertFacts,
    AlertKind,
    AlertThresholds,
    AlertTier,
    CheckInPain,
    FunctionRating,
    StopFact,
    WarningFact,
    alerts_for,
    top_tier,
)
from backcoach.core.errors import InvalidInput
from backcoach.core.pain_stop import PainKind
from backcoach.core.rules import RULES
from backcoach.core.warning_signs import Urgency

NOW = datetime(2026, 3, 2, 8, 0)
PROGRAM = NOW - timedelta(days=40)


def tiers(facts: AlertFacts, thresholds: AlertThresholds = DEFAULTS) -> dict[AlertKind, AlertTier]:
    found = alerts_for(facts, thresholds, NOW)
    by_kind = {a.kind: a.tier for a in found}
    assert len(by_kind) == len(found)  # one of each kind here (function gives one per activity)
    return by_kind


def pain(*check_ins: tuple[int | None, int | None]) -> AlertFacts:
    """Check-ins a day apart, the last one yesterday, with a session just now (no engagement alert)."""
    n = len(check_ins)
    return AlertFacts(
        program_since=PROGRAM,
        last_session_at=NOW,
        check_ins=tuple(CheckInPain(i, NOW - timedelta(days=n - i), b, a) for i, (b, a) in enumerate(check_ins)),
    )


# Engagement ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("since", "tier"),
    [
        (timedelta(hours=48, minutes=59), None),
        (timedelta(hours=49), AlertTier.low),
        (timedelta(days=14) - timedelta(seconds=1), AlertTier.low),
        (timedelta(days=14), AlertTier.high),
        (timedelta(days=21) - timedelta(seconds=1), AlertTier.high),
        (timedelta(days=21), AlertTier.critical),
    ],
)
def test_engagement_by_the_time_since_the_last_session(since: timedelta, tier: AlertTier | None) -> None:
    facts = AlertFacts(program_since=PROGRAM, last_session_at=NOW - since)
    assert tiers(facts).get(AlertKind.engagement) == tier


def test_engagement_counts_from_the_first_program_when_there_is_no_session_and_not_at_all_without_one() -> None:
    assert tiers(AlertFacts(program_since=NOW - timedelta(hours=49))) == {AlertKind.engagement: AlertTier.low}
    assert tiers(AlertFacts(program_since=NOW - timedelta(hours=48))) == {}
    assert tiers(AlertFacts()) == {}


def test_dropped_out_says_so_and_a_standing_warning_sign_silences_engagement() -> None:
    facts = AlertFacts(program_since=PROGRAM, last_session_at=NOW - timedelta(days=30))
    (alert,) = alerts_for(facts, DEFAULTS, NOW)
    assert "30 days" in alert.words and "dropped out" in alert.words
    warned = replace(facts, warning=WarningFact(3, NOW - timedelta(days=29), Urgency.same_day, ("fever",), False))
    assert tiers(warned) == {AlertKind.warning_sign: AlertTier.critical}


# Pain --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("check_ins", "kind", "tier"),
    [
        (((4, 4), (5, 5)), AlertKind.pain_rise, AlertTier.low),  # 5 with a 1-point rise
        (((3, 3), (4, 4)), None, None),  # a 1-point rise below 5
        (((5, 5), (5, 5)), None, None),  # 5 without a rise
        (((2, 2), (4, 4)), AlertKind.pain_rise, AlertTier.high),  # a rise of 2 at any level
        (((6, 6), (5, 5)), None, None),  # falling
        (((None, None), (3, 5)), AlertKind.pain_rise, AlertTier.high),  # within the session
        (((3, 5), (6, 4)), AlertKind.pain_rise, AlertTier.low),  # 6 at worst, 1 above the last worst of 5
        (((2, 2), (6, 7)), AlertKind.pain_level, AlertTier.critical),  # 7 or more: critical
        (((7, 7), (7, None)), AlertKind.pain_level, AlertTier.critical),  # no rise needed
        (((6, 6),), None, None),  # one check-in, no rise to see
    ],
)
def test_pain_level_and_rise(
    check_ins: tuple[tuple[int | None, int | None], ...], kind: AlertKind | None, tier: AlertTier | None
) -> None:
    found = tiers(pain(*check_ins))
    assert found == ({} if kind is None else {kind: tier})


def test_rising_pain_reaches_the_patient_in_their_words_and_the_clinician_in_figures() -> None:
    (alert,) = alerts_for(pain((2, 2), (4, 4)), DEFAULTS, NOW)
    assert alert.patient_words is not None
    assert "from 2 to 4 out of 10" in alert.patient_words and "/10" not in alert.patient_words
    assert "2 points, from 2/10 to 4/10" in alert.words
    assert alert.sources == ("MEDBRIDGE",) and alert.rules == ("pain-rise-act",)


# Pain stops --------------------------------------------------------------------------------------


def stop(kind: PainKind, score: int, legs: bool = False, days: float = 1) -> AlertFacts:
    at = NOW - timedelta(days=days)
    return AlertFacts(
        program_since=PROGRAM, last_session_at=NOW, pain_stops=(StopFact(5, "bridge", at, kind, score, legs, "Bridge"),)
    )


@pytest.mark.parametrize(
    ("facts", "tier"),
    [
        (stop(PainKind.mild, 6), None),  # mild discomfort is not harmful
        (stop(PainKind.mild, 7), AlertTier.critical),
        (stop(PainKind.sharp, 3), AlertTier.high),
        (stop(PainKind.spreading, 2), AlertTier.high),
        (stop(PainKind.worsening, 4), AlertTier.high),
        (stop(PainKind.mild, 2, legs=True), AlertTier.high),
        (stop(PainKind.sharp, 9), AlertTier.critical),
        (stop(PainKind.sharp, 9, days=7), AlertTier.critical),  # the window's first moment
        (stop(PainKind.sharp, 9, days=7.01), None),  # before the last 7 days
    ],
)
def test_pain_stops(facts: AlertFacts, tier: AlertTier | None) -> None:
    assert tiers(facts).get(AlertKind.pain_stop) == tier


def test_a_pain_stop_alert_names_the_exercise_and_the_worst_stop() -> None:
    (alert,) = alerts_for(stop(PainKind.spreading, 4, legs=True), DEFAULTS, NOW)
    assert "Bridge" in alert.words and "4/10 (spreading, into the legs)" in alert.words
    assert alert.sources == ("SMITH-2017",) and alert.patient_words is None


# Function ----------------------------------------------------------------------------------------


def rated(*scores: int) -> AlertFacts:
    ratings = tuple(
        FunctionRating(1, "Lifting the shopping", NOW - timedelta(days=7 * (len(scores) - i)), s)
        for i, s in enumerate(scores)
    )
    return AlertFacts(program_since=PROGRAM, last_session_at=NOW, function=ratings)


@pytest.mark.parametrize(
    ("scores", "tier"),
    [
        ((5,), None),  # one assessment: nothing to compare
        ((5, 6), None),  # a gain
        ((5, 5), AlertTier.high),  # flat over two assessments
        ((0, 0), AlertTier.high),
        ((10, 10), None),  # as well as before: it cannot rise
        ((10, 9), AlertTier.high),  # 10% down: no gain
        ((10, 8), AlertTier.critical),  # 20% down
        ((5, 4), AlertTier.critical),  # 20% down
        ((6, 5), AlertTier.high),  # 17% down
        ((2, 8, 7), AlertTier.high),  # only the last two count
    ],
)
def test_function_over_the_last_two_assessments(scores: tuple[int, ...], tier: AlertTier | None) -> None:
    assert tiers(rated(*scores)).get(AlertKind.function) == tier


def test_function_words_say_whether_the_change_is_beyond_the_ups_and_downs_of_rating() -> None:
    (small,) = alerts_for(rated(5, 4), DEFAULTS, NOW)
    (big,) = alerts_for(rated(8, 5), DEFAULTS, NOW)
    assert "within the ups and downs" in small.words and "a real change" in big.words
    assert small.sources == ("MEDBRIDGE", "STRATFORD-1995")


# Warning signs and the whole list -------------------------------------------------------------------


def test_a_warning_sign_answered_after_a_check_in_is_critical_whatever_the_thresholds() -> None:
    sign = WarningFact(9, NOW - timedelta(days=1), Urgency.emergency, ("saddle_numbness",), True)
    strict = AlertThresholds(pain_critical=6, engagement_low_hours=100)
    for thresholds in (DEFAULTS, strict):
        (alert,) = alerts_for(AlertFacts(warning=sign), thresholds, NOW)
        assert (alert.kind, alert.tier, alert.key) == (
            AlertKind.warning_sign,
            AlertTier.critical,
            "warning_sign:critical:screening-9",
        )
        assert "after a check-in" in alert.words and "emergency care" in alert.words
        assert alert.sources[0] == "NICE-NG59"


def test_alerts_come_most_urgent_first_and_keys_follow_the_facts() -> None:
    facts = replace(
        pain((2, 2), (4, 4)),
        last_session_at=NOW - timedelta(days=15),
        pain_stops=stop(PainKind.mild, 8).pain_stops,
        function=rated(5, 5).function,
    )
    found = alerts_for(facts, DEFAULTS, NOW)
    assert [(a.kind, a.tier) for a in found] == [
        (AlertKind.pain_stop, AlertTier.critical),
        (AlertKind.pain_rise, AlertTier.high),
        (AlertKind.function, AlertTier.high),
        (AlertKind.engagement, AlertTier.high),
    ]
    assert top_tier(found) is AlertTier.critical and top_tier([]) is None
    assert [a.key for a in alerts_for(facts, DEFAULTS, NOW)] == [a.key for a in found]
    newer = replace(facts, check_ins=(*facts.check_ins, CheckInPain(99, NOW, 4, 6)))
    assert {a.key for a in alerts_for(newer, DEFAULTS, NOW)} - {a.key for a in found} == {"pain_rise:high:check-in-99"}


# Thresholds --------------------------------------------------------------------------------------


def test_the_default_thresholds_are_the_cited_rules() -> None:
    assert {name: getattr(DEFAULTS, name) for name in DEFAULT_RULES} == {
        name: rule.value for name, rule in DEFAULT_RULES.items()
    }
    assert set(DEFAULT_RULES.values()) <= set(RULES)


@pytest.mark.parametrize(
    "overrides",
    [
        {"pain_critical": 8},  # later than the source: refused
        {"pain_act_rise": 3},
        {"pain_watch_level": 6},
        {"pain_watch_rise": 2},
        {"function_drop": 0.3},
        {"function_drop": 0.0},
        {"engagement_dropped_days": 22},
        {"engagement_high_days": 21},  # not before dropped
        {"engagement_low_hours": 14 * 24},  # not before high
        {"engagement_low_hours": 0},
        {"pain_watch_level": 5, "pain_critical": 5},
        {"pain_critical": 6.5},
        {"pain_critical": True},
        {"sessions": 3},  # not a threshold
    ],
)
def test_a_clinic_cannot_set_a_threshold_out_of_bounds(overrides: dict[str, float]) -> None:
    with pytest.raises(InvalidInput):
        AlertThresholds.with_overrides(overrides)


def test_a_clinic_s_own_thresholds_are_honoured() -> None:
    mine = AlertThresholds.with_overrides({"pain_critical": 6, "engagement_low_hours": 72, "function_drop": 0.1})
    assert tiers(pain((6, 6), (6, 6)), mine) == {AlertKind.pain_level: AlertTier.critical}
    assert tiers(pain((6, 6), (6, 6))) == {}
    three_days = AlertFacts(program_since=PROGRAM, last_session_at=NOW - timedelta(hours=71))
    assert tiers(three_days, mine) == {} and tiers(three_days) == {AlertKind.engagement: AlertTier.low}
    assert tiers(rated(10, 9), mine) == {AlertKind.function: AlertTier.critical}
