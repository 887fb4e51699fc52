"""What a route is given: the app's one open database, who is signed in, and the scope it acts in,
as `Annotated` dependencies, so routes only parse input and render output.

On one machine (local mode) there is no account: every request acts for the local person. In
clinic mode the sign-in cookie says who acts; a patient's own pages act on their own record, and
staff pages get the staff member as an `Actor` to hand to the clinic's use cases.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from backcoach.core.access import STAFF, Actor, Role
from backcoach.core.errors import NotAllowed, NotSignedIn
from backcoach.services.accounts import Login, current_login
from backcoach.services.context import App, OnceApp, Scope, local_scope

SESSION_COOKIE = "backcoach_session"
FOR_STAFF = "These pages are for patients. Your pages are at /clinic."


def app_of(request: Request) -> App:
    """The app, opened on first use (in the calling thread: never call it on the event loop)."""
    return request.app.state.open_app()  # type: ignore[no-any-return]


async def get_app(request: Request) -> App:
    """The app, handed over on the event loop once it is open; the first request opens it in a
    worker thread, as opening reads (and may migrate) the database. A dependency that needs no
    thread saves a hand-over to one and back, a good part of a small request's time."""
    opener: OnceApp = request.app.state.open_app
    opened = opener.opened
    return opened if opened is not None else await run_in_threadpool(opener)


def clinic_mode(request: Request) -> bool:
    return bool(getattr(request.app.state, "clinic", False))


def get_login(request: Request) -> Login | None:
    """The live sign-in of this browser (read once per request), or None."""
    if "login" not in request.state._state:
        token = request.cookies.get(SESSION_COOKIE)
        request.state.login = current_login(app_of(request), token) if clinic_mode(request) else None
    found: Login | None = request.state.login
    return found


def signed_in(request: Request) -> Login:
    """A fully signed-in account (staff past their second factor), or NotSignedIn."""
    login = get_login(request)
    if login is None:
        raise NotSignedIn()
    if login.needs_second_factor:
        raise NotSignedIn("Please enter the code from your authenticator app.")
    return login


def scope_of(request: Request) -> Scope:
    """Local mode: the one person on this machine. Clinic mode: the signed-in patient's own record.
    (It may read the database: in a thread, never on the event loop.)"""
    if not clinic_mode(request):
        return local_scope(app_of(request))
    actor = signed_in(request).actor
    if actor.role is not Role.patient or actor.person_id is None:
        raise NotAllowed(FOR_STAFF)
    return Scope(app_of(request), actor, actor.person_id)


async def get_scope(request: Request) -> Scope:
    """`scope_of` as a dependency: on the event loop in local mode once the app is open; a clinic's
    sign-in is read from the database, in a worker thread."""
    if not clinic_mode(request):
        return local_scope(await get_app(request))
    return await run_in_threadpool(scope_of, request)


def get_actor(request: Request) -> Actor:
    """Anyone signed in to the clinic (the clinic's own pages and use cases check the role)."""
    if not clinic_mode(request):
        raise NotAllowed("There are no accounts on this computer: the clinic's pages are in clinic mode only.")
    return signed_in(request).actor


def get_staff(request: Request) -> Actor:
    actor = get_actor(request)
    if actor.role not in STAFF:
        raise NotAllowed("These pages are for the clinic's staff.")
    return actor


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


AppDep = Annotated[App, Depends(get_app)]
ScopeDep = Annotated[Scope, Depends(get_scope)]
ActorDep = Annotated[Actor, Depends(get_actor)]
StaffDep = Annotated[Actor, Depends(get_staff)]
LoginDep = Annotated[Login | None, Depends(get_login)]
