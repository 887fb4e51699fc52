"""Plain words for a dose: "hold 5 s, 2 times each side, once a day"."""

from __future__ import annotations

from backcoach.core.exercise import DoseNumbers
from backcoach.core.timing import Dose


def _span(pair: tuple[int, int]) -> str:
    low, high = pair
    return str(low) if low == high else f"{low}-{high}"


def _times(pair: tuple[int, int], unit: str) -> str:
    if pair == (1, 1):
        return f"once a {unit}"
    if pair == (2, 2):
        return f"twice a {unit}"
    return f"{_span(pair)} times a {unit}"


def describe_dose(dose: DoseNumbers) -> str:
    parts: list[str] = []
    if dose.hold_seconds:
        parts.append(f"hold {_span(dose.hold_seconds)} s")
    if dose.hold_breaths:
        word = "breath" if dose.hold_breaths == (1, 1) else "breaths"
        parts.append(f"hold {_span(dose.hold_breaths)} {word}")
    if dose.reps:
        reps = f"{_span(dose.reps)} times"
        if dose.sides == "each":
            reps += " each side"
        elif dose.sides == "alternate":
            reps += ", sides in turn"
        parts.append(reps)
    elif dose.sides == "each":
        parts.append("each side")
    elif dose.sides == "alternate":
        parts.append("sides in turn")
    if dose.sets:
        parts.append("1 set" if dose.sets == (1, 1) else f"{_span(dose.sets)} sets")
    if dose.rest_seconds:
        parts.append(f"rest {_span(dose.rest_seconds)} s between sets")
    if dose.times_per_day:
        parts.append(_times(dose.times_per_day, "day"))
    elif dose.times_per_week == (7, 7):
        parts.append("every day")
    if dose.times_per_week and dose.times_per_week != (7, 7):
        parts.append(_times(dose.times_per_week, "week"))
    return ", ".join(parts) if parts else "no amount given"


def describe_single_dose(dose: Dose) -> str:
    """Plain words for a concrete dose of single numbers (a program's dose)."""
    ranges = {name: (value, value) for name, value in vars(dose).items() if isinstance(value, int)}
    return describe_dose(DoseNumbers(**ranges, sides=dose.sides))
