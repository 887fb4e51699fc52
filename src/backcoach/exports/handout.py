"""A printable handout of a program: what to do, how much, how often and why, with a sheet
to tick off the next two weeks of sessions.

Everything here is pure (data in, HTML out) except `write_pdf`, which hands the HTML to
WeasyPrint. WeasyPrint is imported inside that function because it takes a second to load,
and neither the command line nor the web app should pay for it until someone prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from backcoach.core.dose_text import describe_single_dose
from backcoach.core.exercise import Exercise, Position
from backcoach.core.figures.poses import BUILDERS, figure
from backcoach.core.figures.svg import pose_svg
from backcoach.core.lessons import Lesson, Style
from backcoach.core.pain_advice import DURING_EXERCISE
from backcoach.core.planner import PlannedExercise
from backcoach.core.timing import Dose

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcherResponse

PAPERS: dict[str, str] = {"a4": "A4", "letter": "letter"}  # the CSS @page size keywords
TICK_DAYS = 14  # two weeks: long enough to build a habit, short enough to fit one page

SAFETY_NOTE = (
    DURING_EXERCISE,  # the one statement about pain, the same as on screen (`core.pain_advice`)
    "Get emergency care at once if you notice numbness around your bottom or genitals, new trouble "
    "passing urine or controlling your bowels, or legs getting weaker. See a doctor soon if the pain "
    "is severe, new, or comes with fever, weight loss or feeling unwell.",
    "This sheet guides exercise. It does not diagnose.",
)

POSITION_WORDS = {
    Position.lying_on_back: "Lying on your back",
    Position.lying_on_front: "Lying on your front",
    Position.all_fours: "On hands and knees",
    Position.kneeling: "Kneeling",
    Position.sitting: "Sitting",
    Position.standing: "Standing",
    Position.moving: "On the move",
}


@dataclass(frozen=True)
class HandoutItem:
    number: int
    name: str
    figures: tuple[Markup, ...]
    start: tuple[str, ...]
    action: tuple[str, ...]
    cautions: tuple[str, ...]
    each_time: str
    how_often: str
    why: str


@dataclass(frozen=True)
class HandoutLesson:
    """A short lesson printed with the program: its title, and its paragraphs or numbered steps."""

    title: str
    parts: tuple[str, ...]
    numbered: bool
    warning_signs: bool


def handout_lesson(lesson: Lesson) -> HandoutLesson:
    return HandoutLesson(
        lesson.title, tuple(p.text for p in lesson.parts), lesson.style is Style.steps, lesson.warning_signs
    )


@dataclass(frozen=True)
class Handout:
    title: str
    made_on: date
    subtitle: str
    items: tuple[HandoutItem, ...]
    sessions_per_day: int
    days: tuple[date, ...]
    safety: tuple[str, ...] = SAFETY_NOTE
    lessons: tuple[HandoutLesson, ...] = ()  # the lessons that fit this program (`core.lessons.for_program`)
    clinic: str = ""  # the clinic that gave it, printed at the top (empty on one's own machine)


def exercise_figures(exercise: Exercise) -> tuple[Markup, ...]:
    """The start and end pictures of an exercise, drawn by `core.figures`, as inline SVG with its
    colours spelt out for WeasyPrint.
    An exercise without a drawn figure gets a neutral box naming its position."""
    if exercise.id in BUILDERS:
        drawn = figure(exercise.id)
        return tuple(Markup(pose_svg(drawn, i, px=150, for_print=True)) for i in drawn.ends())
    words = escape(POSITION_WORDS[exercise.position])
    return (
        Markup(
            '<svg class="placeholder" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 150" '
            'role="img" aria-label="{words}">'
            '<rect x="1" y="1" width="238" height="148" rx="14" fill="#eef2f7" stroke="#c9d3df" stroke-width="2"/>'
            '<text x="120" y="82" text-anchor="middle" font-size="17" fill="#4a5565">{words}</text>'
            "</svg>"
        ).format(words=words),
    )


def _times_a_day(count: int) -> str:
    return {1: "Once a day", 2: "Twice a day"}.get(count, f"{count} times a day")


def how_often(dose: Dose) -> str:
    """How often, in words. No number for times a day means once (as `session_steps.is_due` runs it)."""
    per_day = _times_a_day(dose.times_per_day or 1)
    week = dose.times_per_week
    if week is None or week >= 7:
        return f"{per_day}, every day"
    if week == 1:
        return "Once a week" if per_day == "Once a day" else f"{per_day}, on 1 day a week"
    return f"{per_day}, on {week} days a week"


def each_time(dose: Dose) -> str:
    """The dose of one go, without how often: that has its own line on the sheet."""
    words = describe_single_dose(replace(dose, times_per_day=None, times_per_week=None))
    return words[:1].upper() + words[1:]


def handout_item(number: int, planned: PlannedExercise) -> HandoutItem:
    exercise = planned.exercise
    return HandoutItem(
        number=number,
        name=exercise.name,
        figures=exercise_figures(exercise),
        start=tuple(exercise.start),
        action=tuple(exercise.action),
        cautions=tuple(exercise.cautions),
        each_time=each_time(planned.dose),
        how_often=how_often(planned.dose),
        why=planned.why,
    )


def build_handout(
    exercises: Sequence[PlannedExercise],
    sessions_per_day: int,
    today: date,
    subtitle: str = "",
    title: str = "Your back exercises",
    lessons: Sequence[Lesson] = (),
    clinic: str = "",
) -> Handout:
    return Handout(
        title=title,
        made_on=today,
        subtitle=subtitle,
        items=tuple(handout_item(n, p) for n, p in enumerate(exercises, start=1)),
        sessions_per_day=max(1, sessions_per_day),
        days=tuple(today + timedelta(days=i) for i in range(TICK_DAYS)),
        lessons=tuple(handout_lesson(lesson) for lesson in lessons),
        clinic=clinic,
    )


def _environment() -> Environment:
    # Autoescape everything: exercise text and subtitles are data, never markup.
    env = Environment(loader=PackageLoader("backcoach.exports", "templates"), autoescape=True)
    env.filters["long_date"] = lambda d: f"{d.day} {d:%B %Y}"
    env.filters["short_date"] = lambda d: f"{d:%a} {d.day} {d:%b}"
    return env


def handout_html(handout: Handout, paper: str = "a4") -> str:
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
    return _environment().get_template("handout.html").render(h=handout, page_size=PAPERS[paper])


class RefusedFetch(ValueError):
    """The handout asked for something outside itself; it is never fetched."""


def offline_fetcher(refused: list[str] | None = None) -> Any:
    """A WeasyPrint URL fetcher that only reads data: URIs, so printing never touches the
    network or the disk, whatever a profile or exercise text may contain. Refused URLs are
    added to `refused` so tests can see what was asked for."""
    from weasyprint.urls import URLFetcher

    class OfflineFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if not url.lower().startswith("data:"):
                if refused is not None:
                    refused.append(url)
                raise RefusedFetch(f"the handout does not load {url!r}")
            response: URLFetcherResponse = super().fetch(url, headers)
            return response

    return OfflineFetcher(allowed_protocols={"data"})


def write_pdf(html: str, refused: list[str] | None = None) -> bytes:
    import weasyprint

    # No base_url: relative links resolve to nothing, and the fetcher refuses the rest.
    document = weasyprint.HTML(string=html, url_fetcher=offline_fetcher(refused))
    pdf: bytes = document.write_pdf()
    return pdf


def handout_pdf(handout: Handout, paper: str = "a4") -> bytes:
    return write_pdf(handout_html(handout, paper))
