"""initial schema

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "profile_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("profile_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_profile_version_person_id"), ["person_id"], unique=False)

    op.create_table(
        "psfs_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("psfs_activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_psfs_activity_person_id"), ["person_id"], unique=False)

    op.create_table(
        "screening",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("screening", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_screening_person_id"), ["person_id"], unique=False)

    op.create_table(
        "program_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("exercises", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profile_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "version"),
    )
    with op.batch_alter_table("program_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_program_version_person_id"), ["person_id"], unique=False)

    op.create_table(
        "psfs_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("rated_at", sa.DateTime(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.CheckConstraint("score between 0 and 10"),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["psfs_activity.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("psfs_rating", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_psfs_rating_activity_id"), ["activity_id"], unique=False)

    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
        sa.Column("period_start", sa.DateTime(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=True),
        sa.Column("advice", sa.JSON(), nullable=False),
        sa.Column("alarm", sa.Boolean(), nullable=False),
        sa.Column("pain_level", sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_person_id"), ["person_id"], unique=False)

    op.create_table(
        "session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.CheckConstraint("status in ('in_progress', 'finished', 'stopped_for_pain', 'quit')"),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program_version.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_session_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_session_started_at"), ["started_at"], unique=False)

    op.create_table(
        "check_in",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("pain_before", sa.Integer(), nullable=True),
        sa.Column("pain_after", sa.Integer(), nullable=True),
        sa.Column("difficulty", sa.String(length=10), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("difficulty is null or difficulty in ('easy', 'right', 'hard')"),
        sa.CheckConstraint("pain_after is null or (pain_after between 0 and 10)"),
        sa.CheckConstraint("pain_before is null or (pain_before between 0 and 10)"),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["session.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id"),
    )
    op.create_table(
        "exercise_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("dose", sa.JSON(), nullable=False),
        sa.Column("pain_kind", sa.String(length=20), nullable=True),
        sa.Column("pain_score", sa.Integer(), nullable=True),
        sa.Column("pain_place", sa.String(length=20), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("status in ('done', 'skipped', 'stopped_for_pain')"),
        sa.CheckConstraint("pain_score is null or (pain_score between 0 and 10)"),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["session.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "exercise_id"),
    )
    with op.batch_alter_table("exercise_outcome", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exercise_outcome_session_id"), ["session_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("exercise_outcome", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exercise_outcome_session_id"))

    op.drop_table("exercise_outcome")
    op.drop_table("check_in")
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_started_at"))
        batch_op.drop_index(batch_op.f("ix_session_person_id"))

    op.drop_table("session")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_person_id"))

    op.drop_table("review")
    with op.batch_alter_table("psfs_rating", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_psfs_rating_activity_id"))

    op.drop_table("psfs_rating")
    with op.batch_alter_table("program_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_program_version_person_id"))

    op.drop_table("program_version")
    with op.batch_alter_table("screening", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screening_person_id"))

    op.drop_table("screening")
    with op.batch_alter_table("psfs_activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_psfs_activity_person_id"))

    op.drop_table("psfs_activity")
    with op.batch_alter_table("profile_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_version_person_id"))

    op.drop_table("profile_version")
    op.drop_table("person")
