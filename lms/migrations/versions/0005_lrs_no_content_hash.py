"""Statements no longer carry a content hash: a repeated id is compared with the stored statement.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CHUNK = 10_000


def upgrade() -> None:
    # Not a batch (copy-and-swap) migration: on SQLite, dropping the old table would check every
    # link row against it. SQLite has dropped columns in place since 3.35.
    op.drop_column("lrs_statements", "content_hash")


def downgrade() -> None:
    op.add_column(
        "lrs_statements",
        sa.Column("content_hash", sa.String(64), nullable=False, server_default=""),
    )
    # The code before 0005 compares a repeated id's hash with this column: each statement gets
    # back the hash that code gave it, or every retry of a stored statement would be a 409.
    bind = op.get_bind()
    after = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT seq, statement FROM lrs_statements WHERE seq > :after ORDER BY seq LIMIT :n"
            ),
            {"after": after, "n": CHUNK},
        ).all()
        if not rows:
            return
        bind.execute(
            sa.text("UPDATE lrs_statements SET content_hash = :hash WHERE seq = :seq"),
            [{"seq": seq, "hash": _content_hash(json.loads(text))} for seq, text in rows],
        )
        after = rows[-1][0]


# The content hash as revision 0004's code computed it, of the statement as received (the
# timestamp the LRS filled in, equal to `stored`, left out), frozen here.


def _content_hash(stored: dict[str, Any]) -> str:
    received = dict(stored)
    if received.get("timestamp") == received.get("stored"):
        del received["timestamp"]
    text = json.dumps(_comparable(received), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _comparable(statement: dict[str, Any]) -> dict[str, Any]:
    from lms.lrs.validation import parse_timestamp

    result = {
        key: value
        for key, value in statement.items()
        if key not in ("id", "stored", "authority", "version")
    }
    if isinstance(result.get("timestamp"), str):
        moment = parse_timestamp(result["timestamp"])
        result["timestamp"] = int(moment.timestamp()) * 1_000_000 + moment.microsecond
    for key in ("actor", "object"):
        if isinstance(result.get(key), dict):
            result[key] = _comparable_object(result[key])
    context = result.get("context")
    if isinstance(context, dict):
        context = dict(context)
        if isinstance(context.get("registration"), str):
            context["registration"] = context["registration"].lower()
        for key in ("instructor", "team"):
            if isinstance(context.get(key), dict):
                context[key] = _comparable_object(context[key])
        if isinstance(context.get("statement"), dict):
            context["statement"] = _comparable_object(context["statement"])
        result["context"] = context
    return result


def _comparable_object(obj: dict[str, Any]) -> dict[str, Any]:
    obj = dict(obj)
    if obj.get("objectType") == "StatementRef" and isinstance(obj.get("id"), str):
        obj["id"] = obj["id"].lower()
    if obj.get("objectType") == "SubStatement":
        return _comparable(obj)
    if isinstance(obj.get("member"), list):
        obj["member"] = sorted(obj["member"], key=lambda m: json.dumps(m, sort_keys=True))
    return obj
