"""`backcoach paused` and `backcoach cleared`: what the safety loop remembers, and recording that a
doctor or physiotherapist checked you (after a warning sign, or about an exercise that hurt)."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from backcoach.cli.common import fail, scope

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def paused_command(as_json: JsonOption = False) -> None:
    """Show a warning sign still waiting for a professional's check, and exercises paused because they hurt."""
    from backcoach.schemas.output import safety_out
    from backcoach.services import clearances
    from backcoach.services.review import rescreen_due

    person = scope()
    out = safety_out(
        clearances.standing_warning(person),
        clearances.paused(person),
        clearances.clearances(person),
        person.catalogue,
        clearances.cleared_exercises(person),
    )
    if as_json:
        typer.echo(json.dumps(out.model_dump(mode="json"), indent=2))
        return
    console = Console()
    if out.warning is not None:
        console.print(f"[bold red]{escape(out.warning.message)}[/bold red]")
        console.print('When a doctor or physiotherapist has checked you: backcoach cleared --by "WHO" --on YYYY-MM-DD')
    for item in out.paused:
        console.print(f"Paused: [bold]{escape(item.name)}[/bold] since {item.paused_on}. {escape(item.reason)}")
    if out.paused:
        console.print(
            'When a professional says one is fine: backcoach cleared --exercise ID --by "WHO" --on YYYY-MM-DD'
        )
    for record in out.clearances:
        console.print(f"Earlier check after a warning sign: {escape(record.cleared_by)}, {record.cleared_on}.")
    for cleared in out.exercises_cleared:
        console.print(f"{escape(cleared.name)} was cleared by {escape(cleared.cleared_by)} on {cleared.cleared_on}.")
    if out.warning is None and not out.paused:
        console.print("Nothing is paused.")
    if rescreen_due(person):
        console.print("Your pain went up at your last check-in: run `backcoach rescreen` before the next session.")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--on {value!r} is not a date; write it as YYYY-MM-DD, for example 2026-11-30")


def cleared_command(
    by: Annotated[str, typer.Option("--by", help="Who checked you: a name, or 'my GP', 'my physiotherapist'.")],
    on: Annotated[
        str | None, typer.Option("--on", help="The day they checked you, YYYY-MM-DD (default today).")
    ] = None,
    exercise: Annotated[
        str | None, typer.Option("--exercise", help="A paused exercise they said is fine (see `backcoach paused`).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Record that a doctor or physiotherapist checked you: after a warning sign, or about a paused exercise."""
    from backcoach.schemas.output import exercise_cleared_out, warning_cleared_out
    from backcoach.services import clearances
    from backcoach.services.programs import clear_exercise
    from backcoach.services.screening import clear_warning

    person = scope()
    day = _day(on) if on is not None else clearances.today(person)  # where the person is, by the app's clock
    if exercise is not None:
        version = clear_exercise(person, exercise, by, day)
        out = exercise_cleared_out(person.catalogue.get(exercise).name, version)
    else:
        done = clear_warning(person, by, day)
        out = warning_cleared_out(done, "Now run `backcoach setup` to answer the other questions and get your program.")
    if as_json:
        typer.echo(json.dumps(out.model_dump(mode="json"), indent=2))
    else:
        Console().print(escape(out.message))
