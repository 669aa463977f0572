"""Link rows hold a number for their agent or activity (lrs_link_targets) instead of its text.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
CHUNK = 50_000


def upgrade() -> None:
    op.create_table(
        "lrs_link_targets",
        sa.Column("id", SEQ, primary_key=True, autoincrement=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("ref", sa.Text(), nullable=False),
    )
    _links_table("lrs_statement_links_new", sa.Column("target", SEQ, primary_key=True))
    bind = op.get_bind()
    refs = bind.execute(sa.text("SELECT DISTINCT ref FROM lrs_statement_links")).scalars().all()
    for start in range(0, len(refs), CHUNK):
        bind.execute(
            sa.text("INSERT INTO lrs_link_targets (digest, ref) VALUES (:digest, :ref)"),
            [
                {"digest": hashlib.sha256(ref.encode()).hexdigest(), "ref": ref}
                for ref in refs[start : start + CHUNK]
            ],
        )
    numbers = {
        ref: number for ref, number in bind.execute(sa.text("SELECT ref, id FROM lrs_link_targets"))
    }
    for chunk in _old_links(bind):
        bind.execute(
            sa.text(
                "INSERT INTO lrs_statement_links_new (target, seq, role) "
                "VALUES (:target, :seq, :role)"
            ),
            [{"target": numbers[ref], "seq": seq, "role": role} for ref, seq, role in chunk],
        )
    op.drop_table("lrs_statement_links")
    op.rename_table("lrs_statement_links_new", "lrs_statement_links")


def _old_links(bind: sa.Connection) -> Iterator[list[tuple[str, int, str]]]:
    """The old link rows in key order, a chunk at a time (keyset paging on the primary key)."""
    query = "SELECT ref, seq, role FROM lrs_statement_links {} ORDER BY ref, seq, role LIMIT :n"
    after = ""
    last: dict[str, object] = {}
    while True:
        rows = [
            (ref, seq, role)
            for ref, seq, role in bind.execute(sa.text(query.format(after)), {**last, "n": CHUNK})
        ]
        if not rows:
            return
        yield rows
        after = "WHERE (ref, seq, role) > (:ref, :seq, :role)"
        last = dict(zip(("ref", "seq", "role"), rows[-1], strict=True))


def _links_table(name: str, key: sa.Column) -> None:
    op.create_table(
        name,
        key,
        sa.Column("seq", SEQ, sa.ForeignKey("lrs_statements.seq"), primary_key=True),
        sa.Column("role", sa.String(16), primary_key=True),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    _links_table("lrs_statement_links_old", sa.Column("ref", sa.Text(), primary_key=True))
    op.execute(
        "INSERT INTO lrs_statement_links_old (ref, seq, role) "
        "SELECT t.ref, l.seq, l.role FROM lrs_statement_links l "
        "JOIN lrs_link_targets t ON t.id = l.target"
    )
    op.drop_table("lrs_statement_links")
    op.rename_table("lrs_statement_links_old", "lrs_statement_links")
    op.drop_table("lrs_link_targets")
