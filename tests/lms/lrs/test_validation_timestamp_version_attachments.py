"""Timestamp, stored, version and attachments (xAPI Data 2.4.7-2.4.11 and 4.5), under 1.0.3 and
2.0.0."""

from datetime import UTC, datetime

import pytest

from lms.lrs.validation import InvalidStatement, parse_timestamp, validate_statement
from tests.fixtures.xapi_statements import REMOVE, changed

SHA256 = "672fa5fa658017f1b72d65036f13379c6ab05d4ab3b6664908d8acf0b6a0c634"


def path_of(statement: dict, version: str = "1.0.3") -> str:
    with pytest.raises(InvalidStatement) as caught:
        validate_statement(statement, version)
    return caught.value.path


# --- timestamps -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015-11-18T12:17:00+00:00", datetime(2015, 11, 18, 12, 17, tzinfo=UTC)),
        ("2015-11-18T12:17:00Z", datetime(2015, 11, 18, 12, 17, tzinfo=UTC)),
        ("2015-11-18T14:17:00.250+02:00", datetime(2015, 11, 18, 12, 17, 0, 250000, tzinfo=UTC)),
        ("2015-11-18T07:17:00-05:00", datetime(2015, 11, 18, 12, 17, tzinfo=UTC)),
        ("2015-11-18T17:47:00+0530", datetime(2015, 11, 18, 12, 17, tzinfo=UTC)),
        ("2015-11-18T13:17:00+01", datetime(2015, 11, 18, 12, 17, tzinfo=UTC)),
        ("20151118T121700Z", datetime(2015, 11, 18, 12, 17, tzinfo=UTC)),
        ("20151118T131700,5+0100", datetime(2015, 11, 18, 12, 17, 0, 500000, tzinfo=UTC)),
        ("2015-11-18T12:17Z", datetime(2015, 11, 18, 12, 17, tzinfo=UTC)),
        ("2015-11-18T12:17:00.123456789Z", datetime(2015, 11, 18, 12, 17, 0, 123456, tzinfo=UTC)),
        ("2016-12-31T23:59:60Z", datetime(2017, 1, 1, tzinfo=UTC)),
    ],
)
def test_timestamps_become_utc(text, expected):
    parsed = parse_timestamp(text)
    assert parsed == expected
    assert parsed.tzinfo is UTC


def test_without_offset_is_utc_in_1_0_and_refused_in_2_0(statement):
    assert parse_timestamp("2015-11-18T12:17:00") == datetime(2015, 11, 18, 12, 17, tzinfo=UTC)
    naive = changed(statement, "timestamp", "2015-11-18T12:17:00.000")
    validate_statement(naive, "1.0.3")
    with pytest.raises(InvalidStatement, match="time zone offset") as caught:
        validate_statement(naive, "2.0.0")
    assert caught.value.path == "timestamp"


@pytest.mark.parametrize(
    "text",
    [
        "2008-09-15T15:53:00.601-00",
        "2008-09-15T15:53:00.601-0000",
        "2008-09-15T15:53:00.601-00:00",
        "01/011/2015",
        "should fail",
        "2008-09-15",
        "2008-09-15 15:53:00.601+00:00",
        "2008-09-15t15:53:00Z",
        "2015-02-29T12:00:00Z",
        "2015-11-18T24:00:00Z",
        "2015-11-18T12:17:00+25:00",
        "2015-11-18T12:17:00 Z",
        "2015-11-18T12:17:00.Z",
        "２０１５-11-18T12:17:00Z",  # full-width digits are not ISO 8601 digits
    ],
)
@pytest.mark.parametrize("version", ["1.0.3", "2.0.0"])
def test_invalid_timestamps(statement, text, version):
    assert path_of(changed(statement, "timestamp", text), version) == "timestamp"
    assert path_of(changed(statement, "stored", text), version) == "stored"


def test_negative_zero_offset_message(statement):
    with pytest.raises(InvalidStatement, match="-00:00"):
        validate_statement(changed(statement, "timestamp", "2008-09-15T15:53:00.601-00:00"))


