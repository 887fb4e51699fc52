"""Bad settings and bad input on the command line: one line naming the problem, the right exit
code, no traceback, nothing written."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcoach.cli import app
from backcoach.schemas.json_text import MAX_IMPORT_BYTES
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


# Files that are not files: a pipe, a folder, a device, one far too large -----------------------


@pytest.fixture
def no_hang() -> Iterator[None]:
    """A read that waits for ever (a pipe with no writer) fails the test instead of hanging it."""

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError("the command waited on its input")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def special_file(kind: str, tmp_path: Path) -> tuple[Path, str]:
    """A path of this kind, and the words the refusal must have."""
    if kind == "pipe":
        os.mkfifo(tmp_path / "pipe.json")
        return tmp_path / "pipe.json", "not a file"
    if kind == "folder":
        (tmp_path / "folder.json").mkdir()
        return tmp_path / "folder.json", "not a file"
    if kind == "device":
        return Path("/dev/zero"), "not a file"
    if kind == "too large":
        big = tmp_path / "big.json"
        with big.open("wb") as file:  # sparse: nothing is written but the size
            file.truncate(MAX_IMPORT_BYTES + 1)
        return big, "too large"
    return tmp_path / "missing.json", "cannot read the file"


@pytest.mark.parametrize("kind", ["pipe", "folder", "device", "too large", "missing"])
@pytest.mark.parametrize(
    "command", [["plan", "--profile"], ["setup", "--profile"], ["rescreen", "--answers"], ["import"]], ids=" ".join
)
def test_a_file_that_is_not_a_file_is_one_line_at_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, no_hang: None, kind: str, command: list[str]
):
    path, words = special_file(kind, tmp_path)
    env = {"BACKCOACH_DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "BACKCOACH_NOW": "2026-03-02T08:00:00"}
    code, said = run(monkeypatch, env, *command, str(path))
    assert code == 2 and said.startswith(f"backcoach: {path}: ") and words in said and said.count("\n") == 1, said
    if (tmp_path / "x.db").exists():
        with sqlite3.connect(tmp_path / "x.db") as db:
            assert db.execute("SELECT count(*) FROM person").fetchone() == (0,)


# Data that may be read but not written ----------------------------------------------------------


def as_another_user() -> list[str]:
    """Root may write anything, so a read-only folder is tried as the 'nobody' user."""
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []


def backcoach(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    src = Path(__file__).resolve().parents[1] / "src"
    full = {"PATH": os.environ["PATH"], "PYTHONPATH": str(src), **env}
    command = [*as_another_user(), sys.executable, "-m", "backcoach", *args]
    return subprocess.run(command, env=full, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def read_only_data() -> Iterator[tuple[dict[str, str], Path, Path]]:
    """Maya's data, then its folder and file made read-only; and a folder anyone may write in."""
    folder = Path(tempfile.mkdtemp(prefix="backcoach-read-only-"))
    out = Path(tempfile.mkdtemp(prefix="backcoach-out-"))
    data = folder / "data"
    data.mkdir()
    database = data / "backcoach.sqlite3"
    env = {"BACKCOACH_DATABASE_URL": f"sqlite:///{database}", "BACKCOACH_NOW": "2026-03-02T08:00:00"}
    try:
        for path in (folder, out):
            path.chmod(0o777 if path == out else 0o755)
        done = subprocess.run(
            [sys.executable, "-m", "backcoach", "setup", "--profile", str(EXAMPLES / "maya.json")],
            env={**os.environ, **env, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        for path in data.iterdir():
            path.chmod(0o444)
        data.chmod(0o555)
        yield env, database, out
    finally:
        data.chmod(0o755)
        shutil.rmtree(folder)
        shutil.rmtree(out)


def test_read_only_data_still_exports_and_every_write_says_it_is_read_only(
    read_only_data: tuple[dict[str, str], Path, Path],
):
    env, database, out = read_only_data
    probe = subprocess.run(
        [*as_another_user(), "sh", "-c", f"touch {database.parent}/probe"], capture_output=True, check=False
    )
    assert probe.returncode != 0  # the folder really is read-only for whoever runs the commands
    reader = f"file:{database}?mode=ro&immutable=1"  # as root, a plain connection would write its journal there
    with sqlite3.connect(reader, uri=True) as db:
        before = db.execute("SELECT count(*) FROM program_version").fetchone()
    shown = backcoach(env, "export")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["tables"]["program_version"]
    written = backcoach(env, "export", str(out / "copy.json"))
    assert written.returncode == 0 and json.loads((out / "copy.json").read_text())["tables"]["profile_version"]
    assert backcoach(env, "program").returncode == 0  # reading is fine
    for command in (
        ["log", "--pain-before", "3", "--pain-after", "2"],
        ["activities", "add", "Sitting", "4"],
        ["setup", "--profile", str(EXAMPLES / "maya.json")],
        ["import", str(out / "copy.json"), "--replace", "--backup-folder", str(out)],
    ):
        done = backcoach(env, *command)
        assert done.returncode == 1, (command, done.stderr)
        assert done.stderr.startswith("backcoach: The data in ") and "read-only" in done.stderr, done.stderr
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    with sqlite3.connect(reader, uri=True) as db:
        assert db.execute("SELECT count(*) FROM program_version").fetchone() == before
    # No journal left behind; only the writers' empty lock file, made while the folder was writable.
    assert sorted(p.name for p in database.parent.iterdir()) == [database.name, database.name + "-writer"]
    assert (database.parent / (database.name + "-writer")).stat().st_size == 0
