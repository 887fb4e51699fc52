"""`backcoach activities`: the Patient-Specific Functional Scale, up to three activities you
name and rate from 0 (cannot do) to 10 (as before the problem), re-rated each week."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from backcoach.cli.common import context, fail

MAX_ACTIVITIES = 3  # the PSFS asks for up to three activities
app = typer.Typer(
    help="Activities that your back makes hard, rated 0-10 (higher is easier).", invoke_without_command=True
)
Score = Annotated[int, typer.Argument(min=0, max=10, help="0 = cannot do it, 10 = as well as before.")]


@app.callback()
def list_activities(ctx: typer.Context) -> None:
    """List your activities and their latest scores."""
    if ctx.invoked_subcommand is not None:
        return
    app_ctx = context()
    person = app_ctx.person_id
    latest: dict[str, int] = {r.activity: r.score for r in app_ctx.repo.psfs_history(person)}
    activities = app_ctx.repo.psfs_activities(person)
    if not activities:
        typer.echo('No activities yet. Add one: backcoach activities add "Sitting at my desk" 4')
        return
    console = Console()
    for activity in activities:
        console.print(f"{activity.id}. {activity.name}: {latest.get(activity.name, '-')} / 10")


@app.command("add")
def add_activity(
    name: Annotated[str, typer.Argument(help='The activity, e.g. "Putting on socks".')], score: Score
) -> None:
    """Name an activity your back makes hard, and rate it now."""
    app_ctx = context()
    name = name.strip()
    if not name or len(name) > 200:
        fail("the activity needs a name of 1 to 200 characters")
    existing = app_ctx.repo.psfs_activities(app_ctx.person_id)
    if len(existing) >= MAX_ACTIVITIES:
        fail(f"you already have {MAX_ACTIVITIES} activities; the scale uses up to three")
    person = app_ctx.ensure_person()
    activity_id = app_ctx.repo.add_psfs_activity(person, name, app_ctx.now())
    app_ctx.repo.rate_psfs(activity_id, score, app_ctx.now())
    typer.echo(f"Added {name!r} at {score}/10.")


@app.command("rate")
def rate_activity(
    activity_id: Annotated[int, typer.Argument(help="The number shown by the list.")], score: Score
) -> None:
    """Rate one of your activities again (once a week is the idea)."""
    app_ctx = context()
    ids = {a.id: a.name for a in app_ctx.repo.psfs_activities(app_ctx.person_id)}
    if activity_id not in ids:
        fail(f"there is no activity number {activity_id}; run `backcoach activities` to see them")
    app_ctx.repo.rate_psfs(activity_id, score, app_ctx.now())
    typer.echo(f"{ids[activity_id]}: {score}/10 saved.")
