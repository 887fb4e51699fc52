"""What the safety loop remembers, on the web: the API for a client, and the page where a person
records that a doctor or physiotherapist checked them (the same use cases as `backcoach paused`
and `backcoach cleared`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from backcoach.core.errors import InvalidInput
from backcoach.schemas.input import ClearanceBody
from backcoach.schemas.output import ClearedOut, SafetyOut, exercise_cleared_out, safety_out, warning_cleared_out
from backcoach.services import clearances
from backcoach.services.context import Scope
from backcoach.services.programs import clear_exercise
from backcoach.services.screening import clear_warning
from backcoach.web.api import BODY, CONFLICT
from backcoach.web.deps import ScopeDep
from backcoach.web.idempotency import ChangeRoute
from backcoach.web.pages import page

api = APIRouter(prefix="/api/v1", tags=["api"], route_class=ChangeRoute)
pages = APIRouter(include_in_schema=False)


def _safety(scope: Scope) -> SafetyOut:
    return safety_out(
        clearances.standing_warning(scope),
        clearances.paused(scope),
        clearances.clearances(scope),
        scope.catalogue,
        clearances.cleared_exercises(scope),
    )


def _clear(scope: Scope, cleared_by: str, cleared_on: date, exercise_id: str | None) -> ClearedOut:
    if exercise_id:
        version = clear_exercise(scope, exercise_id, cleared_by, cleared_on)
        return exercise_cleared_out(scope.catalogue.get(exercise_id).name, version)
    done = clear_warning(scope, cleared_by, cleared_on)
    return warning_cleared_out(done, "Now answer the other questions to get your program.")


@api.get("/safety")
def get_safety(scope: ScopeDep) -> SafetyOut:
    """A warning sign waiting for a professional's check, exercises paused because they hurt, and the
    clearances recorded."""
    return _safety(scope)


@api.post("/clearances", responses={**BODY, **CONFLICT})
def post_clearance(body: ClearanceBody, scope: ScopeDep) -> ClearedOut:
    """Record that a doctor or physiotherapist checked the person: after a warning sign, or about
    `exercise_id`, an exercise paused because it hurt (it may then be offered again)."""
    return _clear(scope, body.cleared_by, body.cleared_on, body.exercise_id)


@pages.get("/checked", response_class=HTMLResponse)
def checked_form(request: Request, scope: ScopeDep) -> HTMLResponse:
    return page(request, "checked.html", safety=_safety(scope), today=clearances.today(scope), errors=[], done=None)


@pages.post("/checked", response_class=HTMLResponse)
def checked_save(
    request: Request,
    scope: ScopeDep,
    cleared_by: Annotated[str, Form(max_length=1000)] = "",
    cleared_on: Annotated[str, Form(max_length=40)] = "",
    exercise_id: Annotated[str, Form(max_length=100)] = "",
) -> HTMLResponse:
    try:
        day = date.fromisoformat(cleared_on)
    except ValueError:
        errors = ["Give the day you were checked, for example 2026-11-30."]
        return page(
            request, "checked.html", 422, safety=_safety(scope), today=clearances.today(scope), errors=errors, done=None
        )
    try:
        done = _clear(scope, cleared_by, day, exercise_id or None)
    except InvalidInput as error:
        return page(
            request,
            "checked.html",
            422,
            safety=_safety(scope),
            today=clearances.today(scope),
            errors=[str(error)],
            done=None,
        )
    return page(request, "checked.html", safety=_safety(scope), today=clearances.today(scope), errors=[], done=done)
