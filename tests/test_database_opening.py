"""A new database is built once and whole, however many requests (or processes) start on it at the
same moment, and a migration that fails halfway leaves the database as it was.

On PostgreSQL (when BACKCOACH_TEST_POSTGRES_URL is set) each test that needs a whole database of
its own makes one with a unique name on that server and drops it afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import Pool

from backcoach.core.errors import StorageUnavailable
from backcoach.settings import get_settings
from backcoach.storage.database import (
    MAX_OVERFLOW,
    POOL_SIZE,
    alembic_config,
    head_revision,
    make_engine,
    migrate,
    open_database,
    shared_database,
)
from backcoach.storage.tables import Base
from backcoach.web.app import create_app
from tests.conftest import ENGINES_USED, POSTGRES_URL
from tests.served import served, together

SRC = Path(__file__).resolve().parents[1] / "src"


def revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if "alembic_version" not in inspect(conn).get_table_names():
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def tables(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(inspect(conn).get_table_names())


def assert_one_complete_schema(engine: Engine) -> None:
    assert revision(engine) == head_revision()
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1


def fail_at(engine: Engine, words: str) -> Callable[[], None]:
    """Make the statement that contains `words` fail, as a full disk or a killed process would."""

    def fail(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if words in " ".join(statement.split()):
            raise RuntimeError("the disk is full")

    event.listen(engine, "before_cursor_execute", fail)
    return lambda: event.remove(engine, "before_cursor_execute", fail)


# A failed migration ---------------------------------------------------------------------------


def test_a_migration_that_fails_halfway_leaves_the_database_as_it_was(database_url: str):
    engine = make_engine(database_url)
    command.upgrade(alembic_config(engine), "0003")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO person (name, created_at) VALUES ('Maya', '2026-03-02 08:00:00')"))
    before = tables(engine)
    # 0004 makes paused_exercise, then clearance: the second fails, after the first was made.
    undo = fail_at(engine, "CREATE TABLE clearance")
    with pytest.raises(StorageUnavailable, match="Cannot prepare the database"):
        migrate(engine)
    undo()
    assert revision(engine) == "0003"
    assert tables(engine) == before and "paused_exercise" not in before
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM person")).scalars().all() == ["Maya"]
    migrate(engine)  # and nothing is left in the way of the next try
    assert_one_complete_schema(engine)
    engine.dispose()


def test_a_new_database_whose_first_migration_fails_stays_empty(tmp_path: Path):
    """The failure the attacker found: half a schema ("table person already exists" ever after)."""
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    engine = make_engine(url)
    undo = fail_at(engine, "CREATE TABLE program_version")  # in 0001, after person and others
    with pytest.raises(StorageUnavailable):
        migrate(engine)
    undo()
    assert tables(engine) == set()
    engine.dispose()
    sessions = open_database(url)
    assert_one_complete_schema(sessions.engine)


# Many at once -----------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The address of a database that does not exist yet (SQLite), or is empty (PostgreSQL)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'first.sqlite3'}"
        return
    if not POSTGRES_URL:
        pytest.skip("set BACKCOACH_TEST_POSTGRES_URL to run this on PostgreSQL")
    name = f"backcoach_first_{uuid.uuid4().hex[:12]}"
    server = make_url(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        for engine in list(ENGINES_USED):
            engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def pools_on(url: str) -> set[Pool]:
    """The connection pools this test connected to `url` with (an engine with other options shares its pool)."""
    database = make_url(url).database
    return {e.pool for e in ENGINES_USED if e.url.database == database}


def connections_to(url: str) -> int:
    name = make_url(url).database
    with create_engine(make_url(url).set(drivername="postgresql+psycopg", database="postgres")).connect() as conn:
        return int(
            conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = :n"), {"n": name}).scalar_one()
        )


@pytest.mark.parametrize("clients", [2, 8])
def test_first_requests_arriving_together_build_one_schema_on_one_engine(
    new_database: str, clients: int, monkeypatch: pytest.MonkeyPatch
):
    """`backcoach serve` on a new database, and its first requests all at once: every one is answered,
    the schema is built once and whole, and the process opens one engine with a bounded pool."""
    monkeypatch.setenv("BACKCOACH_DATABASE_URL", new_database)
    get_settings.cache_clear()
    try:
        with served(create_app()) as url:  # the app as `backcoach serve` makes it

            def first(index: int) -> int:
                path = ["/api/v1/program/versions", "/api/v1/safety", "/progress", "/api/v1/sessions"][index % 4]
                with httpx.Client(base_url=url, timeout=60) as client:
                    return (client.post(path) if path.endswith("sessions") else client.get(path)).status_code

            answers = together(clients, first)
            if new_database.startswith("postgresql"):
                assert connections_to(new_database) <= POOL_SIZE + MAX_OVERFLOW
    finally:
        get_settings.cache_clear()
    assert set(answers) <= {200, 409}, answers  # 409: no program yet, for the sessions
    assert len(pools_on(new_database)) == 1
    assert_one_complete_schema(shared_database(new_database).engine)


def test_threads_opening_the_same_database_share_one_handle(new_database: str):
    handles = together(8, lambda _: shared_database(new_database))
    assert len({id(h) for h in handles}) == 1
    assert_one_complete_schema(handles[0].engine)


def test_processes_starting_together_on_a_new_database_build_it_once(new_database: str):
    """A server and a command (or two servers) starting at the same moment: each waits for the other's
    migration rather than building the same tables again."""
    code = "import sys; from backcoach.storage.database import open_database; open_database(sys.argv[1])"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    started = [
        subprocess.Popen([sys.executable, "-c", code, new_database], env=env, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    errors = [p.communicate(timeout=120)[1] for p in started]
    assert [p.returncode for p in started] == [0, 0, 0, 0], errors
    engine = make_engine(new_database)
    assert_one_complete_schema(engine)
    engine.dispose()
