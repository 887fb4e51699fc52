"""Bad settings and bad input on the command line: one line naming the problem, the right exit
code, no traceback, nothing written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcoach.cli import app
from backcoach.settings import get_settings
from tests.examples import EXAMPLES


def run(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], *args: str) -> tuple[int, str]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    result = CliRunner().invoke(app, list(args))
    get_settings.cache_clear()
    return result.exit_code, result.stderr


@pytest.mark.parametrize("now", ["garbage", "2026-13-40T08:00:00", "yesterday"])
def test_a_bad_pretend_time_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, now: str):
    code, said = run(
        monkeypatch, {"BACKCOACH_NOW": now, "BACKCOACH_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}, "program"
    )
    assert code == 2 and said.startswith("backcoach: BACKCOACH_NOW:") and said.count("\n") == 1, said
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize("url", ["foo://x", "not a url", "postgresql+nodriver://u@h/d"])
def test_a_bad_database_address_is_one_line(monkeypatch: pytest.MonkeyPatch, url: str):
    code, said = run(monkeypatch, {"BACKCOACH_DATABASE_URL": url}, "program")
    assert code == 1 and said.startswith("backcoach: Cannot open the database") and said.count("\n") == 1, said


def test_a_pretend_time_with_an_offset_is_the_same_moment_in_utc(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    env = {"BACKCOACH_NOW": "2026-03-02T13:00:00+05:00", "BACKCOACH_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    assert run(monkeypatch, env, "setup", "--profile", str(EXAMPLES / "maya.json"))[0] == 0
    code, said = run(monkeypatch, env, "log", "--pain-before", "3", "--pain-after", "2")
    assert code == 0, said


BAD_FILES = {
    "not UTF-8": ('{"a": 1}'.encode("utf-16"), "not UTF-8"),
    "nested too deeply": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "a number of 5,000 digits": (b'{"pain_now": ' + b"9" * 5000 + b"}", "far too long"),
    "NaN": (b'{"pain_now": NaN}', "NaN is not a JSON number"),
    "Infinity": (b'{"pain_now": -Infinity}', "-Infinity is not a JSON number"),
    "not JSON": (b"{pain_now: 4", "not valid JSON"),
}


@pytest.mark.parametrize("bad", BAD_FILES, ids=list(BAD_FILES))
@pytest.mark.parametrize("command", [["plan", "--profile"], ["rescreen", "--answers"], ["import"]])
def test_a_bad_file_is_one_line_and_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, bad: str, command: list[str]
):
    content, words = BAD_FILES[bad]
    file = tmp_path / "bad.json"
    file.write_bytes(content)
    env = {"BACKCOACH_DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "BACKCOACH_NOW": "2026-03-02T08:00:00"}
    code, said = run(monkeypatch, env, *command, str(file))
    assert code == 2 and said.startswith("backcoach: ") and words in said and said.count("\n") == 1, said
    database = tmp_path / "x.db"
    if database.exists():  # opened, perhaps, but nothing stored in it
        with sqlite3.connect(database) as db:
            assert db.execute("SELECT count(*) FROM screening").fetchone() == (0,)
            assert db.execute("SELECT count(*) FROM person").fetchone() == (0,)


def test_backup_writes_a_new_file_and_never_replaces_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    env = {"BACKCOACH_DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "BACKCOACH_NOW": "2026-03-02T08:00:00"}
    assert run(monkeypatch, env, "setup", "--profile", str(EXAMPLES / "maya.json"))[0] == 0
    target = tmp_path / "copy.sqlite3"
    assert run(monkeypatch, env, "backup", str(target))[0] == 0
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT count(*) FROM program_version").fetchone() == (1,)
    code, said = run(monkeypatch, env, "backup", str(target))
    assert code == 2 and "already exists" in said and said.count("\n") == 1
    code, said = run(monkeypatch, env, "backup", str(tmp_path / "no" / "such" / "folder.sqlite3"))
    assert code == 2 and "no folder" in said
