"""The stored-history commands as a person types them: setup, program, log, review, activities,
progress, export and import. Bad input gets a clear message and changes nothing stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from backcoach.cli import app
from backcoach.settings import get_settings

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
MAYA = str(EXAMPLES / "maya.json")
MAYA_PROGRAM = ["knee-to-chest", "knee-rolls", "pelvic-tilt", "piriformis-stretch", "bridge", "crunch"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Cli:
    """`backcoach` in this process, on a database of its own and a clock set by hand (BACKCOACH_NOW)."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.tmp_path = tmp_path
        self.monkeypatch = monkeypatch
        self.runner = CliRunner()
        self.now = "2026-03-02T08:00:00"
        self.use("main")

    def use(self, name: str) -> None:
        """Point every following command at the SQLite file `name` (a new one is empty)."""
        self.monkeypatch.setenv("BACKCOACH_DATABASE_URL", f"sqlite:///{self.tmp_path / name}.sqlite3")

    def run(self, *args: str, code: int = 0) -> Result:
        self.monkeypatch.setenv("BACKCOACH_NOW", self.now)
        get_settings.cache_clear()
        result = self.runner.invoke(app, list(args), env={"COLUMNS": "200"})
        assert result.exit_code == code, (args, result.exit_code, result.output, result.exception)
        return result

    def export(self) -> str:
        return self.run("export").stdout

    def tables(self) -> dict[str, list[dict]]:
        return json.loads(self.export())["tables"]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    yield Cli(tmp_path, monkeypatch)
    get_settings.cache_clear()  # later tests must not see this test's database


@pytest.fixture
def maya(cli: Cli) -> Cli:
    cli.run("setup", "--profile", MAYA)
    return cli


def stored_rows(tables: dict[str, list[dict]]) -> int:
    return sum(len(rows) for rows in tables.values())


# Setup and the program ---------------------------------------------------------------


def test_setup_stores_version_1_and_prints_the_plan(cli: Cli):
    out = cli.run("setup", "--profile", MAYA).stdout
    assert "no to every warning sign" in out and "Your program" in out
    assert "Knee to chest" in out and "Why:" in out and "Left out" in out
    assert "Saved. Start a session with backcoach session." in out
    tables = cli.tables()
    (program,) = tables["program_version"]
    assert program["version"] == 1 and program["reason"] == "Your first program."
    assert [item["id"] for item in program["exercises"]] == MAYA_PROGRAM
    assert len(tables["profile_version"]) == len(tables["screening"]) == 1
    assert tables["screening"][0]["status"] == "ok"
    assert tables["session"] == []


def test_program_shows_the_current_version_with_reasons(maya: Cli):
    out = maya.run("program").stdout
    assert "Program version 1 (2026-03-02): Your first program." in out
    lines = out.splitlines()
    names = ["Knee to chest", "Knee rolls", "Pelvic tilt", "Piriformis stretch", "Bridge", "Gentle curl-up"]
    for number, name in enumerate(names, start=1):
        line = next((line for line in lines if line.startswith(f"{number}. ")), "")
        assert line.startswith(f"{number}. {name}: "), out
    assert out.count("Why:") == len(names)


def test_program_history_lists_every_version_and_why(maya: Cli):
    maya.now = "2026-03-03T08:00:00"
    maya.run("setup", "--profile", str(EXAMPLES / "sam.json"))
    out = maya.run("program", "--history").stdout
    assert "Version 1  2026-03-02  6 exercises" in out and "Your first program." in out
    assert "Version 2  2026-03-03" in out and "Your answers changed, so we made a new program." in out
    assert out.index("Version 1") < out.index("Version 2")
    assert "Program version 2 (2026-03-03)" in maya.run("program").stdout


def test_program_before_setup(cli: Cli):
    assert "Run `backcoach setup` first" in cli.run("program", code=1).stderr
    assert cli.run("program", "--history").stdout == ""


# Log -----------------------------------------------------------------------------------


