"""LRS statements, their links, attachments, credentials and launch tokens.

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

SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "lrs_statements",
        sa.Column("seq", SEQ, primary_key=True, autoincrement=True),
        sa.Column("statement_id", sa.String(36), nullable=False, unique=True),
        sa.Column("stored_us", sa.BigInteger(), nullable=False),
        sa.Column("verb_id", sa.Text(), nullable=False),
        sa.Column("registration", sa.String(36), nullable=True),
        sa.Column("authority_key", sa.Text(), nullable=False),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("voids", sa.String(36), nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
    )
    op.create_index("ix_lrs_statements_stored_us", "lrs_statements", ["stored_us"])
    op.create_index("ix_lrs_statements_verb", "lrs_statements", ["verb_id", "seq"])
    op.create_index("ix_lrs_statements_registration", "lrs_statements", ["registration", "seq"])
    op.create_index("ix_lrs_statements_authority", "lrs_statements", ["authority_key", "seq"])
    op.create_index(
        "ix_lrs_statements_voided",
        "lrs_statements",
        ["voided"],
        sqlite_where=sa.text("voided"),
        postgresql_where=sa.text("voided"),
    )
    op.create_index(
        "ix_lrs_statements_voids",
        "lrs_statements",
        ["voids"],
        sqlite_where=sa.text("voids IS NOT NULL"),
        postgresql_where=sa.text("voids IS NOT NULL"),
    )
    op.create_table(
        "lrs_statement_links",
        sa.Column("ref", sa.Text(), primary_key=True),
        sa.Column("seq", SEQ, sa.ForeignKey("lrs_statements.seq"), primary_key=True),
        sa.Column("role", sa.String(16), primary_key=True),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "lrs_attachments",
        sa.Column("sha2", sa.String(128), primary_key=True),
        sa.Column("content_type", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "lrs_credentials",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("secret_hash", sa.String(128), nullable=False),
        sa.Column("scopes", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "lrs_launch_tokens",
        sa.Column("token", sa.String(64), primary_key=True),
        sa.Column("secret_hash", sa.String(128), nullable=False),
        sa.Column("agent", sa.Text(), nullable=False),
        sa.Column("registration", sa.String(36), nullable=True),
        sa.Column("activity_id", sa.Text(), nullable=True),
        sa.Column("scopes", sa.Text(), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_lrs_launch_tokens_expires", "lrs_launch_tokens", ["expires"])


def downgrade() -> None:
    op.drop_table("lrs_launch_tokens")
    op.drop_table("lrs_credentials")
    op.drop_table("lrs_attachments")
    op.drop_table("lrs_statement_links")
    op.drop_table("lrs_statements")
