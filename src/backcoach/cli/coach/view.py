"""What the terminal coach draws: pure functions from a step and its time to Rich renderables.

Everything here is meant to be read from a mat on the floor: big figures, one cue, and the
keys always on screen. Nothing here reads keys or time; the coach passes them in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.align import Align
from rich.console import Group, RenderableType
from rich.layout import Layout
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from backcoach.core.lessons import Offer, OfferReason
from backcoach.core.session_steps import Step, StepKind

# A 3x5 pixel font: the countdown must be readable at arm's length.
_FONT = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", "###", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", "..#", "..#"),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
}

KIND_STYLE = {
    StepKind.position: "white",
    StepKind.hold: "green",
    StepKind.relax: "cyan",
    StepKind.reps: "yellow",
    StepKind.switch_side: "magenta",
    StepKind.rest: "blue",
}

HURTS_STYLE = "bold white on red"


def big_number(value: int, style: str = "bold") -> Align:
    # Two cells per pixel, because a terminal cell is about twice as tall as it is wide.
    rows = ["  ".join("".join("██" if p == "#" else "  " for p in _FONT[d][r]) for d in str(value)) for r in range(5)]
    # Centre the block as a whole: centring line by line would shift rows with trailing blanks.
    return Align.center(Text("\n".join(rows), style=style, no_wrap=True))


def clock_words(seconds: float) -> str:
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def key_line(width: int = 80) -> Text:
    if width < 76:  # a narrow window: keep every key on one line rather than lose one
        return Text.assemble(
            (" Enter ", "bold reverse"), " on ", (" s ", "bold reverse"), " skip ", (" p ", "bold reverse"), " pause ",
            (" h HURTS ", HURTS_STYLE), " ", (" q ", "bold reverse"), " end",
        )  # fmt: skip
    return Text.assemble(
        (" Enter ", "bold reverse"), "/", (" space ", "bold reverse"), " go on  ",
        (" s ", "bold reverse"), " skip  ", (" p ", "bold reverse"), " pause  ",
        (" h  THIS HURTS (stop) ", HURTS_STYLE), "  ",
        (" q ", "bold reverse"), " end session",
    )  # fmt: skip


@dataclass(frozen=True)
class Place:
    """Where the person is in the session, for the header and the progress bar."""

    exercise_number: int
    exercise_count: int
    done_seconds: float
    total_seconds: float
    coming_up: bool = False  # a rest before this exercise, not part of it


def step_facts(step: Step) -> list[str]:
    facts = []
    if step.side and step.kind is not StepKind.switch_side:
        facts.append(f"{step.side.capitalize()} side")
    if step.kind in {StepKind.hold, StepKind.relax} and step.rep is not None and step.reps:
        facts.append(f"Hold {step.rep} of {step.reps}")
    if step.sets > 1 and step.kind is not StepKind.position:
        facts.append(f"Set {step.set_number} of {step.sets}")
    return facts


def header(step: Step, place: Place, note: str | None = None) -> Table:
    grid = Table.grid(expand=True, padding=(0, 1))
    grid.add_column(ratio=1)
    grid.add_column(justify="right")
    title = f"Coming up: {step.exercise_name}" if place.coming_up else step.exercise_name
    grid.add_row(Text(title, style="bold"), Text(f"Exercise {place.exercise_number} of {place.exercise_count}"))
    facts = Text(" · ".join(step_facts(step)), style="bold cyan")
    if note:
        facts.append(("   " if facts else "") + note, style="bold yellow")
    grid.add_row(facts, "")
    return grid


def rep_now(step: Step, elapsed: float) -> int:
    reps, pace = step.reps or 1, step.rep_seconds or 1
    return min(reps, int(elapsed // pace) + 1)


def breath_now(step: Step, elapsed: float) -> int:
    breaths = step.breaths or 1
    return min(breaths, int(elapsed // (step.seconds / breaths)) + 1)


def _position_body(step: Step, start_lines: int) -> RenderableType:
    details = Table.grid(padding=(0, 1))
    details.add_column(justify="right", style="bold")
    details.add_column()
    for number, line in enumerate(step.details, start=1):
        if number == 1 and start_lines:
            details.add_row("", Text("Start position", style="bold underline"))
        if number == start_lines + 1:
            details.add_row("", Text("The movement", style="bold underline"))
        details.add_row(f"{number}.", Text(line))
    return Group(Text(step.cue, style="bold", justify="center"), Text(""), Align.center(details))


def _timed_body(step: Step, elapsed: float) -> RenderableType:
    left = max(0, math.ceil(step.seconds - elapsed))
    parts: list[RenderableType] = [Text(step.cue, style="bold", justify="center"), Text("")]
    parts.append(big_number(left, style=f"bold {KIND_STYLE[step.kind]}"))
    parts.append(Text("seconds left", justify="center"))
    if step.kind is StepKind.hold and step.breaths:
        count = f"{step.breaths} slow breaths" if step.breaths > 1 else "1 deep breath"
        parts.append(Text(f"{count}: breath {breath_now(step, elapsed)} of {step.breaths}", justify="center"))
    return Group(*parts)


def _reps_body(step: Step, elapsed: float) -> RenderableType:
    rep = rep_now(step, elapsed)
    left = max(0, math.ceil(step.seconds - elapsed))
    return Group(
        Text(step.cue, style="bold", justify="center"),
        Text(""),
        big_number(rep, style=f"bold {KIND_STYLE[step.kind]}"),
        Text(f"Rep {rep} of {step.reps}", style="bold", justify="center"),
        Text(f"One every {step.rep_seconds} seconds. Press Enter when you have done them all.", justify="center"),
        Text(f"{clock_words(left)} left in this set", style="dim", justify="center"),
    )


def step_body(step: Step, elapsed: float, start_lines: int = 0) -> Panel:
    """`start_lines`: how many of a position step's details describe the start position."""
    if step.kind is StepKind.position:
        inner = _position_body(step, start_lines)
    elif step.kind is StepKind.reps:
        inner = _reps_body(step, elapsed)
    else:
        inner = _timed_body(step, elapsed)
    title = step.kind.value.replace("_", " ").upper()
    # On the border, so a long list of details in a small window cannot push it out of sight.
    waiting = Text(" Press Enter when you are in position. ", style="bold reverse")
    subtitle = waiting if step.kind is StepKind.position else None
    return Panel(
        Align.center(inner, vertical="middle"), title=title, subtitle=subtitle, border_style=KIND_STYLE[step.kind]
    )


