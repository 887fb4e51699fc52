"""Soak: a real `backcoach serve` under many clients at once, then a count of what was kept.

    PYTHONPATH=src .venv/bin/python bench/soak.py [--clients 100] [--seconds 60] [--days 3]
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres] [--json]

Starts `backcoach serve` in a subprocess on its own new database: a SQLite file in a temporary data
folder, or (with --postgres, the address of a server) a new database with a unique name, dropped at
the end. CLIENTS threads, each with its own httpx client, then run journeys against it for SECONDS:
a profile now and then, starting or resuming a session, each exercise's outcome, pain reports and
choices, a finish with its check-in, the warning-sign questions again when pain rose, clearances
for exercises that hurt, pages and API reads. Every write carries an Idempotency-Key; some are sent
twice at once (a double tap), some again later (an offline phone replaying its queue) and some again
without a key. All clients act for the one person on this computer, so they also race each other.

There are at most three sessions a day, so the run is split into DAYS pretend days (one for every
20 seconds unless given): the server is stopped and started again (BACKCOACH_NOW one day later)
between them, on the same database.

Then it reads everything back (GET /api/v1/export) and prints: requests and answers by status,
server errors (5xx) and failed connections, replays that did not give the first answer byte for
byte, lost rows (writes the server acknowledged that are not stored) and duplicated rows (stored
twice, or more rows than acknowledged writes). It asserts nothing; tests/test_soak.py runs a short
one and checks the counts are zero.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
API = "/api/v1"
START = datetime(2026, 3, 2, 8, 0)
PROFILE = json.loads((ROOT / "examples" / "maya.json").read_text()) | {"sessions_per_day": 3}
NO_SIGNS = dict.fromkeys(PROFILE["red_flags"], False)
TLS = ssl.create_default_context()  # made once: the app is plain http, but each client would make its own
READS = [f"{API}/program", f"{API}/program/versions", f"{API}/safety", f"{API}/exercises", "/progress", "/session"]


@dataclass
class Tally:
    """What every client saw, and what the server said it stored (first answers only, not replays)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failed: int = 0  # no answer at all: a refused or dropped connection, a timeout
    unsure: int = 0  # writes that got no answer: done or not, nobody knows
    latencies: list[float] = field(default_factory=list)
    replays: int = 0
    mismatches: list[str] = field(default_factory=list)
    outcomes: set[tuple[int, str]] = field(default_factory=set)
    finished: set[int] = field(default_factory=set)
    sessions: set[int] = field(default_factory=set)
    profiles: int = 0
    rescreens: int = 0
    cleared: int = 0
    server_errors: list[str] = field(default_factory=list)
    refusals: Counter[str] = field(default_factory=Counter)
    tracebacks: int = 0  # in the server's log


@dataclass
class Sent:
    path: str
    body: Any
    key: str
    status: int
    content: bytes


