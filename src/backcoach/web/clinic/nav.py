"""What the header shows in clinic mode: who is signed in, for the links their role has (a template
global, so every page's header knows without each route passing it). Local mode has no accounts:
the header is the one person's, as it always was."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from backcoach.core.access import STAFF, Role
from backcoach.core.errors import BackcoachError
from backcoach.web.deps import clinic_mode, get_login


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
