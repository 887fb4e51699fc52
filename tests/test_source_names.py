"""People read sources by their plain names. Every page of the web app, every API sentence, every
command in the README's "Using it" section (with and without --json), the terminal coach, the
reminders and the printed handout are read here, for a person with a program, a history, a weekly
review that changed things, pain stops and a warning sign; none may show a seed's file name
("002_17edfd41803de707.txt"), a bare "source 001", or a guideline's code ("ACSM-2011").
JSON keeps ids in its id fields (`source`, `id`, `*_id`, codes); its sentences follow the same rule."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from rich.console import Console
from sqlalchemy import update
from typer.testing import CliRunner

from backcoach.catalogue.loader import load_catalogue
from backcoach.cli import app as cli_app
from backcoach.cli.onboarding import ask_profile
from backcoach.core.catalogue import Catalogue
from backcoach.core.planner import Explanation, LeftOut
from backcoach.core.screening import ALL_QUESTIONS, QUESTIONS
from backcoach.core.session_steps import StepKind
from backcoach.core.sources import ALL_SOURCES, GUIDELINES, SEEDS, with_titles
from backcoach.exports.handout import handout_html
from backcoach.services.context import App, local_scope
from backcoach.services.handouts import program_handout
from backcoach.services.programs import current_program
from backcoach.settings import get_settings
from backcoach.storage.database import open_database
from backcoach.storage.repository import Database
from backcoach.storage.stored_json import explanation_json
from backcoach.storage.tables import ProgramVersion
from backcoach.web.app import create_app
from tests.conftest import MovableNow
from tests.forms import post_form
from tests.test_terminal_coach import Harness

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
MAYA = str(EXAMPLES / "maya.json")

FILE_NAME = re.compile(r"\d{3}_[0-9a-f]{16}(\.txt)?")
BARE_ID = re.compile(r"\b[Ss]ource 00\d\b")
# A guideline's code ("OSTELO-2008", "NICE-CKS-LBP") and the bare abbreviations a user test found.
CODES = re.compile(r"\b(" + "|".join(re.escape(g) for g in GUIDELINES) + r")\b|\bACSM\b|\bOstelo( et al\.?)? 2008\b")
ID_KEYS = {"id", "source", "sources", "code", "reason_code", "kind", "action", "status", "region"}


def found_in(text: str) -> list[str]:
    """Every file name, bare "source 00N" or guideline code in the text, with a little around it."""
    hits = []
    for pattern in (FILE_NAME, BARE_ID, CODES):
        hits += [text[max(0, m.start() - 40) : m.end() + 40] for m in pattern.finditer(text)]
    return hits


def sentences(value: Any, key: str = "") -> Iterator[str]:
    """The strings in a JSON value that a person may read: everything but its id fields."""
    if key in ID_KEYS or key.endswith(("_id", "_ids")):
        return
    if isinstance(value, dict):
        for k, v in value.items():
            yield from sentences(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from sentences(item, key)
    elif isinstance(value, str):
        yield value


class Reader:
    """Everything a person was shown, by where it was shown."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, str]] = []

    def text(self, where: str, text: str) -> str:
        assert text.strip(), f"{where} showed nothing"
        self.texts.append((where, text))
        return text

    def json(self, where: str, value: Any) -> Any:
        self.texts += [(where, s) for s in sentences(value)]
        return value

    def problems(self) -> list[str]:
        return [f"{where}: ...{hit}..." for where, text in self.texts for hit in found_in(text)]

    def everything(self) -> str:
        return "\n".join(text for _, text in self.texts)