class Client:
    def __init__(self, url: str, tally: Tally, seed: int, today: str) -> None:
        self.today = today  # the server's pretend day, as the person would give it
        self.http = httpx.Client(base_url=url, timeout=120, verify=TLS)
        self.other = httpx.Client(base_url=url, timeout=120, verify=TLS)  # the second finger of a double tap
        self.tally = tally
        self.rng = random.Random(seed)
        self.queue: list[Sent] = []  # what this phone sent, to send again later

    def request(
        self, method: str, path: str, body: Any = None, key: str | None = None, http: httpx.Client | None = None
    ) -> httpx.Response | None:
        headers = {"Idempotency-Key": key} if key else {}
        began = time.perf_counter()
        try:
            answer = (http or self.http).request(method, path, json=body, headers=headers)
        except httpx.HTTPError:
            with self.tally.lock:
                self.tally.requests += 1
                self.tally.failed += 1
                self.tally.unsure += method == "POST"
            return None
        with self.tally.lock:
            self.tally.requests += 1
            self.tally.statuses[answer.status_code] += 1
            self.tally.latencies.append(time.perf_counter() - began)
            if 400 <= answer.status_code < 500:
                self.tally.refusals[f"{answer.status_code} {method} {route_of(path)}: {answer.text[:70]}"] += 1
            if answer.status_code >= 500:
                self.tally.server_errors.append(f"{method} {path}: {answer.status_code} {answer.text[:200]}")
        return answer

    def write(self, path: str, body: Any = None) -> httpx.Response | None:
        """A write with a new key; sometimes sent twice at once, or queued to be sent again later."""
        key = uuid.uuid4().hex
        if self.rng.random() < 0.1:  # a double tap: the same request twice, at the same moment
            other: list[httpx.Response | None] = []
            second = threading.Thread(target=lambda: other.append(self.request("POST", path, body, key, self.other)))
            second.start()
            answer = self.request("POST", path, body, key)
            second.join()
            answers = [a for a in [answer, *other] if a is not None and "still being answered" not in a.text]
            firsts = [a for a in answers if not replayed(a)]
            if len(firsts) > 1:
                self.mismatch(f"{path}: two answers without a replay for one key")
            if len({(a.status_code, a.content) for a in answers}) > 1 and all(a.status_code != 409 for a in answers):
                self.mismatch(f"{path}: a double tap got two different answers")
            answer = firsts[0] if firsts else (answers[0] if answers else None)
        else:
            answer = self.request("POST", path, body, key)
        if answer is None:
            return None
        if answer.status_code < 500 and self.rng.random() < 0.2:
            self.queue.append(Sent(path, body, key, answer.status_code, answer.content))
        if answer.status_code < 500 and self.rng.random() < 0.1:
            self.replay(Sent(path, body, key, answer.status_code, answer.content))  # sent again at once
        return answer

    def replay(self, sent: Sent) -> None:
        again = self.request("POST", sent.path, sent.body, sent.key)
        if again is None:
            return
        with self.tally.lock:
            self.tally.replays += 1
        if (again.status_code, again.content) != (sent.status, sent.content):
            self.mismatch(f"{sent.path}: replayed {again.status_code}, first {sent.status}")

    def mismatch(self, what: str) -> None:
        with self.tally.lock:
            self.tally.mismatches.append(what)

    def note(self, **changes: Any) -> None:
        with self.tally.lock:
            for name, value in changes.items():
                current = getattr(self.tally, name)
                if isinstance(current, set):
                    current.add(value)
                else:
                    setattr(self.tally, name, current + value)

    # Journeys --------------------------------------------------------------------------------

    def run(self, until: float) -> None:
        try:
            self.journeys(until)
        finally:
            self.http.close()
            self.other.close()

    def journeys(self, until: float) -> None:
        while time.monotonic() < until:
            roll = self.rng.random()
            if roll < 0.02:
                self.save_profile()
            elif roll < 0.2:
                for _ in range(self.rng.randint(1, 3)):
                    self.request("GET", self.rng.choice(READS))
            elif roll < 0.27 and self.queue:
                self.replay(self.queue.pop(self.rng.randrange(len(self.queue))))  # the offline phone's queue
            elif roll < 0.3:
                self.clear_one()
            else:
                self.session()

    def save_profile(self) -> None:
        answer = self.write(f"{API}/profile", PROFILE)
        if answer is not None and answer.status_code == 200 and not replayed(answer):
            self.note(profiles=1)

    def rescreen(self) -> None:
        answer = self.write(f"{API}/rescreen", {"answers": NO_SIGNS})
        if answer is not None and answer.status_code == 200 and not replayed(answer):
            self.note(rescreens=1)

    def clear_one(self) -> None:
        safety = self.request("GET", f"{API}/safety")
        if safety is None or safety.status_code != 200 or not safety.json()["paused"]:
            return
        paused = self.rng.choice(safety.json()["paused"])["exercise_id"]
        body = {"cleared_by": "Dr Soak", "cleared_on": self.today, "exercise_id": paused}
        answer = self.write(f"{API}/clearances", body)
        if answer is not None and answer.status_code == 200 and not replayed(answer):
            self.note(cleared=1)

    def session(self) -> None:
        pain_before = self.rng.randint(1, 5)
        answer = self.write(f"{API}/sessions", {"resume": True, "pain_before": pain_before})
        if answer is None or answer.status_code != 200:
            if answer is not None and "warning-sign questions" in answer.text:
                self.rescreen()
            elif answer is not None and "no program" in answer.text.lower():
                self.save_profile()
            return
        started = answer.json()
        session_id = started["session_id"]
        self.note(sessions=session_id)
        at = f"{API}/sessions/{session_id}"
        reason = "finished"
        for exercise in [e["id"] for e in started["exercises"] if e["id"] not in started["done"]]:
            if self.rng.random() < 0.3:
                self.request("GET", self.rng.choice(READS))
            roll = self.rng.random()
            if roll < 0.03:  # it hurt, badly: the session ends
                pain = {"kind": "sharp", "score": 6, "place": "lower_back"}
                stop = self.write(f"{at}/pain", {"exercise_id": exercise, "pain": pain})
                if stop is not None and stop.status_code == 200 and not replayed(stop) and stop.json()["options"] == []:
                    self.note(outcomes=(session_id, exercise))
                reason = "pain"
                break
            if roll < 0.1:  # mild discomfort: an option is offered, and chosen
                pain = {"kind": "mild", "score": 2, "place": "lower_back"}
                offer = self.write(f"{at}/pain", {"exercise_id": exercise, "pain": pain})
                if offer is None or offer.status_code != 200 or not offer.json()["options"]:
                    continue
                option = self.rng.choice(offer.json()["options"])["id"]
                chosen = self.write(f"{at}/choice", {"option_id": option})
                if chosen is not None and chosen.status_code == 200 and not replayed(chosen) and option == "skip":
                    self.note(outcomes=(session_id, exercise))
                continue
            status = "skipped" if self.rng.random() < 0.1 else "done"
            done = self.write(f"{at}/outcomes", {"exercise_id": exercise, "status": status})
            if done is not None and done.status_code == 201 and not replayed(done):
                self.note(outcomes=(session_id, exercise))
            if self.rng.random() < 0.05:
                self.request("POST", f"{at}/outcomes", {"exercise_id": exercise, "status": status})  # no key: 409
            if done is not None and "has ended" in done.text:
                return  # another client finished it
        pain_after = max(0, min(10, pain_before + self.rng.choice([-1, 0, 0, 0, 1])))
        body = {"end_reason": reason, "pain_before": pain_before, "pain_after": pain_after, "difficulty": "right"}
        finished = self.write(f"{at}/finish", body)
        if finished is not None and finished.status_code == 200 and not replayed(finished):
            self.note(finished=session_id)
            if finished.json()["rescreen_needed"]:
                self.rescreen()


