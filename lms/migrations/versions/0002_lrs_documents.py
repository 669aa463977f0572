"""LRS documents (State, Activity Profile, Agent Profile) and canonical activity definitions.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lrs_documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("activity_id", sa.Text(), nullable=False),
        sa.Column("agent_key", sa.Text(), nullable=False),
        sa.Column("registration", sa.String(36), nullable=False),
        sa.Column("document_id", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(255), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("etag", sa.String(40), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.UniqueConstraint(
            "kind",
            "activity_id",
            "agent_key",
            "registration",
            "document_id",
            name="uq_lrs_documents_identity",
        ),
    )
    op.create_table(
        "lrs_activities",
        sa.Column("id", sa.Text(), primary_key=True),
        sa.Column("definition", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("lrs_activities")
    op.drop_table("lrs_documents")
