"""`backcoach screen` and `backcoach plan`: the safety questions and the program they lead to."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from backcoach.core.screening import ALL_QUESTIONS, BEFORE_YOU_START, NECK_QUESTIONS, QUESTIONS, Question
from backcoach.core.sources import ALL_SOURCES

if TYPE_CHECKING:  # the catalogue, the planner and the JSON shapes load when a command needs them
    from backcoach.core.planner import Plan
    from backcoach.core.profile import Profile

ProfileOption = Annotated[
    Path, typer.Option("--profile", help="A JSON file with the profile (see the README).", show_default=False)
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def screen_command(
    list_questions: Annotated[bool, typer.Option("--list", help="List the warning-sign questions.")] = False,
    as_json: JsonOption = False,
) -> None:
    """The safety screen's warning-sign questions (the neck ones are asked when the neck is a region)."""
    if as_json:
        from backcoach.schemas.output import question_out

        typer.echo(json.dumps([question_out(q).model_dump(mode="json") for q in ALL_QUESTIONS], indent=2))
        return
    console = Console()
    console.print(BEFORE_YOU_START + "\n")
    console.print("Answer each one yes, no or not sure.\n")
    for number, q in enumerate(QUESTIONS, start=1):
        _question_line(console, number, q)
    console.print("\nWhen your neck hurts, also:")
    for number, q in enumerate(NECK_QUESTIONS, start=len(QUESTIONS) + 1):
        _question_line(console, number, q)
    if not list_questions:
        console.print("\nRun `backcoach session` to answer them and start.")


def _question_line(console: Console, number: int, q: Question) -> None:
    """The question, then the id a profile file uses for it and its source's plain name."""
    console.print(f"{number:2}. {q.text}  [dim]{q.id} · Source: {escape(ALL_SOURCES[q.source].title)}[/dim]")


def load_profile_or_exit(path: Path) -> Profile:
    """The profile in the file; a ProfileFileError (bad input: exit 2) names the field."""
    from backcoach.schemas.profile_file import read_profile

    return read_profile(path)


def print_plan(plan: Plan, console: Console) -> None:
    from backcoach.catalogue.loader import load_catalogue
    from backcoach.core.dose_text import describe_single_dose

    console.print(escape(plan.message))
    if not plan.exercises:
        return
    console.print(f"\n[bold]Your program[/bold] (about {plan.minutes} minutes)")
    for number, p in enumerate(plan.exercises, start=1):
        console.print(f"{number}. [bold]{p.exercise.name}[/bold]: {describe_single_dose(p.dose)}")
        console.print(f"   [dim]Why: {escape(p.why)}[/dim]")
    if plan.activity:
        console.print("\n[bold]Also good for your back[/bold]")
        for a in plan.activity:
            console.print(f"  • {escape(a.why)}")
    if plan.left_out:
        console.print("\n[bold]Left out[/bold]")
        for x in plan.left_out:
            console.print(f"  • {load_catalogue().get(x.id).name}: {escape(x.why)}")
    for note in plan.notes:
        console.print(f"\n{escape(note)}")


def plan_command(profile: ProfileOption, as_json: JsonOption = False) -> None:
    """Make a program from a profile file."""
    from backcoach.catalogue.loader import load_catalogue
    from backcoach.core.planner import plan_program
    from backcoach.schemas.output import plan_out

    plan = plan_program(load_profile_or_exit(profile), load_catalogue())
    if as_json:
        typer.echo(json.dumps(plan_out(plan).model_dump(mode="json"), indent=2))
    else:
        print_plan(plan, Console())
