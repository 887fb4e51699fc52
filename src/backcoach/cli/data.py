"""`backcoach export` and `backcoach import`: all your data as one JSON document."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backcoach.cli.common import context, fail


def export_command(
    output: Annotated[Path | None, typer.Argument(help="Write to this file (default: print it).")] = None,
) -> None:
    """Export everything (profile, programs, sessions, check-ins, scores) as JSON."""
    from backcoach.exports.transfer import export_document

    document = export_document(context().repo.sessions)
    if output is None:
        typer.echo(document, nl=False)
        return
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_text(document, encoding="utf-8")
    tmp.replace(output)  # a crash mid-write never leaves half a file under the real name
    typer.echo(f"Exported to {output}")


def import_command(source: Annotated[Path, typer.Argument(help="A file written by `backcoach export`.")]) -> None:
    """Import an export into an empty database. A damaged file changes nothing."""
    from backcoach.exports.transfer import TransferError, import_document

    try:
        document = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"{source}: cannot read the file ({error})")
    try:
        rows = import_document(context().repo.sessions, document)
    except TransferError as error:
        fail(f"{source}: {error}")
    typer.echo(f"Imported {rows} records from {source}")
