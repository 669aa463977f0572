"""Storing statements: the properties the LRS sets, immutability, voiding, and the link rows.

`store_statements` is the one write path, used by the HTTP views and in-process by the LMS. It
validates, then writes a whole batch in one transaction with a handful of multi-row statements,
so a batch of 100 costs about as much as a single statement.
"""

from __future__ import annotations

import json
import secrets
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import Connection, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms import db
from lms.lrs import link_targets
from lms.lrs.documents_activities import record_activity_definitions
from lms.lrs.documents_agents import AgentKeyError, agent_key
from lms.lrs.models import Attachment, Statement, StatementLink
from lms.lrs.validation import InvalidStatement, parse_timestamp, validate_statements

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
STATEMENTS = Statement.__table__
LINKS = StatementLink.__table__
ATTACHMENTS = Attachment.__table__

# Link roles. `agent` without related_agents matches actor/object only; with it, every agent role.
AGENT_DIRECT = ("actor", "object")
AGENT_RELATED = ("actor", "object", "authority", "context", "sub")
ACTIVITY_DIRECT = ("object",)
ACTIVITY_RELATED = ("object", "parent", "grouping", "category", "other", "sub")


# The hot path's lookups are plain driver SQL: compiling an expanding IN costs more than running it.
_KNOWN = "SELECT statement_id, statement FROM lrs_statements WHERE statement_id IN ({})"
_VOIDED_BEFORE_ARRIVAL = "SELECT voids FROM lrs_statements WHERE voids IN ({})"
_SQLITE_LAST_SEQ = text("SELECT coalesce(max(seq), 0) FROM lrs_statements")
_POSTGRES_NEXT_SEQS = text(
    "SELECT nextval(pg_get_serial_sequence('lrs_statements', 'seq')) FROM generate_series(1, :n)"
)

# Each app (so each worker process and database) remembers, per activity id, the definition it
# merged last into the canonical one. A statement carrying that same definition again changes
# nothing and skips the merge, the costliest part of a store. Another process merging a different
# definition for the same id in between is the one case where a repeated definition is not
# re-applied; the next new definition wins again. (Compared as dicts: a definition differing only
# by `true` for `1` in an extension counts as the same.)
_RECORDED_KEY = "mafunzo.lrs.recorded_definitions"
_RECORDED_LIMIT = 100_000
Definitions = dict[str, dict[str, Any]]


def _recorded_definitions() -> Definitions:
    return current_app.extensions.setdefault(_RECORDED_KEY, {})


class StatementConflict(Exception):
    """A statement id already stored with different content (409)."""


class StatementRefused(Exception):
    """A valid statement the LRS still cannot accept, e.g. voiding a voiding statement (400)."""


class NotPermitted(Exception):
    """The caller's credential may not write this statement (403)."""


def now_stored() -> tuple[str, int]:
    """The `stored` value and its microseconds, at millisecond precision so that `since` with a
    value a client read back from `stored` excludes exactly that statement."""
    moment = datetime.now(UTC)
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    return format_time(moment), to_us(moment)


def format_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def to_us(moment: datetime) -> int:
    return int(moment.timestamp()) * 1_000_000 + moment.microsecond


