"""The three xAPI document resources (State, Activity Profile, Agent Profile): storage and rules.

One table holds all three kinds, since they differ only in which of activity, agent and
registration identify a document. Views parse HTTP; this module decides what a request may do and
raises a `DocumentError` carrying the HTTP status when it may not.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import (
    DateTime,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    delete,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from lms.db import WRITE, Base

DEFAULT_CONTENT_TYPE = "application/octet-stream"
JSON_TYPE = "application/json"
WRITE_ATTEMPTS = 3

T = TypeVar("T")


class DocumentKind(enum.StrEnum):
    STATE = "state"
    ACTIVITY_PROFILE = "activity_profile"
    AGENT_PROFILE = "agent_profile"


class Document(Base):
    """A stored document, found by digests of what identifies it.

    Activity IRIs, agents and document ids have no length limit in xAPI, but PostgreSQL cannot
    index a row of more than a few kilobytes; fixed-size SHA-256 digests index any of them. The
    plain columns keep the document readable and "" stands for an unused one.
    """

    __tablename__ = "lrs_documents"
    __table_args__ = (Index("ix_lrs_documents_context", "context_digest", "updated"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # sha256 of (kind, activity, agent, registration): the set a multiple-document GET lists.
    context_digest: Mapped[str] = mapped_column(String(64))
    # sha256 of the context digest and the document id: one document.
    identity_digest: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    activity_id: Mapped[str] = mapped_column(Text)
    agent_key: Mapped[str] = mapped_column(Text)
    registration: Mapped[str] = mapped_column(String(36))
    document_id: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(String(255))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    etag: Mapped[str] = mapped_column(String(40))
    updated: Mapped[datetime] = mapped_column(DateTime)


class DocumentError(Exception):
    status = 400


class BadDocumentRequest(DocumentError):
    status = 400


class DocumentNotFound(DocumentError):
    status = 404


class DocumentConflict(DocumentError):
    status = 409


class PreconditionFailed(DocumentError):
    status = 412


@dataclass(frozen=True)
class Context:
    """What a set of documents belongs to: an activity, an agent, a registration, or a mix."""

    kind: DocumentKind
    activity_id: str = ""
    agent_key: str = ""
    registration: str = ""

    @classmethod
    def state(cls, activity_id: str, agent_key: str, registration: str | None) -> Context:
        return cls(DocumentKind.STATE, activity_id, agent_key, (registration or "").lower())

    @classmethod
    def activity_profile(cls, activity_id: str) -> Context:
        return cls(DocumentKind.ACTIVITY_PROFILE, activity_id=activity_id)

    @classmethod
    def agent_profile(cls, agent_key: str) -> Context:
        return cls(DocumentKind.AGENT_PROFILE, agent_key=agent_key)

    @property
    def digest(self) -> str:
        parts = [self.kind.value, self.activity_id, self.agent_key, self.registration]
        return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()

    def identity(self, document_id: str) -> str:
        return hashlib.sha256(f"{self.digest}\n{document_id}".encode()).hexdigest()

    @property
    def concurrency_required(self) -> bool:
        """Profiles demand If-Match/If-None-Match on a PUT over an existing document; State not."""
        return self.kind is not DocumentKind.STATE


@dataclass(frozen=True)
class Preconditions:
    """The request's If-Match / If-None-Match, each a set of unquoted ETags or {"*"}, or None."""

    if_match: frozenset[str] | None = None
    if_none_match: frozenset[str] | None = None

    @classmethod
    def from_headers(cls, if_match: str | None, if_none_match: str | None) -> Preconditions:
        return cls(_etag_list(if_match), _etag_list(if_none_match))

    @property
    def given(self) -> bool:
        return self.if_match is not None or self.if_none_match is not None

    def check(self, current: Document | None) -> None:
        etag = current.etag if current is not None else None
        if self.if_match is not None and not (
            etag is not None and ("*" in self.if_match or etag in self.if_match)
        ):
            raise PreconditionFailed(
                "If-Match failed: the document "
                + ("does not exist" if etag is None else "has changed since you fetched it")
            )
        if (
            self.if_none_match is not None
            and etag is not None
            and ("*" in self.if_none_match or etag in self.if_none_match)
        ):
            raise PreconditionFailed("If-None-Match failed: the document already exists")


@dataclass(frozen=True)
class StoredDocument:
    """What a GET answers with, detached from the session."""

    content_type: str
    body: bytes
    etag: str
    updated: datetime


def _etag_list(header: str | None) -> frozenset[str] | None:
    if header is None:
        return None
    tags = set()
    for part in header.split(","):
        tag = part.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        tags.add(tag.strip('"'))
    return frozenset(tags)


def etag_of(body: bytes) -> str:
    """The spec's ETag: the lowercase hex SHA-1 of the stored contents (quoted only on the wire)."""
    return hashlib.sha1(body).hexdigest()


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def now() -> datetime:
    """UTC as a naive datetime, the form every `updated` value is stored in."""
    return datetime.now(UTC).replace(tzinfo=None)


