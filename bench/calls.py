"""The three everyday calls against a real `backcoach serve`, with a week and with a year of history.

    .venv/bin/python bench/calls.py [--seconds 10] [--workers 2] [--connections 1,20]
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres] [--histories week,year]

The calls are the ones compared with other workout trackers:

- **list**: the exercise catalogue, `GET /api/v1/exercises`;
- **history**: a page of my history, `GET /api/v1/sessions?limit=20` (20 sessions with their
  outcomes and check-ins, newest first);
- **write**: log a measurement, `POST /api/v1/activities/1/ratings` (a new rating of an everyday
  activity: one row, then the activity read back with what the change means). A session's own
  writes cannot be repeated thousands of times a second for one person (a day holds at most three
  sessions), so the session flow is timed on its own, at one connection: **session** is one
  `POST /api/v1/sessions` (a new session, setting aside the open one) and one
  `POST /api/v1/sessions/{id}/outcomes`, counted as one.

For each database (a SQLite file; with --postgres, also a new database on that server, dropped at
the end) and each history (a week, or a year of twice-daily sessions as bench/history_speed.py
builds it), it starts `backcoach serve --workers N` on a free loopback port and loads each call
with `wrk` (Debian's package `wrk`; without it, a small Python client that is much slower) for
SECONDS at each number of connections. It prints requests per second, p50 and p99 as the client saw
them, and the server's CPU time per request (read from /proc for the server and its workers, so the
client's own work is not counted). It also times the progress page (`/progress`) at one
connection, where p50 is about the server's time, and first `backcoach --help` in a new process.
It asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from history_speed import build_year
from soak import new_database

ROOT = Path(__file__).resolve().parents[1]
CALLS = {
    "list": ("GET", "/api/v1/exercises", None),
    "history": ("GET", "/api/v1/sessions?limit=20", None),
    "write": ("POST", "/api/v1/activities/1/ratings", '{"score": 5}'),
}
PAGES = {"progress": ("GET", "/progress", None)}  # a page: timed at one connection, where p50 is server time
WRK_REPORT = """
done = function(summary, latency, requests)
  io.stderr:write(string.format('{"requests": %d, "seconds": %f, "p50": %f, "p99": %f, "errors": %d, "non2xx": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""


@dataclass(frozen=True)
class Figures:
    per_second: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float
    failed: int

    def line(self) -> str:
        failed = f"   {self.failed} failed" if self.failed else ""
        return (
            f"{self.per_second:8.1f}/s   p50 {self.p50_ms:6.1f} ms   p99 {self.p99_ms:6.1f} ms   "
            f"CPU {self.cpu_ms:5.1f} ms/request{failed}"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User and system time of a process and of every process below it, alive now."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    children = Path(f"/proc/{pid}/task/{pid}/children")
    for child in children.read_text().split() if children.exists() else []:
        total += cpu_seconds(int(child))
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return total + (int(fields[11]) + int(fields[12])) / ticks


@contextmanager
def serving(database_url: str, now: datetime, workers: int) -> Iterator[tuple[str, int]]:
    port = free_port()
    env = {
        **os.environ,
        "BACKCOACH_DATABASE_URL": database_url,
        "BACKCOACH_NOW": now.isoformat(),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, "-m", "backcoach", "serve", "--port", str(port), "--workers", str(workers)]
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log, text=True)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:  # every worker opens the database on its first request: warm them all
                try:
                    for _ in range(4 * workers):
                        httpx.get(base + "/api/v1/exercises", timeout=10).raise_for_status()
                    break
                except httpx.HTTPError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        raise SystemExit(f"backcoach serve did not start: {log.read()[-2000:]}") from None
                    time.sleep(0.1)
            yield base, server.pid
        finally:
            server.terminate()
            server.wait(timeout=30)


def load_with_wrk(base: str, call: str, connections: int, seconds: float) -> tuple[int, float, float, float, int]:
    method, path, body = {**CALLS, **PAGES}[call]
    script = f'wrk.method = "{method}"\nwrk.headers["Content-Type"] = "application/json"\n'
    if body is not None:
        script += f"wrk.body = '{body}'\n"
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script + WRK_REPORT)
        lua.flush()
        threads = min(connections, 2)
        done = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "-s",
                lua.name,
                base + path,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    failed = report["errors"] + report["non2xx"]
    return report["requests"], report["seconds"], report["p50"], report["p99"], failed


def load_with_python(base: str, call: str, connections: int, seconds: float) -> tuple[int, float, float, float, int]:
    """The fallback without wrk: threads with a kept-alive connection each (the client then takes
    much of the CPU the server would use, so figures are lower)."""
    import threading

    method, path, body = {**CALLS, **PAGES}[call]
    times: list[float] = []
    failed = [0]
    until = time.perf_counter() + seconds

    def client() -> None:
        with httpx.Client(base_url=base, timeout=10) as http:
            while time.perf_counter() < until:
                start = time.perf_counter()
                answer = http.request(method, path, content=body, headers={"Content-Type": "application/json"})
                times.append(time.perf_counter() - start)
                failed[0] += answer.status_code >= 300

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(times)
    return (
        len(times),
        time.perf_counter() - started,
        ordered[len(ordered) // 2] * 1000,
        ordered[int(len(ordered) * 0.99)] * 1000,
        failed[0],
    )


def measure(base: str, pid: int, call: str, connections: int, seconds: float) -> Figures:
    load = load_with_wrk if shutil.which("wrk") else load_with_python
    cpu_before = cpu_seconds(pid)
    requests, took, p50, p99, failed = load(base, call, connections, seconds)
    cpu = cpu_seconds(pid) - cpu_before
    return Figures(requests / took, p50, p99, cpu / max(requests, 1) * 1000, failed)


def measure_session_flow(base: str, pid: int, seconds: float) -> Figures:
    """A new session and its first outcome, one after the other, at one connection."""
    times: list[float] = []
    failed = 0
    with httpx.Client(base_url=base + "/api/v1", timeout=10) as http:
        cpu_before = cpu_seconds(pid)
        started = time.perf_counter()
        while time.perf_counter() - started < seconds:
            start = time.perf_counter()
            session = http.post("/sessions", json={"resume": False})
            if session.status_code != 200:
                failed += 1
                continue
            first = session.json()["exercises"][0]["id"]
            outcome = http.post(
                f"/sessions/{session.json()['session_id']}/outcomes", json={"exercise_id": first, "status": "skipped"}
            )
            failed += outcome.status_code != 201
            times.append(time.perf_counter() - start)
        took = time.perf_counter() - started
        cpu = cpu_seconds(pid) - cpu_before
    ordered = sorted(times) or [0.0]
    return Figures(
        len(times) / took,
        statistics.median(ordered) * 1000,
        ordered[int(len(ordered) * 0.99)] * 1000,
        cpu / max(len(times), 1) * 1000,
        failed,
    )


def start_time(runs: int = 10) -> float:
    """The median wall time of `backcoach --help`, a command that needs no database, in ms."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "backcoach", "--help"], capture_output=True, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def gather_statistics(url: str) -> None:
    """On PostgreSQL, the planner's statistics of the tables just filled (ANALYZE). Its autovacuum
    gathers them itself within a minute or so of a bulk load (autovacuum_naptime), as a clinic's
    server would have long since; measured before that, the planner takes each table for a few
    rows and picks worse plans (the progress page over a year: p50 28 ms before, 24 ms after, in
    two runs minutes apart)."""
    if url.startswith("postgresql"):
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("ANALYZE"))
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", default="1,20")
    parser.add_argument("--histories", default="week,year")
    parser.add_argument("--postgres", help="a PostgreSQL server's address: also measure on a new database there")
    options = parser.parse_args()
    connections = [int(c) for c in options.connections.split(",")]
    backends = [None] + ([options.postgres] if options.postgres else [])
    print(
        f"{os.cpu_count()} cores, {options.workers} workers, {options.seconds:g} s per figure, "
        f"load from {'wrk' if shutil.which('wrk') else 'a Python client'}"
    )
    print(f"backcoach --help: {start_time():.0f} ms (median of 10, a new process each)")
    for backend in backends:
        for history in options.histories.split(","):
            engine = "PostgreSQL" if backend else "SQLite"
            with new_database(backend) as url:
                start = time.perf_counter()
                last = build_year(url, days=365 if history == "year" else 7)
                print(f"\n{engine}, a {history} of history (built in {time.perf_counter() - start:.0f} s)")
                gather_statistics(url)
                now = (last + timedelta(days=1)).replace(hour=7, minute=30)  # a morning: a session is due
                with serving(url, now, options.workers) as (base, pid):
                    for call in CALLS:
                        for count in connections:
                            print(
                                f"  {call:8} {count:3} conn  {measure(base, pid, call, count, options.seconds).line()}"
                            )
                    for page in PAGES:
                        print(f"  {page:8}   1 conn  {measure(base, pid, page, 1, options.seconds).line()}")
                    print(f"  session    1 conn  {measure_session_flow(base, pid, options.seconds).line()}")


if __name__ == "__main__":
    sys.exit(main())
