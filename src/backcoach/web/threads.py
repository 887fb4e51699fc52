"""Where a route's work runs: on the event loop, or in a worker thread (`in_a_thread`).

The JSON API's routes (`idempotency.ChangeRoute`) and the person's own pages (`ReadRoute`) run
their plain functions this way instead of FastAPI's, which hands a plain function to a thread and
then its reply to a thread again, to check it against the response model.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
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
# How long a change on the event loop may wait for the record's change under way in a thread
# before it goes to a thread too: about ten writes; an import takes seconds. (Not at once: one
# change sent to a thread, holding the turn, would send the next there too, and under load
# every change would end up in threads.)
LOOP_WAIT_SECONDS = 0.01
_route_threads: RunVar[CapacityLimiter] = RunVar("backcoach route threads")


def route_threads() -> CapacityLimiter:
    """This event loop's limit on route work in threads (made on first use, one per loop)."""
    try:
        return _route_threads.get()
    except LookupError:
        limiter = CapacityLimiter(ROUTE_THREADS)
        _route_threads.set(limiter)
        return limiter


def in_a_thread(
    endpoint: Callable[..., Any], local_on_the_loop: bool = False, changes: bool = False
) -> Callable[..., Any]:
    """A plain route function, run in a worker thread by an async one. FastAPI runs a plain
    function's work in a thread too, and then hands its reply to a thread again to check it
    against the response model: one hand-over less per request, for the same work.

    With `local_on_the_loop`, work on the one person's own record on SQLite runs on the event
    loop itself, with no thread: its queries come from this machine's own file and wait on no
    network, and handing a request to a thread and back cost more than the work (threads take
    turns on Python's one interpreter lock: a page of history at 20 connections took 4.9 ms of CPU
    in a thread and 3.2 ms on the loop; a write at 20 connections answered 450/s in threads and
    600/s on the loop, as the thread holding the file's write lock no longer waited for the
    interpreter lock). A change (`changes`) is one short transaction on that file, but waiting
    for its turn on the loop would hold up every request: it runs there only if its turn can be
    had soon (`Scope.turn_at_once`: the change of the record under way in this process, if any,
    done within LOOP_WAIT_SECONDS); otherwise it waits in a thread, as behind an import. Its
    wait for the file's other writers (the other workers, a command run beside the server) is
    on the loop: a few milliseconds at most under load, but as long as an import or a backup
    takes when one runs in another process. (Looking at their turn first and keeping it for the
    change's write cost a fifth of the writes per second at 20 connections.) Work on PostgreSQL
    waits on the network, and a clinic's reads may write (summaries brought up to date): those
    keep their thread, one of at most ROUTE_THREADS at once."""
    if inspect.iscoroutinefunction(endpoint):
        return endpoint

    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Any:
        if local_on_the_loop and _local_record(kwargs.values()):
            with _turn_on_the_loop(kwargs.values(), changes) as ours:
                if ours:
                    return endpoint(*args, **kwargs)
        work = functools.partial(_reading_once, endpoint, args, kwargs)
        return await anyio.to_thread.run_sync(work, limiter=route_threads())

    return run


def _reading_once(endpoint: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """The work in its thread, its reads in one session where that saves round trips to the
    database (PostgreSQL: `App.one_read`)."""
    app = next(
        (
            value.app if isinstance(value, Scope) else value
            for value in kwargs.values()
            if isinstance(value, Scope | App)
        ),
        None,
    )
    with app.one_read() if app is not None else nullcontext():
        return endpoint(*args, **kwargs)


def _local_record(arguments: Iterable[Any]) -> bool:
    """Whether the route's work is on this machine's SQLite file for its one local person: its
    scope is the local person's (or it is given the app alone) on SQLite."""
    for value in arguments:
        if isinstance(value, Scope | App):
            return value.reads_on_this_machine
    return False


def _turn_on_the_loop(arguments: Iterable[Any], changes: bool) -> AbstractContextManager[bool]:
    """Whether the work may run on the loop now: a read always; a change of the scope's record
    if its turn can be had at once (held until the work ends)."""
    scope = next((value for value in arguments if isinstance(value, Scope)), None)
    if not changes or scope is None:  # a read, or work given the app alone, which changes nothing stored
        return nullcontext(True)
    return scope.turn_at_once(LOOP_WAIT_SECONDS)


def reads_only(methods: Iterable[str] | None) -> bool:
    """Whether a route of these methods only reads (GET, HEAD, OPTIONS)."""
    return not {m.upper() for m in methods or ()} - SAFE_METHODS


class ReadRoute(APIRoute):
    """A page route whose plain function runs by `in_a_thread`: a page that only reads (a GET) of
    the local person's record on SQLite on the event loop, a plain form's POST in a worker thread.
    An async route runs as written, on the loop, and hands its long work to a thread itself (the
    import: `services.transfer.bring_in`)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        on_the_loop = reads_only(kwargs.get("methods"))
        super().__init__(path, in_a_thread(endpoint, local_on_the_loop=on_the_loop), **kwargs)
