"""Export and import of the whole local record, as one JSON document (`exports/transfer`).

Only the local user of a one-person database may do either: the document holds every table.
"""

from __future__ import annotations

from pathlib import Path

from backcoach.core.errors import NotAllowed
from backcoach.exports.transfer import export_document, import_document
from backcoach.services.context import Role, Scope
from backcoach.storage.database import backup_sqlite


def _local_only(scope: Scope) -> None:
    if scope.actor.role is not Role.local:
        raise NotAllowed("Export and import of the whole database are for the local user only.")


def export_all(scope: Scope) -> str:
    _local_only(scope)
    return export_document(scope.app.database.sessions)


def import_all(scope: Scope, document: str) -> int:
    """Import into an empty database; a damaged document changes nothing (InvalidInput)."""
    _local_only(scope)
    return import_document(scope.app.database.sessions, document)


def backup(scope: Scope, target: Path) -> None:
    """A copy of the whole SQLite database in one file (a plain copy of the file alone would miss
    what is still in its write-ahead log)."""
    _local_only(scope)
    backup_sqlite(scope.app.database.sessions, target)