def route_of(path: str) -> str:
    return "/".join("{id}" if part.isdigit() else part for part in path.split("/"))


def replayed(answer: httpx.Response) -> bool:
    return bool(answer.headers.get("Idempotent-Replayed") == "true")


# The server --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(database_url: str, day: int, tally: Tally) -> Iterator[str]:
    """The server's address while it runs; what it wrote to stderr is kept in a file (a pipe nobody
    reads would fill up and stop it) and its tracebacks counted."""
    port = free_port()
    env = {
        **os.environ,
        "BACKCOACH_DATABASE_URL": database_url,
        "BACKCOACH_NOW": (START + timedelta(days=day)).isoformat(),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, "-m", "backcoach", "serve", "--port", str(port)]
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log, text=True)
        try:
            wait_for(port, server, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.seek(0)
            tally.tracebacks += log.read().count("Traceback")


def wait_for(port: int, server: subprocess.Popen[str], log: Any) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise SystemExit(f"backcoach serve did not start: {log.read()[-2000:]}") from None
            time.sleep(0.05)


@contextmanager
def new_database(postgres: str | None) -> Iterator[str]:
    if postgres is None:
        with tempfile.TemporaryDirectory(prefix="backcoach-soak-") as folder:
            yield f"sqlite:///{Path(folder) / 'soak.sqlite3'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"backcoach_soak_{uuid.uuid4().hex[:10]}"
    server = make_url(postgres).set(drivername="postgresql+psycopg")
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name, drivername="postgresql").render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


# What was kept --------------------------------------------------------------------------------------


