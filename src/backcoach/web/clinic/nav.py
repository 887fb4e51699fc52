"""What the header shows in clinic mode: who is signed in, for the links their role has (a template
global, so every page's header knows without each route passing it). Local mode has no accounts:
the header is the one person's, as it always was."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from backcoach.core.access import STAFF, Role
from backcoach.core.errors import BackcoachError
from backcoach.services.roster import CriticalNotice, critical_alerts
from backcoach.web.deps import app_of, clinic_mode, get_login


@dataclass(frozen=True)
class Header:
    role: Role
    name: str

    @property
    def staff(self) -> bool:
        return self.role in STAFF

    @property
    def admin(self) -> bool:
        return self.role is Role.admin


def header_for(request: Request) -> Header | None:
    """The fully signed-in account of this browser (None when nobody is, or only half: staff
    before their code). An error page must still render, so a failing look-up counts as nobody."""
    if not clinic_mode(request):
        return None
    try:
        login = get_login(request)
    except BackcoachError:
        return None
    if login is None or login.needs_second_factor:
        return None
    return Header(Role(login.account.role), login.account.name)


def critical_for(request: Request) -> list[CriticalNotice]:
    """The signed-in staff member's patients with an open critical alert, for the banner at the top
    of every staff page (one indexed query, `services.roster`). A failing look-up shows no banner,
    so an error page still renders."""
    header = header_for(request)
    if header is None or not header.staff:
        return []
    try:
        login = get_login(request)
        if login is None:
            return []
        return critical_alerts(app_of(request), login.actor)
    except Exception:  # the banner must never break the page it sits on
        return []
