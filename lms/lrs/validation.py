"""Checks xAPI statements (1.0.x and 2.0.0) against the data model so the LRS can answer 400 naming
the JSON path of the first problem.

Pure Python with no Flask or database imports: the HTTP layer parses JSON, then calls
`validate_statements` (or `validate_agent` for the `agent` parameter of the document resources).
Hand-written and straight-line, because the LRS validates every statement it stores and must keep
up with 10,000 statements a second on one core.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

__all__ = [
    "InvalidStatement",
    "is_bcp47",
    "is_iri",
    "is_irl",
    "is_uuid",
    "parse_duration",
    "parse_timestamp",
    "reject_duplicate_keys",
    "validate_activity",
    "validate_actor",
    "validate_agent",
    "validate_language_map",
    "validate_statement",
    "validate_statements",
]


class InvalidStatement(ValueError):
    """A statement (or agent, or activity) that breaks the xAPI data model, and where."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


# --- primitive formats -------------------------------------------------------------------------

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

# An absolute IRI (RFC 3987): a scheme, then characters that are not spaces, controls or the
# delimiters IRIs exclude; a percent sign must start a %XX escape. Relative references are not IRIs.
_IRI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*:"
    r"(?:[^\s<>\"{}|\\^`%\x00-\x1f\x7f-\x9f]|%[0-9A-Fa-f]{2})+"
)
# An IRL must be locatable: a hierarchical IRI with a non-empty authority.
_IRL_AUTHORITY = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^/?#]")
_MAILTO = re.compile(r"mailto:[^@\s<>\"]+@[^@\s<>\"]+")
_SHA1_HEX = re.compile(r"[0-9a-fA-F]{40}")
# SHA-224, SHA-256, SHA-384 and SHA-512 digests in hex.
_SHA2_HEX = re.compile(r"(?:[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})")
_MEDIA_TYPE = re.compile(r"[A-Za-z0-9!#$&^_.+\-]+/[A-Za-z0-9!#$&^_.+\-]+(?:\s*;.*)?", re.DOTALL)
_VERSION_1_0 = re.compile(r"1\.0(?:\.\d+)?")
_VERSION_2_0 = re.compile(r"2\.0\.\d+")

# RFC 5646 Language-Tag ABNF, case-insensitive, except that the primary language subtag must have
# two or three letters: the 4- and 5-8-letter forms are reserved and none is registered, so a key
# like "english" is a mistake, not a language.
_BCP47 = re.compile(
    r"""
    (?:
      [a-z]{2,3}(?:-[a-z]{3}){0,3}                          # language [-extlang]
      (?:-[a-z]{4})?                                        # script
      (?:-(?:[a-z]{2}|[0-9]{3}))?                           # region
      (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*              # variants
      (?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*                   # extensions
      (?:-x(?:-[a-z0-9]{1,8})+)?                            # private use
    | x(?:-[a-z0-9]{1,8})+                                  # private use only
    | en-gb-oed | i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)
    | sgn-(?:be-fr|be-nl|ch-de)                             # irregular grandfathered tags
    )
    """,
    re.IGNORECASE | re.ASCII | re.VERBOSE,
)

# ISO 8601 date and time, extended (2015-11-18T12:17:00.123+01:00) or basic (20151118T121700Z).
_TIMESTAMP_EXTENDED = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?",
    re.ASCII,
)
_TIMESTAMP_BASIC = re.compile(
    r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?:\d{2})?)?",
    re.ASCII,
)

# ISO 8601:2004 section 4.4.3.2 durations (PnYnMnDTnHnMnS or PnW); the alternative format is out.
_N = r"\d+(?:[.,]\d+)?"
_DURATION = re.compile(
    rf"P(?:({_N})W|(?=\d|T\d)(?:({_N})Y)?(?:({_N})M)?(?:({_N})D)?"
    rf"(?:T(?=\d)(?:({_N})H)?(?:({_N})M)?(?:({_N})S)?)?)",
    re.ASCII,
)
# Only the smallest component given may carry a decimal fraction.
_FRACTION_NOT_LAST = re.compile(r"[.,]\d+[A-Z].*\d", re.ASCII)


# IRIs and language tags repeat from statement to statement (verbs, course activities, extension
# keys, the six UN languages), so those already seen valid skip the regex. Bounded in count and
# length so a flood of distinct values cannot grow them without limit.
_KNOWN_IRIS: set[str] = set()
_KNOWN_TAGS: set[str] = set()
_KNOWN_LIMIT = 20_000
_KNOWN_MAX_LENGTH = 512


def _remember(known: set[str], value: str) -> bool:
    if len(value) <= _KNOWN_MAX_LENGTH:
        if len(known) >= _KNOWN_LIMIT:
            known.clear()
        known.add(value)
    return True


