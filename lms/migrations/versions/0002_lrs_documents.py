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
        sa.Column("context_digest", sa.String(64), nullable=False),
        sa.Column("identity_digest", sa.String(64), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("activity_id", sa.Text(), nullable=False),
        sa.Column("agent_key", sa.Text(), nullable=False),
        sa.Column("registration", sa.String(36), nullable=False),
        sa.Column("document_id", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(255), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("etag", sa.String(40), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_lrs_documents_context", "lrs_documents", ["context_digest", "updated"])
    op.create_table(
        "lrs_activities",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("lrs_activities")
    op.drop_table("lrs_documents")
