"""The Learn pages: every short lesson, with a mark on those the person has read, and one
lesson (opening it marks it read). The same use cases as `backcoach learn` (`services/lessons.py`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from backcoach.core.errors import NotFound
from backcoach.services import lessons as use
from backcoach.web.deps import ScopeDep
from backcoach.web.pages import page

pages = APIRouter(include_in_schema=False)


@pages.get("/learn", response_class=HTMLResponse)
def learn_page(request: Request, scope: ScopeDep) -> HTMLResponse:
    found = use.lessons(scope)
    return page(request, "learn.html", items=found, read=sum(1 for v in found if v.read))


@pages.get("/learn/{lesson_id}", response_class=HTMLResponse)
def lesson_page(request: Request, scope: ScopeDep, lesson_id: str) -> HTMLResponse:
    try:
        view = use.read_lesson(scope, lesson_id)
    except NotFound:
        return page(request, "not_found.html", 404, what="There is no such lesson.")
    return page(request, "lesson.html", lesson=view.lesson)
