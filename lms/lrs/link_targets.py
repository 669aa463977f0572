"""The agents and activities statements link to, each numbered once.

A statement has about five link rows (actor, authority, object, context activities). Holding a
number instead of an agent's key or an activity's IRI makes the link table, the LRS's largest
index, several times smaller, so each batch dirties fewer of its pages while it holds the write
lock. Numbers never change once committed, so each process remembers the ones it has seen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from flask import current_app
from sqlalchemy import Connection

from lms import db

_FIND = "SELECT digest, id FROM lrs_link_targets WHERE digest IN ({})"
# A digest another transaction numbered meanwhile is skipped, not an error: on PostgreSQL the
# insert waits for that transaction, then the lookup after it finds the committed number.
_NUMBER = (
    "INSERT INTO lrs_link_targets (digest, ref) VALUES ({0}, {0}) ON CONFLICT (digest) DO NOTHING"
)
_REMEMBERED_KEY = "mafunzo.lrs.link_targets"
_REMEMBERED_LIMIT = 200_000


def digest(ref: str) -> str:
    return hashlib.sha256(ref.encode()).hexdigest()


def numbers_for_writing(
    connection: Connection, refs: set[str]
) -> tuple[dict[str, int], dict[str, int]]:
    """The number of each of `refs`, numbering new ones in the caller's write transaction.
    Also returns the numbers this process did not know yet: `remember` them once it commits."""
    numbers, missing = _remembered(refs)
    if not missing:
        return numbers, {}
    found = _find(connection, missing)
    new = missing - found.keys()
    if new:
        # In digest order: two PostgreSQL writers numbering the same new refs then wait for each
        # other in one order, where a set's order (it differs between processes) could deadlock.
        connection.exec_driver_sql(
            _NUMBER.format(_marker(connection)), sorted((digest(ref), ref) for ref in new)
        )
        found |= _find(connection, new)
    return numbers | found, found


def numbers_for_reading(connection: Connection, refs: Iterable[str]) -> dict[str, int]:
    """The numbers of those of `refs` that any statement links to; the others are left out.
    What is found here is not remembered: the reader's transaction may hold numbers that a
    rollback will take back."""
    numbers, missing = _remembered(set(refs))
    return numbers | _find(connection, missing) if missing else numbers


def remember(numbers: dict[str, int]) -> None:
    remembered = _remembered_numbers()
    if len(remembered) + len(numbers) > _REMEMBERED_LIMIT:
        remembered.clear()
    remembered.update(numbers)


def _remembered_numbers() -> dict[str, int]:
    return current_app.extensions.setdefault(_REMEMBERED_KEY, {})


def _remembered(refs: set[str]) -> tuple[dict[str, int], set[str]]:
    remembered = _remembered_numbers()
    numbers = {ref: remembered[ref] for ref in refs if ref in remembered}
    return numbers, refs - numbers.keys()


def _find(connection: Connection, refs: set[str]) -> dict[str, int]:
    by_digest = {digest(ref): ref for ref in refs}
    rows = db.select_in(connection, _FIND, list(by_digest))
    return {by_digest[found]: number for found, number in rows}


def _marker(connection: Connection) -> str:
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"
