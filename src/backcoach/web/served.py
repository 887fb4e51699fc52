"""The web app as `backcoach serve` runs it, from what the command put in the environment: the
same in the one process, or in each worker process of `serve --workers N` (uvicorn starts those
afresh and imports this)."""

from __future__ import annotations

import gc
import os

from fastapi import FastAPI

from backcoach.services.context import App, open_app
from backcoach.settings import get_settings
from backcoach.web.app import create_app
from backcoach.web.form_tokens import FormTokens
from backcoach.web.guard import LOOPBACK_NAMES

NAME = "BACKCOACH_SERVE_NAME"  # the address it listens on, as a browser names it: it answers there too
IMPORT = "backcoach.web.served:served_app"


def open_settled() -> App:
    """The app opened as a long-running server wants it: what exists once it is open (the
    catalogue, the routes, the database's engine) is set aside from Python's garbage collector.
    Otherwise each full collection walks those 170,000 objects again, for about 100 ms in which
    every reply waits: the slowest 1 % of replies were mostly such pauses."""
    opened = open_app()
    gc.collect()
    gc.freeze()
    return opened


def served_app() -> FastAPI:
    settings = get_settings()
    # A clinic's cookies go over https only, unless it is the demo on this computer's own address.
    secure = settings.secure_cookies or (settings.clinic and not settings.clinic_demo)
    tokens = FormTokens.from_settings(settings.form_secret, secure)
    hosts = LOOPBACK_NAMES | {os.environ.get(NAME, "127.0.0.1")} | (settings.host_names if settings.clinic else set())
    if settings.clinic:
        from backcoach.security.passwords import dummy_verify

        dummy_verify()  # makes its decoy hash now: the first unknown name then takes no longer than the rest
    return create_app(open_settled, allowed_hosts=hosts, form_tokens=tokens, clinic=settings.clinic)
