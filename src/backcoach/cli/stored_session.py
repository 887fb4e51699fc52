"""The everyday `backcoach session`: your saved program, saved as you go, resumed after a crash."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.prompt import Confirm

from backcoach.cli.coach.clock import SystemClock
from backcoach.cli.coach.coach import TerminalCoach
from backcoach.cli.coach.keys import TerminalKeys
from backcoach.cli.common import scope
from backcoach.cli.history import print_finished
from backcoach.cli.onboarding import ask_number
from backcoach.cli.planning import print_plan
from backcoach.cli.setup import ask_again, setup_profile
from backcoach.core.errors import NothingDue, RestToday
from backcoach.core.pain_stop import END_MESSAGE
from backcoach.core.rules import EndReason
from backcoach.services import sessions
from backcoach.services.context import Scope
from backcoach.services.programs import current_program, set_profile
from backcoach.services.review import rescreen_due


def play_stored(console: Console) -> None:
    """The everyday path: your saved program, saved as you go, resumed after a crash."""
    person = scope()
    if current_program(person) is None:
        answers = setup_profile(person, console, None)
        if answers is None:
            return
        plan = set_profile(person, answers)
        print_plan(plan, console)
        if not plan.exercises:
            return
    live = start_or_resume(person, console)
    if live is None:
        return
    if live.stopped_for_pain:
        console.print(f"Your last session stopped because of pain, so it is closed now. {END_MESSAGE}")
        closed = sessions.finish(person, live.session_id, EndReason.pain, None, None, None)
        print_finished(person, closed, console)
        return
    console.print("Keys: Enter goes on, s skips, p pauses, h stops if it hurts, q ends the session.")
    console.input("[bold]Press Enter to start.[/bold] ")
    with TerminalKeys() as keys:
        result = TerminalCoach(live, SystemClock(), keys, console).run_session()
    after = result.check_in.pain_after
    felt = result.check_in.difficulty.value if result.check_in.difficulty else None
    finished = sessions.finish(person, live.session_id, result.end_reason, None, after, felt)
    print_finished(person, finished, console)


def start_or_resume(person: Scope, console: Console) -> sessions.LiveSession | None:
    """Carry on with the unfinished session (pain before is kept from its start) or begin today's,
    asking how much it hurts first. Warning signs owed after a rise in pain come before a new one."""
    unfinished = sessions.open_session(person)
    resume = unfinished is not None and Confirm.ask(
        f"You have a session from {unfinished.started_at:%a %d %b %H:%M} that did not finish. Carry on with it?",
        console=console,
        default=True,
    )
    if rescreen_due(person):  # before any session, the one left open too
        ask_again(person, console)
    pain_before = unfinished.pain_before if resume and unfinished is not None else None
    if pain_before is None:
        pain_before = ask_number(console, "Before you start: how much does it hurt now (0 none, 10 worst)?", 0, 10)
    try:
        live = sessions.start(person, resume=resume, pain_before=pain_before)
    except (NothingDue, RestToday) as error:
        console.print(escape(str(error)))
        return None
    for line in live.advice:
        console.print(f"[bold]{escape(line)}[/bold]")
    return live
