"""Deleting one person and everything that is theirs, and nothing else.

What is theirs is found from the tables themselves: a row with their `person_id`, or a row that
points (by a foreign key) at a row of theirs, and so on down; the `person` row last. The audit
trail has no foreign keys on purpose, so its rows stay (a tombstone: that the record existed and was
deleted, by whom and when), and the database refuses to delete them anyway.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Table, delete, or_, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from backcoach.storage import tables as t
from backcoach.storage.clinic_tables import AuditEvent
from backcoach.storage.tables import Base


def _theirs(table: Table, person_id: int, seen: frozenset[str] = frozenset()) -> Any | None:
    """A condition on `table` that holds for this person's rows, or None if no row can be theirs."""
    if table.name == "person":
        return table.c.id == person_id
    ways = []
    if "person_id" in table.c:
        ways.append(table.c.person_id == person_id)
    for key in table.foreign_keys:
        parent = key.column.table
        if parent.name == "person" or parent.name in seen or parent is table:
            continue
        found = _theirs(parent, person_id, seen | {table.name})
        if found is not None:
            pk = next(iter(parent.primary_key.columns))
            ways.append(key.parent.in_(select(pk).where(found)))
    return or_(*ways) if ways else None


def person_rows(table: Table, person_id: int) -> Select[Any] | None:
    """The rows of `table` that are this person's (None: the table holds nothing of anyone's)."""
    found = _theirs(table, person_id)
    return None if found is None else select(table).where(found)


def delete_person(sessions: sessionmaker[OrmSession], person_id: int) -> None:
    with sessions.begin() as db:
        for table in reversed(Base.metadata.sorted_tables):  # children before parents
            if table is AuditEvent.__table__:
                continue
            found = _theirs(table, person_id)
            if found is not None:
                db.execute(delete(table).where(found))
        # Answers kept for repeated requests name their owner by the patient's id at the end.
        db.execute(delete(t.IdempotentRequest).where(t.IdempotentRequest.owner.endswith(f":{person_id}")))
