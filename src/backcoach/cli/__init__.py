"""The `backcoach` command.

Each command's module is imported only when that command runs (or its own --help is asked for),
so `backcoach --help` and the commands that need no database start at once: the list below
holds each command's name, where it lives, and its line of help (a test checks these lines
against the commands' own)."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer
from typer._click.core import Command, Context
from typer.core import TyperCommand

from backcoach.cli.common import ErrorsAsMessages, exit_code, message
from backcoach.core.errors import BackcoachError

# (name, module in backcoach.cli, the Typer app or command function there, its first paragraph of help),
# in the order `backcoach --help` lists them: the commands, then the groups of commands
COMMANDS: tuple[tuple[str, str, str, str], ...] = (
    (
        "screen",
        "planning",
        "screen_command",
        "The safety screen's warning-sign questions (the neck ones are asked when the neck is a region).",
    ),
    (
        "plan",
        "planning",
        "plan_command",
        "Make a program from a profile file.",
    ),
    (
        "serve",
        "serve",
        "serve_command",
        "Start the web app at http://127.0.0.1:8000 (open it in your browser).",
    ),
    (
        "setup",
        "setup",
        "setup_command",
        "Answer the questions (or give a profile file) and save your program. Run it again to change it.",
    ),
    (
        "session",
        "session",
        "session_command",
        "Do a session with a coach in the terminal: countdowns, counted reps, and a key to stop.",
    ),
    (
        "log",
        "history",
        "log_command",
        "Record a session you did without the coach (for example from a printed handout).",
    ),
    (
        "program",
        "history",
        "program_command",
        "Show your current program (or every version of it).",
    ),
    (
        "review",
        "history",
        "review_command",
        "Review the last week now: grow, hold or ease each exercise by explicit rules.",
    ),
    (
        "rescreen",
        "setup",
        "rescreen_command",
        "Answer the warning-sign questions again (asked for when your pain goes up).",
    ),
    (
        "paused",
        "clearances",
        "paused_command",
        "Show a warning sign still waiting for a professional's check, and exercises paused because they hurt.",
    ),
    (
        "cleared",
        "clearances",
        "cleared_command",
        "Record that a doctor or physiotherapist checked you: after a warning sign, or about a paused exercise.",
    ),
    (
        "progress",
        "history",
        "progress_command",
        "Your progress: sessions done each week, streaks, pain and activities over time.",
    ),
    (
        "learn",
        "lessons",
        "learn_command",
        "Short lessons about back pain: the list with read marks, or one lesson (which marks it read).",
    ),
    (
        "export",
        "data",
        "export_command",
        "Export everything (profile, programs, sessions, check-ins, scores) as JSON.",
    ),
    (
        "import",
        "data",
        "import_command",
        "Import an export into an empty database, or with --replace into one that has data. A damaged\n"
        "file changes nothing.",
    ),
    (
        "backup",
        "data",
        "backup_command",
        "Copy the whole database into one file, safely, even while the app is running.",
    ),
    (
        "figures",
        "figures",
        "figures_command",
        "Check the exercise figures, or write them all to a contact sheet for a person to review.",
    ),
    (
        "handout",
        "handout",
        "handout_command",
        "Make a printable handout (PDF) of your program: steps, doses, why, and a tick sheet.",
    ),
    (
        "exercises",
        "exercises",
        "app",
        "The exercise catalogue.",
    ),
    (
        "activities",
        "psfs",
        "app",
        "Activities that your back makes hard, rated 0-10 (higher is easier).",
    ),
    (
        "reminders",
        "reminders",
        "app",
        "Reminders at the times you choose, in your own calendar app.",
    ),
    (
        "clinic",
        "clinic",
        "app",
        "Set up a clinic: its first admin account (clinic mode, see README).",
    ),
)
BY_NAME = {name: (module, attribute, words) for name, module, attribute, words in COMMANDS}


def load_command(name: str) -> Command:
    """The command itself, its module imported now."""
    module, attribute, _ = BY_NAME[name]
    found = getattr(importlib.import_module(f"backcoach.cli.{module}"), attribute)
    if isinstance(found, typer.Typer):
        group = typer.main.get_group(found)
        group.name = name
        return group
    info = typer.models.CommandInfo(name=name, callback=found)
    return typer.main.get_command_from_info(info, pretty_exceptions_short=False, rich_markup_mode=app.rich_markup_mode)


class LazyCommands(ErrorsAsMessages):
    """The root group: lists every command from `COMMANDS`, and loads one only to run it or to
    show its own help."""

    listing = False

    def list_commands(self, ctx: Context) -> list[str]:
        return [name for name, *_ in COMMANDS]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name not in BY_NAME:
            return None
        if self.listing:  # a line in the root's help: the name and its help, nothing imported
            return TyperCommand(cmd_name, help=BY_NAME[cmd_name][2])
        self.commands[cmd_name] = load_command(cmd_name)
        return self.commands[cmd_name]

    def format_help(self, ctx: Context, formatter: Any) -> None:
        self.listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self.listing = False


app = typer.Typer(
    name="backcoach",
    cls=LazyCommands,
    help="Safe, explainable exercise coaching for back pain. It guides exercise; it does not diagnose.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # the help is plain text: rich's markdown parser would cost every start ~30 ms
)


@app.callback()
def root() -> None:
    pass  # the commands come from `COMMANDS`; a callback keeps the root a group with none registered


def main() -> None:
    try:
        app()
    except BackcoachError as error:  # raised while a command was being built (a broken catalogue)
        print(f"backcoach: {message(error)}", file=sys.stderr)
        sys.exit(exit_code(error))