def test_log_records_a_session(maya: Cli):
    out = maya.run("log", "--pain-before", "4", "--pain-after", "3", "--difficulty", "easy", "--skip", "bridge").stdout
    assert "Saved: 6 exercises, pain 4 → 3, felt easy." in out
    tables = maya.tables()
    (session,) = tables["session"]
    assert session["status"] == "finished" and session["started_at"] == "2026-03-02T08:00:00"
    outcomes = {row["exercise_id"]: row["status"] for row in tables["exercise_outcome"]}
    assert outcomes == {**dict.fromkeys(MAYA_PROGRAM, "done"), "bridge": "skipped"}
    (check_in,) = tables["check_in"]
    assert (check_in["pain_before"], check_in["pain_after"], check_in["difficulty"]) == (4, 3, "easy")
    progress = maya.run("progress").stdout
    assert "Sessions done: 1." in progress and "Streak: 1 day(s)" in progress


def test_log_a_pain_stop_ends_the_session_there(maya: Cli):
    maya.run("log", "--pain-before", "3", "--pain-after", "5", "--pain-stop", "knee-rolls=sharp:6")
    tables = maya.tables()
    assert tables["session"][0]["status"] == "stopped_for_pain"
    outcomes = [(row["exercise_id"], row["status"], row["pain_score"]) for row in tables["exercise_outcome"]]
    assert outcomes == [("knee-to-chest", "done", None), ("knee-rolls", "stopped_for_pain", 6)]


BAD_LOGS = [
    ("difficulty", ["--difficulty", "meh"], ["difficulty must be one of easy, right, hard", "'meh'"]),
    ("pain over 10", ["--pain-before", "11"], ["--pain-before"]),
    ("pain below 0", ["--pain-after", "-1"], ["--pain-after"]),
    ("unknown skip", ["--skip", "not-an-exercise"], ["'not-an-exercise' is not in today's session (", "knee-rolls"]),
    ("pain kind", ["--pain-stop", "bridge=ouch:3"], ["'ouch' is not a kind of pain", "mild, sharp"]),
    ("pain score", ["--pain-stop", "bridge=mild:12"], ["--pain-stop 'bridge=mild:12'", "from 0 to 10"]),
    ("pain score not ASCII", ["--pain-stop", "bridge=mild:²"], ["--pain-stop 'bridge=mild:²'", "a whole number"]),
    ("pain score signs", ["--pain-stop", "bridge=mild:--5"], ["--pain-stop 'bridge=mild:--5'", "a whole number"]),
    ("pain shape", ["--pain-stop", "bridge"], ["--pain-stop 'bridge'", "ID=KIND:SCORE"]),
    ("pain exercise", ["--pain-stop", "moonwalk=mild:3"], ["'moonwalk' is not in today's session"]),
]


@pytest.mark.parametrize(("extra", "words"), [c[1:] for c in BAD_LOGS], ids=[c[0] for c in BAD_LOGS])
def test_bad_log_input_is_refused_and_changes_nothing(maya: Cli, extra: list[str], words: list[str]):
    maya.run("log", "--pain-before", "3", "--pain-after", "2")  # some history, so "nothing changed" means something
    before = maya.export()
    args = {"--pain-before": "3", "--pain-after": "2"}
    options = [arg for pair in args.items() if pair[0] not in extra for arg in pair]
    result = maya.run("log", *options, *extra, code=2)
    for word in words:
        assert word in result.stderr, result.stderr
    assert "Saved" not in result.stdout
    assert maya.export() == before


def test_log_before_setup_says_to_run_setup(cli: Cli):
    result = cli.run("log", "--pain-before", "3", "--pain-after", "2", code=1)
    assert "There is no program yet. Run `backcoach setup` first." in result.stderr
    tables = cli.tables()
    assert tables["session"] == tables["check_in"] == tables["program_version"] == []


def test_log_while_paused_by_a_warning_sign(maya: Cli):
    out = maya.run("setup", "--profile", str(EXAMPLES / "tom.json")).stdout
    assert "emergency" in out and "Saved." not in out
    program = maya.tables()["program_version"]
    assert [(p["version"], p["exercises"]) for p in program][-1] == (2, [])
    assert "Version 2  2026-03-02  0 exercises" in maya.run("program", "--history").stdout
    before = maya.export()
    result = maya.run("log", "--pain-before", "3", "--pain-after", "2", code=1)
    assert "paused" in result.stderr and "emergency" in result.stderr
    assert maya.export() == before


