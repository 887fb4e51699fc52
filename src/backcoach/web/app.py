"""Build the web app. Nothing connects until the first request needs the database."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from backcoach import __version__
from backcoach.core.pain_advice import DURING_EXERCISE
from backcoach.services.context import App, OnceApp, open_app
from backcoach.web import (
    activity_routes,
    api,
    app_shell,
    clearance_routes,
    errors,
    figure_routes,
    lesson_routes,
    pages,
    print_routes,
    session_page,
    sign_in,
)
from backcoach.web.clinic import pages as clinic_pages
from backcoach.web.clinic.nav import critical_for, header_for
from backcoach.web.deps import clinic_mode
from backcoach.web.form_tokens import FormTokens, check_form, json_only
from backcoach.web.guard import LOOPBACK_NAMES, LocalOnly

STATIC = resources.files("backcoach.web").joinpath("static")

# The one statement about pain, for every page that shows cautions. Set here rather than in
# `pages` (which another change owns right now); it belongs in its `globals.update` later.
pages.templates.env.globals["during_exercise"] = DURING_EXERCISE
# The header: the one person's links in local mode; in clinic mode, those of whoever is signed in.
pages.templates.env.globals["clinic_mode"] = clinic_mode
pages.templates.env.globals["signed_in_header"] = header_for
pages.templates.env.globals["critical_banner"] = critical_for


def create_app(
    opener: Callable[[], App] | None = None,
    allowed_hosts: set[str] | None = None,
    form_tokens: FormTokens | None = None,
    clinic: bool = False,
) -> FastAPI:
    """The web app: for the one person on this computer, or (`clinic`) for a clinic's staff and
    patients, signed in, behind an https proxy (README, "Running a clinic")."""
    app = FastAPI(
        title="backcoach",
        version=__version__,
        description="Safe, explainable exercise coaching for back pain. It guides exercise; it does not diagnose.",
        docs_url=None,  # the interactive docs load scripts from a CDN; the app never does
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    # The database opens on the first request that needs it, once, however many arrive together.
    app.state.open_app = OnceApp(opener or open_app)
    app.state.form_tokens = form_tokens or FormTokens()
    app.state.clinic = clinic
    errors.install(app)
    app.add_middleware(LocalOnly, allowed_hosts=allowed_hosts or LOOPBACK_NAMES, clinic=clinic)
    # The API takes JSON only; every page route that changes something needs the form's token.
    for router in (api.router, clearance_routes.api, activity_routes.api):
        app.include_router(router, dependencies=[Depends(json_only)])
    page_routers: tuple[APIRouter, ...] = (
        clearance_routes.pages,
        activity_routes.pages,
        lesson_routes.pages,
        pages.router,
        session_page.router,
    )
    if clinic:
        page_routers = (*page_routers, sign_in.router, *clinic_pages.ROUTERS)
    for router in (*page_routers, figure_routes.router, print_routes.router, app_shell.router):
        app.include_router(router, dependencies=[Depends(check_form)])
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app
