from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Connection, Engine, create_engine, event, text

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.catalogue import Catalogue
from backcoach.services.context import App, Scope, local_scope
from backcoach.settings import get_settings
from backcoach.storage.database import open_database
from backcoach.storage.repository import Database

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# Hypothesis profiles. "quick", the default, keeps a local run short; "thorough" is what CI runs
# (.ci/run exports BACKCOACH_TEST_PROFILE=thorough). Choose with BACKCOACH_TEST_PROFILE=quick|thorough,
# or with pytest's own --hypothesis-profile=NAME. The property tests take their counts from
# `tests.strategies.examples(full)`: `full` under thorough, a few dozen under quick. Tests with a plain
# @given use the profile's max_examples. No deadline in either: none of these tests is about speed, and
# a deadline only makes them fail at random on a busy machine (or under pytest-xdist).
settings.register_profile("quick", max_examples=30, deadline=None)
settings.register_profile("thorough", max_examples=100, deadline=None, print_blob=True)
HYPOTHESIS_PROFILE = os.environ.get("BACKCOACH_TEST_PROFILE", "quick")
if HYPOTHESIS_PROFILE not in ("quick", "thorough"):
    raise pytest.UsageError(f"BACKCOACH_TEST_PROFILE={HYPOTHESIS_PROFILE!r}: use quick or thorough")
settings.load_profile(HYPOTHESIS_PROFILE)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


# Database tests run on SQLite always, and on PostgreSQL when BACKCOACH_TEST_POSTGRES_URL is set
# (CI sets it to this machine's server). Each PostgreSQL test gets a schema of its own.
POSTGRES_URL = os.environ.get("BACKCOACH_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


@pytest.fixture(params=BACKENDS)
def new_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Makes empty databases of one kind: SQLite files, or PostgreSQL schemas dropped afterwards."""
    made: list[str] = []

    def make() -> str:
        made.append(f"t_{uuid.uuid4().hex[:12]}")
        if request.param == "sqlite":
            return f"sqlite:///{tmp_path / made[-1]}.sqlite3"
        assert admin is not None
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {made[-1]}"))
        separator = "&" if "?" in POSTGRES_URL else "?"
        return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{made[-1]}"

    admin = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1)) if POSTGRES_URL else None
    yield make
    if admin is not None and request.param == "postgresql":
        with admin.begin() as conn:
            for schema in made:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def database_url(new_database_url: Callable[[], str]) -> str:
    return new_database_url()


# Every database a test used is closed after it. Engines are made all over (fixtures, tests, the app
# itself) and none is disposed: their pooled connections were closed only when the garbage collector
# got to them, in whichever later test was running, and psycopg warns about each one (ResourceWarning,
# an error here). So each engine that connects is kept (even one the test has dropped, which the
# collector would otherwise close at some random later moment) and disposed when the test ends.
# Disposing closes only the idle connections; an engine used again (a module's app) reconnects.
ENGINES_USED: set[Engine] = set()


@event.listens_for(Engine, "engine_connect")
def note_engine_used(connection: Connection) -> None:
    ENGINES_USED.add(connection.engine)


@pytest.fixture(autouse=True)
def close_databases_after_each_test() -> Iterator[None]:
    yield
    for engine in list(ENGINES_USED):
        if engine.url.get_backend_name() == "sqlite" and engine.url.database in (None, "", ":memory:"):
            continue  # an in-memory database lives only as long as its connection
        engine.dispose()
    ENGINES_USED.clear()


class MovableNow:
    """A clock for stored history: tests move it forward by hand."""

    def __init__(self, start: datetime) -> None:
        self.value = start

    def __call__(self) -> datetime:
        return self.value

    def advance(self, **delta: float) -> None:
        self.value += timedelta(**delta)


@pytest.fixture
def now() -> MovableNow:
    return MovableNow(datetime(2026, 3, 2, 8, 0))


@pytest.fixture
def app(database_url: str, now: MovableNow) -> App:
    return App(Database(open_database(database_url)), load_catalogue(), now)


@pytest.fixture
def ctx(app: App) -> Scope:
    """The local person's scope: what the command line and the local web app act in."""
    return local_scope(app)


class CliRun:
    """Run `backcoach` in process against its own SQLite file, at a fixed pretend time."""

    def __init__(self, database: Path, monkeypatch: pytest.MonkeyPatch, now: str) -> None:
        from typer.testing import CliRunner

        self.database = database
        self.runner = CliRunner()
        self.last_code = 0
        monkeypatch.setenv("BACKCOACH_DATABASE_URL", f"sqlite:///{database}")
        monkeypatch.setenv("BACKCOACH_NOW", now)
        get_settings.cache_clear()

    def __call__(self, *args: str, code: int | None = 0) -> str:
        """The command's output; its exit code must be `code` (any, with None: see `last_code`)."""
        from backcoach.cli import app

        result = self.runner.invoke(app, list(args))
        self.last_code = result.exit_code
        assert code is None or result.exit_code == code, result.output
        return result.output


@pytest.fixture
def cli_at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], CliRun]]:
    """`cli_at("2026-03-02T09:00:00")` gives a CliRun; settings are cleared again afterwards."""
    yield lambda now: CliRun(tmp_path / "cli.sqlite3", monkeypatch, now)
    get_settings.cache_clear()
