"""Statements (xAPI Data 2.4): the required actor, verb and object, results, context,
timestamps, attachments and the version property, and sub-statements, under the rules of the
X-Experience-API-Version the request uses (1.0.x, or 2.0.0 with its context agents and groups)."""

from __future__ import annotations

import re

from lms.lrs.validation.activities import check_activity
from lms.lrs.validation.actors import (
    INVERSE_FUNCTIONAL_IDENTIFIERS,
    check_agent,
    check_group,
    validate_actor,
    validate_agent,
    validate_authority,
    validate_group,
)
from lms.lrs.validation.checks import (
    InvalidStatement,
    check_extensions,
    check_keys,
    check_timestamp,
    json_type,
    require_array,
    require_boolean,
    require_iri,
    require_irl,
    require_number,
    require_object,
    require_string,
    require_uuid,
    validate_language_map,
)
from lms.lrs.validation.formats import is_bcp47, is_duration

# SHA-224, SHA-256, SHA-384 and SHA-512 digests in hex.
_SHA2_HEX = re.compile(r"(?:[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})")
_MEDIA_TYPE = re.compile(r"[A-Za-z0-9!#$&^_.+\-]+/[A-Za-z0-9!#$&^_.+\-]+(?:\s*;.*)?", re.DOTALL)
_VERSION_1_0 = re.compile(r"1\.0(?:\.\d+)?")
_VERSION_2_0 = re.compile(r"2\.0\.\d+")

# --- verbs and objects ---------------------------------------------------------------------------

_VERB_KEYS = frozenset(("id", "display"))
_IFIS = frozenset(INVERSE_FUNCTIONAL_IDENTIFIERS)
_STATEMENT_REF_KEYS = frozenset(("objectType", "id"))


def _verb(value: object, path: str) -> None:
    verb = require_object(value, path, "a Verb")
    check_keys(verb, _VERB_KEYS, path, "a Verb")
    if "id" not in verb:
        raise InvalidStatement(path + ".id", "is required")
    require_iri(verb["id"], path + ".id")
    display = verb.get("display")
    if display is not None:
        validate_language_map(display, path + ".display")


def _statement_ref(value: object, path: str) -> None:
    reference = require_object(value, path, "a StatementRef")
    check_keys(reference, _STATEMENT_REF_KEYS, path, "a StatementRef")
    object_type = reference.get("objectType")
    if object_type != "StatementRef":
        if object_type is None:
            raise InvalidStatement(path + ".objectType", "is required and must be 'StatementRef'")
        raise InvalidStatement(path + ".objectType", f"must be 'StatementRef', not {object_type!r}")
    if "id" not in reference:
        raise InvalidStatement(path + ".id", "is required")
    require_uuid(reference["id"], path + ".id")


def _object_of(value: object, path: str, version: str, in_sub: bool) -> str:
    """Check a statement's object and return its objectType (defaulted to Activity)."""
    obj = require_object(value, path, "an Activity, Agent, Group, StatementRef or SubStatement")
    object_type = obj.get("objectType")
    if object_type is None and "id" not in obj and not _IFIS.isdisjoint(obj):
        raise InvalidStatement(
            path + ".objectType",
            "is required when the object is an Agent or Group",
        )
    if object_type is None or object_type == "Activity":
        check_activity(obj, path)
        return "Activity"
    if object_type == "Agent":
        check_agent(obj, path)
    elif object_type == "Group":
        check_group(obj, path)
    elif object_type == "StatementRef":
        _statement_ref(obj, path)
    elif object_type == "SubStatement":
        if in_sub:
            raise InvalidStatement(
                path + ".objectType",
                "a SubStatement cannot contain a SubStatement",
            )
        _statement(obj, path, version, sub=True)
    else:
        raise InvalidStatement(
            path + ".objectType",
            f"{object_type!r} is not one of Activity, Agent, Group, SubStatement, StatementRef "
            "(case matters)",
        )
    return str(object_type)


# --- result and context --------------------------------------------------------------------------