def is_uuid(value: object) -> bool:
    """A UUID in standard string form (8-4-4-4-12 hex digits), as xAPI requires."""
    return type(value) is str and _UUID.fullmatch(value) is not None


def is_iri(value: object) -> bool:
    """An absolute IRI (scheme and body); relative references and bare words are not."""
    return type(value) is str and (
        value in _KNOWN_IRIS
        or (_IRI.fullmatch(value) is not None and _remember(_KNOWN_IRIS, value))
    )


def is_irl(value: object) -> bool:
    """An IRI that locates something: a scheme followed by `//` and an authority."""
    return is_iri(value) and _IRL_AUTHORITY.match(value) is not None  # type: ignore[arg-type]


def is_bcp47(value: object) -> bool:
    """A well-formed RFC 5646 (BCP 47) language tag with a 2-3 letter language subtag."""
    return type(value) is str and (
        value in _KNOWN_TAGS
        or (
            _BCP47.fullmatch(value) is not None
            and _no_repeated_subtags(value)
            and _remember(_KNOWN_TAGS, value)
        )
    )


def _no_repeated_subtags(tag: str) -> bool:
    """RFC 5646 section 2.2.5-2.2.6: a variant or an extension singleton may appear only once
    (`de-1901-1901` and `zh-z-aaa-z-bbb` are not language tags)."""
    seen: set[str] = set()
    in_extension = False
    for subtag in tag.lower().split("-")[1:]:
        if subtag == "x":
            break
        is_singleton = len(subtag) == 1
        is_variant = not in_extension and (
            len(subtag) >= 5 or (len(subtag) == 4 and subtag[0].isdigit())
        )
        if is_singleton or is_variant:
            if subtag in seen:
                return False
            seen.add(subtag)
            in_extension = in_extension or is_singleton
    return True


_OFFSETS: dict[str, timezone] = {"Z": UTC}


def parse_timestamp(value: str, version: str = "1.0.3") -> datetime:
    """Read an xAPI timestamp into an aware UTC datetime, or raise ValueError saying why not.

    Accepts ISO 8601 extended and basic date-times. A negative zero offset (`-00`, `-0000`,
    `-00:00`) is refused: ISO 8601 forbids it and the conformance suite expects it refused. Under
    2.0 a time zone offset is required; under 1.0.x a time without one is taken as UTC.
    """
    if type(value) is not str:
        raise ValueError("must be a string holding an ISO 8601 timestamp")
    match = _TIMESTAMP_EXTENDED.fullmatch(value) or _TIMESTAMP_BASIC.fullmatch(value)
    if match is None:
        raise ValueError(f"{value!r} is not an ISO 8601 timestamp (e.g. 2024-05-04T12:00:00.000Z)")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    if offset is None:
        if version.startswith("2."):
            raise ValueError(f"{value!r} needs a time zone offset (Z or +hh:mm) in xAPI 2.0")
        tz = UTC
    else:
        tz = _OFFSETS.get(offset)  # type: ignore[assignment]
        if tz is None:
            digits = offset[1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:] or 0)
            if hours == 0 and minutes == 0 and offset[0] == "-":
                raise ValueError(f"{value!r} has the offset -00:00, which ISO 8601 forbids; use Z")
            if hours > 23 or minutes > 59:
                raise ValueError(f"{value!r} has an impossible time zone offset")
            delta = timedelta(hours=hours, minutes=minutes)
            tz = timezone(-delta if offset[0] == "-" else delta)
            if len(_OFFSETS) < 256:
                _OFFSETS[offset] = tz
    seconds = int(second or 0)
    leap = seconds == 60  # RFC 3339 allows a leap second; datetime cannot hold it
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        moment = datetime(
            int(year), int(month), int(day), int(hour), int(minute),
            59 if leap else seconds, micro, tzinfo=tz,
        )
    except ValueError:
        raise ValueError(f"{value!r} is not a real date and time") from None
    if leap:
        moment += timedelta(seconds=1)
    return moment.astimezone(UTC)


_DURATION_SECONDS = (604800.0, 31536000.0, 2592000.0, 86400.0, 3600.0, 60.0, 1.0)


def parse_duration(value: str) -> float:
    """Read an ISO 8601 duration into seconds (years as 365 days, months as 30), or raise
    ValueError. The seconds are for ordering and reports; the statement keeps the original."""
    parts = _duration_parts(value) if type(value) is str else None
    if parts is None:
        raise ValueError(f"{value!r} is not an ISO 8601 duration (e.g. PT1H30M or PT12.5S)")
    return sum(
        float(part.replace(",", ".")) * unit
        for part, unit in zip(parts, _DURATION_SECONDS, strict=True)
        if part is not None
    )


