"""The JSON API's routes that change something: one change at a time per record, and the
Idempotency-Key request header, implemented once for every such route (`ChangeRoute`).

A client (a phone that was offline and sends its queue again, say) names a request with a key
of its own making. The first request with a key is answered as usual, and its status and body
are kept; the same request sent again with that key gets exactly that answer (status and body,
plus `Idempotent-Replayed: true`) and nothing is done again. The same key with another route or
body is refused (422, naming the header). While the first is still being answered, a second
waits a moment for its answer, or is told to try again (409).

Without a key, requests that arrive together are still answered one after the other (see
`Scope.changing`), so a repeat gets what a repeat sent later would get.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import anyio
from fastapi import Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from backcoach.core.errors import BackcoachError, Busy
from backcoach.schemas.output import Invalid, Problem
from backcoach.services import idempotency
from backcoach.services.context import Scope
from backcoach.web.deps import get_scope
from backcoach.web.errors import problem
from backcoach.web.threads import in_a_thread, reads_only

HEADER = "Idempotency-Key"
SHORTEST, LONGEST = 8, 100  # a key's length
PATTERN = "^[A-Za-z0-9_-]+$"
KEY = re.compile(f"[A-Za-z0-9_-]{{{SHORTEST},{LONGEST}}}")
KEY_RULE = f"{SHORTEST} to {LONGEST} letters, digits, '-' or '_'"
WAIT_SECONDS = 5.0  # how long a repeat waits for the first request's answer before it is told to try again
WAIT_STEP = 0.05
DESCRIPTION = (
    f"A name of your own for this request ({KEY_RULE}; a new random one for "
    "each new request). Send the same request again with the same key and you get the first answer "
    "again (with `Idempotent-Replayed: true`), and nothing is done twice. The same key with another route "
    "or body is refused (422); while the first is still being answered, a repeat may get 409. Keys are "
    f"kept for {idempotency.KEEP_FOR.days} days."
)
# The header in the API's documentation (`answer_once` reads and checks it, before the route runs).
KEY_PARAMETER: dict[str, Any] = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": DESCRIPTION,
    "schema": {"type": "string", "minLength": SHORTEST, "maxLength": LONGEST, "pattern": PATTERN},
}
KEY_RESPONSES: dict[int | str, dict[str, Any]] = {
    409: {"model": Problem, "description": "Not now, or: the request with this key is still being answered."},
    422: {"model": Invalid, "description": f"Refused: a field, or an {HEADER} used for another request."},
}


def _refused(message: str, kind: str) -> JSONResponse:
    return JSONResponse({"detail": [{"loc": ["header", HEADER], "msg": message, "type": kind}]}, status_code=422)


def _replay(answered: idempotency.Answered) -> Response:
    assert answered.status_code is not None
    return Response(
        answered.body,
        status_code=answered.status_code,
        media_type=answered.media_type,
        headers={"Idempotent-Replayed": "true"},
    )


async def _claim(scope: Scope, key: str, asked: str) -> Response | None:
    """None when this request has the key; else the answer to give (the first's, or a refusal)."""
    waited = 0.0
    while True:
        found = await run_in_threadpool(idempotency.claim, scope, key, asked)
        if found is None:
            return None
        if found.fingerprint != asked:
            return _refused(f"this {HEADER} was used for another request; use a new key for a new request", "reused")
        if found.status_code is not None:
            return _replay(found)
        if waited >= WAIT_SECONDS:
            return problem(Busy(f"The request with this {HEADER} is still being answered. Try again in a moment."))
        await anyio.sleep(WAIT_STEP)
        waited += WAIT_STEP


async def answer_once(request: Request, handler: Callable[[Request], Awaitable[Response]]) -> Response:
    key = request.headers.get(HEADER)
    if key is None:
        return await handler(request)
    if not KEY.fullmatch(key):
        return _refused(f"give {KEY_RULE}", "string_pattern_mismatch")
    scope = await get_scope(request)
    asked = idempotency.fingerprint(request.method, request.url.path + "?" + request.url.query, await request.body())
    earlier = await _claim(scope, key, asked)
    if earlier is not None:
        return earlier
    with anyio.CancelScope(shield=True):  # once begun, it is answered and kept, even if the client has gone
        try:
            response = await handler(request)
        except BackcoachError as error:
            response = problem(error)  # what the error handler would answer
        except BaseException:  # a server error, or the request's own checks: sent again, it is tried again
            await run_in_threadpool(idempotency.release, scope, key)
            raise
        if response.status_code >= 500 or not isinstance(response.body, bytes):
            await run_in_threadpool(idempotency.release, scope, key)
            return response
        media_type = response.headers.get("content-type", "application/json")
        await run_in_threadpool(idempotency.answer, scope, key, response.status_code, bytes(response.body), media_type)
    return response


def one_at_a_time(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """The route's work, as one change at a time to the scope's record (`Scope.changing`). The
    lock is taken where the work runs, in its thread, so a request waiting for its turn never
    holds up the one whose turn it is; on the event loop (the local record on SQLite) the work
    runs there only when its turn is free (`in_a_thread`), and whole, with no await inside, so
    two changes there never overlap either. An async route takes its turn itself."""
    if inspect.iscoroutinefunction(endpoint):
        return endpoint

    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        scope = next((value for value in kwargs.values() if isinstance(value, Scope)), None)
        if scope is None:  # it changes nothing stored
            return endpoint(*args, **kwargs)
        with scope.changing():
            return endpoint(*args, **kwargs)

    return run


class ChangeRoute(APIRoute):
    """A route of the JSON API, its work done in a worker thread, or for the local person's record
    on SQLite on the event loop (`in_a_thread`). One that changes
    something (any method but GET, HEAD and OPTIONS) runs one at a time per record and takes an
    Idempotency-Key."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        self.changes = not reads_only(kwargs.get("methods"))
        if self.changes:
            endpoint = one_at_a_time(endpoint)
        endpoint = in_a_thread(endpoint, local_on_the_loop=True, changes=self.changes)
        if self.changes:
            extra = kwargs.get("openapi_extra") or {}
            kwargs["openapi_extra"] = {**extra, "parameters": [*extra.get("parameters", ()), KEY_PARAMETER]}
            # 409 as the route says, if it does; 422 may name the header, in a list, on every one of them
            kwargs["responses"] = {409: KEY_RESPONSES[409], **(kwargs.get("responses") or {}), 422: KEY_RESPONSES[422]}
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if not self.changes:
            return handler

        async def once(request: Request) -> Response:
            return await answer_once(request, handler)

        return once
