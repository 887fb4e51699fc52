"""A request's reads share one session on PostgreSQL (`Sessions.one_read`), and still see every
write committed before each of them; on SQLite each read keeps its own session."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError

from backcoach.storage.database import open_database
from backcoach.storage.repository import Database
from backcoach.storage.tables import ReminderSettings

NOW = datetime(2026, 3, 2, 9, 0)


def checkouts_of(database: Database) -> list[int]:
    counted: list[int] = []
    event.listen(database.sessions.kw["bind"], "checkout", lambda *_: counted.append(1))
    return counted


def test_reads_in_one_read_share_a_connection_on_postgresql_only(database_url: str) -> None:
    database = Database(open_database(database_url))
    person = database.add_person(NOW)
    checkouts = checkouts_of(database)
    with database.one_read():
        for _ in range(5):
            assert database.patient(person.id).time_zone() is None
    expected = 1 if database_url.startswith("postgresql") else 5
    assert len(checkouts) == expected


def test_a_read_in_one_read_sees_what_was_written_before_it(database_url: str) -> None:
    database = Database(open_database(database_url))
    repo = database.patient(database.add_person(NOW).id)
    with database.one_read():
        assert repo.time_zone() is None
        repo.save_reminders(["08:00"], "Europe/Paris", 0, NOW)  # a write: a session of its own
        assert repo.time_zone() == "Europe/Paris"
        before = repo.reminders()  # read once before the write
        assert before is not None and before.timezone == "Europe/Paris"
        repo.save_reminders(["08:00"], "Asia/Tokyo", 0, NOW)
        found = repo.reminders()
        assert found is not None and found.timezone == "Asia/Tokyo"


def test_a_failed_read_does_not_spoil_the_next(database_url: str) -> None:
    database = Database(open_database(database_url))
    repo = database.patient(database.add_person(NOW).id)
    with database.one_read():
        with pytest.raises(DBAPIError), database.sessions() as db:
            db.execute(text("SELECT no_such_column FROM person"))
        assert repo.time_zone() is None


def test_one_read_ends_with_its_block(database_url: str) -> None:
    database = Database(open_database(database_url))
    with database.one_read(), database.sessions() as first, database.sessions() as second:
        shared = first is second
    assert shared == database_url.startswith("postgresql")
    with database.sessions() as first, database.sessions() as second:
        assert first is not second


def test_a_row_still_held_from_an_earlier_read_is_read_again(database_url: str) -> None:
    database = Database(open_database(database_url))
    person = database.add_person(NOW)
    repo = database.patient(person.id)
    repo.save_reminders(["08:00"], "Europe/Paris", 0, NOW)
    with database.one_read():
        with database.sessions() as db:
            held = db.get(ReminderSettings, person.id)  # kept alive: it stays in the session's map
        repo.save_reminders(["08:00"], "Asia/Tokyo", 0, NOW)
        with database.sessions() as db:
            again = db.get(ReminderSettings, person.id)
            assert again is not None and again.timezone == "Asia/Tokyo"
    assert held is not None


def postgresql_only(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("on SQLite every read has a session of its own")


def test_a_write_ends_the_reads_transaction_first(database_url: str) -> None:
    postgresql_only(database_url)
    database = Database(open_database(database_url))
    repo = database.patient(database.add_person(NOW).id)
    with database.one_read():
        with database.sessions() as shared:
            shared.execute(text("SELECT 1"))
        assert shared.in_transaction()
        repo.save_reminders(["08:00"], "Europe/Paris", 0, NOW)  # no second connection held meanwhile
        assert not shared.in_transaction()
        assert repo.time_zone() == "Europe/Paris"


def test_reads_see_new_commits_whatever_the_servers_default_isolation(database_url: str) -> None:
    postgresql_only(database_url)
    strict = database_url + "%20-cdefault_transaction_isolation%3Drepeatable%5C%20read"
    database = Database(open_database(strict))
    other = Database(open_database(database_url))
    person = database.add_person(NOW)
    with database.one_read():
        assert database.patient(person.id).time_zone() is None  # the read's snapshot would start here
        other.patient(person.id).save_reminders(["08:00"], "Asia/Tokyo", 0, NOW)  # another process
        assert database.patient(person.id).time_zone() == "Asia/Tokyo"
