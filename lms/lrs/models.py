"""LRS tables shaped by the queries they answer: statements, their links, attachments, credentials.

Statements are keyed by `seq`, an integer the database hands out in insertion order, so "newest
first", `since`/`until` paging and the `more` cursor are all key ranges on one index. The link
table holds one row per (statement, agent or activity, role) so that `agent`, `activity` and the
`related_*` queries are index lookups instead of JSON scans.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base

# SQLite only aliases the rowid (fast, autoincrementing) for a column typed exactly INTEGER.
SEQ = BigInteger().with_variant(Integer(), "sqlite")


class Statement(Base):
    __tablename__ = "lrs_statements"

    seq: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=True)
    statement_id: Mapped[str] = mapped_column(String(36), unique=True)
    # Microseconds since the epoch, UTC: compares the same way on every database.
    stored_us: Mapped[int] = mapped_column(BigInteger, index=True)
    verb_id: Mapped[str] = mapped_column(Text)
    registration: Mapped[str | None] = mapped_column(String(36))
    authority_key: Mapped[str] = mapped_column(Text)
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    # The id of the statement this one voids, when its verb is "voided".
    voids: Mapped[str | None] = mapped_column(String(36))
    # The statement as stored (exact format), JSON text.
    statement: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        Index("ix_lrs_statements_verb", "verb_id", "seq"),
        Index("ix_lrs_statements_registration", "registration", "seq"),
        Index("ix_lrs_statements_authority", "authority_key", "seq"),
        Index(
            "ix_lrs_statements_voided",
            "voided",
            sqlite_where=text("voided"),
            postgresql_where=text("voided"),
        ),
        Index(
            "ix_lrs_statements_voids",
            "voids",
            sqlite_where=text("voids IS NOT NULL"),
            postgresql_where=text("voids IS NOT NULL"),
        ),
    )


class LinkTarget(Base):
    """An agent or activity that statements link to, numbered once (see lms.lrs.link_targets)."""

    __tablename__ = "lrs_link_targets"

    id: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=True)
    # sha256 of `ref`: IRIs have no length limit, PostgreSQL index rows have.
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    # "activity:<iri>" or an agent's key from lms.lrs.documents_agents.agent_key.
    ref: Mapped[str] = mapped_column(Text)


class StatementLink(Base):
    """One agent or activity a statement mentions, and in which role."""

    __tablename__ = "lrs_statement_links"

    # The key's column order is the lookup order: every row for one agent or activity, by seq.
    # No foreign key to lrs_link_targets: the LRS writes both in one transaction, and a check
    # would cost a probe for each of the five or so rows of every statement.
    target: Mapped[int] = mapped_column(SEQ, primary_key=True)
    seq: Mapped[int] = mapped_column(SEQ, ForeignKey("lrs_statements.seq"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)

    __table_args__ = ({"sqlite_with_rowid": False},)


class Attachment(Base):
    """Attachment content, shared by every statement that names the same SHA-2."""

    __tablename__ = "lrs_attachments"

    sha2: Mapped[str] = mapped_column(String(128), primary_key=True)
    content_type: Mapped[str] = mapped_column(Text)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Credential(Base):
    """An administrator-made key/secret pair; the secret is kept only as a hash."""

    __tablename__ = "lrs_credentials"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(128))
    scopes: Mapped[str] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LaunchToken(Base):
    """A short-lived credential the LMS issues for one learner, registration and activity."""

    __tablename__ = "lrs_launch_tokens"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(128))
    agent: Mapped[str] = mapped_column(Text)
    registration: Mapped[str | None] = mapped_column(String(36))
    activity_id: Mapped[str | None] = mapped_column(Text)
    scopes: Mapped[str] = mapped_column(Text)
    expires: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
