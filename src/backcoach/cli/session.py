"""`backcoach session`: do a session in the terminal, or list its steps for scripts."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.prompt import Confirm

from backcoach.catalogue_files import load_catalogue
from backcoach.cli.common import context
from backcoach.cli.history import print_review
from backcoach.cli.onboarding import ask_number, ask_warning_signs
from backcoach.cli.planning import JsonOption, load_profile_or_exit, print_plan
from backcoach.cli.setup import setup_profile
from backcoach.clock import SystemClock
from backcoach.core.planner import Plan, plan_program
from backcoach.core.screening import Urgency
from backcoach.core.session_run import EndReason, SessionRun
from backcoach.core.session_steps import session_exercises, session_steps
from backcoach.keys import TerminalKeys
from backcoach.plan_json import step_json
from backcoach.services import sessions
from backcoach.services.context import Context
from backcoach.services.programs import current_program, set_profile
from backcoach.services.review import rescreen, review_due, run_review
from backcoach.terminal_coach import TerminalCoach

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
    return {"status": plan.status.value, "message": plan.message, "steps": [step_json(s) for s in steps]}


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
    console.print("\nKeys during the session: Enter goes on, s skips, h stops if it hurts, q quits.")
    console.input("[bold]Press Enter to start.[/bold] ")
    with TerminalKeys() as keys:
        TerminalCoach(SessionRun(exercises, catalogue), SystemClock(), keys, console).run_session()


def play_stored(console: Console) -> None:
    """The everyday path: your saved program, saved as you go, resumed after a crash."""
    ctx = context()
    if current_program(ctx) is None:
        answers = setup_profile(ctx, console, None)
        if answers is None:
            return
        plan = set_profile(ctx, answers)
        print_plan(plan, console)
        if not plan.exercises:
            return
    active = start_or_resume(ctx, console)
    if active is None:
        return
    if not active.run.exercises:
        console.print("Nothing is due in this session. Well done for checking.")
        sessions.finish(ctx, active.session_id, EndReason.finished, None, None, None)
        return
    pain_before = ask_number(console, "Before you start: how much does it hurt now (0 none, 10 worst)?", 0, 10)
    console.print("Keys during the session: Enter goes on, s skips, h stops if it hurts, q quits.")
    console.input("[bold]Press Enter to start.[/bold] ")
    with TerminalKeys() as keys:
        coach = TerminalCoach(
            active.run,
            SystemClock(),
            keys,
            console,
            on_outcome=lambda outcome: sessions.record(ctx, active.session_id, outcome),
        )
        result = coach.run_session()
    after = result.check_in.pain_after
    felt = result.check_in.difficulty.value if result.check_in.difficulty else None
    sessions.finish(ctx, active.session_id, result.end_reason, pain_before, after, felt)
    if after is not None and sessions.pain_rose(pain_before, after):
        ask_again(ctx, console)
    if review_due(ctx):
        result_of_review = run_review(ctx)
        if result_of_review is not None:
            print_review(result_of_review, console)


def start_or_resume(ctx: Context, console: Console) -> sessions.ActiveSession | None:
    unfinished = ctx.repo.open_session(ctx.person_id)
    resume = unfinished is not None and Confirm.ask(
        f"You have a session from {unfinished.started_at:%a %d %b %H:%M} that did not finish. Carry on with it?",
        console=console,
        default=True,
    )
    try:
        return sessions.start(ctx, resume=resume)
    except sessions.NoProgram as error:
        console.print(str(error))
        return None


def ask_again(ctx: Context, console: Console) -> None:
    """Pain went up: ask the warning signs again. Any sign pauses the program."""
    console.print("\nYour pain went up. Please answer the warning-sign questions again.")
    result = rescreen(ctx, ask_warning_signs(console))
    console.print(result.message)
