"""`backcoach activities`: the Patient-Specific Functional Scale, up to three activities you
name and rate from 0 (cannot do) to 10 (as before the problem), re-rated each week."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from backcoach.cli.common import scope
from backcoach.core.psfs import HIGHEST, LOWEST, SCALE_WORDS

if TYPE_CHECKING:
    from backcoach.services.activities import Activity

app = typer.Typer(
    help="Activities that your back makes hard, rated 0-10 (higher is easier).", invoke_without_command=True
)
Score = Annotated[int, typer.Argument(min=LOWEST, max=HIGHEST, help=SCALE_WORDS)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _print_json(activity: Activity) -> None:
    from backcoach.schemas.output import activity_out

    typer.echo(activity_out(activity).model_dump_json(indent=2))


@app.callback()
def list_activities(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List your activities and their latest scores."""
    from backcoach.schemas.output import activity_out
    from backcoach.services.activities import activities

    if ctx.invoked_subcommand is not None:
        return
    found = activities(scope())
    if as_json:
        typer.echo("[" + ",".join(activity_out(a).model_dump_json() for a in found) + "]")
        return
    if not found:
        typer.echo('No activities yet. Add one: backcoach activities add "Sitting at my desk" 4')
        return
    console = Console()
    for activity in found:
        latest = "-" if activity.latest is None else activity.latest
        console.print(f"{activity.id}. {escape(activity.name)}: {latest} / 10")


@app.command("add")
def add_activity(
    name: Annotated[str, typer.Argument(help='The activity, e.g. "Putting on socks".')],
    score: Score,
    as_json: JsonOption = False,
) -> None:
    """Name an activity your back makes hard, and rate it now."""
    from backcoach.services.activities import add_activity

    added = add_activity(scope(), name, score)
    if as_json:
        _print_json(added)
        return
    typer.echo(f"Added {added.name!r} at {score}/10.")


@app.command("rate")
def rate_activity(
    activity_id: Annotated[int, typer.Argument(help="The number shown by the list.")],
    score: Score,
    as_json: JsonOption = False,
) -> None:
    """Rate one of your activities again (once a week is the idea)."""
    from backcoach.services.activities import rate_activity

    rated = rate_activity(scope(), activity_id, score)
    if as_json:
        _print_json(rated)
        return
    typer.echo(f"{rated.name}: {score}/10 saved.")
    change = rated.change
    if change is not None and change.ratings > 1:
        typer.echo(f"{rated.name}: {change.words}")