class Person:
    """One person's database, used by the command line and the web app alike, at one pretend time."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.tmp_path = tmp_path
        self.url = f"sqlite:///{tmp_path / 'person.sqlite3'}"
        self.monkeypatch = monkeypatch
        self.runner = CliRunner()
        self.now = MovableNow(datetime(2026, 3, 2, 8, 0))
        self.read = Reader()
        monkeypatch.setenv("BACKCOACH_DATABASE_URL", self.url)
        self.app = App(Database(open_database(self.url)), load_catalogue(), self.now)
        self.web = TestClient(create_app(lambda: self.app), base_url="http://127.0.0.1")

    def at(self, day: int, hour: int = 8) -> None:
        self.now.value = datetime(2026, 3, day, hour, 0)

    def cli(self, *args: str, code: int | None = 0) -> str:
        """A command's output (stdout and stderr), read as a person reads it."""
        self.monkeypatch.setenv("BACKCOACH_NOW", self.now.value.isoformat())
        get_settings.cache_clear()
        result = self.runner.invoke(cli_app, list(args), env={"COLUMNS": "200"})
        assert code is None or result.exit_code == code, (args, result.output, result.exception)
        return self.read.text("backcoach " + " ".join(args), result.output)

    def cli_json(self, *args: str, code: int | None = 0) -> Any:
        """A command's --json output: its sentences are read, its id fields are not."""
        self.monkeypatch.setenv("BACKCOACH_NOW", self.now.value.isoformat())
        get_settings.cache_clear()
        result = self.runner.invoke(cli_app, list(args), env={"COLUMNS": "200"})
        assert code is None or result.exit_code == code, (args, result.output, result.exception)
        if result.stderr:
            self.read.text("backcoach " + " ".join(args) + " (stderr)", result.stderr)
        return self.read.json("backcoach " + " ".join(args), json.loads(result.stdout))

    def page(self, path: str, status: int = 200) -> str:
        got = self.web.get(path)
        assert got.status_code == status, (path, got.status_code)
        return self.read.text(f"GET {path}", got.text)

    def api(self, method: str, path: str, body: Any = None, status: int = 200) -> Any:
        got = self.web.request(method, path, json=body)
        assert got.status_code == status, (path, got.status_code, got.text)
        return self.read.json(f"{method} {path}", got.json())

    def answers_file(self, **yes: bool) -> str:
        path = self.tmp_path / "answers.json"
        path.write_text(json.dumps({q.id: yes.get(q.id, False) for q in QUESTIONS}))
        return str(path)


@pytest.fixture
def person(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Person]:
    yield Person(tmp_path, monkeypatch)
    get_settings.cache_clear()


