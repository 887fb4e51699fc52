"""Writers to one SQLite file wait for each other on an operating-system lock (`WriterQueue`), so
the next one starts as soon as the last one ends instead of SQLite's sleep-and-retry, across the
threads of a process and across processes (the server's workers, a command beside them)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from backcoach.storage import locks
from backcoach.storage.database import open_database
from backcoach.storage.locks import WriterQueue

TRY_LOCK = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
try:
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
except BlockingIOError:
    print("taken")
else:
    print("free")
"""


def other_process_sees(lock_file: Path) -> str:
    done = subprocess.run([sys.executable, "-c", TRY_LOCK, str(lock_file)], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_a_write_holds_the_lock_that_other_processes_wait_on(tmp_path: Path):
    sessions = open_database(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    lock_file = tmp_path / "db.sqlite3-writer"
    assert sessions.writers is not None
    with sessions.begin():
        assert other_process_sees(lock_file) == "taken"
        with sessions.writers.turn():  # a write begun inside another in the same thread goes on
            assert other_process_sees(lock_file) == "taken"
        assert other_process_sees(lock_file) == "taken", "the inner write's end let the outer one's turn go"
    assert other_process_sees(lock_file) == "free"
    with sessions():  # a read takes no turn
        assert other_process_sees(lock_file) == "free"
    sessions.engine.dispose()


def test_a_folder_it_cannot_write_leaves_only_sqlites_own_wait(tmp_path: Path):
    queue = WriterQueue(tmp_path / "missing" / "db.sqlite3")
    with queue.turn():
        pass  # no lock file could be made: the write goes on without one
    assert not (tmp_path / "missing").exists()


HOLD_LOCK = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()
"""


def test_a_lock_held_too_long_is_gone_around_and_sqlite_decides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A process stopped while it held the lock (but not SQLite's) does not stop every write for
    good: after the wait, the write goes on under SQLite's own lock."""
    sessions = open_database(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(tmp_path / "db.sqlite3-writer")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(locks, "WAIT_SECONDS", 0)
        with sessions.begin() as db:
            db.execute(text("CREATE TABLE written (x INTEGER)"))
        with sessions() as db:
            assert db.execute(text("SELECT count(*) FROM written")).scalar() == 0
    finally:
        holder.communicate("\n", timeout=30)
        sessions.engine.dispose()


def test_a_thread_writing_too_long_is_gone_around(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Writers of one process wait for each other no longer than SQLite's own wait either: past it,
    a writer goes on without its turn (and SQLite's lock decides), instead of queueing for good."""
    queue = WriterQueue(tmp_path / "db.sqlite3")
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with queue.turn():
            inside.set()
            release.wait()

    holder = threading.Thread(target=hold)
    holder.start()
    inside.wait()
    monkeypatch.setattr(locks, "WAIT_SECONDS", 0)
    went_on = False
    with queue.turn():
        went_on = True
    release.set()
    holder.join()
    assert went_on
