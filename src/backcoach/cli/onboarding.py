"""The questions `backcoach session` asks when it has no profile file: safety first, then the profile
(the neck warning signs right after the regions, when the neck is one of them).

Each prompt asks again until the answer makes sense, so bad input never reaches the planner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from rich.console import Console
from rich.panel import Panel
from rich.prompt import Confirm, IntPrompt, Prompt

from backcoach.core.exercise import Condition, Region
from backcoach.core.planner import REGION_WORDS
from backcoach.core.profile import MAX_MINUTES, MAX_SESSIONS_PER_DAY, MIN_MINUTES, Goal, Profile
from backcoach.core.screening import (
    BEFORE_YOU_START,
    NECK_QUESTIONS,
    QUESTIONS,
    UNSURE,
    Answer,
    Question,
    ScreenResult,
    screen,
)

YES = ("y", "yes")
NO = ("n", "no")
NOT_SURE = ("?", "not sure", "unsure", "ns", "dont know", "don't know")
CONDITIONS = (
    (Condition.osteoporosis, "Thin bones (osteoporosis) that a doctor has found"),
    (Condition.hip_replacement, "A hip replacement"),
    (Condition.pregnancy, "Being pregnant"),
)
GOALS = (
    (Goal.relief, "Ease the pain I have now"),
    (Goal.prevention, "Have fewer flare-ups in future"),
)


def ask_profile(
    console: Console,
    stream: TextIO | None = None,
    on_screened: Callable[[dict[str, Answer], ScreenResult], None] | None = None,
) -> Profile | None:
    """A profile from questions, or None if the person stops or a warning sign means no exercise.

    `on_screened` receives the warning-sign answers as soon as they are given, clear or not (a
    second time with the neck questions added, when the neck is chosen), so a caller can keep them."""
    console.print(Panel(BEFORE_YOU_START, title="Before you start", border_style="yellow"))
    if not Confirm.ask("Have you read this, and do you want to go on?", console=console, stream=stream):
        console.print("That is fine. Come back when you are ready.")
        return None
    answers = ask_warning_signs(console, stream)
    if not _screened(console, answers, None, on_screened):
        return None
    console.print("\nNow a few questions about your back and your day.")
    regions = ask_regions(console, stream)
    if Region.neck in regions:
        console.print("\nYou picked your neck, so a few questions about it first.")
        answers = {**answers, **ask_warning_signs(console, stream, NECK_QUESTIONS, intro=False)}
        if not _screened(console, answers, True, on_screened):
            return None
    return Profile(
        red_flags=answers,
        regions=regions,
        conditions=ask_conditions(console, stream),
        pain_now=ask_number(console, "How much does it hurt now, from 0 (no pain) to 10 (worst)?", 0, 10, stream),
        can_floor=Confirm.ask("Can you get down to the floor and up again?", console=console, stream=stream),
        can_kneel=Confirm.ask("Can you kneel on your hands and knees?", console=console, stream=stream),
        can_lie_on_front=Confirm.ask("Can you lie on your front?", console=console, stream=stream),
        can_stand_unsupported=Confirm.ask(
            "Can you stand steady without holding on to anything?", console=console, stream=stream
        ),
        minutes_per_session=ask_number(
            console, "How many minutes can you give each session?", MIN_MINUTES, MAX_MINUTES, stream
        ),
        sessions_per_day=ask_number(console, "How many sessions a day?", 1, MAX_SESSIONS_PER_DAY, stream),
        goal=ask_goal(console, stream),
    )


def _screened(
    console: Console,
    answers: dict[str, Answer],
    neck: bool | None,
    on_screened: Callable[[dict[str, Answer], ScreenResult], None] | None,
) -> bool:
    """Screen the answers so far; print the result and say False if it is not clear."""
    result = screen(answers, neck)
    if on_screened is not None:
        on_screened(answers, result)
    if not result.is_clear:
        console.print()
        console.print(result.message)
    return result.is_clear


def ask_warning_signs(
    console: Console,
    stream: TextIO | None = None,
    questions: tuple[Question, ...] = QUESTIONS,
    intro: bool = True,
) -> dict[str, Answer]:
    if intro:
        console.print("\nFirst, some questions about warning signs.")
    console.print("Answer y for yes, n for no, or ? if you are not sure.")
    return {
        q.id: ask_answer(console, f"{number}/{len(questions)}. {q.text}", stream)
        for number, q in enumerate(questions, start=1)
    }


def ask_answer(console: Console, question: str, stream: TextIO | None = None) -> Answer:
    """Yes, no or not sure; asked again until it is one of them."""
    while True:
        typed = Prompt.ask(f"{question} [dim](y/n/?)[/dim]", console=console, stream=stream)
        answer = parse_answer(typed)
        if answer is not None:
            return answer
        console.print("[red]Please type y for yes, n for no, or ? if you are not sure.[/red]")


def parse_answer(typed: str) -> Answer | None:
    words = typed.strip().lower()
    if words in YES:
        return True
    if words in NO:
        return False
    if words in NOT_SURE:
        return UNSURE
    return None


def ask_conditions(console: Console, stream: TextIO | None = None) -> list[Condition]:
    console.print("Do any of these apply to you? They change some exercises.")
    for number, (_, words) in enumerate(CONDITIONS, start=1):
        console.print(f"  {number}. {words}")
    console.print("  0. None of these")
    while True:
        answer = Prompt.ask("Type the numbers, like 1 or 1,3, or 0 for none", console=console, stream=stream)
        if answer.strip() == "0":
            return []
        picked = parse_picks(answer, len(CONDITIONS))
        if picked:
            return [CONDITIONS[n - 1][0] for n in picked]
        console.print(f"[red]Please type numbers from 1 to {len(CONDITIONS)}, or 0 for none of these.[/red]")


def ask_number(console: Console, question: str, low: int, high: int, stream: TextIO | None = None) -> int:
    while True:
        value = IntPrompt.ask(f"{question} [dim]({low}-{high})[/dim]", console=console, stream=stream)
        if low <= value <= high:
            return value
        console.print(f"[red]Please type a number from {low} to {high}.[/red]")


def ask_regions(console: Console, stream: TextIO | None = None) -> list[Region]:
    regions = list(Region)
    console.print("Where does it hurt? Pick one or more.")
    for number, region in enumerate(regions, start=1):
        console.print(f"  {number}. {REGION_WORDS[region]}")
    while True:
        answer = Prompt.ask("Type the numbers, like 4 or 3,4", console=console, stream=stream)
        picked = parse_picks(answer, len(regions))
        if picked:
            return [regions[n - 1] for n in picked]
        console.print(f"[red]Please type numbers from 1 to {len(regions)}, with commas between them.[/red]")


def parse_picks(answer: str, count: int) -> list[int]:
    """The numbers in `1, 3 4`, or an empty list if anything in it is not a number from 1 to count."""
    parts = answer.replace(",", " ").split()
    if not parts or not all(p.isascii() and p.isdigit() and 1 <= int(p) <= count for p in parts):
        return []
    return list(dict.fromkeys(int(p) for p in parts))


def ask_goal(console: Console, stream: TextIO | None = None) -> Goal:
    console.print("What is your main goal?")
    for number, (_, words) in enumerate(GOALS, start=1):
        console.print(f"  {number}. {words}")
    choice = Prompt.ask("Type 1 or 2", choices=["1", "2"], console=console, stream=stream)
    return GOALS[int(choice) - 1][0]
