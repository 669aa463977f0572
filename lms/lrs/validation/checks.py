"""The error the validator raises and the small checks every part of a statement is built from.

Each check takes the value and the JSON path it sits at, returns the value with its type known,
or raises InvalidStatement naming that path. Paths are built by the callers only as deep as they
go, so a valid statement costs a few string concatenations and no exceptions.
"""

from __future__ import annotations

import math
from decimal import Decimal

from lms.lrs.validation.formats import is_bcp47, is_iri, is_irl, is_uuid, parse_timestamp

NUMBER_TYPES = (int, float, Decimal)  # bool is its own type, so it is not a number here


class InvalidStatement(ValueError):
    """A statement (or agent, or activity) that breaks the xAPI data model, and where."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


def json_type(value: object) -> str:
    """What a JSON value is, for messages: 'a string', 'null', ..."""
    if value is None:
        return "null"
    kind = type(value)
    if kind is bool:
        return "a boolean"
    if kind in NUMBER_TYPES:
        return "a number"
    if kind is str:
        return "a string"
    if kind is list:
        return "an array"
    if kind is dict:
        return "an object"
    return kind.__name__


def require_object(value: object, path: str, what: str) -> dict:
    if type(value) is not dict:
        raise InvalidStatement(path, f"must be {what} (a JSON object), not {json_type(value)}")
    return value


def check_keys(obj: dict, allowed: frozenset[str], path: str, what: str) -> None:
    """No nulls and no unknown properties; both are cheap C-level checks on the happy path.
    Nulls first, so a null objectType is reported as such rather than through its consequences."""
    if None in obj.values():
        for key, value in obj.items():
            if value is None:
                raise InvalidStatement(
                    f"{path}.{key}" if path else key,
                    "must not be null; leave the property out instead",
                )
    if not allowed.issuperset(obj):
        for key in obj:
            if key not in allowed:
                raise InvalidStatement(
                    f"{path}.{key}" if path else key, f"is not a property of {what}"
                )


def require_string(value: object, path: str) -> str:
    if type(value) is not str:
        raise InvalidStatement(path, f"must be a string, not {json_type(value)}")
    return value


def require_iri(value: object, path: str) -> str:
    if type(value) is str and is_iri(value):
        return value
    require_string(value, path)
    raise InvalidStatement(path, f"{value!r} is not an absolute IRI (e.g. http://example.com/id)")


def require_irl(value: object, path: str) -> str:
    if type(value) is str and is_irl(value):
        return value
    require_string(value, path)
    raise InvalidStatement(path, f"{value!r} is not an IRL (e.g. https://example.com/page)")


def require_uuid(value: object, path: str) -> str:
    if type(value) is str and is_uuid(value):
        return value
    require_string(value, path)
    raise InvalidStatement(path, f"{value!r} is not a UUID in standard form")


def require_number(value: object, path: str) -> float:
    if type(value) not in NUMBER_TYPES:
        raise InvalidStatement(path, f"must be a number, not {json_type(value)}")
    number: float = value  # type: ignore[assignment]  # int, float or Decimal, all compare alike
    if not math.isfinite(number):
        raise InvalidStatement(path, "must be a finite number")
    return number


def require_boolean(value: object, path: str) -> bool:
    if type(value) is not bool:
        raise InvalidStatement(path, f"must be true or false, not {json_type(value)}")
    return value


def require_array(value: object, path: str, what: str) -> list:
    if type(value) is not list:
        raise InvalidStatement(path, f"must be an array of {what}, not {json_type(value)}")
    return value


def validate_language_map(value: object, path: str) -> None:
    """A language map: BCP 47 tags as keys, strings as values."""
    for tag, text in require_object(value, path, "a language map").items():
        if not is_bcp47(tag):
            raise InvalidStatement(
                f"{path}.{tag}", f"{tag!r} is not a BCP 47 language tag (e.g. en, fr-CA)"
            )
        if type(text) is not str:
            raise InvalidStatement(f"{path}.{tag}", f"must be a string, not {json_type(text)}")


def check_extensions(value: object, path: str) -> None:
    """Keys must be IRIs; values are anything at all (the LRS must not judge them)."""
    for key in require_object(value, path, "an extensions map"):
        if not is_iri(key):
            raise InvalidStatement(f"{path}.{key}", "extension keys must be absolute IRIs")


def check_timestamp(value: object, path: str, version: str) -> None:
    text = require_string(value, path)
    try:
        parse_timestamp(text, version)
    except ValueError as error:
        raise InvalidStatement(path, str(error)) from None
