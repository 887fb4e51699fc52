"""The program builder for a patient (one form: a row per exercise with its dose, and buttons to
move a row up or down, remove it, add an exercise, keep the draft as a template, or save it), and
the clinic's templates. No JavaScript: each button posts the whole form, and the page comes back
with the draft changed; nothing is stored until "Save". The use cases are in services/prescribing."""

from __future__ import annotations

import re
from dataclasses import fields
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from backcoach.core.access import Actor
from backcoach.core.errors import InvalidInput
from backcoach.core.prescription import FIELD_WORDS, REVIEW_WORDS, ReviewMode, Row, moved, removed
from backcoach.core.timing import Dose
from backcoach.services import prescribing
from backcoach.services.context import App
from backcoach.services.prescribing import Builder, Draft, PrescriptionRefused
from backcoach.web.deps import AppDep, StaffDep, client_address
from backcoach.web.pages import page

router = APIRouter(include_in_schema=False)
PUBLIC_ID_LENGTH = 64  # longer than any public id (36): anything longer names nobody
NUMBER_DIGITS = 5  # a longer "number" in a dose field is not one a form was meant to take
TEXT_LENGTH = 400
NUMBERS = tuple(f.name for f in fields(Dose) if f.name != "sides")


def _number(text: str) -> int | None:
    text = text.strip()
    if not re.fullmatch(rf"-?[0-9]{{1,{NUMBER_DIGITS}}}", text):  # ASCII digits only: "²" is a digit to str
        return None
    return int(text)


def _text(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value[:TEXT_LENGTH] if isinstance(value, str) else ""


def _row(form: FormData, index: int) -> Row:
    numbers: dict[str, Any] = {name: _number(_text(form, f"{name}_{index}")) for name in NUMBERS}
    sides = _text(form, f"sides_{index}") or None
    return Row(_text(form, f"id_{index}"), Dose(**numbers, sides=sides), _text(form, f"reason_{index}"))


def read_draft(form: FormData, most: int) -> Draft:
    """The draft as the form holds it: rows id_0, id_1, ... (at most `most`), the review setting, the note."""
    rows = []
    for index in range(most):
        if f"id_{index}" not in form:
            break
        rows.append(_row(form, index))
    try:
        review = ReviewMode(_text(form, "review"))
    except ValueError:
        review = ReviewMode.ceiling
    return Draft(tuple(rows), review, _text(form, "note"))


def _edited(draft: Draft, op: str) -> Draft:
    """The draft after a row's button: up-N, down-N or remove-N."""
    action, _, number = op.partition("-")
    index = int(number) if number.isascii() and number.isdigit() and len(number) < 6 else -1
    if action == "up":
        return Draft(tuple(moved(draft.rows, index, -1)), draft.review, draft.note)
    if action == "down":
        return Draft(tuple(moved(draft.rows, index, 1)), draft.review, draft.note)
    if action == "remove":
        return Draft(tuple(removed(draft.rows, index)), draft.review, draft.note)
    return draft


def _show(request: Request, built: Builder, status: int = 200, **values: Any) -> HTMLResponse:
    defaults = {"error": None, "message": None, "template_name": ""}
    return page(
        request,
        "clinic/prescribe.html",
        status,
        b=built,
        field_words=FIELD_WORDS,
        review_words=REVIEW_WORDS,
        numbers=NUMBERS,
        **{**defaults, **values},
    )


@router.get("/clinic/patients/{public_id}/prescribe", response_class=HTMLResponse)
def builder_page(request: Request, app: AppDep, actor: StaffDep, public_id: str) -> HTMLResponse:
    """The builder, started from the current program, a fresh plan (?start=plan) or a template (?start=ID)."""
    source = request.query_params.get("start", "current")[:PUBLIC_ID_LENGTH]
    saved = request.query_params.get("saved", "")
    message = f"Saved: version {saved} is the patient's program now." if saved.isascii() and saved.isdigit() else None
    address, patient_id = client_address(request), public_id[:PUBLIC_ID_LENGTH]
    try:
        built = prescribing.start(app, actor, patient_id, source, address)
    except InvalidInput as error:
        built = prescribing.start(app, actor, patient_id, "current", address)
        return _show(request, built, 422, error=error.message)
    return _show(request, built, message=message)


@router.post("/clinic/patients/{public_id}/prescribe", response_class=HTMLResponse)
async def builder_post(request: Request, app: AppDep, actor: StaffDep, public_id: str) -> Response:
    form = await request.form()
    draft = read_draft(form, len(app.catalogue.ids()) + 1)
    op, patient_id, address = _text(form, "op"), public_id[:PUBLIC_ID_LENGTH], client_address(request)
    if op == "save":
        return _save(request, app, actor, draft, patient_id, address)
    if op == "template":
        return _keep_template(request, app, actor, draft, patient_id, _text(form, "template_name"), address)
    add = _text(form, "add") if op == "add" else ""
    built = prescribing.builder(app, actor, patient_id, _edited(draft, op), address, add=add)
    return _show(request, built)


def _save(request: Request, app: App, actor: Actor, draft: Draft, patient_id: str, address: str) -> Response:
    try:
        saved = prescribing.prescribe(app, actor, patient_id, draft, address)
    except PrescriptionRefused as error:
        built = prescribing.builder(app, actor, patient_id, draft, address)
        return _show(request, built, 422, error=error.message)
    return RedirectResponse(f"/clinic/patients/{patient_id}/prescribe?saved={saved.version}", status_code=303)


def _keep_template(
    request: Request, app: App, actor: Actor, draft: Draft, patient_id: str, name: str, address: str
) -> HTMLResponse:
    try:
        kept = prescribing.save_template(app, actor, name, draft, address)
    except PrescriptionRefused as error:
        built = prescribing.builder(app, actor, patient_id, draft, address)
        return _show(request, built, 422, error=error.message, template_name=name)
    built = prescribing.builder(app, actor, patient_id, draft, address)
    return _show(request, built, message=f"Kept as the clinic's template “{kept.name}”.")


@router.get("/clinic/templates", response_class=HTMLResponse)
def templates_page(request: Request, app: AppDep, actor: StaffDep) -> HTMLResponse:
    done = "Template deleted." if request.query_params.get("done") == "deleted" else None
    kept = [(t, prescribing.template_rows(t, app.catalogue)) for t in prescribing.templates(app, actor)]
    return page(request, "clinic/templates.html", templates=kept, message=done)


@router.post("/clinic/templates/{template_id}/delete", response_class=HTMLResponse)
def template_delete(request: Request, app: AppDep, actor: StaffDep, template_id: str) -> Response:
    prescribing.delete_template(app, actor, template_id[:PUBLIC_ID_LENGTH], client_address(request))
    return RedirectResponse("/clinic/templates?done=deleted", status_code=303)
