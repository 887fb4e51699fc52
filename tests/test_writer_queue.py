"""Writers to one SQLite file wait for each other on an operating-system lock (`WriterQueue`), so
the next one starts as soon as the last one ends instead of SQLite's sleep-and-retry, across the
threads of a process and across processes (the server's workers, a command beside them)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
