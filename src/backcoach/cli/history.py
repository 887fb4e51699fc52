"""`backcoach log`, `program`, `review` and `progress`: the history and what it changes.

Storage and charts are imported inside each command, so `backcoach --help` starts at once.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from backcoach.cli.common import fail, scope
from backcoach.core.dose_text import describe_single_dose
from backcoach.core.pain_stop import PainKind, PainPlace, PainReport
from backcoach.core.psfs import CHANGE_NOTE

if TYPE_CHECKING:
    from backcoach.services.context import Scope
    from backcoach.services.review import AfterSession, ReviewView
    from backcoach.services.sessions import Finished

REVIEW_MARKS = {"back": "+", "grow": "↑", "harder": "↑", "hold": "=", "step_down": "↓", "easier": "↓", "pause": "⏸"}


def log_command(
    pain_before: Annotated[int, typer.Option("--pain-before", min=0, max=10, help="Pain before, 0-10.")],
    pain_after: Annotated[int, typer.Option("--pain-after", min=0, max=10, help="Pain after, 0-10.")],
    difficulty: Annotated[str, typer.Option(help="How hard it felt: easy, right or hard.")] = "right",
    skip: Annotated[list[str] | None, typer.Option(help="An exercise id you skipped (repeatable).")] = None,
    pain_stop: Annotated[
        list[str] | None,
        typer.Option(
            help="ID=KIND:SCORE[:PLACE], e.g. bridge=mild:3 or bridge=mild:3:legs (kind: mild, sharp, spreading, "
            "worsening; place: lower_back unless given)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print what happened next as JSON for scripts.")] = False,
) -> None:
    """Record a session you did without the coach (for example from a printed handout)."""
    from backcoach.schemas.output import finish_out
    from backcoach.services import sessions

    stops = dict(_parse_pain_stop(item) for item in pain_stop or [])
    person = scope()
    finished = sessions.log_session(person, pain_before, pain_after, difficulty, skip or [], stops)
    if as_json:
        typer.echo(finish_out(finished).model_dump_json(indent=2))
        return
    typer.echo(f"Saved: {finished.exercises} exercises, pain {pain_before} → {pain_after}, felt {difficulty}.")
    print_finished(person, finished, Console())


def print_finished(person: Scope, finished: Finished, console: Console) -> None:
    """What comes after any session, then the short lesson it offers, if any (as the web shows it)."""
    from backcoach.cli.coach.view import lesson_offer_panel

    print_after(person, finished.after, console)
    if finished.summary.lesson is not None:
        console.print(lesson_offer_panel(finished.summary.lesson))


def print_after(person: Scope, after: AfterSession, console: Console) -> None:
    """What comes after any session, in the terminal: the warning signs again, or a review."""
    from backcoach.cli.setup import ask_again
    from backcoach.schemas.output import RESCREEN_MESSAGE

    for line in after.advice:
        console.print(f"[bold]{escape(line)}[/bold]")
    if after.rescreen_needed:
        if sys.stdin.isatty():
            ask_again(person, console)
        else:
            console.print(f"{RESCREEN_MESSAGE} Run: backcoach rescreen")
    elif after.review is not None:
        print_review(after.review, console)


def _parse_pain_stop(item: str) -> tuple[str, PainReport]:
    """ID=KIND:SCORE[:PLACE], for example bridge=mild:3 or knee-rolls=mild:3:legs."""
    kinds = ", ".join(k.value for k in PainKind)
    places = ", ".join(p.value for p in PainPlace)
    try:
        exercise_id, rest = item.split("=", 1)
        kind, score, *place = rest.split(":")
    except ValueError:
        fail(f"--pain-stop {item!r} must look like ID=KIND:SCORE, e.g. bridge=mild:3")
    if kind not in {k.value for k in PainKind}:
        fail(f"--pain-stop {item!r}: {kind!r} is not a kind of pain; use one of {kinds}")
    if not re.fullmatch(r"-?[0-9]{1,3}", score.strip()):  # ASCII digits: "²" is a digit to str
        fail(f"--pain-stop {item!r}: the score must be a whole number from 0 to 10")
    if len(place) > 1 or (place and place[0] not in {p.value for p in PainPlace}):
        fail(f"--pain-stop {item!r}: where it hurt must be one of {places}")
    # Without a place, pain is taken to be in the lower back, as this command always has.
    report = PainReport(PainKind(kind), int(score), PainPlace(place[0]) if place else PainPlace.lower_back)
    if not 0 <= report.score <= 10:
        fail(f"--pain-stop {item!r}: the score must be from 0 to 10")
    return exercise_id, report


def print_review(view: ReviewView, console: Console) -> None:
    console.print("[bold]Weekly review[/bold]")
    from backcoach.schemas.output import change_line

    for change in view.result.changes:
        console.print(f" {REVIEW_MARKS[change.action]} {escape(change_line(change))}")
    for advice in view.result.advice:
        console.print(f"[bold yellow]{escape(advice)}[/bold yellow]")
    if view.new_version is not None:
        console.print(f"Your program has a new version ({view.new_version}). See it with `backcoach program`.")


def review_command() -> None:
    """Review the last week now: grow, hold or ease each exercise by explicit rules."""
    from backcoach.services.programs import active_program
    from backcoach.services.review import run_review

    person = scope()
    active_program(person)  # NoProgram or ProgramPaused say why there is nothing to review
    result = run_review(person)
    if result is not None:
        print_review(result, Console())


def program_command(
    history: Annotated[bool, typer.Option("--history", help="List every version and why it changed.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Show your current program (or every version of it)."""
    from backcoach.schemas.output import program_out
    from backcoach.services.programs import active_program, current_program, program_versions

    person = scope()
    console = Console()
    if history:
        versions = program_versions(person)
        if as_json:
            typer.echo(json.dumps([program_out(v).model_dump(mode="json") for v in versions], indent=2))
            return
        for row in versions:
            console.print(
                f"[bold]Version {row.version}[/bold]  {row.created_at:%Y-%m-%d}  {len(row.exercises)} exercises"
            )
            console.print(f"  {escape(row.reason)}")
        return
    found = current_program(person)
    if found is None:
        active_program(person)  # says why: a warning sign waiting for a check, or no setup yet
        fail("There is no program yet. Run `backcoach setup` first.", 1)
    if as_json:
        typer.echo(program_out(found).model_dump_json(indent=2))
        return
    console.print(f"[bold]Program version {found.version}[/bold] ({found.created_at:%Y-%m-%d}): {escape(found.reason)}")
    for number, planned in enumerate(found.exercises, start=1):
        console.print(f"{number}. [bold]{planned.exercise.name}[/bold]: {describe_single_dose(planned.dose)}")
        console.print(f"   [dim]Why: {escape(planned.why)}[/dim]")


def progress_command(
    png: Annotated[Path | None, typer.Option("--png", help="Also write the charts to this PNG file.")] = None,
) -> None:
    """Your progress: sessions done each week, streaks, pain and activities over time."""
    from backcoach.cli.charts import terminal_chart, write_png
    from backcoach.core.history import REAL_CHANGE
    from backcoach.services.progress import progress

    summary = progress(scope())
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
    console.print(REAL_CHANGE, style="dim", markup=False)
    for activity in summary.activities:
        if activity.change is not None:
            typer.echo(f"{activity.name}: {activity.change.words}")  # plain text: no markup, no wrapping
    if summary.activities:
        typer.echo(CHANGE_NOTE)
    console.print(terminal_chart(summary))
    if png is not None:
        write_png(summary, png)
        console.print(f"Charts written to {png}")


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"
