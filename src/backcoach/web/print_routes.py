"""Things to take away from the app: the printable handout (GET /program/handout.pdf) and the
reminder times with their calendar file (POST /settings/reminders, GET /settings/reminders.ics).

The settings page itself belongs to `pages`; it asks `reminder_form` (a template global set
here) for the reminder values, so everything about reminders stays in this module.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from backcoach.core.errors import NotNow
from backcoach.core.profile import MAX_SESSIONS_PER_DAY
from backcoach.exports.handout import PAPERS, handout_pdf
from backcoach.services.context import Scope
from backcoach.services.handouts import program_handout
from backcoach.services.local_time import local_zone_name
from backcoach.services.reminders import (
    DEFAULT_ALARM_MINUTES,
    ReminderError,
    Reminders,
    person_calendar,
    save_reminders,
    sessions_per_day,
    stored_reminders,
)
from backcoach.web.deps import ScopeDep, scope_of
from backcoach.web.pages import page, templates

router = APIRouter(include_in_schema=False)


@router.get("/program/handout.pdf", response_model=None)
def handout(request: Request, scope: ScopeDep, paper: str = "a4") -> Response:
    if paper not in PAPERS:
        return page(request, "not_found.html", 404, what=f"No paper size called {paper!r}; use a4 or letter.")
    try:
        built = program_handout(scope)
    except NotNow as error:
        return page(request, "not_found.html", 404, what=str(error))
    return Response(
        handout_pdf(built, paper),
        media_type="application/pdf",
        # Inline, so the browser opens its viewer and the person can print straight away.
        headers={"Content-Disposition": f'inline; filename="backcoach-handout-{paper}.pdf"'},
    )


def _form_values(scope: Scope, reminders: Reminders | None, typed: dict[str, Any] | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "slots": sessions_per_day(scope),
        "times": list(reminders.times) if reminders else [],
        "timezone": reminders.timezone if reminders else local_zone_name(),
        "alarm": reminders.alarm_minutes if reminders else DEFAULT_ALARM_MINUTES,
        "saved": reminders is not None,
    }
    return values | (typed or {})


def reminder_form(request: Request) -> dict[str, Any]:
    """What the settings page's reminder form shows: the stored values, or sensible defaults."""
    scope = scope_of(request)
    return _form_values(scope, stored_reminders(scope))


templates.env.globals["reminder_form"] = reminder_form


def _minutes(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ReminderError("alarm", "give a whole number of minutes, like 10") from None


@router.post("/settings/reminders", response_class=HTMLResponse)
async def reminders_save(request: Request, scope: ScopeDep) -> HTMLResponse:
    form = await request.form()
    times = [str(form.get(f"time_{n}") or "") for n in range(1, MAX_SESSIONS_PER_DAY + 1)]
    zone = str(form.get("timezone") or "")
    alarm_text = str(form.get("alarm") or "").strip()
    typed = {"times": times, "timezone": zone, "alarm": alarm_text}
    try:
        saved, notes = save_reminders(scope, [t for t in times if t.strip()], zone, _minutes(alarm_text))
    except ReminderError as error:
        values = _form_values(scope, stored_reminders(scope), typed)
        return page(request, "settings.html", 422, message=None, error=str(error), reminders=values)
    message = " ".join(
        ["Reminders saved. Download the calendar file below and open it with your calendar app.", *notes]
    )
    return page(request, "settings.html", message=message, error=None, reminders=_form_values(scope, saved))


@router.get("/settings/reminders.ics", response_model=None)
def reminders_file(request: Request, scope: ScopeDep) -> Response:
    try:
        calendar = person_calendar(scope)
    except (ReminderError, NotNow) as error:
        status = 404 if isinstance(error, ReminderError) else 409
        problem = "Choose your reminder times first." if isinstance(error, ReminderError) else str(error)
        return page(request, "settings.html", status, message=None, error=problem)
    return Response(
        calendar,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="backcoach-reminders.ics"'},
    )
