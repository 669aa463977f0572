"""HTTP for the Statements resource: parse the request, authorize, call the statement services."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from typing import Any

from flask import Response, request, url_for
from werkzeug.exceptions import BadRequest, NotFound

from lms import db
from lms.lrs import blueprint
from lms.lrs.attachments import (
    AttachmentError,
    boundary_of,
    build_multipart,
    check_attachments,
    parse_multipart,
    parts_by_hash,
)
from lms.lrs.auth import Principal, require_scope
from lms.lrs.documents_activities import activity_definitions
from lms.lrs.formats import canonical_format, ids_format
from lms.lrs.protocol import error_response, xapi_version
from lms.lrs.statement_queries import (
    SINGLE_PARAMETERS,
    InvalidQuery,
    Page,
    Visibility,
    decode_cursor,
    get_statement,
    parse_format,
    parse_query,
    run_query,
)
from lms.lrs.statements import (
    NotPermitted,
    StatementConflict,
    StatementRefused,
    attachment_contents,
    check_launch_limits,
    format_time,
    from_us,
    known_attachments,
    ref_of_agent,
    store_statements,
)
from lms.lrs.validation import (
    InvalidStatement,
    is_uuid,
    reject_duplicate_keys,
    validate_statements,
)

READ_SCOPES = ("statements/read/mine", "all/read")


@blueprint.errorhandler(InvalidStatement)
def _invalid_statement(error: InvalidStatement) -> Response:
    return error_response(400, str(error))


@blueprint.errorhandler(InvalidQuery)
@blueprint.errorhandler(StatementRefused)
@blueprint.errorhandler(AttachmentError)
def _bad_request(error: Exception) -> Response:
    return error_response(400, str(error))


@blueprint.errorhandler(StatementConflict)
def _conflict(error: StatementConflict) -> Response:
    return error_response(409, str(error))


@blueprint.errorhandler(NotPermitted)
def _not_permitted(error: NotPermitted) -> Response:
    return error_response(403, str(error))


@blueprint.route("/statements", methods=["POST"])
def post_statements() -> Response:
    principal = require_scope("statements/write")
    body, parts = _read_body()
    statements = validate_statements(body, xapi_version())
    ids = _store(statements, parts, principal)
    return Response(json.dumps(ids), status=200, mimetype="application/json")


@blueprint.route("/statements", methods=["PUT"])
def put_statement() -> Response:
    principal = require_scope("statements/write")
    statement_id = request.args.get("statementId")
    if not statement_id:
        raise BadRequest("PUT /statements needs the statementId parameter")
    extra = sorted(set(request.args) - {"statementId"})
    if extra:
        raise BadRequest(f"unknown query parameter {', '.join(extra)}")
    body, parts = _read_body()
    if not isinstance(body, dict):
        raise BadRequest("PUT /statements takes one statement object")
    if "id" in body and str(body["id"]).lower() != statement_id.lower():
        raise BadRequest("the statement's id differs from the statementId parameter")
    body = {"id": statement_id, **body}
    statements = validate_statements(body, xapi_version())
    _store(statements, parts, principal)
    return Response(status=204)


def _store(statements: list[dict[str, Any]], parts: dict, principal: Principal) -> list[str]:
    check_launch_limits(statements, principal.agent, principal.registration)
    wanted = {
        attachment["sha2"].lower()
        for statement in statements
        for attachment in statement.get("attachments") or ()
        if "fileUrl" not in attachment
    }
    check_attachments(statements, parts, known_attachments(wanted - set(parts)))
    return store_statements(
        statements,
        principal.authority,
        version=xapi_version(),
        attachments=parts,
        validated=True,
        define=principal.allows("define"),
    )


def _read_body() -> tuple[Any, dict[str, tuple[str, bytes]]]:
    content_type = request.content_type or ""
    media_type = content_type.split(";")[0].strip().lower()
    raw = request.get_data(cache=False)
    parts: dict[str, tuple[str, bytes]] = {}
    if media_type == "multipart/mixed":
        sections = parse_multipart(raw, boundary_of(content_type))
        first = sections[0]
        if first.content_type.split(";")[0].strip().lower() != "application/json":
            raise BadRequest("the first part of a multipart/mixed body must be application/json")
        raw = first.body
        parts = parts_by_hash(sections[1:])
    elif media_type != "application/json":
        raise BadRequest("statements are sent as application/json or multipart/mixed")
    try:
        return json.loads(raw, object_pairs_hook=reject_duplicate_keys), parts
    except UnicodeDecodeError:
        raise BadRequest("the body is not UTF-8") from None
    except ValueError as error:
        raise BadRequest(f"the body is not valid JSON: {error}") from None
    except RecursionError:
        raise BadRequest("the body's JSON is nested too deeply to be a statement") from None


@blueprint.route("/statements", methods=["GET"])
def get_statements() -> Response:
    principal = require_scope(*READ_SCOPES)
    visibility = _visibility(principal)
    args = request.args.to_dict()
    for name in ("statementId", "voidedStatementId"):
        if name in args:
            return _single(name, args, visibility)
    query = parse_query(args, xapi_version())
    return _page(run_query(query, visibility), query.format, query.attachments)


@blueprint.route("/statements/more/<token>", methods=["GET"])
def more_statements(token: str) -> Response:
    principal = require_scope(*READ_SCOPES)
    query = decode_cursor(token)
    return _page(run_query(query, _visibility(principal)), query.format, query.attachments)


def _visibility(principal: Principal) -> Visibility:
    return Visibility(
        authority_key=None
        if principal.allows("statements/read")
        else ref_of_agent(principal.authority),
        actor_ref=ref_of_agent(principal.agent) if principal.agent else None,
    )


def _single(name: str, args: dict[str, str], visibility: Visibility) -> Response:
    extra = sorted(set(args) - SINGLE_PARAMETERS)
    if extra or ("statementId" in args and "voidedStatementId" in args):
        raise BadRequest(f"{name} cannot be combined with {', '.join(extra) or 'statementId'}")
    fmt, with_attachments = parse_format(args)
    if not is_uuid(args[name]):
        raise BadRequest(f"{name} must be a UUID, not {args[name]!r}")
    found = get_statement(args[name], name == "voidedStatementId", visibility)
    if found is None:
        raise NotFound(f"no {'voided ' if name != 'statementId' else ''}statement {args[name]}")
    text, stored_us = found
    statement = json.loads(text)
    body = json.dumps(_formatted(statement, fmt), ensure_ascii=False).encode()
    response = _respond(body, [statement] if with_attachments else None)
    response.last_modified = from_us(stored_us)
    return response


def _page(page: Page, fmt: str, with_attachments: bool) -> Response:
    more = url_for("lrs.more_statements", token=page.more) if page.more else ""
    if fmt == "exact" and not with_attachments:
        body = '{"statements":[' + ",".join(page.statements) + '],"more":' + json.dumps(more) + "}"
        response = _respond(body.encode(), None)
    else:
        statements = [json.loads(text) for text in page.statements]
        result = {"statements": [_formatted(s, fmt) for s in statements], "more": more}
        encoded = json.dumps(result, ensure_ascii=False).encode()
        response = _respond(encoded, statements if with_attachments else None)
    if page.last_stored_us is not None:
        response.last_modified = from_us(page.last_stored_us)
    return response


def _formatted(statement: dict[str, Any], fmt: str) -> dict[str, Any]:
    if fmt == "ids":
        return ids_format(statement)
    if fmt == "canonical":
        languages = [tag for tag, _quality in request.accept_languages]
        session = db.session()

        @cache
        def definition_of(activity_id: str) -> dict[str, Any] | None:
            return activity_definitions(session, [activity_id]).get(activity_id)

        return canonical_format(statement, languages, definition_of)
    return statement


def _respond(body: bytes, with_attachments: list[dict[str, Any]] | None) -> Response:
    """`with_attachments` is None for plain JSON; a list (even an empty page) asks for
    multipart/mixed, as the client that sent attachments=true expects."""
    if with_attachments is not None:
        contents = attachment_contents(
            attachment["sha2"]
            for statement in with_attachments
            for attachment in statement.get("attachments") or ()
        )
        body, content_type = build_multipart(body, contents)
        response = Response(body, status=200, content_type=content_type)
    else:
        response = Response(body, status=200, mimetype="application/json")
    # Writes commit before they are acknowledged, so everything stored until now is visible.
    response.headers["X-Experience-API-Consistent-Through"] = format_time(datetime.now(UTC))
    return response
