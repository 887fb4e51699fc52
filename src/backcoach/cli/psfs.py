"""`backcoach activities`: the Patient-Specific Functional Scale, up to three activities you
name and rate from 0 (cannot do) to 10 (as before the problem), re-rated each week."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from backcoach.cli.common import scope

app = typer.Typer(
    help="Activities that your back makes hard, rated 0-10 (higher is easier).", invoke_without_command=True
)
Score = Annotated[int, typer.Argument(min=0, max=10, help="0 = cannot do it, 10 = as well as before.")]


@app.callback()
def list_activities(ctx: typer.Context) -> None:
    """List your activities and their latest scores."""
    from backcoach.services.activities import activities

    if ctx.invoked_subcommand is not None:
        return
    found = activities(scope())
    if not found:
        typer.echo('No activities yet. Add one: backcoach activities add "Sitting at my desk" 4')
        return
    console = Console()
    for activity in found:
        latest = "-" if activity.latest is None else activity.latest
        console.print(f"{activity.id}. {escape(activity.name)}: {latest} / 10")


@app.command("add")
def add_activity(
    name: Annotated[str, typer.Argument(help='The activity, e.g. "Putting on socks".')], score: Score
) -> None:
    """Name an activity your back makes hard, and rate it now."""
    from backcoach.services.activities import add_activity

    added = add_activity(scope(), name, score)
    typer.echo(f"Added {added.name!r} at {score}/10.")


@app.command("rate")
def rate_activity(
    activity_id: Annotated[int, typer.Argument(help="The number shown by the list.")], score: Score
) -> None:
    """Rate one of your activities again (once a week is the idea)."""
    from backcoach.services.activities import rate_activity

    rated = rate_activity(scope(), activity_id, score)
    typer.echo(f"{rated.name}: {score}/10 saved.")
