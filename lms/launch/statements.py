"""The statements the LMS itself makes for cmi5 (launched, abandoned, waived, satisfied), the ids
it generates, and reading back a registration's statements."""

from __future__ import annotations

import contextlib
import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from lms import db
from lms.lrs.auth import lms_authority
from lms.lrs.statements import STATEMENTS, StatementConflict, store_statements

VERBS = {
    "launched": "http://adlnet.gov/expapi/verbs/launched",
    "initialized": "http://adlnet.gov/expapi/verbs/initialized",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "terminated": "http://adlnet.gov/expapi/verbs/terminated",
    "abandoned": "https://w3id.org/xapi/adl/verbs/abandoned",
    "waived": "https://w3id.org/xapi/adl/verbs/waived",
    "satisfied": "https://w3id.org/xapi/adl/verbs/satisfied",
}
# The verbs only the LMS uses; an AU's statements are all the others.
LMS_VERBS = frozenset({"launched", "abandoned", "waived", "satisfied"})
CMI5 = "https://w3id.org/xapi/cmi5/"
CATEGORY_CMI5 = CMI5 + "context/categories/cmi5"
CATEGORY_MOVEON = CMI5 + "context/categories/moveon"
SESSION_ID = CMI5 + "context/extensions/sessionid"
EXTENSIONS = {
    "launchmode": CMI5 + "context/extensions/launchmode",
    "launchurl": CMI5 + "context/extensions/launchurl",
    "moveon": CMI5 + "context/extensions/moveon",
    "masteryscore": CMI5 + "context/extensions/masteryscore",
    "launchparameters": CMI5 + "context/extensions/launchparameters",
}
REASON = CMI5 + "result/extensions/reason"
WAIVER_REASONS = ("Tested Out", "Equivalent AU", "Equivalent Outside Activity", "Administrative")


def verb_name(statement: dict[str, Any]) -> str:
    """The short name of one of VERBS, or "" for any other verb."""
    wanted = statement.get("verb", {}).get("id")
    return next((name for name, iri in VERBS.items() if iri == wanted), "")


def generated_id(home_page: str, kind: str, *parts: str) -> str:
    """An LMS-made IRI for an AU, block or course: cmi5 wants the LMS's own ids, distinct from
    the publisher's, and the same for every registration."""
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return f"{home_page}cmi5/{kind}/{digest}"


def au_activity_id(home_page: str, publisher_id: str) -> str:
    """The activityId an AU is launched with (its publisher id goes in the context's grouping)."""
    return generated_id(home_page, "au", publisher_id)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def lms_statement(
    verb: str,
    actor: dict[str, Any],
    object_id: str,
    registration: str,
    session_id: str,
    publisher_id: str,
    *,
    object_type: str | None = None,
    result: dict[str, Any] | None = None,
    extensions: dict[str, Any] | None = None,
    moveon: bool = False,
    statement_id: str | None = None,
) -> dict[str, Any]:
    """A cmi5 defined statement made by the LMS, with the context cmi5 asks of it."""
    categories = [{"objectType": "Activity", "id": CATEGORY_CMI5}]
    if moveon:
        categories.append({"objectType": "Activity", "id": CATEGORY_MOVEON})
    activity: dict[str, Any] = {"objectType": "Activity", "id": object_id}
    if object_type:
        activity["definition"] = {"type": object_type}
    statement: dict[str, Any] = {
        "id": statement_id or str(uuid.uuid4()),
        "actor": actor,
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": activity,
        "context": {
            "registration": registration,
            "contextActivities": {
                "category": categories,
                "grouping": [{"objectType": "Activity", "id": publisher_id}],
            },
            "extensions": {SESSION_ID: session_id, **(extensions or {})},
        },
        "timestamp": now_iso(),
    }
    if result:
        statement["result"] = result
    return statement


def store(statements: list[dict[str, Any]]) -> None:
    """Store on the LRS's own write path; the caller's session must hold no write transaction."""
    if statements:
        store_statements(statements, lms_authority())


def store_once(statements: list[dict[str, Any]]) -> None:
    """Store statements whose ids say what they are once per registration (satisfied): when two
    requests judged the same registration at once, the second one's copy is refused, as wanted."""
    for statement in statements:
        with contextlib.suppress(StatementConflict):
            store([statement])


def once_id(registration: str, object_id: str) -> str:
    """The id of the one statement about `object_id` the LMS may make in a registration (also
    "abandoned <session id>": one `abandoned` per session, however many requests close it)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{registration} {object_id}"))


def of_registration(registration: str) -> list[dict[str, Any]]:
    """Every statement of a registration, in the order stored, read on a connection of its own
    so that statements committed by other requests a moment ago are seen."""
    s = STATEMENTS.c
    query = (
        select(s.statement)
        .where(s.registration == registration.lower(), s.voided.is_(False))
        .order_by(s.seq)
    )
    with db.engine().connect() as connection:
        return [json.loads(row.statement) for row in connection.execute(query)]


def session_of(statement: dict[str, Any]) -> str | None:
    extensions = (statement.get("context") or {}).get("extensions") or {}
    value = extensions.get(SESSION_ID)
    return value if isinstance(value, str) else None
