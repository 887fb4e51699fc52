"""Short lessons about back pain, in plain words, and which one to offer when.

A lesson is one content file (`backcoach/catalogue/lessons/*.yaml`, read by
`backcoach.catalogue.lessons`): a title, 3 to 6 short paragraphs or steps, an optional figure
(an exercise of the catalogue) and, for every paragraph, the sources it rests on (a seed or a
named guideline of `core.sources`). `build_lessons` checks them all; `choose_offer` is the one
rule for offering a lesson after a session, the same for every face.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from backcoach.core.catalogue import CatalogueError
from backcoach.core.exercise import Exercise, Kind
from backcoach.core.sources import ALL_SOURCES, SEED_FILE_NAME

FLARE_UP = "flare-up"  # the flare-up plan: offered whenever pain rises or a pain stop happens
MIN_PARTS, MAX_PARTS = 3, 6
MAX_PART_WORDS = 60  # short paragraphs: a phone screen each


class Style(StrEnum):
    paragraphs = "paragraphs"
    steps = "steps"  # numbered, one action each


class OnHandout(StrEnum):
    """When a lesson is printed with a program's handout."""

    always = "always"
    stretching = "stretching"  # the program stretches or mobilises
    strengthening = "strengthening"  # the program strengthens
    activity = "activity"  # the program has walking, cycling or swimming
    never = "never"


