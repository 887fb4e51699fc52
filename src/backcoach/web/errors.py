"""One mapping from the app's errors to HTTP: a problem body `{"detail": ...}` under /api,
an error page elsewhere. Routes raise; they do not catch."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from backcoach.core.errors import (
    BackcoachError,
    InvalidInput,
    NoProgram,
    NotAllowed,
    NotEmpty,
    NotFound,
    NotNow,
    StorageUnavailable,
    TransferError,
)

# Most specific first: the first class the error is an instance of gives the status.
STATUS: tuple[tuple[type[BackcoachError], int], ...] = (
    (NotEmpty, 409),  # the import was sent again, say: the database has its history now
    (TransferError, 400),  # a damaged upload, as the command line says "cannot import"
    (InvalidInput, 422),
    (NotFound, 404),
    (NotAllowed, 403),
    (NotNow, 409),
    (StorageUnavailable, 503),
    (BackcoachError, 400),
)


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
            return problem(error)
        from backcoach.web.pages import page

        return page(request, "problem.html", status, message=str(error), start=isinstance(error, NoProgram))

    async def invalid_request(request: Request, error: Exception) -> Response:
        """The request's own checks refused it: each field named, with what is wrong. The value
        sent is not echoed: it may not even be JSON (NaN, Infinity), and it is the client's anyway."""
        assert isinstance(error, RequestValidationError)
        problems = [{"loc": list(e["loc"]), "msg": str(e["msg"]), "type": str(e["type"])} for e in error.errors()]
        return JSONResponse({"detail": problems}, status_code=422)

    app.add_exception_handler(BackcoachError, handle)
    app.add_exception_handler(RequestValidationError, invalid_request)
