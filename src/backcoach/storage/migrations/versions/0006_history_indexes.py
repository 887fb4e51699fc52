"""indexes for reading one person's history by time, a page at a time

Revision ID: 0006
Revises: 0005

What a request reads of one person's sessions (today's, the last week's, a page of the history,
newest first) is found through an index on the person and the time or id, so its cost does not
grow with the length of the history.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_session_person_started", "session", ["person_id", "started_at"])
    op.create_index("ix_session_person_newest", "session", ["person_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_session_person_newest", table_name="session")
    op.drop_index("ix_session_person_started", table_name="session")
