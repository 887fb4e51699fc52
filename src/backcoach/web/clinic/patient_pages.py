"""The physiotherapist's pages (an admin's too): inviting a new patient, and a
patient's page (their program, last sessions and safety; a new invitation; for an admin the care
team and a deletion the patient asked for). Outside the policy a patient's page is a 404, the
same for another clinic's patient, one outside the care team and an id that names nobody."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backcoach.core.access import Actor, Role
from backcoach.core.errors import InvalidInput, NotFound
from backcoach.services import clinic, patient_care
from backcoach.services.context import App
from backcoach.services.fhir import fhir_bundle
from backcoach.web.charts import adherence_chart, pain_chart, psfs_chart
from backcoach.web.clinic.common import TEXT, fhir_download, shown
from backcoach.web.deps import AppDep, StaffDep, client_address
from backcoach.web.pages import page

router = APIRouter(include_in_schema=False)
DONE = {  # what a change just did, said once on the page it comes back to
    "added": "Added to the care team.",
    "note": "Your note is saved with the record.",
    "acknowledged": "The alert is acknowledged, with your note. It comes back if the facts change.",
}
PUBLIC_ID_LENGTH = 64  # longer than any public id (36): anything longer names nobody


@router.get("/clinic/patients/new", response_class=HTMLResponse)
def new_patient_form(request: Request, actor: StaffDep) -> HTMLResponse:
    return page(request, "clinic/new_patient.html", form={"name": "", "email": ""}, error=None)


@router.post("/clinic/patients/new", response_class=HTMLResponse)
def new_patient(request: Request, app: AppDep, actor: StaffDep, name: TEXT = "", email: TEXT = "") -> HTMLResponse:
    try:
        patient, invite = clinic.invite_patient(app, actor, name, email, client_address(request))
    except InvalidInput as error:
        form = {"name": name, "email": email}
        return page(request, "clinic/new_patient.html", 422, form=form, error=error.message)
    return page(request, "clinic/invited.html", invite=shown(request, invite), patient=patient)


def _record(app: App, actor: Actor, public_id: str, request: Request) -> dict[str, Any]:
    """What the page shows: the clinical record for the care team (an audited read); for an admin
    outside it, only the patient's place in the clinic."""
    before = request.query_params.get("before") or None
    try:
        view = patient_care.record_view(app, actor, public_id, before, client_address(request))
    except NotFound:
        if actor.role is not Role.admin:
            raise
        return {"patient": clinic.managed_patient(app, actor, public_id), "record": None, "charts": None}
    charts = None
    if view.progress is not None:
        summary = view.progress
        charts = {
            "adherence": adherence_chart(summary.weeks),
            "pain": pain_chart(summary.weeks),
            "psfs": psfs_chart(summary.psfs_ratings) if summary.activities else None,
        }
    return {"patient": view.patient, "record": view, "charts": charts}


def _team(app: App, actor: Actor, care_team: frozenset[int]) -> dict[str, Any]:
    """The care team by name and, for an admin, the physiotherapists who could join it."""
    if actor.role is not Role.admin:
        return {"team": None, "physios": []}
    accounts = clinic.staff(app, actor)
    team = [a for a in accounts if a.id in care_team]
    physios = [a for a in accounts if a.role == "physio" and not a.disabled and a.id not in care_team]
    return {"team": team, "physios": physios}


def patient_page(
    request: Request, app: App, actor: Actor, public_id: str, status: int = 200, **values: Any
) -> HTMLResponse:
    shown_values = _record(app, actor, public_id[:PUBLIC_ID_LENGTH], request)
    team = _team(app, actor, shown_values["patient"].care_team)
    defaults: dict[str, Any] = {"invite": None, "error": None, "message": None, "form": {}}
    return page(request, "clinic/patient.html", status, actor=actor, **shown_values, **team, **{**defaults, **values})


@router.get("/clinic/patients/{public_id}", response_class=HTMLResponse)
def patient_view(request: Request, app: AppDep, actor: StaffDep, public_id: str) -> HTMLResponse:
    message = DONE.get(request.query_params.get("done", ""))
    return patient_page(request, app, actor, public_id, message=message)


@router.get("/clinic/patients/{public_id}/fhir.json")
def patient_fhir(request: Request, app: AppDep, actor: StaffDep, public_id: str) -> Response:
    """The patient's record as a FHIR bundle, for the clinic's own system (an audited export)."""
    bundle = fhir_bundle(app, actor, public_id[:PUBLIC_ID_LENGTH], client_address(request))
    return fhir_download(bundle, app.now().date().isoformat())


@router.post("/clinic/patients/{public_id}/invitation", response_class=HTMLResponse)
def new_invitation(request: Request, app: AppDep, actor: StaffDep, public_id: str) -> HTMLResponse:
    try:
        invite = clinic.reinvite(app, actor, public_id[:PUBLIC_ID_LENGTH], client_address(request))
    except InvalidInput as error:
        return patient_page(request, app, actor, public_id, 422, error=error.message)
    return page(request, "clinic/invited.html", invite=shown(request, invite), patient=None)


@router.post("/clinic/patients/{public_id}/care-team", response_class=HTMLResponse)
def care_team_add(request: Request, app: AppDep, actor: StaffDep, public_id: str, physio: TEXT = "") -> Response:
    clinic.add_to_care_team(
        app, actor, public_id[:PUBLIC_ID_LENGTH], physio[:PUBLIC_ID_LENGTH], client_address(request)
    )
    return RedirectResponse(f"/clinic/patients/{public_id}?done=added", status_code=303)


@router.post("/clinic/patients/{public_id}/delete", response_class=HTMLResponse)
def delete_record(request: Request, app: AppDep, actor: StaffDep, public_id: str, confirm: TEXT = "") -> Response:
    if confirm != "yes":
        return patient_page(request, app, actor, public_id, 422, error="Tick the box to confirm the deletion.")
    try:
        clinic.confirm_deletion(app, actor, public_id[:PUBLIC_ID_LENGTH], client_address(request))
    except InvalidInput as error:
        return patient_page(request, app, actor, public_id, 422, error=error.message)
    return page(request, "clinic/deleted.html")
