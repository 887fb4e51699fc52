"""Open the database: SQLite by default (WAL, full sync, foreign keys on), or PostgreSQL.

`open_database` applies any pending Alembic migrations before it returns, so every command
starts on the current schema; `shared_database` does it once per process and hands every later
caller the same engine. Nothing here runs at import time.

Migrations run in one transaction that holds the database's own lock, so two processes (a
server and a command, two servers) starting on a new database never both build it, and a
migration that fails leaves the database as it was: on SQLite an exclusive transaction (our own
BEGIN, which also keeps the driver from committing before each CREATE TABLE), on PostgreSQL an
advisory lock held until the transaction ends. Inside a process a lock keeps Alembic (which is
not thread-safe) to one migration at a time.

Writes on SQLite begin with BEGIN IMMEDIATE: each write transaction takes the write lock before
it reads, so what it read is still true when it writes. Reads begin deferred and never wait.
"""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from backcoach.core.errors import StorageUnavailable
from backcoach.storage.locks import WriterQueue, lock_number

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = resources.files("backcoach.storage").joinpath("migrations")
# The pool is bounded: a server never holds more than POOL_SIZE + MAX_OVERFLOW connections, however
# many requests arrive; a request beyond that waits up to POOL_TIMEOUT seconds for one to come back.
POOL_SIZE = 5
MAX_OVERFLOW = 10
POOL_TIMEOUT = 30
BUSY_TIMEOUT_MS = 10_000  # how long a SQLite writer waits for another process's write to end
BEGIN = "sqlite_begin"  # execution option: how a SQLite transaction begins (DEFERRED, IMMEDIATE, EXCLUSIVE)
_MIGRATING = threading.Lock()  # Alembic keeps its state in module globals: one migration at a time


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling is off (it would commit before DDL and begin only
    # before DML): `_sqlite_begin` begins every transaction itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL keeps readers and the writer apart; FULL sync means a finished write survives a power cut.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _read_only_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # as `_sqlite_connect`: `_sqlite_begin` begins
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


READ_ONLY = (
    "The data in {folder} is read-only, so nothing can be saved. You can still see it and export it "
    "(backcoach export FILE). To go on, make the folder and its files writable again."
)


def is_read_only(path: Path) -> bool:
    """Whether this process may not write the database, or the folder SQLite keeps its journal in."""
    return path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _storage_errors(path: Path | None) -> Any:
    """Database errors a person can act on, as one plain sentence (StorageUnavailable) instead of
    the driver's words: a write to read-only data, a file that cannot be opened or is damaged."""

    def handle(context: ExceptionContext) -> None:
        original = context.original_exception
        words = str(original).splitlines()[0] if str(original) else type(original).__name__
        if path is not None and "readonly" in words:
            raise StorageUnavailable(READ_ONLY.format(folder=path.parent)) from None
        if any(w in words for w in ("unable to open database", "not a database", "disk image is malformed")):
            raise StorageUnavailable(f"Cannot open the database {path}: {words}.") from None
        if context.is_disconnect:
            raise StorageUnavailable(f"Cannot reach the database: {words}.") from None

    return handle


def _sqlite_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(BEGIN, "DEFERRED")
    assert mode in ("DEFERRED", "IMMEDIATE", "EXCLUSIVE")
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> Engine:
    try:
        return _make_engine(url)
    except (ArgumentError, NoSuchModuleError, ValueError) as error:
        raise StorageUnavailable(
            f"Cannot open the database {url!r}: it is not an address this app can use "
            "(sqlite:///PATH or postgresql://user@host/name)."
        ) from error


def _make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = str(parsed.set(drivername="postgresql+psycopg"))
    engine = create_engine(
        url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW, pool_timeout=POOL_TIMEOUT
    )
    event.listen(engine, "handle_error", _storage_errors(None))
    return engine


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if not database or database == ":memory:" or database.startswith("file:"):
        engine = create_engine(url)  # in memory: one connection is the whole database
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    path = Path(database).expanduser()
    pool = {"pool_size": POOL_SIZE, "max_overflow": MAX_OVERFLOW, "pool_timeout": POOL_TIMEOUT}
    if is_read_only(path):
        # Opened for reading only. With no write-ahead log beside it, everything is in the file
        # itself and SQLite may read it as it is ("immutable"); with one, SQLite reads both.
        wal = path.with_name(path.name + "-wal").exists()
        options = "mode=ro" if wal else "mode=ro&immutable=1"
        engine = create_engine(f"sqlite:///file:{quote(str(path.resolve()))}?{options}&uri=true", **pool)
        event.listen(engine, "connect", _read_only_connect)
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageUnavailable(f"Cannot make the folder {path.parent} for the data ({error.strerror}).") from None
        engine = create_engine(url, **pool)
        event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    event.listen(engine, "handle_error", _storage_errors(path))
    return engine


class _ReadForRequest(OrmSession):
    """The one session every read of a request borrows (`Sessions.one_read`): each `with` block
    gets it with everything it held before expired, so it shows what is committed now, as a new
    session would; an error rolls it back (a failed statement spoils a PostgreSQL transaction);
    it is closed once, when the request's reads end."""

    def __enter__(self) -> Self:
        self.expire_all()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: Any) -> None:
        if kind is not None:
            self.rollback()


_READING: ContextVar[tuple[Sessions, _ReadForRequest] | None] = ContextVar("backcoach one read", default=None)