def _duration_parts(value: str) -> tuple[str | None, ...] | None:
    """The week, year, month, day, hour, minute and second numbers of a duration, or None."""
    match = _DURATION.fullmatch(value)
    if match is None or _FRACTION_NOT_LAST.search(value):
        return None
    return match.groups()


def reject_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """`json.loads(..., object_pairs_hook=reject_duplicate_keys)`: a statement may use each
    property once, and Python's json keeps the last silently."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"property {key!r} appears twice in one object")
            seen.add(key)
    return result


# --- helpers -------------------------------------------------------------------------------------

_NUMBER_TYPES = (int, float, Decimal)  # bool is its own type, so it is not a number here


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _fail(path: str, message: str) -> InvalidStatement:
    return InvalidStatement(path, message)


def _object(value: object, path: str, what: str) -> dict:
    if type(value) is not dict:
        raise _fail(path, f"must be {what} (a JSON object), not {_json_type(value)}")
    return value


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if type(value) is bool:
        return "a boolean"
    if type(value) in _NUMBER_TYPES:
        return "a number"
    if type(value) is str:
        return "a string"
    if type(value) is list:
        return "an array"
    if type(value) is dict:
        return "an object"
    return type(value).__name__


def _check_keys(obj: dict, allowed: frozenset[str], path: str, what: str) -> None:
    """No nulls and no unknown properties; both are cheap C-level checks on the happy path.
    Nulls first, so a null objectType is reported as such rather than through its consequences."""
    if None in obj.values():
        for key, value in obj.items():
            if value is None:
                raise _fail(_at(path, key), "must not be null; leave the property out instead")
    if not allowed.issuperset(obj):
        for key in obj:
            if key not in allowed:
                raise _fail(_at(path, key), f"is not a property of {what}")


def _string(value: object, path: str) -> str:
    if type(value) is not str:
        raise _fail(path, f"must be a string, not {_json_type(value)}")
    return value


def _iri(value: object, path: str) -> None:
    if type(value) is str and value in _KNOWN_IRIS:
        return
    if not is_iri(value):
        _string(value, path)
        raise _fail(path, f"{value!r} is not an absolute IRI (e.g. http://example.com/id)")


def _irl(value: object, path: str) -> None:
    if not is_irl(value):
        _string(value, path)
        raise _fail(path, f"{value!r} is not an IRL (e.g. https://example.com/page)")


def _uuid(value: object, path: str) -> None:
    if not is_uuid(value):
        _string(value, path)
        raise _fail(path, f"{value!r} is not a UUID in standard form")


def _number(value: object, path: str) -> float:
    if type(value) not in _NUMBER_TYPES:
        raise _fail(path, f"must be a number, not {_json_type(value)}")
    if not math.isfinite(value):  # type: ignore[arg-type]
        raise _fail(path, "must be a finite number")
    return value  # type: ignore[return-value]


def _boolean(value: object, path: str) -> None:
    if type(value) is not bool:
        raise _fail(path, f"must be true or false, not {_json_type(value)}")


def _array(value: object, path: str, what: str) -> list:
    if type(value) is not list:
        raise _fail(path, f"must be an array of {what}, not {_json_type(value)}")
    return value


def validate_language_map(value: object, path: str) -> None:
    """A language map: BCP 47 tags as keys, strings as values."""
    _object(value, path, "a language map")
    for tag, text in value.items():  # type: ignore[union-attr]
        if tag not in _KNOWN_TAGS and not is_bcp47(tag):
            raise _fail(f"{path}.{tag}", f"{tag!r} is not a BCP 47 language tag (e.g. en, fr-CA)")
        if type(text) is not str:
            raise _fail(f"{path}.{tag}", f"must be a string, not {_json_type(text)}")


def _extensions(value: object, path: str) -> None:
    """Keys must be IRIs; values are anything at all (the LRS must not judge them)."""
    _object(value, path, "an extensions map")
    for key in value:  # type: ignore[union-attr]
        if key not in _KNOWN_IRIS and not is_iri(key):
            raise _fail(f"{path}.{key}", "extension keys must be absolute IRIs")


def _timestamp(value: object, path: str, version: str) -> None:
    try:
        parse_timestamp(value, version)  # type: ignore[arg-type]
    except ValueError as error:
        raise _fail(path, str(error)) from None


# --- agents and groups ---------------------------------------------------------------------------

_IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
_AGENT_KEYS = frozenset(("objectType", "name", *_IFIS))
_GROUP_KEYS = frozenset((*_AGENT_KEYS, "member"))
_ACCOUNT_KEYS = frozenset(("homePage", "name"))


def _ifi(obj: dict, path: str, what: str) -> int:
    """Check the inverse functional identifiers present and return how many there are."""
    count = 0
    mbox = obj.get("mbox")
    if mbox is not None:
        count += 1
        if type(mbox) is not str or _MAILTO.fullmatch(mbox) is None:
            _string(mbox, path + ".mbox")
            raise _fail(path + ".mbox", f"{mbox!r} is not a mailto IRI (mailto:me@example.com)")
    sha1 = obj.get("mbox_sha1sum")
    if sha1 is not None:
        count += 1
        if type(sha1) is not str or _SHA1_HEX.fullmatch(sha1) is None:
            _string(sha1, path + ".mbox_sha1sum")
            raise _fail(path + ".mbox_sha1sum", "must be 40 hex digits (SHA-1 of a mailto IRI)")
    openid = obj.get("openid")
    if openid is not None:
        count += 1
        if not is_iri(openid) or not openid.isascii():
            _string(openid, path + ".openid")
            raise _fail(path + ".openid", f"{openid!r} is not a URI")
    account = obj.get("account")
    if account is not None:
        count += 1
        account_path = path + ".account"
        _object(account, account_path, "an account")
        _check_keys(account, _ACCOUNT_KEYS, account_path, "an account")
        if "homePage" not in account:
            raise _fail(account_path + ".homePage", "is required")
        _irl(account["homePage"], account_path + ".homePage")
        if "name" not in account:
            raise _fail(account_path + ".name", "is required")
        _string(account["name"], account_path + ".name")
    if count > 1:
        found = ", ".join(key for key in _IFIS if key in obj)
        raise _fail(path, f"{what} must have exactly one of mbox, mbox_sha1sum, openid, account "
                          f"(found {found})")
    return count


def _agent(obj: dict, path: str) -> None:
    object_type = obj.get("objectType")
    if object_type is not None and object_type != "Agent":
        raise _fail(path + ".objectType", f"must be 'Agent', not {object_type!r}")
    _check_keys(obj, _AGENT_KEYS, path, "an Agent")
    name = obj.get("name")
    if name is not None:
        _string(name, path + ".name")
    if _ifi(obj, path, "an Agent") == 0:
        raise _fail(path, "an Agent needs one of mbox, mbox_sha1sum, openid, account")


def _group(obj: dict, path: str) -> None:
    _check_keys(obj, _GROUP_KEYS, path, "a Group")
    name = obj.get("name")
    if name is not None:
        _string(name, path + ".name")
    identified = _ifi(obj, path, "an identified Group")
    members = obj.get("member")
    if members is not None:
        member_path = path + ".member"
        _array(members, member_path, "Agents")
        for index, member in enumerate(members):
            item_path = f"{member_path}[{index}]"
            _object(member, item_path, "an Agent")
            if member.get("objectType") == "Group":
                raise _fail(item_path + ".objectType", "a Group's members must be Agents")
            _agent(member, item_path)
    if not identified and not members:
        raise _fail(path, "an anonymous Group (no mbox, mbox_sha1sum, openid or account) needs "
                          "at least one member")


def validate_agent(obj: object, path: str = "agent") -> None:
    """An Agent (not a Group), as the `agent` parameter of the State and Agent Profile resources."""
    _agent(_object(obj, path, "an Agent"), path)  # type: ignore[arg-type]


def validate_actor(obj: object, path: str = "actor") -> None:
    """An Agent or a Group, told apart by objectType."""
    _object(obj, path, "an Agent or Group")
    object_type = obj.get("objectType")  # type: ignore[union-attr]
    if object_type == "Group":
        _group(obj, path)  # type: ignore[arg-type]
    elif object_type is None or object_type == "Agent":
        _agent(obj, path)  # type: ignore[arg-type]
    else:
        raise _fail(path + ".objectType", f"must be 'Agent' or 'Group', not {object_type!r}")


def _authority(value: object, path: str) -> None:
    """An Agent, or for 3-legged OAuth an anonymous Group of exactly the application and user."""
    validate_actor(value, path)
    if value.get("objectType") == "Group":  # type: ignore[union-attr]
        if any(key in value for key in _IFIS):  # type: ignore[operator]
            raise _fail(path, "an authority Group must be anonymous (the application and the "
                              "user as its two members), not an identified Group")
        if len(value["member"]) != 2:  # type: ignore[index]
            raise _fail(path + ".member", "an authority Group must have exactly two Agents "
                                          "(the application and the user)")


# --- verbs, activities and objects ---------------------------------------------------------------

_VERB_KEYS = frozenset(("id", "display"))
_ACTIVITY_KEYS = frozenset(("objectType", "id", "definition"))
_COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
_DEFINITION_KEYS = frozenset((
    "name", "description", "type", "moreInfo", "extensions",
    "interactionType", "correctResponsesPattern", *_COMPONENT_LISTS,
))
_COMPONENTS_ALLOWED: dict[str, frozenset[str]] = {
    "true-false": frozenset(),
    "choice": frozenset(("choices",)),
    "fill-in": frozenset(),
    "long-fill-in": frozenset(),
    "matching": frozenset(("source", "target")),
    "performance": frozenset(("steps",)),
    "sequencing": frozenset(("choices",)),
    "likert": frozenset(("scale",)),
    "numeric": frozenset(),
    "other": frozenset(),
}
_INTERACTION_TYPES = ", ".join(_COMPONENTS_ALLOWED)
_COMPONENT_KEYS = frozenset(("id", "description"))
_STATEMENT_REF_KEYS = frozenset(("objectType", "id"))


def _verb(value: object, path: str) -> None:
    _object(value, path, "a Verb")
    _check_keys(value, _VERB_KEYS, path, "a Verb")  # type: ignore[arg-type]
    if "id" not in value:  # type: ignore[operator]
        raise _fail(path + ".id", "is required")
    _iri(value["id"], path + ".id")  # type: ignore[index]
    display = value.get("display")  # type: ignore[union-attr]
    if display is not None:
        validate_language_map(display, path + ".display")


def _definition(value: object, path: str) -> None:
    _object(value, path, "an Activity definition")
    _check_keys(value, _DEFINITION_KEYS, path, "an Activity definition")  # type: ignore[arg-type]
    get = value.get  # type: ignore[union-attr]
    name = get("name")
    if name is not None:
        validate_language_map(name, path + ".name")
    description = get("description")
    if description is not None:
        validate_language_map(description, path + ".description")
    activity_type = get("type")
    if activity_type is not None:
        _iri(activity_type, path + ".type")
    more_info = get("moreInfo")
    if more_info is not None:
        _irl(more_info, path + ".moreInfo")
    extensions = get("extensions")
    if extensions is not None:
        _extensions(extensions, path + ".extensions")
    interaction_type = get("interactionType")
    if interaction_type is None:
        for key in ("correctResponsesPattern", *_COMPONENT_LISTS):
            if key in value:  # type: ignore[operator]
                raise _fail(f"{path}.{key}", "needs an interactionType in the same definition")
        return
    allowed = _COMPONENTS_ALLOWED.get(interaction_type)  # type: ignore[arg-type]
    if allowed is None:
        _string(interaction_type, path + ".interactionType")
        raise _fail(path + ".interactionType",
                    f"{interaction_type!r} is not one of {_INTERACTION_TYPES}")
    pattern = get("correctResponsesPattern")
    if pattern is not None:
        pattern_path = path + ".correctResponsesPattern"
        _array(pattern, pattern_path, "strings")
        for index, response in enumerate(pattern):
            _string(response, f"{pattern_path}[{index}]")
    for key in _COMPONENT_LISTS:
        components = get(key)
        if components is None:
            continue
        list_path = f"{path}.{key}"
        if key not in allowed:
            raise _fail(list_path, f"is not used with interactionType {interaction_type!r}")
        _array(components, list_path, "interaction components")
        seen: set[str] = set()
        for index, component in enumerate(components):
            item_path = f"{list_path}[{index}]"
            _object(component, item_path, "an interaction component")
            _check_keys(component, _COMPONENT_KEYS, item_path, "an interaction component")
            if "id" not in component:
                raise _fail(item_path + ".id", "is required")
            component_id = _string(component["id"], item_path + ".id")
            if component_id in seen:
                raise _fail(item_path + ".id", f"{component_id!r} is used twice in {key}")
            seen.add(component_id)
            component_description = component.get("description")
            if component_description is not None:
                validate_language_map(component_description, item_path + ".description")


def _activity(obj: dict, path: str) -> None:
    object_type = obj.get("objectType")
    if object_type is not None and object_type != "Activity":
        raise _fail(path + ".objectType", f"must be 'Activity', not {object_type!r}")
    _check_keys(obj, _ACTIVITY_KEYS, path, "an Activity")
    if "id" not in obj:
        raise _fail(path + ".id", "is required")
    _iri(obj["id"], path + ".id")
    definition = obj.get("definition")
    if definition is not None:
        _definition(definition, path + ".definition")


def validate_activity(obj: object, path: str = "activity") -> None:
    """An Activity object: an IRI id and an optional definition."""
    _activity(_object(obj, path, "an Activity"), path)  # type: ignore[arg-type]


def _statement_ref(value: object, path: str) -> None:
    _object(value, path, "a StatementRef")
    _check_keys(value, _STATEMENT_REF_KEYS, path, "a StatementRef")  # type: ignore[arg-type]
    object_type = value.get("objectType")  # type: ignore[union-attr]
    if object_type != "StatementRef":
        if object_type is None:
            raise _fail(path + ".objectType", "is required and must be 'StatementRef'")
        raise _fail(path + ".objectType", f"must be 'StatementRef', not {object_type!r}")
    if "id" not in value:  # type: ignore[operator]
        raise _fail(path + ".id", "is required")
    _uuid(value["id"], path + ".id")  # type: ignore[index]


def _object_of(value: object, path: str, version: str, in_sub: bool) -> str:
    """Check a statement's object and return its objectType (defaulted to Activity)."""
    obj = _object(value, path, "an Activity, Agent, Group, StatementRef or SubStatement")
    object_type = obj.get("objectType")
    if object_type is None and "id" not in obj and any(key in obj for key in _IFIS):
        raise _fail(path + ".objectType", "is required when the object is an Agent or Group")
    if object_type is None or object_type == "Activity":
        _activity(obj, path)
        return "Activity"
    if object_type == "Agent":
        _agent(obj, path)
    elif object_type == "Group":
        _group(obj, path)
    elif object_type == "StatementRef":
        _statement_ref(obj, path)
    elif object_type == "SubStatement":
        if in_sub:
            raise _fail(path + ".objectType", "a SubStatement cannot contain a SubStatement")
        _statement(obj, path, version, sub=True)
    else:
        raise _fail(path + ".objectType", f"{object_type!r} is not one of Activity, Agent, "
                                             "Group, SubStatement, StatementRef (case matters)")
    return object_type  # type: ignore[return-value]


