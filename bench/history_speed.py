"""How long `backcoach progress` and `backcoach review` take on a year of twice-daily history.

    .venv/bin/python bench/history_speed.py [--runs 5]

Builds a temporary SQLite database with 730 sessions (each with its exercises and check-in),
then times the real commands as a person runs them (a new process each time) and the service
calls alone. Prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.errors import NothingDue
from backcoach.core.profile import Profile
from backcoach.core.rules import EndReason
from backcoach.services import activities, programs, sessions
from backcoach.services.context import App, local_scope
from backcoach.services.progress import progress
from backcoach.services.review import run_review
from backcoach.storage.database import open_database
from backcoach.storage.repository import Database

ROOT = Path(__file__).resolve().parents[1]


def build_year(url: str, days: int = 365) -> datetime:
    """DAYS of twice-daily sessions (a year unless told), each exercise done; the last moment used."""
    moment = [datetime(2025, 1, 6, 7, 30)]
    ctx = local_scope(App(Database(open_database(url)), load_catalogue(), lambda: moment[0]))
    profile = Profile.model_validate(json.loads((ROOT / "examples" / "maya.json").read_text()))
    programs.set_profile(ctx, profile)
    activity = activities.add_activity(ctx, "Sitting at my desk", 3)
    for day in range(days):
        for hour in (7, 19):
            moment[0] = datetime(2025, 1, 6) + timedelta(days=day, hours=hour)
            try:
                live = sessions.start(ctx, resume=False)
            except NothingDue:
                continue  # every dose is once a day by now: no evening session
            while not live.ended:
                live.go_on()  # each exercise is saved as it ends
            sessions.finish(ctx, live.session_id, EndReason.finished, 4 - day // 120, 3 - day // 120, "right")
        if day % 7 == 6:
            activities.rate_activity(ctx, activity.id, min(10, 3 + day // 60))
    return moment[0]


def time_command(args: list[str], env: dict[str, str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "backcoach"), *args], env=env, check=True, stdout=subprocess.DEVNULL
        )
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/year.sqlite3"
        start = time.perf_counter()
        last = build_year(url)
        print(f"built a year of twice-daily history in {time.perf_counter() - start:.1f} s")
        now = (last + timedelta(hours=2)).isoformat()
        env = {**os.environ, "BACKCOACH_DATABASE_URL": url, "BACKCOACH_NOW": now}
        for name, args in (("progress", ["progress"]), ("review", ["review"]), ("--help", ["--help"])):
            times = time_command(args, env, runs)
            print(
                f"backcoach {name:9} median {statistics.median(times) * 1000:6.0f} ms   "
                f"max {max(times) * 1000:6.0f} ms   ({runs} runs, new process each)"
            )
        fixed = last + timedelta(hours=2)
        ctx = local_scope(App(Database(open_database(url)), load_catalogue(), lambda: fixed))
        for name, call in (("progress()", lambda: progress(ctx)), ("run_review()", lambda: run_review(ctx))):
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                call()
                times.append(time.perf_counter() - start)
            print(f"service {name:13} median {statistics.median(times) * 1000:6.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
