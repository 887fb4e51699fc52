"""Everything a service needs: the repository, the catalogue and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.catalogue import Catalogue
from backcoach.settings import Settings, get_settings
from backcoach.storage.database import open_database
from backcoach.storage.repository import Repository

NO_PERSON = 0  # ids start at 1, so reads with this id find nothing


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class Context:
    repo: Repository
    catalogue: Catalogue
    now: Callable[[], datetime]

    @property
    def person_id(self) -> int:
        """The local person's id for reading; NO_PERSON (which matches nothing) before the first write.

        Only writes create the person, so looking around a new database leaves it empty and an
        export can still be imported into it."""
        found = self.repo.find_person_id()
        return NO_PERSON if found is None else found

    def ensure_person(self) -> int:
        """The local person's id, created on first use: for services that write."""
        return self.repo.person_id(self.now())


def open_context(settings: Settings | None = None) -> Context:
    settings = settings or get_settings()
    fixed = settings.now
    now = (lambda: fixed) if fixed is not None else utc_now
    return Context(Repository(open_database(settings.resolved_database_url())), load_catalogue(), now)
