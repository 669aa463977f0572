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
    with op.batch_alter_table("lrs_statements") as batch:
        batch.drop_column("content_hash")


def downgrade() -> None:
    # The hashes are not recomputed: a repeat compares with the stored statement either way.
    with op.batch_alter_table("lrs_statements") as batch:
        batch.add_column(
            sa.Column("content_hash", sa.String(64), nullable=False, server_default="")
        )
