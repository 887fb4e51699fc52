"""What `backcoach serve` runs beyond the app itself: a fast HTTP parser and event loop, and a
garbage collector that leaves the objects made at start alone (each full collection over them
held every reply back for about 100 ms: the slowest replies under load were such pauses)."""

from __future__ import annotations

import gc
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from backcoach.settings import get_settings
from backcoach.web import served


@pytest.fixture
def own_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("BACKCOACH_DATABASE_URL", f"sqlite:///{tmp_path / 'served.sqlite3'}")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("own_database")
def test_objects_made_at_start_are_set_aside_from_the_collector() -> None:
    gc.unfreeze()
    try:
        opened = served.open_settled()
        assert opened.catalogue.exercises
        assert gc.get_freeze_count() > 10_000  # the catalogue, routes and engine, at least
    finally:
        gc.unfreeze()  # this test process keeps collecting as usual


def test_uvicorn_parses_http_in_c_on_a_fast_loop() -> None:
    config = uvicorn.Config(served.IMPORT, factory=True)
    config.load()
    assert config.http_protocol_class.__name__ == "HttpToolsProtocol"
    if sys.platform != "win32":  # uvicorn's "auto" loop takes uvloop when it is there
        assert importlib.util.find_spec("uvloop") is not None
