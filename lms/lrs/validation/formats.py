"""The primitive formats of xAPI data: UUIDs, IRIs, IRLs, BCP 47 language tags, ISO 8601
timestamps and durations, and JSON without repeated keys. Predicates and parsers only; the rules
that say where each is required live in the sibling modules."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

# An absolute IRI (RFC 3987): a scheme, then characters that are not spaces, controls or the
# delimiters IRIs exclude; a percent sign must start a %XX escape. Relative references are not IRIs.
_IRI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*:"
    r"(?:[^\s<>\"{}|\\^`%\x00-\x1f\x7f-\x9f]|%[0-9A-Fa-f]{2})+"
)
# An IRL must be locatable: a hierarchical IRI with a non-empty authority.
_IRL_AUTHORITY = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^/?#]")

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
    return type(value) is str and is_iri(value) and _IRL_AUTHORITY.match(value) is not None


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
        known = _OFFSETS.get(offset)
        if known is not None:
            tz = known
        else:
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
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            59 if leap else seconds,
            micro,
            tzinfo=tz,
        )
    except ValueError:
        raise ValueError(f"{value!r} is not a real date and time") from None
    try:
        if leap:
            moment += timedelta(seconds=1)
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{value!r} falls outside the years 1 to 9999 once in UTC") from None


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


def is_duration(value: object) -> bool:
    """An ISO 8601:2004 section 4.4.3.2 duration (PT1H30M, P3Y, P4W); not the alternative format."""
    return type(value) is str and _duration_parts(value) is not None


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
