"""The clinic's pages. Each router here is included in clinic mode only (`web/app.py`)."""

from __future__ import annotations

from backcoach.web.clinic import (
    account_pages,
    care_pages,
    patient_pages,
    prescribe_pages,
    roster_pages,
    staff_pages,
)

ROUTERS = (
    roster_pages.router,
    patient_pages.router,
    care_pages.router,
    staff_pages.router,
    account_pages.router,
    prescribe_pages.router,
)