# --- result and context --------------------------------------------------------------------------

_RESULT_KEYS = frozenset(("score", "success", "completion", "response", "duration", "extensions"))
_SCORE_KEYS = frozenset(("scaled", "raw", "min", "max"))
_CONTEXT_KEYS_1 = frozenset((
    "registration", "instructor", "team", "contextActivities", "revision", "platform",
    "language", "statement", "extensions",
))
_CONTEXT_KEYS_2 = _CONTEXT_KEYS_1 | {"contextAgents", "contextGroups"}
_CONTEXT_ACTIVITY_KEYS = ("parent", "grouping", "category", "other")
_CONTEXT_AGENT_KEYS = frozenset(("objectType", "agent", "relevantTypes"))
_CONTEXT_GROUP_KEYS = frozenset(("objectType", "group", "relevantTypes"))


def _score(value: object, path: str) -> None:
    _object(value, path, "a score")
    _check_keys(value, _SCORE_KEYS, path, "a score")  # type: ignore[arg-type]
    get = value.get  # type: ignore[union-attr]
    scaled = get("scaled")
    if scaled is not None and not -1 <= _number(scaled, path + ".scaled") <= 1:
        raise _fail(path + ".scaled", f"must be between -1 and 1, not {scaled}")
    low, high, raw = get("min"), get("max"), get("raw")
    if low is not None:
        _number(low, path + ".min")
    if high is not None:
        _number(high, path + ".max")
        if low is not None and not low < high:
            raise _fail(path + ".max", f"must be greater than min ({low}), not {high}")
    if raw is not None:
        _number(raw, path + ".raw")
        if low is not None and raw < low:
            raise _fail(path + ".raw", f"must not be less than min ({low}), not {raw}")
        if high is not None and raw > high:
            raise _fail(path + ".raw", f"must not be greater than max ({high}), not {raw}")


