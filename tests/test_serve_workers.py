"""`backcoach serve --workers 2`: two worker processes on one address, each reply in one round trip.

Without TCP_NODELAY on the connections (uvicorn's own socket for its workers never gets it), a
reply sent in two writes waits for the client's delayed ACK: about 40 ms on every request of a
kept-alive connection. Here each connection's round trips are timed, and the fastest must be far
under that: a delayed ACK holds back every reply, while a busy machine only slows some."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

DELAYED_ACK_MS = 40
ROUND_TRIP_BOUND_MS = 20  # a reply on loopback takes a few ms, even on a busy machine
PATHS = ["/api/v1/screen/questions", "/api/v1/exercises", "/static/app.css"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[int, int]]:
    """(port, pid) of `backcoach serve --workers 2` on a new database."""
    port = free_port()
    env = {**os.environ, "BACKCOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "backcoach", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:  # waiting for the port: the only wait on the clock
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.communicate()
                assert time.monotonic() < deadline, "backcoach serve --workers 2 did not start"
                time.sleep(0.02)
        yield port, server.pid
    finally:
        server.terminate()
        server.communicate(timeout=30)


@pytest.mark.parametrize("path", PATHS)
def test_each_reply_comes_in_one_round_trip_on_a_kept_alive_connection(two_workers: tuple[int, int], path: str):
    port, _ = two_workers
    times: list[float] = []
    for _ in range(4):  # one connection after another, so that both workers answer some
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", path)  # warm: the database opened, the route ready
        first = conn.getresponse()
        assert first.status == 200, first.read()[:300]
        first.read()
        kept = conn.sock
        for _ in range(5):
            start = time.perf_counter()
            conn.request("GET", path)
            answer = conn.getresponse()
            answer.read()
            times.append((time.perf_counter() - start) * 1000)
            assert answer.status == 200
            assert conn.sock is kept, "the connection was not kept alive"
        conn.close()
    fastest = min(times)
    assert fastest < ROUND_TRIP_BOUND_MS < DELAYED_ACK_MS, sorted(times)


def test_there_are_two_workers_answering(two_workers: tuple[int, int]):
    _, pid = two_workers
    workers = [
        c for c in children(pid) if b"multiprocessing" in Path(f"/proc/{c}/cmdline").read_bytes()
    ]  # spawned processes (and the resource tracker, if any)
    assert len(workers) >= 2, workers


def established_by(pid: int, port: int) -> int:
    """How many connections to `port` the process `pid` holds (from /proc: its sockets' inodes)."""
    mine = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                mine.add(target[8:-1])
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port, state, inode = int(fields[1].split(":")[1], 16), fields[3], fields[9]
        count += local_port == port and state == "01" and inode in mine  # 01: established
    return count


def listening_on(port: int) -> int:
    lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(int(line.split()[1].split(":")[1], 16) == port and line.split()[3] == "0A" for line in lines)


def test_connections_opened_together_are_spread_over_the_workers(two_workers: tuple[int, int]):
    """Each worker has its own socket on the port, so the kernel shares new connections out: with
    one socket for both, the first to wake took every connection waiting (twenty on one worker)."""
    port, pid = two_workers
    deadline = time.monotonic() + 60
    while listening_on(port) < 2:  # the second worker may still be starting: the only wait on the clock
        assert time.monotonic() < deadline, "the second worker did not start listening"
        time.sleep(0.02)
    connections = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(20)]
    try:
        for conn in connections:
            conn.sendall(b"GET /api/v1/screen/questions HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        for conn in connections:
            assert conn.recv(12).startswith(b"HTTP/1.1 200")  # every one accepted and answered
        workers = [c for c in children(pid) if b"multiprocessing" in Path(f"/proc/{c}/cmdline").read_bytes()]
        held = sorted(established_by(worker, port) for worker in workers)
        # (the resource tracker, a child too, holds none) all twenty on one worker: 2 in a million by chance
        assert sum(held) == 20 and sum(1 for h in held if h) == 2, held
    finally:
        for conn in connections:
            conn.close()


def test_a_port_in_use_is_refused_plainly(two_workers: tuple[int, int], tmp_path: Path):
    port, _ = two_workers
    env = {**os.environ, "BACKCOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, "-m", "backcoach", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and f"cannot listen on 127.0.0.1:{port}" in done.stderr, done.stderr


def test_ctrl_c_stops_every_worker_quietly(tmp_path: Path):
    """Ctrl-C in a terminal reaches the whole process group: every process ends, and the person
    sees no traceback."""
    port = free_port()
    env = {**os.environ, "BACKCOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "backcoach", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives it
    )
    deadline = time.monotonic() + 60
    while listening_on(port) < 2:  # both workers up: the only wait on the clock
        assert server.poll() is None, server.communicate()
        assert time.monotonic() < deadline, "the workers did not start"
        time.sleep(0.02)
    os.killpg(server.pid, signal.SIGINT)
    _, errors = server.communicate(timeout=60)
    assert "Traceback" not in errors, errors
    deadline = time.monotonic() + 30
    while left := in_group(server.pid):  # the resource tracker ends a moment after the server
        assert time.monotonic() < deadline, f"processes of the server still running: {left}"
        time.sleep(0.02)


def in_group(group: int) -> list[int]:
    """The live (not zombie) processes of a process group."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == group and fields[0] != "Z":
                    found.append(int(entry.name))
    return found
