"""A real `backcoach session` in a pseudo-terminal, killed mid-session with SIGKILL.

The promise: a killed process loses at most the exercise in progress, and the next
`backcoach session` offers to carry on with the same session, without doing anything twice.
Nothing sleeps blindly: every wait reads the terminal with short `select` timeouts under a deadline.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from backcoach.catalogue.loader import load_catalogue

if os.name != "posix" or sys.platform == "win32":
    pytest.skip("needs POSIX pseudo-terminals (pty)", allow_module_level=True)

import fcntl
import termios

ROOT = Path(__file__).resolve().parents[1]
BACKCOACH = ROOT / ".venv" / "bin" / "backcoach"
if not BACKCOACH.exists():  # another environment: the command next to this Python
    BACKCOACH = Path(sys.executable).with_name("backcoach")
NOW = "2026-03-02T08:00:00"
ROWS, COLUMNS = 40, 100
WAIT = 15.0  # the longest any one wait may take
TOTAL = 30.0  # the longest the whole test may take; it normally takes about 2.5 s
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def plain(raw: bytes) -> str:
    """The terminal's output without escape sequences: what a person would read."""
    return ANSI.sub("", raw.decode("utf-8", errors="replace")).replace("\r", "")


class Terminal:
    """`backcoach` running in a pseudo-terminal of ROWS x COLUMNS, driven like a person at the keyboard."""

    def __init__(self, args: list[str], env: dict[str, str], deadline: float) -> None:
        self.deadline = deadline  # time.monotonic() by which everything must be over
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        try:
            self.proc = subprocess.Popen(
                args, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, start_new_session=True
            )
        finally:
            os.close(slave)
        self.master = master
        self.raw = bytearray()
        self.mark = 0  # output before this has been matched already
        self.closed = False

    def _read(self, timeout: float) -> None:
        if self.closed:
            time.sleep(min(timeout, 0.05))  # the process is gone: only the database can still change
            return
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the other end closed (the process exited)
            chunk = b""
        if chunk:
            self.raw += chunk
        else:
            self.closed = True

    def screen(self, chars: int = 2500) -> str:
        """The end of what the terminal showed, for failure messages."""
        return plain(bytes(self.raw[-chars * 4 :]))[-chars:]

    def fail(self, what: str) -> None:
        pytest.fail(f"{what}; exit code {self.proc.poll()}. The terminal last showed:\n{self.screen()}")

    def expect(self, *texts: str, timeout: float = WAIT) -> str:
        """Wait until every text has appeared since the last match; return what was shown meanwhile."""
        deadline = min(time.monotonic() + timeout, self.deadline)
        while True:
            shown = plain(bytes(self.raw[self.mark :]))
            if all(text in shown for text in texts):
                self.mark = len(self.raw)
                return shown
            if self.closed or time.monotonic() > deadline:
                self.fail(f"did not see {texts!r} within {timeout:.0f} s")
            self._read(0.05)

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def react(self, timeout: float = 2.0) -> None:
        """Wait until the process draws something (its answer to the key just sent), then a moment more."""
        size, deadline = len(self.raw), time.monotonic() + timeout
        while len(self.raw) == size and not self.closed and time.monotonic() < deadline:
            self._read(0.05)
        self.drain(0.02)

    def drain(self, timeout: float) -> None:
        """Read whatever arrives for up to `timeout` seconds (so the process never blocks on output)."""
        deadline = time.monotonic() + timeout
        while not self.closed and time.monotonic() < deadline:
            self._read(max(0.0, min(0.05, deadline - time.monotonic())))

    def wait_exit(self, timeout: float = WAIT) -> int:
        deadline = min(time.monotonic() + timeout, self.deadline)
        while self.proc.poll() is None:
            if time.monotonic() > deadline:
                self.fail(f"the process did not exit within {timeout:.0f} s")
            self._read(0.05)
        self.drain(0.2)  # keep the last words for the failure messages
        return self.proc.returncode

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        os.close(self.master)


