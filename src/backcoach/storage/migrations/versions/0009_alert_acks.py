"""alerts acknowledged by a clinician

Revision ID: 0009
Revises: 0008

A clinician acknowledges an alert about a patient with a note. The alert's key names its kind,
tier and the fact that caused it, so the same alert is not shown again until the facts change.
The table belongs to the clinic, not to a person's history (it is not in a person's export).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_ack",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("alert_key", sa.String(200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("account.id"), nullable=True),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("person_id", "alert_key"),
    )


def downgrade() -> None:
    op.drop_table("alert_ack")
