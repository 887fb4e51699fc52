"""`backcoach setup` and `backcoach rescreen`: the safety screen and profile, and the warning-sign
questions asked again after pain rose."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from backcoach.cli.common import fail, scope
from backcoach.cli.onboarding import ask_profile, ask_warning_signs
from backcoach.cli.planning import load_profile_or_exit, print_plan
from backcoach.core.exercise import Region
from backcoach.core.profile import Profile
from backcoach.core.screening import NECK_QUESTIONS, UNSURE, Answer

if TYPE_CHECKING:
    from backcoach.services.context import Scope

CLEARED_HINT = '\nWhen a doctor or physiotherapist has checked you: backcoach cleared --by "WHO" --on YYYY-MM-DD'


def setup_profile(person: Scope, console: Console, profile_file: Path | None) -> Profile | None:
    """The profile from a file, or asked here (with a warning sign there is no profile)."""
    from backcoach.services.screening import first_screen

    if profile_file is not None:
        return load_profile_or_exit(profile_file)

    def keep(answers: dict[str, Answer], _: object) -> None:
        first_screen(person, answers)

    return ask_profile(console, on_screened=keep)


def setup_command(
    profile: Annotated[
        Path | None, typer.Option("--profile", help="Take the answers from a JSON file instead of asking.")
    ] = None,
) -> None:
    """Answer the questions (or give a profile file) and save your program. Run it again to change it."""
    from backcoach.services.programs import set_profile

    person = scope()
    console = Console()
    answers = setup_profile(person, console, profile)
    if answers is None:  # a warning sign at the first questions: no profile, no program
        console.print(CLEARED_HINT)
        return
    plan = set_profile(person, answers)
    print_plan(plan, console)
    if plan.status.value != "ok":
        console.print(CLEARED_HINT)
    if plan.exercises:
        console.print("\nSaved. Start a session with [bold]backcoach session[/bold].")


def read_answers(path: Path) -> dict[str, Answer]:
    from backcoach.schemas.json_text import read_json_file

    data = read_json_file(path)  # InvalidInput: one line, exit code 2
    if isinstance(data, dict) and isinstance(data.get("red_flags"), dict):
        data = data["red_flags"]  # a whole profile file holds the answers under red_flags
    if not isinstance(data, dict) or not all(isinstance(v, bool) or v == UNSURE for v in data.values()):
        fail(f'{path}: expected a JSON object mapping each question id to true, false or "unsure"')
    return data


def ask_again(person: Scope, console: Console, answers_file: Path | None = None, as_json: bool = False) -> None:
    """Ask the warning signs again; any sign pauses the program. A review that came due runs."""
    from backcoach.cli.history import print_review
    from backcoach.schemas.output import screen_out
    from backcoach.services.screening import rescreen

    if answers_file is None:
        from backcoach.services.review import rescreen_due

        why = "Your pain went up. " if rescreen_due(person) else ""
        console.print(f"\n{why}Please answer the warning-sign questions again.")
    answers = read_answers(answers_file) if answers_file is not None else _ask_all(person, console)
    done = rescreen(person, answers)
    if as_json:
        typer.echo(screen_out(done.result, done.review).model_dump_json(indent=2))
        return
    console.print(escape(done.result.message))
    if not done.result.is_clear:
        console.print(CLEARED_HINT)
    if done.review is not None:
        print_review(done.review, console)


def _ask_all(person: Scope, console: Console) -> dict[str, Answer]:
    """The warning signs, and the neck ones too when the person's profile has the neck."""
    from backcoach.services.programs import latest_profile

    answers = ask_warning_signs(console)
    profile = latest_profile(person)
    if profile is not None and Region.neck in profile.regions:
        console.print("\nAnd about your neck:")
        answers |= ask_warning_signs(console, questions=NECK_QUESTIONS, intro=False)
    return answers


def rescreen_command(
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help='A JSON file mapping each question id to true, false or "unsure", instead of asking '
            "(the neck questions too if your regions include the neck).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON for scripts.")] = False,
) -> None:
    """Answer the warning-sign questions again (asked for when your pain goes up)."""
    ask_again(scope(), Console(), answers, as_json)
