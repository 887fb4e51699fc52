"""Generated histories through the command line and through the HTTP API give the same results:
the same re-screens, pauses, clearances, reviews, program versions and stored rows.

Each example is four to five weeks of sessions logged from paper (`backcoach log` and
POST /api/v1/log: the same use case through two faces), with generated pain before and after,
how hard each felt, pain stops of every kind on an exercise of the program, warning signs
answered at the re-screens, and clearances recorded by a doctor or a physiotherapist. A stop on
an exercise that is not due that day is refused by both, in the same way.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.screening import QUESTION_IDS
from backcoach.services.context import App
from backcoach.settings import get_settings
from backcoach.storage.database import open_database
from backcoach.storage.repository import Database
from backcoach.web.app import create_app
from tests.conftest import CliRun, MovableNow
from tests.examples import example_data, write_profile

START = datetime(2026, 3, 2, 8, 0)


@dataclass(frozen=True)
class Day:
    before: int
    after: int
    felt: str
    stop: tuple[int, str, int, str] | None  # index into the program, kind, score, place
    sign: str | None  # answered "yes" if the questions are asked again today
    clear_warning: bool
    clear_exercise: bool  # the first paused exercise, if there is one


days = st.builds(
    Day,
    st.integers(1, 8),
    st.integers(0, 9),
    st.sampled_from(["easy", "easy", "right", "hard"]),
    st.one_of(
        st.none(),
        st.none(),
        st.none(),
        st.tuples(
            st.integers(0, 5),
            st.sampled_from(["mild", "mild", "sharp", "worsening"]),
            st.integers(1, 8),
            st.sampled_from(["lower_back", "lower_back", "legs"]),
        ),
    ),
    st.one_of(*[st.none()] * 6, st.sampled_from(["cancer_history", "fever"])),
    st.booleans(),
    st.integers(0, 4).map(lambda n: n == 0),
)


def answers_for(day: Day) -> dict[str, Any]:
    return {**dict.fromkeys(QUESTION_IDS, False), **({day.sign: True} if day.sign else {})}


@dataclass
class Seen:
    steps: list[tuple[Any, ...]]  # what each face answered, day by day
    export: dict[str, Any]


def log_args(day: Day, stop_id: str | None) -> list[str]:
    args = ["--pain-before", str(day.before), "--pain-after", str(day.after), "--difficulty", day.felt]
    if day.stop is not None and stop_id is not None:
        _, kind, score, place = day.stop
        args += ["--pain-stop", f"{stop_id}={kind}:{score}:{place}"]
    return args


def review_of(answer: dict[str, Any]) -> tuple[Any, ...] | None:
    review = answer.get("review")
    if review is None:
        return None
    return (tuple(review["advice"]), tuple((c["exercise_id"], c["action"]) for c in review["changes"]))


def through_the_cli(history: list[Day], folder: Path, monkeypatch: pytest.MonkeyPatch) -> Seen:
    database, answers = folder / "cli.sqlite3", folder / "answers.json"
    seen = Seen([], {})
    CliRun(database, monkeypatch, START.isoformat())(
        "setup", "--profile", str(write_profile(folder, sessions_per_day=1))
    )
    for index, day in enumerate(history):
        cli = CliRun(database, monkeypatch, (START + timedelta(days=index, hours=1)).isoformat())
        answers.write_text(json.dumps(answers_for(day)))
        if day.clear_warning and json.loads(cli("paused", "--json"))["warning"]:
            seen.steps.append(("cleared", json.loads(cli("cleared", "--by", "Dr Shah", "--json"))["message"]))
        paused = json.loads(cli("paused", "--json"))["paused"]
        if day.clear_exercise and paused:
            out = cli("cleared", "--exercise", paused[0]["exercise_id"], "--by", "my physio", "--json")
            seen.steps.append(("cleared", json.loads(out)["program_version"]))
        program = json.loads(cli("program", "--json"))
        if program["paused"]:
            seen.steps.append(("paused", index))
            continue
        ids = [e["id"] for e in program["exercises"]]
        stop_id = ids[day.stop[0] % len(ids)] if day.stop else None
        out = cli("log", *log_args(day, stop_id), "--json", code=None)
        if cli.last_code != 0:
            seen.steps.append(("refused", index, cli.last_code))
            continue
        finish = json.loads(out)
        seen.steps.append(("log", index, finish["rescreen_needed"], tuple(finish["advice"]), review_of(finish)))
        if finish["rescreen_needed"]:
            again = json.loads(cli("rescreen", "--answers", str(answers), "--json"))
            seen.steps.append(("rescreen", index, again["status"], review_of(again)))
    last = CliRun(database, monkeypatch, (START + timedelta(days=60)).isoformat())
    seen.export = json.loads(last("export"))
    return seen


def through_the_api(history: list[Day], folder: Path) -> Seen:
    now = MovableNow(START)
    app = App(Database(open_database(f"sqlite:///{folder / 'api.sqlite3'}")), load_catalogue(), now)
    client = TestClient(create_app(lambda: app), base_url="http://127.0.0.1")
    seen = Seen([], {})
    client.post("/api/v1/profile", json=example_data("maya", sessions_per_day=1)).raise_for_status()
    for index, day in enumerate(history):
        now.value = START + timedelta(days=index, hours=1)
        today = now.value.date().isoformat()
        safety = client.get("/api/v1/safety").json()
        if day.clear_warning and safety["warning"]:
            check = {"cleared_by": "Dr Shah", "cleared_on": today}
            seen.steps.append(("cleared", client.post("/api/v1/clearances", json=check).json()["message"]))
        paused = client.get("/api/v1/safety").json()["paused"]
        if day.clear_exercise and paused:
            check = {"cleared_by": "my physio", "cleared_on": today, "exercise_id": paused[0]["exercise_id"]}
            seen.steps.append(("cleared", client.post("/api/v1/clearances", json=check).json()["program_version"]))
        program = client.get("/api/v1/program").json()
        if program["paused"]:
            seen.steps.append(("paused", index))
            continue
        ids = [e["id"] for e in program["exercises"]]
        body: dict[str, Any] = {"pain_before": day.before, "pain_after": day.after, "difficulty": day.felt}
        if day.stop is not None:
            _, kind, score, place = day.stop
            body["pain_stops"] = {ids[day.stop[0] % len(ids)]: {"kind": kind, "score": score, "place": place}}
        answer = client.post("/api/v1/log", json=body)
        if answer.status_code >= 400:
            seen.steps.append(("refused", index, 2 if answer.status_code in (404, 422) else 1))
            continue
        finish = answer.json()
        seen.steps.append(("log", index, finish["rescreen_needed"], tuple(finish["advice"]), review_of(finish)))
        if finish["rescreen_needed"]:
            again = client.post("/api/v1/rescreen", json={"answers": answers_for(day)}).raise_for_status().json()
            seen.steps.append(("rescreen", index, again["status"], review_of(again)))
    seen.export = client.get("/api/v1/export").json()
    return seen


def histories_to_try() -> int:
    return 10 if settings.get_current_profile_name().startswith("thorough") else 2


@settings(
    max_examples=histories_to_try(),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(history=st.lists(days, min_size=28, max_size=35))
def test_generated_histories_give_the_same_results_through_the_cli_and_the_api(
    monkeypatch: pytest.MonkeyPatch, history: list[Day]
) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        by_cli = through_the_cli(history, folder, monkeypatch)
        by_api = through_the_api(history, folder)
    get_settings.cache_clear()
    assert by_api.steps == by_cli.steps
    assert by_api.export["tables"] == by_cli.export["tables"]
