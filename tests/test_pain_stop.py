"""A pain stop is always honoured: the session ends, or the exercise changes or is skipped."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.pain_stop import OptionKind, PainAction, PainKind, PainPlace, PainReport, decide, easier_dose
from backcoach.core.planner import starting_dose
from tests.strategies import examples

CATALOGUE = load_catalogue()
reports = st.builds(PainReport, st.sampled_from(list(PainKind)), st.integers(0, 10), st.sampled_from(list(PainPlace)))
exercises = st.sampled_from([e for e in CATALOGUE if not e.is_aerobic])


@settings(max_examples=examples(1000))
@given(reports, exercises, st.integers(1, 3))
def test_pain_stop_is_honoured(report, exercise, sessions):
    dose = starting_dose(exercise, sessions)
    decision = decide(report, exercise, dose, set(exercise.easier))
    severe = report.kind is not PainKind.mild or report.score >= 7 or report.place is PainPlace.legs
    if severe:
        assert decision.action is PainAction.end_session and not decision.options
        return
    assert decision.action is PainAction.offer_easier
    kinds = [o.kind for o in decision.options]
    assert OptionKind.skip in kinds
    for option in decision.options:
        if option.dose is not None:
            for name in ("hold_seconds", "hold_breaths", "reps", "sets"):
                now, then = getattr(dose, name), getattr(option.dose, name)
                assert then is None or now is None or then <= now, "an option never asks for more"


def test_sharp_pain_ends_with_advice():
    knee = CATALOGUE.get("knee-to-chest")
    decision = decide(PainReport(PainKind.sharp, 3, PainPlace.lower_back), knee, starting_dose(knee, 1), set())
    assert decision.action is PainAction.end_session
    assert "doctor" in decision.message and "emergency" in decision.message


def test_mild_pain_at_seven_still_ends():
    knee = CATALOGUE.get("knee-to-chest")
    decision = decide(PainReport(PainKind.mild, 7, PainPlace.lower_back), knee, starting_dose(knee, 1), set())
    assert decision.action is PainAction.end_session


def test_easier_dose_goes_to_the_sources_low_end():
    knee = CATALOGUE.get("knee-to-chest")
    progressed = replace(starting_dose(knee, 1), hold_seconds=30, reps=3)
    lower = easier_dose(knee, progressed)
    assert lower is not None and lower.hold_seconds == 5 and lower.reps == 2
    assert easier_dose(knee, starting_dose(knee, 1)) is None


def test_mild_pain_offers_an_easier_exercise_when_linked():
    bridge = CATALOGUE.get("bridge")
    decision = decide(
        PainReport(PainKind.mild, 3, PainPlace.lower_back), bridge, starting_dose(bridge, 1), {"pelvic-tilt"}
    )
    offered = [o.exercise_id for o in decision.options if o.kind is OptionKind.easier_exercise]
    assert offered == ["pelvic-tilt"]
