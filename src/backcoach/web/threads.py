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

from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from backcoach.services.context import App, Scope

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def in_a_thread(endpoint: Callable[..., Any], reads: bool = False) -> Callable[..., Any]:
    """A plain route function, run in a worker thread by an async one. FastAPI runs a plain
    function's work in a thread too, and then hands its reply to a thread again to check it
    against the response model: one hand-over less per request, for the same work.

    A read (`reads`) of the one person's own record on SQLite runs on the event loop itself, with
    no thread: its queries come from this machine's own file and wait on no network, and handing
    a request to a thread and back cost more than such a read (threads take turns on Python's one
    interpreter lock: a page of history at 20 connections took 4.9 ms of CPU in a thread and 3.2
    ms on the loop). A read on PostgreSQL waits on the network, and a clinic's reads may write
    (summaries brought up to date): those keep their thread, as every change does."""
    if inspect.iscoroutinefunction(endpoint):
        return endpoint

    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Any:
        if reads and _local_read(kwargs.values()):
            return endpoint(*args, **kwargs)
        return await run_in_threadpool(endpoint, *args, **kwargs)

    return run


def _local_read(arguments: Iterable[Any]) -> bool:
    """Whether the route's work reads only this machine's SQLite file for its one local person:
    its scope is the local person's (or it is given the app alone) on SQLite."""
    for value in arguments:
        if isinstance(value, Scope | App):
            return value.reads_on_this_machine
    return False


def reads_only(methods: Iterable[str] | None) -> bool:
    """Whether a route of these methods only reads (GET, HEAD, OPTIONS)."""
    return not {m.upper() for m in methods or ()} - SAFE_METHODS


class ReadRoute(APIRoute):
    """A page route whose plain function runs by `in_a_thread`: a page that only reads (a GET) of
    the local person's record on SQLite on the event loop, any other in a worker thread."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, in_a_thread(endpoint, reads=reads_only(kwargs.get("methods"))), **kwargs)
