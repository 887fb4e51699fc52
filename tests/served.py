"""The real web app on a free 127.0.0.1 port, in a background thread (uvicorn, as `backcoach serve`
runs it), and many clients sending requests to it at the same moment."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

import httpx
import uvicorn
from fastapi import FastAPI

T = TypeVar("T")


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    """The app's address while it runs."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)  # the server starting: nothing in a test waits on the clock
    assert server.started, "the app did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def together(count: int, work: Callable[[int], T]) -> list[T]:
    """`work(0)` ... `work(count - 1)`, each in its own thread, all let go at the same moment."""
    start = threading.Barrier(count)

    def one(index: int) -> T:
        start.wait()
        return work(index)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def post_together(
    url: str, count: int, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> list[httpx.Response]:
    """The same POST from `count` clients at once (a double tap, many devices)."""

    def send(_: int) -> httpx.Response:
        with httpx.Client(base_url=url, timeout=60) as client:
            return client.post(path, json=body, headers=headers)

    return together(count, send)
