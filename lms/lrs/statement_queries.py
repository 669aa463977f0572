"""Reading statements: single ones by id, and queries with every filter the spec defines.

Every query walks `seq` (the storage order) through an index, newest first unless `ascending`.
The `more` cursor is the last `seq` returned plus the query itself, so the next page starts
exactly where this one ended whatever is stored in between.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import Select, exists, select

from lms import db
from lms.lrs import link_targets
from lms.lrs.formats import FORMATS
from lms.lrs.statements import (
    ACTIVITY_DIRECT,
    ACTIVITY_RELATED,
    AGENT_DIRECT,
    AGENT_RELATED,
    LINKS,
    STATEMENTS,
    ref_of_activity,
    ref_of_agent,
    to_us,
)
from lms.lrs.validation import InvalidStatement, is_iri, is_uuid, parse_timestamp, validate_agent

MAX_PAGE = 200
QUERY_PARAMETERS = frozenset(
    {
        "agent",
        "verb",
        "activity",
        "registration",
        "related_activities",
        "related_agents",
        "since",
        "until",
        "limit",
        "format",
        "attachments",
        "ascending",
    }
)
SINGLE_PARAMETERS = frozenset({"statementId", "voidedStatementId", "format", "attachments"})


class InvalidQuery(ValueError):
    """A query parameter the spec does not allow or cannot read (400)."""


@dataclass(frozen=True)
class Visibility:
    """What a caller may read: only what its own credential stored (`statements/read/mine`), or
    only one learner's statements (a launch token)."""

    authority_key: str | None = None
    actor_ref: str | None = None


@dataclass(frozen=True)
class StatementQuery:
    agent: str | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False
    since_us: int | None = None
    until_us: int | None = None
    limit: int = MAX_PAGE
    ascending: bool = False
    format: str = "exact"
    attachments: bool = False
    after: int | None = None


@dataclass(frozen=True)
class Page:
    statements: list[str]  # JSON text of each statement, as stored
    more: str | None
    last_stored_us: int | None


def _flag(args: Mapping[str, str], name: str) -> bool:
    value = args.get(name, "false").lower()
    if value not in ("true", "false"):
        raise InvalidQuery(f"{name} must be true or false, not {args[name]!r}")
    return value == "true"


