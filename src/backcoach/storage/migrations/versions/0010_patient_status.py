"""per-patient summaries for the clinic's list, and a clinic's own alert thresholds

Revision ID: 0010
Revises: 0009

`patient_status` keeps, for each clinic patient, what the patient list sorts and filters on, so
the list never reads every record; every write to a record marks its row dirty and a read
refreshes it. Patients who exist already get a dirty row here. `clinic_thresholds` holds the
values a clinic changed from the cited defaults.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "patient_status",
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), primary_key=True),
        sa.Column("clinic_id", sa.Integer(), sa.ForeignKey("clinic.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("dirty", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("stored_rank", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("alerts", sa.JSON(), nullable=False, server_default="[]"),
        sa.Column("engagement_since", sa.DateTime(), nullable=True),
        sa.Column("engagement_acked", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_session_at", sa.DateTime(), nullable=True),
        sa.Column("done_days", sa.JSON(), nullable=False, server_default="[]"),
        sa.Column("pains", sa.JSON(), nullable=False, server_default="[]"),
        sa.Column("stale_at", sa.DateTime(), nullable=True),
        sa.Column("refreshed_at", sa.DateTime(), nullable=True),
    )
    for name, column in (
        ("rank", "stored_rank"),
        ("since", "engagement_since"),
        ("dirty", "dirty"),
        ("stale", "stale_at"),
    ):
        op.create_index(f"ix_patient_status_clinic_{name}", "patient_status", ["clinic_id", column])
    op.execute("INSERT INTO patient_status (person_id, clinic_id) SELECT person_id, clinic_id FROM clinic_patient")
    op.create_table(
        "clinic_thresholds",
        sa.Column("clinic_id", sa.Integer(), sa.ForeignKey("clinic.id"), primary_key=True),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by", sa.String(320), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("clinic_thresholds")
    op.drop_table("patient_status")
