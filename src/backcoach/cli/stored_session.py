"""The everyday `backcoach session`: your saved program, saved as you go, resumed after a crash."""

from __future__ import annotations

from rich.console import Console
from rich.prompt import Confirm

from backcoach.cli.coach.clock import SystemClock
from backcoach.cli.coach.coach import TerminalCoach
from backcoach.cli.coach.keys import TerminalKeys
from backcoach.cli.common import context
from backcoach.cli.history import print_review
from backcoach.cli.onboarding import ask_number, ask_warning_signs
from backcoach.cli.planning import print_plan
from backcoach.cli.setup import setup_profile
from backcoach.core.session_run import EndReason
from backcoach.services import sessions
from backcoach.services.context import Context
from backcoach.services.programs import current_program, set_profile
from backcoach.services.review import rescreen, review_due, run_review


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
    if active.stopped_for_pain:
        console.print(
            "Your last session stopped because of pain, so it is closed now. Rest today, and see a "
            "doctor or physiotherapist if the pain does not settle."
        )
        sessions.finish(ctx, active.session_id, EndReason.pain, None, None, None)
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
