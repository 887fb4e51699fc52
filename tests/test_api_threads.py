"""Where the JSON API does a route's work: on the local person's record on SQLite on the event
loop itself, a read or a change alike (handing it to a thread and back cost more than the work);
on PostgreSQL, for a clinic's patient, the whole export, an import and a page's form in a worker
thread, so no network wait or long job holds up the other requests of the server."""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable
from typing import Any

import anyio
import pytest
from anyio import wait_all_tasks_blocked

from backcoach.core.access import Actor, Role
from backcoach.services import activities
from backcoach.services.context import Scope
from backcoach.services.history_pages import history_page
from backcoach.services.transfer import export_mine
from backcoach.web import api, threads
from tests.test_web_api import API, client_for


def on_the_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False  # a worker thread has no event loop running
    return True


def noting(where: list[bool], work: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        where.append(on_the_loop())
        return work(*args, **kwargs)

    return run


def test_work_on_the_local_record_runs_on_the_loop_only_on_sqlite(ctx: Scope, monkeypatch: pytest.MonkeyPatch) -> None:
    pages: list[bool] = []
    exports: list[bool] = []
    ratings: list[bool] = []
    monkeypatch.setattr(api, "history_page", noting(pages, history_page))
    monkeypatch.setattr(api, "export_mine", noting(exports, export_mine))
    monkeypatch.setattr(activities, "rate_activity", noting(ratings, activities.rate_activity))
    client = client_for(ctx)
    assert client.get(f"{API}/sessions?limit=5").status_code == 200
    assert client.get(f"{API}/export").status_code == 200
    added = client.post(f"{API}/activities", json={"name": "Putting on socks", "score": 4})
    assert client.post(f"{API}/activities/{added.json()['id']}/ratings", json={"score": 5}).status_code == 201
    sqlite = ctx.app.database.is_sqlite
    assert sqlite == (ctx.app.database.sessions.kw["bind"].dialect.name == "sqlite")
    assert pages == [sqlite]  # PostgreSQL: in a thread
    assert ratings == [sqlite]  # a change too
    assert exports == [False]  # a long job: in a thread, on any database


def test_forms_and_other_peoples_records_run_in_a_thread(ctx: Scope) -> None:
    where: list[bool] = []

    def endpoint(scope: Scope) -> str:
        where.append(on_the_loop())
        return "done"

    patient = Scope(ctx.app, Actor(Role.patient, person_id=1), 1)
    for wrapped, scope in (
        (threads.in_a_thread(endpoint, local_on_the_loop=True), ctx),
        (threads.in_a_thread(endpoint, local_on_the_loop=True), patient),  # a clinic's patient: reads may write
        (threads.in_a_thread(endpoint), ctx),  # a page's form: it may be a whole file
        (threads.in_a_thread(lambda: where.append(on_the_loop()), local_on_the_loop=True), None),  # no database
    ):
        asyncio.run(wrapped() if scope is None else wrapped(scope=scope))
    assert where == [ctx.app.database.is_sqlite, False, False, False]


def test_route_work_in_threads_runs_at_most_route_threads_at_once(ctx: Scope) -> None:
    """More requests than ROUTE_THREADS wait for a thread instead of all taking one at once."""
    inside: list[int] = []
    release = threading.Event()
    lock = threading.Lock()

    def endpoint(scope: Scope) -> None:
        with lock:
            inside.append(len(inside) + 1)
        assert release.wait(timeout=30), "the test never let the work go on"

    patient = Scope(ctx.app, Actor(Role.patient, person_id=1), 1)  # a clinic's patient: in a thread
    wrapped = threads.in_a_thread(endpoint, local_on_the_loop=True)

    async def main() -> tuple[int, int]:
        async with anyio.create_task_group() as group:
            for _ in range(2 * threads.ROUTE_THREADS):
                group.start_soon(functools.partial(wrapped, scope=patient))
            await wait_all_tasks_blocked()
            while len(inside) < threads.ROUTE_THREADS:  # threads start in their own time
                await anyio.sleep(0)
            await wait_all_tasks_blocked()
            running, waiting = len(inside), threads.route_threads().statistics().tasks_waiting
            release.set()
        return running, waiting

    running, waiting = anyio.run(main)
    assert (running, waiting) == (threads.ROUTE_THREADS, threads.ROUTE_THREADS)
    assert len(inside) == 2 * threads.ROUTE_THREADS  # and then every one of them ran


def test_a_change_whose_turn_is_taken_waits_in_a_thread_not_on_the_loop(ctx: Scope) -> None:
    """A local change on SQLite runs on the loop only when its turn is free: behind another change
    of the record (an import in a thread holds it for seconds) it waits in a thread, and the
    loop goes on answering everyone else."""
    if not ctx.app.database.is_sqlite:
        pytest.skip("on PostgreSQL every change runs in a thread")
    where: list[bool] = []

    def endpoint(scope: Scope) -> None:
        where.append(on_the_loop())

    change = threads.in_a_thread(endpoint, local_on_the_loop=True, changes=True)
    asyncio.run(change(scope=ctx))
    held, release = threading.Event(), threading.Event()

    def hold_the_turn() -> None:
        with ctx.changing():
            held.set()
            release.wait(timeout=30)

    holder = threading.Thread(target=hold_the_turn)
    holder.start()
    held.wait(timeout=30)
    try:
        asyncio.run(change(scope=ctx))
    finally:
        release.set()
        holder.join()
    asyncio.run(threads.in_a_thread(endpoint, local_on_the_loop=True)(scope=ctx))  # a read does not wait for a turn
    assert where == [True, False, True]
    asyncio.run(change(scope=ctx))  # the turn is free again: back on the loop
    assert where[-1] is True


def test_route_work_in_a_thread_reads_in_one_session_on_postgresql(ctx: Scope) -> None:
    from sqlalchemy import event

    ctx.writer()  # the local person exists
    checkouts: list[int] = []
    event.listen(ctx.app.database.sessions.kw["bind"], "checkout", lambda *_: checkouts.append(1))

    def endpoint(scope: Scope) -> str | None:
        scope.repo.time_zone()
        return scope.repo.time_zone()

    asyncio.run(threads.in_a_thread(endpoint)(scope=ctx))
    assert len(checkouts) == (2 if ctx.app.database.is_sqlite else 1)  # on SQLite one for each read
