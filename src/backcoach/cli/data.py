"""`backcoach export` and `backcoach import`: all your data as one JSON document."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backcoach.cli.common import fail, scope


def export_command(
    output: Annotated[Path | None, typer.Argument(help="Write to this file (default: print it).")] = None,
    fhir: Annotated[
        Path | None,
        typer.Option(
            "--fhir",
            help="Instead: write your record as a FHIR bundle (the format health record systems read) to this file.",
        ),
    ] = None,
) -> None:
    """Export everything (profile, programs, sessions, check-ins, scores) as JSON.

    With --fhir FILE: your record as a FHIR R4B bundle, for a clinic or a doctor."""
    if fhir is not None:
        if output is not None:
            fail("give either a FILE or --fhir FILE, not both")
        from backcoach.services.fhir import fhir_bundle_mine

        _write(fhir, fhir_bundle_mine(scope()))
        return
    from backcoach.services.transfer import export_all

    document = export_all(scope())
    if output is None:
        typer.echo(document, nl=False)
        return
    _write(output, document)


def _write(output: Path, document: str) -> None:
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


def import_command(
    source: Annotated[Path, typer.Argument(help="A file written by `backcoach export`.")],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Replace everything already here (to repair a damaged install). A backup is made first.",
        ),
    ] = False,
    backup_folder: Annotated[
        Path | None,
        typer.Option(help="With --replace: where to write the backup (default: beside the database)."),
    ] = None,
) -> None:
    """Import an export into an empty database, or with --replace into one that has data. A damaged
    file changes nothing."""
    from backcoach.core.errors import NotEmpty, TransferError
    from backcoach.schemas.json_text import MAX_IMPORT_BYTES, decode_utf8, read_regular_file
    from backcoach.services.transfer import import_all, replace_all

    # InvalidInput (not a file, too large, not UTF-8): one line, exit code 2
    document = decode_utf8(read_regular_file(source, MAX_IMPORT_BYTES), str(source))
    if backup_folder is not None and not replace:
        fail("--backup-folder goes with --replace")
    if backup_folder is not None and not backup_folder.is_dir():
        fail(f"no folder {backup_folder} for the backup")
    try:
        if not replace:
            rows = import_all(scope(), document)
        else:
            done = replace_all(scope(), document, backup_folder)
            if done.backup is not None:
                typer.echo(f"Backed up what was here to {done.backup}")
            rows = done.rows
    except NotEmpty as error:
        fail(f"{source}: {error}. To replace everything here (after a backup), add --replace.")
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