def parse_format(args: Mapping[str, str]) -> tuple[str, bool]:
    fmt = args.get("format", "exact")
    if fmt not in FORMATS:
        raise InvalidQuery(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return fmt, _flag(args, "attachments")


def parse_query(args: Mapping[str, str], version: str) -> StatementQuery:
    unknown = sorted(set(args) - QUERY_PARAMETERS)
    if unknown:
        raise InvalidQuery(f"unknown query parameter {', '.join(unknown)}")
    fmt, attachments = parse_format(args)
    query = StatementQuery(
        related_activities=_flag(args, "related_activities"),
        related_agents=_flag(args, "related_agents"),
        ascending=_flag(args, "ascending"),
        format=fmt,
        attachments=attachments,
    )
    if "agent" in args:
        try:
            agent = json.loads(args["agent"])
            validate_agent(agent, "agent")
        except (ValueError, RecursionError) as error:
            message = error.message if isinstance(error, InvalidStatement) else str(error)
            raise InvalidQuery(f"agent is not an Agent or identified Group: {message}") from None
        ref = ref_of_agent(agent)
        if ref is None:
            raise InvalidQuery("agent needs an inverse functional identifier")
        if "\x00" in ref:
            raise InvalidQuery("agent holds the character U+0000")
        query = replace(query, agent=ref)
    if "verb" in args:
        if not is_iri(args["verb"]):
            raise InvalidQuery(f"verb must be an IRI, not {args['verb']!r}")
        query = replace(query, verb=args["verb"])
    if "activity" in args:
        if not is_iri(args["activity"]):
            raise InvalidQuery(f"activity must be an IRI, not {args['activity']!r}")
        query = replace(query, activity=ref_of_activity(args["activity"]))
    if "registration" in args:
        if not is_uuid(args["registration"]):
            raise InvalidQuery(f"registration must be a UUID, not {args['registration']!r}")
        query = replace(query, registration=args["registration"].lower())
    for name in ("since", "until"):
        if name in args:
            try:
                moment = parse_timestamp(args[name], version)
            except ValueError as error:
                raise InvalidQuery(f"{name}: {error}") from None
            query = replace(query, **{f"{name}_us": to_us(moment)})
    if "limit" in args:
        try:
            limit = int(args["limit"])
        except ValueError:
            raise InvalidQuery(f"limit must be a whole number, not {args['limit']!r}") from None
        if limit < 0:
            raise InvalidQuery("limit cannot be negative")
        query = replace(query, limit=min(limit or MAX_PAGE, MAX_PAGE))
    return query


def encode_cursor(query: StatementQuery) -> str:
    fields = {key: value for key, value in asdict(query).items() if value not in (None, False)}
    return base64.urlsafe_b64encode(json.dumps(fields, separators=(",", ":")).encode()).decode()


_CURSOR_TYPES = {
    "agent": str,
    "verb": str,
    "activity": str,
    "registration": str,
    "related_activities": bool,
    "related_agents": bool,
    "since_us": int,
    "until_us": int,
    "limit": int,
    "ascending": bool,
    "format": str,
    "attachments": bool,
    "after": int,
}


def decode_cursor(token: str) -> StatementQuery:
    """The query a `more` link continues; anything else (a link edited by hand) is a 400."""
    try:
        fields = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
    except (ValueError, binascii.Error, RecursionError):
        fields = None
    if not isinstance(fields, dict) or not all(
        type(fields[name]) is _CURSOR_TYPES.get(name) for name in fields
    ):
        raise InvalidQuery("this more link is not one the LRS made")
    query = StatementQuery(**fields)
    # Numbers beyond 64 bits fit no database column: an edited link, not a query to run.
    out_of_range = any(
        type(value) is int and not -(2**63) <= value < 2**63 for value in fields.values()
    )
    if out_of_range or query.format not in FORMATS or not 0 < query.limit <= MAX_PAGE:
        raise InvalidQuery("this more link is not one the LRS made")
    return query


def _by_authority(select_: Select[Any], visibility: Visibility) -> Select[Any]:
    """A statements/read/mine caller sees what its own credential stored."""
    if visibility.authority_key is not None:
        select_ = select_.where(STATEMENTS.c.authority_key == visibility.authority_key)
    return select_


def _linked(target: int, roles: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """The statement has a link to `target` in one of `roles`: one primary-key probe per row."""
    link = LINKS.alias()
    return exists().where(
        link.c.target == target, link.c.seq == STATEMENTS.c.seq, link.c.role.in_(roles)
    )


def _link_filters(query: StatementQuery, visibility: Visibility) -> list[tuple[str, tuple]]:
    filters = []
    if query.agent:
        filters.append((query.agent, AGENT_RELATED if query.related_agents else AGENT_DIRECT))
    if query.activity:
        roles = ACTIVITY_RELATED if query.related_activities else ACTIVITY_DIRECT
        filters.append((query.activity, roles))
    if visibility.actor_ref is not None:
        filters.append((visibility.actor_ref, ("actor",)))
    return filters


def run_query(query: StatementQuery, visibility: Visibility) -> Page:
    """Without an agent or activity filter the walk goes down an index of the statements table
    (seq, verb or registration); with one, down that agent's or activity's rows of the link
    table, which are stored in seq order, so a page costs the same whatever the table's size."""
    s = STATEMENTS.c
    filters = _link_filters(query, visibility)
    numbers = link_targets.numbers_for_reading(
        db.session().connection(), {ref for ref, _ in filters}
    )
    if any(ref not in numbers for ref, _ in filters):
        return Page([], None, None)  # no statement links to that agent or activity
    statement = select(s.seq, s.stored_us, s.statement).where(s.voided.is_(False))
    key = s.seq
    if filters:
        (ref, roles), *others = filters
        key = LINKS.c.seq
        statement = statement.select_from(LINKS.join(STATEMENTS, LINKS.c.seq == s.seq)).where(
            LINKS.c.target == numbers[ref], LINKS.c.role.in_(roles)
        )
        for other_ref, other_roles in others:
            statement = statement.where(_linked(numbers[other_ref], other_roles))
        # One row per statement even when it names the agent or activity in two roles. SQLite
        # keeps the index order only when grouping by the link table's column; PostgreSQL wants
        # the statement's key in the GROUP BY to select the statement's columns.
        grouping = [key] if db.engine().dialect.name == "sqlite" else [key, s.seq]
        statement = statement.group_by(*grouping)
    if query.verb:
        statement = statement.where(s.verb_id == query.verb)
    if query.registration:
        statement = statement.where(s.registration == query.registration)
    if query.since_us is not None:
        statement = statement.where(s.stored_us > query.since_us)
    if query.until_us is not None:
        statement = statement.where(s.stored_us <= query.until_us)
    if query.after is not None:
        statement = statement.where(key > query.after if query.ascending else key < query.after)
    # The launch token's actor rule is one of the link filters above.
    statement = _by_authority(statement, visibility)
    order = key.asc() if query.ascending else key.desc()
    rows = db.session().execute(statement.order_by(order).limit(query.limit + 1)).all()
    more = None
    if len(rows) > query.limit:
        rows = rows[: query.limit]
        more = encode_cursor(replace(query, after=rows[-1].seq))
    last = max((row.stored_us for row in rows), default=None)
    return Page([row.statement for row in rows], more, last)


def get_statement(
    statement_id: str, voided: bool, visibility: Visibility
) -> tuple[str, int] | None:
    """The stored statement JSON and its stored time, when it exists in the asked voided state."""
    s = STATEMENTS.c
    statement = select(s.statement, s.stored_us).where(
        s.statement_id == statement_id.lower(), s.voided.is_(voided)
    )
    statement = _by_authority(statement, visibility)
    if visibility.actor_ref is not None:
        actor = link_targets.numbers_for_reading(db.session().connection(), {visibility.actor_ref})
        if not actor:
            return None
        statement = statement.where(_linked(actor[visibility.actor_ref], ("actor",)))
    row = db.session().execute(statement).first()
    return (row.statement, row.stored_us) if row else None
