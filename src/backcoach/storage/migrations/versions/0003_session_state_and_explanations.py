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
    with op.batch_alter_table("session") as batch:
        batch.add_column(sa.Column("plan", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("pending_pain", sa.JSON(), nullable=True))
    with op.batch_alter_table("program_version") as batch:
        batch.add_column(sa.Column("explanation", sa.JSON(), nullable=True))
    with op.batch_alter_table("screening") as batch:
        batch.add_column(sa.Column("after_session_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_screening_after_session", "session", ["after_session_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("screening") as batch:
        batch.drop_constraint("fk_screening_after_session", type_="foreignkey")
        batch.drop_column("after_session_id")
    with op.batch_alter_table("program_version") as batch:
        batch.drop_column("explanation")
    with op.batch_alter_table("session") as batch:
        batch.drop_column("pending_pain")
        batch.drop_column("plan")