# Review and progress -------------------------------------------------------------------


def test_review_before_setup(cli: Cli):
    assert "Run `backcoach setup` first" in cli.run("review", code=1).stderr


def test_review_after_a_week_of_sessions(maya: Cli):
    for day in range(2, 9):
        maya.now = f"2026-03-{day:02d}T08:00:00"
        maya.run("log", "--pain-before", "4", "--pain-after", "3", "--difficulty", "right")
    maya.now = "2026-03-09T09:00:00"
    out = maya.run("review").stdout
    assert out.startswith("Weekly review")
    assert len(maya.tables()["review"]) >= 1


def test_progress_before_setup(cli: Cli):
    assert "Run `backcoach setup`" in cli.run("progress", code=1).stderr


def test_progress_writes_a_png(maya: Cli, tmp_path: Path):
    maya.run("log", "--pain-before", "4", "--pain-after", "3")
    maya.now = "2026-03-03T08:00:00"
    maya.run("log", "--pain-before", "3", "--pain-after", "2")
    png = tmp_path / "charts.png"
    out = maya.run("progress", "--png", str(png)).stdout
    assert "Week by week" in out and "Sessions done: 2." in out and f"Charts written to {png}" in out
    data = png.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 1000


# Activities (the Patient-Specific Functional Scale) ------------------------------------


def test_activities_up_to_three(maya: Cli):
    assert "No activities yet" in maya.run("activities").stdout
    for name, score in (("Putting on socks", "4"), ("Sitting at my desk", "5"), ("Lifting my child", "2")):
        assert f"Added {name!r} at {score}/10." in maya.run("activities", "add", name, score).stdout
    before = maya.export()
    result = maya.run("activities", "add", "Gardening", "3", code=2)
    assert "you already have 3 activities" in result.stderr
    assert maya.export() == before
    assert "Putting on socks: 6/10 saved." in maya.run("activities", "rate", "1", "6").stdout
    listed = maya.run("activities").stdout.splitlines()
    assert listed == ["1. Putting on socks: 6 / 10", "2. Sitting at my desk: 5 / 10", "3. Lifting my child: 2 / 10"]


def test_activities_bad_input_changes_nothing(maya: Cli):
    maya.run("activities", "add", "Putting on socks", "4")
    before = maya.export()
    assert "There is no activity number 7" in maya.run("activities", "rate", "7", "5", code=2).stderr
    assert "'score'" in maya.run("activities", "rate", "1", "11", code=2).stderr
    assert "1 to 200 characters" in maya.run("activities", "add", "   ", "3", code=2).stderr
    assert "-1" in maya.run("activities", "add", "Gardening", "-1", code=2).stderr  # Click: "No such option: -1"
    assert maya.export() == before


def test_activities_say_what_a_change_means_and_print_json(maya: Cli):
    maya.run("activities", "add", "Putting on socks", "4")
    before = maya.export()
    refused = maya.run("activities", "add", "putting on SOCKS", "6", code=2)
    assert 'you already have "Putting on socks"; rate that one again instead' in refused.stderr
    assert maya.export() == before
    maya.now = "2026-03-09T08:00:00"
    out = maya.run("activities", "rate", "1", "6").stdout.splitlines()
    assert out == [
        "Putting on socks: 6/10 saved.",
        "Putting on socks: 4 → 6 out of 10. Up 2 points since you started: too small to call a change yet.",
    ]
    maya.now = "2026-03-16T08:00:00"
    rated = json.loads(maya.run("activities", "rate", "1", "7", "--json").stdout)
    assert rated["change"] == 3 and rated["real_change"] is True and rated["latest"] == 7
    assert [r["rated_on"] for r in rated["ratings"]] == ["2026-03-02", "2026-03-09", "2026-03-16"]
    assert json.loads(maya.run("activities", "--json").stdout) == [rated]
    added = json.loads(maya.run("activities", "add", "Gardening", "3", "--json").stdout)
    assert added["name"] == "Gardening" and added["ratings"][0]["score"] == 3 and added["change"] == 0
    progress = maya.run("progress").stdout
    assert "Putting on socks: 4 → 7 out of 10. Up 3 points since you started: a real change." in progress
    assert "Gardening: 3 out of 10. Rate it again in a week or so to see how it changes." in progress


