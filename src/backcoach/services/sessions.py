"""Sessions that are saved as they go: start or resume, record each exercise, finish."""

from __future__ import annotations

from dataclasses import dataclass

from backcoach.core.pain_stop import PainKind, PainPlace, PainReport, ends_session
from backcoach.core.planner import PlannedExercise
from backcoach.core.progression import ACT_RISE, CRITICAL
from backcoach.core.session_run import EndReason, ExerciseOutcome, OutcomeStatus, SessionRun
from backcoach.core.session_steps import is_due
from backcoach.services.context import Context
from backcoach.services.programs import current_program, program_exercises
from backcoach.storage.tables import ExerciseOutcomeRow

END_STATUS = {EndReason.finished: "finished", EndReason.pain: "stopped_for_pain", EndReason.quit: "quit"}
DIFFICULTIES = ("easy", "right", "hard")


class NoProgram(RuntimeError):
    pass


@dataclass
class ActiveSession:
    session_id: int
    run: SessionRun
    resumed: bool
    stopped_for_pain: bool = False  # a pain stop ended it: nothing more to play, only the check-in


def todays_exercises(ctx: Context) -> tuple[int, list[PlannedExercise]]:
    found = current_program(ctx)
    if found is None:
        raise NoProgram("There is no program yet. Run `backcoach setup` first.")
    row, exercises = found
    if not exercises:
        raise NoProgram(f"Your program is paused. {row.reason}")
    today = ctx.now().date()
    day_index = (today - row.created_at.date()).days
    done_today = sum(
        1 for s in ctx.repo.history(ctx.person_id) if s.started_at.date() == today and s.status != "in_progress"
    )
    due = [p for p in exercises if is_due(p, day_index, done_today)]
    return row.id, due or exercises[:0]


def open_session(ctx: Context) -> int | None:
    found = ctx.repo.open_session(ctx.person_id)
    return None if found is None else found.id


def start(ctx: Context, resume: bool = True) -> ActiveSession:
    """Resume the unfinished session if asked, else start a new one (the old one is closed)."""
    person = ctx.person_id
    unfinished = ctx.repo.open_session(person)
    if unfinished is not None and resume:
        rows = ctx.repo.outcomes(unfinished.id)
        if any(_ended_by_pain(row) for row in rows):
            # A pain stop is always honoured, whichever player or device comes back to it.
            return ActiveSession(unfinished.id, SessionRun([], ctx.catalogue), True, stopped_for_pain=True)
        exercises = program_exercises(ctx.repo.program(unfinished.program_id), ctx.catalogue)
        done = {o.exercise_id for o in rows}
        return ActiveSession(unfinished.id, SessionRun(exercises, ctx.catalogue, already_done=done), True)
    if unfinished is not None:
        ctx.repo.end_session(unfinished.id, "quit", ctx.now())
    program_id, exercises = todays_exercises(ctx)
    session_id = ctx.repo.start_session(person, program_id, ctx.now())
    return ActiveSession(session_id, SessionRun(exercises, ctx.catalogue), False)


def _ended_by_pain(row: ExerciseOutcomeRow) -> bool:
    if row.pain_kind is None or row.pain_score is None or row.pain_place is None:
        return False
    return ends_session(PainReport(PainKind(row.pain_kind), row.pain_score, PainPlace(row.pain_place)))


def record(ctx: Context, session_id: int, outcome: ExerciseOutcome) -> None:
    ctx.repo.record_outcome(session_id, outcome, ctx.now())


def finish(
    ctx: Context,
    session_id: int,
    reason: EndReason,
    pain_before: int | None,
    pain_after: int | None,
    difficulty: str | None,
) -> None:
    for value, name in ((pain_before, "pain before"), (pain_after, "pain after")):
        if value is not None and not 0 <= value <= 10:
            raise ValueError(f"{name} must be from 0 to 10, got {value}")
    if difficulty is not None and difficulty not in DIFFICULTIES:
        raise ValueError(f"difficulty must be one of {', '.join(DIFFICULTIES)}, got {difficulty!r}")
    ctx.repo.finish_session(session_id, END_STATUS[reason], pain_before, pain_after, difficulty, ctx.now())


def pain_rose(before: int | None, after: int) -> bool:
    """A rise worth asking the warning signs again: Medbridge Pathways' "act" or "critical"."""
    return after >= CRITICAL or (before is not None and after - before >= ACT_RISE)


class LogError(ValueError):
    """A logged session names something that is not in today's session; nothing was saved."""


def log_session(
    ctx: Context,
    pain_before: int,
    pain_after: int,
    difficulty: str,
    skipped: list[str],
    pain_stops: dict[str, PainReport],
) -> int:
    """Record a session done without the coach (from a handout, say). Returns how many exercises."""
    if difficulty not in DIFFICULTIES:
        raise LogError(f"difficulty must be one of {', '.join(DIFFICULTIES)}, not {difficulty!r}")
    _, exercises = todays_exercises(ctx)
    ids = {p.id for p in exercises}
    unknown = [name for name in [*skipped, *pain_stops] if name not in ids]
    if unknown:
        raise LogError(f"{unknown[0]!r} is not in today's session ({', '.join(sorted(ids))})")
    active = start(ctx, resume=False)
    reason = EndReason.finished
    for planned in active.run.exercises:
        if reason is EndReason.pain:
            break  # a sharp or strong pain ended the session: nothing after it was done
        report = pain_stops.get(planned.id)
        if report is not None:
            status = OutcomeStatus.stopped_for_pain
            if report.kind is not PainKind.mild or report.score >= CRITICAL:
                reason = EndReason.pain
        else:
            status = OutcomeStatus.skipped if planned.id in skipped else OutcomeStatus.done
        record(ctx, active.session_id, ExerciseOutcome(planned.id, status, planned.dose, report))
    finish(ctx, active.session_id, reason, pain_before, pain_after, difficulty)
    return len(active.run.exercises)
