"""cmi5 registrations and xAPI/cmi5 launch sessions.

Revision ID: 0004
Revises: 0003
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
        "lms_cmi5_registrations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("registration", sa.String(36), nullable=False, unique=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("lms_users.id"), nullable=False, index=True
        ),
        sa.Column(
            "course_id", sa.Integer(), sa.ForeignKey("lms_courses.id"), nullable=False, index=True
        ),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("user_id", "course_id", name="uq_lms_cmi5_registration"),
    )
    op.create_table(
        "lms_launch_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("session_id", sa.String(36), nullable=False, unique=True),
        sa.Column("format", sa.String(20), nullable=False),
        sa.Column("registration", sa.String(36), nullable=False, index=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("lms_users.id"), nullable=False, index=True
        ),
        sa.Column(
            "course_id", sa.Integer(), sa.ForeignKey("lms_courses.id"), nullable=False, index=True
        ),
        sa.Column(
            "attempt_id", sa.Integer(), sa.ForeignKey("lms_attempts.id"), nullable=False, index=True
        ),
        sa.Column("activity_id", sa.Text(), nullable=False),
        sa.Column("launch_mode", sa.String(10), nullable=False),
        sa.Column("fetch_hash", sa.String(64), nullable=True),
        sa.Column("fetched", sa.Boolean(), nullable=False),
        sa.Column("token_id", sa.String(40), nullable=True),
        sa.Column("launched", sa.DateTime(), nullable=False),
        sa.Column("ended", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(20), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("lms_launch_sessions")
    op.drop_table("lms_cmi5_registrations")