def _result(value: object, path: str) -> None:
    _object(value, path, "a Result")
    _check_keys(value, _RESULT_KEYS, path, "a Result")  # type: ignore[arg-type]
    get = value.get  # type: ignore[union-attr]
    score = get("score")
    if score is not None:
        _score(score, path + ".score")
    success = get("success")
    if success is not None:
        _boolean(success, path + ".success")
    completion = get("completion")
    if completion is not None:
        _boolean(completion, path + ".completion")
    response = get("response")
    if response is not None:
        _string(response, path + ".response")
    duration = get("duration")
    if duration is not None:
        duration_path = path + ".duration"
        if _duration_parts(_string(duration, duration_path)) is None:
            raise _fail(duration_path, f"{duration!r} is not an ISO 8601 duration "
                                       "(e.g. PT1H30M or PT12.5S)")
    extensions = get("extensions")
    if extensions is not None:
        _extensions(extensions, path + ".extensions")


def _context_activities(value: object, path: str) -> None:
    _object(value, path, "a contextActivities object")
    for key, activities in value.items():  # type: ignore[union-attr]
        key_path = f"{path}.{key}"
        if key not in _CONTEXT_ACTIVITY_KEYS:
            raise _fail(key_path, "is not one of parent, grouping, category, other")
        if type(activities) is dict:
            _activity(activities, key_path)
            continue
        _array(activities, key_path, "Activities")
        for index, activity in enumerate(activities):
            item_path = f"{key_path}[{index}]"
            _activity(_object(activity, item_path, "an Activity"), item_path)


