"""`backcoach session`: do a session in the terminal, or list its steps for scripts."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from backcoach.catalogue.loader import load_catalogue
from backcoach.cli.planning import JsonOption, load_profile_or_exit, print_plan
from backcoach.core.planner import Plan, plan_program
from backcoach.core.screening import Urgency
from backcoach.core.session_run import SessionRun
from backcoach.core.session_steps import session_exercises, session_steps
from backcoach.schemas.output import step_out

SessionProfileOption = Annotated[
    Path | None,
    typer.Option("--profile", help="A JSON file with the profile. Without it, you answer the questions here."),
]
StepsOption = Annotated[bool, typer.Option("--steps", help="List the session's steps instead of running them.")]
DayOption = Annotated[int, typer.Option("--day", min=0, help="Days since the program started (0 is the first).")]
SessionOfDayOption = Annotated[
    int, typer.Option("--session-of-day", min=0, help="Which session of the day (0 is the first).")
]


def steps_json(plan: Plan, day: int, session_of_day: int) -> dict[str, Any]:
    steps = session_steps(session_exercises(plan, day, session_of_day)) if plan.status is Urgency.clear else []
    return {
        "status": plan.status.value,
        "message": plan.message,
        "steps": [step_out(s).model_dump(mode="json") for s in steps],
    }


def print_steps(plan: Plan, day: int, session_of_day: int, console: Console) -> None:
    console.print(plan.message)
    if plan.status is not Urgency.clear:
        return
    for number, step in enumerate(session_steps(session_exercises(plan, day, session_of_day)), start=1):
        console.print(f"{number:3}. {step.exercise_name} [dim]{step.kind.value}, {step.seconds} s[/dim]: {step.cue}")


def session_command(
    profile: SessionProfileOption = None,
    steps: StepsOption = False,
    as_json: JsonOption = False,
    day: DayOption = 0,
    session_of_day: SessionOfDayOption = 0,
) -> None:
    """Do a session with a coach in the terminal: countdowns, counted reps, and a key to stop."""
    if as_json and not steps:
        raise typer.BadParameter("--json works with --steps", param_hint="--json")
    if steps:
        if profile is None:
            raise typer.BadParameter("--steps needs a profile file", param_hint="--profile")
        plan = plan_program(load_profile_or_exit(profile), load_catalogue())
        if as_json:
            typer.echo(json.dumps(steps_json(plan, day, session_of_day), indent=2))
        else:
            print_steps(plan, day, session_of_day, Console())
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        typer.echo("backcoach: a session needs a terminal. Use --steps to list its steps instead.", err=True)
        raise typer.Exit(2)
    try:
        if profile is None:
            from backcoach.cli.stored_session import play_stored  # storage loads only when needed

            play_stored(Console())
        else:
            play(profile, day, session_of_day, Console())
    except (KeyboardInterrupt, EOFError):
        typer.echo("\nStopped. Anything you finished is saved.")


def play(profile_path: Path, day: int, session_of_day: int, console: Console) -> None:
    """Try a profile file out: the session runs, but nothing is saved."""
    profile = load_profile_or_exit(profile_path)
    catalogue = load_catalogue()
    plan = plan_program(profile, catalogue)
    console.print()
    print_plan(plan, console)
    if not plan.exercises:
        return
    exercises = session_exercises(plan, day, session_of_day)
    if not exercises:
        console.print("\nNothing is due in this session. Well done for checking.")
        return
    console.print("\nKeys: Enter goes on, s skips, p pauses, h stops if it hurts, q ends the session.")
    console.input("[bold]Press Enter to start.[/bold] ")
    from backcoach.cli.coach.clock import SystemClock
    from backcoach.cli.coach.coach import TerminalCoach
    from backcoach.cli.coach.keys import TerminalKeys

    with TerminalKeys() as keys:
        TerminalCoach(SessionRun(exercises, catalogue), SystemClock(), keys, console).run_session()
