"""One mapping from the app's errors to HTTP: a problem body `{"detail": ...}` under /api,
an error page elsewhere. Routes raise; they do not catch."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.routing import Match

from backcoach.core.errors import (
    BackcoachError,
    InvalidInput,
    NoProgram,
    NotAllowed,
    NotEmpty,
    NotFound,
    NotNow,
    NotSignedIn,
    StorageUnavailable,
    TransferError,
    TryLater,
)

# Most specific first: the first class the error is an instance of gives the status.
STATUS: tuple[tuple[type[BackcoachError], int], ...] = (
    (NotEmpty, 409),  # the import was sent again, say: the database has its history now
    (TransferError, 400),  # a damaged upload, as the command line says "cannot import"
    (InvalidInput, 422),
    (NotFound, 404),
    (NotSignedIn, 401),
    (NotAllowed, 403),
    (TryLater, 429),
    (NotNow, 409),
    (StorageUnavailable, 503),
    (BackcoachError, 400),
)


LOG = logging.getLogger("backcoach.web")
SERVER_ERROR = "Something went wrong on our side. Please try again in a moment."
# Paths whose answers are read by programs (or image tags), not people: they get JSON, not a page.
MACHINE_PATHS = ("/api/", "/figures/", "/static/")


def for_machines(request: Request) -> bool:
    return request.url.path.startswith(MACHINE_PATHS)


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def status_of(error: BackcoachError) -> int:
    return next(status for kind, status in STATUS if isinstance(error, kind))


def problem(error: BackcoachError) -> JSONResponse:
    """The API's answer to an error: `{"detail": "one sentence"}` with its status."""
    return JSONResponse({"detail": str(error)}, status_code=status_of(error))


def install(app: FastAPI) -> None:
    async def handle(request: Request, error: Exception) -> Response:
        assert isinstance(error, BackcoachError)
        status = status_of(error)
        if request.url.path.startswith("/api/"):
            answer = problem(error)
            if isinstance(error, TryLater):
                answer.headers["Retry-After"] = str(error.retry_after)
            return answer
        if isinstance(error, NotSignedIn):  # a page: the sign-in page, then back here
            from fastapi.responses import RedirectResponse

            return RedirectResponse("/sign-in", status_code=303)
        from backcoach.web.pages import page

        storage = isinstance(error, StorageUnavailable)
        return page(
            request, "problem.html", status, message=str(error), start=isinstance(error, NoProgram), storage=storage
        )

    async def invalid_request(request: Request, error: Exception) -> Response:
        """The request's own checks refused it: each field named, with what is wrong. The value
        sent is not echoed: it may not even be JSON (NaN, Infinity), and it is the client's anyway."""
        assert isinstance(error, RequestValidationError)
        problems = [{"loc": list(e["loc"]), "msg": str(e["msg"]), "type": str(e["type"])} for e in error.errors()]
        return JSONResponse({"detail": problems}, status_code=422)

    async def http_error(request: Request, error: Exception) -> Response:
        """Starlette's own answers (no such page, a method not allowed): a page for people."""
        assert isinstance(error, HTTPException)
        if for_machines(request) or error.status_code != 404:
            return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)
        from backcoach.web.pages import page

        return page(request, "not_found.html", error.status_code, what="There is no page at this address.")

    async def server_error(request: Request, error: Exception) -> Response:
        LOG.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
        if for_machines(request):
            return JSONResponse({"detail": SERVER_ERROR}, status_code=500)
        from backcoach.web.pages import page

        return page(request, "problem.html", 500, message=SERVER_ERROR, start=False)

    async def method_not_allowed(request: Request, error: Exception) -> Response:
        """A method this address does not take. `Allow` names what every route at the address takes:
        Starlette names only the first route's, and an address may have two (GET and POST)."""

        def takes(method: str) -> bool:
            scope = {**request.scope, "method": method}
            return any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes)

        allowed = [method for method in METHODS if takes(method)]
        return JSONResponse({"detail": "Method Not Allowed"}, status_code=405, headers={"Allow": ", ".join(allowed)})

    app.add_exception_handler(BackcoachError, handle)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(405, method_not_allowed)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, server_error)
