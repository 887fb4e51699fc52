"""Who is acting, for which patient: what every use case is given.

`App` is the process's one open database, the catalogue and the clock. A `Scope` is one
actor working on one patient's record; its repository is that patient's and nobody else's.
Faces build a scope once per command or request (`local_scope` on one machine) and pass it to
the use cases; nothing else reaches storage.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.access import LOCAL_USER, Action, Actor, Role, allowed
from backcoach.core.catalogue import Catalogue
from backcoach.core.errors import NotAllowed
from backcoach.settings import Settings, get_settings
from backcoach.storage.database import shared_database
from backcoach.storage.repository import Database, PatientRepository

NO_PERSON = 0  # ids start at 1, so reads with this id find nothing


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class App:
    database: Database
    catalogue: Catalogue
    now: Callable[[], datetime]
    # Re-entrant: a use case takes its record's turn itself, also when a route already took it.
    _changing: dict[str, threading.RLock] = field(default_factory=dict, repr=False)
    _changing_guard: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def reads_on_this_machine(self) -> bool:
        """Whether reads come from a file of this machine (SQLite), never waiting on a network."""
        return self.database.is_sqlite

    def one_read(self) -> AbstractContextManager[None]:
        """A use case's reads share one session where that saves round trips (PostgreSQL)."""
        return self.database.one_read()

    def change_lock(self, record: str) -> threading.RLock:
        """The lock a change to one record takes in this process (see `Scope.changing`)."""
        with self._changing_guard:
            return self._changing.setdefault(record, threading.RLock())


def open_app(settings: Settings | None = None) -> App:
    settings = settings or get_settings()
    fixed = settings.now
    now = (lambda: fixed) if fixed is not None else utc_now
    return App(Database(shared_database(settings.resolved_database_url())), load_catalogue(), now)


class OnceApp:
    """Opens the app on first use, once, even when several threads ask at the same moment
    (two first requests must not both run the migrations or open two engines)."""

    def __init__(self, opener: Callable[[], App]) -> None:
        self._opener = opener
        self._app: App | None = None
        self._lock = threading.Lock()

    @property
    def opened(self) -> App | None:
        """The app if it is open already, else None (without opening it)."""
        return self._app

    def __call__(self) -> App:
        if self._app is None:
            with self._lock:
                if self._app is None:
                    self._app = self._opener()
        return self._app


@dataclass
class Scope:
    app: App
    actor: Actor
    _patient_id: int | None = field(default=None)

    @property
    def catalogue(self) -> Catalogue:
        return self.app.catalogue

    @property
    def owner(self) -> str:
        """Who acts on whose record, as one name: "local" for the one person on this machine. What
        belongs to a scope and not to the record (a remembered answer to a request) is kept under it."""
        if self.actor.role is Role.local:
            return "local"
        who = self.actor.account_id if self.actor.account_id is not None else self.actor.person_id
        return f"{self.actor.role.value}:{who}:{self._patient_id}"

    @contextmanager
    def changing(self) -> Iterator[Scope]:
        """One change to this record at a time in this process: a request that changes it waits
        until the one before has finished, so requests that arrive together (a double tap, two
        devices) are answered as if they came one after the other. Each write is also safe
        against other processes on its own (`storage`). The lock is the record's, whoever acts:
        a physiotherapist's change and the patient's own take turns too."""
        with self.app.change_lock(self._record()):
            yield self

    @contextmanager
    def turn_at_once(self, within: float) -> Iterator[bool]:
        """For a change made where waiting would hold up every other request (the event loop):
        True, holding this record's turn until the end as `changing` does, if the change of it
        under way in this process (if any) ends within `within` seconds; False, holding nothing,
        if not (the change then waits its turn in a thread)."""
        lock = self.app.change_lock(self._record())
        if not lock.acquire(timeout=within):
            yield False
            return
        try:
            yield True
        finally:
            lock.release()

    def _record(self) -> str:
        return "local" if self.actor.role is Role.local else f"record:{self._patient_id}"

    def now(self) -> datetime:
        return self.app.now()

    @property
    def reads_on_this_machine(self) -> bool:
        """Whether this scope's reads only read a file of this machine: the one local person's, on
        SQLite (a clinic's reads may also bring summaries up to date, a write)."""
        return self.actor.role is Role.local and self.app.reads_on_this_machine

    @property
    def patient_id(self) -> int:
        """The patient's id for reading; NO_PERSON (which matches nothing) before the local
        person's first write. Reading never creates the person, so a new database can still
        take an import."""
        if self._patient_id is None and self.actor.role is Role.local:
            found = self.app.database.find_first_person()
            if found is not None:
                self._patient_id = found.id
        return NO_PERSON if self._patient_id is None else self._patient_id

    @property
    def repo(self) -> PatientRepository:
        return self.app.database.patient(self.patient_id)

    def writer(self) -> PatientRepository:
        """The patient's repository for a write: the local person is created on first use."""
        if self._patient_id is None and self.actor.role is Role.local:
            self._patient_id = self.app.database.first_person(self.now()).id
        return self.repo


def local_scope(app: App) -> Scope:
    """The single person on this machine, acting on their own record."""
    return Scope(app, LOCAL_USER)


def patient_scope(app: App, actor: Actor, patient_id: int, action: Action = Action.use) -> Scope:
    """`actor` working on patient `patient_id`, or NotAllowed."""
    patient = app.database.patient_ref(patient_id)
    if patient is None or not allowed(actor, action, patient):
        raise NotAllowed("You may not see or change this person's record.")
    return Scope(app, actor, patient_id)


__all__ = [
    "LOCAL_USER",
    "Action",
    "Actor",
    "App",
    "OnceApp",
    "Role",
    "Scope",
    "local_scope",
    "open_app",
    "patient_scope",
]
