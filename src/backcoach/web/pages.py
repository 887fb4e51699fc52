"""Server-rendered pages: welcome and safety screen, profile, program, session, progress,
library and settings. Forms post back here; bad input is shown in the page and saves nothing."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from backcoach import __version__
from backcoach.catalogue.loader import load_catalogue
from backcoach.core.dose_text import describe_dose, describe_single_dose
from backcoach.core.errors import TransferError
from backcoach.core.exercise import Kind, Position, Region
from backcoach.core.history import REAL_CHANGE
from backcoach.core.planner import REGION_WORDS
from backcoach.core.profile import MAX_MINUTES, MAX_SESSIONS_PER_DAY, MIN_MINUTES
from backcoach.core.psfs import CHANGE_NOTE
from backcoach.core.screening import (
    BEFORE_YOU_START,
    NECK_QUESTION_IDS,
    NECK_QUESTIONS,
    QUESTIONS,
    Answer,
    Question,
    Urgency,
    questions_for,
)
from backcoach.core.sources import ALL_SOURCES
from backcoach.schemas.json_text import MAX_IMPORT_BYTES
from backcoach.schemas.output import review_out
from backcoach.schemas.profile_file import ProfileFileError, parse_profile
from backcoach.services import clearances
from backcoach.services.alerts import my_alerts
from backcoach.services.context import Scope
from backcoach.services.programs import current_program, latest_profile, set_profile
from backcoach.services.progress import progress
from backcoach.services.review import rescreen_due
from backcoach.services.screening import first_screen, rescreen
from backcoach.services.today import TodayState, today
from backcoach.services.transfer import bring_in
from backcoach.web.answer_forms import (
    CONDITION_LABELS,
    NONE_OF_THESE,
    read_answers,
    read_conditions,
    read_neck,
    word_of,
)
from backcoach.web.charts import adherence_chart, pain_chart, psfs_chart
from backcoach.web.deps import AppDep, ScopeDep
from backcoach.web.figure_routes import still_figures
from backcoach.web.form_tokens import hidden_field, set_new_cookie
from backcoach.web.threads import ReadRoute

router = APIRouter(include_in_schema=False, route_class=ReadRoute)
templates = Jinja2Templates(directory=str(resources.files("backcoach.web").joinpath("templates")))
templates.env.globals.update(
    version=__version__,  # in the player script's address, so an upgrade is never served a stale script
    describe_dose=describe_dose,
    describe_single_dose=describe_single_dose,
    region_words=REGION_WORDS,
    sources=ALL_SOURCES,
    still_figures=still_figures,
    exercise_name=lambda exercise_id: load_catalogue().get(exercise_id).name,
    form_token=hidden_field,  # in every form that posts: {{ form_token(request) }}
)
PROFILE_FLAGS = ("can_floor", "can_kneel", "can_lie_on_front", "can_stand_unsupported")


def page(request: Request, name: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    response = templates.TemplateResponse(request, name, values, status_code=status_code)
    set_new_cookie(request, response)  # the page is rendered by now: a form in it may have made a token
    return response


@router.get("/", response_class=HTMLResponse)
def welcome(request: Request, scope: ScopeDep) -> HTMLResponse:
    return page(request, "welcome.html", today=today(scope), states=TodayState)


@router.get("/screen", response_class=HTMLResponse)
def screen_form(request: Request) -> HTMLResponse:
    return page(request, "screen.html", questions=QUESTIONS, notice=BEFORE_YOU_START, answers={}, errors=[])


@router.post("/screen", response_class=HTMLResponse)
async def screen_answers(request: Request, scope: ScopeDep) -> HTMLResponse:
    form = await request.form()
    shown, flags, errors = read_answers(form, QUESTIONS)
    if form.get("read_notice") != "yes":
        errors.insert(0, "Please tick the box to say you have read the note before you start.")
    if errors:
        return page(
            request, "screen.html", 422, questions=QUESTIONS, notice=BEFORE_YOU_START, answers=shown, errors=errors
        )
    result = first_screen(scope, flags)
    if not result.is_clear:
        return page(request, "screen_result.html", result=result)
    return page(request, "profile.html", **_profile_form(flags, None, []))


def _profile_form(
    flags: Mapping[str, Answer], values: dict[str, Any] | None, errors: list[str], neck: dict[str, str] | None = None
) -> dict[str, Any]:
    back = {q.id: word_of(flags[q.id]) for q in QUESTIONS if q.id in flags}
    stored_neck = {q: word_of(a) for q, a in flags.items() if q in NECK_QUESTION_IDS}
    return {
        "flags": back,
        "neck_questions": NECK_QUESTIONS,
        "neck_answers": stored_neck if neck is None else neck,
        "conditions": CONDITION_LABELS,
        "values": values or {},
        "errors": errors,
        "regions": list(Region),
        "min_minutes": MIN_MINUTES,
        "max_minutes": MAX_MINUTES,
        "max_sessions": MAX_SESSIONS_PER_DAY,
    }


@router.get("/profile", response_class=HTMLResponse, response_model=None)
def profile_form(request: Request, scope: ScopeDep) -> Response:
    latest = latest_profile(scope)
    if latest is None:
        return RedirectResponse("/screen", status_code=303)
    # "None of these" is not ticked for the person: a profile stored before the question reads as
    # none, and they should answer it themselves.
    return page(request, "profile.html", **_profile_form(latest.red_flags, latest.model_dump(mode="json"), []))


@router.post("/profile", response_class=HTMLResponse, response_model=None)
async def profile_save(request: Request, scope: ScopeDep) -> Response:
    form = await request.form()
    _, flags, missing = read_answers(form, QUESTIONS, prefix="flag_")
    if missing:
        return RedirectResponse("/screen", status_code=303)  # the answers got lost: ask them again
    ticked, errors = read_conditions(form)
    values: dict[str, Any] = {
        "regions": form.getlist("regions"),
        "conditions": ticked,
        "pain_now": form.get("pain_now"),
        "minutes_per_session": form.get("minutes_per_session"),
        "sessions_per_day": form.get("sessions_per_day"),
        "goal": form.get("goal"),
        **{name: form.get(name) == "yes" for name in PROFILE_FLAGS},
    }
    neck_shown, neck_flags, neck_errors = read_neck(form, Region.neck.value in values["regions"])
    errors = neck_errors + errors
    if errors:
        return page(request, "profile.html", 422, **_profile_form(flags, values, errors, neck_shown))
    data = {**values, "conditions": [c for c in ticked if c != NONE_OF_THESE], "red_flags": {**flags, **neck_flags}}
    try:
        profile = parse_profile(data, "Your answers")
    except ProfileFileError as error:
        return page(
            request, "profile.html", 422, **_profile_form(flags, values, [_plain_error(str(error))], neck_shown)
        )
    plan = set_profile(scope, profile)
    if plan.status is not Urgency.clear:  # a neck warning sign: where to go, as after the first screen
        return page(request, "screen_result.html", result=plan)
    return RedirectResponse("/program", status_code=303)


def _plain_error(message: str) -> str:
    """Turn "Your answers: field 'pain_now': ..." into one plain sentence for a person."""
    plain = {
        "regions": "Where it hurts: pick at least one place.",
        "pain_now": "Pain now: give a whole number from 0 to 10.",
        "minutes_per_session": f"Minutes per session: give a whole number from {MIN_MINUTES} to {MAX_MINUTES}.",
        "sessions_per_day": f"Sessions per day: give a whole number from 1 to {MAX_SESSIONS_PER_DAY}.",
        "goal": "Your goal: choose one of the two.",
        "conditions": "Health conditions: tick the ones that apply to you, or tick None of these.",
    }
    for field, sentence in plain.items():
        if f"field '{field}" in message:
            return sentence
    return message


@router.get("/program", response_class=HTMLResponse)
def program_page(request: Request, scope: ScopeDep) -> HTMLResponse:
    # What was decided when this version was made, as stored with it: no re-planning.
    found = current_program(scope)
    since = found.created_at.date() if found is not None else None
    # A pause lifted since this version was made: the card says who said the exercise is fine.
    cleared = {c.exercise_id: c for c in clearances.cleared_exercises(scope) if since and c.cleared_on >= since}
    return page(
        request,
        "program.html",
        found=found,
        cleared=cleared,
        today=today(scope),
        states=TodayState,
        warning=clearances.standing_warning(scope) is not None,
        paused_exercises=(paused := clearances.paused(scope)),
        paused_ids={p.exercise_id for p in paused},
    )


def _recheck_questions(scope: Scope) -> tuple[Question, ...]:
    """The warning signs again, with the neck ones when the neck is one of the person's regions."""
    latest = latest_profile(scope)
    return questions_for(latest is not None and Region.neck in latest.regions)


