"""The links between imported rows, checked before anything is written: ids that are unique, every
reference leading to a row in the file, and what the tables keep unique (one open session, one
open pause of an exercise). Each problem names the table, the row and the field, the same on
SQLite and PostgreSQL, instead of whatever the database would say halfway through."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Index, Table, UniqueConstraint

from backcoach.core.errors import TransferError
from backcoach.core.rules import SessionStatus
from backcoach.storage.tables import Base

Rows = dict[str, list[dict[str, Any]]]
# PostgreSQL's integer, the narrower of the two databases: a number past it imports on neither.
INT_RANGE = (-(2**31), 2**31 - 1)
# The unique indexes that hold only for some rows, by name: which rows they hold for.
PARTIAL: dict[str, Callable[[dict[str, Any]], bool]] = {
    "uq_session_one_open": lambda row: row["status"] == SessionStatus.in_progress,
    "uq_paused_exercise_open": lambda row: row["cleared_at"] is None,
}


def _unique_sets(table: Table) -> list[tuple[tuple[str, ...], Callable[[dict[str, Any]], bool]]]:
    """Each set of columns the table keeps unique, with the rows it applies to."""
    always: Callable[[dict[str, Any]], bool] = lambda row: True  # noqa: E731
    found = [(tuple(c.name for c in table.primary_key.columns), always)]
    found += [(tuple(c.name for c in k.columns), always) for k in table.constraints if isinstance(k, UniqueConstraint)]
    found += [((c.name,), always) for c in table.columns if c.unique]
    for index in table.indexes:
        if not isinstance(index, Index) or not index.unique:
            continue
        partial = any(index.dialect_options[name].get("where") is not None for name in ("sqlite", "postgresql"))
        if partial and index.name not in PARTIAL:
            raise AssertionError(f"the import does not know which rows index {index.name} holds for")
        found.append((tuple(c.name for c in index.columns), PARTIAL[str(index.name)] if partial else always))
    return found


def check_links(rows: Rows) -> None:
    tables = {t.name: t for t in Base.metadata.sorted_tables if t.info.get("history", True)}  # as exported
    for name, table in tables.items():
        for columns, applies in _unique_sets(table):
            seen: dict[tuple[Any, ...], int] = {}
            for index, row in enumerate(rows[name]):
                key = tuple(row[c] for c in columns)
                if None in key or not applies(row):
                    continue
                if key in seen:
                    named = ", ".join(f"'{c}'" for c in columns)
                    raise TransferError(
                        f"table '{name}', row {index + 1}, field {named}: the same as row {seen[key]}, "
                        "where only one may be"
                    )
                seen[key] = index + 1
        for column in table.columns:
            for link in column.foreign_keys:
                target = link.column
                present = {row[target.name] for row in rows[target.table.name]}
                for index, row in enumerate(rows[name]):
                    if row[column.name] is not None and row[column.name] not in present:
                        raise TransferError(
                            f"table '{name}', row {index + 1}, field '{column.name}': "
                            f"no {target.table.name} with {target.name} {row[column.name]} in the file"
                        )
