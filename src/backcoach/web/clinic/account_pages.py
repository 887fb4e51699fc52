"""A signed-in patient's own account: who they are, signing out everywhere, downloading their
own data, and asking for their record to be deleted (an admin of the clinic then confirms it)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from backcoach.services import clinic
from backcoach.services.context import Scope
from backcoach.services.fhir import fhir_bundle_mine
from backcoach.services.transfer import export_patient
from backcoach.web.clinic.common import TEXT, fhir_download
from backcoach.web.deps import ScopeDep, client_address
from backcoach.web.pages import page

router = APIRouter(include_in_schema=False)


def _account_page(request: Request, scope: Scope, status: int = 200, confirming: bool = False) -> HTMLResponse:
    me = clinic.own_entry(scope.app, scope.actor)
    return page(request, "clinic/account.html", status, me=me, confirming=confirming)


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, scope: ScopeDep) -> HTMLResponse:
    return _account_page(request, scope)


@router.get("/account/export")
def export(scope: ScopeDep) -> Response:
    day = scope.now().date().isoformat()
    headers = {"Content-Disposition": f'attachment; filename="backcoach-my-data-{day}.json"'}
    return Response(export_patient(scope), media_type="application/json", headers=headers)


@router.get("/account/fhir.json")
def export_fhir(request: Request, scope: ScopeDep) -> Response:
    return fhir_download(fhir_bundle_mine(scope, client_address(request)), scope.now().date().isoformat())


@router.post("/account/delete", response_class=HTMLResponse)
def ask_deletion(request: Request, scope: ScopeDep, confirm: TEXT = "") -> HTMLResponse:
    if confirm != "yes":  # the first press: ask once more, plainly, before anything is asked for
        return _account_page(request, scope, confirming=True)
    clinic.request_deletion(scope.app, scope.actor, client_address(request))
    return _account_page(request, scope)
