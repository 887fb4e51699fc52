"""clinicians' notes on a patient's record

Revision ID: 0012
Revises: 0011

A clinician in the care team writes a note on the patient's record (what they assessed, decided or
cleared). Notes are written once and never changed; they go with the record when it is deleted.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clinician_note",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("account.id"), nullable=True),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_clinician_note_person", "clinician_note", ["person_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_clinician_note_person", table_name="clinician_note")
    op.drop_table("clinician_note")
