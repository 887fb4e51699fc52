"""The progression review: run the rules over the history since the last review, and store a
new program version when anything changed."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta

from backcoach.core.progression import Action, ReviewResult, pain_signals, review
from backcoach.core.screening import ScreenResult, screen
from backcoach.services.context import Context
from backcoach.services.programs import current_program, program_json

REVIEW_EVERY = timedelta(days=7)  # a weekly review, as the issue and PRODUCT.md describe


def review_due(ctx: Context) -> bool:
    found = current_program(ctx)
    if found is None or not found[1]:
        return False
    last = ctx.repo.last_review(ctx.person_id)
    since = last.reviewed_at if last else found[0].created_at
    return ctx.now() - since >= REVIEW_EVERY


def run_review(ctx: Context) -> ReviewResult | None:
    """Review now. None when there is no active program to review."""
    person = ctx.person_id
    found = current_program(ctx)
    profile = ctx.repo.latest_profile(person)
    if found is None or not found[1] or profile is None:
        return None
    row, exercises = found
    last = ctx.repo.last_review(person)
    period_start = last.reviewed_at if last else row.created_at
    sessions = ctx.repo.history(person, since=period_start)
    baseline = last.pain_level if last and last.pain_level is not None else float(profile.pain_now)
    result = review(exercises, sessions, profile, ctx.catalogue, baseline, bool(last and last.alarm))
    program_id = None
    if result.changed:
        reason = " ".join(c.reason for c in result.changes if c.action is not Action.hold)
        saved = ctx.repo.save_program(
            person,
            row.profile_id,
            program_json(result.exercises),
            reason,
            [asdict(c) for c in result.changes],
            ctx.now(),
        )
        program_id = saved.id
    level = pain_signals(sessions, baseline).level
    ctx.repo.save_review(
        person,
        period_start,
        program_id,
        list(result.advice),
        result.alarm,
        level if level is not None else baseline,
        ctx.now(),
    )
    return result


def rescreen(ctx: Context, answers: dict[str, bool]) -> ScreenResult:
    """Ask the warning signs again (when pain rises). Any sign pauses the program."""
    result = screen(answers)
    person = ctx.ensure_person()
    ctx.repo.save_screening(person, answers, result, ctx.now())
    found = current_program(ctx)
    if not result.is_clear and found is not None and found[1]:
        ctx.repo.save_program(person, found[0].profile_id, [], result.message, [], ctx.now())
    return result