_RESULT_KEYS = frozenset(("score", "success", "completion", "response", "duration", "extensions"))
_SCORE_KEYS = frozenset(("scaled", "raw", "min", "max"))
_CONTEXT_KEYS_1 = frozenset(
    (
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    )
)
_CONTEXT_KEYS_2 = _CONTEXT_KEYS_1 | {"contextAgents", "contextGroups"}
_CONTEXT_ACTIVITY_KEYS = ("parent", "grouping", "category", "other")
_CONTEXT_AGENT_KEYS = frozenset(("objectType", "agent", "relevantTypes"))
_CONTEXT_GROUP_KEYS = frozenset(("objectType", "group", "relevantTypes"))


def _score(value: object, path: str) -> None:
    score = require_object(value, path, "a score")
    check_keys(score, _SCORE_KEYS, path, "a score")
    get = score.get
    scaled = get("scaled")
    if scaled is not None and not -1 <= require_number(scaled, path + ".scaled") <= 1:
        raise InvalidStatement(path + ".scaled", f"must be between -1 and 1, not {scaled}")
    low: float | None = None
    high: float | None = None
    if "min" in score:
        low = require_number(score["min"], path + ".min")
    if "max" in score:
        high = require_number(score["max"], path + ".max")
        if low is not None and not low < high:
            raise InvalidStatement(path + ".max", f"must be greater than min ({low}), not {high}")
    if "raw" in score:
        raw = require_number(score["raw"], path + ".raw")
        if low is not None and raw < low:
            raise InvalidStatement(path + ".raw", f"must not be less than min ({low}), not {raw}")
        if high is not None and raw > high:
            raise InvalidStatement(
                path + ".raw",
                f"must not be greater than max ({high}), not {raw}",
            )


def _result(value: object, path: str) -> None:
    result = require_object(value, path, "a Result")
    check_keys(result, _RESULT_KEYS, path, "a Result")
    get = result.get
    score = get("score")
    if score is not None:
        _score(score, path + ".score")
    success = get("success")
    if success is not None:
        require_boolean(success, path + ".success")
    completion = get("completion")
    if completion is not None:
        require_boolean(completion, path + ".completion")
    response = get("response")
    if response is not None:
        require_string(response, path + ".response")
    duration = get("duration")
    if duration is not None:
        duration_path = path + ".duration"
        if not is_duration(require_string(duration, duration_path)):
            raise InvalidStatement(
                duration_path, f"{duration!r} is not an ISO 8601 duration (e.g. PT1H30M or PT12.5S)"
            )
    extensions = get("extensions")
    if extensions is not None:
        check_extensions(extensions, path + ".extensions")


def _context_activities(value: object, path: str) -> None:
    for key, activities in require_object(value, path, "a contextActivities object").items():
        key_path = f"{path}.{key}"
        if key not in _CONTEXT_ACTIVITY_KEYS:
            raise InvalidStatement(key_path, "is not one of parent, grouping, category, other")
        if type(activities) is dict:
            check_activity(activities, key_path)
            continue
        for index, activity in enumerate(require_array(activities, key_path, "Activities")):
            item_path = f"{key_path}[{index}]"
            check_activity(require_object(activity, item_path, "an Activity"), item_path)


def _relevant_types(value: object, path: str) -> None:
    iris = require_array(value, path, "IRIs")
    if not iris:
        raise InvalidStatement(path, "must not be empty; leave it out instead")
    for index, iri in enumerate(iris):
        require_iri(iri, f"{path}[{index}]")


def _context_agents(value: object, path: str) -> None:
    for index, value_item in enumerate(require_array(value, path, "contextAgent objects")):
        item_path = f"{path}[{index}]"
        item = require_object(value_item, item_path, "a contextAgent")
        check_keys(item, _CONTEXT_AGENT_KEYS, item_path, "a contextAgent")
        if item.get("objectType") != "contextAgent":
            raise InvalidStatement(item_path + ".objectType", "must be 'contextAgent'")
        if "agent" not in item:
            raise InvalidStatement(item_path + ".agent", "is required")
        validate_agent(item["agent"], item_path + ".agent")
        if "relevantTypes" in item:
            _relevant_types(item["relevantTypes"], item_path + ".relevantTypes")