def _relevant_types(value: object, path: str) -> None:
    _array(value, path, "IRIs")
    if not value:
        raise _fail(path, "must not be empty; leave it out instead")
    for index, iri in enumerate(value):  # type: ignore[arg-type]
        _iri(iri, f"{path}[{index}]")


def _context_agents(value: object, path: str) -> None:
    _array(value, path, "contextAgent objects")
    for index, item in enumerate(value):  # type: ignore[arg-type]
        item_path = f"{path}[{index}]"
        _object(item, item_path, "a contextAgent")
        _check_keys(item, _CONTEXT_AGENT_KEYS, item_path, "a contextAgent")
        if item.get("objectType") != "contextAgent":
            raise _fail(item_path + ".objectType", "must be 'contextAgent'")
        if "agent" not in item:
            raise _fail(item_path + ".agent", "is required")
        validate_agent(item["agent"], item_path + ".agent")
        if "relevantTypes" in item:
            _relevant_types(item["relevantTypes"], item_path + ".relevantTypes")


def _context_groups(value: object, path: str) -> None:
    _array(value, path, "contextGroup objects")
    for index, item in enumerate(value):  # type: ignore[arg-type]
        item_path = f"{path}[{index}]"
        _object(item, item_path, "a contextGroup")
        _check_keys(item, _CONTEXT_GROUP_KEYS, item_path, "a contextGroup")
        if item.get("objectType") != "contextGroup":
            raise _fail(item_path + ".objectType", "must be 'contextGroup'")
        if "group" not in item:
            raise _fail(item_path + ".group", "is required")
        group_path = item_path + ".group"
        group = _object(item["group"], group_path, "a Group")
        if group.get("objectType") != "Group":
            raise _fail(group_path + ".objectType", "is required and must be 'Group'")
        _group(group, group_path)
        if "relevantTypes" in item:
            _relevant_types(item["relevantTypes"], item_path + ".relevantTypes")


