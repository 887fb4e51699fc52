"""The web app as `backcoach serve` runs it, from what the command put in the environment: the
same in the one process, or in each worker process of `serve --workers N` (uvicorn starts those
afresh and imports this)."""

from __future__ import annotations

import os

from fastapi import FastAPI

from backcoach.settings import get_settings
from backcoach.web.app import create_app
from backcoach.web.form_tokens import FormTokens
from backcoach.web.guard import LOOPBACK_NAMES

NAME = "BACKCOACH_SERVE_NAME"  # the address it listens on, as a browser names it: it answers there too
IMPORT = "backcoach.web.served:served_app"


def served_app() -> FastAPI:
    settings = get_settings()
    # A clinic's cookies go over https only, unless it is the demo on this computer's own address.
    secure = settings.secure_cookies or (settings.clinic and not settings.clinic_demo)
    tokens = FormTokens.from_settings(settings.form_secret, secure)
    hosts = LOOPBACK_NAMES | {os.environ.get(NAME, "127.0.0.1")} | (settings.host_names if settings.clinic else set())
    if settings.clinic:
        from backcoach.security.passwords import dummy_verify

        dummy_verify()  # makes its decoy hash now: the first unknown name then takes no longer than the rest
    return create_app(allowed_hosts=hosts, form_tokens=tokens, clinic=settings.clinic)
