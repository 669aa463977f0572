"""HTTP for the document resources, Activities, Agents and About: parse, authorize, call services.

A launch token is tied to one learner (and registration): asking for another learner's state or
agent profile is answered `403 Forbidden`, since the credentials are valid but lack the permission
(xAPI Communication 3.2: 401 is for refused credentials, 403 for an authenticated client that may
not do this). Activity profiles are shared by every learner, so a launch token may read them but
not change them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from contextlib import closing
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from flask import Response, abort, request
from werkzeug.http import http_date

from lms import db
from lms.lrs import blueprint, documents
from lms.lrs.auth import Principal, require_scope
from lms.lrs.documents import Context, DocumentError, Preconditions
from lms.lrs.documents_activities import activity_object
from lms.lrs.documents_agents import AgentKeyError, agent_key, person_object
from lms.lrs.protocol import SUPPORTED_VERSIONS, xapi_version
from lms.lrs.validation import InvalidStatement, is_iri, is_uuid, parse_timestamp, validate_agent

ABOUT_EXTENSIONS = {"tag:mafunzo.example,2026:lrs": {"name": "Mafunzo LRS"}}

STATE_READ = ("state", "all", "all/read")
STATE_WRITE = ("state", "all")
PROFILE_READ = ("profile", "all", "all/read")
PROFILE_WRITE = ("profile", "all")
DESCRIBE = ("all", "all/read", "statements/read", "define", "profile")

DOCUMENT_METHODS = ["GET", "PUT", "POST", "DELETE"]


def _service_errors(view: Callable[..., Response]) -> Callable[..., Response]:
    """Turn the service's refusals into the 4xx they stand for."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        try:
            return view(*args, **kwargs)
        except DocumentError as error:
            abort(error.status, str(error))

    return wrapper


@blueprint.route("/activities/state", methods=DOCUMENT_METHODS)
@_service_errors
def state() -> Response:
    reading = request.method in ("GET", "HEAD")
    principal = require_scope(*(STATE_READ if reading else STATE_WRITE))
    params = _params({"activityId", "agent", "registration", "stateId"}, listing="stateId")
    agent = _agent(params)
    registration = _registration(params.get("registration"))
    _check_learner(principal, agent, registration)
    context = Context.state(_activity_id(params), agent_key(agent), registration)
    return _document_request(context, params.get("stateId"), "stateId", delete_all=True)


@blueprint.route("/activities/profile", methods=DOCUMENT_METHODS)
@_service_errors
def activity_profile() -> Response:
    reading = request.method in ("GET", "HEAD")
    principal = require_scope(*(PROFILE_READ if reading else PROFILE_WRITE))
    if principal.agent is not None and not reading:
        abort(403, "a learner's launch token may read activity profiles but not change them")
    params = _params({"activityId", "profileId"}, listing="profileId")
    context = Context.activity_profile(_activity_id(params))
    return _document_request(context, params.get("profileId"), "profileId")


@blueprint.route("/agents/profile", methods=DOCUMENT_METHODS)
@_service_errors
def agent_profile() -> Response:
    reading = request.method in ("GET", "HEAD")
    principal = require_scope(*(PROFILE_READ if reading else PROFILE_WRITE))
    params = _params({"agent", "profileId"}, listing="profileId")
    agent = _agent(params)
    _check_learner(principal, agent, None)
    context = Context.agent_profile(agent_key(agent))
    return _document_request(context, params.get("profileId"), "profileId")


@blueprint.route("/activities", methods=["GET"])
def activities() -> Response:
    require_scope(*DESCRIBE)
    params = _params({"activityId"})
    return _json(activity_object(db.session(), _activity_id(params)))


@blueprint.route("/agents", methods=["GET"])
def agents() -> Response:
    require_scope(*DESCRIBE)
    params = _params({"agent"})
    agent = _agent(params)
    if agent.get("objectType") == "Group":
        abort(400, "agent: the Agents resource takes an Agent, not a Group")
    return _json(person_object(agent))


@blueprint.route("/about", methods=["GET"])
def about() -> Response:
    return _json({"version": list(SUPPORTED_VERSIONS), "extensions": ABOUT_EXTENSIONS})


