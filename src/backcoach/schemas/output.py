"""The JSON shapes of plans and session steps, shared by the command line and the web API."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from backcoach.core.planner import Plan
from backcoach.core.session_steps import Step
from backcoach.core.timing import Dose


def dose_json(dose: Dose) -> dict[str, Any]:
    return asdict(dose)


def plan_json(plan: Plan) -> dict[str, Any]:
    return {
        "status": plan.status.value,
        "message": plan.message,
        "exercises": [
            {"id": p.id, "name": p.exercise.name, "dose": dose_json(p.dose), "why": p.why, "seconds": p.seconds}
            for p in plan.exercises
        ],
        "left_out": [{"id": x.id, "why": x.why} for x in plan.left_out],
        "activity": [{"id": x.id, "why": x.why} for x in plan.activity],
        "minutes": plan.minutes,
        "notes": list(plan.notes),
    }


def step_json(step: Step) -> dict[str, Any]:
    data = asdict(step)
    data["kind"] = step.kind.value
    data["details"] = list(step.details)
    data["timed"] = step.timed
    return data