class LessonPart(BaseModel):
    """One paragraph or step, and the sources of what it says."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=10)
    sources: tuple[str, ...] = Field(min_length=1)

    @field_validator("sources")
    @classmethod
    def _sources_are_known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [s for s in value if s not in ALL_SOURCES]
        if unknown:
            raise ValueError(f"{unknown[0]!r} is not a known source (see core/sources.py)")
        return value

    @field_validator("text")
    @classmethod
    def _plain_and_short(cls, value: str) -> str:
        if SEED_FILE_NAME.search(value):
            raise ValueError("names a seed file: people read a source by its title, never its file name")
        if len(value.split()) > MAX_PART_WORDS:
            raise ValueError(f"has more than {MAX_PART_WORDS} words: split it or say it shorter")
        return " ".join(value.split())


class Lesson(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9-]{1,40}$")
    title: str = Field(min_length=3, max_length=80)
    summary: str = Field(min_length=10, max_length=160)  # one line, for lists and offers
    order: int = Field(ge=1, le=99)  # the order lessons are offered in, one a day
    style: Style = Style.paragraphs
    parts: tuple[LessonPart, ...] = Field(min_length=MIN_PARTS, max_length=MAX_PARTS)
    figure: str | None = None  # an exercise id: its picture is shown with the lesson
    handout: OnHandout = OnHandout.never
    warning_signs: bool = False  # shows the way to the warning-sign questions

    @property
    def sources(self) -> list[str]:
        """Every source the lesson names, in the order first named."""
        return list(dict.fromkeys(s for part in self.parts for s in part.sources))

    @property
    def texts(self) -> list[str]:
        return [self.title, self.summary, *(p.text for p in self.parts)]


@dataclass(frozen=True)
class Lessons:
    lessons: tuple[Lesson, ...]  # in their order

    def __iter__(self) -> Iterator[Lesson]:
        return iter(self.lessons)

    def __len__(self) -> int:
        return len(self.lessons)

    def ids(self) -> list[str]:
        return [lesson.id for lesson in self.lessons]

    def get(self, lesson_id: str) -> Lesson:
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        raise KeyError(lesson_id)

    @property
    def flare_up(self) -> Lesson:
        return self.get(FLARE_UP)


def _problem(file: str, error: ValidationError) -> CatalogueError:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    problem = first["msg"].removeprefix("Value error, ")
    if first["type"] == "missing":
        problem = "this field is required but missing"
    return CatalogueError(file, where, problem)


def parse_lesson(file: str, data: object) -> Lesson:
    if not isinstance(data, Mapping):
        raise CatalogueError(file, "", "expected a mapping of fields at the top level")
    try:
        lesson = Lesson.model_validate(data)
    except ValidationError as error:
        raise _problem(file, error) from None
    stem = file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if lesson.id != stem:
        raise CatalogueError(file, "id", f"id {lesson.id!r} must match the file name {stem!r}")
    return lesson


def build_lessons(entries: Iterable[tuple[str, object]], exercise_ids: Collection[str]) -> Lessons:
    """Check each (file name, parsed data) pair, then the set: ids and orders used once, figures
    that are exercises, and a flare-up plan that shows the way to the warning signs."""
    files: dict[str, str] = {}
    orders: dict[int, str] = {}
    found: list[Lesson] = []
    for file, data in entries:
        lesson = parse_lesson(file, data)
        if lesson.id in files:
            raise CatalogueError(file, "id", f"{lesson.id!r} is already used by {files[lesson.id]}")
        if lesson.order in orders:
            raise CatalogueError(file, "order", f"{lesson.order} is already used by {orders[lesson.order]}")
        if lesson.figure is not None and lesson.figure not in exercise_ids:
            raise CatalogueError(file, "figure", f"{lesson.figure!r} is not an exercise in the catalogue")
        files[lesson.id], orders[lesson.order] = file, file
        found.append(lesson)
    flare = next((lesson for lesson in found if lesson.id == FLARE_UP), None)
    if flare is None:
        raise CatalogueError("lessons", "", f"there must be a flare-up plan ({FLARE_UP}.yaml)")
    if not flare.warning_signs:
        raise CatalogueError(
            files[FLARE_UP], "warning_signs", "the flare-up plan must show the way to the warning signs"
        )
    return Lessons(tuple(sorted(found, key=lambda lesson: lesson.order)))


# Which lesson to offer, and when ------------------------------------------------------------


class OfferReason(StrEnum):
    flare = "flare"  # pain rose, or a pain stop happened: the flare-up plan
    daily = "daily"  # the next lesson not read yet, one a day at most


OFFER_WORDS = {
    OfferReason.flare: "Your back hurt more today. Here is what to do in a flare-up.",
    OfferReason.daily: "A short read for today.",
}


@dataclass(frozen=True)
class Offer:
    lesson: Lesson
    reason: OfferReason

    @property
    def words(self) -> str:
        return OFFER_WORDS[self.reason]


def pain_went_up(before: int | None, after: int | None) -> bool:
    """Any rise from before the session to after it (no threshold: the flare-up plan helps at any rise)."""
    return before is not None and after is not None and after > before


def choose_offer(
    lessons: Lessons,
    read: Collection[str],
    today: date,
    last_offered: date | None,
    pain_rose: bool,
    pain_stop: bool,
) -> Offer | None:
    """The lesson to offer as a session ends, if any. Pain that rose or a pain stop always brings
    the flare-up plan. Otherwise one lesson a day at most: the first, in order, not read yet."""
    if pain_rose or pain_stop:
        return Offer(lessons.flare_up, OfferReason.flare)
    if last_offered is not None and last_offered >= today:
        return None
    unread = next((lesson for lesson in lessons if lesson.id not in read), None)
    return None if unread is None else Offer(unread, OfferReason.daily)


def for_program(lessons: Lessons, exercises: Sequence[Exercise]) -> list[Lesson]:
    """The lessons to print with a program's handout, in order."""
    kinds = {kind for exercise in exercises for kind in exercise.kind}
    wanted = {OnHandout.always}
    if kinds & {Kind.stretch, Kind.mobilise}:
        wanted.add(OnHandout.stretching)
    if Kind.strengthen in kinds:
        wanted.add(OnHandout.strengthening)
    if Kind.aerobic in kinds:
        wanted.add(OnHandout.activity)
    return [lesson for lesson in lessons if lesson.handout in wanted]
