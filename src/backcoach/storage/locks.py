"""A write that must see every write before it: two at once take turns.

On SQLite every write transaction already holds the database's one write lock from its start
(BEGIN IMMEDIATE, in `database.py`). On PostgreSQL two transactions can read the same thing at
the same moment; `one_at_a_time` makes the second wait, until the first has committed or rolled
back, on a lock named for what they both change.
"""

from __future__ import annotations

import zlib

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession


def lock_number(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def one_at_a_time(db: OrmSession, name: str) -> None:
    """Hold the lock `name` until this transaction ends (PostgreSQL; nothing to do on SQLite)."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_number(name)})


def lost_a_race(error: IntegrityError) -> bool:
    """Whether the database refused a row because an equal one is there (a unique constraint):
    another request stored the same thing a moment ago. A value out of range is another error."""
    orig = error.orig
    return getattr(orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(orig)
