"""Canonical activity definitions, merged from every statement that defines an activity.

The Activities resource answers with "all available information about an activity"; keeping the
merged definition in its own small table makes that one primary-key read instead of a scan of the
statements. The statements service calls `record_activity_definitions` when it stores statements.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import JSON, String, Text, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from lms.db import Base

LANGUAGE_MAPS = ("name", "description")
CONTEXT_ACTIVITY_ROLES = ("parent", "grouping", "category", "other")


class ActivityDefinition(Base):
    """Keyed by a digest of the IRI: IRIs have no length limit, PostgreSQL index rows have."""

    __tablename__ = "lrs_activities"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(Text)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)


def activity_digest(activity_id: str) -> str:
    return hashlib.sha256(activity_id.encode()).hexdigest()


def activity_object(session: Session, activity_id: str) -> dict[str, Any]:
    """The Activity for `activity_id`: its merged definition when known, else just its id."""
    activity: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    definition = session.scalar(
        select(ActivityDefinition.definition).where(
            ActivityDefinition.digest == activity_digest(activity_id)
        )
    )
    if definition:
        activity["definition"] = definition
    return activity


def activity_definitions(session: Session, activity_ids: Iterable[str]) -> dict[str, dict]:
    """Merged definitions by id, for callers that render many activities (canonical format)."""
    digests = sorted({activity_digest(activity_id) for activity_id in activity_ids})
    if not digests:
        return {}
    rows = session.execute(
        select(ActivityDefinition.id, ActivityDefinition.definition).where(
            ActivityDefinition.digest.in_(digests)
        )
    )
    return {row.id: row.definition for row in rows}


def record_activity_definitions(session: Session, statements: Iterable[dict[str, Any]]) -> None:
    """Merge the definitions carried by `statements` (in order) into the canonical ones.

    Runs inside the caller's transaction and does not commit. Activities without a definition
    cost nothing: they need no row, as the Activities resource answers with the bare id.
    """
    incoming: dict[str, dict[str, Any]] = {}
    for activity in _activities(statements):
        definition = activity.get("definition")
        if isinstance(definition, dict) and definition:
            previous = incoming.get(activity["id"], {})
            incoming[activity["id"]] = merge_definitions(previous, definition)
    if not incoming:
        return
    digests = {activity_digest(activity_id): activity_id for activity_id in incoming}
    _insert_missing(session, digests)
    rows = session.scalars(
        select(ActivityDefinition)
        .where(ActivityDefinition.digest.in_(sorted(digests)))
        .order_by(ActivityDefinition.digest)
        .with_for_update()
    )
    for row in rows:
        merged = merge_definitions(row.definition or {}, incoming[row.id])
        if merged != row.definition:
            row.definition = merged
    session.flush()


def merge_definitions(stored: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Later statements win, but language maps and extensions grow rather than get replaced.

    A course sends its name in one language per statement (the learner's); merging the maps lets
    the Activities resource show every language the course has been taken in.
    """
    merged = dict(stored)
    for key, value in new.items():
        if key in (*LANGUAGE_MAPS, "extensions") and isinstance(value, dict):
            previous = merged.get(key)
            merged[key] = {**(previous if isinstance(previous, dict) else {}), **value}
        else:
            merged[key] = value
    return merged


def _insert_missing(session: Session, digests: dict[str, str]) -> None:
    """Create empty rows so concurrent writers meet on the same row instead of a duplicate key."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(ActivityDefinition).on_conflict_do_nothing(index_elements=["digest"])
    rows = [
        {"digest": digest, "id": activity_id, "definition": {}}
        for digest, activity_id in sorted(digests.items())
    ]
    session.execute(statement, rows)


def _activities(statements: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for statement in statements:
        yield from _statement_activities(statement)


def _statement_activities(statement: dict[str, Any]) -> Iterator[dict[str, Any]]:
    target = statement.get("object")
    if isinstance(target, dict):
        kind = target.get("objectType", "Activity")
        if kind == "Activity" and isinstance(target.get("id"), str):
            yield target
        elif kind == "SubStatement":
            yield from _statement_activities(target)
    context = statement.get("context")
    if not isinstance(context, dict):
        return
    context_activities = context.get("contextActivities")
    if not isinstance(context_activities, dict):
        return
    for role in CONTEXT_ACTIVITY_ROLES:
        members = context_activities.get(role)
        if isinstance(members, dict):
            members = [members]
        for member in members or ():
            if isinstance(member, dict) and isinstance(member.get("id"), str):
                yield member
