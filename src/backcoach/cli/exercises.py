"""`backcoach exercises`: list the catalogue, show one exercise, or print it all as JSON."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.dose_text import describe_dose
from backcoach.core.exercise import Exercise
from backcoach.core.pain_advice import DURING_EXERCISE
from backcoach.core.sources import ALL_SOURCES

app = typer.Typer(help="The exercise catalogue.", invoke_without_command=True)


def exercise_json(exercise: Exercise) -> dict[str, Any]:
    return exercise.model_dump(mode="json")


@app.callback()
def list_exercises(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole catalogue as JSON.")] = False,
) -> None:
    """List every exercise (or print the catalogue as JSON)."""
    if ctx.invoked_subcommand is not None:
        return
    catalogue = load_catalogue()
    if as_json:
        typer.echo(json.dumps([exercise_json(e) for e in catalogue], indent=2, ensure_ascii=False))
        return
    table = Table(title=f"{len(catalogue)} exercises", show_lines=False)
    for column in ("ID", "Name", "Kind", "Regions", "Position", "Starting dose"):
        table.add_column(column, overflow="fold")
    for e in catalogue:
        table.add_row(
            e.id,
            e.name,
            ", ".join(e.kind),
            ", ".join(r.replace("_", " ") for r in e.regions),
            e.position.replace("_", " "),
            describe_dose(e.default_dose),
        )
    Console().print(table)


@app.command("show")
def show_exercise(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="The exercise id, e.g. knee-to-chest.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print it as JSON.")] = False,
) -> None:
    """Show one exercise with its steps, cautions and every source's dose."""
    catalogue = load_catalogue()
    try:
        e = catalogue.get(exercise_id)
    except KeyError:
        typer.echo(f"No exercise with id {exercise_id!r}. Known ids: {', '.join(catalogue.ids())}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(exercise_json(e), indent=2, ensure_ascii=False))
        return
    console = Console()
    console.print(f"[bold]{e.name}[/bold]  ({e.id})")
    if e.aliases:
        console.print(f"Also called: {', '.join(e.aliases)}")
    console.print(
        f"{', '.join(e.kind).capitalize()} · {', '.join(r.replace('_', ' ') for r in e.regions)}"
        f" · {e.position.replace('_', ' ')}"
    )
    console.print(f"It {e.works}.")
    if e.muscles:
        console.print(f"Muscles: {', '.join(e.muscles)}")
    if e.equipment:
        console.print(f"You need: {', '.join(x.replace('_', ' ') for x in e.equipment)}")
    _numbered(console, "Get ready", e.start)
    _numbered(console, "Do it", e.action)
    # The one statement about pain comes first, wherever cautions are shown (`core.pain_advice`).
    console.print("\n[bold]Take care[/bold]")
    for caution in [DURING_EXERCISE, *e.cautions]:
        console.print(f"  • {caution}", markup=False)
    if e.precautions:
        console.print("\n[bold]If you have one of these conditions[/bold]")
        for p in e.precautions:
            what = "Leave this one out." if p.effect == "avoid" else str(p.how)
            condition = p.condition.replace("_", " ").capitalize()
            console.print(f"  • {condition}: {p.why} {what} Source: {ALL_SOURCES[p.source].title}.", markup=False)
    console.print("\n[bold]Dose in each source[/bold]")
    table = Table(show_header=True)
    table.add_column("Source")
    table.add_column("Dose")
    table.add_column("Note", overflow="fold")
    for dose in e.dosage:
        table.add_row(ALL_SOURCES[dose.source].title, describe_dose(dose), dose.note or "")
    if e.guideline_dose is not None:
        g = e.guideline_dose
        table.add_row(ALL_SOURCES[g.source].title, describe_dose(g), g.note or "")
    console.print(table)
    console.print(f"\n[bold]Starting dose:[/bold] {describe_dose(e.default_dose)}")
    console.print(f"Why: {e.default_dose.why}")
    if e.notes:
        console.print(f"\nNote: {e.notes}")
    guideline = [e.guideline_dose.source] if e.guideline_dose else []
    _about_sources(console, [*e.sources, *guideline, *(p.source for p in e.precautions)])


def _about_sources(console: Console, ids: list[str]) -> None:
    """What each source is, in one line, and a guideline's full reference for a clinician."""
    console.print("\n[bold]The sources[/bold]")
    for source in (ALL_SOURCES[i] for i in dict.fromkeys(ids)):
        cited = f" {source.citation}" if source.citation else ""
        console.print(f"  • {source.title}: {source.about}{cited}", markup=False)


def _numbered(console: Console, title: str, steps: list[str]) -> None:
    console.print(f"\n[bold]{title}[/bold]")
    for number, step in enumerate(steps, start=1):
        console.print(f"  {number}. {step}")
