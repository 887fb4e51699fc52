"""requests sent with an Idempotency-Key, and their answers

Revision ID: 0005
Revises: 0004

A phone that was offline sends its queued requests again, maybe twice: each carries an
Idempotency-Key, and the answer to the first is kept, so a repeat gets it again and nothing is
done twice.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "idempotent_request",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False, index=True),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("media_type", sa.String(100), nullable=True),
        sa.UniqueConstraint("owner", "key"),
    )


def downgrade() -> None:
    op.drop_table("idempotent_request")