def naive_utc(moment: datetime) -> datetime:
    """`moment` in the form `updated` values are stored in (naive UTC), to compare with them."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _find(session: Session, context: Context, document_id: str) -> Document | None:
    return session.scalars(
        select(Document).where(Document.identity_digest == context.identity(document_id))
    ).one_or_none()


def get(session: Session, context: Context, document_id: str) -> StoredDocument:
    document = _find(session, context, document_id)
    if document is None:
        raise DocumentNotFound(f"no document with id {document_id!r} here")
    return StoredDocument(document.content_type, document.body, document.etag, document.updated)


def list_ids(
    session: Session, context: Context, since: datetime | None = None
) -> tuple[list[str], datetime | None]:
    """The ids in a context changed after `since` (exclusive), and the newest change among them."""
    query = select(Document.document_id, Document.updated).where(
        Document.context_digest == context.digest
    )
    if since is not None:
        query = query.where(Document.updated > naive_utc(since))
    rows = session.execute(query.order_by(Document.document_id)).all()
    newest = max((row.updated for row in rows), default=None)
    return [row.document_id for row in rows], newest


def _checked(
    session: Session, context: Context, document_id: str, preconditions: Preconditions
) -> Document | None:
    """The current document, once the request's If-Match / If-None-Match allow changing it."""
    current = _find(session, context, document_id)
    preconditions.check(current)
    return current


def put(
    session: Session,
    context: Context,
    document_id: str,
    body: bytes,
    content_type: str | None,
    preconditions: Preconditions,
) -> str:
    """Store `body` in place of whatever was there; returns the new ETag."""
    content_type = content_type or DEFAULT_CONTENT_TYPE
    _check_json_parses(body, content_type)

    def attempt() -> str:
        current = _checked(session, context, document_id, preconditions)
        if current is not None and context.concurrency_required and not preconditions.given:
            raise DocumentConflict(
                "this document already exists: fetch it to check its current state, then PUT "
                "again with an If-Match header holding its ETag (or If-None-Match: * to create "
                "only when absent)"
            )
        return _write(session, context, document_id, current, body, content_type)

    return _with_retries(session, attempt)


def post(
    session: Session,
    context: Context,
    document_id: str,
    body: bytes,
    content_type: str | None,
    preconditions: Preconditions,
) -> str:
    """Create the document, or merge a JSON object into an existing JSON object document."""
    content_type = content_type or DEFAULT_CONTENT_TYPE
    posted = _check_json_parses(body, content_type)

    def attempt() -> str:
        current = _checked(session, context, document_id, preconditions)
        if current is None:
            return _write(session, context, document_id, None, body, content_type)
        merged = _merge(current, posted, content_type)
        encoded = json.dumps(merged, ensure_ascii=False, separators=(",", ":")).encode()
        return _write(session, context, document_id, current, encoded, current.content_type)

    return _with_retries(session, attempt)


def delete_one(
    session: Session, context: Context, document_id: str, preconditions: Preconditions
) -> None:
    """Delete one document; deleting what is not there succeeds, as DELETE is idempotent."""

    def attempt() -> None:
        current = _checked(session, context, document_id, preconditions)
        if current is None:
            return
        removed = session.execute(
            delete(Document).where(Document.id == current.id, Document.etag == current.etag)
        )
        if removed.rowcount == 0:  # type: ignore[attr-defined]
            raise _Raced()

    _with_retries(session, attempt)


def delete_all(session: Session, context: Context) -> int:
    """Delete every document of a context (the State resource's multiple-document DELETE)."""
    removed = session.execute(delete(Document).where(Document.context_digest == context.digest))
    session.commit()
    return removed.rowcount  # type: ignore[attr-defined, no-any-return]


class _Raced(Exception):
    """Another request changed the document between our read and our write."""


def _with_retries(session: Session, attempt: Callable[[], T]) -> T:
    """Run read-check-write until no other writer slipped in between; commit the winner.

    A retry begins a fresh transaction, which on SQLite must take the write lock again up front.
    """
    for number in range(WRITE_ATTEMPTS):
        if number:
            session.connection(execution_options=WRITE)
        try:
            result = attempt()
            session.commit()
            return result
        except (_Raced, IntegrityError):
            session.rollback()
        except Exception:
            session.rollback()
            raise
    raise DocumentConflict("the document kept changing while this request ran; try again")


def _write(
    session: Session,
    context: Context,
    document_id: str,
    current: Document | None,
    body: bytes,
    content_type: str,
) -> str:
    etag = etag_of(body)
    values = {"body": body, "content_type": content_type, "etag": etag, "updated": now()}
    if current is None:
        session.add(
            Document(
                context_digest=context.digest,
                identity_digest=context.identity(document_id),
                kind=context.kind.value,
                activity_id=context.activity_id,
                agent_key=context.agent_key,
                registration=context.registration,
                document_id=document_id,
                **values,
            )
        )
        session.flush()
        return etag
    changed = session.execute(
        update(Document)
        .where(Document.id == current.id, Document.etag == current.etag)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount == 0:  # type: ignore[attr-defined]
        raise _Raced()
    session.expire(current)
    return etag


def _check_json_parses(body: bytes, content_type: str) -> Any:
    """Parse a body sent as application/json; a client that says JSON must send JSON."""
    if media_type(content_type) != JSON_TYPE:
        return None
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise BadDocumentRequest(
            f"the body is sent as {JSON_TYPE} but is not JSON: {error}"
        ) from error


def _merge(current: Document, posted: Any, content_type: str) -> dict[str, Any]:
    """The spec's merge: the posted object's top-level properties replace the stored ones."""
    if media_type(content_type) != JSON_TYPE or media_type(current.content_type) != JSON_TYPE:
        raise BadDocumentRequest(
            "POST merges JSON into an existing document, so both must be application/json "
            f"(posted: {content_type}, stored: {current.content_type}); use PUT to replace it"
        )
    try:
        stored = json.loads(current.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        stored = None
    if not isinstance(stored, dict) or not isinstance(posted, dict):
        raise BadDocumentRequest(
            "POST merges JSON objects, but the "
            + ("posted" if not isinstance(posted, dict) else "stored")
            + " document is not a JSON object; use PUT to replace it"
        )
    return {**stored, **posted}
