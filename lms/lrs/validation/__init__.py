"""Checks xAPI statements (1.0.x and 2.0.0) against the data model so the LRS can answer 400
naming the JSON path of the first problem.

Pure Python with no Flask or database imports: the HTTP layer parses JSON (refusing repeated keys
with `reject_duplicate_keys`), then calls `validate_statements`, or `validate_agent` for the
`agent` parameter of the document resources. Hand-written and straight-line, because the LRS
validates every statement it stores and must keep up with 10,000 statements a second on one core.
"""

from lms.lrs.validation.activities import validate_activity
from lms.lrs.validation.actors import validate_actor, validate_agent, validate_group
from lms.lrs.validation.checks import InvalidStatement, validate_language_map
from lms.lrs.validation.formats import (
    is_bcp47,
    is_duration,
    is_iri,
    is_irl,
    is_uuid,
    parse_duration,
    parse_timestamp,
    reject_duplicate_keys,
)
from lms.lrs.validation.statements import validate_statement, validate_statements

__all__ = [
    "InvalidStatement",
    "is_bcp47",
    "is_duration",
    "is_iri",
    "is_irl",
    "is_uuid",
    "parse_duration",
    "parse_timestamp",
    "reject_duplicate_keys",
    "validate_activity",
    "validate_actor",
    "validate_agent",
    "validate_group",
    "validate_language_map",
    "validate_statement",
    "validate_statements",
]
