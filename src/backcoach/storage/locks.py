"""A write that must see every write before it: two at once take turns.

On SQLite every write transaction already holds the database's one write lock from its start
(BEGIN IMMEDIATE, in `database.py`). On PostgreSQL two transactions can read the same thing at
the same moment; `one_at_a_time` makes the second wait, until the first has committed or rolled
back, on a lock named for what they both change.
"""

from __future__ import annotations

import os
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on Windows: SQLite's own wait is all there
    fcntl = None  # type: ignore[assignment]

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession


def lock_number(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def one_at_a_time(db: OrmSession, name: str) -> None:
    """Hold the lock `name` until this transaction ends (PostgreSQL; nothing to do on SQLite)."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_number(name)})


def lost_a_race(error: IntegrityError) -> bool:
    """Whether the database refused a row because an equal one is there (a unique constraint):
    another request stored the same thing a moment ago. A value out of range is another error."""
    orig = error.orig
    return getattr(orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(orig)


RETRY_SECONDS = 0.0001  # a tenth of a write's turn: at 0.5 ms the lock idled between turns (605 -> 645 writes/s)
WAIT_SECONDS = 10  # as long as SQLite's own wait for the write lock (BUSY_TIMEOUT_MS)


class WriterQueue:
    """Writes to one SQLite file take turns in a queue, across the threads of a process and across
    processes (the server's workers, a command run beside it).

    SQLite itself lets one writer in at a time, but one that finds the file locked sleeps and
    tries again (1, 2, 5 ... up to 100 ms between tries), so under load a write waits far longer
    than the writes before it take. Here each writer first takes a lock of the operating system
    (`flock` on a file beside the database, `-writer`), tried every tenth of a millisecond, so the next
    one starts within that of the last one's end; SQLite's own lock is then free. The lock dies
    with its process. Where the file cannot be made (a read-only folder) or on a system without
    `flock`, SQLite's wait is all."""

    def __init__(self, database: Path) -> None:
        self._path = database.with_name(database.name + "-writer")
        self._threads = threading.RLock()  # one thread of this process at a time holds the file lock
        self._depth = 0  # a write begun inside another in the same thread: the lock is held already
        self._file: int | None = None
        self._opened = False

    @contextmanager
    def turn(self) -> Iterator[None]:
        deadline = time.monotonic() + WAIT_SECONDS  # one wait for the whole turn, as SQLite's own
        if not self._threads.acquire(timeout=WAIT_SECONDS):
            yield  # another thread of this process has been writing too long: SQLite's wait decides
            return
        try:
            file = self._open()
            held = file is not None and self._depth == 0 and self._wait(file, deadline)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if held and file is not None:
                    fcntl.flock(file, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    @staticmethod
    def _wait(file: int, deadline: float) -> bool:
        """Take the lock, trying every tenth of a millisecond; past the deadline (a process stopped in the
        middle of a write), or where the file system has no such locks, go on without it: SQLite's
        own wait then says whether the database is busy."""
        while True:
            try:
                fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return False
                time.sleep(RETRY_SECONDS)
            except OSError:  # no locks here (some network file systems)
                return False

    def _open(self) -> int | None:
        if not self._opened:
            self._opened = True
            if fcntl is not None:
                with suppress(OSError):
                    self._file = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        return self._file