def _context_groups(value: object, path: str) -> None:
    for index, value_item in enumerate(require_array(value, path, "contextGroup objects")):
        item_path = f"{path}[{index}]"
        item = require_object(value_item, item_path, "a contextGroup")
        check_keys(item, _CONTEXT_GROUP_KEYS, item_path, "a contextGroup")
        if item.get("objectType") != "contextGroup":
            raise InvalidStatement(item_path + ".objectType", "must be 'contextGroup'")
        if "group" not in item:
            raise InvalidStatement(item_path + ".group", "is required")
        validate_group(item["group"], item_path + ".group")
        if "relevantTypes" in item:
            _relevant_types(item["relevantTypes"], item_path + ".relevantTypes")


def _context(value: object, path: str, version: str, object_type: str) -> None:
    context = require_object(value, path, "a Context")
    v2 = version.startswith("2.")
    if not v2:
        for key in ("contextAgents", "contextGroups"):
            if key in context:
                raise InvalidStatement(
                    f"{path}.{key}",
                    f"is new in xAPI 2.0.0; this request uses {version}",
                )
    check_keys(context, _CONTEXT_KEYS_2 if v2 else _CONTEXT_KEYS_1, path, "a Context")
    get = context.get
    registration = get("registration")
    if registration is not None:
        require_uuid(registration, path + ".registration")
    instructor = get("instructor")
    if instructor is not None:
        validate_actor(instructor, path + ".instructor")
    team = get("team")
    if team is not None:
        validate_group(team, path + ".team")
    context_activities = get("contextActivities")
    if context_activities is not None:
        _context_activities(context_activities, path + ".contextActivities")
    for key in ("revision", "platform"):
        text = get(key)
        if text is not None:
            require_string(text, f"{path}.{key}")
            if object_type != "Activity":
                raise InvalidStatement(
                    f"{path}.{key}",
                    "may only be used when the object is an Activity",
                )
    language = get("language")
    if language is not None and not is_bcp47(require_string(language, path + ".language")):
        raise InvalidStatement(path + ".language", f"{language!r} is not a BCP 47 language tag")
    statement = get("statement")
    if statement is not None:
        _statement_ref(statement, path + ".statement")
    extensions = get("extensions")
    if extensions is not None:
        check_extensions(extensions, path + ".extensions")
    if v2:
        context_agents = get("contextAgents")
        if context_agents is not None:
            _context_agents(context_agents, path + ".contextAgents")
        context_groups = get("contextGroups")
        if context_groups is not None:
            _context_groups(context_groups, path + ".contextGroups")


# --- attachments and the statement itself --------------------------------------------------------

_ATTACHMENT_KEYS = frozenset(
    (
        "usageType",
        "display",
        "description",
        "contentType",
        "length",
        "sha2",
        "fileUrl",
    )
)
_STATEMENT_KEYS = frozenset(
    (
        "id",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "stored",
        "authority",
        "version",
        "attachments",
    )
)
_SUB_STATEMENT_FORBIDDEN = ("id", "stored", "version", "authority")
_SUB_STATEMENT_KEYS = (_STATEMENT_KEYS - set(_SUB_STATEMENT_FORBIDDEN)) | {"objectType"}


def _attachments(value: object, path: str) -> None:
    for index, item in enumerate(require_array(value, path, "Attachments")):
        item_path = f"{path}[{index}]"
        attachment = require_object(item, item_path, "an Attachment")
        check_keys(attachment, _ATTACHMENT_KEYS, item_path, "an Attachment")
        for key in ("usageType", "display", "contentType", "length", "sha2"):
            if key not in attachment:
                raise InvalidStatement(f"{item_path}.{key}", "is required")
        require_iri(attachment["usageType"], item_path + ".usageType")
        validate_language_map(attachment["display"], item_path + ".display")
        description = attachment.get("description")
        if description is not None:
            validate_language_map(description, item_path + ".description")
        content_type = require_string(attachment["contentType"], item_path + ".contentType")
        if _MEDIA_TYPE.fullmatch(content_type) is None:
            raise InvalidStatement(
                item_path + ".contentType",
                f"{content_type!r} is not a media type",
            )
        length = attachment["length"]
        if type(length) is not int or length < 0:
            raise InvalidStatement(item_path + ".length", "must be a whole number of octets")
        sha2 = require_string(attachment["sha2"], item_path + ".sha2")
        if _SHA2_HEX.fullmatch(sha2) is None:
            raise InvalidStatement(
                item_path + ".sha2",
                "must be a SHA-2 hash in hex (e.g. 64 digits)",
            )
        file_url = attachment.get("fileUrl")
        if file_url is not None:
            require_irl(file_url, item_path + ".fileUrl")


