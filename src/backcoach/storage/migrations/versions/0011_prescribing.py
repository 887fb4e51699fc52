"""prescribing: prescriptions and a clinic's templates

Revision ID: 0011
Revises: 0010

A physiotherapist's prescription names the program version it made, the weekly review's setting
and the doses prescribed (the review's ceiling). A clinic keeps templates: named programs with
doses. Neither table is a person's history (neither is in a person's export).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "prescription",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("program_id", sa.Integer(), sa.ForeignKey("program_version.id"), nullable=False),
        sa.Column("review", sa.String(20), nullable=False),
        sa.Column("doses", sa.JSON(), nullable=False),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("account.id"), nullable=True),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_prescription_person", "prescription", ["person_id", "id"])
    op.create_table(
        "clinic_template",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("public_id", sa.String(36), nullable=False, unique=True),
        sa.Column("clinic_id", sa.Integer(), sa.ForeignKey("clinic.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("exercises", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("account.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_clinic_template_clinic", "clinic_template", ["clinic_id", "name"])


def downgrade() -> None:
    op.drop_index("ix_clinic_template_clinic", "clinic_template")
    op.drop_table("clinic_template")
    op.drop_index("ix_prescription_person", "prescription")
    op.drop_table("prescription")
