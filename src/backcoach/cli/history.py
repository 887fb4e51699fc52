"""`backcoach log`, `program`, `review` and `progress`: the history and what it changes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from backcoach.cli.common import context, fail
from backcoach.core.dose_text import describe_single_dose
from backcoach.core.pain_stop import PainKind, PainPlace, PainReport
from backcoach.core.progression import ReviewResult
from backcoach.core.session_run import EndReason, ExerciseOutcome, OutcomeStatus
from backcoach.progress_charts import terminal_chart, write_png
from backcoach.services import sessions
from backcoach.services.context import Context
from backcoach.services.programs import current_program
from backcoach.services.progress import progress
from backcoach.services.review import review_due, run_review

Pain = Annotated[int, typer.Option(min=0, max=10, help="Pain from 0 (none) to 10 (worst).")]


def log_command(
    pain_before: Annotated[int, typer.Option("--pain-before", min=0, max=10, help="Pain before, 0-10.")],
    pain_after: Annotated[int, typer.Option("--pain-after", min=0, max=10, help="Pain after, 0-10.")],
    difficulty: Annotated[str, typer.Option(help="How hard it felt: easy, right or hard.")] = "right",
    skip: Annotated[list[str] | None, typer.Option(help="An exercise id you skipped (repeatable).")] = None,
    pain_stop: Annotated[
        list[str] | None,
        typer.Option(help="ID=KIND:SCORE, e.g. bridge=mild:3 (kind: mild, sharp, spreading, worsening)."),
    ] = None,
) -> None:
    """Record a session you did without the coach (for example from a printed handout)."""
    if difficulty not in sessions.DIFFICULTIES:
        fail(f"--difficulty must be one of {', '.join(sessions.DIFFICULTIES)}, not {difficulty!r}")
    stops = dict(_parse_pain_stop(item) for item in pain_stop or [])
    ctx = context()
    try:
        active = sessions.start(ctx, resume=False)
    except sessions.NoProgram as error:
        fail(str(error), 1)
    ids = {p.id for p in active.run.exercises}
    for name in [*(skip or []), *stops]:
        if name not in ids:
            fail(f"{name!r} is not in today's session ({', '.join(sorted(ids))})")
    reason = EndReason.finished
    for planned in active.run.exercises:
        if reason is EndReason.pain:
            break  # a sharp or strong pain ended the session: nothing after it was done
        if planned.id in stops:
            report = stops[planned.id]
            status = OutcomeStatus.stopped_for_pain
            if report.kind is not PainKind.mild or report.score >= 7:
                reason = EndReason.pain
        else:
            report = None
            status = OutcomeStatus.skipped if planned.id in (skip or []) else OutcomeStatus.done
        sessions.record(ctx, active.session_id, ExerciseOutcome(planned.id, status, planned.dose, report))
    sessions.finish(ctx, active.session_id, reason, pain_before, pain_after, difficulty)
    typer.echo(f"Saved: {len(active.run.exercises)} exercises, pain {pain_before} → {pain_after}, felt {difficulty}.")
    _review_if_due(ctx)


def _parse_pain_stop(item: str) -> tuple[str, PainReport]:
    try:
        exercise_id, rest = item.split("=", 1)
        kind, score = rest.split(":", 1)
        report = PainReport(PainKind(kind), int(score), PainPlace.lower_back)
    except ValueError:
        fail(f"--pain-stop {item!r} must look like ID=KIND:SCORE, e.g. bridge=mild:3")
    if not 0 <= report.score <= 10:
        fail(f"--pain-stop {item!r}: the score must be from 0 to 10")
    return exercise_id, report


def _review_if_due(ctx: Context) -> None:
    if review_due(ctx):
        result = run_review(ctx)
        if result is not None:
            print_review(result, Console())


def print_review(result: ReviewResult, console: Console) -> None:
    console.print("[bold]Weekly review[/bold]")
    for change in result.changes:
        mark = {"grow": "↑", "harder": "↑", "hold": "=", "step_down": "↓", "easier": "↓", "pause": "⏸"}[change.action]
        console.print(f" {mark} {change.exercise_id}: {change.reason}")
    for advice in result.advice:
        console.print(f"[bold yellow]{advice}[/bold yellow]")
    if result.changed:
        console.print("Your program has a new version. See it with `backcoach program`.")


def review_command() -> None:
    """Review the last week now: grow, hold or ease each exercise by explicit rules."""
    ctx = context()
    result = run_review(ctx)
    if result is None:
        fail("There is no active program to review. Run `backcoach setup` first.", 1)
    print_review(result, Console())


def program_command(
    history: Annotated[bool, typer.Option("--history", help="List every version and why it changed.")] = False,
) -> None:
    """Show your current program (or every version of it)."""
    ctx = context()
    console = Console()
    if history:
        for row in ctx.repo.programs(ctx.person_id):
            console.print(
                f"[bold]Version {row.version}[/bold]  {row.created_at:%Y-%m-%d}  {len(row.exercises)} exercises"
            )
            console.print(f"  {row.reason}")
        return
    found = current_program(ctx)
    if found is None:
        fail("There is no program yet. Run `backcoach setup` first.", 1)
    row, exercises = found
    console.print(f"[bold]Program version {row.version}[/bold] ({row.created_at:%Y-%m-%d}): {row.reason}")
    for number, planned in enumerate(exercises, start=1):
        console.print(f"{number}. [bold]{planned.exercise.name}[/bold]: {describe_single_dose(planned.dose)}")
        console.print(f"   [dim]Why: {planned.why}[/dim]")


def progress_command(
    png: Annotated[Path | None, typer.Option("--png", help="Also write the charts to this PNG file.")] = None,
) -> None:
    """Your progress: sessions done each week, streaks, pain and activities over time."""
    ctx = context()
    summary = progress(ctx)
    if summary is None:
        fail("There is no history yet. Run `backcoach setup`, then `backcoach session`.", 1)
    console = Console()
    table = Table(title="Week by week")
    for column in ("Week of", "Sessions", "Done", "Pain before", "Pain after", "Pain stops", "Felt hard"):
        table.add_column(column, justify="right")
    for week in summary.weeks:
        table.add_row(
            f"{week.start:%d %b}",
            f"{week.sessions_done}/{week.sessions_planned}",
            f"{week.adherence:.0%}",
            _num(week.pain_before),
            _num(week.pain_after),
            str(week.pain_stops),
            str(week.hard_sessions),
        )
    console.print(table)
    console.print(
        f"Sessions done: {summary.sessions_done}. Streak: {summary.current_streak} day(s) "
        f"(longest {summary.longest_streak})."
    )
    console.print(summary.pain.words)
    for activity, (first, latest) in summary.psfs.items():
        console.print(f"{activity}: {first} → {latest} out of 10 (higher is easier)")
    console.print(terminal_chart(summary))
    if png is not None:
        write_png(summary, png)
        console.print(f"Charts written to {png}")


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"