def _statement(obj: dict, path: str, version: str, sub: bool) -> None:
    if sub:
        for key in _SUB_STATEMENT_FORBIDDEN:
            if key in obj:
                raise InvalidStatement(f"{path}.{key}", "is not allowed in a SubStatement")
        check_keys(obj, _SUB_STATEMENT_KEYS, path, "a SubStatement")
    else:
        check_keys(obj, _STATEMENT_KEYS, path, "a Statement")
    prefix = f"{path}." if path else ""
    get = obj.get
    statement_id = get("id")
    if statement_id is not None:
        require_uuid(statement_id, prefix + "id")
    for key in ("actor", "verb", "object"):
        if key not in obj:
            raise InvalidStatement(prefix + key, "is required")
    validate_actor(obj["actor"], prefix + "actor")
    _verb(obj["verb"], prefix + "verb")
    object_type = _object_of(obj["object"], prefix + "object", version, sub)
    result = get("result")
    if result is not None:
        _result(result, prefix + "result")
    context = get("context")
    if context is not None:
        _context(context, prefix + "context", version, object_type)
    timestamp = get("timestamp")
    if timestamp is not None:
        check_timestamp(timestamp, prefix + "timestamp", version)
    stored = get("stored")
    if stored is not None:
        check_timestamp(stored, prefix + "stored", version)
    authority = get("authority")
    if authority is not None:
        validate_authority(authority, prefix + "authority")
    statement_version = get("version")
    if statement_version is not None:
        _statement_version(statement_version, prefix + "version", version)
    attachments = get("attachments")
    if attachments is not None:
        _attachments(attachments, prefix + "attachments")


def _statement_version(value: object, path: str, version: str) -> None:
    text = require_string(value, path)
    if _VERSION_1_0.fullmatch(text) is not None:
        return
    if version.startswith("2."):
        if _VERSION_2_0.fullmatch(text) is None:
            raise InvalidStatement(path, f"{value!r} must be 1.0.x or 2.0.x")
        return
    raise InvalidStatement(
        path,
        f"{value!r} must be 1.0.x under X-Experience-API-Version {version}",
    )


def validate_statement(statement: object, version: str = "1.0.3", path: str = "") -> None:
    """Raise InvalidStatement for the first way `statement` breaks the xAPI data model.

    `version` is the request's X-Experience-API-Version: the 2.0 rules (context agents and
    groups, time zones on timestamps, statement version 2.0.x) apply when it starts with "2.".
    """
    _statement(require_object(statement, path, "a Statement"), path, version, sub=False)


def validate_statements(body: object, version: str) -> list[dict]:
    """Validate a POST body (one statement or an array of them) and return the statements.

    A batch is all or nothing, so the first problem in any statement rejects it; two statements
    with the same id in one batch are rejected too.
    """
    if type(body) is dict:
        _statement(body, "", version, sub=False)
        return [body]
    if type(body) is not list:
        raise InvalidStatement(
            "", f"the body must be a statement object or an array of them, not {json_type(body)}"
        )
    ids: dict[str, int] = {}
    for index, statement in enumerate(body):
        path = f"statements[{index}]"
        _statement(require_object(statement, path, "a Statement"), path, version, sub=False)
        statement_id = statement.get("id")
        if statement_id is not None:
            key = statement_id.lower()
            if key in ids:
                raise InvalidStatement(path + ".id", f"repeats the id of statements[{ids[key]}]")
            ids[key] = index
    return body
