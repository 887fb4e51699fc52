"""Where a route's work runs: on the event loop, or in a worker thread (`in_a_thread`).

The JSON API's routes (`idempotency.ChangeRoute`) and the person's own pages (`ReadRoute`) run
their plain functions this way instead of FastAPI's, which hands a plain function to a thread and
then its reply to a thread again, to check it against the response model.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from typing import Any

import anyio.to_thread
from anyio import CapacityLimiter
from anyio.lowlevel import RunVar
from fastapi.routing import APIRoute

from backcoach.services.context import App, Scope

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Route work in threads, at most this many at once per process. Threads take turns on Python's
# one interpreter lock: with anyio's default of 40, the twenty requests of a benchmark all ran at
# once and spent their time handing the lock around (PostgreSQL, a year of history, 2 workers at
# 20 connections: history pages 269/s at 40 threads, 361/s at 4, 384/s at 2; writes 231/s at
# 40, 296/s at 4, 268/s at 2). Four still overlap the network waits of a few requests. The
# export and an import, long jobs, run on anyio's own threads and take none of these.
ROUTE_THREADS = 4
_route_threads: RunVar[CapacityLimiter] = RunVar("backcoach route threads")


def route_threads() -> CapacityLimiter:
    """This event loop's limit on route work in threads (made on first use, one per loop)."""
    try:
        return _route_threads.get()
    except LookupError:
        limiter = CapacityLimiter(ROUTE_THREADS)
        _route_threads.set(limiter)
        return limiter


def in_a_thread(endpoint: Callable[..., Any], local_on_the_loop: bool = False) -> Callable[..., Any]:
    """A plain route function, run in a worker thread by an async one. FastAPI runs a plain
    function's work in a thread too, and then hands its reply to a thread again to check it
    against the response model: one hand-over less per request, for the same work.

    With `local_on_the_loop`, work on the one person's own record on SQLite runs on the event
    loop itself, with no thread: its queries come from this machine's own file and wait on no
    network, and handing a request to a thread and back cost more than the work (threads take
    turns on Python's one interpreter lock: a page of history at 20 connections took 4.9 ms of CPU
    in a thread and 3.2 ms on the loop; a write at 20 connections answered 450/s in threads and
    600/s on the loop, as the thread holding the file's write lock no longer waited for the
    interpreter lock). Such a change is one short transaction on that file (a long job, such as
    an import, is an async route that hands itself to a thread). Work on PostgreSQL waits on the
    network, and a clinic's reads may write (summaries brought up to date): those keep their
    thread, one of at most ROUTE_THREADS at once."""
    if inspect.iscoroutinefunction(endpoint):
        return endpoint

    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Any:
        if local_on_the_loop and _local_record(kwargs.values()):
            return endpoint(*args, **kwargs)
        work = functools.partial(endpoint, *args, **kwargs)
        return await anyio.to_thread.run_sync(work, limiter=route_threads())

    return run


def _local_record(arguments: Iterable[Any]) -> bool:
    """Whether the route's work is on this machine's SQLite file for its one local person: its
    scope is the local person's (or it is given the app alone) on SQLite."""
    for value in arguments:
        if isinstance(value, Scope | App):
            return value.reads_on_this_machine
    return False


def reads_only(methods: Iterable[str] | None) -> bool:
    """Whether a route of these methods only reads (GET, HEAD, OPTIONS)."""
    return not {m.upper() for m in methods or ()} - SAFE_METHODS


class ReadRoute(APIRoute):
    """A page route whose plain function runs by `in_a_thread`: a page that only reads (a GET) of
    the local person's record on SQLite on the event loop, any other in a worker thread (a form
    sent may be a whole file to import)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        on_the_loop = reads_only(kwargs.get("methods"))
        super().__init__(path, in_a_thread(endpoint, local_on_the_loop=on_the_loop), **kwargs)
