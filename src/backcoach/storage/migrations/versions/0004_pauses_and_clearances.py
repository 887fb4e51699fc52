"""exercises paused for pain, and clearances after a warning sign

Revision ID: 0004
Revises: 0003

An exercise paused because it hurt is remembered until a professional clears it; a warning
sign is remembered until the person records that a doctor or physiotherapist checked them.
Exercises that already ended a session with sharp, spreading or worsening pain, or pain into
the legs, are paused from that session on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "paused_exercise",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False, index=True),
        sa.Column("exercise_id", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("paused_at", sa.DateTime(), nullable=False),
        sa.Column("session_id", sa.Integer(), sa.ForeignKey("session.id"), nullable=True),
        sa.Column("cleared_at", sa.DateTime(), nullable=True),
        sa.Column("cleared_by", sa.String(200), nullable=True),
        sa.Column("cleared_on", sa.Date(), nullable=True),
    )
    op.create_index(
        "uq_paused_exercise_open",
        "paused_exercise",
        ["person_id", "exercise_id"],
        unique=True,
        sqlite_where=sa.text("cleared_at is null"),
        postgresql_where=sa.text("cleared_at is null"),
    )
    op.create_table(
        "clearance",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False, index=True),
        sa.Column("screening_id", sa.Integer(), sa.ForeignKey("screening.id"), nullable=False),
        sa.Column("signs", sa.JSON(), nullable=False),
        sa.Column("cleared_by", sa.String(200), nullable=False),
        sa.Column("cleared_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("person_id", "screening_id"),
    )
    # Pain stops already stored that end a session for the exercise itself: the earliest one
    # per person and exercise pauses it.
    op.execute(
        "INSERT INTO paused_exercise (person_id, exercise_id, reason, paused_at, session_id)"
        " SELECT s.person_id, o.exercise_id,"
        " 'It ended a session because of pain. Ask a physiotherapist before you try it again.',"
        " MIN(o.recorded_at), MIN(s.id)"
        " FROM exercise_outcome o JOIN session s ON s.id = o.session_id"
        " WHERE o.pain_kind IN ('sharp', 'spreading', 'worsening') OR o.pain_place = 'legs'"
        " GROUP BY s.person_id, o.exercise_id"
    )


def downgrade() -> None:
    op.drop_table("clearance")
    op.drop_index("uq_paused_exercise_open", table_name="paused_exercise")
    op.drop_table("paused_exercise")
