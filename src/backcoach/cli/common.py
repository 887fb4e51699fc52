"""Small helpers every command shares: opening the stored history, and failing clearly."""

from __future__ import annotations

from typing import NoReturn

import typer

from backcoach.services.context import Context, open_context
from backcoach.storage.database import DatabaseError


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"backcoach: {message}", err=True)
    raise typer.Exit(code)


def context() -> Context:
    try:
        return open_context()
    except DatabaseError as error:
        fail(str(error), 1)