def from_us(value: int) -> datetime:
    return datetime.fromtimestamp(value // 1_000_000, UTC).replace(microsecond=value % 1_000_000)


def time_ordered_uuid() -> str:
    """A random (version 4) UUID whose first 48 bits are the milliseconds of its making. Ids the
    LRS assigns then arrive in order and extend the statement id index at its end, instead of
    dirtying a random page of it for every statement. Not version 7, whose layout this is: xAPI
    clients check the version (the tincan library accepts 1 to 5 only)."""
    value = (time.time_ns() // 1_000_000) << 80 | 0x4 << 76 | secrets.randbits(12) << 64
    value |= 0b10 << 62 | secrets.randbits(62)
    return str(uuid.UUID(int=value))


def ref_of_agent(agent: dict[str, Any]) -> str | None:
    try:
        return agent_key(agent)
    except AgentKeyError:
        return None


def ref_of_activity(activity_id: str) -> str:
    return "activity:" + activity_id


def same_statement(one: dict[str, Any], other: dict[str, Any]) -> bool:
    """Whether the spec calls two statements the same: LRS-set properties, UUID case, member
    order, the written form of a timestamp, activity definitions and a verb's display do not
    count (xAPI's exceptions to statement immutability)."""
    return _comparison_text(one) == _comparison_text(other)


def _comparison_text(statement: dict[str, Any]) -> str:
    # JSON text rather than dict equality, where True == 1 and 1 == 1.0 would pass for the same.
    return json.dumps(_comparable(statement), sort_keys=True, separators=(",", ":"))


def as_received(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored statement without what the LRS added, for comparing a retry with it: a timestamp
    equal to `stored` is the one the LRS filled in."""
    received = dict(stored)
    if received.get("timestamp") == received.get("stored"):
        del received["timestamp"]
    return received


def _comparable(statement: dict[str, Any]) -> dict[str, Any]:
    result = {
        key: value
        for key, value in statement.items()
        if key not in ("id", "stored", "authority", "version")
    }
    if isinstance(result.get("timestamp"), str):
        result["timestamp"] = to_us(parse_timestamp(result["timestamp"]))
    if isinstance(result.get("verb"), dict):
        result["verb"] = {key: value for key, value in result["verb"].items() if key != "display"}
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
        if isinstance(context.get("contextActivities"), dict):
            context["contextActivities"] = {
                kind: [_without_definition(a) for a in activities]
                if isinstance(activities, list)
                else _without_definition(activities)
                for kind, activities in context["contextActivities"].items()
            }
        result["context"] = context
    return result


def _comparable_object(obj: dict[str, Any]) -> dict[str, Any]:
    obj = dict(obj)
    if obj.get("objectType") == "StatementRef" and isinstance(obj.get("id"), str):
        obj["id"] = obj["id"].lower()
    if obj.get("objectType") == "SubStatement":
        return _comparable(obj)
    if obj.get("objectType", "Activity") == "Activity":
        obj.pop("definition", None)
    if isinstance(obj.get("member"), list):
        obj["member"] = sorted(obj["member"], key=lambda m: json.dumps(m, sort_keys=True))
    return obj


def _without_definition(activity: Any) -> Any:
    if not isinstance(activity, dict):
        return activity
    return {key: value for key, value in activity.items() if key != "definition"}


@dataclass
class _Row:
    received: dict[str, Any]
    statement: dict[str, Any]
    statement_id: str
    client_id: bool
    text: str  # the statement as stored, serialised before the write lock is taken
    links: list[tuple[str, str]] = field(default_factory=list)
    definitions: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    voids: str | None = None


def store_statements(
    statements: list[dict[str, Any]],
    authority: dict[str, Any],
    *,
    version: str = "1.0.3",
    attachments: dict[str, tuple[str, bytes]] | None = None,
    validated: bool = False,
    define: bool = True,
    session: Session | None = None,
) -> list[str]:
    """Store a batch all or nothing and return the statement ids in order.

    A statement whose id is stored already with the same content is accepted again unchanged (a
    retry); with different content the whole batch fails with StatementConflict. `attachments`
    maps SHA-2 to (content type, bytes) for the parts that came with the request. Without
    `define` (the scope of that name) the activity definitions do not change the LRS's canonical
    ones.

    With `session`, the statements join that session's transaction and the caller commits, so
    the LMS can store statements and its own rows atomically. On SQLite, begin it with
    `db.write_session()` inside `db.write_lock()`, as this function does for itself.
    """
    if not validated:
        statements = validate_statements(statements, version)
    stored, stored_us = now_stored()
    authority_ref = ref_of_agent(authority) or json.dumps(authority, sort_keys=True)
    authority_links = list(_agent_links(authority, "authority"))
    rows = [
        _prepare(statement, authority, authority_links, stored, version) for statement in statements
    ]
    ids = [row.statement_id for row in rows]
    if session is not None:
        # The caller's transaction may still roll back: merge every definition, and remember
        # neither definitions nor newly numbered link targets.
        _write(session.connection(), rows, authority_ref, stored_us, attachments or {}, define, {})
        return ids
    for attempt in range(2):
        try:
            # A connection of its own (not the request's session): the batch commits on its own,
            # and on SQLite the transaction takes the write lock as it begins.
            with db.write_lock(), db.engine().connect().execution_options(**db.WRITE) as connection:
                with connection.begin():
                    definitions, targets = _write(
                        connection,
                        rows,
                        authority_ref,
                        stored_us,
                        attachments or {},
                        define,
                        _recorded_definitions(),
                    )
                _remember_definitions(definitions)
                link_targets.remember(targets)
                return ids
        except IntegrityError:
            # Another request stored one of these ids between our check and our insert: check again.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _prepare(
    received: dict[str, Any],
    authority: dict[str, Any],
    authority_links: list[tuple[str, str]],
    stored: str,
    version: str,
) -> _Row:
    statement = dict(received)
    client_id = "id" in statement
    statement_id = statement["id"].lower() if client_id else time_ordered_uuid()
    statement["id"] = statement_id
    statement.setdefault("timestamp", stored)
    statement["stored"] = stored
    statement["authority"] = authority
    statement.setdefault("version", "2.0.0" if version.startswith("2.") else "1.0.0")
    text = json.dumps(statement, ensure_ascii=False, separators=(",", ":"))
    if "\\u0000" in text and _holds_nul(statement):
        # PostgreSQL text cannot hold U+0000; refusing it everywhere keeps both databases alike.
        raise InvalidStatement("", "a string holds the character U+0000, which cannot be stored")
    row = _Row(received, statement, statement_id, client_id, text)
    row.links = list(dict.fromkeys(_links(statement, authority_links)))
    row.definitions = list(_definitions(statement))
    if statement["verb"]["id"] == VOIDED:
        target = statement["object"]
        if not isinstance(target, dict) or target.get("objectType") != "StatementRef":
            raise InvalidStatement("object", "a voiding statement's object must be a StatementRef")
        row.voids = target["id"].lower()
    return row


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def _links(
    statement: dict[str, Any], authority_links: Iterable[tuple[str, str]] = ()
) -> Iterator[tuple[str, str]]:
    yield from _agent_links(statement.get("actor"), "actor")
    yield from authority_links
    obj = statement.get("object") or {}
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        yield ref_of_activity(obj["id"]), "object"
    elif kind in ("Agent", "Group"):
        yield from _agent_links(obj, "object")
    elif kind == "SubStatement":
        for ref, _role in _links(obj):
            yield ref, "sub"
    context = statement.get("context") or {}
    for key in ("instructor", "team"):
        yield from _agent_links(context.get(key), "context")
    for entry in context.get("contextAgents") or ():
        yield from _agent_links(entry.get("agent"), "context")
    for entry in context.get("contextGroups") or ():
        yield from _agent_links(entry.get("group"), "context")
    for role, activities in (context.get("contextActivities") or {}).items():
        for activity in activities if isinstance(activities, list) else [activities]:
            yield ref_of_activity(activity["id"]), role


def _agent_links(agent: Any, role: str) -> Iterator[tuple[str, str]]:
    if not isinstance(agent, dict):
        return
    ref = ref_of_agent(agent)
    if ref:
        yield ref, role
    for member in agent.get("member") or ():
        yield from _agent_links(member, role)


def _write(
    connection: Connection,
    rows: list[_Row],
    authority_ref: str,
    stored_us: int,
    attachments: dict[str, tuple[str, bytes]],
    define: bool,
    merged_before: Definitions,
) -> tuple[Definitions, dict[str, int]]:
    """Insert what is new. Returns what to remember once the transaction commits: the activity
    definitions merged and the link targets numbered."""
    fresh = _drop_retries(connection, rows)
    voiding_targets = _check_voiding(connection, fresh)
    voided_on_arrival = _already_voided(
        connection, [row.statement_id for row in fresh if row.client_id]
    )
    inherited = _statement_ref_links(connection, fresh)
    by_id = {row.statement_id: row for row in fresh}
    new_targets: dict[str, int] = {}
    if fresh:
        seqs = _allocate_seqs(connection, len(fresh))
        # Driver-level executemany: the rows are plain tuples, with no per-row work in SQLAlchemy.
        connection.exec_driver_sql(
            _insert_sql(connection, STATEMENTS.name, _STATEMENT_COLUMNS),
            [
                (
                    seq,
                    row.statement_id,
                    stored_us,
                    row.statement["verb"]["id"],
                    _registration(row.statement),
                    authority_ref,
                    row.statement_id in voided_on_arrival,
                    row.voids,
                    row.text,
                )
                for seq, row in zip(seqs, fresh, strict=True)
            ],
        )
        numbers, new_targets = link_targets.numbers_for_writing(
            connection, {ref for row in fresh for ref, _ in row.links}
        )
        connection.exec_driver_sql(
            _insert_sql(connection, LINKS.name, ("seq", "target", "role")),
            [
                (seq, target, role)
                for seq, row in zip(seqs, fresh, strict=True)
                for target, role in dict.fromkeys(
                    [
                        *((numbers[ref], role) for ref, role in row.links),
                        *inherited.get(row.statement_id, ()),
                        *_links_of_target_in_batch(row, by_id, numbers, inherited),
                    ]
                )
            ],
        )
    if voiding_targets:
        connection.execute(
            update(STATEMENTS)
            .where(STATEMENTS.c.statement_id.in_(voiding_targets))
            .values(voided=True)
        )
    _store_attachments(connection, attachments)
    if not define:
        return {}, new_targets
    changing: list[dict[str, Any]] = []
    recorded: Definitions = {}
    for row in fresh:
        new = [(key, value) for key, value in row.definitions if merged_before.get(key) != value]
        if new:
            changing.append(row.statement)
            recorded.update(new)
    if changing:
        with Session(bind=connection) as session:
            record_activity_definitions(session, changing)
    return recorded, new_targets


_STATEMENT_COLUMNS = (
    "seq",
    "statement_id",
    "stored_us",
    "verb_id",
    "registration",
    "authority_key",
    "voided",
    "voids",
    "statement",
)


def _insert_sql(connection: Connection, table: str, columns: tuple[str, ...]) -> str:
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(marker for _ in columns)})"
    )


def _allocate_seqs(connection: Connection, count: int) -> list[int]:
    """The next `count` keys, in order, so that one plain multi-row insert can store a batch and
    its links (an INSERT ... RETURNING that keeps row order runs row by row on SQLite). SQLite
    writers hold the write lock here, so max(seq) cannot move under us; PostgreSQL hands out
    sequence values."""
    if connection.dialect.name == "sqlite":
        last = connection.execute(_SQLITE_LAST_SEQ).scalar_one()
        return list(range(last + 1, last + 1 + count))
    return list(connection.execute(_POSTGRES_NEXT_SEQS, {"n": count}).scalars())


def _remember_definitions(recorded: Definitions) -> None:
    remembered = _recorded_definitions()
    if len(remembered) + len(recorded) > _RECORDED_LIMIT:
        remembered.clear()
    remembered.update(recorded)


def _definitions(statement: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    obj = statement["object"]
    kind = obj.get("objectType", "Activity")
    if kind == "Activity" and "definition" in obj:
        yield obj["id"], obj["definition"]
    elif kind == "SubStatement":
        yield from _definitions(obj)
    for activities in ((statement.get("context") or {}).get("contextActivities") or {}).values():
        for activity in activities if isinstance(activities, list) else [activities]:
            if "definition" in activity:
                yield activity["id"], activity["definition"]


def _registration(statement: dict[str, Any]) -> str | None:
    registration = (statement.get("context") or {}).get("registration")
    return registration.lower() if isinstance(registration, str) else None


def _drop_retries(connection: Connection, rows: list[_Row]) -> list[_Row]:
    """Leave out statements stored before with the same content; refuse different content.
    Only a repeated id costs a comparison: new ids find nothing."""
    wanted = [row.statement_id for row in rows if row.client_id]
    if not wanted:
        return rows
    known = dict(db.select_in(connection, _KNOWN, wanted))
    if not known:
        return rows
    fresh = []
    for row in rows:
        if row.statement_id not in known:
            fresh.append(row)
        elif not same_statement(row.received, as_received(json.loads(known[row.statement_id]))):
            raise StatementConflict(
                f"statement {row.statement_id} is already stored with different content"
            )
    return fresh


def _check_voiding(connection: Connection, rows: list[_Row]) -> list[str]:
    targets = [row.voids for row in rows if row.voids]
    if not targets:
        return []
    voiding = set(
        connection.scalars(
            select(STATEMENTS.c.statement_id).where(
                STATEMENTS.c.statement_id.in_(targets), STATEMENTS.c.voids.isnot(None)
            )
        )
    )
    voiding |= {row.statement_id for row in rows if row.voids}
    for target in targets:
        if target in voiding:
            raise StatementRefused(
                f"statement {target} is a voiding statement and cannot be voided"
            )
    return targets


def _already_voided(connection: Connection, ids: list[str]) -> set[str]:
    """Ids a stored voiding statement already names: they arrive voided."""
    if not ids:
        return set()
    return {voids for (voids,) in db.select_in(connection, _VOIDED_BEFORE_ARRIVAL, ids)}


def _statement_ref_links(
    connection: Connection, rows: list[_Row]
) -> dict[str, list[tuple[int, str]]]:
    """A statement that targets another one matches the agent and activity filters the target
    matches (the spec's StatementRef rule), so it inherits the target's links."""
    targets = {
        row.statement_id: row.statement["object"]["id"].lower()
        for row in rows
        if row.statement["object"].get("objectType") == "StatementRef"
    }
    if not targets:
        return {}
    found: dict[str, list[tuple[int, str]]] = {}
    query = (
        select(STATEMENTS.c.statement_id, LINKS.c.target, LINKS.c.role)
        .join(LINKS, LINKS.c.seq == STATEMENTS.c.seq)
        .where(STATEMENTS.c.statement_id.in_(set(targets.values())))
    )
    for target_id, target, role in connection.execute(query):
        found.setdefault(target_id, []).append((target, role))
    return {
        statement_id: found[target] for statement_id, target in targets.items() if target in found
    }


def _links_of_target_in_batch(
    row: _Row,
    by_id: dict[str, _Row],
    numbers: dict[str, int],
    inherited: dict[str, list[tuple[int, str]]],
) -> list[tuple[int, str]]:
    """The StatementRef rule for a target sent in the same batch, which the database does not
    hold yet: its own links and what it inherits in turn."""
    obj = row.statement["object"]
    if obj.get("objectType") != "StatementRef":
        return []
    target = by_id.get(obj["id"].lower())
    if target is None or target is row:
        return []
    return [(numbers[ref], role) for ref, role in target.links] + inherited.get(
        target.statement_id, []
    )


def _store_attachments(connection: Connection, attachments: dict[str, tuple[str, bytes]]) -> None:
    if not attachments:
        return
    known = set(
        connection.scalars(
            select(ATTACHMENTS.c.sha2).where(ATTACHMENTS.c.sha2.in_(list(attachments)))
        )
    )
    new = [
        {"sha2": sha2, "content_type": content_type, "content": content}
        for sha2, (content_type, content) in attachments.items()
        if sha2 not in known
    ]
    if new:
        connection.execute(insert(ATTACHMENTS), new)


def known_attachments(sha2s: Iterable[str]) -> set[str]:
    """The attachment hashes whose content the LRS holds already."""
    wanted = list(set(sha2s))
    if not wanted:
        return set()
    return set(
        db.session().scalars(select(ATTACHMENTS.c.sha2).where(ATTACHMENTS.c.sha2.in_(wanted)))
    )


def attachment_contents(sha2s: Iterable[str]) -> list[tuple[str, str, bytes]]:
    """(sha2, content type, bytes) of each stored attachment named."""
    wanted = {sha2.lower() for sha2 in sha2s}
    if not wanted:
        return []
    rows = db.session().execute(
        select(ATTACHMENTS.c.sha2, ATTACHMENTS.c.content_type, ATTACHMENTS.c.content).where(
            ATTACHMENTS.c.sha2.in_(wanted)
        )
    )
    return [(row.sha2, row.content_type, row.content) for row in rows]


def check_launch_limits(
    statements: list[dict[str, Any]], agent: dict[str, Any] | None, registration: str | None
) -> None:
    """A learner's launch token writes only statements about that learner (and registration)."""
    if agent is None:
        return
    learner = ref_of_agent(agent)
    for index, statement in enumerate(statements):
        if ref_of_agent(statement.get("actor") or {}) != learner:
            raise NotPermitted(
                f"statements[{index}].actor: this launch token may only write the learner's "
                "own statements"
            )
        if registration and _registration(statement) != registration.lower():
            raise NotPermitted(
                f"statements[{index}].context.registration: this launch token is for "
                f"registration {registration}"
            )
    _check_launch_voiding(statements, learner, registration)


def _check_launch_voiding(
    statements: list[dict[str, Any]], learner: str | None, registration: str | None
) -> None:
    """A launch token voids only its learner's statements (of its registration): otherwise one
    learner could make another's record vanish. A target not stored yet cannot be judged, so it
    is refused too (it would otherwise arrive voided)."""
    targets = {
        index: str(statement["object"].get("id", "")).lower()
        for index, statement in enumerate(statements)
        if statement["verb"]["id"] == VOIDED and isinstance(statement.get("object"), dict)
    }
    if not targets:
        return
    in_batch = {str(statement.get("id", "")).lower() for statement in statements}
    stored = {
        row.statement_id: row
        for row in db.session().execute(
            select(
                STATEMENTS.c.statement_id, STATEMENTS.c.registration, STATEMENTS.c.statement
            ).where(STATEMENTS.c.statement_id.in_(set(targets.values()) - in_batch))
        )
    }
    for index, target in targets.items():
        if target in in_batch:
            continue  # its actor and registration were checked above
        row = stored.get(target)
        if (
            row is None
            or ref_of_agent(json.loads(row.statement).get("actor") or {}) != learner
            or (registration and row.registration != registration.lower())
        ):
            raise NotPermitted(
                f"statements[{index}].object: this launch token may only void the learner's "
                "own statements"
            )
