"""The lessons for one person: the list with what they have read, one lesson (which marks it
read), and the lesson offered as a session ends, by the core's one rule (`core.lessons`)."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

from backcoach.catalogue.lessons import load_lessons
from backcoach.core.errors import NotFound, StorageUnavailable
from backcoach.core.lessons import Lesson, Lessons, Offer, choose_offer, pain_went_up
from backcoach.services.context import NO_PERSON, Scope


@dataclass(frozen=True)
class LessonView:
    lesson: Lesson
    read: bool


def all_lessons() -> Lessons:
    return load_lessons()


def lessons(scope: Scope) -> list[LessonView]:
    """Every lesson in order, each marked read or not."""
    read = scope.repo.lessons.read() if scope.patient_id != NO_PERSON else set()
    return [LessonView(lesson, lesson.id in read) for lesson in all_lessons()]


def read_lesson(scope: Scope, lesson_id: str) -> LessonView:
    """One lesson, marked read for the person (NotFound for an id that is no lesson). Before the
    person's first answers nothing is stored (a new database can still take an import), and data
    that is read-only still shows the lesson."""
    if lesson_id not in all_lessons().ids():
        raise NotFound(f"There is no lesson called {lesson_id!r}.")
    lesson = all_lessons().get(lesson_id)
    if scope.patient_id != NO_PERSON:
        with suppress(StorageUnavailable):
            scope.repo.lessons.mark_read(lesson_id, scope.now())
    return LessonView(lesson, True)


def offer_after_session(scope: Scope, pain_before: int | None, pain_after: int | None, pain_stop: bool) -> Offer | None:
    """The lesson to offer as a session ends (the flare-up plan if pain rose or a pain stop
    happened; else one unread lesson a day at most), remembered as offered today."""
    marks = scope.writer().lessons
    last = marks.last_offered()
    offer = choose_offer(
        all_lessons(),
        marks.read(),
        scope.now().date(),
        None if last is None else last.date(),
        pain_went_up(pain_before, pain_after),
        pain_stop,
    )
    if offer is not None:
        marks.mark_offered(offer.lesson.id, scope.now())
    return offer
