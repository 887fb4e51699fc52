"""Your data is yours: export everything as one JSON document, and import it into an empty
database. Export, import, export gives the same bytes. A damaged or foreign file is checked
in full before anything is written, and the import is one transaction."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Boolean, Date, DateTime, Double, Float, Integer, String, Table, Text, func, insert, select, text
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.errors import InvalidInput, NotEmpty, TransferError
from backcoach.core.profile import Profile
from backcoach.schemas.json_text import parse_json
from backcoach.storage.locks import one_at_a_time
from backcoach.storage.stored_json import check_dose, check_exercises, check_explanation, check_pain, check_pending
from backcoach.storage.tables import Base

FORMAT = "backcoach-export"
VERSION = 3
SUPPORTED = (1, 2, 3)
# Version 3 adds the tables `paused_exercise` and `clearance` (migration 0004); an older export
# has neither, and imports with nothing paused and nothing cleared.
# Columns added since version 1 of the format (migration 0003): an older export leaves them out,
# and they import as empty.
ADDED_IN_VERSION_2 = {
    "session": {"plan", "pending_pain", "pain_before"},
    "program_version": {"explanation"},
    "screening": {"after_session_id"},
}


def _tables() -> list[Table]:
    """The tables of history, parents before children (not the remembered answers to repeated requests)."""
    return [table for table in Base.metadata.sorted_tables if table.info.get("history", True)]


TABLE_NAMES = sorted(table.name for table in _tables())


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value  # a datetime is a date too


def export_document(sessions: sessionmaker[OrmSession]) -> str:
    data: dict[str, list[dict[str, Any]]] = {}
    with sessions() as db:
        for table in _tables():
            rows = db.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            data[table.name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    document = {"format": FORMAT, "version": VERSION, "tables": data}
    return json.dumps(document, indent=2, sort_keys=True, allow_nan=False) + "\n"  # only JSON numbers


def _check_value(table: Table, column: str, value: Any, where: str) -> Any:
    col = table.c[column]
    if value is None:
        if not col.nullable:
            raise TransferError(f"{where}: '{column}' must have a value")
        return None
    kind = col.type
    if isinstance(kind, DateTime):
        try:
            return datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise TransferError(f"{where}: '{column}' is not a date and time: {value!r}") from None
    if isinstance(kind, Date):
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            raise TransferError(f"{where}: '{column}' is not a date (YYYY-MM-DD): {value!r}") from None
    expected: tuple[type, ...] | None = None
    if isinstance(kind, Boolean):
        expected = (bool,)
    elif isinstance(kind, Integer):
        expected = (int,)
    elif isinstance(kind, Double | Float):
        expected = (int, float)
    elif isinstance(kind, String | Text):
        expected = (str,)
    if expected and (not isinstance(value, expected) or (bool not in expected and isinstance(value, bool))):
        raise TransferError(f"{where}: '{column}' has the wrong type: {value!r}")
    return value


def parse_document(document: str) -> dict[str, list[dict[str, Any]]]:
    """Check the whole document and return rows ready to insert, or raise TransferError."""
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
    known = {t.name: t for t in _tables()}
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise TransferError(f"unknown table(s): {', '.join(unknown)}")
    rows: dict[str, list[dict[str, Any]]] = {}
    for name, table in known.items():
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
            checked = {c: _check_value(table, c, row[c], where) for c in row}
            _check_content(name, checked, where)
            rows[name].append(checked)
    return rows


def _check_content(table: str, row: dict[str, Any], where: str) -> None:
    """Check the JSON inside columns with the same readers the app uses, so that whatever
    imports also shows and plays: profiles, programs, sessions, doses, pain and explanations."""
    catalogue = load_catalogue()
    try:
        if table == "profile_version":
            _check_profile(row["data"], where)
        elif table == "program_version":
            check_exercises(row["exercises"], catalogue)
            check_explanation(row["explanation"])
        elif table == "session":
            if row["plan"] is not None:
                check_exercises(row["plan"], catalogue)
            check_pending(row["pending_pain"], catalogue)
        elif table == "exercise_outcome":
            check_dose(row["dose"])
            if row["pain_kind"] is not None or row["pain_place"] is not None or row["pain_score"] is not None:
                check_pain({"kind": row["pain_kind"], "score": row["pain_score"], "place": row["pain_place"]})
        elif table == "screening" and not (
            isinstance(row["answers"], dict)
            and all(isinstance(v, bool) or v == "unsure" for v in row["answers"].values())
        ):
            raise ValueError("'answers' must map each question to true, false or \"unsure\"")
        elif table == "paused_exercise" and row["exercise_id"] not in catalogue.ids():
            raise ValueError(f"no exercise {row['exercise_id']!r} in the catalogue")
        elif table == "clearance" and not (
            isinstance(row["signs"], list) and all(isinstance(v, str) for v in row["signs"])
        ):
            raise ValueError("'signs' must be a list of question ids")
    except ValueError as error:
        raise TransferError(f"{where}: {error}") from None


def _check_profile(data: Any, where: str) -> None:
    try:
        Profile.model_validate(data, context={"stored": True})
    except ValidationError as error:
        first = error.errors()[0]
        raise TransferError(
            f"{where}: the profile's '{'.'.join(map(str, first['loc']))}' is wrong: {first['msg']}"
        ) from None


def import_document(sessions: sessionmaker[OrmSession], document: str) -> int:
    """Import into an empty database, in one transaction. Returns the number of rows written."""
    rows = parse_document(document)
    try:
        with sessions.begin() as db:
            one_at_a_time(db, "import")  # two at once: the second finds the first's rows
            for table in _tables():
                if db.scalar(select(func.count()).select_from(table)):
                    raise NotEmpty(
                        f"the database is not empty (table '{table.name}' has rows); import needs an empty database"
                    )
            for table in _tables():
                if rows[table.name]:
                    db.execute(insert(table), rows[table.name])
            _reset_sequences(db)
    except TransferError:
        raise
    except Exception as error:  # a broken link between rows, a value out of range: nothing is kept
        message = str(getattr(error, "orig", error)).splitlines()[0]
        raise TransferError(f"the rows do not fit together ({message}); nothing was imported") from None
    return sum(len(r) for r in rows.values())


def _reset_sequences(db: OrmSession) -> None:
    """PostgreSQL hands out ids from sequences; move them past the imported ids."""
    if db.get_bind().dialect.name != "postgresql":
        return
    for table in _tables():
        if "id" not in table.c:
            continue  # keyed by another table's id (reminder_settings): no sequence of its own
        db.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )
