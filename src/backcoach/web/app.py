"""Build the web app. Nothing connects until the first request needs the database."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from backcoach import __version__
from backcoach.services.context import Context, open_context
from backcoach.web import api, figure_routes, pages, print_routes
from backcoach.web.guard import LOOPBACK_NAMES, LocalOnly

STATIC = resources.files("backcoach.web").joinpath("static")


def create_app(context: Callable[[], Context] | None = None, allowed_hosts: set[str] | None = None) -> FastAPI:
    app = FastAPI(
        title="backcoach",
        version=__version__,
        description="Safe, explainable exercise coaching for back pain. It guides exercise; it does not diagnose.",
        docs_url=None,  # the interactive docs load scripts from a CDN; the app never does
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.context = cache(context or open_context)
    app.add_middleware(LocalOnly, allowed_hosts=allowed_hosts or LOOPBACK_NAMES)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(figure_routes.router)
    app.include_router(print_routes.router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app
