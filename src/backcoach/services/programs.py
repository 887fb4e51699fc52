"""Profiles and program versions: make, store and read back a person's program."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from backcoach.core.catalogue import Catalogue
from backcoach.core.planner import Plan, PlannedExercise, plan_program
from backcoach.core.profile import Profile
from backcoach.core.screening import screen
from backcoach.core.timing import Dose, exercise_seconds
from backcoach.services.context import Context
from backcoach.storage.tables import ProgramVersion


def program_json(exercises: tuple[PlannedExercise, ...] | list[PlannedExercise]) -> list[dict[str, Any]]:
    return [{"id": p.id, "dose": asdict(p.dose), "why": p.why} for p in exercises]


def program_exercises(row: ProgramVersion, catalogue: Catalogue) -> list[PlannedExercise]:
    planned = []
    for item in row.exercises:
        exercise = catalogue.get(item["id"])
        dose = Dose(**item["dose"])
        planned.append(PlannedExercise(exercise, dose, exercise_seconds(dose, exercise.pace), item["why"]))
    return planned


def set_profile(ctx: Context, profile: Profile) -> Plan:
    """Screen, store the answers and profile, and store a new program if the screen is clear."""
    person = ctx.ensure_person()
    now = ctx.now()
    result = screen(profile.red_flags)
    ctx.repo.save_screening(person, profile.red_flags, result, now)
    plan = plan_program(profile, ctx.catalogue)
    profile_id = ctx.repo.save_profile(person, profile, now)
    existing = ctx.repo.current_program(person)
    if plan.exercises:
        reason = "Your answers changed, so we made a new program." if existing else "Your first program."
        ctx.repo.save_program(person, profile_id, program_json(plan.exercises), reason, [], now)
    elif existing is not None and existing.exercises:
        # A warning sign (or nothing left that fits) pauses the program: an empty version says why.
        ctx.repo.save_program(person, profile_id, [], plan.message, [], now)
    return plan


def current_program(ctx: Context) -> tuple[ProgramVersion, list[PlannedExercise]] | None:
    row = ctx.repo.current_program(ctx.person_id)
    if row is None:
        return None
    return row, program_exercises(row, ctx.catalogue)