def _document_request(
    context: Context, document_id: str | None, id_name: str, *, delete_all: bool = False
) -> Response:
    if request.method in ("GET", "HEAD"):
        if document_id is None:
            return _id_list(context)
        stored = documents.get(db.session(), context, document_id)
        response = Response(stored.body, content_type=stored.content_type)
        return _with_validators(response, stored.etag, stored.updated)
    if document_id is None and not (request.method == "DELETE" and delete_all):
        abort(400, f"{id_name} is required")
    preconditions = Preconditions.from_headers(
        request.headers.get("If-Match"), request.headers.get("If-None-Match")
    )
    body = request.get_data()
    # Writes read then write: their own session takes SQLite's write lock up front, so two
    # writers queue instead of one failing to upgrade its read transaction.
    with closing(db.write_session()) as session:
        if document_id is None:
            documents.delete_all(session, context)
            return _no_content()
        if request.method == "DELETE":
            documents.delete_one(session, context, document_id, preconditions)
            return _no_content()
        store = documents.put if request.method == "PUT" else documents.post
        content_type = request.headers.get("Content-Type")
        etag = store(session, context, document_id, body, content_type, preconditions)
    response = _no_content()
    response.headers["ETag"] = f'"{etag}"'
    return response


def _no_content() -> Response:
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response


def _id_list(context: Context) -> Response:
    since_text = request.args.get("since")
    since = _timestamp(since_text) if since_text is not None else None
    ids, newest = documents.list_ids(db.session(), context, since)
    return _json(ids, newest)


def _with_validators(response: Response, etag: str, updated: datetime | None) -> Response:
    response.headers["ETag"] = f'"{etag}"'
    if updated is not None:
        response.headers["Last-Modified"] = http_date(updated.replace(tzinfo=UTC))
    return response


def _json(payload: Any, updated: datetime | None = None) -> Response:
    """A JSON answer with its ETag: the spec asks for one on every GET (Communication 3.1)."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    response = Response(body, content_type="application/json")
    return _with_validators(response, documents.etag_of(body), updated)


def _params(known: Iterable[str], *, listing: str | None = None) -> dict[str, str]:
    """The request's parameters, refusing unknown ones as the spec requires (3.2.s3.b7).

    `since` belongs to the multiple-document GET only, which is a GET without `listing` (the
    document id parameter).
    """
    params = request.args.to_dict()
    allowed = set(known)
    if listing is not None and request.method in ("GET", "HEAD") and listing not in params:
        allowed.add("since")
    unknown = sorted(set(params) - allowed)
    if unknown:
        abort(400, f"unknown parameter {unknown[0]!r} here; this resource takes {sorted(allowed)}")
    return params


def _activity_id(params: dict[str, str]) -> str:
    activity_id = params.get("activityId")
    if not activity_id:
        abort(400, "activityId is required")
    if not is_iri(activity_id):
        abort(400, f"activityId must be an IRI, not {activity_id!r}")
    return activity_id


def _agent(params: dict[str, str]) -> dict[str, Any]:
    text = params.get("agent")
    if not text:
        abort(400, "agent is required")
    try:
        agent = json.loads(text)
    except ValueError as error:
        abort(400, f"agent must be a JSON object: {error}")
    if not isinstance(agent, dict):
        abort(400, "agent must be a JSON object")
    try:
        validate_agent(agent, "agent")
        agent_key(agent)
    except (InvalidStatement, AgentKeyError) as error:
        abort(400, str(error))
    return agent


def _registration(text: str | None) -> str | None:
    if text is None:
        return None
    if not is_uuid(text):
        abort(400, f"registration must be a UUID, not {text!r}")
    return text.lower()


def _timestamp(text: str) -> datetime:
    try:
        return parse_timestamp(text, xapi_version())
    except ValueError as error:
        abort(400, f"since: {error}")


def _check_learner(principal: Principal, agent: dict[str, Any], registration: str | None) -> None:
    """A launch token reaches only its own learner's documents (and registration, for State)."""
    if principal.agent is not None and agent_key(principal.agent) != agent_key(agent):
        abort(403, "these credentials may only reach their own learner's documents")
    if (
        principal.registration is not None
        and registration is not None
        and registration.lower() != principal.registration.lower()
    ):
        abort(403, "these credentials may only reach their own registration's documents")
