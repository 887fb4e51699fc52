"""`backcoach handout`: a printable PDF of your program, with a sheet to tick off sessions.

WeasyPrint and storage are imported inside the command, so `backcoach --help` starts at once.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from backcoach.cli.common import fail, scope


class PaperSize(StrEnum):
    a4 = "a4"
    letter = "letter"


def handout_command(
    profile: Annotated[
        Path | None,
        typer.Option("--profile", help="Print the program planned from this profile file; nothing is saved."),
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the PDF.")] = Path(
        "backcoach-handout.pdf"
    ),
    paper: Annotated[PaperSize, typer.Option("--paper", help="Paper size.")] = PaperSize.a4,
) -> None:
    """Make a printable handout (PDF) of your program: steps, doses, why, and a tick sheet."""
    from backcoach.core.errors import NotNow
    from backcoach.exports.handout import Handout, handout_pdf
    from backcoach.services.handouts import profile_handout, program_handout

    handout: Handout
    try:
        if profile is not None:
            from backcoach.catalogue.loader import load_catalogue
            from backcoach.cli.planning import load_profile_or_exit

            person = load_profile_or_exit(profile)
            handout = profile_handout(person, load_catalogue(), date.today(), profile.name)
        else:
            handout = program_handout(scope())
    except NotNow as error:
        fail(f"no handout: {error}", 1)
    pdf = handout_pdf(handout, paper.value)
    try:
        output.write_bytes(pdf)
    except OSError as error:
        fail(f"cannot write {output} ({error.strerror})", 1)
    typer.echo(f"Handout written to {output} ({len(handout.items)} exercises, {paper.value} paper).")
