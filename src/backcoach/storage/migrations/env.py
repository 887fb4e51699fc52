"""Alembic environment: runs migrations on the connection (already in its locked transaction)
that `storage.database.migrate` hands over, or, when called on its own, on the engine."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, Engine

from backcoach.storage.tables import Base


def run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


given: Connection | None = context.config.attributes.get("connection")
if given is not None:
    run(given)
else:
    engine: Engine = context.config.attributes["engine"]
    with engine.begin() as connection:
        run(connection)
