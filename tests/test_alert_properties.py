"""The alert rules as properties over generated records (tests/strategies.py): a warning sign and pain
at the critical level are always critical; worse facts never lower the top tier; a patient doing well
has no alert; engagement follows the days; a clinic's thresholds are honoured and stricter ones never
lower a tier; every alert names its sources and rules, and keys follow the facts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from backcoach.core.alerts import (
    DEFAULTS,
    TIER_RANK,
    AlertFacts,
    AlertKind,
    AlertThresholds,
    AlertTier,
    CheckInPain,
    FunctionRating,
    StopFact,
    alerts_for,
    top_tier,
)
from backcoach.core.pain_stop import PainKind
from backcoach.core.rules import RULES
from backcoach.core.sources import ALL_SOURCES
from tests.strategies import (
    ALERT_NOW,
    alert_facts,
    alert_thresholds,
    examples,
    pain_stops,
    warnings,
)

NOW = ALERT_NOW
RULE_IDS = {r.id for r in RULES}


def rank(facts: AlertFacts, thresholds: AlertThresholds = DEFAULTS) -> int:
    tier = top_tier(alerts_for(facts, thresholds, NOW))
    return 0 if tier is None else TIER_RANK[tier]


@settings(max_examples=examples(2000))
@given(alert_facts(warning=True), alert_thresholds())
def test_a_warning_sign_always_gives_a_critical_alert(facts: AlertFacts, thresholds: AlertThresholds) -> None:
    found = alerts_for(facts, thresholds, NOW)
    assert found[0].tier is AlertTier.critical
    assert any(a.kind is AlertKind.warning_sign and a.tier is AlertTier.critical for a in found)
    assert not any(a.kind is AlertKind.engagement for a in found)  # they were told to stop


@settings(max_examples=examples(2000))
@given(alert_facts(), alert_thresholds(), st.integers(0, 10), st.integers(0, 10))
def test_pain_at_or_over_the_critical_level_is_always_critical(
    facts: AlertFacts, thresholds: AlertThresholds, before: int, after: int
) -> None:
    assume(max(before, after) >= thresholds.pain_critical)
    latest = CheckInPain(999, NOW, before, after)
    found = alerts_for(replace(facts, check_ins=(*facts.check_ins, latest)), thresholds, NOW)
    assert any(a.kind is AlertKind.pain_level and a.tier is AlertTier.critical for a in found)
    stopped = StopFact(999, "bridge", NOW, PainKind.mild, max(before, after), False)
    found = alerts_for(replace(facts, pain_stops=(*facts.pain_stops, stopped)), thresholds, NOW)
    assert any(a.kind is AlertKind.pain_stop and a.tier is AlertTier.critical for a in found)


def worse(facts: AlertFacts, data: st.DataObject) -> AlertFacts:
    """The same record with one thing worse: more pain after the latest session, a pain stop more, a
    warning sign, a longer time without a session, a lower latest rating of an activity."""
    way = data.draw(st.sampled_from(["pain", "stop", "warning", "absence", "function"]))
    rated = [i for i, c in enumerate(facts.check_ins) if c.worst is not None]
    if way == "pain" and rated:  # the latest check-in with pain given (one with none says nothing)
        i, more = rated[-1], data.draw(st.integers(1, 10))
        last = facts.check_ins[i]
        raised = (
            replace(last, after=min(10, last.after + more))
            if last.after is not None
            else replace(last, before=min(10, (last.before or 0) + more))
        )
        return replace(facts, check_ins=(*facts.check_ins[:i], raised, *facts.check_ins[i + 1 :]))
    if way == "stop":
        return replace(facts, pain_stops=(*facts.pain_stops, data.draw(pain_stops())))
    if way == "warning":
        return replace(facts, warning=data.draw(warnings()))
    if way == "absence" and facts.program_since is not None:
        earlier = timedelta(hours=data.draw(st.integers(1, 30 * 24)))
        session = None if facts.last_session_at is None else facts.last_session_at - earlier
        return replace(facts, program_since=facts.program_since - earlier, last_session_at=session)
    if way == "function" and facts.function:
        latest = facts.function[-1]
        lower = replace(latest, score=max(0, latest.score - data.draw(st.integers(1, 10))))
        return replace(facts, function=(*facts.function[:-1], lower))
    return facts


@settings(max_examples=examples(4000))
@given(alert_facts(), alert_thresholds(), st.data())
def test_worse_facts_never_give_a_lower_top_tier(
    facts: AlertFacts, thresholds: AlertThresholds, data: st.DataObject
) -> None:
    worse_facts = facts
    for _ in range(data.draw(st.integers(1, 3))):
        worse_facts = worse(worse_facts, data)
    assert rank(worse_facts, thresholds) >= rank(facts, thresholds)


@settings(max_examples=examples(2000))
@given(alert_facts(), alert_thresholds())
def test_stricter_thresholds_never_give_a_lower_top_tier(facts: AlertFacts, thresholds: AlertThresholds) -> None:
    """A clinic's thresholds are within the defaults' bounds for pain and function: they only bring
    alerts sooner. (Engagement may be set later, and is left out here.)"""
    engaged = replace(facts, last_session_at=NOW, program_since=NOW)
    same_engagement = replace(
        thresholds,
        engagement_low_hours=DEFAULTS.engagement_low_hours,
        engagement_high_days=DEFAULTS.engagement_high_days,
        engagement_dropped_days=DEFAULTS.engagement_dropped_days,
    )
    assert rank(engaged, same_engagement) >= rank(engaged, DEFAULTS)


@st.composite
def doing_well(draw: st.DrawFn) -> AlertFacts:
    """Sessions every day, the last within 49 hours; pain below 5 and never rising; mild stops only, below
    5; every activity rated higher each time (or at 10); no warning sign."""
    days = draw(st.integers(2, 8))
    first = draw(st.integers(0, 4))
    pains = [first]
    for _ in range(days - 1):
        pains.append(max(0, pains[-1] - draw(st.integers(0, 1))))
    check_ins = tuple(
        CheckInPain(i, NOW - timedelta(days=days - i), p, max(0, p - draw(st.integers(0, 2))))
        for i, p in enumerate(pains)
    )
    stops = draw(
        st.lists(pain_stops().map(lambda s: replace(s, kind=PainKind.mild, score=s.score % 5, into_the_legs=False)))
    )
    ratings = []
    for activity in range(1, draw(st.integers(0, 3)) + 1):
        score = draw(st.integers(0, 6))
        for week in range(draw(st.integers(1, 4))):
            ratings.append(FunctionRating(activity, "walking", NOW - timedelta(days=30 - 7 * week), score))
            score = min(10, score + draw(st.integers(1, 3)))
    return AlertFacts(
        program_since=NOW - timedelta(days=60),
        last_session_at=NOW - timedelta(hours=draw(st.integers(0, 48))),
        check_ins=check_ins,
        pain_stops=tuple(stops),
        function=tuple(sorted(ratings, key=lambda r: r.at)),
    )


@settings(max_examples=examples(2000))
@given(doing_well())
def test_no_alert_for_a_patient_doing_well(facts: AlertFacts) -> None:
    assert alerts_for(facts, DEFAULTS, NOW) == []


@settings(max_examples=examples(2000))
@given(alert_thresholds(), st.integers(0, 40 * 24 * 60))
def test_engagement_tiers_follow_the_time_since_the_last_session(thresholds: AlertThresholds, minutes: int) -> None:
    since = timedelta(minutes=minutes)
    facts = AlertFacts(program_since=NOW - since - timedelta(days=1), last_session_at=NOW - since)
    found = [a.tier for a in alerts_for(facts, thresholds, NOW) if a.kind is AlertKind.engagement]
    if since >= timedelta(days=thresholds.engagement_dropped_days):
        expected = [AlertTier.critical]
    elif since >= timedelta(days=thresholds.engagement_high_days):
        expected = [AlertTier.high]
    elif since >= timedelta(hours=thresholds.engagement_low_hours):
        expected = [AlertTier.low]
    else:
        expected = []
    assert found == expected


@settings(max_examples=examples(2000))
@given(alert_thresholds(), st.integers(0, 10), st.integers(0, 10))
def test_a_clinic_s_pain_thresholds_are_honoured(thresholds: AlertThresholds, before: int, latest: int) -> None:
    facts = AlertFacts(
        program_since=NOW,
        last_session_at=NOW,
        check_ins=(CheckInPain(1, NOW - timedelta(days=2), before, before), CheckInPain(2, NOW, latest, latest)),
    )
    found = {a.kind: a.tier for a in alerts_for(facts, thresholds, NOW)}
    rise = latest - before
    if latest >= thresholds.pain_critical:
        assert found == {AlertKind.pain_level: AlertTier.critical}
    elif rise >= thresholds.pain_act_rise:
        assert found == {AlertKind.pain_rise: AlertTier.high}
    elif latest >= thresholds.pain_watch_level and rise >= thresholds.pain_watch_rise:
        assert found == {AlertKind.pain_rise: AlertTier.low}
    else:
        assert found == {}


@settings(max_examples=examples(2000))
@given(alert_facts(), alert_thresholds())
def test_every_alert_names_its_sources_and_rules_and_has_its_own_key(
    facts: AlertFacts, thresholds: AlertThresholds
) -> None:
    found = alerts_for(facts, thresholds, NOW)
    for alert in found:
        assert alert.sources and set(alert.sources) <= set(ALL_SOURCES)
        assert set(alert.rules) <= RULE_IDS
        assert alert.words and alert.facts
        assert alert.key.startswith(f"{alert.kind.value}:{alert.tier.value}:") and len(alert.key) <= 200
        # Only the patient's own pain speaks to the patient.
        assert (alert.patient_words is not None) == (alert.kind in (AlertKind.pain_level, AlertKind.pain_rise))
    assert len({a.key for a in found}) == len(found)
    ranks = [TIER_RANK[a.tier] for a in found]
    assert ranks == sorted(ranks, reverse=True)
    assert [a.key for a in alerts_for(facts, thresholds, NOW)] == [
        a.key for a in found
    ]  # the same facts, the same keys
