"""The catalogue against our own reading of the five seed documents.

Each row is a number a seed gives, written down independently of the catalogue files.
If an entry loses a number or credits it to the wrong seed, a row here fails.
"""

from __future__ import annotations

import pytest

from backcoach.core.catalogue import Catalogue
from backcoach.core.exercise import NUMBER_FIELDS, Kind
from backcoach.core.sources import SEEDS

S0, S1, S2, S3, S4 = sorted(SEEDS)

# (exercise id, seed, field, value)
SEED_NUMBERS = [
    ("knee-to-chest", S0, "hold_seconds", (30, 30)),
    ("knee-to-chest", S1, "hold_seconds", (5, 5)),
    ("knee-to-chest", S1, "reps", (2, 3)),
    ("knee-to-chest", S1, "times_per_day", (2, 2)),
    ("pelvic-tilt", S0, "hold_seconds", (5, 5)),
    ("pelvic-tilt", S2, "reps", (10, 15)),
    ("knee-rolls", S1, "hold_seconds", (5, 10)),
    ("knee-rolls", S1, "reps", (2, 3)),
    ("knee-rolls", S1, "times_per_day", (2, 2)),
    ("knee-rolls", S2, "hold_breaths", (1, 1)),
    ("knee-rolls", S2, "reps", (8, 10)),
    ("bridge", S1, "reps", (15, 15)),
    ("bridge", S1, "sets", (3, 3)),
    ("bridge", S1, "rest_seconds", (60, 60)),
    ("bottom-to-heels", S2, "hold_breaths", (1, 1)),
    ("bottom-to-heels", S2, "reps", (8, 10)),
    ("back-extension", S2, "hold_seconds", (5, 10)),
    ("back-extension", S2, "reps", (8, 10)),
    ("deep-abdominal-bracing", S2, "hold_breaths", (5, 10)),
    ("deep-abdominal-bracing", S2, "reps", (5, 5)),
]

# Every exercise each seed describes or names, whether or not it gives a number.
SEED_EXERCISES = {
    S0: {"knee-to-chest", "pelvic-tilt", "knee-rolls", "bridge"},
    S1: {"bridge", "knee-to-chest", "knee-rolls"},
    S2: {
        "bottom-to-heels",
        "knee-rolls",
        "back-extension",
        "deep-abdominal-bracing",
        "pelvic-tilt",
        "walking",
        "cycling",
        "water-activity",
    },
    S3: {
        "neck-flexion-stretch",
        "neck-side-stretch",
        "double-knee-to-chest",
        "knee-to-chest",
        "hip-stretch",
        "piriformis-stretch",
    },
    S4: {"pelvic-tilt", "knee-to-chest", "piriformis-stretch", "basic-twist", "leg-raise", "crunch"},
}


@pytest.mark.parametrize(("exercise_id", "seed", "field", "value"), SEED_NUMBERS)
def test_every_seed_number_is_in_the_catalogue(catalogue: Catalogue, exercise_id, seed, field, value):
    doses = {d.source: d for d in catalogue.get(exercise_id).dosage}
    assert seed in doses, f"{exercise_id} does not credit {seed}"
    assert getattr(doses[seed], field) == value


@pytest.mark.parametrize("seed", sorted(SEED_EXERCISES))
def test_every_exercise_a_seed_names_credits_that_seed(catalogue: Catalogue, seed):
    credited = {e.id for e in catalogue if seed in e.sources}
    assert SEED_EXERCISES[seed] <= credited, SEED_EXERCISES[seed] - credited


def test_sides_and_pace_follow_the_seeds(catalogue: Catalogue):
    rolls = {d.source: d for d in catalogue.get("knee-rolls").dosage}
    assert rolls[S2].sides == "alternate"
    assert rolls[S1].sides == "each"
    assert catalogue.get("pelvic-tilt").pace == "slow"


def test_seed_002_suggests_aerobic_activity(catalogue: Catalogue):
    aerobic = {e.id for e in catalogue if Kind.aerobic in e.kind}
    assert {"walking", "cycling", "water-activity"} <= aerobic


def test_default_dose_is_the_gentle_end(catalogue: Catalogue):
    """The starting dose is the gentlest the sources allow: the bottom of the range the seeds
    and the guideline give together, so never more than the gentlest source asks for."""
    for exercise in catalogue:
        limits = exercise.dose_limits()
        for field in NUMBER_FIELDS:
            default = getattr(exercise.default_dose, field)
            if default is None:
                continue
            given = [p for d in exercise.dosage if (p := getattr(d, field)) is not None]
            if exercise.guideline_dose is not None and (pair := getattr(exercise.guideline_dose, field)) is not None:
                given.append(pair)
            assert given, f"{exercise.id}.{field} has a default but no source"
            if field == "rest_seconds":
                continue  # more rest is the gentler way
            assert default[1] <= max(p[1] for p in given)
            assert default[0] <= min(p[1] for p in given), f"{exercise.id}.{field} starts above a source's top"
            if field != "times_per_day":  # times a day follows the person's choice, within the range
                limit = limits[field]
                assert limit is not None and default[0] == limit[0], f"{exercise.id}.{field} is not the gentlest start"


def test_a_guideline_never_raises_what_the_seeds_give(catalogue: Catalogue):
    """A guideline may give a gentler start for a number a seed gives, never a higher top."""
    for exercise in catalogue:
        if exercise.guideline_dose is None:
            continue
        for field in NUMBER_FIELDS:
            tops = [p[1] for d in exercise.dosage if (p := getattr(d, field)) is not None]
            pair = getattr(exercise.guideline_dose, field)
            if tops and pair is not None:
                assert pair[1] <= max(tops), f"{exercise.id}.{field}"


def test_knee_to_chest_keeps_both_holds_and_starts_short(catalogue: Catalogue):
    exercise = catalogue.get("knee-to-chest")
    holds = sorted(d.hold_seconds for d in exercise.dosage if d.hold_seconds)
    assert holds == [(5, 5), (30, 30)]
    assert exercise.default_dose.hold_seconds == (5, 5)
    assert "30" in exercise.default_dose.why


def test_every_exercise_has_steps_and_a_caution_or_is_aerobic(catalogue: Catalogue):
    for exercise in catalogue:
        assert exercise.start and exercise.action
        assert exercise.cautions, f"{exercise.id} has no cautions"


def test_the_seeds_safety_advice_is_carried(catalogue: Catalogue):
    cautions = " ".join(c.lower() for e in catalogue for c in e.cautions)
    assert "stop" in cautions
    assert "force" in cautions
    assert "doctor" in cautions or "medical" in cautions
