"""What every command shares: the local scope, and one mapping of errors to messages.

Every `BackcoachError` a use case raises reaches the person as one line, `backcoach: ...`, with
exit code 2 for input that cannot be used and 1 for everything else (nothing there yet, a
paused program, a database that cannot be opened). `ErrorsAsMessages` does this once for
every command, so no command catches errors of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

import typer
from typer._click.core import Context as ClickContext  # typer ships its own click
from typer.core import TyperGroup

from backcoach.core.errors import BackcoachError, InvalidInput, NoProgram, NotFound, ProgramPaused, RescreenNeeded

if TYPE_CHECKING:
    from backcoach.services.context import Scope

INPUT_ERROR = 2
STATE_ERROR = 1


def fail(message: str, code: int = INPUT_ERROR) -> NoReturn:
    typer.echo(f"backcoach: {message}", err=True)
    raise typer.Exit(code)


# What to do next, in this face's words: the web says the same with a link.
NEXT_STEP: tuple[tuple[type[BackcoachError], str], ...] = (
    (NoProgram, "Run `backcoach setup` first."),
    (RescreenNeeded, "Run `backcoach rescreen`."),
    (
        ProgramPaused,
        'If a doctor or physiotherapist has checked you: backcoach cleared --by "WHO" (see `backcoach paused`).',
    ),
)


def exit_code(error: BackcoachError) -> int:
    """2 for what was typed (a wrong value, a number that names nothing), 1 for the state of things."""
    return INPUT_ERROR if isinstance(error, InvalidInput | NotFound) else STATE_ERROR


def message(error: BackcoachError) -> str:
    hint = next((words for kind, words in NEXT_STEP if isinstance(error, kind)), None)
    return f"{error} {hint}" if hint else str(error)


class ErrorsAsMessages(TyperGroup):
    """The root command group: a BackcoachError from any command becomes one clear line."""

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except BackcoachError as error:
            fail(message(error), exit_code(error))


def scope() -> Scope:
    """The person on this machine, acting on their own record. The database opens here, once
    per command; storage is imported here, not at the top, so `backcoach --help` starts at once."""
    from backcoach.services.context import local_scope, open_app

    return local_scope(open_app())
