"""`backcoach learn`: the short lessons, with a mark on those you have read; `backcoach learn ID`
shows one and marks it read. The same use cases as the web's Learn page (`services/lessons.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from backcoach.cli.common import scope
from backcoach.core.lessons import Lesson, Style
from backcoach.core.sources import title_of

if TYPE_CHECKING:
    from backcoach.services.lessons import LessonView

READ_MARK = "✓"


def learn_command(
    lesson_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="The lesson to read (see the list).")] = None,
) -> None:
    """Short lessons about back pain: the list with read marks, or one lesson (which marks it read)."""
    from backcoach.services import lessons as use

    person = scope()
    console = Console()
    if lesson_id is None:
        print_list(use.lessons(person), console)
    else:
        print_lesson(use.read_lesson(person, lesson_id).lesson, console)


def print_list(views: list[LessonView], console: Console) -> None:
    table = Table(title="Lessons", title_justify="left")
    for column in ("Read", "ID", "Lesson"):
        table.add_column(column)
    for view in views:
        lesson = view.lesson
        about = Text(lesson.title, style="bold")
        about.append(f"\n{lesson.summary}", style="")
        table.add_row(READ_MARK if view.read else "", lesson.id, about)
    console.print(table)
    read = sum(1 for view in views if view.read)
    console.print(Text(f"You have read {read} of {len(views)}. Read one with: backcoach learn ID"))


def print_lesson(lesson: Lesson, console: Console) -> None:
    console.print(Text(lesson.title, style="bold underline"))
    console.print(Text(lesson.summary, style="italic"))
    console.print()
    for number, part in enumerate(lesson.parts, start=1):
        lead = f"{number}. " if lesson.style is Style.steps else ""
        console.print(Text(f"{lead}{part.text}"))
        console.print()
    if lesson.warning_signs:
        console.print(
            Text(
                "Not sure if it is a warning sign? Answer the warning-sign questions: backcoach rescreen",
                style="bold yellow",
            )
        )
    console.print(Text("Where this comes from: " + "; ".join(title_of(s) for s in lesson.sources) + ".", style="dim"))
