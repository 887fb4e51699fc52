"""Export and import of the whole local record, as one JSON document (`exports/transfer`), and
backups. Only the local user of a one-person database may do any of these: the document holds
every table.

An import goes into an empty database. To repair a damaged install, `replace_all` takes a good
export into a database that has data: the file is checked in full first, then a backup of what is
there is written (its path is given back), then everything is replaced in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from backcoach.core.access import Action, allowed
from backcoach.core.errors import NotAllowed, StorageUnavailable
from backcoach.exports.patient_import import import_into_person
from backcoach.exports.transfer import (
    export_document,
    import_document,
    is_empty,
    parse_document,
    person_document,
    write_rows,
)
from backcoach.services.context import Role, Scope
from backcoach.storage.database import backup_sqlite, sqlite_file


@dataclass(frozen=True)
class Imported:
    rows: int
    backup: Path | None  # where what was there before is kept (None: the database was empty)


def _local_only(scope: Scope) -> None:
    if scope.actor.role is not Role.local:
        raise NotAllowed("Export and import of the whole database are for the local user only.")
    if scope.app.database.accounts.any_clinic():
        raise NotAllowed("This database belongs to a clinic: its whole-database export and import are off.")


def export_all(scope: Scope) -> str:
    _local_only(scope)
    return export_document(scope.app.database.sessions)


def export_patient(scope: Scope) -> str:
    """A person's own record as one JSON document: their rows of the history tables only. For a
    clinic's patient (their "Download my data"), and for whoever else the policy lets export it."""
    person = scope.app.database.patient_ref(scope.patient_id)
    if person is None or not allowed(scope.actor, Action.export_record, person):
        raise NotAllowed("You may not export this person's record.")
    return person_document(scope.app.database.sessions, scope.patient_id)


def export_mine(scope: Scope) -> str:
    """What "export" means for whoever asks: on one machine the whole database; for a clinic's
    patient, their own record."""
    return export_all(scope) if scope.actor.role is Role.local else export_patient(scope)


def import_patient(scope: Scope, document: str) -> int:
    """One person's export taken into this patient's record, which must be empty: every row gets a
    new id, and nobody else's record is read or changed. For the patient themselves, or a member of
    their care team."""
    person = scope.app.database.patient_ref(scope.patient_id)
    if person is None or not (
        allowed(scope.actor, Action.use, person) or allowed(scope.actor, Action.change_record, person)
    ):
        raise NotAllowed("You may not bring a record into this person's record.")
    return import_into_person(scope.app.database.sessions, document, scope.patient_id)


def import_mine(scope: Scope, document: str) -> int:
    """What "import" means for whoever asks: on one machine, into the empty database; for a
    clinic's patient, into their own empty record."""
    return import_all(scope, document) if scope.actor.role is Role.local else import_patient(scope, document)


def import_all(scope: Scope, document: str) -> int:
    """Import into an empty database; a damaged document changes nothing (TransferError)."""
    _local_only(scope)
    return import_document(scope.app.database.sessions, document)


def bring_in(scope: Scope, document: str, replace: bool) -> Imported:
    """An import from the web (its page or the JSON API): into the empty database or record, or
    with `replace`, in place of everything after a backup. In the record's turn (`Scope.changing`),
    so no change of the person's own lands in the middle of it. A long job: the faces run it in a
    worker thread, never on the event loop."""
    with scope.changing():
        if replace:
            return replace_all(scope, document)
        return Imported(import_mine(scope, document), None)


def replace_all(scope: Scope, document: str, backup_folder: Path | None = None) -> Imported:
    """Replace everything with the export in `document`, after a backup of what is there: a SQLite
    copy beside the database (or in `backup_folder`); for another database, an export."""
    _local_only(scope)
    sessions = scope.app.database.sessions
    rows = parse_document(document)  # a damaged file is refused before anything is written
    saved = None if is_empty(sessions) else _backup_before_replace(scope, backup_folder)
    return Imported(write_rows(sessions, rows, replace=True), saved)


def _backup_before_replace(scope: Scope, folder: Path | None) -> Path:
    sessions = scope.app.database.sessions
    database = sqlite_file(sessions)
    if folder is None and database is None:
        raise StorageUnavailable(
            "Say where the backup of this database goes before replacing it "
            "(backcoach import FILE --replace --backup-folder FOLDER); nothing was replaced."
        )
    where = folder or (database.parent if database else Path.cwd())
    stamp = scope.now().strftime("%Y%m%dT%H%M%S")
    suffix = ".sqlite3" if database else ".json"
    target = where / f"backcoach-before-import-{stamp}{suffix}"
    count = 1
    while target.exists():  # never over an earlier backup
        count += 1
        target = where / f"backcoach-before-import-{stamp}-{count}{suffix}"
    try:
        if database:
            backup_sqlite(sessions, target)
        else:
            target.write_text(export_document(sessions), encoding="utf-8")
    except OSError as error:
        raise StorageUnavailable(
            f"Cannot write the backup {target} ({error.strerror}), so nothing was replaced."
        ) from None
    return target


def backup(scope: Scope, target: Path) -> None:
    """A copy of the whole SQLite database in one file (a plain copy of the file alone would miss
    what is still in its write-ahead log)."""
    _local_only(scope)
    backup_sqlite(scope.app.database.sessions, target)