class Sessions(sessionmaker[OrmSession]):
    """Sessions on one engine: `sessions()` to read, `sessions.begin()` to write (on SQLite it
    takes the write lock at once, so nothing it read can change before it writes)."""

    writers: WriterQueue | None = None  # a SQLite file's writers, in turn (`locks.WriterQueue`)

    def __call__(self, **local_kw: Any) -> OrmSession:
        reading = _READING.get()
        if reading is not None and reading[0] is self and not local_kw:
            return reading[1]
        return super().__call__(**local_kw)

    @contextmanager
    def one_read(self) -> Iterator[None]:
        """The reads made inside (in this thread, or its context) share one session and one
        connection, on PostgreSQL: a page's ten reads cost one checkout, one liveness check and
        one transaction instead of ten of each (about 0.6 ms apiece on loopback). Each statement
        still sees what is committed when it runs (PostgreSQL's read committed). On SQLite, where
        a transaction reads one snapshot and would hide a write made beside it, and opening a
        session costs little, reads keep their own sessions. Writes always have their own, and
        the reads' transaction ends before each (the next read begins another). Inside another
        `one_read` (of any database) this one changes nothing."""
        engine: Engine = self.kw["bind"]
        if _READING.get() is not None or engine.dialect.name != "postgresql":
            yield
            return
        # Read committed whatever the server's default, so each statement sees the latest commits.
        session = _ReadForRequest(**{**self.kw, "bind": engine.execution_options(isolation_level="READ COMMITTED")})
        token = _READING.set((self, session))
        try:
            yield
        finally:
            _READING.reset(token)
            session.close()

    @contextmanager
    def begin(self) -> Iterator[OrmSession]:
        engine: Engine = self.kw["bind"]
        reading = _READING.get()
        if reading is not None and reading[0] is self:
            # The request's reads end their transaction before it writes: it never holds two
            # connections at once, nor a read's table locks while its write waits on others.
            reading[1].rollback()
        with self._turn(), self(bind=engine.execution_options(**{BEGIN: "IMMEDIATE"})) as session, session.begin():
            yield session

    def _turn(self) -> AbstractContextManager[None]:
        return self.writers.turn() if self.writers is not None else nullcontext()

    @property
    def engine(self) -> Engine:
        engine: Engine = self.kw["bind"]
        return engine


def alembic_config(engine: Engine, connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration, read from the file names ("0002_reminder_settings.py" -> "0002").

    Reading names is far cheaper than loading Alembic, which matters at every command's start;
    a test checks this against Alembic's own idea of the head."""
    names = [p.name for p in MIGRATIONS.joinpath("versions").iterdir() if p.name[:4].isdigit()]
    return max(name.split("_", 1)[0] for name in names)


def _revision(connection: Connection) -> str | None:
    """The database's migration, or None for a new database (no version table yet)."""
    try:
        with connection.begin_nested():  # a missing table must not spoil the transaction around it
            version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None
    return None if version is None else str(version)


def _current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return _revision(conn)
    except Exception:  # no server: let the migration say so
        return None


def migrate(engine: Engine) -> None:
    if _current_revision(engine) == head_revision():
        return
    from alembic import command

    try:
        with _MIGRATING, engine.execution_options(**{BEGIN: "EXCLUSIVE"}).begin() as conn:
            if engine.dialect.name == "postgresql":  # held until this transaction ends, even if it fails
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_number("migrations")})
            if _revision(conn) != head_revision():  # another process may have done it while we waited
                command.upgrade(alembic_config(engine, conn), "head")
    except StorageUnavailable:
        raise
    except Exception as error:  # an unreachable server or a foreign schema: say so plainly, in one line
        words = str(getattr(error, "orig", error)).splitlines()[0]
        raise StorageUnavailable(f"Cannot prepare the database at {engine.url!r}: {words}") from error


def open_database(url: str) -> Sessions:
    """A new engine on `url`, migrated to the current schema."""
    engine = make_engine(url)
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    sessions = Sessions(engine, expire_on_commit=False)
    path = sqlite_file(sessions)
    if path is not None and not is_read_only(path):
        sessions.writers = WriterQueue(path)
    return sessions


_SHARED: dict[str, Sessions] = {}
_OPENING = threading.Lock()


def shared_database(url: str) -> Sessions:
    """The process's one handle on `url`: opened and migrated by the first caller, under a lock,
    so requests arriving together on a new database share one engine and one migration. A
    database that could not be opened is not remembered: the next caller tries again."""
    found = _SHARED.get(url)
    if found is not None:
        return found
    with _OPENING:
        if url not in _SHARED:
            _SHARED[url] = open_database(url)
        return _SHARED[url]


def sqlite_file(sessions: sessionmaker[OrmSession]) -> Path | None:
    """The SQLite database's file, or None (PostgreSQL, or a database in memory)."""
    url = sessions.kw["bind"].url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).expanduser()


def backup_sqlite(sessions: sessionmaker[OrmSession], target: Path) -> None:
    """A consistent copy of a SQLite database in one file, taken with SQLite's online backup (it
    holds what is still in the write-ahead log too), written beside `target` and then moved into
    place, so a crash never leaves half a backup under the real name."""
    engine = sessions.kw["bind"]
    if engine.url.get_backend_name() != "sqlite":
        raise StorageUnavailable(
            "Backups here are for SQLite. For PostgreSQL, use its own tool: pg_dump DATABASE_URL > FILE."
        )
    import sqlite3

    partial = target.with_name(target.name + ".partial")
    raw = engine.raw_connection()
    try:
        copy = sqlite3.connect(partial)
        try:
            raw.driver_connection.backup(copy)
        finally:
            copy.close()
        partial.replace(target)
    except sqlite3.Error as error:  # a folder it may not write in, a full disk: as the file system says it
        raise OSError(errno.EIO, str(error)) from None
    finally:
        raw.close()
        partial.unlink(missing_ok=True)
