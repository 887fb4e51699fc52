"""`backcoach setup`: answer the safety screen and profile questions, and save your program."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from backcoach.cli.common import context
from backcoach.cli.onboarding import ask_profile
from backcoach.cli.planning import load_profile_or_exit, print_plan
from backcoach.core.profile import Profile
from backcoach.core.screening import ScreenResult

if TYPE_CHECKING:
    from backcoach.services.context import Context


def keep_warning_signs(ctx: Context) -> Callable[[dict[str, bool], ScreenResult], None]:
    """A callback that stores answers with a warning sign at once (clear ones are stored with the profile)."""

    def keep(answers: dict[str, bool], result: ScreenResult) -> None:
        from backcoach.services.review import rescreen

        if not result.is_clear:
            rescreen(ctx, answers)

    return keep


def setup_profile(ctx: Context, console: Console, profile_file: Path | None) -> Profile | None:
    if profile_file is not None:
        return load_profile_or_exit(profile_file)
    return ask_profile(console, on_screened=keep_warning_signs(ctx))


def setup_command(
    profile: Annotated[
        Path | None, typer.Option("--profile", help="Take the answers from a JSON file instead of asking.")
    ] = None,
) -> None:
    """Answer the questions (or give a profile file) and save your program. Run it again to change it."""
    from backcoach.services.programs import set_profile

    ctx = context()
    console = Console()
    answers = setup_profile(ctx, console, profile)
    if answers is None:
        return
    plan = set_profile(ctx, answers)
    print_plan(plan, console)
    if plan.exercises:
        console.print("\nSaved. Start a session with [bold]backcoach session[/bold].")