@pytest.mark.parametrize("value", [1447849020, ["2015-11-18T12:17:00Z"], {"utc": "now"}])
def test_timestamp_must_be_a_string(statement, value):
    assert path_of(changed(statement, "timestamp", value)) == "timestamp"


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_timestamp_outside_the_calendar_once_in_utc_is_invalid_not_a_crash(statement, text):
    assert path_of(changed(statement, "timestamp", text)) == "timestamp"
    with pytest.raises(ValueError, match="outside the years 1 to 9999"):
        parse_timestamp(text)


def test_parse_timestamp_refuses_with_value_error():
    with pytest.raises(ValueError, match="not an ISO 8601 timestamp"):
        parse_timestamp("yesterday")
    with pytest.raises(ValueError, match="time zone"):
        parse_timestamp("2015-11-18T12:17:00", "2.0.0")


# --- version --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "version"),
    [
        ("1.0.0", "1.0.3"),
        ("1.0.3", "1.0.3"),
        ("1.0", "1.0.3"),
        ("1.0.9", "1.0.0"),
        ("1.0.0", "2.0.0"),
        ("2.0.0", "2.0.0"),
    ],
)
def test_accepted_versions(statement, value, version):
    validate_statement(changed(statement, "version", value), version)


@pytest.mark.parametrize(
    ("value", "version"),
    [
        ("2.0.0", "1.0.3"),
        ("1.1.0", "1.0.3"),
        ("0.95", "1.0.3"),
        ("1", "1.0.3"),
        ("1.0.x", "1.0.3"),
        (1.0, "1.0.3"),
        ("2.1.0", "2.0.0"),
        ("3.0.0", "2.0.0"),
        ("2.0", "2.0.0"),
    ],
)
def test_refused_versions(statement, value, version):
    assert path_of(changed(statement, "version", value), version) == "version"


# --- attachments ----------------------------------------------------------------------------------

ATTACHMENT = {
    "usageType": "http://adlnet.gov/expapi/attachments/signature",
    "display": {"en-US": "Signature"},
    "description": {"en-US": "A test signature"},
    "contentType": "application/octet-stream",
    "length": 4235,
    "sha2": SHA256,
}


def test_valid_attachments(statement):
    certificate = {
        **ATTACHMENT,
        "contentType": "application/pdf",
        "fileUrl": "https://example.com/certificates/1.pdf",
        "sha2": SHA256.upper(),
    }
    validate_statement(changed(statement, "attachments", [ATTACHMENT, certificate]))
    validate_statement(changed(statement, "attachments", []))


@pytest.mark.parametrize("required", ["usageType", "display", "contentType", "length", "sha2"])
def test_required_attachment_properties(statement, required):
    broken = changed(statement, "attachments", [ATTACHMENT])
    broken = changed(broken, f"attachments.0.{required}", REMOVE)
    assert path_of(broken) == f"attachments[0].{required}"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("usageType", "signature"),
        ("display", "Signature"),
        ("display", {"signature": "x"}),
        ("description", {"en-US": 5}),
        ("contentType", "pdf"),
        ("contentType", 5),
        ("length", -1),
        ("length", "4235"),
        ("length", 4235.0),
        ("length", True),
        ("sha2", "abc"),
        ("sha2", "g" * 64),
        ("sha2", SHA256[:40]),
        ("fileUrl", "certificate.pdf"),
        ("fileUrl", None),
        ("url", "https://example.com/x.pdf"),
    ],
)
def test_invalid_attachment_properties(statement, key, value):
    broken = changed(statement, "attachments", [ATTACHMENT, {**ATTACHMENT, key: value}])
    assert path_of(broken).startswith(f"attachments[1].{key}")


def test_attachments_must_be_an_array(statement):
    assert path_of(changed(statement, "attachments", ATTACHMENT)) == "attachments"
    assert path_of(changed(statement, "attachments", ["x"])) == "attachments[0]"
