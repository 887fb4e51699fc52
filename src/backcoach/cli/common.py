"""Small helpers every command shares: opening the stored history, and failing clearly."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from backcoach.services.context import Context


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"backcoach: {message}", err=True)
    raise typer.Exit(code)


def context() -> Context:
    # Storage is imported here, not at the top: `backcoach --help` should not pay for it.
    from backcoach.services.context import open_context
    from backcoach.storage.database import DatabaseError

    try:
        return open_context()
    except DatabaseError as error:
        fail(str(error), 1)