def _context(value: object, path: str, version: str, object_type: str) -> None:
    _object(value, path, "a Context")
    v2 = version.startswith("2.")
    if not v2:
        for key in ("contextAgents", "contextGroups"):
            if key in value:  # type: ignore[operator]
                raise _fail(f"{path}.{key}", f"is new in xAPI 2.0.0; this request uses {version}")
    _check_keys(value, _CONTEXT_KEYS_2 if v2 else _CONTEXT_KEYS_1, path, "a Context")  # type: ignore[arg-type]
    get = value.get  # type: ignore[union-attr]
    registration = get("registration")
    if registration is not None:
        _uuid(registration, path + ".registration")
    instructor = get("instructor")
    if instructor is not None:
        validate_actor(instructor, path + ".instructor")
    team = get("team")
    if team is not None:
        team_path = path + ".team"
        _object(team, team_path, "a Group")
        if team.get("objectType") != "Group":
            raise _fail(team_path + ".objectType", "is required and must be 'Group'")
        _group(team, team_path)
    context_activities = get("contextActivities")
    if context_activities is not None:
        _context_activities(context_activities, path + ".contextActivities")
    for key in ("revision", "platform"):
        text = get(key)
        if text is not None:
            _string(text, f"{path}.{key}")
            if object_type != "Activity":
                raise _fail(f"{path}.{key}", "may only be used when the object is an Activity")
    language = get("language")
    if language is not None and not is_bcp47(language):
        _string(language, path + ".language")
        raise _fail(path + ".language", f"{language!r} is not a BCP 47 language tag")
    statement = get("statement")
    if statement is not None:
        _statement_ref(statement, path + ".statement")
    extensions = get("extensions")
    if extensions is not None:
        _extensions(extensions, path + ".extensions")
    if v2:
        context_agents = get("contextAgents")
        if context_agents is not None:
            _context_agents(context_agents, path + ".contextAgents")
        context_groups = get("contextGroups")
        if context_groups is not None:
            _context_groups(context_groups, path + ".contextGroups")


# --- attachments and the statement itself --------------------------------------------------------

_ATTACHMENT_KEYS = frozenset((
    "usageType", "display", "description", "contentType", "length", "sha2", "fileUrl",
))
_STATEMENT_KEYS = frozenset((
    "id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority",
    "version", "attachments",
))
_SUB_STATEMENT_FORBIDDEN = ("id", "stored", "version", "authority")
_SUB_STATEMENT_KEYS = (_STATEMENT_KEYS - set(_SUB_STATEMENT_FORBIDDEN)) | {"objectType"}


