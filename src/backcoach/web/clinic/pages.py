"""The clinic's pages. Each router here is included in clinic mode only (`web/app.py`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from backcoach.services import clinic
from backcoach.web.deps import AppDep, StaffDep
from backcoach.web.pages import page

staff_router = APIRouter(include_in_schema=False)


@staff_router.get("/clinic", response_class=HTMLResponse)
def clinic_home(request: Request, app: AppDep, actor: StaffDep) -> HTMLResponse:
    return page(request, "clinic/home.html", actor=actor, patients=clinic.patients(app, actor))


ROUTERS = (staff_router,)
