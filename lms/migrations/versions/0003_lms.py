"""LMS tables: users, password resets, courses, packages, SCOs, enrolments, attempts.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lms_users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("public_id", sa.String(36), nullable=False, unique=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("preferred_language", sa.String(35), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("organisation", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "lms_password_resets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("lms_users.id"), nullable=False, index=True
        ),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("expires", sa.DateTime(), nullable=False),
        sa.Column("used", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "lms_courses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("iri", sa.Text(), nullable=False, unique=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "lms_packages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "course_id", sa.Integer(), sa.ForeignKey("lms_courses.id"), nullable=False, index=True
        ),
        sa.Column("format", sa.String(20), nullable=False),
        sa.Column("language", sa.String(35), nullable=False),
        sa.Column("version", sa.String(100), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("folder", sa.String(100), nullable=False),
        sa.Column("imported", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "lms_scos",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "package_id", sa.Integer(), sa.ForeignKey("lms_packages.id"), nullable=False, index=True
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("href", sa.Text(), nullable=False),
        sa.Column("activity_iri", sa.Text(), nullable=False),
        sa.Column("is_sco", sa.Boolean(), nullable=False),
        sa.Column("mastery_score", sa.Float(), nullable=True),
        sa.Column("launch_data", sa.Text(), nullable=False),
        sa.Column("max_time_allowed", sa.String(50), nullable=False),
        sa.Column("time_limit_action", sa.String(50), nullable=False),
        sa.Column("completion_threshold", sa.Float(), nullable=True),
    )
    op.create_table(
        "lms_enrolments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("lms_users.id"), nullable=False, index=True
        ),
        sa.Column(
            "course_id", sa.Integer(), sa.ForeignKey("lms_courses.id"), nullable=False, index=True
        ),
        sa.Column("language", sa.String(35), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("last_access", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("user_id", "course_id", name="uq_lms_enrolment"),
    )
    op.create_table(
        "lms_attempts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("registration", sa.String(36), nullable=False, unique=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("lms_users.id"), nullable=False, index=True
        ),
        sa.Column(
            "course_id", sa.Integer(), sa.ForeignKey("lms_courses.id"), nullable=False, index=True
        ),
        sa.Column("activity_iri", sa.Text(), nullable=False),
        sa.Column("package_id", sa.Integer(), sa.ForeignKey("lms_packages.id"), nullable=False),
        sa.Column("sco_id", sa.Integer(), sa.ForeignKey("lms_scos.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("completion", sa.String(20), nullable=False),
        sa.Column("success", sa.String(20), nullable=False),
        sa.Column("score_scaled", sa.Float(), nullable=True),
        sa.Column("progress", sa.Float(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("suspended", sa.Boolean(), nullable=False),
        sa.Column("initialized", sa.Boolean(), nullable=False),
        sa.Column("finished", sa.Boolean(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "lms_attempts",
        "lms_enrolments",
        "lms_scos",
        "lms_packages",
        "lms_courses",
        "lms_password_resets",
        "lms_users",
    ):
        op.drop_table(table)
