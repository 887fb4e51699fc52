"""`backcoach export` and `backcoach import`: all your data as one JSON document."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backcoach.cli.common import fail, scope


def export_command(
    output: Annotated[Path | None, typer.Argument(help="Write to this file (default: print it).")] = None,
) -> None:
    """Export everything (profile, programs, sessions, check-ins, scores) as JSON."""
    from backcoach.services.transfer import export_all

    document = export_all(scope())
    if output is None:
        typer.echo(document, nl=False)
        return
    try:
        if output.exists() and not output.is_file():  # a device or a pipe (/dev/stdout): never replace it
            output.write_text(document, encoding="utf-8")
        else:
            tmp = output.with_name(output.name + ".tmp")
            tmp.write_text(document, encoding="utf-8")
            tmp.replace(output)  # a crash mid-write never leaves half a file under the real name
    except OSError as error:
        fail(f"cannot write {output} ({error.strerror})", 1)
    typer.echo(f"Exported to {output}")


def import_command(source: Annotated[Path, typer.Argument(help="A file written by `backcoach export`.")]) -> None:
    """Import an export into an empty database. A damaged file changes nothing."""
    from backcoach.core.errors import TransferError
    from backcoach.schemas.json_text import decode_utf8
    from backcoach.services.transfer import import_all

    try:
        raw = source.read_bytes()
    except OSError as error:
        fail(f"{source}: cannot read the file ({error.strerror})")
    document = decode_utf8(raw, str(source))  # InvalidInput: one line, exit code 2
    try:
        rows = import_all(scope(), document)
    except TransferError as error:
        fail(f"{source}: {error}")
    typer.echo(f"Imported {rows} records from {source}")


def backup_command(
    output: Annotated[Path, typer.Argument(help="The backup file to write (a SQLite database).")],
) -> None:
    """Copy the whole database into one file, safely, even while the app is running."""
    from backcoach.services.transfer import backup

    if output.exists():
        fail(f"{output} already exists: choose a new name, so no earlier backup is lost")
    if not output.parent.is_dir():
        fail(f"cannot write {output} (no folder {output.parent})")
    try:
        backup(scope(), output)
    except OSError as error:
        fail(f"cannot write {output} ({error.strerror})", 1)
    typer.echo(f"Backed up to {output}. To use it: BACKCOACH_DATABASE_URL=sqlite:///{output.resolve()}")
