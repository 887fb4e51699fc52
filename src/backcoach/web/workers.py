"""`backcoach serve --workers N`: N processes answering on one address, each on a listening socket
of its own (SO_REUSEPORT), so the kernel spreads new connections among them (by a hash of each
connection's two addresses: twenty connections split 10/10 or 13/7, not 20/0).

With one socket shared by every worker (uvicorn's own supervisor), the worker that wakes first
takes every connection waiting at that moment: twenty connections opened together can all land on
one worker while the other idles. Here each worker is started with its own socket on the address,
bound before it starts; a worker that dies is replaced, with a new socket, and Ctrl-C or SIGTERM
stops them all. Each socket is made as `listening_socket` makes it (TCP_NODELAY on every
connection, so a reply goes out at once).
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import time
from collections.abc import Callable
from contextlib import suppress
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType

QUICK_DEATH_SECONDS = 10  # a worker gone this soon after it started did not start at all
QUICK_DEATHS_ALLOWED = 3  # then the workers cannot start (a bad setting, a broken install): stop
STOP_SECONDS = 30  # how long a worker may take to finish its requests before it is killed


def serve_one(sock: socket.socket, app: str, keep_alive: int) -> None:  # in a worker process
    import uvicorn

    config = uvicorn.Config(app, factory=True, log_level="warning", timeout_keep_alive=keep_alive)
    # Ctrl-C reaches every worker too: uvicorn finishes its requests, then raises the interrupt
    # again, which would print a traceback per worker on the person's terminal.
    with suppress(KeyboardInterrupt):
        uvicorn.Server(config).run(sockets=[sock])


def run_workers(count: int, make_socket: Callable[[], socket.socket], app: str, keep_alive: int) -> str | None:
    """Run `count` workers until Ctrl-C or SIGTERM; None then, or why they stopped on their own."""
    spawn = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing of this one's state

    def start() -> tuple[BaseProcess, float]:
        sock = make_socket()
        worker = spawn.Process(target=serve_one, args=(sock, app, keep_alive), name="backcoach worker")
        worker.start()
        sock.close()  # the worker has its own copy: a socket kept here would take connections no one answers
        return worker, time.monotonic()

    stopping: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        stopping.append(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    workers: list[tuple[BaseProcess, float]] = []
    quick_deaths = 0  # in a row: a worker that served a while starts the count again
    why: str | None = None
    try:
        for _ in range(count):  # inside the try: if one cannot start, those started are stopped
            workers.append(start())
        while not stopping and why is None:
            wait([w.sentinel for w, _ in workers], timeout=0.5)
            for index, (worker, started) in enumerate(workers):
                if worker.is_alive() or stopping:
                    continue
                worker.join()
                quick_deaths = quick_deaths + 1 if time.monotonic() - started < QUICK_DEATH_SECONDS else 0
                if quick_deaths >= QUICK_DEATHS_ALLOWED:
                    why = f"the workers stopped as soon as they started (exit code {worker.exitcode}): see above"
                    break
                workers[index] = start()
    finally:
        for worker, _ in workers:
            if worker.is_alive():
                worker.terminate()  # SIGTERM: uvicorn finishes the requests it has, then stops
        deadline = time.monotonic() + STOP_SECONDS
        for worker, _ in workers:
            worker.join(max(0.0, deadline - time.monotonic()))
            if worker.is_alive():
                worker.kill()
                worker.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return why