@router.get("/recheck", response_class=HTMLResponse)
def recheck_form(request: Request, scope: ScopeDep) -> HTMLResponse:
    questions = _recheck_questions(scope)
    return page(request, "recheck.html", questions=questions, answers={}, errors=[], due=rescreen_due(scope))


@router.post("/recheck", response_class=HTMLResponse)
async def recheck_answers(request: Request, scope: ScopeDep) -> HTMLResponse:
    """The warning-sign questions again, after pain rose: the same use case as `backcoach rescreen`."""
    form = await request.form()
    questions = _recheck_questions(scope)
    shown, answers, errors = read_answers(form, questions)
    if errors:
        return page(request, "recheck.html", 422, questions=questions, answers=shown, errors=errors, due=True)
    done = rescreen(scope, answers)
    if not done.result.is_clear:
        return page(request, "screen_result.html", result=done.result)
    return page(request, "recheck_done.html", result=done.result, review=review_out(done.review))


@router.get("/progress", response_class=HTMLResponse)
def progress_page(request: Request, scope: ScopeDep) -> HTMLResponse:
    summary = progress(scope)
    charts = None
    if summary is not None:
        charts = {
            "adherence": adherence_chart(summary.weeks),
            "pain": pain_chart(summary.weeks),
            "psfs": psfs_chart(summary.psfs_ratings),
        }
    notices = my_alerts(scope)  # the person's own pain alerts, in their words
    values: dict[str, Any] = {"change_note": CHANGE_NOTE, "real_change": REAL_CHANGE, "notices": notices}
    return page(request, "progress.html", summary=summary, charts=charts, **values)


