"""The SCORM 1.2 data model: its own vocabularies, write-only interactions and error codes."""

from __future__ import annotations

import pytest

from lms.runtime.datamodel import Session
from lms.runtime.scorm12 import VERSION


def running() -> Session:
    session = Session(VERSION, values={"cmi.core.student_id": "u1"})
    assert session.initialize("") == "true"
    return session


def test_call_order_errors() -> None:
    session = Session(VERSION)
    assert session.get_value("cmi.core.student_id") == ""
    assert session.get_last_error() == "301"
    assert session.commit("") == "false" and session.get_last_error() == "301"
    assert session.terminate("") == "false" and session.get_last_error() == "301"
    assert session.initialize("") == "true"
    assert session.initialize("") == "false" and session.get_last_error() == "101"
    assert session.terminate("x") == "false" and session.get_last_error() == "201"
    assert session.terminate("") == "true"
    assert session.set_value("cmi.core.lesson_location", "x") == "false"
    assert session.get_last_error() == "101"


@pytest.mark.parametrize(
    ("element", "code"),
    [
        ("", "201"),
        ("nonsense", "201"),
        ("cmi.core.nonsense", "401"),
        ("cmi.core.student_id._children", "202"),
        ("cmi.core._count", "203"),
        ("cmi.core.exit", "404"),
        ("cmi.objectives.0.id", "201"),
    ],
)
def test_get_value_errors(element: str, code: str) -> None:
    session = running()
    assert session.get_value(element) == ""
    assert session.get_last_error() == code
    assert session.get_error_string(code) != ""


@pytest.mark.parametrize(
    ("element", "value", "code"),
    [
        ("cmi.core.student_id", "x", "403"),
        ("cmi.core._children", "x", "402"),
        ("cmi.interactions._count", "1", "402"),
        ("cmi.core.lesson_status", "not attempted", "405"),
        ("cmi.core.lesson_status", "done", "405"),
        ("cmi.core.score.raw", "101", "405"),
        ("cmi.core.score.raw", "abc", "405"),
        ("cmi.core.session_time", "PT1M", "405"),
        ("cmi.core.exit", "normal", "405"),
        ("cmi.suspend_data", "x" * 4097, "405"),
        ("cmi.student_preference.audio", "-2", "405"),
        ("cmi.interactions.2.id", "q", "201"),
        ("cmi.interactions.0.id", "has space", "405"),
    ],
)
def test_set_value_errors(element: str, value: str, code: str) -> None:
    session = running()
    assert session.set_value(element, value) == "false"
    assert session.get_last_error() == code


def test_values_a_sco_reads_and_writes() -> None:
    session = running()
    assert session.get_value("cmi.core.lesson_status") == "not attempted"
    assert session.get_value("cmi.core.lesson_location") == ""
    assert session.get_last_error() == "0"  # unset elements answer "" without error in 1.2
    assert session.set_value("cmi.core.lesson_status", "incomplete") == "true"
    assert session.set_value("cmi.core.score.raw", "85") == "true"
    assert session.set_value("cmi.core.session_time", "0000:12:30.5") == "true"
    assert session.set_value("cmi.core.exit", "suspend") == "true"
    assert session.set_value("cmi.interactions.0.id", "q1") == "true"
    assert session.set_value("cmi.interactions.0.type", "true-false") == "true"
    assert session.set_value("cmi.interactions.0.student_response", "t") == "true"
    assert session.set_value("cmi.interactions.0.student_response", "yes") == "false"
    assert session.set_value("cmi.interactions.0.time", "13:05:00") == "true"
    assert session.get_value("cmi.interactions.0.id") == ""
    assert session.get_last_error() == "404"
    assert session.get_value("cmi.interactions._count") == "1"
    assert session.get_value("cmi.core._children").startswith("student_id,")


@pytest.mark.parametrize(
    ("kind", "value", "xapi"),
    [
        ("true-false", "t", "true"),
        ("true-false", "0", "false"),
        ("choice", "{a,c}", "a[,]c"),
        ("sequencing", "c,a,b", "c[,]a[,]b"),
        ("matching", "1.a,2.b", "1[.]a[,]2[.]b"),
        ("fill-in", "Nairobi, Kenya", "Nairobi, Kenya"),
        ("numeric", "3.5", "3.5"),
    ],
)
def test_scorm12_responses_are_reported_in_the_xapi_format(
    kind: str, value: str, xapi: str
) -> None:
    from lms.runtime.progress import xapi_response_12

    assert xapi_response_12(kind, value) == xapi