def _attachments(value: object, path: str) -> None:
    _array(value, path, "Attachments")
    for index, attachment in enumerate(value):  # type: ignore[arg-type]
        item_path = f"{path}[{index}]"
        _object(attachment, item_path, "an Attachment")
        _check_keys(attachment, _ATTACHMENT_KEYS, item_path, "an Attachment")
        for key in ("usageType", "display", "contentType", "length", "sha2"):
            if key not in attachment:
                raise _fail(f"{item_path}.{key}", "is required")
        _iri(attachment["usageType"], item_path + ".usageType")
        validate_language_map(attachment["display"], item_path + ".display")
        description = attachment.get("description")
        if description is not None:
            validate_language_map(description, item_path + ".description")
        content_type = _string(attachment["contentType"], item_path + ".contentType")
        if _MEDIA_TYPE.fullmatch(content_type) is None:
            raise _fail(item_path + ".contentType", f"{content_type!r} is not a media type")
        length = attachment["length"]
        if type(length) is not int or length < 0:
            raise _fail(item_path + ".length", "must be a whole number of octets")
        sha2 = _string(attachment["sha2"], item_path + ".sha2")
        if _SHA2_HEX.fullmatch(sha2) is None:
            raise _fail(item_path + ".sha2", "must be a SHA-2 hash in hex (e.g. 64 digits)")
        file_url = attachment.get("fileUrl")
        if file_url is not None:
            _irl(file_url, item_path + ".fileUrl")


def _statement(obj: dict, path: str, version: str, sub: bool) -> None:
    if sub:
        for key in _SUB_STATEMENT_FORBIDDEN:
            if key in obj:
                raise _fail(f"{path}.{key}", "is not allowed in a SubStatement")
        _check_keys(obj, _SUB_STATEMENT_KEYS, path, "a SubStatement")
    else:
        _check_keys(obj, _STATEMENT_KEYS, path, "a Statement")
    prefix = f"{path}." if path else ""
    get = obj.get
    statement_id = get("id")
    if statement_id is not None:
        _uuid(statement_id, prefix + "id")
    for key in ("actor", "verb", "object"):
        if key not in obj:
            raise _fail(prefix + key, "is required")
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
        _timestamp(timestamp, prefix + "timestamp", version)
    stored = get("stored")
    if stored is not None:
        _timestamp(stored, prefix + "stored", version)
    authority = get("authority")
    if authority is not None:
        _authority(authority, prefix + "authority")
    statement_version = get("version")
    if statement_version is not None:
        _statement_version(statement_version, prefix + "version", version)
    attachments = get("attachments")
    if attachments is not None:
        _attachments(attachments, prefix + "attachments")


def _statement_version(value: object, path: str, version: str) -> None:
    _string(value, path)
    if _VERSION_1_0.fullmatch(value) is not None:  # type: ignore[arg-type]
        return
    if version.startswith("2."):
        if _VERSION_2_0.fullmatch(value) is None:  # type: ignore[arg-type]
            raise _fail(path, f"{value!r} must be 1.0.x or 2.0.x")
        return
    raise _fail(path, f"{value!r} must be 1.0.x under X-Experience-API-Version {version}")


def validate_statement(statement: object, version: str = "1.0.3", path: str = "") -> None:
    """Raise InvalidStatement for the first way `statement` breaks the xAPI data model.

    `version` is the request's X-Experience-API-Version: the 2.0 rules (context agents and
    groups, time zones on timestamps, statement version 2.0.x) apply when it starts with "2.".
    """
    obj = _object(statement, path, "a Statement")
    _statement(obj, path, version, sub=False)


def validate_statements(body: object, version: str) -> list[dict]:
    """Validate a POST body (one statement or an array of them) and return the statements.

    A batch is all or nothing, so the first problem in any statement rejects it; two statements
    with the same id in one batch are rejected too.
    """
    if type(body) is dict:
        _statement(body, "", version, sub=False)
        return [body]
    if type(body) is not list:
        raise _fail("", f"the body must be a statement object or an array of them, "
                        f"not {_json_type(body)}")
    ids: dict[str, int] = {}
    for index, statement in enumerate(body):
        path = f"statements[{index}]"
        _statement(_object(statement, path, "a Statement"), path, version, sub=False)
        statement_id = statement.get("id")
        if statement_id is not None:
            key = statement_id.lower()
            if key in ids:
                raise _fail(path + ".id", f"repeats the id of statements[{ids[key]}]")
            ids[key] = index
    return body
