"""The JSON kept inside columns, written and read back in one place: a program's or a session's
exercises (with doses), a pain report, and a version's explanation.

The app reads stored history with these functions, and the import checks a file with the very
same ones (`check_*`), so a file that imports is a file the app can read and play.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, fields
from typing import Any

from backcoach.core.catalogue import Catalogue
from backcoach.core.pain_stop import PainKind, PainPlace, PainReport
from backcoach.core.planner import Explanation, LeftOut, PlannedExercise
from backcoach.core.timing import Dose, exercise_seconds

DOSE_NUMBERS = tuple(f.name for f in fields(Dose) if f.name != "sides")
SIDES = (None, "each", "alternate")


def exercises_json(exercises: Sequence[PlannedExercise]) -> list[dict[str, Any]]:
    return [{"id": p.id, "dose": asdict(p.dose), "why": p.why} for p in exercises]


def planned_from(items: Sequence[dict[str, Any]], catalogue: Catalogue) -> tuple[PlannedExercise, ...]:
    planned = []
    for item in items:
        exercise = catalogue.get(item["id"])
        dose = Dose(**item["dose"])
        planned.append(PlannedExercise(exercise, dose, exercise_seconds(dose, exercise.pace), item["why"]))
    return tuple(planned)


def pain_json(report: PainReport) -> dict[str, Any]:
    return {"kind": report.kind.value, "score": report.score, "place": report.place.value}


def pain_from(data: dict[str, Any]) -> PainReport:
    return PainReport(PainKind(data["kind"]), int(data["score"]), PainPlace(data["place"]))


def explanation_json(explanation: Explanation) -> dict[str, Any]:
    return asdict(explanation)


def explanation_from(data: dict[str, Any] | None) -> Explanation | None:
    if data is None:
        return None
    return Explanation(
        data["reason_code"],
        data["message"],
        tuple(LeftOut(**x) for x in data.get("left_out", [])),
        tuple(LeftOut(**x) for x in data.get("activity", [])),
        tuple(data.get("notes", [])),
    )


# Checks for the import: each raises ValueError with the problem in plain words ----------------


def check_dose(value: Any) -> Dose:
    """A dose as the app stores it: known fields, whole numbers from 1, sides as the app names them."""
    if not isinstance(value, dict) or set(value) - {f.name for f in fields(Dose)}:
        raise ValueError(f"a dose has unknown fields: {value!r}")
    dose = Dose(**value)
    for name in DOSE_NUMBERS:
        number = getattr(dose, name)
        if number is not None and (isinstance(number, bool) or not isinstance(number, int) or number < 0):
            raise ValueError(f"a dose's {name} is not a whole number: {number!r}")
    if dose.sides not in SIDES:
        raise ValueError(f"a dose's sides is not one the app knows: {dose.sides!r}")
    return dose


def check_dose_within_sources(catalogue: Catalogue, exercise_id: str, value: Any) -> Dose:
    """A dose of this exercise whose every number lies inside the range its sources give: what the
    planner, a review and a pain stop can ever choose (see `core/dose_steps.py`)."""
    dose = check_dose(value)
    for name, limit in catalogue.get(exercise_id).dose_limits().items():
        number = getattr(dose, name)
        if number is not None and (limit is None or not limit[0] <= number <= limit[1]):
            given = "no source gives one" if limit is None else f"its sources give {limit[0]} to {limit[1]}"
            raise ValueError(f"{exercise_id}: {name} {number} is outside what its sources give ({given})")
    return dose


def check_exercises(items: Any, catalogue: Catalogue) -> None:
    """A list of exercises with doses that stay within what each exercise's sources give."""
    if not isinstance(items, list):
        raise ValueError("the exercises must be a list")
    for item in items:
        if not isinstance(item, dict) or item.get("id") not in catalogue.ids() or not isinstance(item.get("why"), str):
            raise ValueError(f"an exercise entry is not one this catalogue knows: {str(item)[:200]}")
        check_dose_within_sources(catalogue, item["id"], item.get("dose"))
        if item.get("pain") is not None:
            check_pain(item["pain"])


def check_pain(value: Any) -> None:
    try:
        report = pain_from(value)
    except (KeyError, TypeError, ValueError):
        raise ValueError(f"a pain report is not one the app knows: {str(value)[:200]}") from None
    if not 0 <= report.score <= 10 or isinstance(value["score"], bool) or not isinstance(value["score"], int):
        raise ValueError(f"a pain score must be a whole number from 0 to 10, not {value['score']!r}")


def check_pending(value: Any, catalogue: Catalogue) -> None:
    if value is None:
        return
    keys = {"exercise_id", "between", "pain"}
    if not isinstance(value, dict) or not keys <= set(value) <= keys | {"ended"}:
        raise ValueError(f"the pending pain stop is not one the app knows: {str(value)[:200]}")
    if value["exercise_id"] not in catalogue.ids() or not isinstance(value["between"], bool):
        raise ValueError(f"the pending pain stop is not one the app knows: {str(value)[:200]}")
    if not isinstance(value.get("ended", False), bool):
        raise ValueError("the pending pain stop's 'ended' must be true or false")
    check_pain(value["pain"])


def check_explanation(value: Any) -> None:
    if value is None:
        return
    try:
        explanation = explanation_from(value)
    except (KeyError, TypeError, AttributeError):
        raise ValueError(f"the explanation is not one the app knows: {str(value)[:200]}") from None
    assert explanation is not None
    texts = [explanation.reason_code, explanation.message, *explanation.notes]
    texts += [t for x in (*explanation.left_out, *explanation.activity) for t in (x.id, x.why, x.code)]
    if set(value) - {"reason_code", "message", "left_out", "activity", "notes"} or not all(
        isinstance(t, str) for t in texts
    ):
        raise ValueError(f"the explanation is not one the app knows: {str(value)[:200]}")
