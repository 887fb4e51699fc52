"""Everything a service needs: the repository, the catalogue and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from backcoach.catalogue_files import load_catalogue
from backcoach.core.catalogue import Catalogue
from backcoach.settings import Settings, get_settings
from backcoach.storage.database import open_database
from backcoach.storage.repository import Repository


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class Context:
    repo: Repository
    catalogue: Catalogue
    now: Callable[[], datetime]

    @property
    def person_id(self) -> int:
        return self.repo.person_id(self.now())


def open_context(settings: Settings | None = None) -> Context:
    settings = settings or get_settings()
    fixed = settings.now
    now = (lambda: fixed) if fixed is not None else utc_now
    return Context(Repository(open_database(settings.resolved_database_url())), load_catalogue(), now)
