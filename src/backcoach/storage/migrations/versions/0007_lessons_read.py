"""lessons offered and read

Revision ID: 0007
Revises: 0006

The short lessons about back pain: which ones the person has read, and when one was last
offered after a session (one a day at most, besides the flare-up plan when pain rises).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lesson_mark",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False, index=True),
        sa.Column("lesson_id", sa.String(50), nullable=False),
        sa.Column("offered_at", sa.DateTime(), nullable=True),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("person_id", "lesson_id"),
    )


def downgrade() -> None:
    op.drop_table("lesson_mark")
