"""`backcoach clinic`: set up a clinic on its server (the first admin signs in on the web and adds
everyone else there)."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(help="Set up a clinic: its first admin account (clinic mode, see README).", no_args_is_help=True)


@app.command("create")
def create_command(
    name: Annotated[str, typer.Option("--name", help="The clinic's name, as its staff and patients see it.")],
    email: Annotated[str, typer.Option("--email", help="The first admin's email address (they sign in with it).")],
    admin_name: Annotated[str, typer.Option("--admin-name", help="The first admin's own name.")],
    password: Annotated[
        str,
        typer.Option(
            "--password",
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="The admin's password (asked for, hidden, when not given).",
        ),
    ],
) -> None:
    """Create a clinic and its first admin. The admin sets up their authenticator code at first sign-in."""
    from backcoach.cli.serve import check_clinic
    from backcoach.services.clinic import create_clinic
    from backcoach.services.context import open_app
    from backcoach.settings import get_settings

    settings = get_settings()
    check_clinic(settings.resolved_database_url(), settings.clinic_demo)
    admin = create_clinic(open_app(settings), name, email, admin_name, password)
    typer.echo(f"Created the clinic {name!r} and its admin {admin.email}.")
    typer.echo("Start it with `backcoach serve --clinic`, then sign in at /sign-in.")
