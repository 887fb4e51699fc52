"""What a route is given: the app's one open database and the scope it acts in, as
`Annotated` dependencies, so routes only parse input and render output."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from backcoach.services.context import App, Scope, local_scope


def get_app(request: Request) -> App:
    return request.app.state.open_app()  # type: ignore[no-any-return]


def get_scope(request: Request) -> Scope:
    """Local mode: the one person on this machine. (Clinic mode will resolve the signed-in actor.)"""
    return local_scope(get_app(request))


AppDep = Annotated[App, Depends(get_app)]
ScopeDep = Annotated[Scope, Depends(get_scope)]
