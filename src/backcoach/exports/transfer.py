"""Your data is yours: export everything as one JSON document, and import it into an empty
database. Export, import, export gives the same bytes. A damaged or foreign file is checked
in full before anything is written, and the import is one transaction."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Double,
    Float,
    Integer,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.errors import InvalidInput, NotEmpty, StorageUnavailable, TransferError
from backcoach.exports.row_links import INT_RANGE, check_links
from backcoach.exports.row_rules import RowProblem, check_row
from backcoach.schemas.json_text import parse_json
from backcoach.storage.deletion import person_rows
from backcoach.storage.locks import one_at_a_time
from backcoach.storage.tables import Base

FORMAT = "backcoach-export"
VERSION = 4
SUPPORTED = (1, 2, 3, 4)
# Version 4 adds the table `lesson_mark` (migration 0007: the lessons offered and read); an older
# export has none, and imports with no lesson read.
# Version 3 adds the tables `paused_exercise` and `clearance` (migration 0004); an older export
# has neither, and imports with nothing paused and nothing cleared.
# Columns added since version 1 of the format (migration 0003): an older export leaves them out,
# and they import as empty.
ADDED_IN_VERSION_2 = {
    "session": {"plan", "pending_pain", "pain_before"},
    "program_version": {"explanation"},
    "screening": {"after_session_id"},
}


def history_tables() -> list[Table]:
    """The tables of history, parents before children (not the remembered answers to repeated requests)."""
    return [table for table in Base.metadata.sorted_tables if table.info.get("history", True)]


TABLE_NAMES = sorted(table.name for table in history_tables())


def _plain(value: Any) -> Any:
    """A stored value as JSON: times as ISO text, and never NaN or Infinity (a damaged database may
    hold them, in a float column or inside stored JSON; JSON has no such numbers, so they are null)."""
    if isinstance(value, date):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def export_document(sessions: sessionmaker[OrmSession]) -> str:
    data: dict[str, list[dict[str, Any]]] = {}
    with sessions() as db:
        for table in history_tables():
            rows = db.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            data[table.name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    document = {"format": FORMAT, "version": VERSION, "tables": data}
    return json.dumps(document, indent=2, sort_keys=True, allow_nan=False) + "\n"  # only JSON numbers


def person_document(sessions: sessionmaker[OrmSession], person_id: int) -> str:
    """One person's own rows of the history tables, in the export's format (never anyone else's,
    and never the clinic's tables: accounts, care teams, the audit trail)."""
    data: dict[str, list[dict[str, Any]]] = {}
    with sessions() as db:
        for table in history_tables():
            query = person_rows(table, person_id)
            if query is None:
                continue
            rows = db.execute(query.order_by(*table.primary_key.columns)).mappings()
            data[table.name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    document = {"format": FORMAT, "version": VERSION, "tables": data}
    return json.dumps(document, indent=2, sort_keys=True, allow_nan=False) + "\n"


class _Problem(ValueError):
    pass


def _moment(value: Any) -> datetime:
    """One rule for times on SQLite and PostgreSQL alike: stored times are naive UTC, so a time with
    an offset is turned into that same moment in UTC, and a time without one is taken as UTC."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise _Problem(f"is not a date and time: {str(value)[:100]!r}") from None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo is not None else moment


def _clean_text(value: Any) -> None:
    """No NUL and no half of a character pair anywhere: PostgreSQL refuses them where SQLite would
    keep them, and the same file must import the same way on both."""
    if isinstance(value, str):
        if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
            raise _Problem("has a character that is not text (NUL, or half of a character pair)")
    elif isinstance(value, dict):
        for key, item in value.items():
            _clean_text(key)
            _clean_text(item)
    elif isinstance(value, list):
        for item in value:
            _clean_text(item)


def _expected(kind: Any) -> tuple[type, ...] | None:
    if isinstance(kind, Boolean):
        return (bool,)
    if isinstance(kind, Integer):
        return (int,)
    if isinstance(kind, Double | Float):
        return (int, float)
    if isinstance(kind, String | Text):
        return (str,)
    return None


def _check_value(table: Table, column: str, value: Any) -> Any:
    col = table.c[column]
    _clean_text(value)
    if value is None:
        if not col.nullable:
            raise _Problem("must have a value")
        return None
    kind = col.type
    if isinstance(kind, DateTime):
        return _moment(value)
    if isinstance(kind, Date):
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            raise _Problem(f"is not a date (YYYY-MM-DD): {str(value)[:100]!r}") from None
    expected = _expected(kind)
    if expected and (not isinstance(value, expected) or (bool not in expected and isinstance(value, bool))):
        raise _Problem(f"has the wrong type: {str(value)[:100]!r}")
    if isinstance(kind, Integer) and not INT_RANGE[0] <= value <= INT_RANGE[1]:
        raise _Problem(f"is far too large a number: {value}")
    length = getattr(kind, "length", None)
    if isinstance(value, str) and length is not None and len(value) > length:
        raise _Problem(f"is longer than {length} characters")
    return value


def parse_document(document: str) -> dict[str, list[dict[str, Any]]]:
    """Check the whole document and return rows ready to insert, or raise TransferError naming the
    table, the row and the field. Each row is checked with the app's own rules (`row_rules`), and
    every link between rows must lead to a row in the file."""
    tables, version = _read_tables(document)
    catalogue = load_catalogue()
    rows: dict[str, list[dict[str, Any]]] = {}
    for name, table in {t.name: t for t in history_tables()}.items():
        given = tables.get(name, [])
        if not isinstance(given, list):
            raise TransferError(f"table '{name}' must be a list of rows")
        columns = set(table.c.keys())
        optional = ADDED_IN_VERSION_2.get(name, set()) if version == 1 else set()
        rows[name] = []
        for index, row in enumerate(given):
            where = f"table '{name}', row {index + 1}"
            if isinstance(row, dict) and optional and set(row) | optional == columns:
                row = {column: None for column in optional} | row
            if not isinstance(row, dict) or set(row) != columns:
                raise TransferError(f"{where}: expected exactly the columns {', '.join(sorted(columns))}")
            checked: dict[str, Any] = {}
            for column in sorted(row):
                try:
                    checked[column] = _check_value(table, column, row[column])
                except _Problem as problem:
                    raise TransferError(f"{where}, field '{column}': {problem}") from None
            try:
                check_row(name, checked, catalogue)
            except RowProblem as problem:
                raise TransferError(f"{where}, field '{problem.field}': {problem}") from None
            rows[name].append(checked)
    check_links(rows)
    return rows


def _read_tables(document: str) -> tuple[dict[str, Any], int]:
    try:
        data = parse_json(document, "the file")
    except InvalidInput as error:
        raise TransferError(str(error).removeprefix("the file: ")) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TransferError(f'not a backcoach export (expected "format": "{FORMAT}")')
    version = data.get("version")
    if version not in SUPPORTED or isinstance(version, bool):
        raise TransferError(f"export format version {version!r} is not supported (this is {VERSION})")
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise TransferError("'tables' is missing or not an object")
    unknown = sorted(set(tables) - set(TABLE_NAMES))
    if unknown:
        raise TransferError(f"unknown table(s): {', '.join(unknown)}")
    return tables, int(version)


def import_document(sessions: sessionmaker[OrmSession], document: str, replace: bool = False) -> int:
    """Import into an empty database, in one transaction. Returns the number of rows written. With
    `replace`, everything already there is deleted first, in the same transaction: a file that
    cannot be imported leaves the database as it was."""
    return write_rows(sessions, parse_document(document), replace)


def write_rows(sessions: sessionmaker[OrmSession], rows: dict[str, list[dict[str, Any]]], replace: bool) -> int:
    """Write rows that `parse_document` checked, in one transaction (see `import_document`)."""
    try:
        with sessions.begin() as db:
            one_at_a_time(db, "import")  # two at once: the second finds the first's rows
            if replace:
                for table in reversed(history_tables()):  # children before parents
                    db.execute(delete(table))
            for table in history_tables():
                if db.scalar(select(func.count()).select_from(table)):
                    raise NotEmpty(
                        f"the database is not empty (table '{table.name}' has rows); import needs an empty database"
                    )
            for table in history_tables():
                if rows[table.name]:
                    db.execute(insert(table), rows[table.name])
            _reset_sequences(db)
    except (TransferError, StorageUnavailable):
        raise
    except Exception as error:  # what the checks above could not foresee: nothing is kept
        message = str(getattr(error, "orig", error)).splitlines()[0]
        raise TransferError(f"the rows do not fit together ({message}); nothing was imported") from None
    return sum(len(r) for r in rows.values())


def is_empty(sessions: sessionmaker[OrmSession]) -> bool:
    with sessions() as db:
        return not any(db.scalar(select(func.count()).select_from(table)) for table in history_tables())


def _reset_sequences(db: OrmSession) -> None:
    """PostgreSQL hands out ids from sequences; move them past the imported ids."""
    if db.get_bind().dialect.name != "postgresql":
        return
    for table in history_tables():
        if "id" not in table.c:
            continue  # keyed by another table's id (reminder_settings): no sequence of its own
        db.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )
