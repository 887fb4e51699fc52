"""How pain today and the person's goal shape a new program, by cited rules.

- Pain of 7 or more (Medbridge Pathways' critical level): no strengthening, and only a few of
  the gentlest movements (seed "lower back pain and core muscles" says to start slow and easy).
- Pain of 5 or 6 (Medbridge Pathways' watch level): at most one strengthening exercise at first.
- Prevention with pain below 5: strengthening comes in as early as stretching, one for one
  (seed "best back pain exercises": strong back, belly and buttock muscles help prevent pain;
  seed "lower back pain and core muscles": the best routine mixes both).
- Otherwise, relief first: two gentle exercises for each strengthening one, stretches first
  (seed "best back pain exercises" advises stretching before the back exercises).
"""

from __future__ import annotations

from dataclasses import dataclass

from backcoach.core.profile import Goal, Profile
from backcoach.core.rules import CRITICAL_PAIN, WATCH_LEVEL

MIN_EXERCISES = 3
MAX_EXERCISES = 6


@dataclass(frozen=True)
class Shape:
    gentle_per_strengthening: int
    max_strengthening: int | None  # None: no limit beyond the time
    max_exercises: int
    note: str | None


def strengthening_allowed(pain: float) -> int | None:
    """How many strengthening exercises pain at this level allows (None: no limit but the time)."""
    if pain >= CRITICAL_PAIN:
        return 0
    return 1 if pain >= WATCH_LEVEL else None


def shape_for(profile: Profile) -> Shape:
    if profile.pain_now >= CRITICAL_PAIN:
        return Shape(
            2,
            0,
            MIN_EXERCISES,
            f"Your pain is {profile.pain_now} out of 10 today, so the program keeps to a few gentle movements. "
            "Go slowly, and rest if you need to. If pain this high does not settle, see a doctor or "
            "physiotherapist.",
        )
    if profile.pain_now >= WATCH_LEVEL:
        return Shape(
            2,
            1,
            MAX_EXERCISES,
            f"With pain at {profile.pain_now} out of 10, the program starts with one strengthening exercise. "
            "More come in as your pain settles.",
        )
    if profile.goal is Goal.prevention:
        return Shape(
            1,
            None,
            MAX_EXERCISES,
            "To help prevent pain coming back, strengthening comes in from the start, alongside the stretches.",
        )
    return Shape(2, None, MAX_EXERCISES, None)