def every_page(p: Person, catalogue: Catalogue) -> None:
    """Each GET page of the web app, the printed handout's HTML and text, the calendar, and the API."""
    for path in ["/", "/screen", "/profile", "/program", "/session", "/recheck", "/progress", "/checked"]:
        p.page(path)
    for path in ["/library", "/settings", *(f"/library/{i}" for i in catalogue.ids())]:
        p.page(path)
    p.page("/library/no-such-exercise", 404)
    for path in ["/api/v1/program", "/api/v1/program/versions", "/api/v1/safety", "/api/v1/screen/questions"]:
        p.api("GET", path)
    p.api("GET", "/api/v1/exercises")
    found = current_program(local_scope(p.app))
    if found is not None and not found.paused:
        p.read.text("handout HTML", handout_html(program_handout(local_scope(p.app))))
        pdf = p.web.get("/program/handout.pdf")
        assert pdf.status_code == 200
        p.read.text("handout PDF", "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages))
        p.read.text("reminders.ics", p.web.get("/settings/reminders.ics").text)
    else:
        p.page("/program/handout.pdf", 404)


def test_everything_a_person_reads_names_sources_plainly(person: Person, catalogue: Catalogue):
    p = person
    # The README's "Using it": setup, then sessions from paper for a week and a bit.
    p.cli("setup", "--profile", MAYA)
    p.cli("reminders", "set", "07:30", "19:00", "--timezone", "Europe/London")
    for day in range(3, 10):
        p.at(day)
        p.cli("log", "--pain-before", "4", "--pain-after", "3", "--difficulty", "easy")
    p.at(10)
    review = p.cli("review")
    assert "Weekly review" in review
    p.at(10, 9)
    # Pain that rose, with a sharp stop in one exercise: it is paused, the warning signs come again.
    stopped = p.cli_json(
        "log", "--pain-before", "3", "--pain-after", "6", "--pain-stop", "knee-rolls=sharp:6", "--json"
    )
    assert stopped["rescreen_needed"]
    every_page(p, catalogue)  # with the warning signs owed: the session page and /recheck say so
    p.cli("rescreen", "--answers", p.answers_file())
    p.cli("activities", "add", "Putting on socks", "4")
    p.cli("activities", "rate", "1", "6")

    # A session in the player, through the API: mild discomfort, an easier choice, then a sharp stop.
    p.at(11)
    live = p.api("POST", "/api/v1/sessions", {"pain_before": 3})
    first = live["exercises"][0]["id"]
    mild = p.api(
        "POST",
        f"/api/v1/sessions/{live['session_id']}/pain",
        {"exercise_id": first, "pain": {"kind": "mild", "score": 3, "place": "lower_back"}},
    )
    assert mild["options"] and all(o["label"] for o in mild["options"])
    skip = next(o for o in mild["options"] if o["kind"] == "skip")
    p.api("POST", f"/api/v1/sessions/{live['session_id']}/choice", {"option_id": skip["id"]})
    second = live["exercises"][1]["id"]
    sharp = p.api(
        "POST",
        f"/api/v1/sessions/{live['session_id']}/pain",
        {"exercise_id": second, "pain": {"kind": "sharp", "score": 7, "place": "lower_back"}},
    )
    assert sharp["action"] == "end_session"
    p.api(
        "POST",
        f"/api/v1/sessions/{live['session_id']}/finish",
        {"end_reason": "pain", "pain_after": 7, "difficulty": "hard"},
    )
    done = post_form(p.web, "/recheck", data={q.id: "no" for q in QUESTIONS})
    p.read.text("POST /recheck", done.text)

    # Every version of a week that grew and then eased, with paused exercises: each face shows it.
    p.at(17)
    p.api("POST", "/api/v1/log", {"pain_before": 4, "pain_after": 4, "difficulty": "right"})
    every_page(p, catalogue)
    assert "Paused because it hurt" in p.page("/program")
    for args in (["program"], ["program", "--history"], ["paused"]):
        p.cli(*args)
        p.cli_json(*args, "--json")
    p.cli("progress")
    p.cli("progress", "--png", str(p.tmp_path / "chart.png"))
    reasons = [v["reason"] for v in p.cli_json("program", "--history", "--json")]
    assert any("grows one step" in r for r in reasons) and any("is paused" in r for r in reasons), reasons
    p.cli("reminders")
    p.cli("reminders", "--ics", str(p.tmp_path / "reminders.ics"))
    p.read.text("reminders file", (p.tmp_path / "reminders.ics").read_text())
    p.cli("handout", "-o", str(p.tmp_path / "handout.pdf"))
    p.cli("cleared", "--exercise", "knee-rolls", "--by", "Dr Shah")
    p.read.json("backcoach export", json.loads(p.cli("export")))
    p.cli("backup", str(p.tmp_path / "backup.sqlite3"))
    p.cli("import", str(p.tmp_path / "nothing.json"), code=None)

    # The catalogue, the questions and planning from a file, as text and as JSON.
    p.cli("exercises")
    exercises = p.cli_json("exercises", "--json")
    assert any(FILE_NAME.fullmatch(d["source"]) for e in exercises for d in e["dosage"])  # ids stay in id fields
    for exercise_id in catalogue.ids():
        shown = p.cli("exercises", "show", exercise_id)
        assert all(ALL_SOURCES[s].title in shown for s in catalogue.get(exercise_id).sources)
        p.cli_json("exercises", "show", exercise_id, "--json")
    p.cli("screen", "--list")
    p.cli_json("screen", "--list", "--json")
    for example in sorted(EXAMPLES.glob("*.json")):
        p.cli("plan", "--profile", str(example))
        p.cli_json("plan", "--profile", str(example), "--json")
        p.cli("session", "--profile", str(example), "--steps")
        p.cli_json("session", "--profile", str(example), "--steps", "--json")
        # Tom has a warning sign: no handout and no reminders, and the words say why.
        p.cli("handout", "--profile", str(example), "-o", str(p.tmp_path / "profile.pdf"), code=None)
        p.cli("reminders", "--profile", str(example), "--times", "08:00", "--ics", str(p.tmp_path / "p.ics"), code=None)
    p.cli("session", code=2)  # no terminal here: it says so

    # A warning sign: the program pauses until a professional's check. Every face says what to do.
    p.at(18)
    p.cli("rescreen", "--answers", p.answers_file(fever=True), code=None)
    p.cli_json("rescreen", "--answers", p.answers_file(fever=True), "--json", code=None)
    assert "paused" in p.page("/program")
    every_page(p, catalogue)
    for args in (["program"], ["paused"], ["log", "--pain-before", "3", "--pain-after", "3"], ["review"]):
        p.cli(*args, code=None)
    p.cli_json("paused", "--json")
    screened = post_form(p.web, "/screen", data={"read_notice": "yes", **{q.id: "yes" for q in QUESTIONS}})
    assert "Sources:" in p.read.text("POST /screen", screened.text)
    p.cli_json("cleared", "--by", "Dr Shah", "--json")
    every_page(p, catalogue)

    # The questions asked in the terminal, and the terminal coach through a session and a pain stop.
    asked = io.StringIO()
    typed = ["y", *["n"] * len(QUESTIONS), "9", "x", "4", "0", "11", "3", "y", "n", "y", "y", "2", "10", "5", "2", "2"]
    assert ask_profile(Console(file=asked, width=100), io.StringIO("".join(a + "\n" for a in typed))) is not None
    p.read.text("setup questions", asked.getvalue())
    whole, hurt = Harness(catalogue), Harness(catalogue)
    whole.type(whole.ended(), "3\n", "2")
    hurt.type(hurt.at(StepKind.hold), "h2", "6\n", "4", hurt.ended(), "7\n3")  # sharp pain ends it
    for h in (whole, hurt):
        h.play()
        p.read.text("terminal coach", h.output)

    everything = p.read.everything()
    assert "Sources:" in everything and "A daily lower back routine" in everything
    assert p.read.problems() == []


def test_the_checker_finds_what_it_looks_for():
    """The patterns above would catch the wording the user test found."""
    for bad in (
        "Only source 001 gives numbers.",
        "Results take a few weeks (004_7cab17a5ac68f44c.txt).",
        "see 002_17edfd41803de707",
        "A real change (Ostelo 2008).",
        "Strength work (ACSM).",
        "Source: NICE-CKS-LBP.",
    ):
        assert found_in(bad), bad
    assert found_in("Only one of our sources (A daily lower back routine) gives numbers for this.") == []
    assert list(sentences({"source": "002_17edfd41803de707.txt", "why": "words", "exercise_id": "x"})) == ["words"]


# The names themselves -----------------------------------------------------------------------------


def test_every_source_has_a_short_plain_name_and_says_what_it_is():
    titles = [s.title for s in ALL_SOURCES.values()]
    assert len(set(titles)) == len(titles)
    for s in ALL_SOURCES.values():
        assert 10 <= len(s.title) <= 80 and s.about.endswith(".") and len(s.about) <= 140, s
        assert not found_in(s.title) and not found_in(s.about), s
    assert all(s.citation is None for s in SEEDS.values())
    assert all(s.citation for s in GUIDELINES.values())
    assert SEEDS["002_17edfd41803de707.txt"].title == "A daily lower back routine"
    assert GUIDELINES["NICE-NG59"].title == "NICE guideline on low back pain (NG59)"


def test_questions_carry_the_plain_name_beside_the_id():
    for q in ALL_QUESTIONS:
        assert q.source in GUIDELINES and not found_in(GUIDELINES[q.source].title)


def test_old_text_that_named_a_file_reads_with_the_title():
    assert with_titles("Results take a few weeks (004_7cab17a5ac68f44c.txt).") == (
        "Results take a few weeks (The best back pain exercises)."
    )
    assert with_titles("as 002_17edfd41803de707 says") == "as A daily lower back routine says"
    assert with_titles("999_0123456789abcdef.txt is not ours") == "999_0123456789abcdef.txt is not ours"


def test_a_version_stored_with_file_names_shows_titles_on_every_face(person: Person):
    """A program stored by an older backcoach kept the file names in its sentences: they read as titles."""
    p = person
    p.cli("setup", "--profile", MAYA)
    old = Explanation(
        "first_program",
        "You can start gently.",
        (LeftOut("back-extension", "Not today (003_f764da1d5ae4ae81.txt).", "max_exercises"),),
        (LeftOut("walking", "Walking is good alongside your routine (002_17edfd41803de707.txt).", "activity"),),
        ("Results take a few weeks of regular practice (004_7cab17a5ac68f44c.txt).",),
    )
    with p.app.database.sessions() as session:  # as the row was written then
        session.execute(update(ProgramVersion).values(explanation=explanation_json(old)))
        session.commit()
    page = p.page("/program")
    assert "(A daily lower back routine)" in page and "(The best back pain exercises)" in page
    p.cli("program")
    p.cli_json("program", "--json")
    p.cli_json("program", "--history", "--json")
    p.api("GET", "/api/v1/program")
    assert p.read.problems() == []
