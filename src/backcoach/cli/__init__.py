"""The `backcoach` command."""

from __future__ import annotations

import sys

import typer

from backcoach.cli import (
    clearances,
    data,
    exercises,
    figures,
    handout,
    history,
    planning,
    psfs,
    reminders,
    serve,
    session,
    setup,
)
from backcoach.cli.common import ErrorsAsMessages, exit_code, message
from backcoach.core.errors import BackcoachError

app = typer.Typer(
    name="backcoach",
    cls=ErrorsAsMessages,
    help="Safe, explainable exercise coaching for back pain. It guides exercise; it does not diagnose.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(exercises.app, name="exercises")
app.command("screen")(planning.screen_command)
app.command("plan")(planning.plan_command)
app.command("serve")(serve.serve_command)
app.command("setup")(setup.setup_command)
app.command("session")(session.session_command)
app.command("log")(history.log_command)
app.command("program")(history.program_command)
app.command("review")(history.review_command)
app.command("rescreen")(setup.rescreen_command)
app.command("paused")(clearances.paused_command)
app.command("cleared")(clearances.cleared_command)
app.command("progress")(history.progress_command)
app.add_typer(psfs.app, name="activities")
app.command("export")(data.export_command)
app.command("import")(data.import_command)
app.command("backup")(data.backup_command)
app.command("figures")(figures.figures_command)
app.command("handout")(handout.handout_command)
app.add_typer(reminders.app, name="reminders")


def main() -> None:
    try:
        app()
    except BackcoachError as error:  # raised while the commands were being built (a broken catalogue)
        print(f"backcoach: {message(error)}", file=sys.stderr)
        sys.exit(exit_code(error))
