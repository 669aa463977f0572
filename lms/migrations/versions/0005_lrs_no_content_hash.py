"""Statements no longer carry a content hash: a repeated id is compared with the stored statement.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Not a batch (copy-and-swap) migration: on SQLite, dropping the old table would check every
    # link row against it. SQLite has dropped columns in place since 3.35.
    op.drop_column("lrs_statements", "content_hash")


def downgrade() -> None:
    # The hashes are not recomputed: a repeat compares with the stored statement either way.
    op.add_column(
        "lrs_statements",
        sa.Column("content_hash", sa.String(64), nullable=False, server_default=""),
    )
