"""The admin's pages: staff accounts (add one with a one-time invitation, disable one) and the
audit trail (filtered, and as CSV). Every use case checks the role; these only parse and render."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backcoach.core.access import Actor
from backcoach.core.errors import InvalidInput
from backcoach.services import clinic
from backcoach.services.context import App
from backcoach.web.clinic.common import TEXT, Shown, shown
from backcoach.web.deps import AppDep, StaffDep, client_address
from backcoach.web.pages import page

router = APIRouter(include_in_schema=False)
ROLES = (("physio", "Physiotherapist"), ("admin", "Admin"))
FILTERS = ("action", "who", "patient")


def _staff_page(
    request: Request,
    app: App,
    actor: Actor,
    status: int = 200,
    *,
    invite: Shown | None = None,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    return page(
        request,
        "clinic/staff.html",
        status,
        accounts=clinic.staff(app, actor),
        roles=ROLES,
        form=form or {"name": "", "email": "", "role": "physio"},
        me=actor,
        invite=invite,
        error=error,
        disabled=request.query_params.get("disabled") == "1",
    )


@router.get("/clinic/staff", response_class=HTMLResponse)
def staff_list(request: Request, app: AppDep, actor: StaffDep) -> HTMLResponse:
    return _staff_page(request, app, actor)


@router.post("/clinic/staff", response_class=HTMLResponse)
def staff_add(
    request: Request, app: AppDep, actor: StaffDep, name: TEXT = "", email: TEXT = "", role: TEXT = ""
) -> HTMLResponse:
    try:
        invite = clinic.add_staff(app, actor, role, email, name, client_address(request))
    except InvalidInput as error:
        form = {"name": name, "email": email, "role": role}
        return _staff_page(request, app, actor, 422, error=_sentence(error), form=form)
    return _staff_page(request, app, actor, invite=shown(request, invite))


@router.post("/clinic/staff/{account_id}/disable", response_class=HTMLResponse)
def staff_disable(request: Request, app: AppDep, actor: StaffDep, account_id: str) -> Response:
    try:
        clinic.disable_staff(app, actor, account_id[:64], client_address(request))
    except InvalidInput as error:
        return _staff_page(request, app, actor, 422, error=_sentence(error))
    return RedirectResponse("/clinic/staff?disabled=1", status_code=303)


def _sentence(error: InvalidInput) -> str:
    """The use case's message, as one sentence for the page."""
    text = error.message
    return text if text.endswith(".") else f"{text[:1].upper()}{text[1:]}."


def _filters(request: Request) -> dict[str, str]:
    return {name: request.query_params.get(name, "").strip()[:200] for name in FILTERS}


@router.get("/clinic/audit", response_class=HTMLResponse)
def audit_page(request: Request, app: AppDep, actor: StaffDep) -> HTMLResponse:
    filters = _filters(request)
    events = clinic.audit_trail(app, actor, **{k: v or None for k, v in filters.items()})
    query = urlencode({k: v for k, v in filters.items() if v})
    return page(request, "clinic/audit.html", events=events, filters=filters, csv_query=query)


@router.get("/clinic/audit.csv")
def audit_csv(request: Request, app: AppDep, actor: StaffDep) -> Response:
    filters = _filters(request)
    document = clinic.audit_trail_csv(app, actor, **{k: v or None for k, v in filters.items()})
    day = app.now().date().isoformat()
    headers = {"Content-Disposition": f'attachment; filename="audit-{day}.csv"'}
    return Response(document, media_type="text/csv; charset=utf-8", headers=headers)
