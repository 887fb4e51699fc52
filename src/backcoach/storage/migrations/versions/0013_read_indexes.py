"""indexes for the progress page's sums and an activity's latest ratings

Revision ID: 0013
Revises: 0012

A page shows an activity's latest ratings and the change since its first: both are found through
an index on the activity and the time, so the cost does not grow with how often it was rated. The
day-by-day sums of the progress page read, for each session, its outcomes' status and pain stop:
a covering index holds those columns, so no outcome row is read for them.
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_psfs_rating_activity_time", "psfs_rating", ["activity_id", "rated_at", "id"])
    op.create_index("ix_exercise_outcome_session_sums", "exercise_outcome", ["session_id", "status", "pain_kind"])


def downgrade() -> None:
    op.drop_index("ix_exercise_outcome_session_sums", table_name="exercise_outcome")
    op.drop_index("ix_psfs_rating_activity_time", table_name="psfs_rating")