def query(db: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(db, timeout=5)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


@pytest.fixture
def pty_env(tmp_path: Path) -> dict[str, str]:
    try:
        master, slave = os.openpty()
    except OSError as error:
        pytest.skip(f"pseudo-terminals are not available here: {error}")
    os.close(master)
    os.close(slave)
    if not BACKCOACH.exists():
        pytest.skip(f"{BACKCOACH} is missing: run `python3 dev.py test` to install backcoach")
    env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS", "LINES"}}
    env |= {
        "TERM": "xterm",
        "COLUMNS": str(COLUMNS),
        "LINES": str(ROWS),
        "BACKCOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "BACKCOACH_NOW": NOW,
    }
    return env


def test_killed_mid_session_loses_at_most_the_exercise_in_progress(tmp_path: Path, pty_env: dict[str, str]):
    deadline = time.monotonic() + TOTAL
    db = tmp_path / "db.sqlite3"
    setup = subprocess.run(
        [str(BACKCOACH), "setup", "--profile", str(ROOT / "examples" / "maya.json")],
        env=pty_env,
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr
    (program_json,) = query(db, "SELECT exercises FROM program_version ORDER BY version DESC LIMIT 1")[0]
    program = [item["id"] for item in json.loads(program_json)]
    assert len(program) == 6, program
    first, second = program[0], program[1]

    # The first run: finish one exercise by pressing Enter, start the next, and kill the process mid-hold.
    term = Terminal([str(BACKCOACH), "session"], pty_env, deadline)
    try:
        term.expect("Before you start: how much")
        term.send("4\r")
        term.expect("Press Enter to start")
        term.send("\r")
        while query(db, "SELECT count(*) FROM exercise_outcome") == [(0,)]:
            if time.monotonic() > deadline:
                term.fail("no exercise outcome was saved in time")
            if term.proc.poll() is not None:
                term.fail("the session ended before an exercise was saved")
            term.send("\r")  # Enter ends a position step and skips the rest of a countdown
            term.react()  # the coach saves an outcome before it draws the next step
        # Into the middle of the second exercise: past the rest and the position, into its first hold.
        term.mark = len(term.raw)
        term.send("\r")
        term.expect("Exercise 2 of 6", "Press Enter when you are in position")
        term.send("\r")
        term.expect("Exercise 2 of 6", "Hold 1 of")
        os.kill(term.proc.pid, signal.SIGKILL)
        term.proc.wait(5)
    finally:
        term.close()
    assert term.proc.returncode == -signal.SIGKILL

    sessions = query(db, "SELECT id, status FROM session")
    assert len(sessions) == 1 and sessions[0][1] == "in_progress", sessions
    session_id = sessions[0][0]
    outcomes = query(db, "SELECT session_id, exercise_id, status FROM exercise_outcome")
    assert outcomes == [(session_id, first, "done")], outcomes
    assert query(db, "SELECT count(*) FROM check_in") == [(0,)]

    # The second run offers to carry on: the exercise cut short starts again from its position step.
    term = Terminal([str(BACKCOACH), "session"], pty_env, deadline)
    try:
        term.expect("did not finish")
        term.send("y\r")
        # The pain before was kept with the session when it began: it is not asked again.
        term.expect("Press Enter to start")
        term.send("\r")
        # One fewer than the program's 4: the finished exercise is not offered again.
        shown = term.expect("Exercise 1 of 5", "Press Enter when you are in position")
        if exercise_name(second) not in shown:
            term.fail(f"the resumed session does not start with {exercise_name(second)!r}")
        if exercise_name(first) in shown:
            term.fail(f"the resumed session shows {exercise_name(first)!r}, which was done already")

        term.send("q")
        term.expect("End the session now?")
        term.send("y")
        term.expect("How much pain do you have now")
        term.send("3\r")
        term.expect("How hard did the session feel?")
        term.send("2")
        code = term.wait_exit()
        if code != 0:
            term.fail(f"the session exited with {code}")
    finally:
        term.close()

    assert query(db, "SELECT id, status FROM session") == [(session_id, "quit")]
    assert query(db, "SELECT session_id, exercise_id, status FROM exercise_outcome") == outcomes
    assert query(db, "SELECT session_id, pain_before, pain_after, difficulty FROM check_in") == [
        (session_id, 4, 3, "right")
    ]


def exercise_name(exercise_id: str) -> str:
    return load_catalogue().get(exercise_id).name