def count_rows(tables: dict[str, list[dict[str, Any]]], tally: Tally) -> dict[str, int]:
    """Lost: acknowledged writes that are not stored. Duplicated: rows stored twice, or more rows than
    writes were acknowledged (rows made by writes that got no answer are not counted as duplicates)."""
    outcomes = Counter((row["session_id"], row["exercise_id"]) for row in tables["exercise_outcome"])
    check_ins = Counter(row["session_id"] for row in tables["check_in"])
    sessions = {row["id"]: row for row in tables["session"]}
    versions = Counter((row["person_id"], row["version"]) for row in tables["program_version"])
    screenings = len(tables["screening"])
    cleared = sum(row["cleared_at"] is not None for row in tables["paused_exercise"])
    lost = (
        sum(key not in outcomes for key in tally.outcomes)
        + sum(check_ins[s] != 1 or sessions[s]["status"] == "in_progress" for s in tally.finished if s in sessions)
        + sum(s not in sessions for s in tally.sessions | tally.finished)
        + max(0, tally.profiles - len(tables["profile_version"]))
        + max(0, tally.profiles + tally.rescreens - screenings)
        + max(0, tally.cleared - cleared)
    )
    extra = (
        sum(n - 1 for n in outcomes.values())
        + sum(n - 1 for n in check_ins.values())
        + sum(n - 1 for n in versions.values())
        + max(0, sum(row["status"] == "in_progress" for row in sessions.values()) - 1)
        + max(0, len(tables["person"]) - 1)
        + max(0, len(tables["profile_version"]) - tally.profiles)
        + max(0, screenings - tally.profiles - tally.rescreens)
        + max(0, cleared - tally.cleared)
    )
    return {
        "lost": lost,
        "duplicated": max(0, extra - tally.unsure),
        "rows": sum(len(rows) for rows in tables.values()),
    }


def soak(clients: int, seconds: float, days: int, postgres: str | None) -> dict[str, Any]:
    tally = Tally()
    exported: dict[str, list[dict[str, Any]]] = {}
    with new_database(postgres) as database_url:
        for day in range(days):
            with serving(database_url, day, tally) as url:
                today = (START + timedelta(days=day)).date().isoformat()
                phones = [Client(url, tally, day * 1000 + i, today) for i in range(clients)]
                until = time.monotonic() + seconds / days
                threads = [threading.Thread(target=phone.run, args=(until,)) for phone in phones]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                if day == days - 1:
                    exported = httpx.get(f"{url}{API}/export", timeout=120).json()["tables"]
    stored = count_rows(exported, tally)
    latencies = sorted(tally.latencies) or [0.0]
    classes = Counter(f"{status // 100}xx" for status in tally.statuses.elements())
    return {
        "backend": "postgresql" if postgres else "sqlite",
        "clients": clients,
        "seconds": seconds,
        "days": days,
        "requests": tally.requests,
        "per_second": round(tally.requests / seconds, 1),
        "answers": dict(sorted(classes.items())),
        "statuses": dict(sorted(tally.statuses.items())),
        "errors_5xx": sum(n for status, n in tally.statuses.items() if status >= 500),
        "failed_connections": tally.failed,
        "server_tracebacks": tally.tracebacks,
        "replays": tally.replays,
        "replay_mismatches": len(tally.mismatches),
        "acknowledged": {
            "sessions": len(tally.sessions),
            "outcomes": len(tally.outcomes),
            "finishes": len(tally.finished),
            "profiles": tally.profiles,
            "rescreens": tally.rescreens,
            "clearances": tally.cleared,
        },
        "rows_stored": stored["rows"],
        "lost_rows": stored["lost"],
        "duplicated_rows": stored["duplicated"],
        "latency_ms": {
            "p50": round(statistics.median(latencies) * 1000, 1),
            "p95": round(latencies[int(len(latencies) * 0.95)] * 1000, 1),
            "p99": round(latencies[int(len(latencies) * 0.99)] * 1000, 1),
            "max": round(latencies[-1] * 1000, 1),
        },
        "refusals": dict(tally.refusals.most_common(12)),
        "examples": {"server_errors": tally.server_errors[:5], "mismatches": tally.mismatches[:5]},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--days", type=int, help="pretend days, each a restart of the server (one per 20 s)")
    parser.add_argument("--postgres", help="a PostgreSQL server's address: soak a new database there")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options = parser.parse_args()
    days = options.days or round(options.seconds / 20)
    figures = soak(options.clients, options.seconds, max(1, days), options.postgres)
    if options.json:
        print(json.dumps(figures, indent=2))
        return
    for name, value in figures.items():
        print(f"{name:>20}: {value}")


if __name__ == "__main__":
    main()
