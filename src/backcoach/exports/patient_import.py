"""One person's export taken into one person's record in a database that holds others (a clinic):
every row gets a new id, every link is moved to the new ids, and the person's own id becomes the
target's. Nothing of anyone else is read or changed, and the target must have no history yet.

The document is checked in full first (`transfer.parse_document`, the same checks as a whole
import), then written in one transaction: a file that cannot be taken in changes nothing.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, insert
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from backcoach.core.errors import NotEmpty, StorageUnavailable, TransferError
from backcoach.exports.transfer import history_tables, parse_document
from backcoach.storage.deletion import person_rows
from backcoach.storage.locks import one_at_a_time


def _has_history(db: OrmSession, person_id: int) -> bool:
    for table in history_tables():
        found = person_rows(table, person_id) if table.name != "person" else None
        if found is not None and db.execute(found.limit(1)).first() is not None:
            return True
    return False


def import_into_person(sessions: sessionmaker[OrmSession], document: str, person_id: int) -> int:
    """Take one person's export into `person_id`'s empty record; the number of rows written."""
    rows = parse_document(document)
    people = rows.get("person", [])
    if len(people) != 1:
        raise TransferError(f"this file holds {len(people)} people's records; bring in one person's export")
    written = 0
    try:
        with sessions.begin() as db:
            one_at_a_time(db, f"import person {person_id}")
            if _has_history(db, person_id):
                raise NotEmpty("this record already has history; only an empty record can take an export")
            new_ids: dict[str, dict[Any, Any]] = {"person": {people[0]["id"]: person_id}}
            for table in history_tables():
                if table.name == "person":
                    continue
                keyed = "id" in table.c and table.c.id.primary_key
                new_ids[table.name] = {}
                for row in rows[table.name]:
                    values = dict(row)
                    old = values.pop("id") if keyed else None
                    for column in table.columns:
                        for link in column.foreign_keys:
                            if values.get(column.name) is not None:
                                values[column.name] = new_ids[link.column.table.name][values[column.name]]
                    made = cast(CursorResult[Any], db.execute(insert(table).values(values)))
                    if keyed:
                        new_ids[table.name][old] = made.inserted_primary_key[0]  # type: ignore[index]
                    written += 1
    except (TransferError, StorageUnavailable):
        raise
    except Exception as error:  # what the checks could not foresee: nothing is kept
        message = str(getattr(error, "orig", error)).splitlines()[0]
        raise TransferError(f"the rows do not fit together ({message}); nothing was imported") from None
    return written