ANSWER_KEYS = Text(" Press the key of your answer. ", style="bold reverse")


def footer(place: Place, width: int = 80, answering: bool = False) -> Group:
    """The progress bar and the keys; while a question is open, only its keys count."""
    bar = Table.grid(expand=True, padding=(0, 1))
    bar.add_column(ratio=1)
    bar.add_column(justify="right")
    left = clock_words(place.total_seconds - place.done_seconds)
    bar.add_row(ProgressBar(total=max(1.0, place.total_seconds), completed=place.done_seconds), f"about {left} left")
    return Group(bar, ANSWER_KEYS if answering else key_line(width))


@dataclass(frozen=True)
class Dialog:
    """A question on screen. Options are (key, label); `typed` is a number being typed."""

    title: str
    prompt: str
    options: Sequence[tuple[str, str]] = ()
    typed: str | None = None
    problem: str | None = None
    style: str = "yellow"
    banner: RenderableType | None = None  # shown above the question, e.g. why the session stopped
    hints: tuple[str, ...] = field(default=())


def dialog_body(dialog: Dialog) -> RenderableType:
    parts: list[RenderableType] = []
    if dialog.banner is not None:
        parts.append(dialog.banner)
    parts.append(Text(dialog.prompt, style="bold"))
    for key, label in dialog.options:
        parts.append(Text.assemble("  ", (f" {key} ", "bold reverse"), f"  {label}"))
    if dialog.typed is not None:
        parts.append(Text.assemble("\n  Your answer: ", (f"{dialog.typed}_", "bold")))
    parts.extend(Text(hint, style="dim") for hint in dialog.hints)
    if dialog.problem:
        parts.append(Text(dialog.problem, style="bold red"))
    return Panel(Group(*parts), title=dialog.title, border_style=dialog.style, padding=(1, 2))


def screen(top: RenderableType, body: RenderableType, bottom: RenderableType) -> Layout:
    layout = Layout()
    layout.split_column(Layout(top, size=2), Layout(body, ratio=1), Layout(bottom, size=2))
    return layout


def pain_panel(message: str) -> Panel:
    return Panel(Text(message, style="bold"), title="Stop here", border_style="bold red", style="red")


def lesson_offer_panel(offer: Offer) -> Panel:
    """A short lesson offered as a session ends, in the words the web player uses for it."""
    lesson = offer.lesson
    body = Text(offer.words)
    body.append(f"\nRead: {lesson.title}", style="bold")
    body.append(f"\n{lesson.summary}")
    body.append(f"\nbackcoach learn {lesson.id}", style="dim")
    style = "yellow" if offer.reason is OfferReason.flare else "blue"
    return Panel(body, title="A short read", title_align="left", border_style=style, expand=False)
