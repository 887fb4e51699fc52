"""The functional scale on the web: pages to name up to three activities, rate them again and see
each one's ratings over time, and the JSON API for a client. The same use cases as `backcoach
activities` (`services/activities.py`); the rules and the words for a change are the core's.

Forms post back here; bad input is shown in the page, plainly, and saves nothing. A rating is a
row of big 0-10 buttons (radio inputs), so a phone never opens its keyboard for it."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from backcoach.core.errors import InvalidInput, NotFound
from backcoach.core.psfs import CHANGE_NOTE, HIGHEST, HIGHEST_WORDS, LOWEST, LOWEST_WORDS, MAX_ACTIVITIES, MAX_NAME
from backcoach.schemas.input import ActivityBody, RatingBody
from backcoach.schemas.output import ActivityOut, activity_out
from backcoach.services import activities as use
from backcoach.services.context import Scope
from backcoach.web.api import CHECKED, CONFLICT
from backcoach.web.charts import activity_chart
from backcoach.web.deps import ScopeDep
from backcoach.web.idempotency import ChangeRoute
from backcoach.web.pages import page

api = APIRouter(prefix="/api/v1", tags=["api"], route_class=ChangeRoute)
pages = APIRouter(include_in_schema=False)

FIELD_WORDS = {"name": "The activity", "score": "The rating"}
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,3}")
SCALE = {"lowest": LOWEST, "highest": HIGHEST, "lowest_words": LOWEST_WORDS, "highest_words": HIGHEST_WORDS}


async def json_only(request: Request) -> None:  # async: it needs no worker thread
    """The API takes JSON only: a page's form (or any other body) is refused, and nothing saved."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise InvalidInput("content-type", f"send the body as application/json, not {kind or 'no type'}")


# The JSON API -------------------------------------------------------------------------------------


@api.get("/activities")
def list_activities(scope: ScopeDep) -> list[ActivityOut]:
    """The person's activities, each with every rating and what the change since the first means
    (the same shape as `backcoach activities --json`)."""
    return [activity_out(a) for a in use.activities(scope)]


@api.post("/activities", status_code=201, responses=CHECKED, dependencies=[Depends(json_only)])
def add_activity(body: ActivityBody, scope: ScopeDep) -> ActivityOut:
    """Name an activity the back makes hard, rated now from 0 (cannot do it) to 10 (as well as before).
    Up to three; a name the person already has is refused."""
    return activity_out(use.add_activity(scope, body.name, body.score))


@api.post("/activities/{activity_id}/ratings", status_code=201, responses=CONFLICT, dependencies=[Depends(json_only)])
def rate_activity(activity_id: int, body: RatingBody, scope: ScopeDep) -> ActivityOut:
    """Rate one of the person's activities again: a new rating, dated now."""
    return activity_out(use.rate_activity(scope, activity_id, body.score))


# The pages ----------------------------------------------------------------------------------------


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _score(text: str) -> int:
    """A rating from a form: one of the buttons, or a whole number typed by some other client."""
    if not text.strip():
        raise InvalidInput("score", f"choose a number from {LOWEST} to {HIGHEST}")
    if not WHOLE_NUMBER.fullmatch(text.strip()):
        raise InvalidInput("score", f"give a whole number from {LOWEST} to {HIGHEST}")
    return int(text)


def _is_id(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _plain(error: InvalidInput) -> str:
    """ "name: give it a name of 1 to 200 characters" -> "The activity: give it a name of 1 to 200 characters." """
    words = FIELD_WORDS.get(error.field)
    return f"{words}: {error.problem}." if words else str(error)


def _list_page(scope: Scope, request: Request, status: int = 200, **values: Any) -> HTMLResponse:
    found = use.activities(scope)
    return page(
        request,
        "activities.html",
        status,
        items=found,
        room=len(found) < MAX_ACTIVITIES,
        max_activities=MAX_ACTIVITIES,
        max_name=MAX_NAME,
        change_note=CHANGE_NOTE,
        scale=SCALE,
        **{"errors": [], "values": {}, "saved": None, **values},
    )


def _activity_page(scope: Scope, request: Request, activity_id: str, status: int = 200, **values: Any) -> Response:
    try:
        found = use.activity(scope, int(activity_id)) if _is_id(activity_id) else None
    except NotFound:
        found = None
    if found is None:
        return page(request, "not_found.html", 404, what="There is no such activity of yours.")
    return page(
        request,
        "activity.html",
        status,
        a=found,
        chart=activity_chart(found.name, [(r.day, r.score) for r in found.ratings]),
        change_note=CHANGE_NOTE,
        scale=SCALE,
        **{"errors": [], "values": {}, "saved": False, **values},
    )


@pages.get("/activities", response_class=HTMLResponse)
def activities_page(request: Request, scope: ScopeDep, saved: str = "") -> HTMLResponse:
    found = {str(a.id): a for a in use.activities(scope)}
    return _list_page(scope, request, saved=found.get(saved))


@pages.post("/activities", response_class=HTMLResponse, response_model=None)
async def activities_add(request: Request, scope: ScopeDep) -> Response:
    form = await request.form()
    values = {"name": _text(form, "name"), "score": _text(form, "score")}
    try:
        added = use.add_activity(scope, values["name"], _score(values["score"]))
    except InvalidInput as error:
        return _list_page(scope, request, 422, errors=[_plain(error)], values=values)
    return RedirectResponse(f"/activities?saved={added.id}#activity-{added.id}", status_code=303)


@pages.get("/activities/{activity_id}", response_class=HTMLResponse, response_model=None)
def activity_page(request: Request, scope: ScopeDep, activity_id: str, saved: str = "") -> Response:
    return _activity_page(scope, request, activity_id, saved=saved == "1")


@pages.post("/activities/{activity_id}/ratings", response_class=HTMLResponse, response_model=None)
async def activity_rate(request: Request, scope: ScopeDep, activity_id: str) -> Response:
    form = await request.form()
    values = {"score": _text(form, "score")}
    if not _is_id(activity_id):
        return _activity_page(scope, request, activity_id)  # not found
    try:
        use.rate_activity(scope, int(activity_id), _score(values["score"]))
    except InvalidInput as error:
        return _activity_page(scope, request, activity_id, 422, errors=[_plain(error)], values=values)
    return RedirectResponse(f"/activities/{activity_id}?saved=1", status_code=303)