# Export and import ---------------------------------------------------------------------


def fill(cli: Cli) -> None:
    cli.run("setup", "--profile", MAYA)
    cli.run("activities", "add", "Putting on socks", "4")
    for day, extra in ((2, []), (3, ["--skip", "pelvic-tilt"]), (4, ["--pain-stop", "knee-rolls=mild:3"])):
        cli.now = f"2026-03-{day:02d}T08:00:00"
        cli.run("log", "--pain-before", "4", "--pain-after", "3", *extra)
    cli.run("activities", "rate", "1", "5")


def test_export_then_import_into_an_empty_database_is_byte_identical(cli: Cli, tmp_path: Path):
    fill(cli)
    backup = tmp_path / "backup.json"
    assert f"Exported to {backup}" in cli.run("export", str(backup)).stdout
    first = backup.read_bytes()
    assert first == cli.export().encode()
    assert not backup.with_name("backup.json.tmp").exists()

    cli.use("second")
    out = cli.run("import", str(backup)).stdout
    tables = json.loads(first)["tables"]
    assert f"Imported {stored_rows(tables)} records from {backup}" in out
    again = tmp_path / "again.json"
    cli.run("export", str(again))
    assert again.read_bytes() == first
    # The imported history works as before.
    assert "Sessions done: 3." in cli.run("progress").stdout


def damaged_files(good: str) -> dict[str, tuple[str, str]]:
    foreign = json.loads(good) | {"format": "other-app"}
    newer = json.loads(good) | {"version": 99}
    return {
        "not json": ("{oops", "not valid JSON"),
        "wrong format": (json.dumps(foreign), "not a backcoach export"),
        "newer version": (json.dumps(newer), "version 99"),
        "empty file": ("", "not valid JSON"),
    }


@pytest.mark.parametrize("kind", ["not json", "wrong format", "newer version", "empty file"])
def test_import_of_a_damaged_file_changes_nothing(cli: Cli, tmp_path: Path, kind: str):
    fill(cli)
    good = cli.export()
    content, words = damaged_files(good)[kind]
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    cli.use("target")
    result = cli.run("import", str(bad), code=2)
    assert str(bad) in result.stderr and words in result.stderr, result.stderr
    assert stored_rows(cli.tables()) == 0
    good_file = tmp_path / "good.json"
    good_file.write_text(good)
    cli.run("import", str(good_file))  # still empty, so the good file goes in afterwards
    assert cli.export() == good


def test_import_of_a_missing_file(cli: Cli, tmp_path: Path):
    result = cli.run("import", str(tmp_path / "nowhere.json"), code=2)
    assert "cannot read the file" in result.stderr
    assert stored_rows(cli.tables()) == 0


def test_import_into_a_database_with_data_is_refused(cli: Cli, tmp_path: Path):
    fill(cli)
    backup = tmp_path / "backup.json"
    cli.run("export", str(backup))
    cli.use("other")
    cli.run("setup", "--profile", str(EXAMPLES / "sam.json"))
    before = cli.export()
    result = cli.run("import", str(backup), code=2)
    assert "not empty" in result.stderr
    assert cli.export() == before


def test_looking_first_does_not_block_an_import(cli: Cli, tmp_path: Path):
    fill(cli)
    backup = tmp_path / "backup.json"
    cli.run("export", str(backup))
    cli.use("new-machine")
    cli.run("progress", code=1)  # "is anything here yet?"
    cli.run("import", str(backup))


def test_export_writes_into_a_pipe_without_replacing_it_and_refuses_a_folder(maya: Cli, tmp_path: Path):
    import os
    import stat
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_text(encoding="utf-8")))
    reader.start()
    maya.run("export", str(pipe))
    reader.join(timeout=10)
    assert received and '"format": "backcoach-export"' in received[0]
    assert stat.S_ISFIFO(pipe.stat().st_mode), "the pipe is still a pipe, not a file put in its place"
    folder = tmp_path / "folder"
    folder.mkdir()
    assert "cannot write" in maya.run("export", str(folder), code=1).stderr
    assert folder.is_dir()
