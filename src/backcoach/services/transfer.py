"""Export and import of the whole local record, as one JSON document (`exports/transfer`).

Only the local user of a one-person database may do either: the document holds every table.
"""

from __future__ import annotations

from backcoach.core.errors import NotAllowed
from backcoach.exports.transfer import export_document, import_document
from backcoach.services.context import Role, Scope


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
