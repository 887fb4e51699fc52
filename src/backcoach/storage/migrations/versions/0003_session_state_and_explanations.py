"""session state and program explanations

Revision ID: 0003
Revises: 0002

A session keeps its own exercise list (what was due when it started, as pain-stop choices
change it) and a pending pain-stop choice, so every player resumes the same session; a program
version keeps what the planner or review decided then; a screening notes which session it follows.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: on SQLite a batch "move and copy" of `session` would have to drop a table
    # that others refer to, which foreign keys forbid once there is history.
    op.add_column("session", sa.Column("plan", sa.JSON(), nullable=True))
    op.add_column("session", sa.Column("pending_pain", sa.JSON(), nullable=True))
    op.add_column("session", sa.Column("pain_before", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name != "sqlite":  # SQLite cannot add a constraint to a table in place
        op.create_check_constraint(
            "ck_session_pain_before", "session", "pain_before is null or (pain_before between 0 and 10)"
        )
    op.add_column("program_version", sa.Column("explanation", sa.JSON(), nullable=True))  # referred to, too
    # One open session per person: older open ones (left by a race) are set aside as quit first.
    op.execute(
        "UPDATE session SET status = 'quit' WHERE status = 'in_progress' AND id < ("
        " SELECT MAX(newer.id) FROM session newer"
        " WHERE newer.person_id = session.person_id AND newer.status = 'in_progress')"
    )
    op.create_index(
        "uq_session_one_open",
        "session",
        ["person_id"],
        unique=True,
        sqlite_where=sa.text("status = 'in_progress'"),
        postgresql_where=sa.text("status = 'in_progress'"),
    )
    with op.batch_alter_table("screening") as batch:
        batch.add_column(sa.Column("after_session_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_screening_after_session", "session", ["after_session_id"], ["id"])
    # Answers given before this migration come after the sessions that had ended by then, so a
    # re-screen that was already answered is not asked for again.
    op.execute(
        "UPDATE screening SET after_session_id = ("
        " SELECT MAX(s.id) FROM session s JOIN check_in c ON c.session_id = s.id"
        " WHERE s.person_id = screening.person_id AND s.ended_at IS NOT NULL"
        " AND s.ended_at <= screening.answered_at)"
    )


def downgrade() -> None:
    op.drop_index("uq_session_one_open", "session")
    with op.batch_alter_table("screening") as batch:
        batch.drop_constraint("fk_screening_after_session", type_="foreignkey")
        batch.drop_column("after_session_id")
    op.drop_column("program_version", "explanation")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("ck_session_pain_before", "session", type_="check")
    for column in ("pain_before", "pending_pain", "plan"):
        op.drop_column("session", column)
