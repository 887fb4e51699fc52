"""What a care team member does on a patient's page: write a note, acknowledge an alert with a
note, clear a paused exercise or a warning sign after an assessment, and print the handout with
the clinic's name. The use cases (`services.patient_care`, `services.alerts`) check the policy and
write the audit trail; these only parse the forms and answer with the page again."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backcoach.core.errors import InvalidInput, NotNow, ProgramPaused
from backcoach.exports.handout import PAPERS, handout_pdf
from backcoach.services import alerts, patient_care
from backcoach.web.clinic.common import NOTE_TEXT, TEXT
from backcoach.web.clinic.patient_pages import PUBLIC_ID_LENGTH, patient_page
from backcoach.web.deps import AppDep, StaffDep, client_address
from backcoach.web.pages import page

router = APIRouter(include_in_schema=False)


def _done(public_id: str, what: str) -> RedirectResponse:
    return RedirectResponse(f"/clinic/patients/{public_id}?done={what}", status_code=303)


@router.post("/clinic/patients/{public_id}/notes", response_class=HTMLResponse)
def note_add(request: Request, app: AppDep, actor: StaffDep, public_id: str, note: NOTE_TEXT = "") -> Response:
    public_id = public_id[:PUBLIC_ID_LENGTH]
    try:
        patient_care.add_note(app, actor, public_id, note, client_address(request))
    except InvalidInput as error:
        return patient_page(request, app, actor, public_id, 422, error=error.message, form={"note": note})
    return _done(public_id, "note")


@router.post("/clinic/patients/{public_id}/alerts", response_class=HTMLResponse)
def alert_acknowledge(
    request: Request, app: AppDep, actor: StaffDep, public_id: str, alert: TEXT = "", note: NOTE_TEXT = ""
) -> Response:
    public_id = public_id[:PUBLIC_ID_LENGTH]
    try:
        alerts.acknowledge(app, actor, public_id, alert[:200], note, address=client_address(request))
    except InvalidInput as error:
        form = {"ack_note": note, "ack_alert": alert}
        return patient_page(request, app, actor, public_id, 422, error=error.message, form=form)
    return _done(public_id, "acknowledged")


@router.post("/clinic/patients/{public_id}/clear", response_class=HTMLResponse)
def clear(
    request: Request, app: AppDep, actor: StaffDep, public_id: str, assessment: NOTE_TEXT = "", exercise: TEXT = ""
) -> Response:
    public_id = public_id[:PUBLIC_ID_LENGTH]
    try:
        said = patient_care.clear_after_assessment(
            app, actor, public_id, assessment, exercise[:100], client_address(request)
        )
    except (InvalidInput, NotNow) as error:
        form = {"assessment": assessment, "exercise": exercise}
        message = error.message if isinstance(error, InvalidInput) else str(error)
        return patient_page(request, app, actor, public_id, 422, error=message, form=form)
    return patient_page(request, app, actor, public_id, message=said)


@router.get("/clinic/patients/{public_id}/handout.pdf", response_model=None)
def handout(request: Request, app: AppDep, actor: StaffDep, public_id: str, paper: str = "a4") -> Response:
    if paper not in PAPERS:
        return page(request, "not_found.html", 404, what=f"No paper size called {paper[:20]!r}; use a4 or letter.")
    try:
        built = patient_care.patient_handout(app, actor, public_id[:PUBLIC_ID_LENGTH], client_address(request))
    except ProgramPaused as error:
        # Not a 404: the patient exists and may be seen; there is only nothing to print now.
        return page(request, "problem.html", 409, message=f"Nothing to print: the program is paused. {error.reason}")
    except NotNow:
        return page(request, "problem.html", 409, message="Nothing to print yet: the patient has no program.")
    return Response(
        handout_pdf(built, paper),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="backcoach-handout-{paper}.pdf"'},
    )