@router.get("/library", response_class=HTMLResponse)
def library(
    request: Request, app: AppDep, q: str = "", region: str = "", kind: str = "", position: str = ""
) -> HTMLResponse:
    words = q.lower().split()
    found = [
        e
        for e in app.catalogue
        if (not region or region in e.regions)
        and (not kind or kind in e.kind)
        and (not position or position == e.position)
        and all(w in " ".join([e.name, *e.aliases, *e.muscles]).lower() for w in words)
    ]
    return page(
        request,
        "library.html",
        exercises=found,
        q=q,
        region=region,
        kind=kind,
        position=position,
        regions=list(Region),
        kinds=list(Kind),
        positions=list(Position),
    )


@router.get("/library/{exercise_id}", response_class=HTMLResponse)
def exercise_page(request: Request, exercise_id: str, app: AppDep) -> HTMLResponse:
    if exercise_id not in app.catalogue.ids():
        return page(request, "not_found.html", 404, what=f"No exercise called {exercise_id!r}.")
    return page(request, "exercise.html", e=app.catalogue.get(exercise_id))


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request) -> HTMLResponse:
    return page(request, "settings.html", message=None, error=None)


@router.post("/settings/import", response_class=HTMLResponse)
async def settings_import(
    request: Request,
    scope: ScopeDep,
    file: Annotated[UploadFile, File()],
    replace: Annotated[str, Form(max_length=10)] = "",
) -> HTMLResponse:
    raw = await file.read(MAX_IMPORT_BYTES + 1)
    try:
        if len(raw) > MAX_IMPORT_BYTES:
            raise TransferError(f"the file is too large for a backcoach export (over {MAX_IMPORT_BYTES // 1024} KB)")
        document = raw.decode("utf-8")
        done = await run_in_threadpool(bring_in, scope, document, replace == "yes")  # a long job: not on the loop
    except (TransferError, UnicodeDecodeError) as error:
        return page(request, "settings.html", 400, message=None, error=f"Nothing was imported: {error}")
    saved = f" What was here before is kept in {done.backup}." if done.backup else ""
    return page(request, "settings.html", message=f"Imported {done.rows} records.{saved}", error=None)
